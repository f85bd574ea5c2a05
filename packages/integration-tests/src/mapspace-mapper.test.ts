// The mapping space against Timeloop's linear-pruned mapper on the shared STC mapper cases
// (shared/reference/sparseloop-mapper): same space, same valid count, and the same number of
// evaluated mappings once Timeloop's pruning (one rejection per factorisation that fails a
// permutation-independent check) is taken into account.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRng } from '@snipsnap/core'
import { createMapspace } from '@snipsnap/mapspace'
import { parseTimeloopMapping, parseTimeloopYaml } from '@snipsnap/timeloop'

const shared = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-mapper')
const source = (file: string) => ({ fileName: path.basename(file), text: fs.readFileSync(file, 'utf8') })

const load = (name: string) => {
  const dir = path.join(shared, name)
  const design = parseTimeloopYaml(['input.yaml', 'constraints.yaml', 'mapper.yaml'].map((f) => source(path.join(dir, f))))
  const space = createMapspace({
    arch: design.arch,
    problem: design.problem,
    constraints: design.constraints,
    sparseOptimizations: design.sparseOptimizations,
  })
  const best = parseTimeloopMapping(fs.readFileSync(path.join(dir, 'best.map.yaml'), 'utf8'), design.problem, design.arch)
  return { dir, design, space, best }
}

const exhaust = (space: ReturnType<typeof load>['space']) => {
  let total = 0
  let valid = 0
  const rejectedFactorizations = new Set<string>()
  const keys = new Set<string>()
  for (const genome of space.genomes()) {
    const mapping = space.decode(genome)
    total++
    keys.add(space.key(mapping))
    if (space.check(mapping).ok) valid++
    else rejectedFactorizations.add(genome.factors.join(','))
  }
  return { total, valid, rejectedFactorizations: rejectedFactorizations.size, distinctKeys: keys.size }
}

describe('mapspace vs timeloop-mapper, artifact constraints', () => {
  const { dir, space, best } = load('stc-M512-K1024-N256-w0.5')
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { mappings_evaluated: number; valid: number }

  it('has the valid mappings Timeloop found and the same evaluated count under its pruning', () => {
    const r = exhaust(space)
    expect(BigInt(r.total)).toBe(space.size().total)
    expect(r.distinctKeys).toBe(r.total)
    expect(r.valid).toBe(expected.valid)
    // linear-pruned evaluates every valid mapping and one per factorisation rejected by capacity.
    expect(r.valid + r.rejectedFactorizations).toBe(expected.mappings_evaluated)
  })

  it('contains the mapper best mapping, and accepts it', () => {
    const encoded = space.encode(best)
    expect(encoded.ok).toBe(true)
    if (encoded.ok) expect(space.key(space.decode(encoded.genome))).toBe(space.key(best))
    expect(space.check(best)).toEqual({ ok: true })
  })

  it('samples only mappings that pass the check', () => {
    const rng = createRng(7)
    for (let i = 0; i < 50; i++) expect(space.check(space.sample(rng)).ok).toBe(true)
  })
})

describe('mapspace vs timeloop-mapper, constraints as shipped', () => {
  const { space, best } = load('stc-M512-K1024-N256-w0.5-rawconstraints')

  it('reproduces the exhausted space of 5,646 evaluated mappings', () => {
    const r = exhaust(space)
    expect(BigInt(r.total)).toBe(space.size().total)
    // README of shared/reference/sparseloop-mapper: "exhausted that mapspace after 5,646 mappings".
    expect(r.valid + r.rejectedFactorizations).toBe(5646)
  })

  it('accepts the exhaustive run best mapping', () => {
    expect(space.check(best)).toEqual({ ok: true })
    expect(space.encode(best).ok).toBe(true)
  })
})

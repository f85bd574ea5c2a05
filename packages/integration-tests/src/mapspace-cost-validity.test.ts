// A validity rejection Sparseloop would not make is a wrong answer too: on every shared design,
// the mapspace's cheap check and the Sparseloop cost model agree on every mapping a search
// visits (samples, mutations and crossovers of the mapspace, from random seeds). Both accept, or
// both reject with the same kind at the same level. The one allowed difference: the mapspace
// without the cost model's metadata-size hook cannot see a metadata-capacity overflow.
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { createRng, type DesignSpec, type MappingSpec } from '@snipsnap/core'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import { createMapspace } from '@snipsnap/mapspace'
import { listCases, listRandomDesigns, loadCase, loadRandomDesign } from './sparseloop-reference'

const designs: [string, DesignSpec][] = [
  ...listCases().map((name): [string, DesignSpec] => [name, loadCase(name).design]),
  ...listRandomDesigns().map((name): [string, DesignSpec] => [`random/${name}`, loadRandomDesign(name).design]),
]

describe.each(designs)('%s: mapspace validity equals cost-model validity', (_, design) => {
  // No constraints: a constraint narrows the search, it is not a reason the model rejects.
  const space = createMapspace({ arch: design.arch, problem: design.problem, constraints: [], sparseOptimizations: design.sparseOptimizations })
  const cost = createSparseloopEvaluator(design)

  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 12, seed: 17 })('on a search-like walk from a random seed (fixed fast-check seed, reproducible)', (seed) => {
    const rng = createRng(seed)
    let current: MappingSpec = space.sample(rng)
    let other: MappingSpec = space.sample(rng)
    const disagreements: string[] = []
    for (let step = 0; step < 16; step++) {
      const r = rng.next()
      const mapping = r < 0.2 ? space.sample(rng) : r < 0.35 ? space.crossover(current, other, rng) : space.mutate(current, rng)
      other = current
      current = mapping
      const verdict = space.check(mapping)
      const report = cost.evaluate(mapping)
      const mine = verdict.ok ? 'valid' : `${verdict.kind} at ${verdict.level}`
      const model = report.valid ? 'valid' : `${report.kind} at ${report.level ?? '?'}`
      if (verdict.ok && !report.valid && report.kind === 'metadata-capacity') continue
      if (mine !== model) disagreements.push(`step ${step}: mapspace ${mine}${verdict.ok ? '' : ` (${verdict.reason})`}, cost model ${model}${report.valid ? '' : ` (${report.reason})`}`)
    }
    expect(disagreements).toEqual([])
  })
})

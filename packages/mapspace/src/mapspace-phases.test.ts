// createMapspace's first phases alone on the STC mapper case: resolveCheckContext (tested with the
// checks in internal/check.test.ts) and buildSpaceLayout, whose layout is the space's own and whose
// factor vectors multiply out to every dimension's bound under the rules, and countSpace, whose
// DP size is the number of mappings enumerate() yields; createGenomeTools, createDecoder and
// createKey alone agree with the composed space's genomes, decode and key; createEncoder inverts
// decode and createEnumeration yields the space's genomes in its order; createDecisionTree's
// admitted leaves are the space's valid mappings.
import { describe, expect, it } from 'vitest'
import { createMapspace } from '@snipsnap/mapspace'
import { createRng } from '@snipsnap/core'
import { buildSpaceLayout, countSpace, createDecisionTree, createDecoder, createEncoder, createEnumeration, createGenomeTools, createKey, resolveCheckContext } from './mapspace'
import { stcArch, stcConstraints, stcProblem, stcSparse } from './internal/stc-fixture'

const dims = stcProblem.dimensions
const tensors = stcProblem.dataSpaces.map((d) => d.name)

/**
 * The STC mapper case taken apart as createMapspace composes it (raw or resolved constraints): the
 * input, its check context, layout, genome tools, decoder and key, each phase alone, and the
 * composed space to compare them with. Fresh on every call, so no test sees another's caches.
 */
const stcPhases = (raw: boolean) => {
  const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(raw), sparseOptimizations: stcSparse }
  const ctx = resolveCheckContext(input)
  const built = buildSpaceLayout(input, ctx)
  const tools = createGenomeTools(dims, built)
  const { decode, decoded } = createDecoder(dims, tensors, ctx, built, tools)
  const key = createKey(dims, tensors, ctx.levels, built)
  return { ctx, built, tools, decode, decoded, key, space: createMapspace(input) }
}

describe('createMapspace phases', () => {
  it.each([true, false])('buildSpaceLayout: the space\'s layout; factor vectors multiply to the bounds (raw constraints: %s)', (raw) => {
    const { built, space } = stcPhases(raw)
    expect(built.layout).toEqual(space.layout)
    expect(BigInt(built.vectors.reduce((n, v) => n * v.length, 1))).toBe(space.size().factorizations)
    dims.forEach((dim, d) => {
      for (const v of built.vectors[d]!) expect(v.reduce((p, f) => p * f, 1)).toBe(stcProblem.bounds[dim])
      expect(built.vectors[d]![0]).toHaveLength(built.slots.length)
    })
  })

  it.each([true, false])('countSpace: the DP size equals the enumerated mappings (raw constraints: %s)', (raw) => {
    const { built, space } = stcPhases(raw)
    const size = countSpace(dims, built)
    let enumerated = 0n
    for (const _ of space.enumerate()) enumerated++
    expect(size.total).toBe(enumerated)
    expect(size.total).toBe(size.orderings * size.bypass)
  })
  it('createGenomeTools/createDecoder/createKey: alone they decode and key genomes as the space does', () => {
    const { built, tools, decode, decoded, key, space } = stcPhases(true)
    let n = 0
    for (const g of space.genomes()) {
      const vs = tools.pickVectors(g.factors)
      expect(vs.map((v) => v.length)).toEqual(dims.map(() => built.slots.length))
      expect(g.permutations.every((p, j) => p < tools.permCounts(vs)[j]!)).toBe(true)
      expect(g.splits.every((x, j) => x < tools.splitCounts(vs)[j]!)).toBe(true)
      const m = decode(g)
      // Enumerated genomes are in range: decode records them as they are.
      expect(decoded.get(m)).toEqual(g)
      expect(m).toEqual(space.decode(g))
      expect(key(m)).toBe(space.key(m))
      if (++n >= 200) break
    }
    const rng = createRng(4)
    for (let i = 0; i < 50; i++) {
      const m = space.sample(rng)
      expect(key(m)).toBe(space.key(m))
    }
  })
  it('createEncoder/createEnumeration: encode inverts decode on the enumerated genomes, in the space\'s order', () => {
    const { ctx, built, tools, decode, key, space } = stcPhases(false)
    const encode = createEncoder(dims, ctx.levels, built, tools, decode, key)
    const { genomes } = createEnumeration(built, tools, decode)
    const expected = space.genomes()
    let n = 0
    for (const g of genomes()) {
      expect(g).toEqual(expected.next().value)
      const e = encode(decode(g))
      expect(e.ok).toBe(true)
      if (e.ok) expect(key(decode(e.genome))).toBe(key(decode(g)))
      if (++n >= 200) break
    }
    expect(encode({ levels: [] }).ok).toBe(false)
  })
  it('createDecisionTree: its admitted leaves are the valid enumerated mappings', () => {
    const { built, tools, decode, space } = stcPhases(false)
    const tree = createDecisionTree(dims, built, tools, decode, space.check, () => true)
    const leaves: string[] = []
    const walk = (prefix: number[]): void => {
      if (!(tree.admits?.(prefix) ?? true)) return
      const n = tree.branches(prefix)
      if (n === 0) leaves.push(space.key(tree.leaf(prefix)))
      for (let i = 0; i < n; i++) walk([...prefix, i])
    }
    walk([])
    const valid = [...space.enumerate()].filter((m) => space.check(m).ok).map((m) => space.key(m))
    expect(leaves.length).toBeGreaterThan(0)
    expect([...leaves].sort()).toEqual([...valid].sort())
  })
})

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

describe('createMapspace phases', () => {
  it.each([true, false])('buildSpaceLayout: the space\'s layout; factor vectors multiply to the bounds (raw constraints: %s)', (raw) => {
    const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(raw), sparseOptimizations: stcSparse }
    const built = buildSpaceLayout(input, resolveCheckContext(input))
    const space = createMapspace(input)
    expect(built.layout).toEqual(space.layout)
    expect(BigInt(built.vectors.reduce((n, v) => n * v.length, 1))).toBe(space.size().factorizations)
    stcProblem.dimensions.forEach((dim, d) => {
      for (const v of built.vectors[d]!) expect(v.reduce((p, f) => p * f, 1)).toBe(stcProblem.bounds[dim])
      expect(built.vectors[d]![0]).toHaveLength(built.slots.length)
    })
  })

  it.each([true, false])('countSpace: the DP size equals the enumerated mappings (raw constraints: %s)', (raw) => {
    const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(raw), sparseOptimizations: stcSparse }
    const size = countSpace(stcProblem.dimensions, buildSpaceLayout(input, resolveCheckContext(input)))
    let enumerated = 0n
    for (const _ of createMapspace(input).enumerate()) enumerated++
    expect(size.total).toBe(enumerated)
    expect(size.total).toBe(size.orderings * size.bypass)
  })
  it('createGenomeTools/createDecoder/createKey: alone they decode and key genomes as the space does', () => {
    const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(true), sparseOptimizations: stcSparse }
    const ctx = resolveCheckContext(input)
    const built = buildSpaceLayout(input, ctx)
    const tensors = stcProblem.dataSpaces.map((d) => d.name)
    const tools = createGenomeTools(stcProblem.dimensions, built)
    const { decode, decoded } = createDecoder(stcProblem.dimensions, tensors, ctx, built, tools)
    const key = createKey(stcProblem.dimensions, tensors, ctx.levels, built)
    const space = createMapspace(input)
    let n = 0
    for (const g of space.genomes()) {
      const vs = tools.pickVectors(g.factors)
      expect(vs.map((v) => v.length)).toEqual(stcProblem.dimensions.map(() => built.slots.length))
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
    const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(false), sparseOptimizations: stcSparse }
    const ctx = resolveCheckContext(input)
    const built = buildSpaceLayout(input, ctx)
    const tensors = stcProblem.dataSpaces.map((d) => d.name)
    const tools = createGenomeTools(stcProblem.dimensions, built)
    const { decode } = createDecoder(stcProblem.dimensions, tensors, ctx, built, tools)
    const key = createKey(stcProblem.dimensions, tensors, ctx.levels, built)
    const encode = createEncoder(stcProblem.dimensions, ctx.levels, built, tools, decode, key)
    const { genomes } = createEnumeration(built, tools, decode)
    const expected = createMapspace(input).genomes()
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
    const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(false), sparseOptimizations: stcSparse }
    const ctx = resolveCheckContext(input)
    const built = buildSpaceLayout(input, ctx)
    const tensors = stcProblem.dataSpaces.map((d) => d.name)
    const tools = createGenomeTools(stcProblem.dimensions, built)
    const { decode } = createDecoder(stcProblem.dimensions, tensors, ctx, built, tools)
    const space = createMapspace(input)
    const tree = createDecisionTree(stcProblem.dimensions, built, tools, decode, space.check, () => true)
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

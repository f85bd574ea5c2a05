import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import {
  createRng,
  SnipSnapError,
  type ArchSpec,
  type ConstraintSpec,
  type MappingSpec,
  type ProblemSpec,
  type StorageLevelSpec,
} from '@snipsnap/core'
import { createMapspace } from '@snipsnap/mapspace'
import { stcArch, stcConstraints, stcProblem, stcSparse } from './internal/stc-fixture'

// A small dense accelerator: DRAM → GLB → 16 PEs (4×4) with a register file each → 16 MACs.
const level = (name: string, instances: number, meshX: number, meshY: number, capacityWords: number | null): StorageLevelSpec => ({
  ...(stcArch.storage[0] as StorageLevelSpec),
  name,
  path: name,
  instances,
  meshX,
  meshY,
  capacityWords,
})
const toyArch: ArchSpec = {
  name: 'toy',
  storage: [level('DRAM', 1, 1, 1, null), level('GLB', 1, 1, 1, 64), level('RF', 16, 4, 4, 8)],
  compute: { ...stcArch.compute, instances: 16, meshX: 4, meshY: 4 },
}
// 1-D convolution: Outputs[P] += Weights[R] · Inputs[P + R − 1].
const conv: ProblemSpec = {
  name: 'conv1d',
  dimensions: ['P', 'R', 'K'],
  bounds: { P: 16, R: 3, K: 4 },
  coefficients: {},
  dataSpaces: [
    { name: 'Weights', projection: [[{ dim: 'K', coefficient: null }], [{ dim: 'R', coefficient: null }]], readWrite: false },
    { name: 'Inputs', projection: [[{ dim: 'P', coefficient: null }, { dim: 'R', coefficient: null }]], readWrite: false },
    { name: 'Outputs', projection: [[{ dim: 'K', coefficient: null }], [{ dim: 'P', coefficient: null }]], readWrite: true },
  ],
  densities: {},
}
const constraint = (c: Partial<ConstraintSpec> & Pick<ConstraintSpec, 'target' | 'type'>): ConstraintSpec => ({
  factors: {},
  permutation: null,
  split: null,
  keep: [],
  bypass: [],
  raw: {},
  ...c,
})

const stc = createMapspace({ arch: stcArch, problem: stcProblem, constraints: stcConstraints(false), sparseOptimizations: stcSparse })
const toy = createMapspace({ arch: toyArch, problem: conv, constraints: [] })

describe('size and enumeration', () => {
  it('counts the STC mapper space exactly and enumerates it lazily', () => {
    expect(stc.size().total).toBe(967n)
    expect(stc.size().factorizations).toBe(348n)
    expect(stc.size().orderings * stc.size().bypass).toBe(stc.size().total)
    let n = 0
    const keys = new Set<string>()
    for (const m of stc.enumerate()) {
      n++
      keys.add(stc.key(m))
    }
    expect(n).toBe(967)
    expect(keys.size).toBe(967)
  })

  it('matches the enumeration on a space with free orders, splits and bypass', () => {
    expect(toy.size().bypass).toBe(2n ** 6n) // 2 free levels × 3 tensors
    const small = createMapspace({
      arch: toyArch,
      problem: { ...conv, bounds: { P: 4, R: 3, K: 2 } },
      constraints: [constraint({ target: 'RF', type: 'bypass', keep: ['Weights', 'Inputs'], bypass: ['Outputs'] })],
    })
    const size = small.size()
    expect(size.bypass).toBe(8n)
    let n = 0n
    const keys = new Set<string>()
    for (const m of small.enumerate()) {
      n++
      keys.add(small.key(m))
    }
    expect(n).toBe(size.total)
    expect(BigInt(keys.size)).toBe(size.total)
  })
})

describe('memoised verdicts', () => {
  it('equal the full check of a copy, for every mapping', () => {
    const small = createMapspace({ arch: toyArch, problem: { ...conv, bounds: { P: 4, R: 3, K: 2 } }, constraints: [] })
    for (const space of [stc, small]) {
      for (const m of space.enumerate()) expect(space.check(m)).toEqual(space.check(structuredClone(m)))
    }
  })
})

describe('decision tree', () => {
  const walk = (useAdmits: boolean) => {
    const tree = stc.tree
    const leaves: string[] = []
    let pruned = 0
    const visit = (path: number[]): void => {
      if (useAdmits && tree.admits !== undefined && !tree.admits(path)) {
        pruned++
        return
      }
      const n = tree.branches(path)
      if (n === 0) {
        leaves.push(stc.key(tree.leaf(path)))
        return
      }
      for (let b = 0; b < n; b++) visit([...path, b])
    }
    visit([])
    return { leaves, pruned }
  }
  it('has the enumerated mappings as leaves', () => {
    const { leaves } = walk(false)
    expect(new Set(leaves)).toEqual(new Set([...stc.enumerate()].map((m) => stc.key(m))))
  })
  it('prunes each failing factorisation once, as linear-pruned does (860 valid + 62 = 922)', () => {
    const { leaves, pruned } = walk(true)
    expect(leaves).toHaveLength(860)
    expect(pruned).toBe(62)
  })
})

describe('partial permutations', () => {
  it('keeps a prefix innermost and a `_` suffix outermost, the rest free in between', () => {
    const space = createMapspace({
      arch: toyArch,
      problem: { ...conv, bounds: { P: 4, R: 3, K: 2 } },
      constraints: [
        constraint({ target: 'DRAM', type: 'temporal', permutation: ['P', 'K'], raw: { permutation: 'P_K' } }),
        constraint({ target: 'RF', type: 'bypass', keep: ['Weights', 'Inputs', 'Outputs'] }),
        constraint({ target: 'GLB', type: 'bypass', keep: ['Weights', 'Inputs', 'Outputs'] }),
      ],
    })
    let seen = 0
    for (const m of space.enumerate()) {
      const dram = m.levels[0]!
      const order = dram.temporalPermutation.filter((d) => (dram.temporalFactors[d] ?? 1) > 1)
      if (order.includes('P')) expect(order[0]).toBe('P')
      if (order.includes('K')) expect(order[order.length - 1]).toBe('K')
      if (order.length === 3) {
        seen++
        const swapped = { levels: [{ ...dram, temporalPermutation: ['R', 'P', 'K'] }, ...m.levels.slice(1)] }
        expect(space.check(swapped)).toMatchObject({ ok: false, kind: 'constraint', level: 'DRAM' })
      }
    }
    expect(seen).toBeGreaterThan(0)
  })
})

describe('genome', () => {
  it('round-trips every STC mapping through encode/decode', () => {
    for (const g of stc.genomes()) {
      const m = stc.decode(g)
      const e = stc.encode(m)
      expect(e.ok).toBe(true)
      if (e.ok) expect(stc.key(stc.decode(e.genome))).toBe(stc.key(m))
    }
  })

  test.prop([fc.array(fc.nat(), { minLength: 20, maxLength: 20 })])('any integer genome decodes to a mapping of the space', (ints) => {
    const take = (n: number, at: number) => ints.slice(at, at + n)
    const l = toy.layout
    const g = {
      factors: take(l.dimensions.length, 0),
      permutations: take(l.permutations.length, 3),
      splits: take(l.splits.length, 10),
      bypass: take(l.bypass.length, 12),
    }
    const m = toy.decode(g)
    expect(toy.encode(m).ok).toBe(true)
    expect(() => toy.check(m)).not.toThrow()
  })

  // A decoded mapping's encoding is a lookup of the genome decode reduced into range: it must equal
  // the full encoding of a copy of the mapping (a new object, which the space never decoded).
  test.prop([fc.boolean(), fc.array(fc.integer({ min: -50, max: 5000 }), { minLength: 40, maxLength: 40 })])(
    'encoding a decoded mapping equals encoding a copy of it (STC with fixed splits, toy with free splits)',
    (useStc, ints) => {
      const space = useStc ? stc : toy
      const l = space.layout
      let at = 0
      const take = (n: number): number[] => ints.slice(at, (at += n))
      const g = { factors: take(l.dimensions.length), permutations: take(l.permutations.length), splits: take(l.splits.length), bypass: take(l.bypass.length) }
      const m = space.decode(g)
      const copy = structuredClone(m) as MappingSpec
      expect(space.encode(m)).toEqual(space.encode(copy))
      expect(space.encode(copy).ok).toBe(true)
    },
  )
})

describe('search operators', () => {
  it('samples deterministically and only valid mappings when some exist', () => {
    const a = stc.sample(createRng(3))
    const b = stc.sample(createRng(3))
    expect(stc.key(a)).toBe(stc.key(b))
    expect(stc.check(a)).toEqual({ ok: true })
  })

  it('mutates to a neighbour inside the space, and crossover stays inside', () => {
    const rng = createRng(11)
    let changed = 0
    for (let i = 0; i < 200; i++) {
      const a = toy.sample(rng)
      const m = toy.mutate(a, rng)
      expect(toy.encode(m).ok).toBe(true)
      if (toy.key(m) !== toy.key(a)) changed++
      const child = toy.crossover(a, toy.sample(rng), rng)
      expect(toy.encode(child).ok).toBe(true)
    }
    expect(changed).toBeGreaterThan(150)
  })

  it('lists neighbours: in the space, each once, the mapping itself excluded, in a fixed order; one factor step, one swap, one split, one bypass flip', () => {
    const rng = createRng(5)
    for (const space of [toy, stc]) {
      for (let i = 0; i < 20; i++) {
        const m = space.sample(rng)
        const ns = space.neighbours(m)
        const keys = ns.map((n) => space.key(n))
        expect(new Set(keys).size).toBe(keys.length)
        expect(keys).not.toContain(space.key(m))
        for (const n of ns) expect(space.encode(n).ok).toBe(true)
        expect(space.neighbours(structuredClone(m) as MappingSpec).map((n) => space.key(n))).toEqual(keys)
      }
    }
    // On the toy space (no constraints) a neighbour of each kind is listed.
    const m = toy.decode({ factors: [0, 0, 0], permutations: [0, 0, 0], splits: [0], bypass: [1, 1, 1, 1, 1, 1] })
    const keys = new Set(toy.neighbours(m).map((n) => toy.key(n)))
    const levelAt = (i: number, change: Partial<MappingSpec['levels'][number]>): MappingSpec => ({ levels: m.levels.map((lm, j) => (j === i ? { ...lm, ...change } : lm)) })
    const glb = m.levels[1] as MappingSpec['levels'][number]
    const flipped = levelAt(1, { keep: glb.keep.slice(1), bypass: [...glb.bypass, glb.keep[0] as string] })
    expect(keys.has(toy.key(flipped))).toBe(true)
    // Every neighbour differs from m in one level's choices or in one dimension's tiling.
    const tilingOf = (x: MappingSpec, dim: string): string => x.levels.map((lm) => `${lm.temporalFactors[dim] ?? 1}/${lm.spatialFactors[dim] ?? 1}`).join(',')
    for (const n of toy.neighbours(m)) {
      const dimsChanged = conv.dimensions.filter((d) => tilingOf(n, d) !== tilingOf(m, d))
      expect(dimsChanged.length).toBeLessThanOrEqual(1)
    }
  })

  it("splits into one stratum per keep/bypass combination of the innermost level: disjoint, covering, each with that level's keep fixed", () => {
    const strata = toy.strata()
    // The toy's innermost level with a free choice is RF, with three tensors: 8 strata.
    const free = toy.layout.bypass.filter((c) => c.level === 'RF')
    expect(free).toHaveLength(3)
    expect(strata).toHaveLength(2 ** free.length)
    expect(toy.strata()).toBe(strata)
    const keepAt = (m: MappingSpec, level: string): string => [...(m.levels.find((lm) => lm.target === level)?.keep ?? [])].sort().join(',')
    const patterns = new Set<string>()
    strata.forEach((stratum, j) => {
      // Outer levels' choices stay free inside a stratum.
      expect(stratum.layout.bypass.map((c) => c.level)).toEqual(toy.layout.bypass.filter((c) => c.level !== 'RF').map((c) => c.level))
      const rng = createRng(j + 1)
      const rf = new Set<string>()
      const glb = new Set<string>()
      for (let i = 0; i < 20; i++) {
        const m = stratum.sample(rng)
        rf.add(keepAt(m, 'RF'))
        glb.add(keepAt(m, 'GLB'))
        // A stratum's mappings belong to the whole space, with the same key.
        const e = toy.encode(m)
        expect(e.ok).toBe(true)
        if (e.ok) expect(toy.key(toy.decode(e.genome))).toBe(stratum.key(m))
        // Bit b of the stratum's index keeps the b-th free tensor of RF.
        free.forEach((c, b) => expect(m.levels.find((x) => x.target === 'RF')?.keep.includes(c.tensor)).toBe(((j >> b) & 1) === 1))
      }
      expect(rf.size).toBe(1)
      expect(glb.size).toBeGreaterThan(1)
      patterns.add([...rf][0] as string)
    })
    expect(patterns.size).toBe(strata.length)
    // A space whose keep/bypass is fixed by its constraints has no strata.
    const fixed = createMapspace({
      arch: toyArch,
      problem: conv,
      constraints: ['GLB', 'RF'].map((target) => constraint({ target, type: 'bypass', keep: ['Weights', 'Inputs', 'Outputs'] })),
    })
    expect(fixed.layout.bypass).toEqual([])
    expect(fixed.strata()).toEqual([])
  })

  it('gives equivalent mappings one key (factor-1 loops and their order ignored)', () => {
    const m = stc.sample(createRng(5))
    const shuffled: MappingSpec = {
      levels: m.levels.map((lm) => ({
        ...lm,
        temporalFactors: { ...lm.temporalFactors, ...Object.fromEntries(stcProblem.dimensions.filter((d) => lm.temporalFactors[d] === undefined).map((d) => [d, 1])) },
        temporalPermutation: [
          ...lm.temporalPermutation.filter((d) => (lm.temporalFactors[d] ?? 1) > 1),
          ...lm.temporalPermutation.filter((d) => (lm.temporalFactors[d] ?? 1) === 1).reverse(),
        ],
      })),
    }
    expect(stc.key(shuffled)).toBe(stc.key(m))
  })

  it('never loops forever when no mapping is valid', () => {
    const tiny: ArchSpec = { ...toyArch, storage: [level('DRAM', 1, 1, 1, null), level('GLB', 1, 1, 1, 1), level('RF', 16, 4, 4, 1)] }
    const space = createMapspace({
      arch: tiny,
      problem: conv,
      constraints: [constraint({ target: 'GLB', type: 'bypass', keep: ['Weights', 'Inputs', 'Outputs'] })],
      options: { sampleAttempts: 8 },
    })
    const r = space.sampleValid(createRng(1), 20)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toMatch(/capacity/)
    expect(space.check(space.sample(createRng(1))).ok).toBe(false)
  })
})

describe('check', () => {
  const best = (): MappingSpec => {
    for (const m of stc.enumerate()) if (stc.check(m).ok) return m
    throw new Error('no valid mapping')
  }
  it('reports constraint, capacity, fan-out and format-ranks failures with the level', () => {
    const m = best()
    const withLevel = (i: number, patch: Partial<MappingSpec['levels'][number]>): MappingSpec => ({
      levels: m.levels.map((lm, j) => (j === i ? { ...lm, ...patch } : lm)),
    })
    // DRAM must keep K=1: moving K there breaks the constraint.
    const rf = m.levels[2]!
    const moved: MappingSpec = {
      levels: m.levels.map((lm, j) =>
        j === 0 ? { ...lm, temporalFactors: { ...lm.temporalFactors, K: 32 } } : j === 2 ? { ...rf, temporalFactors: { ...rf.temporalFactors, K: 1 } } : lm,
      ),
    }
    expect(stc.check(moved)).toMatchObject({ ok: false, kind: 'constraint', level: 'DRAM' })
    // LRF keeps Z too: one word of capacity cannot hold an A and a Z word.
    const lrf = m.levels[3]!
    expect(stc.check(withLevel(3, { keep: ['A', 'Z'], bypass: ['B'] }))).toMatchObject({ ok: false, kind: 'constraint' })
    const unconstrained = createMapspace({ arch: stcArch, problem: stcProblem, constraints: [], sparseOptimizations: stcSparse })
    expect(unconstrained.check(withLevel(3, { keep: ['A', 'Z'], bypass: ['B'] }))).toMatchObject({ ok: false, kind: 'capacity', level: 'LRF' })
    // Two non-trivial A loops at LRF, whose A format has one rank.
    const donor = m.levels.findIndex((lm) => (lm.temporalFactors.M ?? 1) >= 2)
    const twoLoops: MappingSpec = {
      levels: m.levels.map((lm, j) =>
        j === 3
          ? { ...lrf, temporalFactors: { ...lrf.temporalFactors, M: 2, K: 2 } }
          : j === donor
            ? { ...lm, temporalFactors: { ...lm.temporalFactors, M: (lm.temporalFactors.M ?? 1) / 2 } }
            : j === 2
              ? { ...rf, temporalFactors: { ...rf.temporalFactors, K: 16 } }
              : lm,
      ),
    }
    expect(unconstrained.check(twoLoops)).toMatchObject({ ok: false, kind: 'format-ranks', level: 'LRF' })
    // Row 0 of the shared random STC mappings: K=2 at LRF makes each A element tile 2 words, so
    // spatial skipping no longer halves the K=32 fan-out onto the 16-wide X axis.
    const kAtLrf: MappingSpec = {
      levels: [
        { ...m.levels[0]!, temporalFactors: { M: 32, N: 256 } },
        { ...m.levels[1]!, temporalFactors: {}, spatialFactors: {} },
        { ...rf, temporalFactors: { K: 16 } },
        { ...lrf, temporalFactors: { K: 2 } },
      ],
    }
    expect(unconstrained.check({ levels: kAtLrf.levels.map((lm, j) => (j === 3 ? { ...lm, temporalFactors: {} } : j === 2 ? { ...lm, temporalFactors: { K: 32 } } : lm)) })).toEqual({ ok: true })
    expect(unconstrained.check(kAtLrf)).toMatchObject({ ok: false, kind: 'fanout', level: 'LRF' })
  })

  it('uses sliding-window tiles and the dense fan-out on a dense design', () => {
    const rf = { target: 'RF', temporalFactors: { R: 3 }, temporalPermutation: ['R', 'P', 'K'], spatialFactors: {}, spatialPermutation: ['P', 'R', 'K'], spatialSplit: 3, keep: ['Weights', 'Inputs', 'Outputs'], bypass: [], stream: [] }
    const mapping = (pAtRf: number, spatialP: number, split: number): MappingSpec => ({
      levels: [
        { target: 'DRAM', temporalFactors: { P: 16 / pAtRf / spatialP, K: 4 }, temporalPermutation: ['P', 'R', 'K'], spatialFactors: {}, spatialPermutation: ['P', 'R', 'K'], spatialSplit: 0, keep: ['Weights', 'Inputs', 'Outputs'], bypass: [], stream: [] },
        { target: 'GLB', temporalFactors: {}, temporalPermutation: ['P', 'R', 'K'], spatialFactors: { P: spatialP }, spatialPermutation: ['P', 'R', 'K'], spatialSplit: split, keep: ['Weights', 'Inputs', 'Outputs'], bypass: [], stream: [] },
        { ...rf, temporalFactors: { R: 3, P: pAtRf } },
      ],
    })
    // RF tile: Weights 3 + Inputs (P + R − 1) + Outputs P words.
    expect(toy.check(mapping(1, 4, 1))).toEqual({ ok: true }) // 3 + 3 + 1 = 7 ≤ 8
    expect(toy.check(mapping(2, 4, 1))).toMatchObject({ ok: false, kind: 'capacity', level: 'RF' }) // 3 + 4 + 2 = 9
    // 8 on X, mesh 4: reported at the innermost level it overflows (the MACs), like Timeloop.
    expect(toy.check(mapping(1, 8, 1))).toMatchObject({ ok: false, kind: 'fanout', level: 'MAC' })
    expect(toy.check(mapping(1, 4, 0))).toEqual({ ok: true }) // on Y instead
  })

  it('checks metadata capacity only with the hook', () => {
    const md: ArchSpec = { ...toyArch, storage: toyArch.storage.map((l) => (l.name === 'GLB' ? { ...l, metadataStorageDepth: 4, metadataStorageWidthBits: 8 } : l)) }
    const sparse = { targets: [{ level: 'GLB', formats: [{ tensor: 'Weights', rankApplicationOrder: 'outer-to-inner' as const, ranks: [{ format: 'UOP', metadataWordBits: null, payloadWordBits: null, flattenedRankIds: null }, { format: 'CP', metadataWordBits: 4, payloadWordBits: null, flattenedRankIds: null }] }], actionOptimizations: [], computeOptimizations: [] }] }
    const m = toy.sample(createRng(2))
    const hooked = createMapspace({ arch: md, problem: conv, constraints: [], sparseOptimizations: sparse, options: { tileMetadataBits: (q) => (q.tensor === 'Weights' ? 64 : 0) } })
    const plain = createMapspace({ arch: md, problem: conv, constraints: [], sparseOptimizations: sparse })
    const kept: MappingSpec = { levels: m.levels.map((lm) => (lm.target === 'GLB' ? { ...lm, keep: ['Weights'], bypass: ['Inputs', 'Outputs'] } : lm)) }
    expect(hooked.check(kept)).toMatchObject({ ok: false, kind: 'metadata-capacity', level: 'GLB' })
    expect(plain.check(kept).ok === true || plain.check(kept).ok === false).toBe(true)
    expect(plain.check(kept)).not.toMatchObject({ kind: 'metadata-capacity' })
  })
})

describe('robustness', () => {
  test.prop([fc.array(fc.tuple(fc.nat(3), fc.constantFrom('M', 'N', 'K', 'Q'), fc.integer({ min: -2, max: 70 })), { maxLength: 4 })])(
    'check returns a verdict for any edited mapping, never throws',
    (edits) => {
      const base = stc.sample(createRng(9))
      const levels = base.levels.map((lm) => ({ ...lm, temporalFactors: { ...lm.temporalFactors } }))
      for (const [i, dim, value] of edits) (levels[i]!.temporalFactors as Record<string, number>)[dim] = value
      const verdict = stc.check({ levels })
      expect(typeof verdict.ok).toBe('boolean')
      if (edits.length === 0) expect(verdict.ok).toBe(true)
    },
  )
})

describe('invalid specs', () => {
  const build = (constraints: ConstraintSpec[]) => () => createMapspace({ arch: toyArch, problem: conv, constraints })
  const expectInvalid = (fn: () => unknown, path: readonly (string | number)[], message: RegExp) => {
    try {
      fn()
      expect.unreachable('should throw')
    } catch (error) {
      expect(error).toBeInstanceOf(SnipSnapError)
      expect((error as SnipSnapError).code).toBe('INVALID_SPEC')
      expect((error as SnipSnapError).path).toEqual(path)
      expect((error as SnipSnapError).message).toMatch(message)
    }
  }
  it('names the bad constraint field', () => {
    expectInvalid(build([constraint({ target: 'GLB', type: 'temporal', factors: { P: { exact: 3, max: null } } })]), ['constraints', 0, 'factors', 'P'], /does not divide/)
    expectInvalid(build([constraint({ target: 'GLB', type: 'temporal', permutation: ['P', 'X'] })]), ['constraints', 0, 'permutation'], /unknown dimension "X"/)
    expectInvalid(build([constraint({ target: 'L9', type: 'temporal' })]), ['constraints', 0, 'target'], /unknown storage level/)
    expectInvalid(build([constraint({ target: 'GLB', type: 'spatial', factors: { P: { exact: 16, max: null }, K: { exact: 2, max: null } } })]), ['constraints', 0, 'factors'], /fan-out 16/)
    expectInvalid(
      build([constraint({ target: 'GLB', type: 'spatial', factors: { P: { exact: 8, max: null } }, permutation: ['P', 'R', 'K'], split: 1 })]),
      ['constraints', 0, 'split'],
      /need 8×1 \(X×Y\) with split 1, its fan-out is 4×4/,
    )
    expectInvalid(build([constraint({ target: 'DRAM', type: 'spatial', factors: { P: { exact: 2, max: null } } })]), ['constraints', 0, 'factors', 'P'], /no fan-out/)
    expectInvalid(build([constraint({ target: 'GLB', type: 'bypass', keep: ['Weights'], bypass: ['Weights'] })]), ['constraints', 0, 'bypass'], /both kept and bypassed/)
    expectInvalid(
      build([
        constraint({ target: 'GLB', type: 'temporal', factors: { P: { exact: 4, max: null } } }),
        constraint({ target: 'GLB', type: 'temporal', factors: { P: { exact: 2, max: null } } }),
      ]),
      ['constraints', 1, 'factors', 'P'],
      /conflicting/,
    )
  })
  it('rejects fixed factors whose product is not the bound', () => {
    expectInvalid(
      build([
        constraint({ target: 'DRAM', type: 'temporal', factors: { P: { exact: 2, max: null } } }),
        constraint({ target: 'GLB', type: 'temporal', factors: { P: { exact: 2, max: null } } }),
        constraint({ target: 'GLB', type: 'spatial', factors: { P: { exact: 1, max: null } } }),
        constraint({ target: 'RF', type: 'temporal', factors: { P: { exact: 2, max: null } } }),
      ]),
      ['constraints'],
      /no tiling of P=16/,
    )
  })
})

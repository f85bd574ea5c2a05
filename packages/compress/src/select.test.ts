import { test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { createSelectionCache, optimizeFormats, selectFormats } from '@snipsnap/compress'
import { createTrafficCostModel, arbGemmDesign, gemmDesign } from '@snipsnap/compress/testing'
import { defineCostModel, SnipSnapError, type DesignSpec, type TensorFormatSpec } from '@snipsnap/core'
import { fig1Design } from './internal/fig1-fixture'
import { toQuery, valid } from './internal/test-helpers'

const costModel = createTrafficCostModel()
const tiled = () =>
  gemmDesign({
    M: 64, N: 64, K: 64, densityA: 0.1, densityB: 0.5,
    factors: { DRAM: { M: 8, N: 8 }, GLB: { M: 8, K: 4 }, PE: { N: 8, K: 16 } },
  })

describe('selectFormats', () => {
  test.prop([arbGemmDesign()])('is never worse than any feasible fixed baseline under the same cost model', (design) => {
    const r = selectFormats({ query: toQuery(design), costModel }, { maxPasses: 1, topK: 2 })
    if (!r.valid) {
      // Only when nothing at all is feasible.
      expect(r.baselines.every((b) => !b.feasible)).toBe(true)
      return
    }
    for (const b of r.baselines) {
      if (b.feasible) expect(r.objectivePJ).toBeLessThanOrEqual(b.objectivePJ!)
    }
    // The reported energy is the cost model's energy for the reported formats.
    const again = costModel.evaluate({ ...toQuery(design), sparseOptimizations: r.sparseOptimizations }, undefined)
    expect(again.valid && again.energyPJ).toBeCloseTo(r.energyPJ, 6)
  })

  test.prop([arbGemmDesign()], { numRuns: 20 })('is deterministic: same input, same output', (design) => {
    const a = selectFormats({ query: toQuery(design), costModel }, { maxPasses: 1, topK: 2 })
    const b = selectFormats({ query: toQuery(design), costModel }, { maxPasses: 1, topK: 2 })
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
  })

  it('beats the best fixed baseline on a tiled GEMM with mixed densities and explains each choice', () => {
    const r = valid(selectFormats({ query: toQuery(tiled()), costModel }))
    expect(r.bestFixedFormat).not.toBeNull()
    expect(r.savingVsBestFixedPct).toBeGreaterThanOrEqual(0)
    expect(r.choices.map((c) => `${c.tensor}@${c.level}`)).toEqual(['A@DRAM', 'A@GLB', 'A@PE', 'B@DRAM', 'B@GLB', 'B@PE'])
    for (const c of r.choices) {
      expect(c.reason.length).toBeGreaterThan(10)
      expect(Number.isFinite(c.energyPJ)).toBe(true)
      expect(c.text).toMatch(/^(uncompressed|[A-Z]+\([A-Z0-9,]+\)(-[A-Z]+\([A-Z0-9,]+\))*)$/)
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('costs far fewer candidates than the exhaustive space and gets within 1% of its optimum', () => {
    const design = gemmDesign({
      M: 32, N: 32, K: 32, densityA: 0.08, densityB: 0.3,
      factors: { DRAM: { M: 4, N: 32 }, GLB: { M: 8 }, PE: { K: 32 } },
    })
    const r = valid(selectFormats({ query: toQuery(design), costModel }, { exhaustive: true, exhaustiveCap: 200_000 }))
    expect(r.exhaustiveCandidates).toBeGreaterThan(500)
    expect(r.exhaustiveOptimumPJ).not.toBeNull()
    expect(r.objectivePJ).toBeGreaterThanOrEqual(r.exhaustiveOptimumPJ! * (1 - 1e-12))
    expect(r.objectivePJ).toBeLessThanOrEqual(r.exhaustiveOptimumPJ! * 1.01)
    expect(r.candidatesCosted).toBeLessThanOrEqual(0.05 * r.exhaustiveCandidates!)
  })

  it('per-tensor exhaustive mode finds the joint optimum when tensors do not interact, at a fraction of the cost', () => {
    const design = gemmDesign({
      M: 32, N: 32, K: 32, densityA: 0.08, densityB: 0.3,
      factors: { DRAM: { M: 4, N: 32 }, GLB: { M: 8 }, PE: { K: 32 } },
    })
    const joint = valid(selectFormats({ query: toQuery(design), costModel }, { exhaustive: true, exhaustiveCap: 200_000 }))
    const perTensor = valid(selectFormats({ query: toQuery(design), costModel }, { exhaustive: true, exhaustiveMode: 'per-tensor' }))
    expect(perTensor.exhaustiveMode).toBe('per-tensor')
    expect(perTensor.exhaustiveOptimumPJ).toBeCloseTo(joint.exhaustiveOptimumPJ!, 3)
    expect(perTensor.exhaustiveOptimumPJ!).toBeLessThanOrEqual(perTensor.objectivePJ)
    expect(perTensor.exhaustiveCandidates!).toBeLessThan(joint.exhaustiveCandidates! / 10)
  })

  it('refuses an exhaustive space above the cap with a clear error', () => {
    expect(() => selectFormats({ query: toQuery(tiled()), costModel }, { exhaustive: true, exhaustiveCap: 10 })).toThrowError(
      /exhaustive space has \d+ combinations.*above exhaustiveCap 10/,
    )
  })

  it('keeps the design’s own formats when they are best, and reports them as `given`', () => {
    const design = tiled()
    const first = valid(selectFormats({ query: toQuery(design), costModel }))
    const again = valid(selectFormats({ query: { ...toQuery(design), sparseOptimizations: first.sparseOptimizations }, costModel }))
    expect(again.given?.objectivePJ).toBeCloseTo(first.objectivePJ, 6)
    expect(again.objectivePJ).toBeLessThanOrEqual(first.objectivePJ)
  })

  it('rejects formats without metadata where a skipping SAF is conditioned on the tensor', () => {
    const base = tiled()
    const design: DesignSpec = {
      ...base,
      sparseOptimizations: {
        targets: [{ level: 'PE', formats: [], computeOptimizations: [], actionOptimizations: [{ type: 'skipping', options: [{ target: 'B', conditionOn: ['A'] }] }] }],
      },
    }
    const r = valid(selectFormats({ query: toQuery(design), costModel }))
    expect(r.baselines.find((b) => b.name === 'uncompressed')?.feasible).toBe(false)
    expect(r.baselines.find((b) => b.name === 'uncompressed')?.reason).toMatch(/skipping of B is conditioned on A/)
    const a = r.choices.find((c) => c.tensor === 'A' && c.level === 'PE')!
    expect(a.format?.ranks.some((rank) => ['CP', 'B', 'RLE', 'UB'].includes(rank.format))).toBe(true)
    expect(r.sparseOptimizations.targets.find((t) => t.level === 'PE')?.actionOptimizations).toHaveLength(1)
  })

  it('never feeds an uncompressed child that cannot decompress from a compressed level', () => {
    // PE keeps A and B with a one-element tile (no ranks).
    const base = gemmDesign({
      M: 16, N: 16, K: 16, densityA: 0.1, densityB: 0.1, decompressionSupported: false,
      factors: { DRAM: { M: 16, N: 16 }, GLB: { K: 16 }, PE: {} },
    })
    const bitmask = { format: 'B', metadataWordBits: 1, payloadWordBits: 0, flattenedRankIds: null }
    const design: DesignSpec = {
      ...base,
      sparseOptimizations: { targets: [{ level: 'GLB', formats: [{ tensor: 'A', rankApplicationOrder: 'outer-to-inner', ranks: [bitmask] }], actionOptimizations: [], computeOptimizations: [] }] },
    }
    const r = valid(selectFormats({ query: toQuery(design), costModel }))
    expect(r.given?.feasible).toBe(false)
    expect(r.given?.reason).toMatch(/PE cannot decompress A from GLB/)
    expect(r.candidatesRejectedByHardware).toBeGreaterThan(0)
    // Compressed levels hand their one-element child a dummy rank of the same primitive instead.
    let compressedAtGlb = 0
    for (const tensor of ['A', 'B']) {
      const glb = r.choices.find((c) => c.tensor === tensor && c.level === 'GLB')!
      const pe = r.choices.find((c) => c.tensor === tensor && c.level === 'PE')!
      if (glb.format?.ranks.some((x) => ['CP', 'B', 'RLE'].includes(x.format))) {
        compressedAtGlb++
        expect(pe.format?.ranks).toHaveLength(1)
        expect(pe.text).toMatch(/^(CP|B|RLE)\(1\)$/)
      }
    }
    expect(compressedAtGlb).toBeGreaterThan(0)
  })

  it('costs candidates from a plugged-in source', () => {
    const seen: string[] = []
    const candidates = (slot: { level: string; tensor: string }): TensorFormatSpec[] => {
      seen.push(`${slot.tensor}@${slot.level}`)
      return []
    }
    valid(selectFormats({ query: toQuery(tiled()), costModel }, { candidates }))
    expect(seen).toContain('A@PE')
  })

  it('answers identical designs from the cache', () => {
    const cache = createSelectionCache()
    const calls = { n: 0 }
    const counting = defineCostModel({ id: 'counting', supports: () => true, evaluate: (q) => (calls.n++, costModel.evaluate(q, undefined)) })
    const a = selectFormats({ query: toQuery(tiled()), costModel: counting, cache })
    const n = calls.n
    const b = selectFormats({ query: toQuery(tiled()), costModel: counting, cache })
    expect(calls.n).toBe(n)
    expect(b).toBe(a)
  })

  it('returns an infeasible value, not a throw, when nothing fits', () => {
    const nothingFits = defineCostModel({ id: 'never', supports: () => true, evaluate: () => ({ valid: false, kind: 'capacity', reason: 'too small' }) })
    const r = selectFormats({ query: toQuery(tiled()), costModel: nothingFits })
    expect(r.valid).toBe(false)
    expect(!r.valid && r.reason).toMatch(/no feasible format assignment/)
  })
})

describe('negligible tensors', () => {
  // Decode-like: A is one row, so its memory energy is a sliver of B's.
  const decode = () =>
    gemmDesign({ M: 1, N: 1024, K: 256, densityA: 0.1, densityB: 0.5, factors: { DRAM: { N: 64 }, GLB: { N: 4, K: 4 }, PE: { N: 4, K: 64 } } })

  it('does not search a tensor whose share of memory energy is within negligibleShare, and forgoes at most that share', () => {
    const skipping = valid(selectFormats({ query: toQuery(decode()), costModel }, { negligibleShare: 0.01 }))
    const searching = valid(selectFormats({ query: toQuery(decode()), costModel }, { negligibleShare: 0 }))
    const aShare = skipping.choices.filter((c) => c.tensor === 'A').reduce((s, c) => s + c.energyPJ, 0) / skipping.memoryEnergyPJ
    expect(aShare).toBeGreaterThan(0)
    expect(aShare).toBeLessThanOrEqual(0.01)
    for (const c of skipping.choices.filter((c) => c.tensor === 'A' && c.text !== 'uncompressed' && !c.reason.startsWith('one-element'))) {
      expect(c.reason).toMatch(/negligible share of memory energy/)
    }
    expect(skipping.candidatesCosted).toBeLessThan(searching.candidatesCosted)
    expect(skipping.memoryEnergyPJ).toBeLessThanOrEqual(searching.memoryEnergyPJ * (1 + aShare))
    for (const b of skipping.baselines) if (b.feasible) expect(skipping.objectivePJ).toBeLessThanOrEqual(b.objectivePJ!)
  })
})

describe('bad input', () => {
  it('names a density outside [0, 1]', () => {
    const d = tiled()
    const bad = { ...d, problem: { ...d.problem, densities: { ...d.problem.densities, A: { distribution: 'hypergeometric', density: 1.5, params: {} } } } }
    expect(() => selectFormats({ query: toQuery(bad), costModel })).toThrowError(/density of A must be in \[0, 1\]/)
  })

  it('names a bad option', () => {
    try {
      selectFormats({ query: toQuery(tiled()), costModel }, { topK: 0 })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(SnipSnapError)
      expect((e as SnipSnapError).path).toEqual(['options', 'topK'])
    }
    expect(() => selectFormats({ query: toQuery(tiled()), costModel }, { negligibleShare: -0.1 })).toThrowError(SnipSnapError)
  })

  it('names an unknown tensor and a missing mapping', () => {
    expect(() => selectFormats({ query: toQuery(tiled()), costModel }, { tensors: ['Q'] })).toThrowError(/unknown tensor "Q"/)
    expect(() => optimizeFormats({ design: { ...tiled(), mapping: null }, costModel })).toThrowError(/no mapping/)
  })

  it('refuses a query the cost model does not support', () => {
    const picky = defineCostModel({ id: 'picky', supports: () => false, evaluate: () => ({ valid: false, kind: 'x', reason: 'x' }) })
    expect(() => selectFormats({ query: toQuery(tiled()), costModel: picky })).toThrowError(/does not support/)
  })
})

describe('optimizeFormats on Sparseloop Fig.1 with the test cost model', () => {
  it('chooses per-level formats for A and B and leaves dense Z alone', () => {
    const r = valid(optimizeFormats({ design: fig1Design(), costModel }))
    expect(r.choices.map((c) => `${c.tensor}@${c.level}`)).toEqual(['A@BackingStorage', 'A@Buffer', 'B@BackingStorage', 'B@Buffer'])
    expect(r.memoryEnergyPJ).toBeLessThan(r.baselines.find((b) => b.name === 'uncompressed')!.memoryEnergyPJ!)
  })
})

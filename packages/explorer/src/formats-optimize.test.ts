// Whole-model format optimisation on real zoo workloads: the engine is never worse than the best
// fixed format (per layer and per model), the exhaustive optimum bounds it from below, the
// measured-data path works on the llama2.c checkpoint, and bad inputs name the field.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bitsFor, createRegistry, defineFormatPrimitive, SnipSnapError, type FormatPrimitive } from '@snipsnap/core'
import { createFormatRegistry, runLength } from '@snipsnap/format'
import { optimizeModelFormats, type ModelFormatsResult } from '@snipsnap/explorer'
import { buildWorkload, measuredWeightSparsity, pruneMagnitude, readTensors } from '@snipsnap/workloads'

// A small mapping search keeps each model run well under a second; the mapping only has to be the
// same for every compared option, which holds whatever its quality.
const quick = { samples: 6, mutations: 6 } as const
const BASELINES = ['uncompressed', 'bitmap', 'csr', 'coo', 'rle'] as const
const TOLERANCE = 1e-9

const expectNeverWorse = (r: ModelFormatsResult): void => {
  for (const layer of r.layers) {
    const feasible = BASELINES.map((b) => layer.baselines[b]).filter((e): e is number => e !== null)
    expect(feasible.length, `${layer.name}: some baseline is feasible`).toBeGreaterThan(0)
    expect(layer.memoryEnergyPJ, `${layer.name} engine vs best fixed`).toBeLessThanOrEqual(Math.min(...feasible) * (1 + TOLERANCE))
  }
  const s = r.summary
  for (const b of BASELINES) {
    const e = s.baselines[b]
    if (e !== null) expect(s.memoryEnergyPJ, `model engine vs ${b}`).toBeLessThanOrEqual(e * (1 + TOLERANCE))
  }
  expect(s.bestFixedFormat).not.toBeNull()
  expect(s.savingVsBestFixedPct).toBeGreaterThanOrEqual(-TOLERANCE)
  expect(Number.isFinite(s.memoryEnergyPJ)).toBe(true)
}

// Property over a grid of real runs (small models, every table preset, both phases): each run takes
// ~0.5–2 s of costing, so the grid replaces fast-check's 100 random draws on the shared 2-core box.
const GRID: readonly [string, string | readonly string[], 'prefill' | 'decode'][] = [
  ['opt-125m', 'unstructured-50', 'prefill'],
  ['opt-125m', 'nm-2-4', 'decode'],
  ['opt-125m', 'activation-90', 'prefill'],
  ['opt-125m', ['unstructured-90', 'activation-50'], 'decode'],
  ['gpt-2', 'activation-50', 'decode'],
  ['gpt-2', ['nm-2-4', 'activation-90'], 'prefill'],
]

describe('optimizeModelFormats', () => {
  it.each(GRID)('%s × %s × %s: the engine is never worse than any fixed format, per layer and per model', (model, sparsity, phase) => {
    const r = optimizeModelFormats({ model, sparsity, phase, seqLen: 16, kvLen: 64, mappingSearch: quick })
    expect(r.layers.length).toBe(buildWorkload({ model, phase, seqLen: 16, kvLen: 64 }).layers.length)
    expectNeverWorse(r)
    // Weighting: the summary is Σ energy × count of the per-layer results.
    const sum = r.layers.reduce((acc, l) => acc + l.memoryEnergyPJ * l.count, 0)
    expect(r.summary.memoryEnergyPJ).toBeCloseTo(sum, 0)
    // Identical GEMMs are selected once: their reruns cost nothing.
    expect(r.layers.filter((l) => l.reused).every((l) => l.candidatesCosted === 0)).toBe(true)
    expect(r.summary.candidatesCosted).toBeGreaterThan(0)
  })

  it('sparse tensors make every compressed baseline and the engine cheaper than uncompressed at 10% density', () => {
    const r = optimizeModelFormats({ model: 'opt-125m', sparsity: 'unstructured-90', phase: 'decode', mappingSearch: quick })
    const s = r.summary
    expect(s.savingVsBaselinesPct.uncompressed).toBeGreaterThan(10)
    expect(s.bestFixedFormat).not.toBe('uncompressed')
  })

  it('the exhaustive optimum bounds the engine from below and counts far more candidates than the engine costs', () => {
    const r = optimizeModelFormats({
      model: 'stories-260k', sparsity: ['unstructured-50', 'activation-50'], phase: 'decode', kvLen: 32, exhaustive: true, mappingSearch: quick,
    })
    expectNeverWorse(r)
    const s = r.summary
    expect(s.exhaustiveOptimumPJ).not.toBeNull()
    expect(s.exhaustiveOptimumPJ as number).toBeLessThanOrEqual(s.memoryEnergyPJ * (1 + TOLERANCE))
    expect(s.gapToExhaustivePct).toBeGreaterThanOrEqual(-TOLERANCE)
    expect(s.exhaustiveCandidates as number).toBeGreaterThan(s.candidatesCosted)
    expect(s.candidatesSkipped).toBe((s.exhaustiveCandidates as number) - s.candidatesCosted)
    for (const l of r.layers) if (l.exhaustiveOptimumPJ != null) expect(l.exhaustiveOptimumPJ).toBeLessThanOrEqual(l.memoryEnergyPJ * (1 + TOLERANCE))
  })

  it("builds candidates from the format registry it is given, with that registry's word widths", () => {
    const run = (formats?: ReturnType<typeof createFormatRegistry>) =>
      optimizeModelFormats({ model: 'stories-260k', sparsity: 'activation-90', phase: 'decode', kvLen: 32, mappingSearch: quick, ...(formats ? { formats } : {}) })
    const builtIn = run()
    expect(builtIn.formatSpace.primitives).toEqual(['U', 'UOP', 'UB', 'CP', 'B', 'RLE', 'NM'])
    expect(builtIn.formatSpace.notes).toEqual([])
    // A registry whose RLE spends 12 bits per run: the fixed RLE baseline costs more metadata.
    const wideRuns = defineFormatPrimitive({ ...runLength, defaultWordBits: ({ maxOffset }) => ({ metadataBits: 12, payloadBits: bitsFor(maxOffset) }) })
    const registry = createRegistry<FormatPrimitive>('format-primitive')
    for (const p of createFormatRegistry().list()) registry.register(p.symbol === 'RLE' ? wideRuns : p)
    const wide = run(registry)
    expect(wide.summary.baselines.rle as number).toBeGreaterThan(builtIn.summary.baselines.rle as number)
    expect(wide.summary.baselines.bitmap).toBe(builtIn.summary.baselines.bitmap)
    expectNeverWorse(wide)
  })

  it('places the built-in NM primitive on the grouped dimension of N:M tensors, resolved through the registry', () => {
    const r = optimizeModelFormats({
      model: 'stories-260k', sparsity: 'nm-2-4', phase: 'decode', kvLen: 32, mappingSearch: quick,
      selectOptions: { primitives: ['U', 'NM'], baselines: ['uncompressed'] },
    })
    expect(r.formatSpace.primitives).toEqual(['U', 'NM'])
    expectNeverWorse(r)
    const nm = r.layers.flatMap((l) => l.choices).filter((c) => c.format.includes('NM('))
    expect(nm.length).toBeGreaterThan(0)
    // Only on the weights (B[K][N], 2:4 along K), only as the innermost rank, over K alone, with n and m from the density params.
    for (const c of nm) {
      expect(c.tensor).toBe('B')
      expect(c.format).toMatch(/-NM\(K\d*\)\[m=4,n=2\]$/)
    }
    expect(r.summary.savingVsBaselinesPct.uncompressed as number).toBeGreaterThan(10)
    expect(() =>
      optimizeModelFormats({ model: 'stories-260k', sparsity: 'nm-2-4', phase: 'decode', kvLen: 32, mappingSearch: quick, selectOptions: { primitives: ['U', 'NMX'] } }),
    ).toThrow(/unknown rank format "NMX"; registered: U, UOP, CP, B, RLE, UB, NM/)
  })

  it('is deterministic and plain JSON', () => {
    const a = optimizeModelFormats({ model: 'gpt-2', sparsity: 'nm-2-4', phase: 'decode', kvLen: 32, mappingSearch: quick })
    const b = optimizeModelFormats({ model: 'gpt-2', sparsity: 'nm-2-4', phase: 'decode', kvLen: 32, mappingSearch: quick })
    expect(JSON.parse(JSON.stringify(a))).toEqual(b)
  })

  it('real data: stories260K weights pruned 50% by magnitude, measured masks, formats chosen', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../../..', 'shared', 'data', 'stories260K.bin')))
    const tensors = (await readTensors(bytes, { fileName: 'stories260K.bin' })).map((t) =>
      t.shape.length === 2 ? pruneMagnitude(t, { sparsity: 0.5 }) : t,
    )
    const workload = buildWorkload({ model: 'stories-260k', phase: 'decode', kvLen: 32 })
    const layerSparsity = measuredWeightSparsity(workload, { tensors })
    const r = optimizeModelFormats({ model: 'stories-260k', phase: 'decode', kvLen: 32, layerSparsity, mappingSearch: quick })
    expect(r.sparsity).toEqual(['measured'])
    const weights = r.layers.filter((l) => l.op === 'linear')
    expect(weights.length).toBeGreaterThan(0)
    for (const l of weights) expect(l.densities.B).toBeCloseTo(0.5, 2)
    expectNeverWorse(r)
    // A 50% mask is worth compressing: the engine beats storing it uncompressed.
    expect(r.summary.savingVsBaselinesPct.uncompressed).toBeGreaterThan(5)
    expect(weights.some((l) => l.choices.some((c) => c.tensor === 'B'))).toBe(true)
  })

  it.each([
    [{ model: 'llama-9b', sparsity: 'unstructured-50' }, 'PLUGIN_NOT_FOUND'],
    [{ model: 'opt-125m', sparsity: 'unstructured-55' }, 'PLUGIN_NOT_FOUND'],
    [{ model: 'opt-125m', sparsity: 'dense', arch: 'tpu-v9' }, 'PLUGIN_NOT_FOUND'],
    [{ model: 'opt-125m', sparsity: 'dense', phase: 'training' as 'prefill' }, 'INVALID_SPEC'],
    [{ model: 'opt-125m' }, 'INVALID_SPEC'],
    [{ model: 'opt-125m', sparsity: 'dense', seqLen: -4 }, 'INVALID_SPEC'],
    [{ model: 'opt-125m', sparsity: 'dense', mappingSearch: { samples: 0 } }, 'INVALID_SPEC'],
  ])('rejects %j with %s', (input, code) => {
    expect(() => optimizeModelFormats({ ...input, mappingSearch: { ...quick, ...('mappingSearch' in input ? input.mappingSearch : {}) } })).toThrow(
      expect.objectContaining({ code }) as unknown as SnipSnapError,
    )
  })

  it('AlexNet: native convolutions end to end (conv shape named, formats on the conv tensors\' ranks); im2col gives the GEMMs back', () => {
    const sparsity = ['unstructured-50', 'relu-50']
    const native = optimizeModelFormats({ model: 'alexnet', sparsity, mappingSearch: quick })
    expect(native.lowering).toBe('native')
    expectNeverWorse(native)
    const conv3 = native.layers.find((l) => l.name === 'conv3')
    expect(conv3?.conv).toMatchObject({ C: 256, M: 384, R: 3, S: 3, P: 13, Q: 13 })
    expect(conv3?.shape).toBe('N1 C256 M384 R3 S3 P13 Q13 s1')
    expect(conv3?.densities).toMatchObject({ Weights: 0.5, Inputs: 0.5 })
    // Grouped layers keep their groups; FC layers stay GEMMs.
    expect(native.layers.find((l) => l.name === 'conv2')?.shape).toMatch(/^G2 /)
    expect(native.layers.filter((l) => l.conv === null).map((l) => l.name)).toEqual(['fc6', 'fc7', 'fc8'])
    // The engine's formats sit on the conv tensors, over the conv dimensions' ranks.
    const convChoices = native.layers.filter((l) => l.conv !== null).flatMap((l) => l.choices)
    expect(convChoices.length).toBeGreaterThan(0)
    for (const c of convChoices) expect(['Inputs', 'Weights', 'Outputs']).toContain(c.tensor)
    expect(JSON.parse(JSON.stringify(native))).toEqual(native)

    const im2col = optimizeModelFormats({ model: 'alexnet', sparsity, lowering: 'im2col', mappingSearch: quick })
    expect(im2col.lowering).toBe('im2col')
    expect(im2col.layers.every((l) => l.conv === null && l.shape === `${l.M}×${l.K}×${l.N}`)).toBe(true)
    expect(im2col.layers.find((l) => l.name === 'conv3')?.shape).toBe('169×2304×384')
  }, 300_000)

  it('rejects a density outside [0, 1] in a custom preset, naming the field', () => {
    const preset = { id: 'bad', description: 'x', source: 'test', rules: [{ roles: ['weight' as const], phases: ['decode' as const], distribution: 'hypergeometric', density: 1.5 }] }
    expect(() => optimizeModelFormats({ model: 'opt-125m', sparsity: preset, phase: 'decode', mappingSearch: quick })).toThrow(SnipSnapError)
  })
})

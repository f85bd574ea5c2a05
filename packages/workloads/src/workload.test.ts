// Zoo shapes against the worked sizes of shared/docs/workloads.md §1.4–1.5 (reference values
// copied below with their rounding: a computed value must round to the printed one, and the
// LLaMA-2-7B prefill linear MACs must also be within 0.1%), plus decode/GQA shapes and errors.
import { describe, expect, it } from 'vitest'
import { isSnipSnapError } from '@snipsnap/core'
import {
  applySparsity,
  buildWorkload,
  gemmMacs,
  gemmToProblem,
  getModel,
  kvCacheBytesPerToken,
  linearGemm,
  listModels,
  TENSOR_ROLES,
  workloadMacs,
  type GemmLayer,
} from '@snipsnap/workloads'

/** workloads.md §1.4: [id, prefill L=2048 linear G, prefill attention G, decode B=1 T=2048 linear M, decode attention M, KV KiB/token]. */
const worked: readonly (readonly [string, number, number, number, number, number])[] = [
  ['llama-1-7b', 414.5, 34.4, 202.4, 16.8, 512],
  ['llama-1-13b', 649.6, 42.9, 317.2, 21.0, 800],
  ['llama-1-65b', 1657.9, 68.7, 809.5, 33.6, 2560],
  ['llama-2-7b', 414.5, 34.4, 202.4, 16.8, 512],
  ['llama-2-13b', 649.6, 42.9, 317.2, 21.0, 800],
  ['llama-2-70b', 1752.3, 68.7, 855.6, 33.6, 320],
  ['llama-3-8b', 446.7, 34.4, 218.1, 16.8, 128],
  ['opt-125m', 14.5, 6.4, 7.1, 3.1, 36],
  ['opt-1.3b', 103.1, 17.2, 50.3, 8.4, 192],
  ['opt-6.7b', 412.3, 34.4, 201.3, 16.8, 512],
  ['opt-13b', 644.2, 42.9, 314.6, 21.0, 800],
]

/** Σ MACs per decoder layer of the GEMMs selected by `pick`. */
const perLayer = (layers: readonly GemmLayer[], nLayers: number, pick: (l: GemmLayer) => boolean): number =>
  layers.filter(pick).reduce((sum, l) => sum + gemmMacs(l) * l.count, 0) / nLayers

const isLinear = (l: GemmLayer) => l.op === 'linear'
const isAttention = (l: GemmLayer) => l.op === 'attention-scores' || l.op === 'attention-context'

/** The computed value rounds to the printed one (half a unit of its last digit, 1 decimal). */
const expectRoundsTo = (computed: number, printed: number) => expect(Math.abs(computed - printed)).toBeLessThanOrEqual(0.05 + 1e-9)

describe('worked sizes of workloads.md §1.4', () => {
  it.each(worked)('%s', (id, prefillLinearG, prefillAttentionG, decodeLinearM, decodeAttentionM, kvKiB) => {
    const model = getModel(id)
    if (model.kind !== 'transformer') throw new Error('not a transformer')
    const n = model.hyper.layers
    const prefill = buildWorkload({ model: id, phase: 'prefill', seqLen: 2048 })
    const decode = buildWorkload({ model: id, phase: 'decode', batch: 1, kvLen: 2048 })
    expectRoundsTo(perLayer(prefill.layers, n, isLinear) / 1e9, prefillLinearG)
    expectRoundsTo(perLayer(prefill.layers, n, isAttention) / 1e9, prefillAttentionG)
    expectRoundsTo(perLayer(decode.layers, n, isLinear) / 1e6, decodeLinearM)
    expectRoundsTo(perLayer(decode.layers, n, isAttention) / 1e6, decodeAttentionM)
    expect(kvCacheBytesPerToken(id) / 1024).toBe(kvKiB)
  })

  it('LLaMA-2-7B prefill L=2048 linear MACs per layer is 414.5 G within 0.1%', () => {
    const macs = perLayer(buildWorkload({ model: 'llama-2-7b', phase: 'prefill', seqLen: 2048 }).layers, 32, isLinear)
    expect(Math.abs(macs / 414.5e9 - 1)).toBeLessThan(0.001)
  })

  it('BERT-base (L=512) and GPT-2 small (L=1024) prefill', () => {
    const bert = buildWorkload({ model: 'bert-base', phase: 'prefill', seqLen: 512 })
    expectRoundsTo(perLayer(bert.layers, 12, isLinear) / 1e9, 3.6)
    expectRoundsTo(perLayer(bert.layers, 12, isAttention) / 1e9, 0.4)
    const gpt2 = buildWorkload({ model: 'gpt-2', phase: 'prefill', seqLen: 1024 })
    expectRoundsTo(perLayer(gpt2.layers, 12, isLinear) / 1e9, 7.2)
    expectRoundsTo(perLayer(gpt2.layers, 12, isAttention) / 1e9, 1.6)
    // GPT-2's context is 1024, so decode attention is checked at T = 1024: half of the 3.1 M printed for T = 2048.
    const decode = buildWorkload({ model: 'gpt-2', phase: 'decode', kvLen: 1024 })
    expectRoundsTo(perLayer(decode.layers, 12, isLinear) / 1e6, 7.1)
    expect(perLayer(decode.layers, 12, isAttention)).toBe(2 * 12 * 64 * 1024)
  })
})

describe('CNN baselines (workloads.md §1.5)', () => {
  it('ResNet-50: 53 convs + 1 FC, ≈ 4.09 GMACs per image', () => {
    const workload = buildWorkload({ model: 'resnet-50', phase: 'prefill' })
    expect(workload.layers.filter((l) => l.op === 'conv').reduce((s, l) => s + l.count, 0)).toBe(53)
    expect(workload.layers.filter((l) => l.op === 'fc')).toHaveLength(1)
    expect(Math.abs(workloadMacs(workload) / 4.09e9 - 1)).toBeLessThan(0.005)
    const conv1 = workload.layers.find((l) => l.name === 'conv1')
    expect([conv1?.M, conv1?.K, conv1?.N]).toEqual([12544, 147, 64])
  })

  it('VGG-16: 13 convs + 3 FC, ≈ 15.47 GMACs; batch scales M', () => {
    const workload = buildWorkload({ model: 'vgg-16', phase: 'prefill' })
    expect(workload.layers.filter((l) => l.op === 'conv').reduce((s, l) => s + l.count, 0)).toBe(13)
    expect(Math.abs(workloadMacs(workload) / 15.47e9 - 1)).toBeLessThan(0.001)
    const batched = buildWorkload({ model: 'vgg-16', phase: 'prefill', batch: 4 })
    expect(workloadMacs(batched)).toBe(4 * workloadMacs(workload))
  })
})

describe('decode and GQA shapes', () => {
  it('LLaMA-2-70B decode: K/V projections 8192→1024, 8 query heads stacked per KV head', () => {
    const workload = buildWorkload({ model: 'llama-2-70b', phase: 'decode', batch: 4, kvLen: 1000 })
    const byName = Object.fromEntries(workload.layers.map((l) => [l.name, l]))
    expect([byName['attn.k_proj']?.M, byName['attn.k_proj']?.K, byName['attn.k_proj']?.N]).toEqual([4, 8192, 1024])
    expect([byName['attn.qk']?.M, byName['attn.qk']?.K, byName['attn.qk']?.N]).toEqual([8, 128, 1000])
    expect([byName['attn.pv']?.M, byName['attn.pv']?.K, byName['attn.pv']?.N]).toEqual([8, 1000, 128])
    expect(byName['attn.qk']?.count).toBe(80 * 8 * 4)
    expect(byName['attn.qk']?.tensors).toEqual({ A: 'query', B: 'key', Z: 'attention-scores' })
    expect(byName['lm_head']?.count).toBe(1)
  })

  it('LLaMA-3-8B and LLaMA-3-70B use GQA with 4 and 8 stacked query heads', () => {
    const qk = (model: string) => buildWorkload({ model, phase: 'decode' }).layers.find((l) => l.name === 'attn.qk')
    expect(qk('llama-3-8b')?.M).toBe(4)
    expect(qk('llama-3-70b')?.M).toBe(8)
    expect(qk('llama-2-7b')?.M).toBe(1)
  })

  it('every decoder model: decode attention MACs = prefill attention MACs per query row × B, same as MHA per head', () => {
    for (const id of listModels()) {
      const model = getModel(id)
      if (model.kind !== 'transformer' || !model.hyper.decoder) continue
      const { heads, headDim, layers } = model.hyper
      const decode = buildWorkload({ model: id, phase: 'decode', batch: 2, kvLen: 512 })
      expect(perLayer(decode.layers, 1, isAttention)).toBe(2 * layers * heads * headDim * 512 * 2)
    }
  })

  it('OPT has fc1/fc2 with the ReLU intermediate as fc2 input; LLaMA has gate/up/down', () => {
    const optNames = buildWorkload({ model: 'opt-6.7b', phase: 'prefill' }).layers.map((l) => l.name)
    expect(optNames).toContain('ffn.fc2')
    const fc2 = buildWorkload({ model: 'opt-6.7b', phase: 'prefill', seqLen: 128 }).layers.find((l) => l.name === 'ffn.fc2')
    expect([fc2?.M, fc2?.K, fc2?.N, fc2?.tensors.A]).toEqual([128, 16384, 4096, 'ffn-activation'])
    const llamaNames = buildWorkload({ model: 'llama-2-7b', phase: 'prefill' }).layers.map((l) => l.name)
    expect(llamaNames).toEqual(expect.arrayContaining(['ffn.gate_proj', 'ffn.up_proj', 'ffn.down_proj']))
  })

  it('every layer names its source', () => {
    for (const id of listModels()) {
      const phase = 'prefill'
      for (const layer of buildWorkload({ model: id, phase, seqLen: 16 }).layers) expect(layer.source.length).toBeGreaterThan(10)
    }
  })
})

describe('gemmToProblem', () => {
  it('builds M, K, N with A[M][K], B[K][N] and read-write Z[M][N]', () => {
    const layer = buildWorkload({ model: 'llama-2-7b', phase: 'decode' }).layers[0]
    if (layer === undefined) throw new Error('no layer')
    const problem = gemmToProblem(layer, { B: { distribution: 'hypergeometric', density: 0.5, params: {} } })
    expect(problem.bounds).toEqual({ M: 1, K: 4096, N: 4096 })
    expect(problem.dataSpaces.map((d) => [d.name, d.projection.map((p) => p[0]?.dim).join(''), d.readWrite])).toEqual([
      ['A', 'MK', false],
      ['B', 'KN', false],
      ['Z', 'MN', true],
    ])
    expect(problem.densities['B']?.density).toBe(0.5)
  })

  it('rejects a density outside [0, 1] naming the tensor', () => {
    try {
      gemmToProblem({ name: 'x', M: 1, K: 2, N: 3 }, { A: { distribution: 'hypergeometric', density: 1.5, params: {} } })
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && [error.code, error.path.join('.')]).toEqual(['INVALID_SPEC', 'densities.A.density'])
    }
  })
})

describe('bad input', () => {
  const codeAndPath = (fn: () => unknown) => {
    try {
      fn()
    } catch (error) {
      if (isSnipSnapError(error)) return { code: error.code, path: error.path.join('.'), message: error.message }
      throw error
    }
    throw new Error('nothing thrown')
  }

  it('unknown model → PLUGIN_NOT_FOUND listing the known ids', () => {
    const error = codeAndPath(() => buildWorkload({ model: 'llama-4-400b', phase: 'prefill' }))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('llama-2-7b')
    expect(error.message).toContain('opt-6.7b')
  })

  it.each([
    [{ model: 'llama-2-7b', phase: 'prefill', seqLen: 0 }, 'seqLen'],
    [{ model: 'llama-2-7b', phase: 'prefill', seqLen: 10.5 }, 'seqLen'],
    [{ model: 'llama-2-7b', phase: 'decode', batch: -1 }, 'batch'],
    [{ model: 'llama-2-7b', phase: 'decode', kvLen: 8192 }, 'kvLen'],
    [{ model: 'bert-base', phase: 'decode' }, 'phase'],
    [{ model: 'resnet-50', phase: 'decode' }, 'phase'],
    [{ model: 'llama-2-7b', phase: 'train' }, 'phase'],
  ] as const)('%o → INVALID_SPEC at %s', (options, field) => {
    const error = codeAndPath(() => buildWorkload(options as never))
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.path).toBe(field)
  })
})

describe('a GEMM given by its shape (linearGemm)', () => {
  it('is a linear layer whose operands have the roles sparsity presets select', () => {
    const gemm = linearGemm({ name: 'q_proj', M: 128, K: 4096, N: 4096 }, 'study.yaml')
    expect(gemm).toEqual({ name: 'q_proj', op: 'linear', M: 128, K: 4096, N: 4096, count: 1, tensors: { A: 'activation', B: 'weight', Z: 'output' }, source: 'study.yaml' })
    for (const role of Object.values(gemm.tensors)) expect(TENSOR_ROLES).toContain(role)
    const [sparsity] = applySparsity({ phase: 'decode', layers: [gemm] }, ['unstructured-50', 'activation-50'])
    expect(sparsity?.densities.B?.density).toBe(0.5)
    expect(sparsity?.densities.A?.density).toBe(0.5)
    expect(sparsity?.densities.Z).toBeUndefined()
  })

  it.each([
    [{ M: 0, K: 1, N: 1 }, 'mm.M'],
    [{ M: 1, K: 1.5, N: 1 }, 'mm.K'],
    [{ M: 1, K: 1, N: 1, count: -2 }, 'mm.count'],
  ])('%o → INVALID_SPEC at %s', (shape, path) => {
    let caught: unknown
    try {
      linearGemm({ name: 'mm', ...shape }, 'test')
    } catch (error) {
      caught = error
    }
    expect(isSnipSnapError(caught) && caught.code === 'INVALID_SPEC' ? caught.path.join('.') : caught).toBe(path)
  })
})

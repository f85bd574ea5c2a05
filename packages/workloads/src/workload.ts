// Workloads as GEMM lists: a model of the zoo plus a phase (prefill over L tokens, or decode of
// B sequences against a KV cache of T tokens) becomes the list of its distinct GEMMs M×K×N with
// how often each occurs per forward pass, the role of each operand, and the source of the shape.
// Conventions (workloads.md): A[M][K] is the streamed operand, B[K][N] the weight (or K^T / V for
// attention), Z[M][N] the output; MACs = M·K·N. CNN convolutions are im2col GEMMs:
// M = P·Q output pixels (× batch), K = C·R·S, N = output channels.
import { SnipSnapError, type DensitySpec, type ProblemSpec } from '@snipsnap/core'
import { z } from 'zod'
import { parseOrThrow } from './internal/validate'
import { MODELS, type ModelSpec, type TransformerModelSpec } from './zoo'

/** What an operand is, which decides which sparsity presets apply to it. */
export type TensorRole =
  /** A linear layer's weight matrix. */
  | 'weight'
  /** Hidden states entering a linear layer (Q/K/V/O projections, FFN up/gate/fc1, LM head). */
  | 'activation'
  /** The FFN intermediate entering the down projection / fc2 (ReLU or gated SiLU output). */
  | 'ffn-activation'
  /** Queries of the attention score GEMM. */
  | 'query'
  /** Keys (K^T) read by the score GEMM: the K cache in decode. */
  | 'key'
  /** Values read by the context GEMM: the V cache in decode. */
  | 'value'
  /** Attention scores / probabilities P (output of QK^T, input of PV). */
  | 'attention-scores'
  /** Output of a GEMM that is not itself re-read as a modelled operand here. */
  | 'output'
  /** CNN input feature map after im2col. */
  | 'feature-map'

/** Operand names of every GEMM. */
export type GemmTensorName = 'A' | 'B' | 'Z'

/** One distinct GEMM of a workload. */
export interface GemmLayer {
  /** Name within the model, e.g. `attn.q_proj`, `attn.qk`, `ffn.down_proj`, `layer3.x.conv2`. */
  readonly name: string
  readonly op: 'linear' | 'attention-scores' | 'attention-context' | 'lm-head' | 'conv' | 'fc'
  /** Rows of the streamed operand (tokens, stacked query heads, output pixels). */
  readonly M: number
  /** Reduction dimension. */
  readonly K: number
  /** Output columns (features, keys, output channels). */
  readonly N: number
  /** How many times this GEMM runs in one forward pass of the model (layers × heads × batch …). */
  readonly count: number
  /** The role of each operand. */
  readonly tensors: Readonly<Record<GemmTensorName, TensorRole>>
  /** Where the shape comes from. */
  readonly source: string
}

/** Options of {@link buildWorkload}. */
export interface BuildWorkloadOptions {
  /** Model id, see {@link listModels}. */
  readonly model: string
  readonly phase: 'prefill' | 'decode'
  /** Prefill sequence length L (default min(2048, max context)). */
  readonly seqLen?: number
  /** Batch: sequences in prefill, decode streams B, or images for CNNs (default 1). */
  readonly batch?: number
  /** Decode KV-cache length T (default min(2048, max context)). */
  readonly kvLen?: number
  /**
   * LM head: `last-token` (default; prefill only needs the last row, decode computes B rows),
   * `all-tokens` (M = B·L in prefill) or `none`.
   */
  readonly lmHead?: 'last-token' | 'all-tokens' | 'none'
}

/** A workload: the GEMMs of one model in one phase. */
export interface Workload {
  readonly model: string
  readonly phase: 'prefill' | 'decode'
  readonly seqLen: number | null
  readonly batch: number
  readonly kvLen: number | null
  readonly layers: readonly GemmLayer[]
}

const modelsById: ReadonlyMap<string, ModelSpec> = new Map(MODELS.map((m) => [m.id, m]))

/** Ids of every model of the zoo. */
export const listModels = (): string[] => MODELS.map((model) => model.id)

/**
 * The zoo entry of a model.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND listing the known ids when `id` is unknown.
 */
export const getModel = (id: string): ModelSpec => {
  const model = modelsById.get(id)
  if (model === undefined) {
    throw new SnipSnapError('PLUGIN_NOT_FOUND', `unknown model '${id}'; known models: ${listModels().join(', ')}`, {
      path: ['model'],
    })
  }
  return model
}

const positiveInt = z.number().int().positive().refine(Number.isSafeInteger, 'must be a safe integer')
const optionsSchema = z.object({
  model: z.string(),
  phase: z.enum(['prefill', 'decode']),
  seqLen: positiveInt.optional(),
  batch: positiveInt.optional(),
  kvLen: positiveInt.optional(),
  lmHead: z.enum(['last-token', 'all-tokens', 'none']).optional(),
})

/**
 * Builds the GEMM list of a model in a phase.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unknown model; INVALID_SPEC naming the field
 * for non-positive or non-integer lengths, a length beyond the model's context, or a decode
 * phase asked of an encoder or a CNN.
 * @example buildWorkload({ model: 'llama-2-7b', phase: 'decode', batch: 8, kvLen: 4096 })
 */
export const buildWorkload = (options: BuildWorkloadOptions): Workload => {
  const parsed = parseOrThrow(optionsSchema, options, [])
  const model = getModel(parsed.model)
  const batch = parsed.batch ?? 1
  if (model.kind === 'cnn') {
    if (parsed.phase !== 'prefill') {
      throw new SnipSnapError('INVALID_SPEC', `${model.id} is a CNN: only the 'prefill' (inference) phase exists`, {
        path: ['phase'],
      })
    }
    return { model: model.id, phase: 'prefill', seqLen: null, batch, kvLen: null, layers: cnnLayers(model, batch) }
  }
  const { hyper } = model
  const defaultLength = Math.min(2048, hyper.maxContext)
  const checkLength = (field: 'seqLen' | 'kvLen', value: number) => {
    if (value > hyper.maxContext) {
      throw new SnipSnapError(
        'INVALID_SPEC',
        `${field} ${value} exceeds the ${hyper.maxContext}-token context of ${model.id}`,
        { path: [field] },
      )
    }
    return value
  }
  const lmHead = parsed.lmHead ?? 'last-token'
  if (parsed.phase === 'prefill') {
    const seqLen = checkLength('seqLen', parsed.seqLen ?? defaultLength)
    return { model: model.id, phase: 'prefill', seqLen, batch, kvLen: null, layers: prefillLayers(model, seqLen, batch, lmHead) }
  }
  if (!hyper.decoder) {
    throw new SnipSnapError('INVALID_SPEC', `${model.id} is an encoder: it has no decode phase`, { path: ['phase'] })
  }
  const kvLen = checkLength('kvLen', parsed.kvLen ?? defaultLength)
  return { model: model.id, phase: 'decode', seqLen: null, batch, kvLen, layers: decodeLayers(model, batch, kvLen, lmHead) }
}

/** The linear layers of one Transformer block, for `rows` streamed rows. */
const linearLayers = (model: TransformerModelSpec, rows: number, source: string): GemmLayer[] => {
  const { hiddenDim: d, ffnDim: f, kvHeads: g, headDim, layers, family } = model.hyper
  const kvWidth = g * headDim
  const linear = (name: string, K: number, N: number, input: TensorRole = 'activation'): GemmLayer => ({
    name,
    op: 'linear',
    M: rows,
    K,
    N,
    count: layers,
    tensors: { A: input, B: 'weight', Z: 'output' },
    source,
  })
  const attention = [
    linear('attn.q_proj', d, d),
    linear('attn.k_proj', d, kvWidth),
    linear('attn.v_proj', d, kvWidth),
    linear('attn.o_proj', d, d),
  ]
  const ffn =
    model.hyper.ffnKind === 'swiglu'
      ? [linear('ffn.gate_proj', d, f), linear('ffn.up_proj', d, f), linear('ffn.down_proj', f, d, 'ffn-activation')]
      : [linear('ffn.fc1', d, f), linear('ffn.fc2', f, d, 'ffn-activation')]
  // Names follow the HF module names of each family where they differ.
  if (family === 'opt' || family === 'bert' || family === 'gpt2') {
    const renamed = attention.map((layer) => (layer.name === 'attn.o_proj' ? { ...layer, name: 'attn.out_proj' } : layer))
    return [...renamed, ...ffn]
  }
  return [...attention, ...ffn]
}

const prefillLayers = (
  model: TransformerModelSpec,
  seqLen: number,
  batch: number,
  lmHead: 'last-token' | 'all-tokens' | 'none',
): GemmLayer[] => {
  const { heads, headDim, layers, hiddenDim, vocabSize, kvHeads } = model.hyper
  const source = `${model.source}; prefill GEMMs per workloads.md §1.2 (L=${seqLen}, batch ${batch})`
  const attentionSource = `${source}; one QK^T and one PV per query head${kvHeads < heads ? ` (GQA: ${heads / kvHeads} query heads share each K/V head)` : ''}`
  const out: GemmLayer[] = [
    ...linearLayers(model, batch * seqLen, source),
    {
      name: 'attn.qk',
      op: 'attention-scores',
      M: seqLen,
      K: headDim,
      N: seqLen,
      count: layers * heads * batch,
      tensors: { A: 'query', B: 'key', Z: 'attention-scores' },
      source: attentionSource,
    },
    {
      name: 'attn.pv',
      op: 'attention-context',
      M: seqLen,
      K: seqLen,
      N: headDim,
      count: layers * heads * batch,
      tensors: { A: 'attention-scores', B: 'value', Z: 'output' },
      source: attentionSource,
    },
  ]
  if (lmHead !== 'none' && model.hyper.decoder) {
    out.push({
      name: 'lm_head',
      op: 'lm-head',
      M: lmHead === 'last-token' ? batch : batch * seqLen,
      K: hiddenDim,
      N: vocabSize,
      count: 1,
      tensors: { A: 'activation', B: 'weight', Z: 'output' },
      source: `${model.source}; LM head once per model (workloads.md §1.2)`,
    })
  }
  return out
}

const decodeLayers = (
  model: TransformerModelSpec,
  batch: number,
  kvLen: number,
  lmHead: 'last-token' | 'all-tokens' | 'none',
): GemmLayer[] => {
  const { heads, kvHeads, headDim, layers, hiddenDim, vocabSize } = model.hyper
  const group = heads / kvHeads
  const source = `${model.source}; decode GEMMs per workloads.md §1.3 (B=${batch}, T=${kvLen})`
  // With GQA the query heads of a group share one K/V head, so they stack into M = h/g rows
  // against the same K^T / V operand: one GEMM per (sequence, KV head).
  const attentionSource = `${source}; per (sequence, KV head): M = h/g = ${group} stacked query heads`
  const out: GemmLayer[] = [
    ...linearLayers(model, batch, source),
    {
      name: 'attn.qk',
      op: 'attention-scores',
      M: group,
      K: headDim,
      N: kvLen,
      count: layers * kvHeads * batch,
      tensors: { A: 'query', B: 'key', Z: 'attention-scores' },
      source: attentionSource,
    },
    {
      name: 'attn.pv',
      op: 'attention-context',
      M: group,
      K: kvLen,
      N: headDim,
      count: layers * kvHeads * batch,
      tensors: { A: 'attention-scores', B: 'value', Z: 'output' },
      source: attentionSource,
    },
  ]
  if (lmHead !== 'none') {
    out.push({
      name: 'lm_head',
      op: 'lm-head',
      M: batch,
      K: hiddenDim,
      N: vocabSize,
      count: 1,
      tensors: { A: 'activation', B: 'weight', Z: 'output' },
      source: `${model.source}; LM head once per decode step`,
    })
  }
  return out
}

const cnnLayers = (model: Extract<ModelSpec, { kind: 'cnn' }>, batch: number): GemmLayer[] =>
  model.layers.map((layer) => ({
    name: layer.name,
    op: layer.fullyConnected === true ? 'fc' : 'conv',
    M: batch * layer.outputSize * layer.outputSize,
    K: layer.inChannels * layer.kernel * layer.kernel,
    N: layer.outChannels,
    count: layer.count,
    tensors: { A: 'feature-map', B: 'weight', Z: 'output' },
    source: `${model.source}; im2col: M = P·Q (×batch ${batch}), K = C·R·S = ${layer.inChannels}·${layer.kernel}·${layer.kernel}, N = ${layer.outChannels}${layer.stride > 1 ? `, stride ${layer.stride}` : ''}`,
  }))

/** Multiply-accumulates of one GEMM occurrence, M·K·N. */
export const gemmMacs = (layer: Pick<GemmLayer, 'M' | 'K' | 'N'>): number => layer.M * layer.K * layer.N

/** Total MACs of a workload: Σ M·K·N·count. */
export const workloadMacs = (workload: Pick<Workload, 'layers'>): number =>
  workload.layers.reduce((sum, layer) => sum + gemmMacs(layer) * layer.count, 0)

/**
 * KV-cache bytes per token over all layers: 2 (K and V) × layers × KV heads × head dim × bytes per value.
 * @throws {SnipSnapError} INVALID_SPEC for a CNN or an encoder, which keep no KV cache.
 */
export const kvCacheBytesPerToken = (modelId: string, options: { readonly bytesPerValue?: number } = {}): number => {
  const model = getModel(modelId)
  if (model.kind !== 'transformer' || !model.hyper.decoder) {
    throw new SnipSnapError('INVALID_SPEC', `${modelId} keeps no KV cache`, { path: ['model'] })
  }
  const bytes = parseOrThrow(z.number().positive().optional(), options.bytesPerValue, ['bytesPerValue']) ?? 2
  const { layers, kvHeads, headDim } = model.hyper
  return 2 * layers * kvHeads * headDim * bytes
}

const densitySpecSchema = z.object({
  distribution: z.string().min(1),
  density: z.number().min(0).max(1),
  params: z.record(z.string(), z.unknown()),
})

/**
 * The core `ProblemSpec` of one GEMM: dimensions M, K, N; data spaces A[M][K], B[K][N] and the
 * read-write output Z[M][N]; the given densities (tensors left out are dense).
 * @throws {SnipSnapError} INVALID_SPEC naming the tensor and field of a bad density (outside [0, 1]).
 * @example gemmToProblem(layer, { B: { distribution: 'hypergeometric', density: 0.5, params: {} } })
 */
export const gemmToProblem = (
  layer: Pick<GemmLayer, 'name' | 'M' | 'K' | 'N'>,
  densities: Readonly<Partial<Record<GemmTensorName, DensitySpec>>> = {},
): ProblemSpec => {
  const checked: Record<string, DensitySpec> = {}
  for (const name of ['A', 'B', 'Z'] as const) {
    const spec = densities[name]
    if (spec !== undefined) checked[name] = parseOrThrow(densitySpecSchema, spec, ['densities', name]) as DensitySpec
  }
  for (const name of Object.keys(densities)) {
    if (name !== 'A' && name !== 'B' && name !== 'Z') {
      throw new SnipSnapError('INVALID_SPEC', `unknown tensor '${name}' (a GEMM has A, B and Z)`, { path: ['densities', name] })
    }
  }
  parseOrThrow(z.object({ M: positiveInt, K: positiveInt, N: positiveInt }), { M: layer.M, K: layer.K, N: layer.N }, [layer.name])
  const term = (dim: string) => [{ dim, coefficient: null }]
  return {
    name: layer.name,
    dimensions: ['M', 'K', 'N'],
    bounds: { M: layer.M, K: layer.K, N: layer.N },
    coefficients: {},
    dataSpaces: [
      { name: 'A', projection: [term('M'), term('K')], readWrite: false },
      { name: 'B', projection: [term('K'), term('N')], readWrite: false },
      { name: 'Z', projection: [term('M'), term('N')], readWrite: true },
    ],
    densities: checked,
  }
}

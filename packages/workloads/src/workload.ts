// Workloads as GEMM lists: a model of the zoo plus a phase (prefill over L tokens, or decode of
// B sequences against a KV cache of T tokens) becomes the list of its distinct GEMMs M×K×N with
// how often each occurs per forward pass, the role of each operand, and the source of the shape.
// Conventions (workloads.md): A[M][K] is the streamed operand, B[K][N] the weight (or K^T / V for
// attention), Z[M][N] the output; MACs = M·K·N. CNN convolutions are native convolutions by
// default (Timeloop's CNN-Layer problem: N, C, M, R, S, P, Q with strides, dilations and, for
// grouped/depthwise layers, a group dimension G), or with `lowering: 'im2col'` im2col GEMMs:
// M = P·Q output pixels (× batch), K = C·R·S, N = output channels (one GEMM per group).
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
  /** CNN input feature map that is a ReLU output (activation sparsity applies). */
  | 'feature-map'
  /** CNN input with no ReLU before it: the image, a linear bottleneck, an average pool (stays dense). */
  | 'linear-feature-map'

/** Every tensor role, in the order {@link TensorRole} lists them (sparsity rules select operands by these). */
export const TENSOR_ROLES = ['weight', 'activation', 'ffn-activation', 'query', 'key', 'value', 'attention-scores', 'output', 'feature-map', 'linear-feature-map'] as const satisfies readonly TensorRole[]
// Every role is listed: a role added to TensorRole but not here fails to compile.
const allRolesListed: Exclude<TensorRole, (typeof TENSOR_ROLES)[number]> extends never ? true : never = true
void allRolesListed

/** Operand names of every GEMM. */
export type GemmTensorName = 'A' | 'B' | 'Z'

/**
 * A native convolution, Timeloop's CNN-Layer problem: N images, C input and M output channels
 * per group, R×S kernel, P×Q outputs, strides and dilations, G groups (depthwise: C = M = 1).
 */
export interface ConvShape {
  readonly N: number
  readonly C: number
  readonly M: number
  readonly R: number
  readonly S: number
  readonly P: number
  readonly Q: number
  readonly Hstride: number
  readonly Wstride: number
  readonly Hdilation: number
  readonly Wdilation: number
  readonly G: number
}

/** One distinct layer of a workload: a GEMM, or a native convolution (`conv`) with its GEMM-equivalent M×K×N. */
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
  /**
   * A native convolution (CNN layers under the default `lowering: 'native'`): the problem is
   * built from this shape, with A, B, Z standing for Inputs, Weights, Outputs. M, K, N then give
   * its MACs as M·K·N (N·P·Q × C·R·S × G·M); the tensors' sizes are the convolution's.
   */
  readonly conv?: ConvShape
}

/** How CNN convolutions reach the explorer. */
export type ConvLowering = 'native' | 'im2col'

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
  /**
   * CNN convolutions as native convolutions (default) or as im2col GEMMs (each input activation
   * copied up to R×S times; kept for comparison). No effect on Transformers.
   */
  readonly lowering?: ConvLowering
}

/** A workload: the GEMMs of one model in one phase. */
export interface Workload {
  readonly model: string
  readonly phase: 'prefill' | 'decode'
  readonly seqLen: number | null
  readonly batch: number
  readonly kvLen: number | null
  /** How convolutions are lowered (`native` for Transformers, which have none). */
  readonly lowering: ConvLowering
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
  lowering: z.enum(['native', 'im2col']).optional(),
})

/**
 * A GEMM given by its shape (a list of GEMMs instead of a zoo model): a linear layer, A the input
 * activations, B the weights, Z the outputs (so weight and activation sparsity presets apply).
 * @throws {SnipSnapError} INVALID_SPEC naming the field for a non-positive or non-integer M, K, N or count.
 * @example linearGemm({ name: 'q_proj', M: 128, K: 4096, N: 4096, count: 32 }, 'study.yaml')
 */
export const linearGemm = (gemm: { readonly name: string; readonly M: number; readonly K: number; readonly N: number; readonly count?: number | undefined }, source: string): GemmLayer => {
  const { M, K, N, count } = parseOrThrow(z.object({ M: positiveInt, K: positiveInt, N: positiveInt, count: positiveInt.optional() }), { M: gemm.M, K: gemm.K, N: gemm.N, count: gemm.count }, [gemm.name])
  return { name: gemm.name, op: 'linear', M, K, N, count: count ?? 1, tensors: { A: 'activation', B: 'weight', Z: 'output' }, source }
}

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
    const lowering = parsed.lowering ?? 'native'
    return { model: model.id, phase: 'prefill', seqLen: null, batch, kvLen: null, lowering, layers: cnnLayers(model, batch, lowering) }
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
    return { model: model.id, phase: 'prefill', seqLen, batch, kvLen: null, lowering: 'native', layers: prefillLayers(model, seqLen, batch, lmHead) }
  }
  if (!hyper.decoder) {
    throw new SnipSnapError('INVALID_SPEC', `${model.id} is an encoder: it has no decode phase`, { path: ['phase'] })
  }
  const kvLen = checkLength('kvLen', parsed.kvLen ?? defaultLength)
  return { model: model.id, phase: 'decode', seqLen: null, batch, kvLen, lowering: 'native', layers: decodeLayers(model, batch, kvLen, lmHead) }
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

/**
 * The two attention GEMMs of one head (or stacked query heads): scores QK^T (`queries` × `headDim`
 * by `headDim` × `keys`) and context PV (`queries` × `keys` by `keys` × `headDim`), `count` times.
 */
const attentionLayers = (a: { queries: number; keys: number; headDim: number; count: number; source: string }): GemmLayer[] => [
  {
    name: 'attn.qk',
    op: 'attention-scores',
    M: a.queries,
    K: a.headDim,
    N: a.keys,
    count: a.count,
    tensors: { A: 'query', B: 'key', Z: 'attention-scores' },
    source: a.source,
  },
  {
    name: 'attn.pv',
    op: 'attention-context',
    M: a.queries,
    K: a.keys,
    N: a.headDim,
    count: a.count,
    tensors: { A: 'attention-scores', B: 'value', Z: 'output' },
    source: a.source,
  },
]

/** The LM head (hidden → vocabulary logits) for `rows` rows, once per model run. */
const lmHeadLayer = (rows: number, hiddenDim: number, vocabSize: number, source: string): GemmLayer => ({
  name: 'lm_head',
  op: 'lm-head',
  M: rows,
  K: hiddenDim,
  N: vocabSize,
  count: 1,
  tensors: { A: 'activation', B: 'weight', Z: 'output' },
  source,
})

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
    ...attentionLayers({ queries: seqLen, keys: seqLen, headDim, count: layers * heads * batch, source: attentionSource }),
  ]
  if (lmHead !== 'none' && model.hyper.decoder) {
    out.push(lmHeadLayer(lmHead === 'last-token' ? batch : batch * seqLen, hiddenDim, vocabSize, `${model.source}; LM head once per model (workloads.md §1.2)`))
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
    ...attentionLayers({ queries: group, keys: kvLen, headDim, count: layers * kvHeads * batch, source: attentionSource }),
  ]
  if (lmHead !== 'none') out.push(lmHeadLayer(batch, hiddenDim, vocabSize, `${model.source}; LM head once per decode step`))
  return out
}

const cnnLayers = (model: Extract<ModelSpec, { kind: 'cnn' }>, batch: number, lowering: ConvLowering): GemmLayer[] =>
  model.layers.map((layer) => {
    const groups = layer.groups ?? 1
    const dilation = layer.dilation ?? 1
    const C = layer.inChannels / groups
    const M = layer.outChannels / groups
    const R = layer.kernel
    const P = layer.outputSize
    const tensors = { A: layer.inputAfterRelu === false ? 'linear-feature-map' : 'feature-map', B: 'weight', Z: 'output' } as const
    const op = layer.fullyConnected === true ? 'fc' : 'conv'
    const strided = `${layer.stride > 1 ? `, stride ${layer.stride}` : ''}${dilation > 1 ? `, dilation ${dilation}` : ''}`
    if (op === 'fc' || lowering === 'im2col') {
      // One GEMM per group: M = P·Q (×batch), K = (C/G)·R·S, N = M_out/G.
      return {
        name: layer.name,
        op,
        M: batch * P * P,
        K: C * R * R,
        N: M,
        count: layer.count * groups,
        tensors,
        source:
          op === 'fc'
            ? `${model.source}; fully connected: M = batch ${batch}, K = ${layer.inChannels}, N = ${layer.outChannels}`
            : `${model.source}; im2col: M = P·Q (×batch ${batch}), K = C·R·S = ${C}·${R}·${R}, N = ${M}${strided}${groups > 1 ? `; one GEMM per group (${groups} groups)` : ''}`,
      }
    }
    const conv: ConvShape = { N: batch, C, M, R, S: R, P, Q: P, Hstride: layer.stride, Wstride: layer.stride, Hdilation: dilation, Wdilation: dilation, G: groups }
    return {
      name: layer.name,
      op,
      M: batch * P * P,
      K: C * R * R,
      N: layer.outChannels,
      count: layer.count,
      tensors,
      source: `${model.source}; native convolution N=${batch} C=${C} M=${M} R=S=${R} P=Q=${P}${strided}${groups > 1 ? `, ${groups} groups` : ''}`,
      conv,
    }
  })

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

/** The conv data space each GEMM operand name stands for. */
export const CONV_TENSOR_NAMES: Readonly<Record<GemmTensorName, string>> = { A: 'Inputs', B: 'Weights', Z: 'Outputs' }

const convShapeSchema = z.object({
  N: positiveInt,
  C: positiveInt,
  M: positiveInt,
  R: positiveInt,
  S: positiveInt,
  P: positiveInt,
  Q: positiveInt,
  Hstride: positiveInt,
  Wstride: positiveInt,
  Hdilation: positiveInt,
  Wdilation: positiveInt,
  G: positiveInt,
})

const checkedDensities = (
  densities: Readonly<Partial<Record<GemmTensorName, DensitySpec>>>,
  kind: string,
): Partial<Record<GemmTensorName, DensitySpec>> => {
  const checked: Partial<Record<GemmTensorName, DensitySpec>> = {}
  for (const name of Object.keys(densities)) {
    if (name !== 'A' && name !== 'B' && name !== 'Z') {
      throw new SnipSnapError('INVALID_SPEC', `unknown tensor '${name}' (${kind} has A, B and Z)`, { path: ['densities', name] })
    }
    const spec = densities[name]
    if (spec !== undefined) checked[name] = parseOrThrow(densitySpecSchema, spec, ['densities', name]) as DensitySpec
  }
  return checked
}

/**
 * The core `ProblemSpec` of a native convolution, Timeloop's CNN-Layer problem: dimensions
 * C, M, R, S, N, P, Q (and G first for grouped/depthwise layers); Weights[G][C][M][R][S],
 * Inputs[N][G][C][R·Wdilation + P·Wstride][S·Hdilation + Q·Hstride] and the read-write
 * Outputs[N][G][M][Q][P]; coefficients Wstride, Hstride, Wdilation, Hdilation. The densities are
 * given by GEMM operand name: A for Inputs, B for Weights, Z for Outputs.
 * @throws {SnipSnapError} INVALID_SPEC naming the field of a non-positive or non-integer extent,
 * or the tensor and field of a bad density.
 * @example convToProblem({ name: 'conv3', conv: { N: 4, C: 256, M: 384, R: 3, S: 3, P: 13, Q: 13, Hstride: 1, Wstride: 1, Hdilation: 1, Wdilation: 1, G: 1 } })
 */
export const convToProblem = (
  layer: { readonly name: string; readonly conv: ConvShape },
  densities: Readonly<Partial<Record<GemmTensorName, DensitySpec>>> = {},
): ProblemSpec => {
  const checked = checkedDensities(densities, 'a convolution')
  const shape = parseOrThrow(convShapeSchema, layer.conv, [layer.name, 'conv'])
  const grouped = shape.G > 1
  const term = (dim: string, coefficient: string | null = null) => ({ dim, coefficient })
  const g = grouped ? [[term('G')]] : []
  const dims = ['C', 'M', 'R', 'S', 'N', 'P', 'Q'] as const
  return {
    name: layer.name,
    dimensions: grouped ? ['G', ...dims] : [...dims],
    bounds: { ...(grouped ? { G: shape.G } : {}), ...Object.fromEntries(dims.map((d) => [d, shape[d]])) },
    coefficients: { Wstride: shape.Wstride, Hstride: shape.Hstride, Wdilation: shape.Wdilation, Hdilation: shape.Hdilation },
    dataSpaces: [
      { name: 'Weights', projection: [...g, [term('C')], [term('M')], [term('R')], [term('S')]], readWrite: false },
      {
        name: 'Inputs',
        projection: [[term('N')], ...g, [term('C')], [term('R', 'Wdilation'), term('P', 'Wstride')], [term('S', 'Hdilation'), term('Q', 'Hstride')]],
        readWrite: false,
      },
      { name: 'Outputs', projection: [[term('N')], ...g, [term('M')], [term('Q')], [term('P')]], readWrite: true },
    ],
    densities: Object.fromEntries(
      (Object.entries(checked) as [GemmTensorName, DensitySpec][]).map(([name, spec]) => [CONV_TENSOR_NAMES[name], spec]),
    ),
  }
}

/**
 * The problem of any workload layer: {@link convToProblem} for a native convolution (a layer
 * with `conv`), else {@link gemmToProblem}.
 * @throws {SnipSnapError} INVALID_SPEC as those do.
 * @example buildWorkload({ model: 'resnet-50', phase: 'prefill' }).layers.map((l, i) => layerToProblem(l, sparsity[i]?.densities))
 */
export const layerToProblem = (
  layer: Pick<GemmLayer, 'name' | 'M' | 'K' | 'N' | 'conv'>,
  densities: Readonly<Partial<Record<GemmTensorName, DensitySpec>>> = {},
): ProblemSpec => (layer.conv === undefined ? gemmToProblem(layer, densities) : convToProblem({ name: layer.name, conv: layer.conv }, densities))

/** A short text of a layer's shape: `M×K×N` for a GEMM, the conv's extents for a native convolution. */
export const layerShapeText = (layer: Pick<GemmLayer, 'M' | 'K' | 'N' | 'conv'>): string => {
  const c = layer.conv
  if (c === undefined) return `${layer.M}×${layer.K}×${layer.N}`
  const stride = c.Hstride === c.Wstride ? `${c.Hstride}` : `${c.Hstride}×${c.Wstride}`
  const dil = c.Hdilation === 1 && c.Wdilation === 1 ? '' : ` d${c.Hdilation === c.Wdilation ? c.Hdilation : `${c.Hdilation}×${c.Wdilation}`}`
  return `${c.G > 1 ? `G${c.G} ` : ''}N${c.N} C${c.C} M${c.M} R${c.R} S${c.S} P${c.P} Q${c.Q} s${stride}${dil}`
}

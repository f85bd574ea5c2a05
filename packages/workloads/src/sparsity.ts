// Sparsity presets as density specs (core `DensitySpec`, resolved by the density models of
// @snipsnap/cost by id): which operands of which GEMMs a published sparsification makes sparse,
// in prefill and in decode, and with what pattern; plus the measured-data path that turns a real
// (pruned) tensor into an `actual-data` spec.
import { SnipSnapError, strictKeysError, type DensitySpec } from '@snipsnap/core'
import { z } from 'zod'
import { parseOrThrow } from './internal/validate'
import { maskOf, densityOf } from './prune'
import type { DenseTensor } from './tensor'
import type { GemmLayer, GemmTensorName, TensorRole, Workload } from './workload'

/** Phase of a workload. */
export type Phase = 'prefill' | 'decode'

/**
 * One rule of a preset: the operands (by role, phase and op) it makes sparse and their density.
 * `density: 'causal'` means the lower triangle of an L×L score matrix, (L+1)/(2L).
 * `pattern: 'token-rows'` makes the block shape follow the token axis of K^T / V / P (whole
 * tokens kept or dropped), resolved per layer.
 */
export interface SparsityRule {
  readonly roles: readonly TensorRole[]
  readonly phases: readonly Phase[]
  /** Restrict to GEMMs of these ops (default: every op). */
  readonly ops?: readonly GemmLayer['op'][]
  /** Density-model id: `hypergeometric`, `n-m`, `fixed-structured`, `block`, … */
  readonly distribution: string
  readonly density: number | 'causal'
  readonly params?: Readonly<Record<string, unknown>>
  readonly pattern?: 'token-rows'
}

/** A named sparsity setting with its source. */
export interface SparsityPreset {
  /** Kebab-case id, e.g. `unstructured-50`, `nm-2-4`, `activation-90`. */
  readonly id: string
  readonly description: string
  /** Paper or measurement the numbers come from. */
  readonly source: string
  readonly rules: readonly SparsityRule[]
}

const BOTH: readonly Phase[] = ['prefill', 'decode']
/** Linear layers inside the blocks (TEAL/CATS leave the LM head dense). */
const BLOCK_LINEARS: readonly GemmLayer['op'][] = ['linear', 'conv', 'fc']

const unstructured = (percent: number, source: string): SparsityPreset => ({
  id: `unstructured-${percent}`,
  description: `${percent}% unstructured weight sparsity (one-shot magnitude/Wanda/SparseGPT pruning) on every linear weight`,
  source,
  rules: [{ roles: ['weight'], phases: BOTH, distribution: 'hypergeometric', density: 1 - percent / 100 }],
})

const nm = (n: number, m: number, source: string): SparsityPreset => ({
  id: `nm-${n}-${m}`,
  description: `${n}:${m} semi-structured weight sparsity: at most ${n} non-zeros in every group of ${m} consecutive weights along the reduction dimension K`,
  source,
  // Weights are the GEMM operand B[K][N]: rank 0 is K, the reduction dimension the groups run
  // along (as sparse tensor cores and pruneNM on a stored [out, in] matrix do).
  rules: [{ roles: ['weight'], phases: BOTH, distribution: 'n-m', density: n / m, params: { n, m, rank: 0 } }],
})

/** Every built-in preset. */
export const SPARSITY_PRESETS: readonly SparsityPreset[] = [
  { id: 'dense', description: 'no sparsity: every operand dense', source: 'baseline', rules: [] },
  unstructured(
    50,
    'Wanda (arXiv 2306.11695) and SparseGPT (arXiv 2301.00774): 50% one-shot; LLaMA-2-7B WikiText-2 perplexity 5.12 → 6.42 (Wanda) / 6.51 (SparseGPT), locuslab/wanda README (workloads.md §2.1)',
  ),
  unstructured(
    60,
    'SparseGPT (arXiv 2301.00774) abstract: OPT-175B and BLOOM-176B reach 60% unstructured sparsity with negligible perplexity increase',
  ),
  unstructured(70, 'sweep point of workloads.md §2.1; uniform one-shot pruning degrades 7B models sharply at ≥70% (non-uniform allocation such as OWL is needed)'),
  unstructured(80, 'sweep point of workloads.md §2.1; AlphaPruning (arXiv 2410.10912) claims 80% on LLaMA-7B with layer-wise allocation'),
  unstructured(90, 'sweep point of workloads.md §2.1 (design-space exploration; not an accuracy-preserving setting for LLMs)'),
  nm(2, 4, 'NVIDIA Ampere/Hopper sparse tensor cores (2:4); LLaMA-2-7B 2:4 perplexity 11.02 (Wanda) / 10.17 (SparseGPT), locuslab/wanda README'),
  nm(4, 8, 'SparseGPT/Wanda 4:8; LLaMA-2-7B perplexity 7.97 (Wanda) / 8.12 (SparseGPT), locuslab/wanda README'),
  nm(2, 8, 'Sparseloop artifact fig15 (2:8 sparse tensor core variant); workloads.md §2.1 N:M grid'),
  nm(1, 4, 'workloads.md §2.1 N:M grid'),
  {
    id: 'activation-40',
    description: 'TEAL 40%: magnitude-thresholded hidden states entering every linear layer of the blocks (Q/K/V/O, FFN up/gate/down)',
    source: 'TEAL (arXiv 2408.14690): 40–50% model-wide activation sparsity on Llama-2/3, 1.53× single-batch decode at 40%',
    rules: [{ roles: ['activation', 'ffn-activation'], phases: BOTH, ops: BLOCK_LINEARS, distribution: 'hypergeometric', density: 0.6 }],
  },
  {
    id: 'activation-50',
    description: 'TEAL 50%: magnitude-thresholded hidden states entering every linear layer of the blocks (Q/K/V/O, FFN up/gate/down)',
    source: 'TEAL (arXiv 2408.14690): 1.8× single-batch decode at 50%; applied per token, so prefill rows are sparse too',
    rules: [{ roles: ['activation', 'ffn-activation'], phases: BOTH, ops: BLOCK_LINEARS, distribution: 'hypergeometric', density: 0.5 }],
  },
  {
    id: 'cats-50',
    description: 'CATS 50%: thresholded SiLU gate, so the FFN intermediate entering the down projection is 50% sparse',
    source: 'CATS (arXiv 2404.08763): 50% on Mistral-7B / Llama-2-7B/13B within ~1–2% task accuracy without fine-tuning',
    rules: [{ roles: ['ffn-activation'], phases: BOTH, distribution: 'hypergeometric', density: 0.5 }],
  },
  {
    id: 'activation-90',
    description: 'ReLU FFN sparsity ~90%: the FFN intermediate entering fc2/down (native in OPT, trained in by ReLUfication)',
    source: 'ReLU Strikes Back (arXiv 2310.04564): >90% FFN activation sparsity; Deja Vu / TEAL blog: ~95% in OPT; ProSparse (arXiv 2402.13516): 89% on LLaMA2-7B',
    rules: [{ roles: ['ffn-activation'], phases: BOTH, distribution: 'hypergeometric', density: 0.1 }],
  },
  {
    id: 'relu-50',
    description:
      'ReLU feature maps: 50% of the input activations of every CNN layer that follows a ReLU are zero (the image, linear bottlenecks and average-pooled inputs stay dense)',
    source:
      'Sparseloop MICRO 2022 artifact: ResNet-50 input-activation densities 0.82, 0.56, 0.44, 0.27 (fig15 setup, workloads.md §2.4); AlexNet on Eyeriss conv3 0.275, conv5 0.23 (table7_eyeriss_setup)',
    rules: [{ roles: ['feature-map'], phases: ['prefill'], distribution: 'hypergeometric', density: 0.5 }],
  },
  {
    id: 'attention-causal',
    description: 'causal mask: prefill attention scores are lower-triangular, density (L+1)/(2L); decode scores are dense',
    source: 'derived (workloads.md §2.3): causal masking makes the upper triangle of QK^T and PV skippable',
    rules: [
      {
        roles: ['attention-scores'],
        phases: ['prefill'],
        distribution: 'fixed-structured',
        density: 'causal',
        params: { pattern: 'causal-lower-triangular' },
      },
    ],
  },
  {
    id: 'attention-10',
    description: 'thresholded attention probabilities: 10% of P kept (row-wise top-k / threshold, variable nnz per row)',
    source: 'H2O (Zhang et al., NeurIPS 2023): >95% of attention scores are below 1% of the row maximum; workloads.md §2.3 models P at 2–20% density',
    rules: [{ roles: ['attention-scores'], phases: BOTH, distribution: 'hypergeometric', density: 0.1 }],
  },
  {
    id: 'kv-20',
    description: 'H2O KV budget 20% (10% heavy hitters + 10% recent): in decode whole tokens of the K/V cache and their scores are kept or dropped',
    source: 'H2O (Zhang et al., NeurIPS 2023): a 20% KV budget matches full-cache accuracy, up to 5× KV memory cut (workloads.md §2.3)',
    rules: [
      {
        roles: ['key', 'value', 'attention-scores'],
        phases: ['decode'],
        distribution: 'block',
        density: 0.2,
        pattern: 'token-rows',
      },
    ],
  },
]

const presetsById: ReadonlyMap<string, SparsityPreset> = new Map(SPARSITY_PRESETS.map((p) => [p.id, p]))

/** Ids of every built-in sparsity preset. */
export const listSparsityPresets = (): string[] => SPARSITY_PRESETS.map((preset) => preset.id)

/**
 * A built-in sparsity preset.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND listing the known ids when `id` is unknown.
 */
export const getSparsityPreset = (id: string): SparsityPreset => {
  const preset = presetsById.get(id)
  if (preset === undefined) {
    throw new SnipSnapError(
      'PLUGIN_NOT_FOUND',
      `unknown sparsity preset '${id}'; known presets: ${listSparsityPresets().join(', ')}`,
      { path: ['sparsity'] },
    )
  }
  return preset
}

const nonNegativeInt = z.number().int('must be an integer').nonnegative('must be ≥ 0')
const ruleShape = {
    roles: z.array(z.string()).min(1),
    phases: z.array(z.enum(['prefill', 'decode'])).min(1),
    ops: z.array(z.string()).optional(),
    distribution: z.string().min(1),
    density: z.union([z.number().min(0, 'density must be in [0, 1]').max(1, 'density must be in [0, 1]'), z.literal('causal')]),
    params: z
      .object({
        n: nonNegativeInt.optional(),
        m: z.number().int('must be an integer').positive('must be positive').optional(),
        blockShape: z.array(z.number().int('must be an integer').positive('must be positive')).optional(),
      })
      .loose()
      .optional(),
    pattern: z.literal('token-rows').optional(),
}
// Strict: a misspelled rule key (`densty`) must not be dropped in silence.
const ruleSchema = z
  .strictObject(ruleShape, { error: strictKeysError(Object.keys(ruleShape)) })
  .refine((rule) => rule.distribution !== 'n-m' || (rule.params?.n !== undefined && rule.params.m !== undefined), {
    message: "distribution 'n-m' needs integer params n and m",
    path: ['params'],
  })
  .refine((rule) => rule.params?.n === undefined || rule.params.m === undefined || rule.params.n <= rule.params.m, {
    message: 'n must not exceed m',
    path: ['params', 'n'],
  })
const presetShape = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be kebab-case'),
  description: z.string(),
  source: z.string(),
  rules: z.array(ruleSchema),
}
const presetSchema = z.strictObject(presetShape, { error: strictKeysError(Object.keys(presetShape)) })

/**
 * Validates a user-defined preset (identity helper typing it).
 * @throws {SnipSnapError} INVALID_SPEC naming the field: a density outside [0, 1], non-integer or
 * negative n/m or block shapes, an unknown phase.
 */
export const defineSparsityPreset = (preset: SparsityPreset): SparsityPreset => {
  parseOrThrow(presetSchema, preset, ['preset'])
  return preset
}

/** Densities of the operands of one GEMM; operands left out are dense. */
export interface LayerSparsity {
  /** Name of the GEMM (same order as `workload.layers`). */
  readonly layer: string
  readonly densities: Readonly<Partial<Record<GemmTensorName, DensitySpec>>>
}

/** Density of the causal lower triangle of an n×n matrix, diagonal included. */
const causalDensity = (n: number): number => (n + 1) / (2 * n)

/** Block shape that keeps or drops whole tokens of an operand (the token axis has extent 1). */
const tokenBlock = (layer: GemmLayer, tensor: GemmTensorName): number[] => {
  if (tensor === 'B') return layer.op === 'attention-scores' ? [layer.K, 1] : [1, layer.N] // K^T: tokens are columns; V: rows
  if (tensor === 'A') return [layer.M, 1] // P as the PV input: tokens are columns
  return [layer.M, 1] // P as the QK^T output
}

/**
 * Per-GEMM, per-operand density specs of a workload under one or more presets (later presets
 * override earlier ones on the same operand, so `['unstructured-50', 'activation-50']` combines
 * weight and activation sparsity).
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unknown preset id; INVALID_SPEC for an invalid custom preset.
 * @example applySparsity(buildWorkload({ model: 'opt-6.7b', phase: 'decode' }), 'activation-90')
 */
export const applySparsity = (
  workload: Pick<Workload, 'phase' | 'layers'>,
  presets: string | SparsityPreset | readonly (string | SparsityPreset)[],
): LayerSparsity[] => {
  const list = (Array.isArray(presets) ? presets : [presets]) as readonly (string | SparsityPreset)[]
  const resolved = list.map((preset) => (typeof preset === 'string' ? getSparsityPreset(preset) : defineSparsityPreset(preset)))
  return workload.layers.map((layer) => {
    const densities: Partial<Record<GemmTensorName, DensitySpec>> = {}
    for (const preset of resolved) {
      for (const rule of preset.rules) {
        if (!rule.phases.includes(workload.phase)) continue
        if (rule.ops !== undefined && !rule.ops.includes(layer.op)) continue
        for (const tensor of ['A', 'B', 'Z'] as const) {
          if (!rule.roles.includes(layer.tensors[tensor])) continue
          const density = rule.density === 'causal' ? causalDensity(layer.M) : rule.density
          const params = {
            ...(rule.params ?? {}),
            ...(rule.pattern === 'token-rows' ? { blockShape: tokenBlock(layer, tensor) } : {}),
          }
          densities[tensor] = { distribution: rule.distribution, density, params }
        }
      }
    }
    return { layer: layer.name, densities }
  })
}

/** Options of {@link measuredDensity}. */
export interface MeasuredDensityOptions {
  /**
   * `as-stored` (default) keeps the tensor's shape; `transpose` swaps the two axes of a 2-D
   * tensor, turning a PyTorch/llama2.c weight `[out, in]` into the GEMM operand B[K = in][N = out].
   */
  readonly layout?: 'as-stored' | 'transpose'
}

/**
 * A measured-data density spec of a real tensor (typically after pruning): distribution
 * `actual-data` with its exact density, shape and row-major 0/1 mask (a plain number array, so
 * the spec stays JSON-serialisable).
 * @throws {SnipSnapError} INVALID_SPEC when `transpose` is asked of a tensor that is not 2-D.
 * @example measuredDensity(pruneMagnitude(wq, { sparsity: 0.5 }), { layout: 'transpose' })
 */
export const measuredDensity = (tensor: DenseTensor, options: MeasuredDensityOptions = {}): DensitySpec => {
  const layout = parseOrThrow(z.enum(['as-stored', 'transpose']).optional(), options.layout, ['layout']) ?? 'as-stored'
  const mask = maskOf(tensor)
  if (layout === 'as-stored') {
    return { distribution: 'actual-data', density: densityOf(tensor), params: { shape: [...tensor.shape], mask: Array.from(mask) } }
  }
  if (tensor.shape.length !== 2) {
    throw new SnipSnapError('INVALID_SPEC', `layout 'transpose' needs a 2-D tensor, '${tensor.name}' has shape [${tensor.shape.join(', ')}]`, {
      path: ['layout'],
    })
  }
  const rows = tensor.shape[0] ?? 0
  const cols = tensor.shape[1] ?? 0
  const transposed = new Array<number>(mask.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) transposed[c * rows + r] = mask[r * cols + c] ?? 0
  return { distribution: 'actual-data', density: densityOf(tensor), params: { shape: [cols, rows], mask: transposed } }
}

/**
 * llama2.c tensor kind of each weight GEMM of a LLaMA-family workload (`layers.<l>.<kind>`); the
 * classifier is the token embedding when shared, else `wcls`.
 */
export const LLAMA2C_WEIGHT_NAMES: Readonly<Record<string, string>> = {
  'attn.q_proj': 'wq',
  'attn.k_proj': 'wk',
  'attn.v_proj': 'wv',
  'attn.o_proj': 'wo',
  'ffn.gate_proj': 'w1',
  'ffn.down_proj': 'w2',
  'ffn.up_proj': 'w3',
}

/** Options of {@link measuredWeightSparsity}. */
export interface MeasuredWeightSparsityOptions {
  /** Real (typically pruned) tensors stored `[out, in]`, named `layers.<l>.<kind>` as llama2.c's reader names them. */
  readonly tensors: readonly DenseTensor[]
  /** Which Transformer block's weights stand for every block (default 0). */
  readonly layerIndex?: number
  /** GEMM name → tensor kind; default {@link LLAMA2C_WEIGHT_NAMES}. */
  readonly names?: Readonly<Record<string, string>>
  /**
   * Densities the measurement refines (e.g. `applySparsity(workload, 'activation-50')`): each
   * layer keeps these for the operands not measured; a measured weight replaces B's. Default none.
   */
  readonly base?: readonly LayerSparsity[]
}

/**
 * Measured-data weight densities of a workload from real tensors: each weight GEMM's B operand
 * becomes the `actual-data` spec of its real mask (transposed to B[K][N]); the LM head uses
 * `wcls` or else `token_embedding`. GEMMs without a matching tensor keep `base` (default dense).
 * @throws {SnipSnapError} INVALID_SPEC naming the GEMM when a tensor's shape is not [N, K], or
 * listing the tensors' names and the names the model reads when no tensor matches any weight.
 * @example measuredWeightSparsity(buildWorkload({ model: 'stories-260k', phase: 'decode' }), { tensors: pruned })
 */
export const measuredWeightSparsity = (
  workload: Pick<Workload, 'layers'>,
  options: MeasuredWeightSparsityOptions,
): LayerSparsity[] => {
  const layerIndex = parseOrThrow(nonNegativeInt.optional(), options.layerIndex, ['layerIndex']) ?? 0
  const names = options.names ?? LLAMA2C_WEIGHT_NAMES
  const byName = new Map(options.tensors.map((tensor) => [tensor.name, tensor]))
  const wanted = (layer: GemmLayer): string[] => {
    if (layer.tensors.B !== 'weight') return []
    if (layer.op === 'lm-head') return ['wcls', 'token_embedding']
    const kind = names[layer.name]
    return kind === undefined ? [] : [`layers.${layerIndex}.${kind}`]
  }
  // No tensor of the file standing for any weight would leave every weight dense ("measured"
  // density 1) without a word: refuse, naming both sides.
  const wantedNames = [...new Set(workload.layers.flatMap(wanted))]
  if (!wantedNames.some((name) => byName.has(name))) {
    const held = options.tensors.map((t) => t.name)
    const list = (items: readonly string[]): string => (items.length > 12 ? `${items.slice(0, 12).join(', ')}, … (${items.length} in all)` : items.join(', '))
    throw new SnipSnapError(
      'INVALID_SPEC',
      `no tensor matches a weight of the model: the tensors are named ${held.length === 0 ? '(none)' : list(held)}; the model's weights are read from ${list(wantedNames)}`,
      { path: ['tensors'] },
    )
  }
  const baseByLayer = new Map((options.base ?? []).map((entry) => [entry.layer, entry.densities]))
  return workload.layers.map((layer) => {
    const tensor = wanted(layer).map((name) => byName.get(name)).find((t) => t !== undefined)
    const base = baseByLayer.get(layer.name) ?? {}
    if (tensor === undefined) return { layer: layer.name, densities: base }
    if (tensor.shape.length !== 2 || tensor.shape[0] !== layer.N || tensor.shape[1] !== layer.K) {
      throw new SnipSnapError(
        'INVALID_SPEC',
        `tensor '${tensor.name}' has shape [${tensor.shape.join(', ')}] but GEMM '${layer.name}' needs its weight as [N, K] = [${layer.N}, ${layer.K}]`,
        { path: ['tensors', tensor.name] },
      )
    }
    return { layer: layer.name, densities: { ...base, B: measuredDensity(tensor, { layout: 'transpose' }) } }
  })
}

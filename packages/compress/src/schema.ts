// Edge validation of the engine's options (house style §7): the written form is checked once with
// zod and normalised into a resolved, fully defaulted object; nothing is re-validated in the loop.
import { invalidSpec, type Issue, type TensorFormatSpec, type TensorName } from '@snipsnap/core'
import { z } from 'zod'
import { BASELINES, type BaselineName, type PrimitiveId } from './formats'
import type { FormatSlot } from './slots'

/** The data part of the engine options, as written by a caller or a spec file. */
export const selectOptionsSchema = z
  .object({
    objective: z.enum(['memory-energy', 'energy']).optional(),
    topK: z.number().int().min(1).max(64).optional(),
    maxPasses: z.number().int().min(0).max(16).optional(),
    primitives: z.array(z.string().min(1)).min(1).optional(),
    flatten: z.boolean().optional(),
    baselines: z.array(z.enum(BASELINES as [BaselineName, ...BaselineName[]])).optional(),
    includeGiven: z.boolean().optional(),
    tensors: z.array(z.string().min(1)).optional(),
    exhaustive: z.boolean().optional(),
    exhaustiveCap: z.number().int().min(1).optional(),
    exhaustiveMode: z.enum(['joint', 'per-tensor']).optional(),
    estimateSlack: z.number().min(0).max(100).optional(),
    negligibleShare: z.number().min(0).max(1).optional(),
  })
  .passthrough()

/** Options of {@link selectFormats}. */
export interface SelectFormatsOptions {
  /** What is minimised: memory energy (all storage levels, data and metadata; default) or total energy. */
  readonly objective?: 'memory-energy' | 'energy'
  /** Candidates costed per important slot and pass (default 3). Less important slots get fewer. */
  readonly topK?: number
  /**
   * Coordinate-descent passes over the slots (default 2; stops early when a pass changes nothing).
   * 0 runs no descent: the result is the best of `baselines` (and the given formats, unless
   * `includeGiven` is false), e.g. one fixed format with `baselines: ['bitmap']`.
   */
  readonly maxPasses?: number
  /**
   * Candidates whose analytic estimate exceeds the current formats' estimate by more than this
   * fraction are not costed (default 0.05; a large value such as 100 disables the cut). Designs with
   * gating or skipping SAFs are never cut: the estimate does not see what those save.
   */
  readonly estimateSlack?: number
  /**
   * Tensors whose summed share of memory energy (in the starting formats) is at most this fraction
   * are not searched beyond the fixed baselines (default 0.002 = 0.2%; 0 searches every tensor).
   * Without SAFs a tensor's re-formatting saves at most its own memory energy, so this bounds what
   * is forgone. Applies only to the `memory-energy` objective without SAFs.
   */
  readonly negligibleShare?: number
  /**
   * Symbols of the candidate space (default: every primitive of the engine's set, e.g. `U, UOP, UB,
   * CP, B, RLE, NM` of `@snipsnap/format`'s registry plus plug-ins). Each must be registered.
   */
  readonly primitives?: readonly PrimitiveId[]
  /** Whether a level's own ranks may be flattened into one rank (default true). */
  readonly flatten?: boolean
  /** Fixed baselines always costed (default all five). */
  readonly baselines?: readonly BaselineName[]
  /** Also cost the design's own formats and keep them if best (default true). */
  readonly includeGiven?: boolean
  /** Tensors whose formats are chosen (default: every tensor with density < 1). */
  readonly tensors?: readonly TensorName[]
  /** Extra candidate source per slot (e.g. @snipsnap/format's format space); costed like the rest. */
  readonly candidates?: (slot: FormatSlot) => Iterable<TensorFormatSpec>
  /** Also cost every combination of the candidate space (bounded by `exhaustiveCap`). */
  readonly exhaustive?: boolean
  /** Largest exhaustive space accepted (default 20 000 combinations or, per tensor, 20 000 options summed). */
  readonly exhaustiveCap?: number
  /**
   * `joint` (default): every combination of all tensors' options, the true optimum of the space.
   * `per-tensor`: every option of one tensor with the others fixed, tensor after tensor, repeated
   * until nothing changes (starting from the engine's choice): exact when the objective is separable
   * across tensors (no SAF or shared-capacity coupling), a block-coordinate optimum otherwise, at a
   * cost of Σ instead of Π of the per-tensor option counts.
   */
  readonly exhaustiveMode?: 'joint' | 'per-tensor'
}

/** Options with every default filled in. */
export interface ResolvedSelectOptions {
  readonly objective: 'memory-energy' | 'energy'
  readonly topK: number
  readonly maxPasses: number
  readonly estimateSlack: number
  readonly negligibleShare: number
  /** Requested symbols (null = all); after resolution, the engine's alphabet. */
  readonly primitives: readonly PrimitiveId[] | null
  readonly flatten: boolean
  readonly baselines: readonly BaselineName[]
  readonly includeGiven: boolean
  readonly tensors: readonly TensorName[] | null
  readonly candidates: ((slot: FormatSlot) => Iterable<TensorFormatSpec>) | null
  readonly exhaustive: boolean
  readonly exhaustiveCap: number
  readonly exhaustiveMode: 'joint' | 'per-tensor'
}

/**
 * Validates and defaults the options.
 * @throws {SnipSnapError} INVALID_SPEC naming the bad option (path `options.<name>`).
 */
export const resolveSelectOptions = (options: SelectFormatsOptions = {}): ResolvedSelectOptions => {
  const parsed = selectOptionsSchema.safeParse(options)
  if (!parsed.success) {
    const issues: Issue[] = parsed.error.issues.map((i) => ({
      code: i.code,
      path: ['options', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      message: i.message,
    }))
    throw invalidSpec(issues, parsed.error)
  }
  if (options.candidates !== undefined && typeof options.candidates !== 'function') {
    throw invalidSpec([{ code: 'invalid_type', path: ['options', 'candidates'], message: 'candidates must be a function (slot) => Iterable<TensorFormatSpec>' }])
  }
  return {
    objective: options.objective ?? 'memory-energy',
    topK: options.topK ?? 3,
    maxPasses: options.maxPasses ?? 2,
    estimateSlack: options.estimateSlack ?? 0.05,
    negligibleShare: options.negligibleShare ?? 0.002,
    primitives: options.primitives ?? null,
    flatten: options.flatten ?? true,
    baselines: options.baselines ?? BASELINES,
    includeGiven: options.includeGiven ?? true,
    tensors: options.tensors ?? null,
    candidates: options.candidates ?? null,
    exhaustive: options.exhaustive ?? false,
    exhaustiveCap: options.exhaustiveCap ?? 20_000,
    exhaustiveMode: options.exhaustiveMode ?? 'joint',
  }
}

// Formats of a design as plain rows (level, tensor, text such as `UOP-CP`), for reports.
import type { SparseOptimizationsSpec } from '@snipsnap/core'
import { specText } from '@snipsnap/compress'

/** One tensor's format at one storage level. */
export interface TensorFormatChoice {
  readonly level: string
  readonly tensor: string
  /** Ranks outer to inner, e.g. `U-CP`; `uncompressed` when the level stores it dense. */
  readonly format: string
}

/** Every explicit format of `sparseOptimizations`, in target order. */
export const formatsOf = (sparseOptimizations: SparseOptimizationsSpec): TensorFormatChoice[] =>
  sparseOptimizations.targets.flatMap((t) => t.formats.map((f) => ({ level: t.level, tensor: f.tensor, format: specText(f) })))

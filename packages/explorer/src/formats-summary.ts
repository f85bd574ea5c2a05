// Formats of a design as plain rows (level, tensor, text such as `UOP-CP`), for reports.
import type { ArchSpec, MappingSpec, ProblemSpec, SparseOptimizationsSpec } from '@snipsnap/core'
import { boundSpecText, deriveTensorChains, specText } from '@snipsnap/compress'

/** One tensor's format at one storage level. */
export interface TensorFormatChoice {
  readonly level: string
  readonly tensor: string
  /** Ranks outer to inner, e.g. `U-CP`; `uncompressed` when the level stores it dense. */
  readonly format: string
  /**
   * With a mapping: each rank with the loop dimensions it covers at this level, outer to inner,
   * e.g. `U(M)-B(K)`, `CP(N,K)` (a flattened rank), `B(1)` (a dummy rank of fiber shape 1).
   */
  readonly formatWithDims?: string
}

/**
 * Every explicit format of `sparseOptimizations`, in target order. Given the design (`bind`), each
 * row also names the dimensions its ranks cover under that mapping (`formatWithDims`).
 */
export const formatsOf = (
  sparseOptimizations: SparseOptimizationsSpec,
  bind?: { readonly arch: ArchSpec; readonly problem: ProblemSpec; readonly mapping: MappingSpec },
): TensorFormatChoice[] => {
  let slots: ((level: string, tensor: string) => Parameters<typeof boundSpecText>[0] | undefined) | null = null
  if (bind !== undefined) {
    try {
      const chains = deriveTensorChains(bind)
      slots = (level, tensor) => chains.find((c) => c.tensor === tensor)?.slots.find((s) => s.level === level)
    } catch {
      slots = null // a mapping that does not match the problem: plain texts only
    }
  }
  return sparseOptimizations.targets.flatMap((t) =>
    t.formats.map((f) => {
      const slot = slots?.(t.level, f.tensor)
      return { level: t.level, tensor: f.tensor, format: specText(f), ...(slot !== undefined ? { formatWithDims: boundSpecText(slot, f) } : {}) }
    }),
  )
}

// Tile geometry: the extent of each tensor rank covered by a set of loop bounds, through the
// tensor's projection (sum of coefficient × dim per rank, so sliding windows give H = P + R − 1).
import type { DataSpaceSpec, DimName, ProblemSpec } from '@snipsnap/core'

export type Extents = Record<DimName, number>

/** Per-rank extents of `space` covered by loops whose per-dim bounds multiply to `extents`. */
export const tileShape = (
  space: DataSpaceSpec,
  extents: Readonly<Extents>,
  problem: ProblemSpec,
): number[] =>
  space.projection.map((terms) => {
    let span = 0
    for (const term of terms) {
      const coefficient =
        term.coefficient === null
          ? 1
          : (problem.coefficients[term.coefficient] ?? (Number(term.coefficient) || 1))
      span += coefficient * ((extents[term.dim] ?? 1) - 1)
    }
    return span + 1
  })

export const product = (values: readonly number[]): number => {
  let p = 1
  for (const v of values) p *= v
  return p
}

/** The dims a tensor's projection mentions. */
export const dimsOf = (space: DataSpaceSpec): Set<DimName> => {
  const out = new Set<DimName>()
  for (const terms of space.projection) for (const term of terms) out.add(term.dim)
  return out
}

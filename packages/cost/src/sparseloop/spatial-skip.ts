// The cost model's side of Sparseloop's spatial-skipping rule: the rule itself is
// `createSpatialSkipAnalysis` in @snipsnap/core (shared with the mapspace's cheap check, so both
// accept the same mappings); this file feeds it a prepared design and a nest and turns its answer
// into the verdicts Sparseloop gives, in its order.
import { createSpatialSkipAnalysis, type SpatialSkipLoop, type SpatialSkipResult } from '@snipsnap/core'
import type { Infeasible } from './mapping'
import { extentsOf, type NestLoop } from './nest'
import type { PreparedDesign } from './prepare'

type Check = { readonly ok: true } | Infeasible

/** The fan-out verdict and what the levels check after it. */
export interface SpatialSkipFanout {
  readonly verdict: Check
  /**
   * The arithmetic level's X and Y expansion after spatial skipping, the largest over data spaces
   * (compute_info.max_x_expansion / max_y_expansion), which ArithmeticUnits::Evaluate checks.
   */
  readonly computeX: number
  readonly computeY: number
  /** The whole answer of the rule (per-storage-level expansions and instances). */
  readonly result: SpatialSkipResult
}

const analyses = new WeakMap<PreparedDesign, ReturnType<typeof createSpatialSkipAnalysis>>()

const analysisOf = (design: PreparedDesign): ReturnType<typeof createSpatialSkipAnalysis> => {
  let analysis = analyses.get(design)
  if (analysis === undefined) {
    const compute = design.arch.compute
    const childSpec = (s: number) => (s === 0 ? compute : design.levels[s - 1]!.spec)
    const skips: { level: number; target: number; conditionOn: readonly number[] }[] = []
    for (const level of design.levels) {
      for (const saf of level.safs) {
        if (saf.kind !== 'skipping-spatial') continue
        for (const option of saf.options) skips.push({ level: level.index, target: option.target, conditionOn: option.conditionOn })
      }
    }
    analysis = createSpatialSkipAnalysis({
      dims: design.dims.length,
      relevant: design.tensors.map((t) => t.relevantDims),
      hasMetadata: design.levels.map((level) =>
        design.tensors.map((t) => {
          const format = level.formats[t.index]
          return format !== null && format !== undefined && format.ranks.length > 0
        }),
      ),
      fanoutX: design.levels.map((l, s) => Math.max(1, Math.floor(childSpec(s).meshX / Math.max(1, l.spec.meshX)))),
      fanoutY: design.levels.map((l, s) => Math.max(1, Math.floor(childSpec(s).meshY / Math.max(1, l.spec.meshY)))),
      skips,
      density: (pv) => design.tensors[pv]!.density,
      tileShape: (pv, extents) => extentsOf(design.tensors[pv]!.ranks, extents),
    })
    analyses.set(design, analysis)
  }
  return analysis
}

/**
 * Runs the rule on one nest (runs only when some level declares spatial skipping). The fan-out
 * error names the innermost failing level and carries the first failure's text, as
 * `timeloop-model` prints it.
 */
export const checkSpatialSkipFanout = (
  design: PreparedDesign,
  loops: readonly NestLoop[],
  kept: readonly (readonly boolean[])[],
): SpatialSkipFanout => {
  const perLevel: SpatialSkipLoop[][] = []
  for (let level = 0; level < design.levels.length; level++) perLevel.push([])
  for (const loop of loops) if (loop.bound > 1) perLevel[loop.level]!.push(loop)
  const result = analysisOf(design)({ loops: perLevel, kept })
  const { computeX, computeY, fanoutFailures } = result
  if (fanoutFailures.length === 0) return { verdict: { ok: true }, computeX, computeY, result }
  const first = fanoutFailures[0]!
  let innermost = first.level
  for (const f of fanoutFailures) innermost = Math.min(innermost, f.level)
  const name = innermost === 0 ? design.arch.compute.name : design.levels[innermost - 1]!.spec.name
  const text = `Required fanout${first.axis} ${first.required} does not meet hardware constraint ${first.limit}`
  return { verdict: { ok: false, kind: 'fanout', level: name, reason: `couldn't map level ${name}: ${text}` }, computeX, computeY, result }
}

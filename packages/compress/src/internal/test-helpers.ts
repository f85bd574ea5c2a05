// Small helpers shared by the engine's tests: a design's cost query and the valid branch of a selection.
import type { CostQuery, DesignSpec } from '@snipsnap/core'
import type { FormatSelection, FormatSelectionValid } from '../select'

/** The cost query of a design that has a mapping. */
export const toQuery = (d: DesignSpec): CostQuery => ({
  arch: d.arch, problem: d.problem, mapping: d.mapping!, sparseOptimizations: d.sparseOptimizations, energyTable: d.energyTable,
})

/** The selection when valid; throws its reason otherwise, so a test fails with it. */
export const valid = (r: FormatSelection): FormatSelectionValid => {
  if (!r.valid) throw new Error(r.reason)
  return r
}

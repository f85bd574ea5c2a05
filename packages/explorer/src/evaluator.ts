// The per-design mapping evaluator as a module a worker thread can import
// (`@snipsnap/explorer/evaluator`, for `@snipsnap/search/node`'s worker pool): cheap mapspace check
// first, then the Sparseloop model. The same function serves in-process searches, so a search
// gives the same result whatever runs its evaluations.
import type { DensityModel, DesignSpec, MappingSpec, Registry } from '@snipsnap/core'
import { createDensityRegistry, createSparseloopEvaluator } from '@snipsnap/cost'
import { createMapspace, type Mapspace } from '@snipsnap/mapspace'
import type { Evaluation } from '@snipsnap/search'

/** Options of {@link createEvaluator}: structured-cloneable, so they can cross to a worker. */
export interface DesignEvaluatorOptions {
  /** Arch, problem, formats/SAFs, energy table and constraints; the mapping is ignored. */
  readonly design: DesignSpec
}

/**
 * `(mapping) => Evaluation` with metrics `energy` (pJ), `cycles` and `edp`; an infeasible mapping
 * (cheap check or cost model) is `{ ok: false, reason }`.
 */
export const createDesignEvaluator = (
  design: DesignSpec,
  options: { readonly densityModels?: Registry<DensityModel>; readonly space?: Mapspace } = {},
): ((mapping: MappingSpec) => Evaluation) => {
  // The searching space's own instance memoises verdicts of the mappings it decoded.
  const densityModels = options.densityModels ?? createDensityRegistry()
  const space =
    options.space ??
    createMapspace({ arch: design.arch, problem: design.problem, constraints: design.constraints, sparseOptimizations: design.sparseOptimizations, options: { densities: densityModels } })
  const cost = createSparseloopEvaluator(design, { densityModels })
  return (mapping) => {
    const verdict = space.check(mapping)
    if (!verdict.ok) return { ok: false, reason: verdict.reason }
    const report = cost.evaluate(mapping)
    if (!report.valid) return { ok: false, reason: report.reason }
    return { ok: true, metrics: { energy: report.energyPJ, cycles: report.cycles, edp: report.energyPJ * report.cycles } }
  }
}

/** Worker-pool entry point (see `@snipsnap/search/node`'s `createWorkerPool`). */
export const createEvaluator = (options: DesignEvaluatorOptions): ((mapping: MappingSpec) => Evaluation) => createDesignEvaluator(options.design)

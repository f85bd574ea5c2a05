// Public face of the Sparseloop model: a plain function, a reusable per-design evaluator and
// the `sparseloop` CostModel plug-in.
import { createRankFormatTable, defineCostModel, type CostModel, type RankFormatSource, type CostModelContext, type CostQuery, type CostReport, type DensityModel, type MappingSpec, type Registry } from '@snipsnap/core'
import { createDensityRegistry } from '../density/registry'
import { evaluatePrepared, type SparseloopModelOptions } from './evaluate'
import { prepareDesign, type PreparedDesign } from './prepare'

export type { SparseloopModelOptions } from './evaluate'
export type { PreparedDesign } from './prepare'

/** Options of {@link evaluateSparseloop} and {@link createSparseloopEvaluator}. */
export interface EvaluateSparseloopOptions extends SparseloopModelOptions, CostModelContext {
  /** Density models to resolve `problem.densities` with; defaults to the built-in registry. */
  readonly densityModels?: Registry<DensityModel>
  /**
   * Format primitives to resolve rank symbols with (a `Registry<FormatPrimitive>` from
   * `@snipsnap/format`, or any list of rank formats); defaults to Sparseloop's UOP, CP, B, RLE,
   * UB and U. An unregistered symbol is a PLUGIN_NOT_FOUND error naming it.
   */
  readonly formats?: RankFormatSource
}

/** A design prepared once, evaluated under many mappings. */
export interface SparseloopEvaluator {
  readonly design: PreparedDesign
  /** Cost of one mapping: pure, deterministic, never throws for infeasible mappings. */
  evaluate(mapping: MappingSpec): CostReport
}

/**
 * Prepares everything mapping-independent of a design (level tables, ERT lookups, formats,
 * SAFs, density instances) so that each mapping costs only the per-mapping arithmetic.
 * @throws {SnipSnapError} INVALID_SPEC when the design references unknown levels, tensors or dims.
 * @example
 * const evaluator = createSparseloopEvaluator(design)
 * for (const mapping of mappings) console.log(evaluator.evaluate(mapping).valid)
 */
export const createSparseloopEvaluator = (
  query: Omit<CostQuery, 'mapping'>,
  options: EvaluateSparseloopOptions = {},
): SparseloopEvaluator => {
  const design = prepareDesign({
    arch: query.arch,
    problem: query.problem,
    sparseOptimizations: query.sparseOptimizations,
    energyTable: query.energyTable,
    densityModels: options.densityModels ?? createDensityRegistry(),
    formats: createRankFormatTable(options.formats),
  })
  return { design, evaluate: (mapping) => evaluatePrepared(design, mapping, options) }
}

/**
 * Evaluates one design and mapping the way Sparseloop (Timeloop v2, MICRO'22) does: dense nest
 * analysis, sparse processing (formats, metadata, gating/skipping), ERT energy and bandwidth cycles.
 * @see shared/docs/sparseloop-model.md
 * @throws {SnipSnapError} INVALID_SPEC for malformed designs; infeasible mappings are `{ valid: false }`.
 * @example const report = evaluateSparseloop({ arch, problem, mapping, sparseOptimizations, energyTable })
 */
export const evaluateSparseloop = (query: CostQuery, options: EvaluateSparseloopOptions = {}): CostReport =>
  createSparseloopEvaluator(query, options).evaluate(query.mapping)

/** The Sparseloop-accurate analytical model as a {@link CostModel} plug-in (id `sparseloop`). */
export const sparseloopCostModel: CostModel<EvaluateSparseloopOptions | undefined> = defineCostModel<
  EvaluateSparseloopOptions | undefined
>({
  id: 'sparseloop',
  description: 'Sparseloop-accurate analytical model: accesses, metadata, gating/skipping, ERT energy, cycles',
  accuracy: 90,
  supports: (query) =>
    query.sparseOptimizations.targets.every((t) => t.actionOptimizations.every((a) => a.type !== 'position-skipping')),
  evaluate: (query, options) => evaluateSparseloop(query, options ?? {}),
  prepare: (query, options) => createSparseloopEvaluator(query, options ?? {}).evaluate,
})

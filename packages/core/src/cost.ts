// Contract of a cost model: given a design (accelerator, workload, mapping, formats and SAFs,
// energy table) say what it costs. Pure, synchronous and deterministic; an infeasible design is a
// result value with a reason, never an exception.
import type { DensityModel } from './density'
import type { RankFormatSource } from './rank-format'
import type { PluginMeta, Registry } from './registry'
import type {
  ArchSpec,
  EnergyTableSpec,
  MappingSpec,
  ProblemSpec,
  SparseOptimizationsSpec,
} from './spec'

/** Everything a cost model needs for one evaluation. */
export interface CostQuery {
  readonly arch: ArchSpec
  readonly problem: ProblemSpec
  readonly mapping: MappingSpec
  readonly sparseOptimizations: SparseOptimizationsSpec
  readonly energyTable: EnergyTableSpec | null
}

/** Access counts split the Sparseloop way, totalled over instances. */
export interface ActionCounts {
  readonly actual: number
  readonly gated: number
  readonly skipped: number
}

export interface TensorLevelReport {
  readonly reads: ActionCounts
  readonly fills: ActionCounts
  readonly updates: ActionCounts
  /** Actual metadata reads in metadata units, summed over ranks (totals over instances). */
  readonly metadataReads: number
  readonly energyPJ: number
}

export interface LevelReport {
  readonly kind: 'storage' | 'compute'
  readonly energyPJ: number
  readonly cycles: number
  readonly tensors: Readonly<Record<string, TensorLevelReport>>
}

/**
 * Per-action energy breakdown of one level (and tensor): the model charged
 * `Σ counts[i] × energiesPJ[i]` for it. Lets callers audit a report and check conservation
 * (the reports' total energy is the sum over all breakdowns).
 */
export interface ActionBreakdown {
  readonly level: string
  /** Tensor the actions belong to, or null for compute/level-wide actions. */
  readonly tensor: string | null
  /** Action names, e.g. Sparseloop's `random_read`, `gated_metadata_fill`, `random_compute`. */
  readonly actions: readonly string[]
  /** Action counts (totals over instances, in the unit the energy is charged per, e.g. vectors). */
  readonly counts: readonly number[]
  /** Energy per action in pJ. */
  readonly energiesPJ: readonly number[]
}

/** A feasible design's cost. Counts are totals over all instances. */
export interface CostReportValid {
  readonly valid: true
  readonly cycles: number
  readonly energyPJ: number
  readonly computes: ActionCounts
  readonly levels: Readonly<Record<string, LevelReport>>
  /**
   * Per-action breakdown whose energies sum to `energyPJ` (required by the cost-model
   * conformance suite; optional in the type so minimal models stay simple).
   */
  readonly actions?: readonly ActionBreakdown[]
  /** Optional detail a model may add (utilisation, per-action breakdowns). */
  readonly details?: Readonly<Record<string, unknown>>
}

/** An infeasible design: the reason names the level and what overflowed. */
export interface CostReportInvalid {
  readonly valid: false
  readonly reason: string
  /** Machine-readable kind: capacity, metadata-capacity, fanout, format-ranks, unsupported… */
  readonly kind: string
  readonly level?: string
}

export type CostReport = CostReportValid | CostReportInvalid

/**
 * The registries a composition root (the explorer) hands to every cost model it runs, so that a
 * model resolves rank symbols and density ids through the same plug-ins as the other stages.
 * Models that need neither ignore it.
 */
export interface CostModelContext {
  readonly densityModels?: Registry<DensityModel>
  readonly formats?: RankFormatSource
}

/** A cost model plug-in. */
export interface CostModel<TOptions = void> extends PluginMeta {
  /** 0–100: when several models support a query, the most accurate wins (Accelergy's rule). */
  readonly accuracy?: number
  /** Cheap capability check. */
  supports(query: CostQuery): boolean
  /** Pure, synchronous, deterministic. */
  evaluate(query: CostQuery, options: TOptions): CostReport
  /**
   * Optional capability: prepare the mapping-independent half of a design once and return a
   * per-mapping evaluator (same reports as `evaluate`). Callers use {@link prepareCostModel},
   * which falls back to `evaluate` for models without it.
   */
  prepare?(query: Omit<CostQuery, 'mapping'>, options: TOptions): (mapping: MappingSpec) => CostReport
}

/**
 * A per-mapping evaluator of `model` for one design: the model's `prepare` when it has one, else
 * `evaluate` per mapping.
 * @example const cost = prepareCostModel(model, design, context); cost(mapping).valid
 */
export const prepareCostModel = <TOptions>(
  model: CostModel<TOptions>,
  query: Omit<CostQuery, 'mapping'>,
  options: TOptions,
): ((mapping: MappingSpec) => CostReport) => {
  if (model.prepare !== undefined) return model.prepare(query, options)
  const base = { arch: query.arch, problem: query.problem, sparseOptimizations: query.sparseOptimizations, energyTable: query.energyTable }
  return (mapping) => model.evaluate({ ...base, mapping }, options)
}

/** Identity helper that types a cost model plug-in. */
export const defineCostModel = <TOptions = void>(model: CostModel<TOptions>): CostModel<TOptions> =>
  model

// The composition root: default registries (cost models, search strategies, density models,
// format primitives) wired together, and `searchDesign`, the mapping search of one Timeloop-style
// design with the Sparseloop-accurate cost model. Platform-neutral: time comes from an injected
// clock, threads from an injected executor factory.
import type { AbortSignalLike } from '@snipsnap/search'
import {
  SnipSnapError,
  prepareCostModel,
  type AnySearchStrategy,
  type CostModel,
  type CostReport,
  type DensityModel,
  type DesignSpec,
  type FormatPrimitive,
  type MappingSpec,
  type Registry,
  createRegistry,
  type EnergyAreaEstimator,
} from '@snipsnap/core'
import { createDensityRegistry, sparseloopCostModel } from '@snipsnap/cost'
import { createFormatRegistry } from '@snipsnap/format'
import { createEstimatorRegistry } from '@snipsnap/arch'
import { createMapspace, type Mapspace } from '@snipsnap/mapspace'
import {
  createInProcessExecutor,
  createStrategyRegistry,
  paretoInsert,
  runSearch,
  type Evaluation,
  type Executor,
  type SearchProgress,
  type StopReason,
} from '@snipsnap/search'
import { writeTimeloopMapping } from '@snipsnap/timeloop'
import { objectiveFromMapper, parseObjective, type ExplorerObjective, type MetricName } from './objectives'
import { formatsOf, type TensorFormatChoice } from './formats-summary'
import { createDesignEvaluator } from './evaluator'
import { coSearchDesign, resolveCostModel, type CoSearchDesignOptions, type CoSearchDesignResult, type ExplorerRegistries } from './co-search'
import { exploreModel, type ExploreModelOptions, type ExploreModelResult } from './explore-model'
import { codesignModel, type CodesignOptions, type CodesignResult } from './codesign'

/** Plug-ins the explorer uses; each defaults to the built-in registry of its package. */
export interface ExplorerOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly costModels?: Registry<CostModel<any>>
  readonly strategies?: Registry<AnySearchStrategy>
  readonly densityModels?: Registry<DensityModel>
  readonly formats?: Registry<FormatPrimitive>
  readonly estimators?: Registry<EnergyAreaEstimator>
}

/** Budget of one search: evaluations and/or wall time (ms, needs `clock`). */
export interface ExplorerBudget {
  readonly evaluations?: number
  readonly wallTimeMs?: number
}

/** A progress event of {@link Explorer.searchDesign}. */
export interface ExplorerProgress {
  readonly evaluated: number
  readonly valid: number
  readonly elapsedMs: number | null
  readonly bestEnergyPJ: number | null
  readonly bestCycles: number | null
  /** Candidates in the space (exact count), for progress bars of exhaustive runs. */
  readonly spaceSize: number
}

/** Options of {@link Explorer.searchDesign}. */
export interface SearchDesignOptions {
  /** Metric or lexicographic list; default: the design's mapper `optimization-metrics`, else energy. */
  readonly objective?: ExplorerObjective
  readonly budget: ExplorerBudget
  readonly seed?: number
  /** Strategy id; `auto` (default) is exhaustive for spaces up to `exhaustiveLimit` mappings, else genetic. */
  readonly strategy?: string
  readonly exhaustiveLimit?: number
  /** Cost model id (default `sparseloop`). */
  readonly costModel?: string
  /** ms from any origin (e.g. `() => performance.now()`); required with `budget.wallTimeMs`. */
  readonly clock?: () => number
  readonly signal?: AbortSignalLike
  readonly onProgress?: (progress: ExplorerProgress) => void
  /**
   * Parallel evaluation: called with the design when given (e.g. a worker pool of
   * `@snipsnap/search/node` running `@snipsnap/explorer/evaluator`); the result is the same for
   * the same seed whatever executes the evaluations.
   */
  readonly executor?: Executor<MappingSpec>
}

/** One point of a search result (plain data). */
export interface DesignPoint {
  readonly energyPJ: number
  readonly cycles: number
  readonly edp: number
  readonly mapping: MappingSpec
  /** The mapping as Timeloop mapping YAML (`snipsnap evaluate` accepts it with the design files). */
  readonly mappingYaml: string
  /** Formats per storage level and tensor (the design's own; searchDesign does not change them). */
  readonly formats: readonly TensorFormatChoice[]
}

/** The outcome of {@link Explorer.searchDesign}. */
export interface SearchDesignResult {
  /** Null when no valid mapping was found; `reason` says why. */
  readonly best: DesignPoint | null
  readonly reason: string | null
  readonly objective: readonly MetricName[]
  readonly strategy: string
  readonly stoppedBy: StopReason
  readonly evaluated: number
  readonly valid: number
  readonly elapsedMs: number | null
  /**
   * Preparation before the search starts (mapping space, size, cost-model evaluator), ms by the
   * `clock` option; null without a clock. Not part of `elapsedMs`.
   */
  readonly prepareMs: number | null
  /** Mappings in the space (exact). */
  readonly spaceSize: number
  /** Non-dominated (energy, cycles) points among every valid mapping evaluated. */
  readonly pareto: readonly { readonly energyPJ: number; readonly cycles: number; readonly mappingYaml: string }[]
}

/** The composition root's API. */
export interface Explorer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly costModels: Registry<CostModel<any>>
  readonly strategies: Registry<AnySearchStrategy>
  readonly densityModels: Registry<DensityModel>
  readonly formats: Registry<FormatPrimitive>
  readonly estimators: Registry<EnergyAreaEstimator>
  /** The mapping space of a design (its mapping, if any, is ignored). */
  mapspace(design: DesignSpec): Mapspace
  /** A per-design mapping evaluator of the chosen cost model (prepared once). */
  evaluator(design: DesignSpec, costModel?: string): (mapping: MappingSpec) => CostReport
  /** Searches the mapping space of `design` (mapping ignored) under its formats and SAFs. */
  searchDesign(design: DesignSpec, options: SearchDesignOptions): Promise<SearchDesignResult>
  /** Progressive co-search of dataflow and formats (see `coSearchDesign`). */
  coSearch(design: DesignSpec, options: CoSearchDesignOptions): Promise<CoSearchDesignResult>
  /** Co-searches every distinct layer of a zoo model on an architecture preset (see `exploreModel`). */
  exploreModel(options: ExploreModelOptions): Promise<ExploreModelResult>
  /** Searches hardware, dataflow and formats of a zoo model around a preset (see `codesignModel`). */
  codesignModel(options: CodesignOptions): Promise<CodesignResult>
}

const DEFAULT_EXHAUSTIVE_LIMIT = 20_000

/** Metrics of a valid report, in the explorer's names. */
export const metricsOf = (report: { readonly energyPJ: number; readonly cycles: number }): Record<MetricName, number> => ({
  energy: report.energyPJ,
  cycles: report.cycles,
  edp: report.energyPJ * report.cycles,
})

const checkBudget = (budget: ExplorerBudget, clock: (() => number) | undefined): void => {
  const { evaluations, wallTimeMs } = budget
  if (evaluations === undefined && wallTimeMs === undefined) {
    throw new SnipSnapError('INVALID_SPEC', 'give a budget: evaluations and/or wall time', { path: ['budget'] })
  }
  if (evaluations !== undefined && !(evaluations > 0)) {
    throw new SnipSnapError('INVALID_SPEC', `budget.evaluations must be > 0 (got ${evaluations}): a zero budget cannot find a mapping`, { path: ['budget', 'evaluations'] })
  }
  if (wallTimeMs !== undefined && !(wallTimeMs > 0 && Number.isFinite(wallTimeMs))) {
    throw new SnipSnapError('INVALID_SPEC', `budget.wallTimeMs must be a positive finite number (got ${wallTimeMs}): a zero budget cannot find a mapping`, { path: ['budget', 'wallTimeMs'] })
  }
  if (wallTimeMs !== undefined && clock === undefined) {
    throw new SnipSnapError('INVALID_SPEC', 'a wall-time budget needs a clock', { path: ['clock'] })
  }
}

/**
 * Creates the explorer with default registries (Sparseloop cost model, the four built-in search
 * strategies, built-in density models and format primitives), each replaceable.
 * @example
 * const explorer = createExplorer()
 * const result = await explorer.searchDesign(design, { objective: 'energy', budget: { evaluations: 2000 }, seed: 1 })
 */
export const createExplorer = (options: ExplorerOptions = {}): Explorer => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const costModels = options.costModels ?? createRegistry<CostModel<any>>('cost-model', [sparseloopCostModel])
  const strategies = options.strategies ?? createStrategyRegistry()
  const densityModels = options.densityModels ?? createDensityRegistry()
  const formats = options.formats ?? createFormatRegistry()
  const estimators = options.estimators ?? createEstimatorRegistry()
  // One context carries every registry to the engine, the mapspace, the co-search and exploreModel.
  const registries: ExplorerRegistries = { strategies, densityModels, formats, costModels, estimators }

  const mapspace = (design: DesignSpec): Mapspace =>
    createMapspace({
      arch: design.arch,
      problem: design.problem,
      constraints: design.constraints,
      sparseOptimizations: design.sparseOptimizations,
      options: { densities: densityModels, formats },
    })

  const evaluator = (design: DesignSpec, costModel = 'sparseloop'): ((mapping: MappingSpec) => CostReport) => {
    // Models with a `prepare` capability (Sparseloop) prepare the mapping-independent half once.
    const cost = resolveCostModel(registries, costModel)
    return prepareCostModel(cost.model, design, cost.context)
  }

  const searchDesign = async (design: DesignSpec, opts: SearchDesignOptions): Promise<SearchDesignResult> => {
    checkBudget(opts.budget, opts.clock)
    const prepareStart = opts.clock?.()
    const objective = opts.objective !== undefined ? parseObjective(opts.objective) : (objectiveFromMapper(design.mapper?.optimizationMetrics) ?? ['energy'])
    const space = mapspace(design)
    const spaceSize = Number(space.size().total)
    const strategyId = opts.strategy === undefined || opts.strategy === 'auto' ? (spaceSize <= (opts.exhaustiveLimit ?? DEFAULT_EXHAUSTIVE_LIMIT) ? 'exhaustive' : 'genetic') : opts.strategy
    const strategy = strategies.get(strategyId)
    let front: { objectives: number[]; mapping: MappingSpec }[] = []
    let lastReason: string | null = null
    // Results are observed in ask order whatever evaluates them, so the (energy, cycles) archive and
    // the last rejection are the same in-process and on worker threads.
    const observe = (mapping: MappingSpec, evaluation: Evaluation): Evaluation => {
      if (!evaluation.ok) lastReason = evaluation.reason
      else {
        const energy = evaluation.metrics['energy'] ?? Number.NaN
        const cycles = evaluation.metrics['cycles'] ?? Number.NaN
        front = [...paretoInsert(front, { objectives: [energy, cycles], mapping }).front]
      }
      return evaluation
    }
    // The same evaluator a worker thread builds (`@snipsnap/explorer/evaluator`), on this explorer's registries.
    const evaluateOne = createDesignEvaluator(design, { densityModels, formats, costModels, space, ...(opts.costModel === undefined ? {} : { costModel: opts.costModel }) })
    const outer = opts.executor
    // In-process batches check the signal between designs (a deadline or Ctrl-C stops within one
    // evaluation); results are observed only once the whole batch is back, as for workers.
    const inProcessExecutor = createInProcessExecutor(evaluateOne)
    const executor: Executor<MappingSpec> =
      outer === undefined
        ? {
            evaluate: (designs, context) => {
              const results = inProcessExecutor.evaluate(designs, context) as readonly Evaluation[]
              return results.map((r, i) => observe(designs[i] as MappingSpec, r))
            },
          }
        : {
            ...(outer.concurrency !== undefined ? { concurrency: outer.concurrency } : {}),
            evaluate: async (designs, context) => {
              const results = await outer.evaluate(designs, context)
              return results.map((r, i) => observe(designs[i] as MappingSpec, r))
            },
          }
    const budget = { evaluations: opts.budget.evaluations ?? Number.POSITIVE_INFINITY, ...(opts.budget.wallTimeMs !== undefined ? { wallTimeMs: opts.budget.wallTimeMs } : {}) }
    const onProgress = opts.onProgress
    const prepareMs = prepareStart === undefined || opts.clock === undefined ? null : opts.clock() - prepareStart
    const result = await runSearch<MappingSpec, unknown, unknown>({
      space,
      strategy,
      executor,
      objectives: [...objective],
      budget,
      seed: opts.seed ?? 1,
      ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
      ...(onProgress !== undefined
        ? {
            onProgress: (p: SearchProgress<MappingSpec>) =>
              onProgress({
                evaluated: p.evaluated,
                valid: p.valid,
                elapsedMs: p.elapsedMs ?? null,
                bestEnergyPJ: p.best?.metrics['energy'] ?? null,
                bestCycles: p.best?.metrics['cycles'] ?? null,
                spaceSize,
              }),
          }
        : {}),
    })
    const designFormats = formatsOf(design.sparseOptimizations)
    const best: DesignPoint | null =
      result.best === null
        ? null
        : {
            energyPJ: result.best.metrics['energy'] ?? Number.NaN,
            cycles: result.best.metrics['cycles'] ?? Number.NaN,
            edp: result.best.metrics['edp'] ?? Number.NaN,
            mapping: result.best.design,
            mappingYaml: writeTimeloopMapping(result.best.design, design),
            formats: designFormats,
          }
    const pareto = front.map((p) => ({ energyPJ: p.objectives[0] ?? 0, cycles: p.objectives[1] ?? 0, mappingYaml: writeTimeloopMapping(p.mapping, design) }))
    const reason =
      best !== null
        ? null
        : result.evaluated === 0 && result.stoppedBy !== 'abort'
          ? `no mapping passes the mapspace's cheap checks (capacity, fan-out, constraints) in a space of ${spaceSize}`
          : `no valid mapping among ${result.evaluated} evaluated (stopped by ${result.stoppedBy})${lastReason !== null ? `; last rejection: ${lastReason}` : ''}`
    return {
      best,
      reason,
      objective,
      strategy: strategyId,
      stoppedBy: result.stoppedBy,
      evaluated: result.evaluated,
      valid: result.valid,
      elapsedMs: result.elapsedMs ?? null,
      prepareMs,
      spaceSize,
      pareto,
    }
  }

  const coSearch = (design: DesignSpec, opts: CoSearchDesignOptions): Promise<CoSearchDesignResult> => coSearchDesign(design, opts, registries)

  const explore = (opts: ExploreModelOptions): Promise<ExploreModelResult> => exploreModel(opts, registries)

  const codesign = (opts: CodesignOptions): Promise<CodesignResult> => codesignModel(opts, registries)
  return { costModels, strategies, densityModels, formats, estimators, mapspace, evaluator, searchDesign, coSearch, exploreModel: explore, codesignModel: codesign }
}

// Progressive co-search of dataflow (mapping) and compression formats, the driver of issue 6.
// Domain types come from @snipsnap/core only; the mapping space, the cost model and the
// compression engine are parameters (the explorer wires in the defaults). Stages:
//   1. dataflow search under the design's default formats (runSearch over the mapping space);
//   2. the compression engine picks formats for each of the top-M dataflows; the best
//      (mapping, formats) pair, costed by the same cost model, becomes the incumbent;
//   3. joint refinement: search the dataflow again under the incumbent's formats (a new mapping
//      space, since formats constrain which loop nests fit), re-pick formats for the new top-M,
//      repeat until the relative gain is below `epsilon` or `maxRounds` rounds have run.
// Deterministic under a seed: every stage's seed is forked from it by label.
import {
  createRng,
  SnipSnapError,
  type AnySearchStrategy,
  type CostModel,
  type CostQuery,
  type CostReport,
  type MappingSpec,
  type SparseOptimizationsSpec,
  type Space,
} from '@snipsnap/core'
import type { AbortSignalLike, Evaluation, Metrics } from './executor'
import { createObjectiveOrder, type ObjectiveSpec } from './objectives'
import { runSearch, type CachedOutcome, type SearchBudget, type SearchCache, type StopReason } from './run-search'

/** A mapping space as the driver needs it: a search space, optionally with a cheap validity check. */
export interface CoSearchMapspace extends Space<MappingSpec> {
  /** Cheap validity (capacity, fan-out, constraints) run before the cost model. */
  check?(mapping: MappingSpec): { readonly ok: true } | { readonly ok: false; readonly reason: string }
}

/** Formats the compression engine chose for one (design, mapping), or why it could not. */
export type CompressionChoice =
  | { readonly valid: true; readonly sparseOptimizations: SparseOptimizationsSpec }
  | { readonly valid: false; readonly reason: string }

/** The compression engine as the driver sees it (e.g. `@snipsnap/compress`'s `optimizeFormats`). */
export interface CompressionEngine {
  selectFormats(query: CostQuery): CompressionChoice
}

/** A costed (mapping, formats) pair. */
export interface CoDesignPoint {
  readonly mapping: MappingSpec
  readonly sparseOptimizations: SparseOptimizationsSpec
  /** `energy` (pJ), `cycles`, `edp` (pJ·cycles) from the cost model's report. */
  readonly metrics: Metrics
  readonly objectives: readonly number[]
}

/** What happened in one stage (plain data, for reports). */
export interface CoSearchStageReport {
  readonly stage: 'dataflow' | 'formats' | 'refine-dataflow' | 'refine-formats'
  readonly round: number
  /** Cost-model evaluations in this stage (fresh dataflow evaluations, or format pairs costed). */
  readonly evaluated: number
  readonly bestMetrics: Metrics | null
  readonly stoppedBy?: StopReason
}

/** Options of {@link progressiveCoSearch}. */
export interface ProgressiveCoSearchOptions<TCostOptions = void> {
  /** Accelerator, workload, energy table and the default formats/SAFs (`sparseOptimizations`). */
  readonly base: Omit<CostQuery, 'mapping'>
  /** The mapping space under given formats (formats decide which loop nests fit their ranks). */
  readonly mapspace: (sparseOptimizations: SparseOptimizationsSpec) => CoSearchMapspace
  readonly costModel: CostModel<TCostOptions>
  readonly costModelOptions?: TCostOptions
  /**
   * Optional fast path: a per-formats evaluator prepared once (e.g. the Sparseloop model's
   * `createSparseloopEvaluator`); must agree with `costModel`.
   */
  readonly prepareEvaluator?: (query: Omit<CostQuery, 'mapping'>) => (mapping: MappingSpec) => CostReport
  readonly compression: CompressionEngine
  readonly strategy: AnySearchStrategy
  readonly strategyOptions?: unknown
  /** Objective over the metrics `energy`, `cycles`, `edp` (lexicographic list or weighted). */
  readonly objectives: ObjectiveSpec
  /** Budget of each dataflow search (stage 1 and every refinement round). */
  readonly dataflowBudget: SearchBudget
  /**
   * Stopping rule of each dataflow search, with `dataflowBudget` as the cap: stop after this many
   * fresh valid evaluations in a row that did not improve the search's best (runSearch's
   * `patience`). Default: none (the budget alone ends each search).
   */
  readonly patience?: number
  /**
   * Stage 1 of an earlier run over the same base, mapping space, cost model, objective, budget and
   * seed (its result's `stage1`): reused instead of searching again, so several runs that differ
   * only in their compression engine (e.g. fixed-format baselines) share one stage 1. Its
   * evaluations count in this run's `evaluated` too: the run used them.
   */
  readonly stage1?: CoSearchStage1
  /**
   * Independent starts of the stage-1 dataflow search (default 1): each a full search with its own
   * seed, sharing one cache; the top-M of all of them go to the compression engine. More starts
   * land in more of the space's basins.
   */
  readonly stage1Starts?: number
  /**
   * Warm start (default false): each refinement round's dataflow search (also in a run reusing
   * `stage1`) starts from the incumbent's mapping and stage 1's top-M mappings, passed to the
   * strategy as its `initialDesigns` option (`genetic` and `simulated-annealing` take it), so a
   * round searches on from the best basin found instead of from scratch.
   */
  readonly warmStart?: boolean
  /**
   * Polish (default false): after each dataflow search, a deterministic descent from its best
   * mapping through the space's `neighbours` (first improvement, in the space's fixed order, until
   * no neighbour improves), within what the search left of `dataflowBudget` (its evaluations count
   * in the same cap; cache hits are free) and its wall time. Skipped when the space has no
   * `neighbours`.
   */
  readonly polish?: boolean
  /**
   * Stratified stage 1 (default false), for a mapping space with `strata` (e.g. one per keep/bypass
   * combination): stage 1 first screens every stratum with a short search (it stops after
   * `strataPatience` fresh valid evaluations without improvement, or `strataPatience` infeasible
   * ones in a row, within `dataflowBudget`), then runs its `stage1Starts` searches each in one of
   * the best strata (best first), starting from that stratum's best mappings. A search of the whole
   * space settles in one family of tilings and rarely leaves it; the screening visits every family.
   */
  readonly stratify?: boolean
  /** Patience of each stratum's screening search (default 32). */
  readonly strataPatience?: number
  /** Dataflows handed to the compression engine per round (default 4). */
  readonly topM?: number
  /** Refinement rounds at most (default 3). */
  readonly maxRounds?: number
  /** Stop refining when the relative gain of the first objective is below this (default 1e-3). */
  readonly epsilon?: number
  readonly seed: number
  readonly clock?: () => number
  readonly signal?: AbortSignalLike
  readonly onStage?: (report: CoSearchStageReport) => void
}

/** Stage 1 of a run (the dataflow search under the default formats), reusable by another run. */
export interface CoSearchStage1 {
  /** Its top-M distinct valid mappings, best first. */
  readonly top: readonly CoDesignPoint[]
  readonly report: CoSearchStageReport
  /**
   * What stage 1 evaluated, keyed by `space.key` (a snapshot taken when it ended): a run reusing
   * the stage starts its cache for the default formats from a copy of it, so it continues exactly
   * as the run that searched it. Not JSON: keep it in memory.
   */
  readonly cache: ReadonlyMap<string, CachedOutcome>
}

/** The outcome of {@link progressiveCoSearch}: plain data. */
export interface ProgressiveCoSearchResult {
  /** Best pair found, or null when no valid mapping exists under the default formats. */
  readonly best: CoDesignPoint | null
  /** Stage 1's best: the dataflow-only result under the default formats. */
  readonly dataflowOnly: CoDesignPoint | null
  readonly stages: readonly CoSearchStageReport[]
  /** Stage 1, to pass as `stage1` to another run that differs only in its compression engine. */
  readonly stage1: CoSearchStage1
  /** Rounds of joint refinement run (0 when stage 2 found nothing to refine). */
  readonly rounds: number
  readonly converged: boolean
  /** Cost-model evaluations over every stage. */
  readonly evaluated: number
  readonly reason: string | null
}

const metricsOf = (report: { readonly energyPJ: number; readonly cycles: number }): Metrics => ({
  energy: report.energyPJ,
  cycles: report.cycles,
  edp: report.energyPJ * report.cycles,
})

const positiveInt = (value: number, path: string): number => {
  if (!Number.isSafeInteger(value) || value < 1) throw new SnipSnapError('INVALID_SPEC', `${path} must be a positive integer, got ${value}`, { path: ['options', path] })
  return value
}

/**
 * The polish of a dataflow search: from its best point, first-improvement descent over
 * `space.neighbours` in their fixed order until no neighbour improves, at most `budget` fresh
 * evaluations (cache hits are free; fresh outcomes go into `cache`), stopping early when `stop()`.
 * Every valid point met goes to `keep`. Returns the fresh evaluations spent.
 */
const polishDataflow = (
  space: CoSearchMapspace,
  from: CoDesignPoint,
  budget: number,
  cache: SearchCache,
  evaluate: (mapping: MappingSpec) => Evaluation,
  pointOf: (mapping: MappingSpec, metrics: Metrics) => CoDesignPoint,
  better: (a: CoDesignPoint, b: CoDesignPoint | null) => boolean,
  keep: (point: CoDesignPoint) => void,
  stop: () => boolean,
): number => {
  let fresh = 0
  let current = from
  for (;;) {
    let next: CoDesignPoint | null = null
    for (const mapping of space.neighbours?.(current.mapping) ?? []) {
      const key = space.key(mapping)
      let outcome = cache.get(key)
      if (outcome === undefined) {
        if (fresh >= budget || stop()) return fresh
        fresh++
        const e = evaluate(mapping)
        outcome = e.ok ? { ok: true, metrics: e.metrics } : { ok: false, reason: e.reason }
        cache.set(key, outcome)
      }
      if (!outcome.ok) continue
      const point = pointOf(mapping, outcome.metrics)
      keep(point)
      if (better(point, current)) {
        next = point
        break
      }
    }
    if (next === null) return fresh
    current = next
  }
}

/**
 * Searches dataflow and formats together, progressively (see the file header for the stages).
 * @throws {SnipSnapError} INVALID_SPEC for bad options (`topM`, `maxRounds`, `epsilon`, budget).
 * @example
 * const result = await progressiveCoSearch({ base, mapspace, costModel, compression, strategy: genetic,
 *   objectives: 'energy', dataflowBudget: { evaluations: 500 }, seed: 1 })
 */
export const progressiveCoSearch = async <TCostOptions = void>(
  options: ProgressiveCoSearchOptions<TCostOptions>,
): Promise<ProgressiveCoSearchResult> => {
  const topM = positiveInt(options.topM ?? 4, 'topM')
  const maxRounds = options.maxRounds ?? 3
  if (!Number.isSafeInteger(maxRounds) || maxRounds < 0) throw new SnipSnapError('INVALID_SPEC', `maxRounds must be an integer ≥ 0, got ${maxRounds}`, { path: ['options', 'maxRounds'] })
  const epsilon = options.epsilon ?? 1e-3
  if (options.patience !== undefined) positiveInt(options.patience, 'patience')
  if (options.stage1Starts !== undefined) positiveInt(options.stage1Starts, 'stage1Starts')
  if (options.strataPatience !== undefined) positiveInt(options.strataPatience, 'strataPatience')
  if (!(epsilon >= 0 && Number.isFinite(epsilon))) throw new SnipSnapError('INVALID_SPEC', `epsilon must be a finite number ≥ 0, got ${epsilon}`, { path: ['options', 'epsilon'] })
  const order = createObjectiveOrder(options.objectives)
  const rootRng = createRng(options.seed)
  const seedFor = (label: string): number => rootRng.fork(label).int(0x7fffffff)
  const stages: CoSearchStageReport[] = []
  const report = (r: CoSearchStageReport): void => {
    stages.push(r)
    options.onStage?.(r)
  }
  let evaluatedTotal = 0

  const costFor = (sparseOptimizations: SparseOptimizationsSpec): ((mapping: MappingSpec) => CostReport) => {
    const query = { ...options.base, sparseOptimizations }
    if (options.prepareEvaluator !== undefined) return options.prepareEvaluator(query)
    return (mapping) => options.costModel.evaluate({ ...query, mapping }, options.costModelOptions as TCostOptions)
  }
  const toPoint = (mapping: MappingSpec, sparseOptimizations: SparseOptimizationsSpec, metrics: Metrics): CoDesignPoint => ({
    mapping,
    sparseOptimizations,
    metrics,
    objectives: order.names.map((n) => metrics[n] ?? Number.NaN),
  })
  const better = (a: CoDesignPoint, b: CoDesignPoint | null): boolean => b === null || order.compare(a.objectives, b.objectives) < 0

  // One dataflow search under fixed formats; returns its top-M distinct valid mappings, best first.
  const caches = new Map<string, SearchCache>()
  const searchDataflow = async (
    sparseOptimizations: SparseOptimizationsSpec,
    label: string,
    round: number,
    emit = true,
    seeds: readonly MappingSpec[] = [],
    within?: { readonly space: CoSearchMapspace; readonly patience?: number; readonly invalidLimit?: number },
  ): Promise<CoSearchStage1> => {
    const space = within?.space ?? options.mapspace(sparseOptimizations)
    const cost = costFor(sparseOptimizations)
    const formatsKey = JSON.stringify(sparseOptimizations)
    const cache = caches.get(formatsKey) ?? new Map()
    caches.set(formatsKey, cache)
    let top: CoDesignPoint[] = []
    const keep = (point: CoDesignPoint): void => {
      // Keep the M best in evaluation order among equals (stable insertion), each mapping once.
      if (top.length < topM || better(point, top[top.length - 1] ?? null)) {
        const key = space.key(point.mapping)
        if (top.some((p) => space.key(p.mapping) === key)) return
        top = [...top, point].sort((a, b) => order.compare(a.objectives, b.objectives)).slice(0, topM)
      }
    }
    const evaluate = (mapping: MappingSpec): Evaluation => {
      const verdict = space.check?.(mapping) ?? { ok: true as const }
      if (!verdict.ok) return { ok: false, reason: verdict.reason }
      const r = cost(mapping)
      if (!r.valid) return { ok: false, reason: r.reason }
      const metrics = metricsOf(r)
      keep(toPoint(mapping, sparseOptimizations, metrics))
      return { ok: true, metrics }
    }
    const startedMs = options.clock?.()
    const result = await runSearch<MappingSpec, unknown, unknown>({
      space,
      strategy: options.strategy,
      ...(seeds.length > 0
        ? { strategyOptions: { ...((options.strategyOptions as object | undefined) ?? {}), initialDesigns: seeds } }
        : options.strategyOptions !== undefined
          ? { strategyOptions: options.strategyOptions }
          : {}),
      evaluate,
      objectives: options.objectives,
      budget: options.dataflowBudget,
      seed: seedFor(label),
      cache,
      ...((within?.patience ?? options.patience) !== undefined ? { patience: within?.patience ?? options.patience } : {}),
      ...(within?.invalidLimit !== undefined ? { invalidLimit: within.invalidLimit } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    })
    let evaluated = result.evaluated
    let bestMetrics = result.best?.metrics ?? null
    const from = top[0]
    if (options.polish === true && space.neighbours !== undefined && from !== undefined && result.stoppedBy !== 'abort') {
      const left = (options.dataflowBudget.evaluations ?? Number.POSITIVE_INFINITY) - evaluated
      const wall = options.dataflowBudget.wallTimeMs
      const outOfTime = (): boolean => wall !== undefined && options.clock !== undefined && startedMs !== undefined && options.clock() - startedMs >= wall
      evaluated += polishDataflow(space, from, left, cache, evaluate, (mapping, metrics) => toPoint(mapping, sparseOptimizations, metrics), better, keep, () => options.signal?.aborted === true || outOfTime())
      const polished = top[0] as CoDesignPoint
      if (bestMetrics === null || order.compare(polished.objectives, order.names.map((n) => bestMetrics?.[n] ?? Number.NaN)) < 0) bestMetrics = polished.metrics
    }
    evaluatedTotal += evaluated
    const stageReport: CoSearchStageReport = { stage: round === 0 ? 'dataflow' : 'refine-dataflow', round, evaluated, bestMetrics, stoppedBy: result.stoppedBy }
    if (emit) report(stageReport)
    // Only stage 1 is reused by other runs: snapshot its cache, later rounds keep adding to theirs.
    return { top, report: stageReport, cache: round === 0 ? new Map(cache) : cache }
  }

  // Formats for each dataflow; the best costed pair (the dataflow's own formats included).
  const pickFormats = (dataflows: readonly CoDesignPoint[], round: number): CoDesignPoint | null => {
    let best: CoDesignPoint | null = null
    let evaluated = 0
    for (const point of dataflows) {
      if (better(point, best)) best = point
      const choice = options.compression.selectFormats({ ...options.base, sparseOptimizations: point.sparseOptimizations, mapping: point.mapping })
      if (!choice.valid) continue
      const r = costFor(choice.sparseOptimizations)(point.mapping)
      evaluated++
      if (!r.valid) continue
      const candidate = toPoint(point.mapping, choice.sparseOptimizations, metricsOf(r))
      if (better(candidate, best)) best = candidate
    }
    evaluatedTotal += evaluated
    report({ stage: round === 0 ? 'formats' : 'refine-formats', round, evaluated, bestMetrics: best?.metrics ?? null })
    return best
  }

  let stage1Result: CoSearchStage1
  if (options.stage1 !== undefined) {
    stage1Result = options.stage1
    caches.set(JSON.stringify(options.base.sparseOptimizations), new Map(stage1Result.cache))
    evaluatedTotal += stage1Result.report.evaluated
    report(stage1Result.report)
  } else {
    const starts = options.stage1Starts ?? 1
    const base = options.base.sparseOptimizations
    const strata = options.stratify === true ? (options.mapspace(base).strata?.() ?? []) : []
    if (starts <= 1 && strata.length === 0) stage1Result = await searchDataflow(base, 'dataflow:0', 0)
    else {
      // Independent starts (seeds forked by label) sharing one cache; their top-M pooled.
      const runs: CoSearchStage1[] = []
      if (strata.length > 0) {
        const strataPatience = positiveInt(options.strataPatience ?? 32, 'strataPatience')
        const screened: { space: CoSearchMapspace; run: CoSearchStage1 }[] = []
        for (const [j, space] of strata.entries()) {
          if (options.signal?.aborted === true) break
          const run = await searchDataflow(base, `dataflow:0:stratum${j}`, 0, false, [], { space, patience: strataPatience, invalidLimit: strataPatience })
          runs.push(run)
          screened.push({ space, run })
        }
        // The best strata first (a stratum without a valid mapping last); ties keep stratum order.
        const ranked = screened
          .filter((x) => x.run.top.length > 0)
          .sort((a, b) => order.compare((a.run.top[0] as CoDesignPoint).objectives, (b.run.top[0] as CoDesignPoint).objectives))
        for (let i = 0; i < Math.min(starts, ranked.length) && options.signal?.aborted !== true; i++) {
          const { space, run } = ranked[i] as (typeof ranked)[number]
          runs.push(await searchDataflow(base, `dataflow:0:start${i}`, 0, false, run.top.map((p) => p.mapping), { space }))
        }
      } else {
        for (let i = 0; i < starts && options.signal?.aborted !== true; i++) {
          runs.push(await searchDataflow(base, i === 0 ? 'dataflow:0' : `dataflow:0:start${i}`, 0, false))
        }
      }
      const seen = new Set<string>()
      const pooled: CoDesignPoint[] = []
      for (const p of runs.flatMap((r) => r.top).sort((a, b) => order.compare(a.objectives, b.objectives))) {
        const key = JSON.stringify(p.mapping)
        if (seen.has(key)) continue
        seen.add(key)
        pooled.push(p)
      }
      const top = pooled.slice(0, topM)
      const last = runs.at(-1)
      const stageReport: CoSearchStageReport = {
        stage: 'dataflow',
        round: 0,
        evaluated: runs.reduce((n, r) => n + r.report.evaluated, 0),
        bestMetrics: top[0]?.metrics ?? null,
        ...(last?.report.stoppedBy !== undefined ? { stoppedBy: last.report.stoppedBy } : {}),
      }
      report(stageReport)
      stage1Result = { top, report: stageReport, cache: last?.cache ?? new Map() }
    }
  }
  const stage1 = stage1Result.top
  const dataflowOnly = stage1[0] ?? null
  if (dataflowOnly === null) {
    return { best: null, dataflowOnly: null, stages, stage1: stage1Result, rounds: 0, converged: false, evaluated: evaluatedTotal, reason: 'no valid mapping under the default formats' }
  }
  let best = pickFormats(stage1, 0) ?? dataflowOnly
  let rounds = 0
  let converged = false
  while (rounds < maxRounds && options.signal?.aborted !== true) {
    rounds++
    const before = best
    // Warm start: the incumbent's and stage 1's mappings seed the round's search.
    const seeds = options.warmStart === true ? [best.mapping, ...stage1.map((p) => p.mapping)] : []
    const { top: dataflows } = await searchDataflow(best.sparseOptimizations, `dataflow:${rounds}`, rounds, true, seeds)
    // The incumbent stays a candidate: refinement never loses it.
    const candidate = pickFormats([best, ...dataflows], rounds)
    if (candidate !== null && better(candidate, best)) best = candidate
    const gain = (before.objectives[0] ?? 0) > 0 ? ((before.objectives[0] ?? 0) - (best.objectives[0] ?? 0)) / (before.objectives[0] ?? 1) : 0
    if (best === before || gain < epsilon) {
      converged = true
      break
    }
  }
  return { best, dataflowOnly, stages, stage1: stage1Result, rounds, converged, evaluated: evaluatedTotal, reason: null }
}

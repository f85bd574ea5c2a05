// The search driver: owns everything cross-cutting (house style §6) so strategies stay pure:
// budget (evaluations and wall time through an injected clock), caching of seen designs by
// `space.key`, AbortSignal, progress events, prune requests, the seeded random stream, and
// evaluation through an Executor. Batches are asked with a size that never depends on the
// executor and results are told in ask order, so the same seed gives the same run whatever the
// thread count (wall-time budgets and aborts excepted: they depend on the clock).
import {
  createRng,
  SnipSnapError,
  toSnipSnapError,
  type Evaluated,
  type PruneRequest,
  type SearchStrategy,
  type Space,
  type StrategyContext,
} from '@snipsnap/core'
import {
  createInProcessExecutor,
  isPromiseLike,
  type AbortSignalLike,
  type Evaluate,
  type Evaluation,
  type Executor,
  type Metrics,
} from './executor'
import { createChecker } from './internal/options'
import { yieldToEventLoop } from './internal/scheduler'
import { createObjectiveOrder, type NormalizedObjectives, type ObjectiveSpec } from './objectives'
import { paretoInsert } from './pareto'

/** Limits of a run; at least one must be given. A limit of 0 ends the run before any evaluation. */
export interface SearchBudget {
  /** Fresh evaluations (cache hits are free). An integer ≥ 0, or `Infinity` for no limit. */
  readonly evaluations?: number
  /** Wall time in milliseconds, measured with the run's `clock` (required with this limit). */
  readonly wallTimeMs?: number
}

/** Why a run ended. */
export type StopReason =
  /** An evaluation or wall-time limit was reached. */
  | 'budget'
  /** The strategy used up the space (exhaustive search) and found a valid design. */
  | 'exhausted'
  /** The `signal` was aborted; the result holds the best design found before. */
  | 'abort'
  /** The strategy finished by itself (converged, or proposed nothing more). */
  | 'strategy-done'
  /** The strategy proposed only already-seen designs for `staleLimit` candidates in a row, or
   *  `invalidLimit` fresh designs in a row were infeasible after a valid one was found. */
  | 'stalled'
  /** `patience` fresh valid designs in a row did not improve the best (Timeloop's victory condition). */
  | 'converged'
  /** The space was used up, the run stalled, or `invalidLimit` was hit, without a single valid design. */
  | 'no-valid-design'

/** A valid design with its metrics and objective vector (in the run's objective order). */
export interface SearchPoint<D> {
  readonly design: D
  readonly key: string
  readonly metrics: Metrics
  readonly objectives: readonly number[]
  /** 1-based index of the fresh evaluation that found it. */
  readonly evaluation: number
}

/** A progress event, sent after every batch. */
export interface SearchProgress<D> {
  readonly evaluated: number
  readonly valid: number
  readonly cacheHits: number
  readonly batches: number
  readonly best: SearchPoint<D> | null
  /** Milliseconds since the start, when a clock was given. */
  readonly elapsedMs?: number
}

/** One told candidate, recorded when `trace: true`. */
export interface TraceEntry {
  readonly key: string
  readonly ok: boolean
  /** The objective vector, for a valid design. */
  readonly objectives?: readonly number[]
  readonly cached: boolean
}

/** The outcome of {@link runSearch}: plain data (JSON-serialisable when the design type is). */
export interface SearchResult<D, TState> {
  readonly stoppedBy: StopReason
  /** Best valid design under the objective order (the first found among equals), or `null`. */
  readonly best: SearchPoint<D> | null
  /** Non-dominated valid designs over the objective vector, in the order they were found. */
  readonly pareto: readonly SearchPoint<D>[]
  readonly objectives: NormalizedObjectives
  /** Fresh evaluations (what the evaluation budget counts). */
  readonly evaluated: number
  /** Fresh evaluations that were valid. */
  readonly valid: number
  /** Candidates answered from the cache (seen before, or repeated within a batch). */
  readonly cacheHits: number
  /** Candidates asked from the strategy (= evaluated + cacheHits). */
  readonly asked: number
  readonly batches: number
  readonly elapsedMs?: number
  /** The strategy's final state: pass it as `initialState` to continue the run. */
  readonly state: TState
  readonly trace?: readonly TraceEntry[]
}

/** Options of {@link runSearch}. */
export interface RunSearchOptions<D, TState, TOptions> {
  /** The design space; the run's design type is inferred from it alone. */
  readonly space: Space<D>
  // NoInfer: built-in strategies are typed over `any` designs and must not widen D to `any`.
  readonly strategy: SearchStrategy<NoInfer<D>, TState, TOptions>
  readonly strategyOptions?: TOptions
  /** The evaluator, run in-process. Give either this or `executor`. */
  readonly evaluate?: Evaluate<D>
  /** Where designs are evaluated (e.g. the worker pool of `@snipsnap/search/node`). */
  readonly executor?: Executor<NoInfer<D>>
  readonly objectives: ObjectiveSpec
  readonly budget: SearchBudget
  /** Seeds the strategy's random stream; the same seed replays the same run. */
  readonly seed: number
  readonly signal?: AbortSignalLike
  readonly onProgress?: (progress: SearchProgress<D>) => void
  /** Milliseconds from an arbitrary origin (e.g. `() => performance.now()`), injected for determinism. */
  readonly clock?: () => number
  /** Candidates asked per batch (≥ 1, default 16). Never derive it from the thread count. */
  readonly batchSize?: number
  /** Consecutive cache hits after which the run stops as `stalled` (≥ 1, default 10 000). */
  readonly staleLimit?: number
  /**
   * Stop after this many infeasible fresh evaluations in a row (≥ 1; Timeloop's mapper `timeout`).
   * Default: no limit.
   */
  readonly invalidLimit?: number
  /**
   * Stop as `converged` after this many valid fresh evaluations in a row that do not improve the
   * best (≥ 1; Timeloop's mapper `victory-condition`). Default: no limit.
   */
  readonly patience?: number
  /** Record every told candidate in `result.trace`. */
  readonly trace?: boolean
  /**
   * Outcomes known before the run (e.g. from an earlier stage), keyed by `space.key`; the run
   * reads it as cache hits and adds every fresh evaluation to it.
   */
  readonly cache?: SearchCache
  /** Resume from a saved strategy state instead of `strategy.init`. */
  readonly initialState?: TState
  /**
   * Driver-side pruning: return a hint to skip the subtree around a just-evaluated design
   * (e.g. a lower bound already worse than `best`). Combined with hints evaluators return.
   */
  readonly pruneRule?: (result: Evaluated<D>, best: SearchPoint<D> | null) => { depth: number; reason: 'infeasible' | 'dominated' } | undefined
}

const DEFAULT_BATCH_SIZE = 16
const DEFAULT_STALE_LIMIT = 10_000
// With a clock, hand control to the event loop this often (ms) so an abort can be delivered.
const YIELD_INTERVAL_MS = 10

/**
 * A cached outcome, keyed by `space.key` in a {@link SearchCache}. The objective vector is not
 * stored: it is rebuilt from the metrics for each run's objectives, so one cache can serve runs
 * (e.g. the stages of a progressive search) that rank differently.
 */
export type CachedOutcome =
  | { readonly ok: true; readonly metrics: Metrics }
  | { readonly ok: false; readonly reason: string }

/** Evaluations shared across runs: pass the same map to several `runSearch` calls. */
export type SearchCache = Map<string, CachedOutcome>

type CacheEntry =
  | { readonly ok: true; readonly metrics: Metrics; readonly objectives: readonly number[] }
  | { readonly ok: false; readonly reason: string }

const validateOptions = <D, TState, TOptions>(options: RunSearchOptions<D, TState, TOptions>): void => {
  const check = createChecker()
  const { budget } = options
  if (typeof budget !== 'object' || budget === null) {
    check.fail(['budget'], 'budget must be an object { evaluations?, wallTimeMs? }')
  } else {
    if (budget.evaluations === undefined && budget.wallTimeMs === undefined) {
      check.fail(['budget'], 'give at least one limit: evaluations or wallTimeMs (use evaluations: Infinity for none)')
    }
    if (budget.evaluations !== undefined && budget.evaluations !== Number.POSITIVE_INFINITY) {
      check.integer(budget.evaluations, ['budget', 'evaluations'], 0)
    }
    if (budget.wallTimeMs !== undefined) {
      check.number(budget.wallTimeMs, ['budget', 'wallTimeMs'], 0, Number.MAX_VALUE)
      if (options.clock === undefined) check.fail(['clock'], 'a clock is required with budget.wallTimeMs')
    }
  }
  if (options.evaluate === undefined && options.executor === undefined) {
    check.fail(['evaluate'], 'give an evaluate function or an executor')
  }
  if (options.evaluate !== undefined && options.executor !== undefined) {
    check.fail(['executor'], 'give either evaluate or executor, not both')
  }
  if (typeof options.seed !== 'number' || !Number.isFinite(options.seed)) {
    check.fail(['seed'], `seed must be a finite number, got ${String(options.seed)}`)
  }
  if (options.batchSize !== undefined) check.integer(options.batchSize, ['batchSize'], 1, 1_000_000)
  if (options.staleLimit !== undefined) check.integer(options.staleLimit, ['staleLimit'], 1)
  if (options.invalidLimit !== undefined) check.integer(options.invalidLimit, ['invalidLimit'], 1)
  if (options.patience !== undefined) check.integer(options.patience, ['patience'], 1)
  if (typeof options.space?.key !== 'function' || typeof options.space?.sample !== 'function') {
    check.fail(['space'], 'space must provide key(design) and sample(rng)')
  }
  if (typeof options.strategy?.ask !== 'function' || typeof options.strategy?.tell !== 'function') {
    check.fail(['strategy'], 'strategy must provide init, ask and tell (see defineSearchStrategy)')
  }
  check.done()
}

const toCacheEntry = (evaluation: Evaluation | CachedOutcome, names: readonly string[], key: string): CacheEntry => {
  if (typeof evaluation !== 'object' || evaluation === null || typeof evaluation.ok !== 'boolean') {
    throw new SnipSnapError('INTERNAL', `evaluate returned ${String(evaluation)} for "${key}"; expected { ok, metrics | reason }`, {
      path: ['evaluate'],
    })
  }
  if (!evaluation.ok) return { ok: false, reason: String(evaluation.reason) }
  const metrics = evaluation.metrics
  const objectives = new Array<number>(names.length)
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    const value = metrics?.[name]
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new SnipSnapError(
        'INTERNAL',
        `evaluate returned ${value === undefined ? 'no' : `a non-finite (${String(value)})`} metric "${name}" for "${key}"`,
        { path: ['evaluate', 'metrics', name] },
      )
    }
    objectives[i] = value
  }
  return { ok: true, metrics, objectives }
}

/**
 * Runs a search: asks the strategy for batches, evaluates fresh designs through the executor,
 * answers repeats from the cache, tells results back in ask order, and stops on the first of
 * budget, abort, exhaustion, strategy completion or stall.
 * @returns a plain-data {@link SearchResult}; an empty best (`null`) when nothing valid was found.
 * @throws {SnipSnapError} INVALID_SPEC for bad options (naming the field); INTERNAL when the
 *   evaluator throws or returns a missing/non-finite objective, or a strategy breaks its contract.
 * @example
 * const result = await runSearch({ space, strategy: genetic, evaluate, objectives: ['cycles', 'energy'],
 *   budget: { evaluations: 2000 }, seed: 1 })
 */
export const runSearch = async <D, TState, TOptions>(
  options: RunSearchOptions<D, TState, TOptions>,
): Promise<SearchResult<D, TState>> => {
  validateOptions(options)
  const order = createObjectiveOrder(options.objectives)
  const { space, strategy, signal, clock, onProgress } = options
  const executor = options.executor ?? createInProcessExecutor(options.evaluate as Evaluate<D>)
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  const staleLimit = options.staleLimit ?? DEFAULT_STALE_LIMIT
  const evaluationBudget = options.budget.evaluations ?? Number.POSITIVE_INFINITY
  const wallTimeMs = options.budget.wallTimeMs
  const context: StrategyContext<D, TOptions> = {
    space,
    options: options.strategyOptions as TOptions,
    objectives: order,
  }
  const start = clock?.()
  const elapsed = (): number | undefined => (clock === undefined || start === undefined ? undefined : clock() - start)

  let state =
    options.initialState !== undefined
      ? options.initialState
      : strategy.init({ ...context, rng: createRng(options.seed).fork(`strategy:${strategy.id}`) })
  const cache = new Map<string, CacheEntry>()
  const shared = options.cache
  const lookup = (key: string): CacheEntry | undefined => {
    const local = cache.get(key)
    if (local !== undefined || shared === undefined) return local
    const outside = shared.get(key)
    if (outside === undefined) return undefined
    const entry = toCacheEntry(outside, order.names, key)
    cache.set(key, entry)
    return entry
  }
  const trace: TraceEntry[] | undefined = options.trace === true ? [] : undefined
  let best: SearchPoint<D> | null = null
  let pareto: readonly SearchPoint<D>[] = []
  let evaluated = 0
  let valid = 0
  let cacheHits = 0
  let batches = 0
  let stale = 0
  let invalidRun = 0
  let sinceImprovement = 0
  let lastYield = start ?? 0
  let stoppedBy: StopReason

  const doneReason = (): StopReason | undefined => {
    const done = strategy.isDone?.(state)
    if (done === 'exhausted') return 'exhausted'
    if (done === true || done === 'converged') return 'strategy-done'
    return undefined
  }

  for (;;) {
    if (signal?.aborted === true) {
      stoppedBy = 'abort'
      break
    }
    const remaining = evaluationBudget - evaluated
    const now = elapsed()
    if (remaining <= 0 || (wallTimeMs !== undefined && now !== undefined && now >= wallTimeMs)) {
      stoppedBy = 'budget'
      break
    }
    const done = doneReason()
    if (done !== undefined) {
      stoppedBy = done
      break
    }
    const n = Math.min(batchSize, remaining)
    const asked = strategy.ask(state, n, context)
    state = asked.state
    const candidates = asked.candidates
    if (candidates.length > n) {
      throw new SnipSnapError('INTERNAL', `strategy "${strategy.id}" returned ${candidates.length} candidates for ask(n = ${n})`, {
        path: ['strategy', 'ask'],
      })
    }
    if (candidates.length === 0) {
      stoppedBy = doneReason() ?? 'strategy-done'
      break
    }
    batches++

    // Split the batch into fresh designs (evaluated once each) and cache hits.
    const keys = candidates.map((design) => space.key(design))
    const freshIndex = new Map<string, number>()
    const freshDesigns: D[] = []
    const freshKeys: string[] = []
    keys.forEach((key, index) => {
      if (lookup(key) === undefined && !freshIndex.has(key)) {
        freshIndex.set(key, freshDesigns.length)
        freshDesigns.push(candidates[index] as D)
        freshKeys.push(key)
      }
    })

    let outcomes: readonly Evaluation[] = []
    if (freshDesigns.length > 0) {
      try {
        const pending = executor.evaluate(freshDesigns, signal === undefined ? { keys: freshKeys } : { signal, keys: freshKeys })
        outcomes = isPromiseLike<readonly Evaluation[]>(pending) ? await pending : pending
      } catch (error) {
        const wrapped = toSnipSnapError(error)
        if (wrapped.code === 'ABORTED') {
          stoppedBy = 'abort'
          break
        }
        throw wrapped.code === 'INTERNAL' && wrapped.path[0] === 'evaluate'
          ? wrapped
          : new SnipSnapError('INTERNAL', `evaluation failed: ${wrapped.message}`, { path: ['evaluate'], cause: error })
      }
      if (outcomes.length !== freshDesigns.length) {
        throw new SnipSnapError('INTERNAL', `executor returned ${outcomes.length} results for ${freshDesigns.length} designs`, {
          path: ['executor'],
        })
      }
    }

    // Fold fresh outcomes into the cache, best and Pareto archive, in ask order.
    const pruneRequests: PruneRequest<D>[] = []
    const freshSeen = new Set<string>()
    const results: Evaluated<D>[] = []
    for (let index = 0; index < candidates.length; index++) {
      const design = candidates[index] as D
      const key = keys[index] as string
      const freshAt = freshIndex.get(key)
      const isFresh = freshAt !== undefined && !freshSeen.has(key)
      let entry: CacheEntry
      if (isFresh) {
        freshSeen.add(key)
        const outcome = outcomes[freshAt] as Evaluation
        entry = toCacheEntry(outcome, order.names, key)
        cache.set(key, entry)
        shared?.set(key, entry.ok ? { ok: true, metrics: entry.metrics } : { ok: false, reason: entry.reason })
        evaluated++
        if (entry.ok) {
          valid++
          invalidRun = 0
          const point: SearchPoint<D> = { design, key, metrics: entry.metrics, objectives: entry.objectives, evaluation: evaluated }
          if (best === null || order.compare(point.objectives, best.objectives) < 0) {
            best = point
            sinceImprovement = 0
          } else sinceImprovement++
          pareto = paretoInsert(pareto, point).front
        } else invalidRun++
        if (outcome.prune !== undefined) pruneRequests.push({ design, depth: outcome.prune.depth, reason: outcome.prune.reason })
      } else {
        entry = cache.get(key) as CacheEntry
        cacheHits++
      }
      const result: Evaluated<D> = entry.ok
        ? { ok: true, design, objectives: entry.objectives }
        : { ok: false, design, reason: entry.reason }
      if (isFresh && options.pruneRule !== undefined) {
        const hint = options.pruneRule(result, best)
        if (hint !== undefined) pruneRequests.push({ design, depth: hint.depth, reason: hint.reason })
      }
      results.push(result)
      trace?.push(
        entry.ok ? { key, ok: true, objectives: entry.objectives, cached: !isFresh } : { key, ok: false, cached: !isFresh },
      )
    }

    if (pruneRequests.length > 0 && strategy.prune !== undefined) state = strategy.prune(state, pruneRequests, context)
    state = strategy.tell(state, results, context)

    stale = freshDesigns.length === 0 ? stale + candidates.length : 0
    const elapsedMs = elapsed()
    onProgress?.({ evaluated, valid, cacheHits, batches, best, ...(elapsedMs === undefined ? {} : { elapsedMs }) })
    if (stale >= staleLimit || (options.invalidLimit !== undefined && invalidRun >= options.invalidLimit)) {
      stoppedBy = 'stalled'
      break
    }
    if (options.patience !== undefined && sinceImprovement >= options.patience) {
      stoppedBy = 'converged'
      break
    }
    // A synchronous evaluator never returns to the event loop on its own; without this an abort
    // requested by a timer (or a UI) could not be delivered.
    if (signal !== undefined) {
      const t = clock?.()
      if (t === undefined || t - lastYield >= YIELD_INTERVAL_MS) {
        await yieldToEventLoop()
        lastYield = clock?.() ?? 0
      }
    }
  }

  if (valid === 0 && (stoppedBy === 'exhausted' || stoppedBy === 'stalled' || stoppedBy === 'strategy-done')) {
    stoppedBy = 'no-valid-design'
  }
  const elapsedMs = elapsed()
  return {
    stoppedBy,
    best,
    pareto: [...pareto],
    objectives: order.spec,
    evaluated,
    valid,
    cacheHits,
    asked: evaluated + cacheHits,
    batches,
    ...(elapsedMs === undefined ? {} : { elapsedMs }),
    state,
    ...(trace === undefined ? {} : { trace }),
  }
}

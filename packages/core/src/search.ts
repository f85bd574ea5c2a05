// Contract of a search strategy: a pure ask/tell state machine over any design type D
// (XState ActorLogic style). The driver in @snipsnap/search owns budget, caching, abort, progress
// and parallelism; strategies only propose candidates and learn from results. Strategy state is
// plain data (JSON-serialisable when D is) so that a run can be checkpointed and replayed: the
// random stream lives in the state as `Rng.state()` numbers, never as a closure.
import type { PluginMeta } from './registry'
import type { Rng } from './rng'

/**
 * The outcome of evaluating one design, as a strategy sees it: the objective vector (every entry
 * minimised, in the order of the run's objective names) or an infeasibility reason.
 */
export type Evaluated<D> =
  | { readonly ok: true; readonly design: D; readonly objectives: readonly number[] }
  | { readonly ok: false; readonly design: D; readonly reason: string }

/**
 * Optional capability of a {@link Space}: its designs are the leaves of a decision tree, each
 * design being the path of branch indices from the root. Exhaustive search walks it depth-first
 * in lexicographic order, which makes the walk resumable from a plain-data cursor (the current
 * path) and lets whole subtrees be skipped (pruned) by prefix.
 */
export interface DesignTree<D> {
  /**
   * Number of branches leaving the node at `prefix`; 0 means `prefix` is a leaf (a complete
   * design). An internal node must have at least one branch: express dead ends with `admits`.
   */
  branches(prefix: readonly number[]): number
  /** The design at leaf `path` (called only when `branches(path) === 0`). */
  leaf(path: readonly number[]): D
  /**
   * Cheap validity check of a partial design: `false` skips the whole subtree under `prefix`
   * before anything in it is evaluated (capacity, fan-out, constraint checks).
   */
  admits?(prefix: readonly number[]): boolean
}

/** A design space a strategy can sample, mutate and (optionally) enumerate. */
export interface Space<D> {
  /** A random design. */
  sample(rng: Rng): D
  /** A neighbour of `design` (small change). Strategies fall back to `sample` without it. */
  mutate?(design: D, rng: Rng): D
  /** A child of two parents. Strategies fall back to copying a parent without it. */
  crossover?(a: D, b: D, rng: Rng): D
  /** Every design one small change from `design`, in a fixed order, each once (for local search). */
  neighbours?(design: D): readonly D[]
  /** Every design, lazily, in a fixed order (for exhaustive search). */
  enumerate?(): Iterable<D>
  /** Every design as the leaves of a decision tree (resumable, prunable exhaustive search). */
  tree?: DesignTree<D>
  /** A stable key identifying equivalent designs (for caching and deduplication). */
  key(design: D): string
  /**
   * Disjoint sub-spaces covering this one, split along its coarse discrete structure (a mapping
   * space: one per keep/bypass combination), for searches that visit each before going deep.
   * Each shares this space's `key`. Absent or empty: the space is not stratified.
   */
  strata?(): readonly Space<D>[]
}

/**
 * A request from the driver to skip part of the space: every design sharing the first `depth`
 * decisions of `design` (the subtree of that prefix in {@link DesignTree}) is `infeasible` or
 * `dominated` and need not be proposed. Strategies without a notion of prefix ignore it.
 */
export interface PruneRequest<D> {
  readonly design: D
  /** Length of the decision prefix to skip; 0 would mean the whole space. */
  readonly depth: number
  readonly reason: 'infeasible' | 'dominated'
}

/**
 * How the run ranks objective vectors, given to every strategy call. Strategies must rank with
 * these functions, never by looking at objective names.
 */
export interface ObjectiveOrder {
  /** The objective names, in vector order (labels only: `energy`, `cycles`, `edp`, …). */
  readonly names: readonly string[]
  /** Negative when `a` is better than `b`, 0 when equally good, positive when worse. */
  compare(a: readonly number[], b: readonly number[]): number
  /**
   * A scalar consistent with `compare` where possible (weighted sum; for lexicographic orders
   * the first objective), for strategies that need magnitudes (annealing acceptance).
   */
  scalarize(objectives: readonly number[]): number
}

/** What every strategy call receives besides its state. */
export interface StrategyContext<D, TOptions> {
  readonly space: Space<D>
  readonly options: TOptions
  readonly objectives: ObjectiveOrder
}

/** Why a strategy has nothing more to propose: the space is used up, or it has converged. */
export type StrategyDone = 'exhausted' | 'converged'

/**
 * A search strategy plug-in: a pure ask/tell state machine. `init`, `ask`, `tell` and `prune`
 * return new states and never mutate their input; the same inputs give the same outputs.
 * The driver calls `ask`, evaluates the candidates, then `tell`s the results in ask order.
 */
export interface SearchStrategy<D, TState, TOptions = void> extends PluginMeta {
  /** The initial state; `rng` is the run's seeded stream for this strategy (store `rng.state()`). */
  init(context: StrategyContext<D, TOptions> & { readonly rng: Rng }): TState
  /** Up to `n` candidates (fewer, even none, only when the strategy is done or must wait). */
  ask(
    state: TState,
    n: number,
    context: StrategyContext<D, TOptions>,
  ): { readonly state: TState; readonly candidates: readonly D[] }
  /** Learns from the results of the last `ask`, in ask order. */
  tell(state: TState, results: readonly Evaluated<D>[], context: StrategyContext<D, TOptions>): TState
  /** Optional: skips subtrees the driver found infeasible or dominated. */
  prune?(
    state: TState,
    requests: readonly PruneRequest<D>[],
    context: StrategyContext<D, TOptions>,
  ): TState
  /** `true`/`'converged'` when finished by choice, `'exhausted'` when the space is used up. */
  isDone?(state: TState): boolean | StrategyDone
}

/**
 * A strategy whose design type, state and options are erased, for registries and lists.
 * Built-in strategies never inspect designs (only the Space does), so they are typed this way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySearchStrategy = SearchStrategy<any, any, any>

/** Identity helper that types a search strategy plug-in. */
export const defineSearchStrategy = <D, TState, TOptions = void>(
  strategy: SearchStrategy<D, TState, TOptions>,
): SearchStrategy<D, TState, TOptions> => strategy

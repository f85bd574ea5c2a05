// Contract of a search strategy: a pure ask/tell state machine over any design type D
// (XState ActorLogic style). The driver in @snipsnap/search owns budget, caching, abort, progress
// and parallelism; strategies only propose candidates and learn from results.
import type { PluginMeta } from './registry'
import type { Rng } from './rng'

/** The outcome of evaluating one design: objectives (lower is better) or an infeasibility reason. */
export type Evaluated<D> =
  | { readonly ok: true; readonly design: D; readonly objectives: readonly number[] }
  | { readonly ok: false; readonly design: D; readonly reason: string }

/** A design space a strategy can sample, mutate and (optionally) enumerate. */
export interface Space<D> {
  /** A random design. */
  sample(rng: Rng): D
  /** A neighbour of `design` (small change). */
  mutate?(design: D, rng: Rng): D
  /** A child of two parents. */
  crossover?(a: D, b: D, rng: Rng): D
  /** Every design, lazily (for exhaustive search). */
  enumerate?(): Iterable<D>
  /** A stable key identifying equivalent designs (for caching and deduplication). */
  key(design: D): string
}

export interface SearchStrategy<D, TState, TOptions = void> extends PluginMeta {
  init(context: { readonly space: Space<D>; readonly rng: Rng; readonly options: TOptions }): TState
  ask(state: TState, n: number): { readonly state: TState; readonly candidates: readonly D[] }
  tell(state: TState, results: readonly Evaluated<D>[]): TState
  isDone?(state: TState): boolean
}

/** Identity helper that types a search strategy plug-in. */
export const defineSearchStrategy = <D, TState, TOptions = void>(
  strategy: SearchStrategy<D, TState, TOptions>,
): SearchStrategy<D, TState, TOptions> => strategy

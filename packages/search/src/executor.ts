// How a batch of designs gets evaluated. The driver only sees an `Executor`: in-process here
// (platform-neutral, synchronous when the evaluator is), a worker-thread pool in
// `@snipsnap/search/node`. Executors return results in input order, which is what makes the
// search independent of how many threads ran it.
import { SnipSnapError, toSnipSnapError } from '@snipsnap/core'

/** Named metrics of a design (`energyPJ`, `cycles`, `edp`, …); objectives pick from them. */
export type Metrics = Readonly<Record<string, number>>

/** A hint, from an evaluator, that the subtree around this design can be skipped. */
export interface PruneHint {
  /** Decision-prefix length to skip (see `DesignTree` and `PruneRequest` in core). */
  readonly depth: number
  readonly reason: 'infeasible' | 'dominated'
}

/**
 * What an evaluator returns for one design: its metrics (every objective named in the run must be
 * there and finite), or an infeasibility reason. Plain data, so it crosses worker boundaries.
 */
export type Evaluation =
  | { readonly ok: true; readonly metrics: Metrics; readonly prune?: PruneHint }
  | { readonly ok: false; readonly reason: string; readonly prune?: PruneHint }

/** An evaluator function: one design in, its {@link Evaluation} out (may be async). */
export type Evaluate<D> = (design: D) => Evaluation | Promise<Evaluation>

/** The part of `AbortSignal` the engine uses (structural, so the library needs no DOM/Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean
  addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener?(type: 'abort', listener: () => void): void
}

/** Per-batch context the driver gives an executor. */
export interface ExecutorContext {
  readonly signal?: AbortSignalLike
  /** `space.key` of each design, for error messages. */
  readonly keys?: readonly string[]
}

/**
 * Evaluates batches of designs. Results must come back in input order. On abort an executor
 * should settle promptly by throwing/rejecting with `SnipSnapError('ABORTED')`.
 */
export interface Executor<D> {
  evaluate(designs: readonly D[], context: ExecutorContext): readonly Evaluation[] | Promise<readonly Evaluation[]>
  /** Designs evaluated at once (threads); informative only, never changes results. */
  readonly concurrency?: number
}

const isPromiseLike = <T>(value: unknown): value is PromiseLike<T> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

const failure = (error: unknown, index: number, keys: readonly string[] | undefined): SnipSnapError => {
  const cause = toSnipSnapError(error)
  const which = keys?.[index] === undefined ? `#${index}` : `"${keys[index]}"`
  return new SnipSnapError('INTERNAL', `evaluate threw on design ${which}: ${cause.message}`, {
    path: ['evaluate'],
    cause: error,
  })
}

const aborted = (): SnipSnapError => new SnipSnapError('ABORTED', 'search aborted')

/**
 * The default executor: calls `evaluate` in this thread, in order. Stays synchronous while the
 * evaluator is (no promise per design), and checks the abort signal between designs.
 * @example const executor = createInProcessExecutor((x: number) => ({ ok: true, metrics: { cost: x * x } }))
 */
export const createInProcessExecutor = <D>(evaluate: Evaluate<D>): Executor<D> => ({
  concurrency: 1,
  evaluate(designs, { signal, keys }) {
    const out: Evaluation[] = []
    for (let i = 0; i < designs.length; i++) {
      if (signal?.aborted === true) throw aborted()
      let result: Evaluation | Promise<Evaluation>
      try {
        result = evaluate(designs[i] as D)
      } catch (error) {
        throw failure(error, i, keys)
      }
      if (isPromiseLike<Evaluation>(result)) {
        // Asynchronous evaluator: finish the batch on the promise path, still in order.
        return (async () => {
          for (let j = i; j < designs.length; j++) {
            if (signal?.aborted === true) throw aborted()
            try {
              out.push(await (j === i ? result : evaluate(designs[j] as D)))
            } catch (error) {
              throw failure(error, j, keys)
            }
          }
          return out
        })()
      }
      out.push(result)
    }
    return out
  },
})

export { isPromiseLike }

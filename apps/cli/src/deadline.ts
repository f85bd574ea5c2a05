// A wall-time budget for a CLI run: an abort signal that fires when the budget is spent (or on
// Ctrl-C), counted from the run's start so start-up and worker threads are inside the budget.
import { performance } from 'node:perf_hooks'
import type { AbortSignalLike } from '@snipsnap/search'
import type { CliRun } from './run-control'

/**
 * Time kept for stopping workers and printing after the work stops (ms, plus WIND_DOWN_SHARE of
 * the budget). On a loaded machine the in-flight batch and the worker shutdown can take several
 * hundred ms, so 2% of the budget was too little to keep the whole run within 10%.
 */
const WIND_DOWN_MS = 50
const WIND_DOWN_SHARE = 0.05

/** A running budget; `dispose()` clears its timer. */
export interface Deadline {
  /**
   * Aborted on Ctrl-C, an output failure, or once the budget is spent. Its `aborted` also reads
   * the clock, so a synchronous loop that polls it stops in time although no timer can fire while
   * it runs. Pass it to library calls as their `signal`.
   */
  readonly signal: AbortSignalLike
  /** The `performance.now()` time the work must stop at (a little before the budget's end). */
  readonly atMs: number
  /** ms left before `atMs` (≥ 0). */
  remainingMs(): number
  /** True when the budget, not Ctrl-C, stopped the work. */
  expired(): boolean
  dispose(): void
}

/**
 * Starts a deadline `budgetMs` after `run.startedAtMs`. The work is asked to stop slightly
 * early (50 ms + 5%, at most 10%) so that stopping and printing keep the whole run in budget.
 * @example
 * const deadline = startDeadline(run, budgetS * 1000)
 * try { await search({ signal: deadline.signal }) } finally { deadline.dispose() }
 */
export const startDeadline = (run: CliRun, budgetMs: number): Deadline => {
  const atMs = run.startedAtMs + budgetMs - Math.min(budgetMs * 0.1, WIND_DOWN_MS + budgetMs * WIND_DOWN_SHARE)
  const timeout = new AbortController()
  const timer = setTimeout(() => timeout.abort('budget'), Math.max(0, atMs - performance.now()))
  const any = AbortSignal.any([run.signal, timeout.signal])
  const signal: AbortSignalLike = {
    get aborted() {
      return any.aborted || performance.now() >= atMs
    },
    addEventListener: (type, listener, options) => any.addEventListener(type, listener, options),
    removeEventListener: (type, listener) => any.removeEventListener(type, listener),
  }
  return {
    signal,
    atMs,
    remainingMs: () => Math.max(0, atMs - performance.now()),
    expired: () => !run.signal.aborted && (timeout.signal.aborted || performance.now() >= atMs),
    dispose: () => clearTimeout(timer),
  }
}

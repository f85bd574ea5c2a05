// `--threads N` for design searches: a worker pool running `@snipsnap/explorer/evaluator`,
// started in the background. Until the workers are ready, batches are evaluated in this thread,
// so slow worker start-up never eats the budget; evaluations are the same function either way,
// so the result does not depend on the thread count. Plug-ins given with --plugin reach the workers
// as their module URLs: each worker imports and registers them, so it resolves the same formats,
// density models and cost model as this thread.
import type { DesignSpec, MappingSpec } from '@snipsnap/core'
import { SnipSnapError } from '@snipsnap/core'
import { createDesignEvaluator, type DesignEvaluatorContext } from '@snipsnap/explorer/evaluator'
import { createInProcessExecutor, type AbortSignalLike, type Executor } from '@snipsnap/search'
import { createWorkerPool, type WorkerPool } from '@snipsnap/search/node'
import type { CliRun } from './run-control'

/** An executor over worker threads (once started) plus its shutdown. */
export interface ThreadedExecutor {
  readonly executor: Executor<MappingSpec>
  /** Batches that ran on the workers (the rest ran in this thread while they started). */
  readonly workerBatches: () => number
  close(): Promise<void>
}

const locateEvaluator = (threads: number): string => {
  try {
    return import.meta.resolve('@snipsnap/explorer/evaluator')
  } catch (cause) {
    throw new SnipSnapError('INVALID_SPEC', `--threads ${threads}: cannot locate the worker evaluator module (@snipsnap/explorer/evaluator); use --threads 1`, { path: ['--threads'], cause })
  }
}

/** The vocabulary of a threaded search: this thread's registries and the plug-in modules the workers load. */
export interface ThreadedVocabulary {
  /** Registries (built-ins plus plug-ins) for the batches evaluated in this thread. */
  readonly registries?: Omit<DesignEvaluatorContext, 'costModel' | 'space'>
  /** Plug-in module URLs each worker imports (`CliRegistries.pluginModules`). */
  readonly pluginModules?: readonly string[]
  /** Cost model id (default `sparseloop`). */
  readonly costModel?: string
}

/**
 * Starts `threads` workers for `design` in the background. A start-up failure is a warning and
 * the search goes on in this thread; `signal` (deadline, Ctrl-C) cancels the start-up.
 */
export const startThreadedExecutor = (
  run: CliRun,
  threads: number,
  design: DesignSpec,
  signal: AbortSignalLike,
  vocabulary: ThreadedVocabulary = {},
): ThreadedExecutor => {
  const module = locateEvaluator(threads)
  let pool: WorkerPool<MappingSpec> | null = null
  let closed = false
  let workerBatches = 0
  // From sources (tsx, vitest) the module is TypeScript: the pool registers tsx in each worker,
  // and the source condition makes its imports resolve to sources as well.
  const fromSources = /\.[cm]?ts$/.test(module)
  // Start-up stops on the caller's signal and on close(), whichever comes first.
  const stop = new AbortController()
  const forward = (): void => stop.abort()
  if (signal.aborted) stop.abort()
  else signal.addEventListener?.('abort', forward, { once: true })
  const costModel = vocabulary.costModel === undefined ? {} : { costModel: vocabulary.costModel }
  const workerOptions = { design, plugins: vocabulary.pluginModules ?? [], ...costModel }
  const starting = createWorkerPool<MappingSpec>({ module, threads, signal: stop.signal, options: workerOptions, ...(fromSources ? { conditions: ['@snipsnap/source'] } : {}) }).then(
    (started) => {
      if (closed) return started.close()
      pool = started
      return undefined
    },
    (error: unknown) => {
      if (error instanceof SnipSnapError && error.code === 'ABORTED') return
      const message = error instanceof Error ? error.message : String(error)
      run.warn(`--threads ${threads}: worker threads cannot load the evaluator (${message}); evaluating in this thread`)
    },
  )
  // Prepared lazily: a run whose workers are up before the first batch never builds it.
  let local: Executor<MappingSpec> | null = null
  const inThread = (): Executor<MappingSpec> => (local ??= createInProcessExecutor(createDesignEvaluator(design, { ...vocabulary.registries, ...costModel })))
  return {
    executor: {
      concurrency: threads,
      evaluate: (designs, context) => {
        if (pool !== null) {
          workerBatches++
          return pool.evaluate(designs, context)
        }
        return inThread().evaluate(designs, context)
      },
    },
    workerBatches: () => workerBatches,
    async close() {
      closed = true
      stop.abort()
      signal.removeEventListener?.('abort', forward)
      await starting
      await (pool as WorkerPool<MappingSpec> | null)?.close()
    },
  }
}

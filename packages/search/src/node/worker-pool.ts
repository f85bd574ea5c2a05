// A worker-thread pool Executor for Node (`@snipsnap/search/node`). Each worker imports the
// evaluator module itself (functions cannot cross threads), so the module is named by path or
// URL. A batch is split into contiguous chunks handed to idle workers; results are written back
// by position, so completion order never shows in the result and a search gives the same answer
// with 1 or N threads.
import { pathToFileURL } from 'node:url'
import { resolve as resolvePath } from 'node:path'
import { Worker } from 'node:worker_threads'
import { SnipSnapError } from '@snipsnap/core'
import type { AbortSignalLike, Evaluate, Evaluation, Executor, ExecutorContext } from '../executor'

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * The evaluator module, as a `file:` URL (string or `URL`) or a file path (absolute, or
   * relative to the current directory): a `.mjs`/`.js` file, or a TypeScript file (`.ts`,
   * `.mts`, `.cts`) loaded through {@link WorkerPoolOptions.typescriptLoader}. It must export
   * `createEvaluator(options)` returning `(design) => Evaluation` (sync or async), or
   * `evaluate(design)` directly.
   */
  readonly module: string | URL
  /**
   * For a TypeScript `module` only: Node loader hooks registered in each worker (through
   * `module.register(specifier, { parentURL: module, data })`, so the specifier resolves from the
   * module's own location) before the module loads. Needed because on Node 20 a parent's loader
   * (`tsx`, vitest) does not reach worker threads. Default `{ specifier: 'tsx/esm', data: { active: true } }`
   * (tsx's hooks); `false` to load the module as is (the workers already have a loader).
   */
  readonly typescriptLoader?: { readonly specifier: string; readonly data?: unknown } | false
  /**
   * Node options of the workers. Default: the parent's `process.execArgv` (so `--conditions`,
   * `--import` and the like carry over), plus `--conditions=<c>` for each of `conditions`.
   */
  readonly execArgv?: readonly string[]
  /** Extra package export conditions for the workers' module resolution (e.g. a source condition). */
  readonly conditions?: readonly string[]
  /** Worker threads (integer in [1, 256]). */
  readonly threads: number
  /** Passed to the module's `createEvaluator(options)`; must be structured-cloneable. */
  readonly options?: unknown
  /** Chunks per thread a batch is split into: more balances load, fewer saves messages. Default 2. */
  readonly chunksPerThread?: number
  /**
   * Cancels the start-up: the workers are terminated and the call rejects with
   * `SnipSnapError('ABORTED')`, so a deadline or Ctrl-C is not held up by workers still loading.
   */
  readonly signal?: AbortSignalLike
}

/** A worker-thread {@link Executor}. Call `close()` when done (idle workers never keep Node alive). */
export interface WorkerPool<D> extends Executor<D> {
  readonly threads: number
  /** Terminates the workers; pending batches reject. */
  close(): Promise<void>
}

/** Resolves a module reference to the `file:` URL string workers import. */
export const resolveModuleUrl = (module: string | URL): string => {
  if (module instanceof URL) return module.href
  if (typeof module !== 'string' || module.length === 0) {
    throw new SnipSnapError('INVALID_SPEC', 'module must be a file path or a file: URL', { path: ['module'] })
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(module) ? module : pathToFileURL(resolvePath(module)).href
}

const TYPESCRIPT_MODULE = /\.[cm]?ts$/i

/**
 * Terminates `workers` and resolves once all have exited. A ref'd timer keeps the event loop
 * alive meanwhile: Node does not always count a busy worker's termination as pending work, and
 * the CLI's `search --threads 2 --budget-s 3` (a chunk still running at the deadline) then ended
 * with exit code 0 and no output in about 1 run of 8, its `close()` never settled.
 */
const terminateAll = async (workers: readonly Worker[]): Promise<void> => {
  const keepAlive = setInterval(() => undefined, 60_000)
  try {
    await Promise.all(workers.map((worker) => worker.terminate()))
  } finally {
    clearInterval(keepAlive)
  }
}

// Runs inside each worker (CommonJS eval, so no file has to ship next to the compiled library);
// the dynamic import loads the user's ESM evaluator module. A TypeScript module first gets the
// loader's hooks, registered in this thread: registering must precede the first import, because
// Node caches a failed import (ERR_UNKNOWN_FILE_EXTENSION) and would not retry it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const describe = (e) => ({ message: String((e && e.message) || e), stack: e && e.stack })
;(async () => {
  let evaluate
  try {
    if (workerData.loader) {
      const { specifier, data } = workerData.loader
      try {
        require('node:module').register(specifier, { parentURL: workerData.module, data })
      } catch (e) {
        throw new Error('a TypeScript module needs the loader hooks "' + specifier + '" (' + describe(e).message.split('\\n')[0] + ')')
      }
    }
    const mod = await import(workerData.module)
    if (typeof mod.createEvaluator === 'function') evaluate = await mod.createEvaluator(workerData.options)
    else if (typeof mod.evaluate === 'function') evaluate = mod.evaluate
    else throw new Error('the module exports neither createEvaluator(options) nor evaluate(design)')
    if (typeof evaluate !== 'function') throw new Error('createEvaluator(options) must return a function (design) => Evaluation')
  } catch (e) {
    parentPort.postMessage({ type: 'fatal', ...describe(e) })
    return
  }
  parentPort.on('message', async ({ id, designs }) => {
    const results = []
    for (let i = 0; i < designs.length; i++) {
      try {
        let r = evaluate(designs[i])
        if (r && typeof r.then === 'function') r = await r
        results.push(r)
      } catch (e) {
        parentPort.postMessage({ type: 'error', id, index: i, ...describe(e) })
        return
      }
    }
    parentPort.postMessage({ type: 'result', id, results })
  })
  parentPort.postMessage({ type: 'ready' })
})()
`

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'fatal'; message: string; stack?: string }
  | { type: 'result'; id: number; results: Evaluation[] }
  | { type: 'error'; id: number; index: number; message: string; stack?: string }

interface Chunk {
  readonly jobId: number
  readonly offset: number
  readonly designs: readonly unknown[]
}

interface Job {
  readonly results: Evaluation[]
  readonly keys: readonly string[] | undefined
  remaining: number
  resolve(results: Evaluation[]): void
  reject(error: SnipSnapError): void
}

interface Slot {
  readonly worker: Worker
  /** id of the chunk message in flight, or null when idle. */
  busy: { chunk: Chunk; messageId: number } | null
}

/**
 * Starts `threads` workers that each import the evaluator `module`, and resolves once all have
 * loaded it (so a bad module fails here, not mid-search).
 * @throws {SnipSnapError} INVALID_SPEC for bad options or a module that cannot be loaded.
 * @example
 * const pool = await createWorkerPool({ module: new URL('./evaluator.mjs', import.meta.url), threads: 2 })
 * try { await runSearch({ space, strategy: genetic, executor: pool, … }) } finally { await pool.close() }
 */
export const createWorkerPool = async <D>(options: WorkerPoolOptions): Promise<WorkerPool<D>> => {
  const threads = options.threads
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new SnipSnapError('INVALID_SPEC', `threads must be an integer in [1, 256], got ${String(threads)}`, { path: ['threads'] })
  }
  const chunksPerThread = options.chunksPerThread ?? 2
  if (!Number.isInteger(chunksPerThread) || chunksPerThread < 1) {
    throw new SnipSnapError('INVALID_SPEC', `chunksPerThread must be an integer ≥ 1, got ${String(chunksPerThread)}`, {
      path: ['chunksPerThread'],
    })
  }
  const moduleUrl = resolveModuleUrl(options.module)
  const loader = TYPESCRIPT_MODULE.test(new URL(moduleUrl).pathname) ? (options.typescriptLoader ?? { specifier: 'tsx/esm', data: { active: true } }) : false
  if (loader !== false && (typeof loader.specifier !== 'string' || loader.specifier.length === 0)) {
    throw new SnipSnapError('INVALID_SPEC', 'typescriptLoader.specifier must be a module specifier', { path: ['typescriptLoader', 'specifier'] })
  }
  const conditions = options.conditions ?? []
  const baseArgv = options.execArgv ?? process.execArgv
  const execArgv = [...baseArgv, ...conditions.filter((c) => !baseArgv.includes(`--conditions=${c}`)).map((c) => `--conditions=${c}`)]
  const jobs = new Map<number, Job>()
  const queue: Chunk[] = []
  let nextId = 1
  let broken: SnipSnapError | null = null
  let closed = false

  const failAll = (error: SnipSnapError): void => {
    broken ??= error
    queue.length = 0
    for (const [id, job] of jobs) {
      jobs.delete(id)
      job.reject(error)
    }
  }

  const slots: Slot[] = []
  const dispatch = (): void => {
    for (const slot of slots) {
      if (slot.busy !== null) continue
      const chunk = queue.shift()
      if (chunk === undefined) {
        slot.worker.unref()
        continue
      }
      const messageId = chunk.jobId
      slot.busy = { chunk, messageId }
      slot.worker.ref()
      slot.worker.postMessage({ id: messageId, designs: chunk.designs })
    }
  }

  const onWorkerMessage = (slot: Slot, message: WorkerMessage): void => {
    if (message.type !== 'result' && message.type !== 'error') return
    const busy = slot.busy
    slot.busy = null
    const job = jobs.get(message.id)
    if (busy !== null && job !== undefined) {
      if (message.type === 'result') {
        message.results.forEach((result, index) => {
          job.results[busy.chunk.offset + index] = result
        })
        job.remaining--
        if (job.remaining === 0) {
          jobs.delete(message.id)
          job.resolve(job.results)
        }
      } else {
        const at = busy.chunk.offset + message.index
        const which = job.keys?.[at] === undefined ? `#${at}` : `"${job.keys[at]}"`
        jobs.delete(message.id)
        for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.jobId === message.id) queue.splice(i, 1)
        const cause = Object.assign(new Error(message.message), message.stack === undefined ? {} : { stack: message.stack })
        job.reject(new SnipSnapError('INTERNAL', `evaluate threw on design ${which}: ${message.message}`, { path: ['evaluate'], cause }))
      }
    }
    dispatch()
  }

  // Start the workers and wait until each has imported the module.
  const startup: Promise<void>[] = []
  for (let i = 0; i < threads; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv, workerData: { module: moduleUrl, loader, options: options.options } })
    const slot: Slot = { worker, busy: null }
    slots.push(slot)
    startup.push(
      new Promise<void>((resolve, reject) => {
        const onStartupMessage = (message: WorkerMessage): void => {
          if (message.type === 'ready') {
            worker.off('message', onStartupMessage)
            worker.on('message', (m: WorkerMessage) => onWorkerMessage(slot, m))
            resolve()
          } else if (message.type === 'fatal') {
            reject(
              new SnipSnapError('INVALID_SPEC', `cannot load evaluator module ${moduleUrl}: ${message.message}`, {
                path: ['module'],
              }),
            )
          }
        }
        worker.on('message', onStartupMessage)
        worker.once('error', (error) => {
          const wrapped = new SnipSnapError('INTERNAL', `search worker crashed: ${error.message}`, { cause: error })
          reject(wrapped)
          failAll(wrapped)
        })
        worker.once('exit', (code) => {
          if (!closed) {
            const wrapped = new SnipSnapError('INTERNAL', `search worker exited unexpectedly (code ${code})`)
            reject(wrapped)
            failAll(wrapped)
          }
        })
      }),
    )
  }
  const signal = options.signal
  let onStartupAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onStartupAbort = () => reject(new SnipSnapError('ABORTED', 'worker start-up aborted'))
    if (signal?.aborted === true) onStartupAbort()
    else signal?.addEventListener?.('abort', onStartupAbort, { once: true })
  })
  // Rejections of the losing side must not surface as unhandled.
  aborted.catch(() => undefined)
  try {
    await Promise.race([Promise.all(startup), aborted])
  } catch (error) {
    closed = true
    const terminating = Promise.all(slots.map((slot) => slot.worker.terminate()))
    // An aborted start-up returns at once: a worker busy loading modules can take a second to
    // terminate, and a deadline must not wait for it (the workers still end in the background).
    if (error instanceof SnipSnapError && error.code === 'ABORTED') terminating.catch(() => undefined)
    else await terminating
    throw error
  } finally {
    if (onStartupAbort !== undefined) signal?.removeEventListener?.('abort', onStartupAbort)
  }
  for (const slot of slots) slot.worker.unref()

  const evaluate = (designs: readonly D[], context: ExecutorContext): Promise<readonly Evaluation[]> => {
    if (closed) return Promise.reject(new SnipSnapError('INTERNAL', 'the worker pool is closed'))
    if (broken !== null) return Promise.reject(broken)
    if (context.signal?.aborted === true) return Promise.reject(new SnipSnapError('ABORTED', 'search aborted'))
    if (designs.length === 0) return Promise.resolve([])
    return new Promise<readonly Evaluation[]>((resolve, reject) => {
      const id = nextId++
      const count = Math.min(designs.length, threads * chunksPerThread)
      const signal = context.signal
      const onAbort = (): void => {
        if (!jobs.has(id)) return
        jobs.delete(id)
        for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.jobId === id) queue.splice(i, 1)
        reject(new SnipSnapError('ABORTED', 'search aborted'))
      }
      const settle = (): void => signal?.removeEventListener?.('abort', onAbort)
      jobs.set(id, {
        results: new Array<Evaluation>(designs.length),
        keys: context.keys,
        remaining: count,
        resolve: (results) => {
          settle()
          resolve(results)
        },
        reject: (error) => {
          settle()
          reject(error)
        },
      })
      signal?.addEventListener?.('abort', onAbort, { once: true })
      // Contiguous, near-equal chunks: the first `extra` chunks take one design more.
      const base = Math.floor(designs.length / count)
      const extra = designs.length % count
      let offset = 0
      for (let c = 0; c < count; c++) {
        const size = base + (c < extra ? 1 : 0)
        queue.push({ jobId: id, offset, designs: designs.slice(offset, offset + size) })
        offset += size
      }
      dispatch()
    })
  }

  return {
    threads,
    concurrency: threads,
    evaluate,
    async close() {
      if (closed) return
      closed = true
      failAll(new SnipSnapError('INTERNAL', 'the worker pool was closed'))
      await terminateAll(slots.map((slot) => slot.worker))
    },
  }
}

/**
 * Imports an evaluator module in this thread, with the same contract as the workers use: the
 * in-process twin of {@link createWorkerPool} (compare both, or run small searches without threads).
 * @throws {SnipSnapError} INVALID_SPEC when the module cannot be loaded or has the wrong shape.
 */
export const loadEvaluator = async <D>(module: string | URL, options?: unknown): Promise<Evaluate<D>> => {
  const url = resolveModuleUrl(module)
  let loaded: { createEvaluator?: unknown; evaluate?: unknown }
  try {
    loaded = (await import(url)) as typeof loaded
  } catch (error) {
    throw new SnipSnapError('INVALID_SPEC', `cannot load evaluator module ${url}: ${(error as Error).message}`, {
      path: ['module'],
      cause: error,
    })
  }
  const evaluate =
    typeof loaded.createEvaluator === 'function'
      ? await (loaded.createEvaluator as (o: unknown) => unknown)(options)
      : loaded.evaluate
  if (typeof evaluate !== 'function') {
    throw new SnipSnapError('INVALID_SPEC', `evaluator module ${url} must export createEvaluator(options) or evaluate(design)`, {
      path: ['module'],
    })
  }
  return evaluate as Evaluate<D>
}

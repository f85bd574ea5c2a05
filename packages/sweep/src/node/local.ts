// The local worker pool: every missing job of a sweep on worker threads (piscina), one job per
// thread at a time. This thread only hands out jobs and writes each record as it arrives, so the
// threads never wait on it; a rerun skips what the store already has.
import { availableParallelism } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { Piscina } from 'piscina'
import { SnipSnapError } from '@snipsnap/core'
import { recordOf, type JobOutcome, type JobRecord } from '../records'
import type { SweepJob } from '../spec'
import type { ResultStore } from './store'

/** Progress of a sweep run. */
export interface SweepProgress {
  /** Jobs of the sweep. */
  readonly total: number
  /** Jobs already stored when the run started (not computed again). */
  readonly skipped: number
  /** Jobs computed by this run so far, failed ones included. */
  readonly done: number
  readonly failed: number
  /** Jobs this run has to compute. */
  readonly pending: number
}

/** What a run did. */
export interface SweepRunResult extends SweepProgress {
  /** The run stopped on its signal before every job was computed. */
  readonly interrupted: boolean
}

/** Options of {@link runSweepLocal}. */
export interface LocalSweepOptions {
  readonly jobs: readonly SweepJob[]
  readonly store: ResultStore
  /** Worker threads (≥ 1). */
  readonly threads: number
  /** Stops the run: jobs in flight are abandoned (their threads end), stored records stay. */
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: SweepProgress, record: JobRecord | null) => void
  /** The task module's URL (default: this package's job worker, from sources or dist). */
  readonly workerModule?: string
  /** How V8 collects garbage in the pool's threads (see {@link JobPoolOptions.gc}). */
  readonly gc?: JobPoolOptions['gc']
}

/** Options of {@link createJobPool}. */
export interface JobPoolOptions {
  /**
   * `'auto'` (default): when the pool has a thread per core (or more), V8 scavenges the young
   * generation on each JS thread alone (`--no-parallel-scavenge`); with fewer threads it keeps
   * V8's parallel scavenger. A job allocates gigabytes of short-lived objects; measured per
   * thread, the parallel scavenger's helper threads cost about 1.6 s of CPU per small.yaml job and
   * save its JS thread only about 0.5 s. With a spare core that is free speed; with every core
   * running a job it takes CPU from the other jobs. `'v8-default'` leaves V8's setting alone.
   * V8 flags are process-wide: this one is read at every scavenge, so changing it under running
   * isolates is safe (unlike the concurrent-marking flags), and results never depend on it.
   */
  readonly gc?: 'auto' | 'v8-default'
}

// Whether a pool turned V8's parallel scavenger off (so a later pool with spare cores turns it
// back on, and a user's own `--no-parallel-scavenge` is never undone).
let serialScavengeSet = false
const configureScavenger = (threads: number): void => {
  const serial = threads >= availableParallelism()
  if (serial && !serialScavengeSet) setFlagsFromString('--no-parallel-scavenge')
  else if (!serial && serialScavengeSet) setFlagsFromString('--parallel-scavenge')
  serialScavengeSet = serial
}

/**
 * The job-worker module for worker threads and the Node options they need: the built
 * `dist/job-worker.js`, or from sources a bootstrap registering tsx with the source condition.
 */
export const locateJobWorker = (): { readonly filename: string; readonly execArgv: readonly string[] } => {
  const own = import.meta.url
  if (/\.ts$/.test(own)) {
    return { filename: new URL('./source-worker.mjs', own).href, execArgv: [...process.execArgv, '--conditions=@snipsnap/source'] }
  }
  return { filename: new URL('./job-worker.js', own).href, execArgv: [...process.execArgv] }
}

/** Starts a pool of `threads` worker threads running jobs. */
export const createJobPool = (threads: number, workerModule?: string, options: JobPoolOptions = {}): Piscina<unknown, JobOutcome> => {
  if (!Number.isInteger(threads) || threads < 1) throw new SnipSnapError('INVALID_SPEC', `threads must be an integer ≥ 1, got ${threads}`, { path: ['--threads'] })
  // Worker `execArgv` cannot carry V8 flags: the scavenger's is set process-wide.
  if ((options.gc ?? 'auto') === 'auto') configureScavenger(threads)
  const located = locateJobWorker()
  return new Piscina<unknown, JobOutcome>({
    filename: workerModule ?? located.filename,
    execArgv: [...located.execArgv],
    minThreads: threads,
    maxThreads: threads,
    // One job at a time per thread: a job is seconds of CPU work.
    concurrentTasksPerWorker: 1,
    // Idle workers stay until close(): a sweep reuses each thread's explorer for every job.
    idleTimeout: Number.POSITIVE_INFINITY,
  })
}

const isAbort = (error: unknown): boolean => error instanceof Error && (error.name === 'AbortError' || /aborted/i.test(error.message))

/**
 * Runs the missing jobs of a sweep on worker threads and stores each record as it arrives.
 * Resolves when every job is stored or the signal fired (`interrupted`).
 */
export const runSweepLocal = async (options: LocalSweepOptions): Promise<SweepRunResult> => {
  const { jobs, store, signal } = options
  const aborted = (): boolean => signal?.aborted === true
  const pending = jobs.filter((job) => !store.has(job.key))
  let done = 0
  let failed = 0
  const progress = (): SweepProgress => ({ total: jobs.length, skipped: jobs.length - pending.length, done, failed, pending: pending.length })
  options.onProgress?.(progress(), null)
  if (pending.length === 0 || aborted()) return { ...progress(), interrupted: aborted() && pending.length > 0 }
  const pool = createJobPool(Math.min(options.threads, pending.length), options.workerModule, options.gc === undefined ? {} : { gc: options.gc })
  // One listener for the whole run (not one per job): an abort ends the threads, which rejects
  // every job in flight or queued.
  const stop = (): void => void pool.destroy()
  signal?.addEventListener('abort', stop, { once: true })
  try {
    await Promise.all(
      pending.map(async (job) => {
        let record: JobRecord
        try {
          const outcome = await pool.run(job.inputs)
          record = recordOf(job, outcome)
        } catch (error) {
          if (aborted() || isAbort(error)) return
          // The thread died under the job (out of memory, a crash): recorded, and retried by a rerun.
          const message = error instanceof Error ? error.message : String(error)
          record = recordOf(job, { status: 'failed', error: { code: 'INTERNAL', message: `the worker thread failed: ${message}` }, elapsedMs: 0 }, true)
        }
        store.write(record)
        done++
        if (record.status === 'failed') failed++
        options.onProgress?.(progress(), record)
      }),
    )
  } finally {
    signal?.removeEventListener('abort', stop)
    await pool.destroy()
  }
  return { ...progress(), interrupted: aborted() && done < pending.length }
}

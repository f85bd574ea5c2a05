// Sweeps across machines on BullMQ (Redis): `runSweepOnQueue` puts the missing jobs on the queue,
// each with its key as BullMQ job id (adding a key again is a no-op, so a job exists once), and
// stores each result as `<key>.json` when it completes; `runQueueWorker` pulls jobs and runs them
// on the local worker-thread pool, keeping its own event loop free to renew job locks. A worker
// killed mid-job loses its lock and BullMQ hands the job to another worker (stalled-job check).
import { Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq'
import { hostname } from 'node:os'
import { SnipSnapError } from '@snipsnap/core'
import { recordOf, type JobOutcome, type JobRecord } from '../records'
import { jobKey, type JobInputs, type Sweep, type SweepJob } from '../spec'
import { codeVersion } from './code-version'

export { codeVersion } from './code-version'
import { createJobPool, type SweepProgress, type SweepRunResult } from './local'
import type { ResultStore } from './store'

/** The BullMQ queue every sweep shares (jobs are identified by their keys). */
export const SWEEP_QUEUE_NAME = 'snipsnap-sweep'

/** Attempts of a job whose worker died (stalled jobs are retried within these). */
const ATTEMPTS = 3

/** What a queued job carries. */
interface QueuedJob {
  readonly key: string
  readonly inputs: JobInputs
  /** The code version the sweep keyed the job with: a worker running other code refuses it. */
  readonly codeVersion: string
}

/**
 * Redis connection options from `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS).
 * @throws {SnipSnapError} INVALID_SPEC naming `--queue` for anything else.
 */
export const parseRedisUrl = (url: string): ConnectionOptions => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new SnipSnapError('INVALID_SPEC', `--queue must be a Redis URL such as redis://127.0.0.1:6379, got "${url}"`, { path: ['--queue'] })
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new SnipSnapError('INVALID_SPEC', `--queue must be a redis:// or rediss:// URL, got "${url}"`, { path: ['--queue'] })
  }
  const db = parsed.pathname.replace(/^\//, '')
  if (db !== '' && !/^\d+$/.test(db)) throw new SnipSnapError('INVALID_SPEC', `--queue: the database of "${url}" must be a number`, { path: ['--queue'] })
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // Fail fast when Redis is not there, instead of retrying forever.
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
  }
}

/** Waits until Redis answers, or throws an IO_ERROR naming the URL. */
const ready = async (client: { waitUntilReady(): Promise<unknown> }, url: string, timeoutMs = 10_000): Promise<void> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([
      client.waitUntilReady(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SnipSnapError('IO_ERROR', `cannot reach Redis at ${url} (no answer within ${timeoutMs / 1000} s)`, { path: ['--queue'] })), timeoutMs)
      }),
    ])
  } catch (cause) {
    if (cause instanceof SnipSnapError) throw cause
    throw new SnipSnapError('IO_ERROR', `cannot reach Redis at ${url}: ${(cause as Error).message}`, { path: ['--queue'], cause })
  } finally {
    clearTimeout(timer)
  }
}

/** Options of {@link runSweepOnQueue}. */
export interface QueueSweepOptions {
  /** `redis://host:port` */
  readonly url: string
  readonly sweep: Sweep
  readonly store: ResultStore
  /** Stops waiting (the queued jobs stay on the queue for the workers). */
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: SweepProgress, record: JobRecord | null) => void
}

const isOutcome = (value: unknown): value is JobOutcome =>
  typeof value === 'object' && value !== null && ((value as JobOutcome).status === 'ok' || (value as JobOutcome).status === 'failed')

/**
 * Puts the missing jobs of a sweep on the queue and stores each result as it completes; resolves
 * when every job is stored or the signal fired. Jobs already completed on the queue (by key) are
 * taken as they are; jobs that failed there (their workers died `ATTEMPTS` times) are retried.
 */
export const runSweepOnQueue = async (options: QueueSweepOptions): Promise<SweepRunResult> => {
  const { sweep, store, signal, url } = options
  const connection = parseRedisUrl(url)
  const pending = new Map<string, SweepJob>(sweep.jobs.filter((job) => !store.has(job.key)).map((job) => [job.key, job]))
  const total = pending.size
  let done = 0
  let failed = 0
  const progress = (): SweepProgress => ({ total: sweep.jobs.length, skipped: sweep.jobs.length - total, done, failed, pending: total })
  options.onProgress?.(progress(), null)
  if (total === 0) return { ...progress(), interrupted: false }
  const queue = new Queue<QueuedJob, JobOutcome>(SWEEP_QUEUE_NAME, { connection })
  const events = new QueueEvents(SWEEP_QUEUE_NAME, { connection })
  queue.on('error', () => undefined)
  events.on('error', () => undefined)
  let finish: () => void = () => undefined
  const finished = new Promise<void>((resolve) => (finish = resolve))
  const settle = (key: string, returnvalue: unknown): void => {
    const job = pending.get(key)
    if (job === undefined || !isOutcome(returnvalue)) return
    pending.delete(key)
    const record = recordOf(job, returnvalue)
    store.write(record)
    done++
    if (record.status === 'failed') failed++
    options.onProgress?.(progress(), record)
    if (pending.size === 0) finish()
  }
  // A job that failed on the queue (every attempt's worker died): recorded for a rerun to retry.
  const settleFailed = (key: string, reason: string): void => {
    const job = pending.get(key)
    if (job === undefined) return
    pending.delete(key)
    const record = recordOf(job, { status: 'failed', error: { code: 'INTERNAL', message: `the queue gave up on the job: ${reason}` }, elapsedMs: 0 }, true)
    store.write(record)
    done++
    failed++
    options.onProgress?.(progress(), record)
    if (pending.size === 0) finish()
  }
  const onStop = (): void => finish()
  signal?.addEventListener('abort', onStop, { once: true })
  try {
    await ready(queue, url)
    await ready(events, url)
    events.on('completed', ({ jobId, returnvalue }) => settle(jobId, typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue))
    events.on('failed', ({ jobId, failedReason }) => settleFailed(jobId, failedReason))
    // Jobs the queue already has: completed ones are taken, failed ones retried, the rest added.
    for (const job of [...pending.values()]) {
      const existing = (await queue.getJob(job.key)) as Job<QueuedJob, JobOutcome> | undefined
      const state = existing === undefined ? null : await existing.getState()
      if (existing !== undefined && state === 'completed') settle(job.key, existing.returnvalue)
      else if (existing !== undefined && state === 'failed') await existing.retry('failed')
    }
    const toAdd = [...pending.values()]
    await queue.addBulk(
      toAdd.map((job) => ({
        name: 'sweep-job',
        data: { key: job.key, inputs: job.inputs, codeVersion: job.codeVersion },
        opts: { jobId: job.key, attempts: ATTEMPTS, removeOnComplete: false, removeOnFail: false },
      })),
    )
    // A job may have completed between the check and the subscription: look once more, then wait.
    const check = async (): Promise<void> => {
      for (const key of [...pending.keys()]) {
        // State first, then the job's fields: read the other way round, a job finishing in
        // between reads as 'failed' with no failedReason yet (or 'completed' with no value).
        const state = await queue.getJobState(key)
        if (state !== 'completed' && state !== 'failed') continue
        const job = (await queue.getJob(key)) as Job<QueuedJob, JobOutcome> | undefined
        if (job === undefined) continue
        if (state === 'completed') settle(key, job.returnvalue)
        else settleFailed(key, job.failedReason)
      }
    }
    await check()
    // Events can be missed across a Redis reconnect: reconcile every few seconds as well.
    const timer = setInterval(() => void check().catch(() => undefined), 5000)
    try {
      if (pending.size > 0 && signal?.aborted !== true) await finished
    } finally {
      clearInterval(timer)
    }
  } finally {
    signal?.removeEventListener('abort', onStop)
    await Promise.allSettled([events.close(), queue.close()])
  }
  return { ...progress(), interrupted: pending.size > 0 }
}

/** Options of {@link runQueueWorker}. */
export interface QueueWorkerOptions {
  readonly url: string
  /** Jobs run at once (worker threads). */
  readonly threads: number
  /** Stops the worker: jobs in flight are abandoned; their locks expire and other workers take them. */
  readonly signal?: AbortSignal
  /**
   * How long a job's lock lasts without renewal, ms (default 30 000): after a worker dies, its
   * job is handed to another worker within about this time.
   */
  readonly lockDurationMs?: number
  /** Called once the worker listens, and after each job it finished. */
  readonly onReady?: () => void
  readonly onJob?: (key: string, outcome: JobOutcome) => void
  /** The task module's URL (default: this package's job worker). */
  readonly workerModule?: string
  /** The worker's name, recorded on the jobs it finishes (default `<host>:<pid>`). */
  readonly name?: string
}

/**
 * Pulls sweep jobs from the queue until the signal fires, running them on worker threads.
 * @throws {SnipSnapError} INVALID_SPEC for a bad URL, IO_ERROR when Redis cannot be reached.
 */
export const runQueueWorker = async (options: QueueWorkerOptions): Promise<{ readonly processed: number }> => {
  const connection = parseRedisUrl(options.url)
  const lockDuration = options.lockDurationMs ?? 30_000
  const pool = createJobPool(options.threads, options.workerModule)
  const ownCodeVersion = codeVersion()
  let processed = 0
  const worker = new Worker<QueuedJob, JobOutcome>(
    SWEEP_QUEUE_NAME,
    async (job) => {
      const { key, inputs } = job.data
      // A job keyed for other code would store this code's result under that code's key: refused.
      if (job.data.codeVersion !== ownCodeVersion) {
        throw new UnrecoverableError(`job ${job.id}: the sweep runs code version ${String(job.data.codeVersion)}, this worker ${ownCodeVersion} (run the same build everywhere)`)
      }
      // A job's key is the hash of its inputs: a job that does not match is refused, not computed.
      if (jobKey(inputs, ownCodeVersion) !== key || job.id !== key) throw new UnrecoverableError(`job ${job.id}: its key does not match its inputs`)
      const outcome = await pool.run(inputs)
      processed++
      options.onJob?.(key, outcome)
      return outcome
    },
    { connection, name: options.name ?? `${hostname()}:${process.pid}`, concurrency: options.threads, lockDuration, stalledInterval: lockDuration, maxStalledCount: ATTEMPTS, autorun: false },
  )
  worker.on('error', () => undefined)
  try {
    await ready(worker, options.url)
    const running = worker.run()
    options.onReady?.()
    if (options.signal?.aborted !== true) {
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }))
    }
    await worker.close(true)
    await running.catch(() => undefined)
  } finally {
    await worker.close(true).catch(() => undefined)
    await pool.destroy()
  }
  return { processed }
}

/** A sweep job on the queue, as inspection sees it. */
export interface QueuedJobState {
  readonly key: string
  readonly state: string
  /** Attempts that ended in a failure. */
  readonly attemptsMade: number
  /** Times the job's lock expired with its worker gone (then it was handed out again). */
  readonly stalledCounter: number
  /** The worker that finished it, when it has a name. */
  readonly processedBy: string | null
}

/** The sweep jobs on the queue with their states (for operators and tests). */
export const inspectSweepQueue = async (url: string): Promise<{ readonly counts: Readonly<Record<string, number>>; readonly jobs: readonly QueuedJobState[] }> => {
  const queue = new Queue(SWEEP_QUEUE_NAME, { connection: parseRedisUrl(url) })
  queue.on('error', () => undefined)
  try {
    await ready(queue, url)
    const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'paused')
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'paused'])
    const states = await Promise.all(
      jobs.map(async (job) => ({
        key: String(job.id),
        state: await job.getState(),
        attemptsMade: job.attemptsMade,
        stalledCounter: job.stalledCounter,
        processedBy: job.processedBy ?? null,
      })),
    )
    return { counts, jobs: states }
  } finally {
    await queue.close()
  }
}

/** Removes every sweep job from the queue (stored results in `--out` directories stay). */
export const clearSweepQueue = async (url: string): Promise<void> => {
  const queue = new Queue(SWEEP_QUEUE_NAME, { connection: parseRedisUrl(url) })
  queue.on('error', () => undefined)
  try {
    await ready(queue, url)
    await queue.obliterate({ force: true })
  } finally {
    await queue.close()
  }
}

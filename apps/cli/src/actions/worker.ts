// What `snipsnap worker --queue redis://host:port [--threads N] [--lock-ms MS]` runs (declared in
// ../commands/worker.ts, imported only when the command runs): pull sweep jobs from the queue and
// run them on worker threads until Ctrl-C (exit 130; jobs in flight go back to the queue when
// their locks expire). argv → library calls → one line per job on stderr; no domain logic here.
import { availableParallelism } from 'node:os'
import type { CliRun } from '../run-control'
import { parseIntegerOption } from '../option-values'

/** Options of `snipsnap worker`, as commander parses them. */
export interface WorkerCliOptions {
  readonly queue: string
  readonly threads?: string
  readonly lockMs: string
}

/** Runs `snipsnap worker`. */
export const runWorker = async (options: WorkerCliOptions, io: CliRun): Promise<void> => {
  const threads = io.capThreads(options.threads === undefined ? io.cores ?? availableParallelism() : parseIntegerOption(options.threads, '--threads', 1))
  const lockDurationMs = parseIntegerOption(options.lockMs, '--lock-ms', 1000)
  const { codeVersion, runQueueWorker } = await import('@snipsnap/sweep/queue')
  const { processed } = await runQueueWorker({
    url: options.queue,
    threads,
    lockDurationMs,
    signal: io.signal,
    onReady: () => io.stderr.write(`snipsnap worker: waiting for jobs on ${options.queue} with ${threads} thread(s), code version ${codeVersion()}\n`),
    onJob: (key, outcome) =>
      io.stderr.write(`snipsnap worker: ${key} ${outcome.status}${outcome.status === 'failed' ? ` (${outcome.error.code}: ${outcome.error.message})` : ''} in ${(outcome.elapsedMs / 1000).toFixed(1)} s\n`),
  })
  io.stderr.write(`snipsnap worker: stopped after ${processed} job(s)\n`)
}

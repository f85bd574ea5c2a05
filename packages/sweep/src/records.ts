// What a job computed and how it is stored: the outcome of one job and its `<key>.json` record.
// Plain data, shared by the result store and the queue (`@snipsnap/sweep/node`, `/queue`) and by
// the summary, which reads records from wherever they are kept.
import type { ExploreModelResult } from '@snipsnap/explorer'
import type { AxisValue, JobInputs, SweepJob } from './spec'

/** What a job computed: the explorer's result, or the error its search threw. */
export type JobOutcome =
  | { readonly status: 'ok'; readonly result: ExploreModelResult; readonly elapsedMs: number }
  | { readonly status: 'failed'; readonly error: JobError; readonly elapsedMs: number }

/** A job's error as plain data. */
export interface JobError {
  readonly code: string
  readonly message: string
  readonly path?: readonly (string | number)[]
}

/** Version of the `<key>.json` record layout. */
export const JOB_RECORD_VERSION = 1

/** What `<key>.json` holds. */
export interface JobRecord {
  readonly recordVersion: number
  readonly key: string
  /** The job's value on each axis of the sweep. */
  readonly axes: Readonly<Record<string, AxisValue>>
  readonly inputs: JobInputs
  /** The code version the key was made with (see `codeVersion`). */
  readonly codeVersion: string
  readonly status: 'ok' | 'failed'
  /** The explorer's whole-model result (`totalEnergyPJ`, `totalCycles`, `areaUM2`, layers…); null when failed. */
  readonly result: ExploreModelResult | null
  readonly error: JobError | null
  /**
   * True when the failure came from the machinery (a worker thread or process died), not from the
   * job's search: such a record does not count as stored, so a rerun computes the job again.
   */
  readonly retry: boolean
  /** Wall time of the computation, ms (not part of the deterministic result). */
  readonly elapsedMs: number
}

/** A job's record from its outcome (`retry`: the machinery failed, see {@link JobRecord.retry}). */
export const recordOf = (job: SweepJob, outcome: JobOutcome, retry = false): JobRecord => ({
  recordVersion: JOB_RECORD_VERSION,
  key: job.key,
  axes: job.axes,
  inputs: job.inputs,
  codeVersion: job.codeVersion,
  status: outcome.status,
  result: outcome.status === 'ok' ? outcome.result : null,
  error: outcome.status === 'failed' ? outcome.error : null,
  retry,
  elapsedMs: Math.round(outcome.elapsedMs),
})

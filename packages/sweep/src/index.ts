// Public API of @snipsnap/sweep (platform-neutral): sweep specs and their expansion into jobs,
// job keys, job records, summaries and the sweep report. Reading the code version from disk, the
// result store, the worker-thread pool and writing the outputs are Node-only, in
// `@snipsnap/sweep/node`; the BullMQ queue is in `@snipsnap/sweep/queue` (Node).
export {
  FormatSpaceInputSchema,
  JOB_KEY_VERSION,
  MAX_SWEEP_JOBS,
  SWEEP_SPEC_VERSION,
  SweepSpecSchema,
  canonicalJson,
  expandSweep,
  type ExpandSweepOptions,
  jobKey,
  parseSweepSpec,
  type AxisValue,
  type JobFormatSpace,
  type JobInputs,
  type Sweep,
  type SweepJob,
  type SweepSpec,
  type SweepSpecInput,
} from './spec'
export { JOB_RECORD_VERSION, recordOf, type JobError, type JobOutcome, type JobRecord } from './records'
export { summarizeSweep, summaryCsv, type AxisSensitivity, type SummaryRow, type SweepSummary } from './summary'
export { sweepReportHtml } from './report'

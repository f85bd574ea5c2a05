// Public API of @snipsnap/sweep (Node): sweep specs and job keys, the result store, the local
// worker-thread pool, summaries. The BullMQ queue is in `@snipsnap/sweep/queue`.
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
export { codeVersion, fingerprintCode, type CodeLayout } from './code-version'
export { runJob, type JobError, type JobOutcome } from './job'
export { JOB_RECORD_VERSION, openResultStore, recordOf, type JobRecord, type ResultStore } from './store'
export { createJobPool, locateJobWorker, runSweepLocal, type LocalSweepOptions, type SweepProgress, type SweepRunResult } from './local'
export { summarizeSweep, summaryCsv, type AxisSensitivity, type SummaryRow, type SweepSummary } from './summary'
export { writeSweepOutputs } from './outputs'
export { sweepReportHtml } from './report'

// Node-only entry of @snipsnap/sweep (`@snipsnap/sweep/node`): the code version read from the
// package files on disk, running jobs (in this thread or on a worker-thread pool), the result
// store (a folder of `<key>.json`) and the sweep's output files. The main entry stays
// platform-neutral; the BullMQ queue is `@snipsnap/sweep/queue`.
export { codeVersion, fingerprintCode, type CodeLayout } from './code-version'
export { runJob } from './job'
export { openResultStore, type ResultStore } from './store'
export { createJobPool, locateJobWorker, runSweepLocal, type JobPoolOptions, type LocalSweepOptions, type SweepProgress, type SweepRunResult } from './local'
export { writeSweepOutputs } from './outputs'

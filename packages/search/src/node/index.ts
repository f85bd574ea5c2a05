// Node-only entry of @snipsnap/search (`@snipsnap/search/node`): the worker-thread executor and a
// wall clock. The main entry stays platform-neutral.
import { performance } from 'node:perf_hooks'

export { createWorkerPool, loadEvaluator, resolveModuleUrl, type WorkerPool, type WorkerPoolOptions } from './worker-pool'

/** Milliseconds from a monotonic origin: the `clock` callers pass to `runSearch` on Node. */
export const nodeClock = (): number => performance.now()

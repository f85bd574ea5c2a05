import { defineConfig } from 'tsup'
import { nodeProgram } from '@snipsnap/tsup-config'

// Node-only (files, worker threads, Redis). `job-worker` is its own entry: worker threads import
// it by URL, and `queue` is its own entry so that BullMQ loads only for `--queue` and `worker`.
export default defineConfig({
  ...nodeProgram(['src/index.ts', 'src/job-worker.ts', 'src/queue.ts']),
  dts: { compilerOptions: { types: ['node'] } },
})

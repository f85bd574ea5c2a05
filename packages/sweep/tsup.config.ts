import { defineConfig } from 'tsup'
import { library, nodeProgram } from '@snipsnap/tsup-config'

// The main entry is platform-neutral. The Node-only entries build for Node into their own folder
// (so the two builds, run in parallel, never clean each other's output): `node`; `job-worker`,
// which worker threads import by URL; and `queue`, its own entry so that BullMQ loads only for
// `--queue` and `worker`.
export default defineConfig([
  library(['src/index.ts']),
  {
    ...nodeProgram(['src/node/index.ts', 'src/node/job-worker.ts', 'src/node/queue.ts']),
    outDir: 'dist-node',
    dts: { compilerOptions: { types: ['node'] } },
  },
])

import { defineConfig } from 'tsup'
import { library, nodeProgram } from '@snipsnap/tsup-config'

// The main and testing entries are platform-neutral; `./node` (worker threads) builds for Node
// into its own folder, so the two builds (run in parallel) never clean each other's output.
export default defineConfig([
  library(['src/index.ts', 'src/testing.ts']),
  {
    ...nodeProgram(['src/node/index.ts']),
    outDir: 'dist-node',
    dts: { compilerOptions: { types: ['node'] } },
  },
])

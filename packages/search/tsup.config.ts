import { defineConfig } from 'tsup'
import { library, nodeProgram } from '@snipsnap/tsup-config'

// The main and testing entries are platform-neutral; `./node` (worker threads) builds for Node.
export default defineConfig([
  library(['src/index.ts', 'src/testing.ts']),
  { ...nodeProgram([]), entry: { node: 'src/node/index.ts' }, dts: true, clean: false },
])

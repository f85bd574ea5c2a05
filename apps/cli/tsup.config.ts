import { defineConfig } from 'tsup'
import { nodeProgram } from '@snipsnap/tsup-config'

// The CLI bundles its workspace dependencies' built output through normal resolution.
export default defineConfig({ ...nodeProgram(['src/bin.ts', 'src/main.ts']), dts: { entry: 'src/main.ts' } })

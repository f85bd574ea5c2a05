import { defineConfig } from 'tsup'
import { library } from '@snipsnap/tsup-config'

export default defineConfig(library(['src/index.ts', 'src/evaluator.ts', 'src/study.ts']))

// Regenerates apps/cli/study.schema.json from the zod schemas of the spec files (a study,
// @snipsnap/explorer/study, or a sweep, @snipsnap/sweep; src/study/spec-schema.ts):
//   pnpm --filter @snipsnap/cli schema
// src/study/study.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { specJsonSchemaText } from '../src/study/spec-schema'

const file = path.resolve(import.meta.dirname, '..', 'study.schema.json')
writeFileSync(file, specJsonSchemaText())
console.log(`wrote ${path.relative(process.cwd(), file)}`)

// Regenerates apps/cli/study.schema.json from the zod schema (src/study/schema.ts):
//   pnpm --filter @snipsnap/cli schema
// src/study/schema.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { studyJsonSchemaText } from '../src/study/schema'

const file = path.resolve(import.meta.dirname, '..', 'study.schema.json')
writeFileSync(file, studyJsonSchemaText())
console.log(`wrote ${path.relative(process.cwd(), file)}`)

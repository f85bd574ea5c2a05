// The JSON Schema of every spec file (apps/cli/study.schema.json): a study (`snipsnap explore
// --spec`) or a sweep (`snipsnap sweep`), generated from the zod schemas that validate them. Kept
// apart from ./schema so that `explore` does not load the sweep package; only the generator script
// and the staleness test import it.
import { SweepSpecSchema } from '@snipsnap/sweep'
import { z } from 'zod'
import { StudySchema, studyJsonSchemaOverride } from '@snipsnap/explorer/study'

/** Every spec file: a study or a sweep (a sweep has `axes`, a study a `model`). */
export const SpecFileSchema = z.union([StudySchema, SweepSpecSchema]).describe('A SnipSnap spec file: a study (`snipsnap explore --spec <file>`) or a sweep (`snipsnap sweep <file>`).')

/** The JSON Schema of {@link SpecFileSchema} (what apps/cli/study.schema.json holds). */
export const specJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(SpecFileSchema, { target: 'draft-2020-12', io: 'input', override: studyJsonSchemaOverride }),
  $id: 'https://snipsnap.dev/schema/study-v1.json',
  title: 'SnipSnap spec files, version 1: a study or a sweep',
})

/** The committed file's exact text: the JSON Schema, two-space indented, with a final newline. */
export const specJsonSchemaText = (): string => `${JSON.stringify(specJsonSchema(), null, 2)}\n`

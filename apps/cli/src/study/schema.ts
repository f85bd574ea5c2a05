// The study spec (`snipsnap explore --spec study.yaml`), version 1: one zod schema is both the
// validator and the source of apps/cli/study.schema.json (JSON Schema for editors; a test fails
// when the committed file is stale). Ids (models, presets) are checked by the run itself, so the
// schema does not go stale when the zoo grows.
import { strictKeysError } from '@snipsnap/core'
import { z } from 'zod'

const strict = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: strictKeysError(Object.keys(shape)) })
const positiveInt = z.number().int().positive()
const listOrOne = <T extends z.ZodType>(item: T, what: string) => z.union([item, z.array(item).min(1)], { error: `expected ${what}, or a non-empty list of them` })

export const PHASES = ['prefill', 'decode'] as const
export const METRICS = ['energy', 'cycles', 'edp'] as const

const searchShape = {
  evaluations: positiveInt.optional().describe('Evaluations of each dataflow search of each layer (an explicit budget; without it the stopping rule decides).'),
  patience: positiveInt.optional().describe('Stopping rule: evaluations in a row without improvement that end a dataflow search.'),
  budgetS: z.number().positive().optional().describe('Wall-clock budget of the whole run, seconds.'),
  seed: z.number().int().nonnegative().optional().describe('Random seed (a run replays exactly).'),
  baselines: z.array(z.string().min(1)).optional().describe('Baselines to compare with, each given the same search budget (e.g. dataflow-only, formats-only, bitmap, csr, coo, rle).'),
}

const COMPRESSION = ['none', 'decompress', 'compress', 'both'] as const
const size = (what: string, min = 1) => z.number().min(min).describe(what)
/** One hardware point: the preset with these parameters changed (the axes of `snipsnap codesign`). */
const hardwareShape = {
  glbKiB: size('Global-buffer data capacity, KiB.').optional(),
  peBufferWords: size('PE-buffer data capacity per PE, words.').optional(),
  peArray: z.string().regex(/^\d+x\d+$/, 'a PE array shape is written XxY, e.g. 8x16').optional().describe('PE array shape XxY, e.g. 8x16.'),
  dramBandwidth: size('DRAM read and write bandwidth, words per cycle.', 0.001).optional(),
  glbBandwidth: size('Global-buffer read and write bandwidth, words per cycle.', 0.001).optional(),
  peBufferBandwidth: size('PE-buffer read and write bandwidth, words per cycle.', 0.001).optional(),
  glbMetadataDepth: size('Metadata storage entries of the global buffer (0 = none).', 0).optional(),
  peBufferMetadataDepth: size('Metadata storage entries of each PE buffer (0 = none).', 0).optional(),
  glbCompression: z.enum(COMPRESSION).optional().describe('Whether the global buffer can compress / decompress.'),
  peBufferCompression: z.enum(COMPRESSION).optional().describe('Whether each PE buffer can compress / decompress.'),
  glbBlockWords: size('Words per global-buffer access.').optional(),
  wordBits: size('Data word width of every level and the MACs, bits.').optional(),
}
/** Hardware parameter names a study may set (a test keeps them equal to the explorer's axes). */
export const HARDWARE_KEYS = Object.keys(hardwareShape)

const formatsShape = {
  primitives: z.array(z.string().min(1)).min(1).optional().describe('Format primitives the compression engine may use, by symbol (U, UOP, CP, B, RLE, UB, NM); U is required.'),
  flatten: z.boolean().optional().describe('Whether the engine may flatten ranks.'),
}

const studyShape = {
  $schema: z.string().optional().describe('Path or URL of this JSON Schema (for editors; not read).'),
  version: z.literal(1).describe('Spec format version.'),
  model: z.string().min(1).describe('Zoo model id, e.g. llama-2-7b, llama-2-13b, gpt-2, bert-base.'),
  phases: z.array(z.enum(PHASES)).min(1).optional().describe('Inference phases to search, in order (default both).'),
  sparsity: listOrOne(z.string().min(1), 'a sparsity preset id').optional().describe('Sparsity preset id(s), e.g. unstructured-50, nm-2-4, activation-90.'),
  arch: z.string().min(1).optional().describe('Architecture preset id: llm-default, stc-like or eyeriss-like.'),
  hardware: strict(hardwareShape).optional().describe('Parameters of the preset changed for this study (energy and area re-estimated, as codesign does).'),
  formats: strict(formatsShape).optional().describe('The format space the co-search chooses from.'),
  lowering: z.enum(['native', 'im2col']).optional().describe('CNN convolutions as native convolutions (default) or im2col GEMMs.'),
  seqLen: positiveInt.optional().describe('Prefill sequence length (default min(2048, the model context)).'),
  batch: positiveInt.optional().describe('Batch: sequences in prefill, streams in decode (default 1).'),
  objective: listOrOne(z.enum(METRICS), `one of ${METRICS.join(', ')}`).optional().describe('What to minimise: energy, cycles or edp; a list is lexicographic.'),
  search: strict(searchShape).optional().describe('Search settings.'),
  out: z.string().min(1).optional().describe('Folder for results.json, layers.csv and report.html.'),
}

/** A study spec file, version 1. */
export const StudySchema = strict(studyShape).describe('A SnipSnap study: what `snipsnap explore --spec <file>` runs.')

/** A validated study spec. */
export type Study = z.infer<typeof StudySchema>

/** The JSON Schema of {@link StudySchema} (what apps/cli/study.schema.json holds). */
export const studyJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(StudySchema, { target: 'draft-2020-12', io: 'input' }),
  $id: 'https://snipsnap.dev/schema/study-v1.json',
  title: 'SnipSnap study spec, version 1',
})

/** The committed file's exact text: the JSON Schema, two-space indented, with a final newline. */
export const studyJsonSchemaText = (): string => `${JSON.stringify(studyJsonSchema(), null, 2)}\n`

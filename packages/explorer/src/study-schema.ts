// The study spec (`snipsnap explore --spec study.yaml`, and a spec dropped on the web page),
// version 1: one zod schema is the validator of both apps and the source of
// apps/cli/study.schema.json (JSON Schema for editors; a test fails when the committed file is stale). Ids (models, presets, density models) are checked by the run
// itself, so the schema does not go stale when the zoo or a registry grows. The workload is a zoo
// `model` or a list of `gemms`; the architecture a preset id or `{ timeloop: [files] }`.
import { BUILTIN_DENSITY_MODELS, strictKeysError } from '@snipsnap/core'
import { TENSOR_ROLES, type TensorRole } from '@snipsnap/workloads'
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

/** Density of the tensors of one role: a density model of core's registry with its parameters. */
const tensorDensityShape = {
  density: z.number().min(0, 'a density is in [0, 1]').max(1, 'a density is in [0, 1]').describe('Fraction of non-zeros, in [0, 1] (0.3 = 70% sparse).'),
  distribution: z.string().min(1).optional().describe(`Density model id (default hypergeometric: unstructured), as the density registry names them: ${Object.keys(BUILTIN_DENSITY_MODELS).join(', ')} or a plug-in's.`),
  params: z.record(z.string(), z.unknown()).optional().describe("The density model's parameters, e.g. { n: 2, m: 4, rank: 0 } for n-m, { blockShape: [1, 16] } for block."),
  phases: z.array(z.enum(PHASES)).min(1).optional().describe('Phases it applies in (default both).'),
}
// One definition in the JSON Schema ($defs), referenced by every role.
const tensorDensity = strict(tensorDensityShape).meta({ id: 'TensorDensity', description: 'Density of the tensors of one role.' })
const ROLE_TEXT: Readonly<Record<TensorRole, string>> = {
  weight: 'Weights of linear layers (a GEMM list: B).',
  activation: 'Hidden states entering a linear layer (a GEMM list: A).',
  'ffn-activation': 'The FFN intermediate entering the down projection.',
  query: 'Queries of the attention score GEMM.',
  key: 'Keys (the K cache in decode).',
  value: 'Values (the V cache in decode).',
  'attention-scores': 'Attention scores / probabilities.',
  output: 'Outputs of GEMMs not re-read as an operand (a GEMM list: Z).',
  'feature-map': 'CNN input feature maps after a ReLU.',
  'linear-feature-map': 'CNN inputs without a ReLU before them.',
}
/** Densities per tensor, by the workloads' tensor roles. */
const perTensorShape = Object.fromEntries(TENSOR_ROLES.map((role) => [role, tensorDensity.optional().describe(ROLE_TEXT[role])])) as Record<TensorRole, z.ZodOptional<typeof tensorDensity>>
const perTensor = strict(perTensorShape).describe('Densities per tensor, by role (later entries override earlier ones on the same tensor).')

/** Density of one tensor of one GEMM: as a role's, without phases (a GEMM runs in one). */
const gemmTensorDensity = strict({ density: tensorDensityShape.density, distribution: tensorDensityShape.distribution, params: tensorDensityShape.params }).meta({ id: 'GemmTensorDensity', description: 'Density of one tensor of this GEMM.' })
const gemmSparsityShape = {
  activation: gemmTensorDensity.optional().describe('A, the input activations.'),
  weight: gemmTensorDensity.optional().describe('B, the weights.'),
  output: gemmTensorDensity.optional().describe('Z, the outputs.'),
}

/** One GEMM of a list given instead of a zoo model (`@snipsnap/workloads`' linear layer: A activations, B weights, Z outputs). */
const gemmShape = {
  name: z.string().min(1).describe('Name of the GEMM, unique in its phase, e.g. q_proj.'),
  M: positiveInt.describe('Rows of the streamed operand A[M][K] (tokens in prefill, batch in decode).'),
  K: positiveInt.describe('Reduction dimension.'),
  N: positiveInt.describe('Columns of the weight B[K][N] and of the output Z[M][N].'),
  count: positiveInt.optional().describe('Runs per forward pass (default 1), e.g. the number of decoder layers.'),
  phase: z.enum(PHASES).optional().describe('The phase it runs in (default prefill).'),
  sparsity: strict(gemmSparsityShape).optional().describe("Densities of this GEMM's tensors, replacing the study's sparsity on them."),
}

const timeloopShape = {
  timeloop: listOrOne(z.string().min(1), 'a file or folder').describe('Timeloop/Sparseloop files (or folders of them) holding the architecture and optionally its ERT and ART, relative to this spec; without ERT/ART the energy and area tables are estimated.'),
}

const formatsShape = {
  primitives: z.array(z.string().min(1)).min(1).optional().describe('Format primitives the compression engine may use, by symbol (U, UOP, CP, B, RLE, UB, NM); U is required.'),
  flatten: z.boolean().optional().describe('Whether the engine may flatten ranks.'),
}

const studyShape = {
  $schema: z.string().optional().describe('Path or URL of this JSON Schema (for editors; not read).'),
  version: z.literal(1).describe('Spec format version.'),
  model: z.string().min(1).optional().describe('Zoo model id, e.g. llama-2-7b, llama-2-13b, gpt-2, bert-base (or give gemms).'),
  gemms: z.array(strict(gemmShape)).min(1).optional().describe('A list of GEMMs instead of a zoo model.'),
  phases: z.array(z.enum(PHASES)).min(1).optional().describe('Inference phases to search, in order (default both; with gemms, the phases they name).'),
  sparsity: listOrOne(z.union([z.string().min(1), perTensor]), 'a sparsity preset id or densities per tensor')
    .optional()
    .describe('Sparsity preset id(s), e.g. unstructured-50, nm-2-4, activation-90, and/or densities per tensor, e.g. { weight: { density: 0.3 } }; later entries override earlier ones.'),
  arch: z
    .union([z.string().min(1), strict(timeloopShape)], { error: 'expected an architecture preset id, or { timeloop: [files] }' })
    .optional()
    .describe('Architecture preset id (llm-default, stc-like or eyeriss-like), or { timeloop: [arch.yaml, ERT.yaml, ART.yaml] }.'),
  hardware: strict(hardwareShape).optional().describe('Parameters of the preset changed for this study (energy and area re-estimated, as codesign does).'),
  formats: strict(formatsShape).optional().describe('The format space the co-search chooses from.'),
  lowering: z.enum(['native', 'im2col']).optional().describe('CNN convolutions as native convolutions (default) or im2col GEMMs.'),
  seqLen: positiveInt.optional().describe('Prefill sequence length (default min(2048, the model context)).'),
  batch: positiveInt.optional().describe('Batch: sequences in prefill, streams in decode (default 1).'),
  objective: listOrOne(z.enum(METRICS), `one of ${METRICS.join(', ')}`).optional().describe('What to minimise: energy, cycles or edp; a list is lexicographic.'),
  search: strict(searchShape).optional().describe('Search settings.'),
  out: z.string().min(1).optional().describe('Folder for results.json, layers.csv and report.html.'),
}

/** Exactly one workload: a zoo model or GEMMs; zoo-only settings only with a model; GEMM names unique per phase; every phase asked for has GEMMs. */
const checkWorkload = (study: z.infer<ReturnType<typeof strict<typeof studyShape>>>, ctx: z.core.$RefinementCtx): void => {
  if (study.model === undefined && study.gemms === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'give `model` (a zoo model id) or `gemms` (a list of GEMMs)' })
  if (study.model !== undefined && study.gemms !== undefined) ctx.addIssue({ code: 'custom', path: ['gemms'], message: 'give `model` or `gemms`, not both' })
  if (study.gemms === undefined) return
  for (const key of ['seqLen', 'batch', 'lowering'] as const) {
    if (study[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'applies to a zoo model only (a GEMM list gives each shape and count)' })
  }
  const seen = new Map<string, number>()
  study.gemms.forEach((gemm, i) => {
    const id = `${gemm.phase ?? 'prefill'}\u0000${gemm.name}`
    const first = seen.get(id)
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['gemms', i, 'name'], message: `\`${gemm.name}\` is also gemms[${first}]'s name in ${gemm.phase ?? 'prefill'}; names are unique per phase` })
    else seen.set(id, i)
  })
  study.phases?.forEach((phase, i) => {
    if (!study.gemms?.some((g) => (g.phase ?? 'prefill') === phase)) ctx.addIssue({ code: 'custom', path: ['phases', i], message: `no GEMM of the list runs in ${phase} (a GEMM's phase defaults to prefill)` })
  })
}

/** A study spec file, version 1. */
export const StudySchema = strict(studyShape)
  // Only for an otherwise valid spec: a misspelled `model` is reported as the misspelling alone.
  .superRefine(checkWorkload, { when: (payload) => payload.issues.length === 0 })
 .describe('A SnipSnap study: what `snipsnap explore --spec <file>` runs.')

/** A validated study spec. */
export type Study = z.infer<typeof StudySchema>

/** One entry of `sparsity` giving densities per tensor, by role. */
export type TensorDensities = z.infer<typeof perTensor>

/**
 * What the zod refinement checks that JSON Schema can say too, for editors: a study has exactly one
 * of `model` and `gemms` (pass as `override` to `z.toJSONSchema`).
 */
export const studyJsonSchemaOverride = (ctx: { readonly zodSchema: unknown; readonly jsonSchema: Record<string, unknown> }): void => {
  if (ctx.zodSchema === StudySchema) ctx.jsonSchema['oneOf'] = [{ required: ['model'] }, { required: ['gemms'] }]
}

/** The JSON Schema of {@link StudySchema} (what apps/cli/study.schema.json holds). */
export const studyJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(StudySchema, { target: 'draft-2020-12', io: 'input', override: studyJsonSchemaOverride }),
  $id: 'https://snipsnap.dev/schema/study-v1.json',
  title: 'SnipSnap study spec, version 1',
})

/** The committed file's exact text: the JSON Schema, two-space indented, with a final newline. */
export const studyJsonSchemaText = (): string => `${JSON.stringify(studyJsonSchema(), null, 2)}\n`

// A study is everything a person chose on the page, as plain data: it is what the share link
// carries, what the worker runs and what a dropped page study file holds (a dropped CLI study spec
// is read into one by spec.ts). Validated once here, at the edge (URL, dropped file), with zod;
// issues name the bad field.
import { z } from 'zod'

/** Density of the tensors of one role (a study spec's `sparsity` entry): a density model id with its parameters. */
const tensorDensitySchema = z.strictObject({
  density: z.number().min(0).max(1),
  distribution: z.string().min(1).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  phases: z.array(z.enum(['prefill', 'decode'])).min(1).optional(),
})
/** Densities per tensor by role (weight, activation, …; the workloads' tensor roles, checked when the study runs). */
const perTensorSchema = z.record(z.string(), tensorDensitySchema)
/** A GEMM's own densities of A (activation), B (weight) and Z (output), replacing the presets' on them. */
const gemmDensitiesSchema = z.strictObject({
  activation: tensorDensitySchema.omit({ phases: true }).optional(),
  weight: tensorDensitySchema.omit({ phases: true }).optional(),
  output: tensorDensitySchema.omit({ phases: true }).optional(),
})
const fileSchema = z.strictObject({ fileName: z.string(), text: z.string().max(2_000_000) })

const gemmsSchema = z.strictObject({
  kind: z.literal('gemms'),
  text: z.string().max(20_000),
  /** The phase the GEMMs run in (sparsity presets differ by phase); prefill when absent. */
  phase: z.enum(['prefill', 'decode']).optional(),
  /** Densities of single GEMMs, by GEMM name (a study spec's `gemms[].sparsity`). */
  densities: z.record(z.string(), gemmDensitiesSchema).optional(),
})
const zooSchema = z.strictObject({
  kind: z.literal('zoo'),
  model: z.string().min(1),
  phase: z.enum(['prefill', 'decode']),
  seqLen: z.number().int().positive().max(1 << 20).optional(),
})
const timeloopSchema = z.strictObject({
  kind: z.literal('timeloop'),
  files: z.array(fileSchema).min(1).max(32),
})

/** The editor's target: one tensor of one layer, stored at one level in a pattern such as `UOP(K)-CP(N)`. */
export const formatEditSchema = z.strictObject({
  tensor: z.string().min(1),
  level: z.string().min(1),
  pattern: z.string().max(200),
})

export const studySchema = z.strictObject({
  version: z.literal(1),
  workload: z.discriminatedUnion('kind', [zooSchema, gemmsSchema, timeloopSchema]),
  /** Sparsity preset ids, comma-separated (zoo models and GEMM lists; Timeloop designs carry their own). */
  sparsity: z.string().min(1),
  /** Densities per tensor applied after the presets, in order (a study spec's `sparsity` entries that are maps). */
  densities: z.array(perTensorSchema).max(16).optional(),
  /** Accelerator preset id (ignored for Timeloop designs, which bring their own). */
  arch: z.string().min(1),
  /** Timeloop files holding the architecture (and its ERT, ART) of a zoo model or GEMM list: a study spec's `arch: { timeloop }`. */
  archFiles: z.array(fileSchema).min(1).max(8).optional(),
  objective: z.enum(['energy', 'cycles', 'edp']),
  /** Indices of the distinct layers to search. */
  layers: z.array(z.number().int().min(0)).max(512),
  /** Evaluations of each dataflow search of each layer. */
  evaluations: z.number().int().min(1).max(100_000),
  /** Stopping rule of each dataflow search under the `evaluations` cap: evaluations in a row without improvement. */
  patience: z.number().int().min(1).max(100_000).optional(),
  seed: z.number().int().min(0).max(0x7fffffff),
  /** Layer index the format editor looks at. */
  focus: z.number().int().min(0),
  format: formatEditSchema.optional(),
})

export type Study = z.infer<typeof studySchema>
export type WorkloadSource = Study['workload']
export type FormatEdit = z.infer<typeof formatEditSchema>

export const DEFAULT_STUDY: Study = {
  version: 1,
  workload: { kind: 'zoo', model: 'llama-2-7b', phase: 'prefill' },
  sparsity: 'unstructured-50',
  arch: 'llm-default',
  objective: 'energy',
  layers: [0],
  evaluations: 48,
  seed: 1,
  focus: 0,
}

/** A study checked against the schema, or the first problem as `path: message`. */
export const parseStudy = (value: unknown): { ok: true; study: Study } | { ok: false; message: string } => {
  const parsed = studySchema.safeParse(value)
  if (parsed.success) return { ok: true, study: parsed.data }
  const issue = parsed.error.issues[0]
  const where = issue === undefined || issue.path.length === 0 ? 'study' : issue.path.join('.')
  return { ok: false, message: `${where}: ${issue?.message ?? 'invalid study'}` }
}

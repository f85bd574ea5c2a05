// Sweep specs: a versioned YAML/JSON document crossing axes (models, phases, sparsity presets,
// architecture presets, hardware parameters, format-space limits, search budget, seed) into jobs.
// Each job is keyed by a hash of its canonicalised inputs, so its result is deterministic for its
// key and a rerun can tell what is already stored. Platform-neutral: the SHA-256 is @noble/hashes'
// (pure JS, equal to node:crypto's: src/node/job-key.test.ts), and the code version is a parameter, read from
// disk only by `@snipsnap/sweep/node`.
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { z } from 'zod'
import { SnipSnapError, strictKeysError, type Issue } from '@snipsnap/core'
import { readYamlValue } from '@snipsnap/core/yaml'
import { ARCH_PRESET_IDS, HardwareAxesInputSchema, expandHardwareAxes, type HardwarePoint } from '@snipsnap/arch'
import { listModels, listSparsityPresets } from '@snipsnap/workloads'

/** The sweep-spec versions this package reads. */
export const SWEEP_SPEC_VERSION = 1
/**
 * Version of the key layout (2: the code version is hashed in). A change of the code computing
 * jobs changes the code version instead (see `codeVersion`), so no bump is needed for that.
 */
export const JOB_KEY_VERSION = 2

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'an axis needs at least one value')

const formatSpaceShape = {
  /** Shown in reports; defaults to the primitives joined with `+`. */
  name: z.string().min(1).optional().describe('Shown in summaries and the report (default: the primitives joined with +).'),
  /** Format primitives (symbols of the format registry: U, UOP, UB, CP, B, RLE) the engine may use. */
  primitives: z.array(z.string().min(1)).min(1).optional().describe('Format primitives the compression engine may use, by symbol (U, UOP, UB, CP, B, RLE); U is required.'),
  /** Whether a level's own ranks may be flattened into one rank (default true). */
  flatten: z.boolean().optional().describe("Whether a level's ranks may be flattened into one rank (default true)."),
}
/** One format space of the `formatSpace` axis: a name, the primitives allowed (must include U), flattening. */
export const FormatSpaceInputSchema = z
  .strictObject(formatSpaceShape, { error: strictKeysError(Object.keys(formatSpaceShape)) })
  .describe('A format space: the limits of the compression engine for the jobs of this axis value.')

const axesShape = {
  model: list(z.string().min(1)).describe('Zoo model ids, e.g. gpt-2, llama-2-7b.'),
  phase: list(z.enum(['prefill', 'decode'])).default(['prefill']).describe('Inference phases (default prefill).'),
  /** Sparsity presets; a value may be a list of presets applied together (later ones override). */
  sparsity: list(z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))
    .default(['unstructured-50'])
    .describe('Sparsity preset ids; a value may be a list of presets applied together (later ones override).'),
  arch: list(z.string().min(1)).default(['llm-default']).describe('Architecture preset ids: llm-default, stc-like, eyeriss-like.'),
  /** Hardware parameters applied to each architecture preset (`@snipsnap/arch` hardware axes). */
  hardware: HardwareAxesInputSchema.optional().describe('Hardware parameters applied to each architecture preset, each a list of values or a range (the axes of snipsnap codesign).'),
  /** Format-space limits of the compression engine. */
  formatSpace: list(FormatSpaceInputSchema).optional().describe('Format spaces of the compression engine (default: its full space).'),
  /** Evaluations of each dataflow search of each layer (the search budget). */
  evaluations: list(z.number().int().min(1)).default([48]).describe('Evaluations of each dataflow search of each layer (the search budget; default 48).'),
  seed: list(z.number().int().min(0)).default([1]).describe('Random seeds (default 1).'),
}

const sweepShape = {
  /** Path or URL of the JSON Schema, for editors (not read). */
  $schema: z.string().optional().describe('Path or URL of this JSON Schema (for editors; not read).'),
  /** Spec format version (this package reads 1). */
  version: z.literal(SWEEP_SPEC_VERSION).describe('Sweep spec format version.'),
  /** Shown in the summary and the report. */
  name: z.string().min(1).optional().describe('Shown in the summary and the report.'),
  description: z.string().optional().describe('Free text.'),
  /** Search objective of every job: energy, cycles, edp or a lexicographic list such as `energy,cycles`. */
  objective: z.string().min(1).default('energy').describe('Search objective of every job: energy, cycles, edp, or a lexicographic list such as energy,cycles.'),
  /** Sequence length and batch of the workloads (the zoo's defaults when left out). */
  seqLen: z.number().int().min(1).optional().describe("Prefill sequence length of every job (default: the zoo's)."),
  batch: z.number().int().min(1).optional().describe('Batch of every job (default 1).'),
  /** Axes crossed into jobs: every combination of one value per axis is a job. */
  axes: z
    .strictObject(axesShape, { error: strictKeysError(Object.keys(axesShape)) })
    .describe('Axes crossed into jobs: every combination of one value per axis is a job.'),
}
/** The written form of a sweep spec (YAML or JSON); a misspelled key is named with the key it misses. */
export const SweepSpecSchema = z
  .strictObject(sweepShape, { error: strictKeysError(Object.keys(sweepShape)) })
  .describe('A SnipSnap sweep: what `snipsnap sweep <spec>` runs.')

/** A sweep spec as written. */
export type SweepSpecInput = z.input<typeof SweepSpecSchema>
/** A sweep spec with defaults filled in. */
export type SweepSpec = z.output<typeof SweepSpecSchema>

/** Format-space limits of one job (canonical: primitives sorted). */
export interface JobFormatSpace {
  readonly primitives?: readonly string[]
  readonly flatten?: boolean
}

/** Everything a job's result depends on (plain data; hashed into its key). */
export interface JobInputs {
  readonly model: string
  readonly phase: 'prefill' | 'decode'
  readonly sparsity: readonly string[]
  readonly arch: string
  /** Hardware parameters applied to the preset, or null for the preset as it is. */
  readonly hardware: HardwarePoint | null
  /** Format-space limits, or null for the engine's full space. */
  readonly formatSpace: JobFormatSpace | null
  readonly objective: string
  readonly evaluations: number
  readonly seed: number
  readonly seqLen?: number
  readonly batch?: number
}

/** An axis value as shown in summaries (numbers stay numbers). */
export type AxisValue = string | number

/** One job of a sweep. */
export interface SweepJob {
  /** Hash of the canonicalised inputs (hex). */
  readonly key: string
  /** Position in the sweep's crossing order. */
  readonly index: number
  /** The job's value on each swept axis, by axis name (hardware axes by their own names). */
  readonly axes: Readonly<Record<string, AxisValue>>
  readonly inputs: JobInputs
  /** The code version hashed into the key (see `codeVersion`). */
  readonly codeVersion: string
}

/** A parsed sweep: the spec, its axes (name and values, in order) and its jobs. */
export interface Sweep {
  readonly spec: SweepSpec
  readonly name: string
  /** Every axis with its values, including single-valued ones. */
  readonly axes: readonly { readonly name: string; readonly values: readonly AxisValue[] }[]
  readonly jobs: readonly SweepJob[]
  /** The code version of every job key (see `codeVersion`). */
  readonly codeVersion: string
}

/** Largest number of jobs one spec may expand to. */
export const MAX_SWEEP_JOBS = 100_000

const fail = (message: string, path: readonly (string | number)[]): never => {
  throw new SnipSnapError('INVALID_SPEC', message, { path })
}

/** JSON with object keys sorted at every depth and undefined members dropped. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  )

/**
 * The key of a job: the first 20 hex digits of the SHA-256 of its canonicalised inputs (UTF-8),
 * the key layout version and the code version, so a result stored by other code is never reused
 * for this code's job. On Node the running code's version is `codeVersion()` of
 * `@snipsnap/sweep/node`.
 * @example
 * jobKey(sweep.jobs[0].inputs, sweep.codeVersion) === sweep.jobs[0].key // true
 */
export const jobKey = (inputs: JobInputs, codeVersion: string): string =>
  bytesToHex(sha256(utf8ToBytes(canonicalJson({ keyVersion: JOB_KEY_VERSION, codeVersion, ...inputs })))).slice(0, 20)

const FORMAT_SYMBOLS = ['U', 'UOP', 'UB', 'CP', 'B', 'RLE']

const canonicalFormatSpace = (written: z.output<typeof FormatSpaceInputSchema>, i: number): { name: string; limits: JobFormatSpace | null } => {
  const path = ['axes', 'formatSpace', i]
  const primitives = written.primitives === undefined ? undefined : [...written.primitives]
  if (primitives !== undefined) {
    primitives.forEach((p, j) => {
      if (!FORMAT_SYMBOLS.includes(p)) fail(`format primitive "${p}" is not one of ${FORMAT_SYMBOLS.join(', ')}`, [...path, 'primitives', j])
      if (primitives.indexOf(p) !== j) fail(`format primitive "${p}" is listed twice`, [...path, 'primitives', j])
    })
    if (!primitives.includes('U')) fail('a format space needs the U primitive (outer ranks stay uncompressed with U)', [...path, 'primitives'])
    primitives.sort((a, b) => FORMAT_SYMBOLS.indexOf(a) - FORMAT_SYMBOLS.indexOf(b))
  }
  const limits: JobFormatSpace = {
    ...(primitives === undefined ? {} : { primitives }),
    ...(written.flatten === undefined ? {} : { flatten: written.flatten }),
  }
  const empty = primitives === undefined && written.flatten === undefined
  const name = written.name ?? (empty ? 'full' : `${primitives?.join('+') ?? 'all'}${written.flatten === false ? ' (no flatten)' : ''}`)
  return { name, limits: empty ? null : limits }
}

const cross = <T>(axes: readonly (readonly T[])[]): T[][] =>
  axes.reduce<T[][]>((acc, values) => acc.flatMap((prefix) => values.map((v) => [...prefix, v])), [[]])

/** Options of {@link expandSweep}. */
export interface ExpandSweepOptions {
  /**
   * Code version hashed into the keys: on Node the running code's, `codeVersion()` of
   * `@snipsnap/sweep/node`; any string identifying the code that computes the jobs elsewhere.
   */
  readonly codeVersion: string
}

/**
 * Validates a written sweep spec and expands it into jobs.
 * @throws {SnipSnapError} INVALID_SPEC naming the field: schema errors, an unknown model, sparsity
 *   preset or architecture preset, a bad format space, duplicate format-space names, too many jobs.
 * @example
 * const sweep = expandSweep({ version: 1, axes: { model: ['gpt-2'], phase: ['prefill', 'decode'] } }, { codeVersion: codeVersion() })
 * sweep.jobs.length // 2
 */
export const expandSweep = (input: unknown, options: ExpandSweepOptions): Sweep => {
  const { codeVersion } = options
  const parsed = SweepSpecSchema.safeParse(input)
  if (!parsed.success) {
    const issues: Issue[] = parsed.error.issues.map((i) => ({ code: i.code, path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }))
    const first = issues[0]
    throw new SnipSnapError('INVALID_SPEC', `invalid sweep spec: ${issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`, {
      issues,
      ...(first === undefined ? {} : { path: first.path }),
    })
  }
  const spec = parsed.data
  const { axes } = spec
  const models = new Set(listModels())
  axes.model.forEach((m, i) => {
    if (!models.has(m)) fail(`unknown model "${m}" (known: ${[...models].join(', ')})`, ['axes', 'model', i])
  })
  const presets = new Set(listSparsityPresets())
  const sparsity = axes.sparsity.map((s, i) => {
    const ids = typeof s === 'string' ? [s] : s
    ids.forEach((id) => {
      if (!presets.has(id)) fail(`unknown sparsity preset "${id}" (known: ${[...presets].join(', ')})`, ['axes', 'sparsity', i])
    })
    return ids
  })
  axes.arch.forEach((a, i) => {
    if (!(ARCH_PRESET_IDS as readonly string[]).includes(a)) fail(`unknown architecture preset "${a}" (known: ${ARCH_PRESET_IDS.join(', ')})`, ['axes', 'arch', i])
  })
  const hardwareAxes = axes.hardware === undefined ? [] : expandHardwareAxes(axes.hardware)
  const hardwarePoints: (HardwarePoint | null)[] =
    axes.hardware === undefined ? [null] : cross(hardwareAxes.map((a) => a.values.map((v) => [a.name, v] as const))).map((pairs) => Object.fromEntries(pairs) as HardwarePoint)
  const formatSpaces = (axes.formatSpace ?? [{}]).map((f, i) => canonicalFormatSpace(f, i))
  formatSpaces.forEach((f, i) => {
    if (formatSpaces.findIndex((g) => g.name === f.name) !== i) fail(`format space name "${f.name}" is used twice`, ['axes', 'formatSpace', i, 'name'])
  })
  const count = axes.model.length * axes.phase.length * sparsity.length * axes.arch.length * hardwarePoints.length * formatSpaces.length * axes.evaluations.length * axes.seed.length
  if (count > MAX_SWEEP_JOBS) fail(`the sweep crosses into ${count} jobs, more than ${MAX_SWEEP_JOBS}; split it`, ['axes'])

  const jobs: SweepJob[] = []
  const seen = new Set<string>()
  for (const model of axes.model)
    for (const phase of axes.phase)
      for (const sp of sparsity)
        for (const arch of axes.arch)
          for (const hardware of hardwarePoints)
            for (const formatSpace of formatSpaces)
              for (const evaluations of axes.evaluations)
                for (const seed of axes.seed) {
                  const inputs: JobInputs = {
                    model,
                    phase,
                    sparsity: sp,
                    arch,
                    hardware,
                    formatSpace: formatSpace.limits,
                    objective: spec.objective,
                    evaluations,
                    seed,
                    ...(spec.seqLen === undefined ? {} : { seqLen: spec.seqLen }),
                    ...(spec.batch === undefined ? {} : { batch: spec.batch }),
                  }
                  const key = jobKey(inputs, codeVersion)
                  // Equal inputs written twice (e.g. a repeated axis value) are one job.
                  if (seen.has(key)) continue
                  seen.add(key)
                  jobs.push({
                    key,
                    index: jobs.length,
                    axes: {
                      model,
                      phase,
                      sparsity: sp.join('+'),
                      arch,
                      ...(hardware ?? {}),
                      ...(axes.formatSpace === undefined ? {} : { formatSpace: formatSpace.name }),
                      evaluations,
                      seed,
                    },
                    inputs,
                    codeVersion,
                  })
                }
  const axisList = [
    { name: 'model', values: axes.model },
    { name: 'phase', values: axes.phase },
    { name: 'sparsity', values: sparsity.map((s) => s.join('+')) },
    { name: 'arch', values: axes.arch },
    ...hardwareAxes.map((a) => ({ name: a.name as string, values: a.values })),
    ...(axes.formatSpace === undefined ? [] : [{ name: 'formatSpace', values: formatSpaces.map((f) => f.name) }]),
    { name: 'evaluations', values: axes.evaluations },
    { name: 'seed', values: axes.seed },
  ]
  return { spec, name: spec.name ?? 'sweep', axes: axisList, jobs, codeVersion }
}

/**
 * Reads a sweep spec from YAML or JSON text and expands it (see {@link expandSweep}).
 * @throws {SnipSnapError} INVALID_SPEC for text that is neither (`source:line:col: …`, see
 *   `readYamlValue` of `@snipsnap/core/yaml`), or an invalid spec.
 */
export const parseSweepSpec = (text: string, source: string, options: ExpandSweepOptions): Sweep => {
  const document = readYamlValue(text, source, { code: 'INVALID_SPEC' })
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new SnipSnapError('INVALID_SPEC', `${source}: a sweep spec is a mapping with version and axes`, { path: [] })
  }
  return expandSweep(document, options)
}

// A dropped SnipSnap study spec (what `snipsnap explore --spec <file>` runs, version 1, YAML or
// JSON) read into the page's study. The spec is read and validated by the CLI's own reader and
// schema (`@snipsnap/explorer/study`), so a spec the CLI refuses is refused here with the same
// message (file, line, key). The page runs one phase of a zoo model or of a GEMM list on an
// accelerator preset or the Timeloop architecture files dropped with the spec, with sparsity
// presets, densities per tensor (study-level and per GEMM) and the search's stopping rule, with the
// meaning `snipsnap explore --spec` gives them; a valid setting it cannot run (hardware changes, a
// format space, a time budget, budget-matched baselines…) is refused with a message naming the
// file, its line and the key, never dropped silently. Settings that change nothing the page
// computes (`$schema`, `out`) are skipped. Platform-neutral: runs in the worker.
import { isSnipSnapError } from '@snipsnap/core'
import { readYamlDocument, type YamlDocument } from '@snipsnap/core/yaml'
import { readStudy, type StudySource } from '@snipsnap/explorer/study'
import type { Study } from './study'

type PathPart = string | number

/** What the page did with a spec: the study to load and what the person should know about it. */
export type SpecReading = { readonly ok: true; readonly study: Study; readonly notes: readonly string[] } | { readonly ok: false; readonly message: string }

const TIMELOOP_SECTIONS = ['architecture', 'arch', 'problem', 'mapping', 'mapspace', 'constraints', 'sparse_optimizations', 'sparse-optimizations', 'ERT', 'ART', 'mapper', 'variables', 'components']

/** Whether a parsed file's top level looks like a study spec (rather than Timeloop YAML or the page's own study). */
export const looksLikeSpec = (value: unknown): boolean => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const keys = Object.keys(value)
  if (keys.includes('workload')) return false // the page's own study object
  if (keys.includes('model') || keys.includes('gemms')) return true
  return keys.includes('version') && !keys.some((k) => TIMELOOP_SECTIONS.includes(k))
}

/** Parses YAML (JSON is YAML) text strictly, as every spec reader (`@snipsnap/core/yaml`); null when it cannot (the Timeloop reader names that problem). */
export const parseSpecText = (text: string): YamlDocument | null => {
  try {
    return readYamlDocument(text, 'spec')
  } catch (error) {
    if (isSnipSnapError(error)) return null
    throw error
  }
}

const PHASES = ['prefill', 'decode'] as const
type Phase = (typeof PHASES)[number]
const METRICS = ['energy', 'cycles', 'edp'] as const
type Metric = (typeof METRICS)[number]

/** Why the page cannot run a (valid) spec setting, by top-level key (the CLI runs them all). */
const CLI_ONLY: Readonly<Record<string, string>> = {
  hardware: 'hardware changes to the preset are not supported by the page',
  formats: 'a restricted format space is not supported by the page (it searches every built-in primitive)',
  lowering: 'CNN convolutions as im2col GEMMs are not supported by the page (it lowers them natively)',
  batch: 'a batch other than 1 is not supported by the page',
}
const SEARCH_CLI_ONLY: Readonly<Record<string, string>> = {
  budgetS: 'the page runs a fixed number of evaluations per search (search.evaluations, with search.patience as the stopping rule) rather than a wall-clock budget, so that a shared study replays exactly',
  baselines: 'the page compares with the fixed formats on the chosen dataflow; budget-matched baselines (each a whole extra co-search per layer) are not run in the browser',
}
/** The CLI's cap of each dataflow search under a stopping rule when no evaluations are given (EXPLORE_DEFAULTS.dataflowEvaluations). */
const PATIENCE_CAP = 4096
/** The page's own limits (its study schema, what a share link carries). */
const MAX_EVALUATIONS = 100_000
const MAX_SEED = 0x7fffffff
const RUN_IT = 'run it with `snipsnap explore --spec`'

/**
 * Reads a study spec into the page's study, keeping the page's layer choice, editor focus and
 * format; `current` supplies the evaluations when the spec gives none.
 */
export const studyFromSpec = (file: { readonly fileName: string; readonly text: string }, current: Study, dropped: readonly { readonly fileName: string; readonly text: string }[] = []): SpecReading => {
  let source: StudySource
  try {
    source = readStudy(file.fileName, file.text)
  } catch (error) {
    if (isSnipSnapError(error)) return { ok: false, message: error.message }
    throw error
  }
  const spec = source.study
  const fail = (path: readonly PathPart[], message: string): SpecReading => ({ ok: false, message: `${source.at(path)}: ${message}` })
  for (const [key, why] of Object.entries(CLI_ONLY)) {
    const value = spec[key as keyof typeof spec]
    // The page's own choices need no refusal: batch 1, native lowering.
    if (value === undefined || (key === 'batch' && value === 1) || (key === 'lowering' && value === 'native')) continue
    return fail([key], `${why}; ${RUN_IT}`)
  }
  const notes: string[] = []
  const phases: readonly Phase[] | null = spec.phases ?? null

  // The workload: a zoo model or a GEMM list (the schema made sure it is exactly one).
  let workload: Study['workload']
  if (spec.model !== undefined) {
    const phase = phases?.[0] ?? 'prefill'
    if ((phases ?? PHASES).length > 1) notes.push(`the page studies one phase at a time: ${phase} is loaded; choose ${(phases ?? PHASES).filter((p) => p !== phase).join(', ')} under Phase for the rest`)
    workload = { kind: 'zoo', model: spec.model, phase, ...(spec.seqLen !== undefined ? { seqLen: spec.seqLen } : {}) }
  } else {
    const gemms = spec.gemms ?? []
    // The page's GEMM list is text, one `name M K N count` line per GEMM.
    for (const [i, g] of gemms.entries()) if (!/^[^\s,×#]+$/.test(g.name)) return fail(['gemms', i, 'name'], 'expected a name without spaces, commas or #')
    const named = [...new Set(gemms.map((g) => g.phase ?? 'prefill'))]
    const asked = phases ?? PHASES.filter((p) => named.includes(p))
    const phase = asked[0] ?? 'prefill'
    if (asked.length > 1) notes.push(`the page studies one phase at a time: the ${phase} GEMMs are loaded (the ${asked.slice(1).join(', ')} ones are not)`)
    const loaded = gemms.filter((g) => (g.phase ?? 'prefill') === phase)
    const text = loaded.map((g) => `${g.name} ${g.M} ${g.K} ${g.N} ${g.count ?? 1}`).join('\n')
    const gemmDensities = Object.fromEntries(loaded.flatMap((g) => (g.sparsity === undefined ? [] : [[g.name, g.sparsity]])))
    workload = { kind: 'gemms', text: `${text}\n`, ...(phase === 'decode' ? { phase } : {}), ...(Object.keys(gemmDensities).length > 0 ? { densities: gemmDensities } : {}) }
  }

  // Sparsity presets (ids are checked when the page outlines the study).
  // Without one, the CLI's default (`--sparsity unstructured-50`).
  // Densities per tensor (maps by tensor role) apply after the presets, as later entries override
  // earlier ones; the page keeps presets first, so a preset after a map is refused.
  let sparsity = 'unstructured-50'
  const densities: Exclude<Study['densities'], undefined>[number][] = []
  if (spec.sparsity !== undefined) {
    const raw = spec.sparsity
    const list = Array.isArray(raw) ? raw : [raw]
    const ids: string[] = []
    for (const [i, s] of list.entries()) {
      const at = Array.isArray(raw) ? ['sparsity', i] : ['sparsity']
      if (typeof s !== 'string') {
        densities.push(Object.fromEntries(Object.entries(s).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined)))
        continue
      }
      // The page keeps its presets as one comma-separated text.
      if (s.trim() === '' || s.includes(',')) return fail(at, 'expected a sparsity preset id or densities per tensor, e.g. unstructured-50 or { weight: { density: 0.3 } }')
      if (densities.length > 0) return fail(at, `the page applies sparsity presets before densities per tensor; list preset ids first, or ${RUN_IT}`)
      ids.push(s.trim())
    }
    // Only maps: no preset, as the CLI (every tensor not named stays dense).
    sparsity = ids.length > 0 ? ids.join(',') : 'dense'
  } else notes.push('the spec gives no sparsity: unstructured-50, as `snipsnap explore`')

  // The accelerator: a preset id, or Timeloop files dropped with the spec.
  let arch = 'llm-default'
  let archFiles: { fileName: string; text: string }[] | null = null
  if (typeof spec.arch === 'string') arch = spec.arch
  else if (spec.arch !== undefined) {
    const names = Array.isArray(spec.arch.timeloop) ? spec.arch.timeloop : [spec.arch.timeloop]
    archFiles = []
    const missing: string[] = []
    for (const n of names) {
      // A browser drop has no folders: the files are matched by name.
      const base = n.split(/[\\/]/).pop() ?? n
      const found = dropped.find((f) => f.fileName === base)
      if (found === undefined) missing.push(base)
      else archFiles.push(found)
    }
    if (missing.length > 0) return fail(['arch', 'timeloop'], `drop ${missing.join(', ')} together with ${file.fileName} (the spec's Timeloop architecture files; a browser cannot open files by path)`)
  }

  // What to minimise: the page ranks by one metric and breaks ties by the others in a fixed order.
  let objective: Metric = 'energy'
  if (spec.objective !== undefined) {
    const list = Array.isArray(spec.objective) ? spec.objective : [spec.objective]
    objective = list[0] ?? 'energy'
    const order = [objective, ...METRICS.filter((m) => m !== objective)]
    if (list.some((m, i) => order[i] !== m)) return fail(['objective'], `the page breaks ties in the order ${order.join(', ')}; a different lexicographic order is not supported (${RUN_IT})`)
  }

  // Search settings.
  let evaluations = current.evaluations
  let patience: number | null = null
  let seed = current.seed
  const search = spec.search
  if (search !== undefined) {
    for (const [key, why] of Object.entries(SEARCH_CLI_ONLY)) if (search[key as keyof typeof search] !== undefined) return fail(['search', key], `${why}; ${RUN_IT}`)
    if (search.patience !== undefined) {
      if (search.patience > MAX_EVALUATIONS) return fail(['search', 'patience'], `expected a whole number from 1 to ${MAX_EVALUATIONS}`)
      patience = search.patience
      // As the CLI: a stopping rule under the given cap, or under its default cap.
      if (search.evaluations === undefined) evaluations = PATIENCE_CAP
    }
    if (search.evaluations !== undefined) {
      if (search.evaluations > MAX_EVALUATIONS) return fail(['search', 'evaluations'], `expected a whole number from 1 to ${MAX_EVALUATIONS}`)
      evaluations = search.evaluations
    }
    if (search.seed !== undefined) {
      if (search.seed > MAX_SEED) return fail(['search', 'seed'], `expected a whole number from 0 to ${MAX_SEED}`)
      seed = search.seed
    }
  }
  if (patience === null && search?.evaluations === undefined) notes.push(`the spec gives no search.evaluations: the page's ${evaluations} per dataflow search are kept`)

  const { densities: _d, archFiles: _a, patience: _p, ...rest } = current
  const study: Study = {
    ...rest,
    workload,
    sparsity,
    ...(densities.length > 0 ? { densities } : {}),
    arch: archFiles === null ? arch : 'llm-default',
    ...(archFiles !== null ? { archFiles } : {}),
    objective,
    evaluations,
    ...(patience !== null ? { patience } : {}),
    seed,
    layers: [0],
    focus: 0,
  }
  return { ok: true, study, notes }
}

/**
 * The study spec among dropped files, read; null when none of them is a spec (Timeloop YAML or the
 * page's own study JSON). A spec must be dropped on its own.
 */
export const readDroppedSpec = (files: readonly { readonly fileName: string; readonly text: string }[], current: Study): SpecReading | null => {
  const spec = files.find((f) => {
    const parsed = parseSpecText(f.text)
    return parsed !== null && looksLikeSpec(parsed.value)
  })
  if (spec === undefined) return null
  const reading = studyFromSpec(spec, current, files)
  if (!reading.ok) return reading
  // Files dropped with a spec are its Timeloop architecture files, and nothing else.
  const used = new Set((reading.study.archFiles ?? []).map((f) => f.fileName))
  const others = files.filter((f) => f !== spec && !used.has(f.fileName)).map((f) => f.fileName)
  if (others.length > 0) return { ok: false, message: `${spec.fileName} is a SnipSnap study spec: drop it alone or with the Timeloop files its arch.timeloop lists (it came with ${others.join(', ')}, which it does not list)` }
  return reading
}

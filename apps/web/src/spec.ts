// A dropped SnipSnap study spec (what `snipsnap explore --spec <file>` runs, version 1, YAML or
// JSON) read into the page's study. The page runs one phase of a zoo model or of a GEMM list on an
// accelerator preset or the Timeloop architecture files dropped with the spec, with sparsity
// presets, densities per tensor (study-level and per GEMM) and the search's stopping rule, with the
// meaning `snipsnap explore --spec` gives them; a setting it cannot run (hardware changes, a format
// space, a time budget, budget-matched baselines…) is refused with a message naming the file, its
// line and the key, never dropped silently. Settings that change
// nothing the page computes (`$schema`, `out`) are skipped. Platform-neutral: runs in the worker.
import { isSnipSnapError } from '@snipsnap/core'
import { readYamlDocument, type YamlDocument } from '@snipsnap/core/yaml'
import { isMap, isSeq, type Document, type LineCounter, type Node } from 'yaml'
import { TENSOR_ROLES } from '@snipsnap/workloads'
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

/** Reads YAML (JSON is YAML) text strictly, as the CLI does (`@snipsnap/core/yaml`); the error message (`file:line:col: …`) when it cannot. */
const readSpecText = (text: string, fileName: string): YamlDocument | { readonly message: string } => {
  try {
    return readYamlDocument(text, fileName)
  } catch (error) {
    if (isSnipSnapError(error)) return { message: error.message }
    throw error
  }
}

/** Parses YAML (JSON is YAML) text; null when it does not parse (the Timeloop reader names that problem). */
export const parseSpecText = (text: string): YamlDocument | null => {
  const read = readSpecText(text, 'spec')
  return 'message' in read ? null : read
}

const lineOf = (doc: Document, lines: LineCounter, path: readonly PathPart[]): number | null => {
  let node: unknown = doc.contents
  let at: Node | null = (doc.contents as Node | null) ?? null
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part)
      if (pair === undefined) break
      at = pair.key as Node
      node = pair.value
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined
      if (item === undefined) break
      at = item
      node = item
    } else break
  }
  const start = at?.range?.[0]
  return start === undefined ? null : lines.linePos(start).line
}

const pathText = (path: readonly PathPart[]): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1
const PHASES = ['prefill', 'decode'] as const
type Phase = (typeof PHASES)[number]
const METRICS = ['energy', 'cycles', 'edp'] as const
type Metric = (typeof METRICS)[number]

/** Why the page cannot run a spec setting, by top-level key (the CLI runs them all). */
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
const DENSITY_KEYS = new Set(['density', 'distribution', 'params', 'phases'])
const GEMM_ROLES = ['activation', 'weight', 'output']
const KNOWN = new Set(['$schema', 'version', 'model', 'gemms', 'phases', 'sparsity', 'arch', 'hardware', 'formats', 'lowering', 'seqLen', 'batch', 'objective', 'search', 'out'])
const GEMM_KEYS = new Set(['name', 'M', 'K', 'N', 'count', 'phase', 'sparsity'])
const RUN_IT = 'run it with `snipsnap explore --spec`'

/**
 * Reads a study spec into the page's study, keeping the page's layer choice, editor focus and
 * format; `current` supplies the evaluations when the spec gives none.
 */
export const studyFromSpec = (file: { readonly fileName: string; readonly text: string }, current: Study, dropped: readonly { readonly fileName: string; readonly text: string }[] = []): SpecReading => {
  const parsed = readSpecText(file.text, file.fileName)
  if ('message' in parsed) return { ok: false, message: parsed.message }
  const { value, doc, lines } = parsed
  const fail = (path: readonly PathPart[], message: string): SpecReading => {
    const line = lineOf(doc, lines, path)
    return { ok: false, message: `${file.fileName}${line === null ? '' : `:${line}`}: ${path.length === 0 ? '' : `${pathText(path)}: `}${message}` }
  }
  if (!isRecord(value)) return fail([], 'a study spec is a map of settings (version, model or gemms, sparsity, arch, …)')
  for (const key of Object.keys(value)) {
    if (!KNOWN.has(key)) return fail([key], `unknown setting (a version-1 study spec has ${[...KNOWN].filter((k) => k !== '$schema').join(', ')})`)
  }
  if (value['version'] !== 1) return fail(['version'], `expected version: 1, got ${JSON.stringify(value['version'] ?? null)}`)
  for (const [key, why] of Object.entries(CLI_ONLY)) {
    // The page's own choices need no refusal: batch 1, native lowering.
    if (value[key] === undefined || (key === 'batch' && value[key] === 1) || (key === 'lowering' && value[key] === 'native')) continue
    return fail([key], `${why}; ${RUN_IT}`)
  }
  const notes: string[] = []

  /** One tensor density as the CLI's schema has it; a message when it is not. */
  const densityProblem = (d: unknown, path: readonly PathPart[], phasesAllowed: boolean): SpecReading | null => {
    if (!isRecord(d)) return fail(path, 'expected { density, distribution?, params? }')
    for (const key of Object.keys(d)) if (!DENSITY_KEYS.has(key) || (key === 'phases' && !phasesAllowed)) return fail([...path, key], `unknown density setting (${phasesAllowed ? 'density, distribution, params, phases' : 'density, distribution, params'})`)
    if (typeof d['density'] !== 'number' || !(d['density'] >= 0 && d['density'] <= 1)) return fail([...path, 'density'], 'a density is in [0, 1]')
    if (d['distribution'] !== undefined && (typeof d['distribution'] !== 'string' || d['distribution'] === '')) return fail([...path, 'distribution'], 'expected a density model id, e.g. hypergeometric, n-m, block')
    if (d['params'] !== undefined && !isRecord(d['params'])) return fail([...path, 'params'], 'expected a map of the density model\'s parameters')
    if (d['phases'] !== undefined) {
      const ps = d['phases']
      if (!Array.isArray(ps) || ps.length === 0) return fail([...path, 'phases'], 'expected a non-empty list of phases (prefill, decode)')
      for (const [i, p] of ps.entries()) if (!PHASES.includes(p as Phase)) return fail([...path, 'phases', i], `expected prefill or decode, got ${JSON.stringify(p)}`)
    }
    return null
  }

  // Phases: the page studies one at a time.
  let phases: Phase[] | null = null
  if (value['phases'] !== undefined) {
    const list = value['phases']
    if (!Array.isArray(list) || list.length === 0) return fail(['phases'], 'expected a non-empty list of phases (prefill, decode)')
    for (const [i, p] of list.entries()) if (!PHASES.includes(p as Phase)) return fail(['phases', i], `expected prefill or decode, got ${JSON.stringify(p)}`)
    phases = list as Phase[]
  }

  // The workload: a zoo model or a GEMM list.
  let workload: Study['workload']
  let gemmDensities: Record<string, Record<string, unknown>> = {}
  const gemmDensityRows: { name: string; phase: Phase; densities: Record<string, unknown> }[] = []
  if (value['model'] !== undefined && value['gemms'] !== undefined) return fail(['gemms'], 'give `model` or `gemms`, not both')
  if (typeof value['model'] === 'string' && value['model'] !== '') {
    const phase = phases?.[0] ?? 'prefill'
    if ((phases ?? PHASES).length > 1) notes.push(`the page studies one phase at a time: ${phase} is loaded; choose ${(phases ?? PHASES).filter((p) => p !== phase).join(', ')} under Phase for the rest`)
    const seqLen = value['seqLen']
    if (seqLen !== undefined && !isPositiveInt(seqLen)) return fail(['seqLen'], 'expected a positive integer')
    workload = { kind: 'zoo', model: value['model'], phase, ...(seqLen !== undefined ? { seqLen } : {}) }
  } else if (value['model'] !== undefined) {
    return fail(['model'], 'expected a zoo model id, e.g. llama-2-7b')
  } else if (value['gemms'] !== undefined) {
    const gemms = value['gemms']
    if (!Array.isArray(gemms) || gemms.length === 0) return fail(['gemms'], 'expected a non-empty list of GEMMs { name, M, K, N, count }')
    if (value['seqLen'] !== undefined) return fail(['seqLen'], 'applies to a zoo model only (a GEMM list gives each shape and count)')
    const rows: { name: string; M: number; K: number; N: number; count: number; phase: Phase }[] = []
    for (const [i, g] of gemms.entries()) {
      if (!isRecord(g)) return fail(['gemms', i], 'expected { name, M, K, N, count }')
      for (const key of Object.keys(g)) if (!GEMM_KEYS.has(key)) return fail(['gemms', i, key], `unknown GEMM setting (a GEMM has ${[...GEMM_KEYS].join(', ')})`)
      if (g['sparsity'] !== undefined) {
        const own = g['sparsity']
        if (!isRecord(own)) return fail(['gemms', i, 'sparsity'], 'expected densities by operand role: { activation?, weight?, output? }')
        for (const [role, d] of Object.entries(own)) {
          if (!GEMM_ROLES.includes(role)) return fail(['gemms', i, 'sparsity', role], `unknown operand role (a GEMM has ${GEMM_ROLES.join(', ')})`)
          const problem = densityProblem(d, ['gemms', i, 'sparsity', role], false)
          if (problem !== null) return problem
        }
        gemmDensityRows.push({ name: String(g['name']), phase: (g['phase'] ?? 'prefill') as Phase, densities: own })
      }
      if (typeof g['name'] !== 'string' || !/^[^\s,×#]+$/.test(g['name'])) return fail(['gemms', i, 'name'], 'expected a name without spaces, commas or #')
      for (const dim of ['M', 'K', 'N'] as const) if (!isPositiveInt(g[dim])) return fail(['gemms', i, dim], 'expected a positive integer')
      if (g['count'] !== undefined && !isPositiveInt(g['count'])) return fail(['gemms', i, 'count'], 'expected a positive integer')
      const phase = g['phase'] ?? 'prefill'
      if (!PHASES.includes(phase as Phase)) return fail(['gemms', i, 'phase'], `expected prefill or decode, got ${JSON.stringify(phase)}`)
      rows.push({ name: g['name'], M: g['M'] as number, K: g['K'] as number, N: g['N'] as number, count: (g['count'] as number | undefined) ?? 1, phase: phase as Phase })
    }
    const named = [...new Set(rows.map((r) => r.phase))]
    for (const [i, p] of (phases ?? []).entries()) if (!named.includes(p)) return fail(['phases', i], `no GEMM of the list runs in ${p} (a GEMM's phase defaults to prefill)`)
    const asked = phases ?? PHASES.filter((p) => named.includes(p))
    const phase = asked[0] ?? 'prefill'
    if (asked.length > 1) notes.push(`the page studies one phase at a time: the ${phase} GEMMs are loaded (the ${asked.slice(1).join(', ')} ones are not)`)
    const text = rows.filter((r) => r.phase === phase).map((r) => `${r.name} ${r.M} ${r.K} ${r.N} ${r.count}`).join('\n')
    gemmDensities = Object.fromEntries(gemmDensityRows.filter((r) => r.phase === phase).map((r) => [r.name, r.densities]))
    workload = { kind: 'gemms', text: `${text}\n`, ...(phase === 'decode' ? { phase } : {}), ...(Object.keys(gemmDensities).length > 0 ? { densities: gemmDensities as never } : {}) }
  } else {
    return fail([], 'give `model` (a zoo model id) or `gemms` (a list of GEMMs)')
  }

  // Sparsity presets (ids are checked when the page outlines the study).
  // Without one, the CLI's default (`--sparsity unstructured-50`).
  // Densities per tensor (maps by tensor role) apply after the presets, as later entries override
  // earlier ones; the page keeps presets first, so a preset after a map is refused.
  let sparsity = 'unstructured-50'
  const densities: Record<string, unknown>[] = []
  if (value['sparsity'] !== undefined) {
    const raw = value['sparsity']
    const list = Array.isArray(raw) ? raw : [raw]
    if (list.length === 0) return fail(['sparsity'], 'expected a sparsity preset id or a non-empty list of them')
    const ids: string[] = []
    for (const [i, s] of list.entries()) {
      const at = Array.isArray(raw) ? ['sparsity', i] : ['sparsity']
      if (isRecord(s)) {
        for (const [role, d] of Object.entries(s)) {
          if (!(TENSOR_ROLES as readonly string[]).includes(role)) return fail([...at, role], `unknown tensor role (${TENSOR_ROLES.join(', ')})`)
          const problem = densityProblem(d, [...at, role], true)
          if (problem !== null) return problem
        }
        densities.push(s)
        continue
      }
      if (typeof s !== 'string' || s.trim() === '' || s.includes(',')) return fail(at, 'expected a sparsity preset id or densities per tensor, e.g. unstructured-50 or { weight: { density: 0.3 } }')
      if (densities.length > 0) return fail(at, `the page applies sparsity presets before densities per tensor; list preset ids first, or ${RUN_IT}`)
      ids.push(s.trim())
    }
    // Only maps: no preset, as the CLI (every tensor not named stays dense).
    sparsity = ids.length > 0 ? ids.join(',') : 'dense'
  } else notes.push('the spec gives no sparsity: unstructured-50, as `snipsnap explore`')

  // The accelerator: a preset id.
  let arch = 'llm-default'
  let archFiles: { fileName: string; text: string }[] | null = null
  if (value['arch'] !== undefined) {
    const a = value['arch']
    if (isRecord(a)) {
      for (const key of Object.keys(a)) if (key !== 'timeloop') return fail(['arch', key], 'unknown architecture setting (an architecture is a preset id or { timeloop: [files] })')
      const listed = Array.isArray(a['timeloop'])
      const names = listed ? (a['timeloop'] as unknown[]) : [a['timeloop']]
      if (names.length === 0) return fail(['arch', 'timeloop'], 'expected a file or a non-empty list of files')
      archFiles = []
      const missing: string[] = []
      for (const [i, n] of names.entries()) {
        const at = listed ? ['arch', 'timeloop', i] : ['arch', 'timeloop']
        if (typeof n !== 'string' || n === '') return fail(at, 'expected a file name')
        // A browser drop has no folders: the files are matched by name.
        const base = n.split(/[\\/]/).pop() ?? n
        const found = dropped.find((f) => f.fileName === base)
        if (found === undefined) missing.push(base)
        else archFiles.push(found)
      }
      if (missing.length > 0) return fail(['arch', 'timeloop'], `drop ${missing.join(', ')} together with ${file.fileName} (the spec's Timeloop architecture files; a browser cannot open files by path)`)
    } else if (typeof a !== 'string' || a === '') return fail(['arch'], 'expected an architecture preset id, e.g. llm-default, or { timeloop: [files] }')
    else arch = a
  }

  // What to minimise: the page ranks by one metric and breaks ties by the others in a fixed order.
  let objective: Metric = 'energy'
  if (value['objective'] !== undefined) {
    const raw = value['objective']
    const list = Array.isArray(raw) ? raw : [raw]
    for (const [i, m] of list.entries()) if (!METRICS.includes(m as Metric)) return fail(Array.isArray(raw) ? ['objective', i] : ['objective'], `expected energy, cycles or edp, got ${JSON.stringify(m)}`)
    objective = (list[0] as Metric | undefined) ?? 'energy'
    const order = [objective, ...METRICS.filter((m) => m !== objective)]
    if (list.some((m, i) => order[i] !== m)) return fail(['objective'], `the page breaks ties in the order ${order.join(', ')}; a different lexicographic order is not supported (${RUN_IT})`)
  }

  // Search settings.
  let evaluations = current.evaluations
  let patience: number | null = null
  let seed = current.seed
  const search = value['search']
  if (search !== undefined) {
    if (!isRecord(search)) return fail(['search'], 'expected a map of search settings (evaluations, patience, seed)')
    for (const key of Object.keys(search)) {
      const why = SEARCH_CLI_ONLY[key]
      if (why !== undefined) return fail(['search', key], `${why}; ${RUN_IT}`)
      if (key !== 'evaluations' && key !== 'seed' && key !== 'patience') return fail(['search', key], 'unknown search setting (evaluations, patience, seed, budgetS, baselines)')
    }
    if (search['patience'] !== undefined) {
      if (!isPositiveInt(search['patience']) || search['patience'] > 100_000) return fail(['search', 'patience'], 'expected a whole number from 1 to 100000')
      patience = search['patience']
      // As the CLI: a stopping rule under the given cap, or under its default cap.
      if (search['evaluations'] === undefined) evaluations = PATIENCE_CAP
    }
    if (search['evaluations'] !== undefined) {
      if (!isPositiveInt(search['evaluations']) || search['evaluations'] > 100_000) return fail(['search', 'evaluations'], 'expected a whole number from 1 to 100000')
      evaluations = search['evaluations']
    }
    if (search['seed'] !== undefined) {
      const s = search['seed']
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0 || s > 0x7fffffff) return fail(['search', 'seed'], 'expected a whole number from 0 to 2147483647')
      seed = s
    }
  }
  if (patience === null && (search === undefined || (search as Record<string, unknown>)['evaluations'] === undefined)) notes.push(`the spec gives no search.evaluations: the page's ${evaluations} per dataflow search are kept`)

  const { densities: _d, archFiles: _a, patience: _p, ...rest } = current
  const study: Study = {
    ...rest,
    workload,
    sparsity,
    ...(densities.length > 0 ? { densities: densities as never } : {}),
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

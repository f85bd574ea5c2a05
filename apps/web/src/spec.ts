// A dropped SnipSnap study spec (what `snipsnap explore --spec <file>` runs, version 1, YAML or
// JSON) read into the page's study. The page runs one phase of a zoo model or of a GEMM list on an
// accelerator preset with sparsity presets; a setting it cannot run (densities per tensor, Timeloop
// architecture files, hardware changes, a format space, a stopping rule…) is refused with a
// message naming the file, its line and the key, never dropped silently. Settings that change
// nothing the page computes (`$schema`, `out`) are skipped. Platform-neutral: runs in the worker.
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml'
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

/** Parses YAML (JSON is YAML) text; null when it does not parse (the Timeloop reader names that problem). */
export const parseSpecText = (text: string): { value: unknown; doc: Document; lines: LineCounter } | null => {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  if (doc.errors.length > 0) return null
  return { value: doc.toJS() as unknown, doc, lines }
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
  patience: 'the page runs a fixed number of evaluations (give search.evaluations) rather than a stopping rule',
  budgetS: 'the page runs a fixed number of evaluations (give search.evaluations) rather than a time budget',
  baselines: 'the page always compares with the fixed formats on the chosen dataflow; budget-matched baselines are not supported',
}
const KNOWN = new Set(['$schema', 'version', 'model', 'gemms', 'phases', 'sparsity', 'arch', 'hardware', 'formats', 'lowering', 'seqLen', 'batch', 'objective', 'search', 'out'])
const GEMM_KEYS = new Set(['name', 'M', 'K', 'N', 'count', 'phase', 'sparsity'])
const RUN_IT = 'run it with `snipsnap explore --spec`'

/**
 * Reads a study spec into the page's study, keeping the page's layer choice, editor focus and
 * format; `current` supplies the evaluations when the spec gives none.
 */
export const studyFromSpec = (file: { readonly fileName: string; readonly text: string }, current: Study): SpecReading => {
  const parsed = parseSpecText(file.text)
  if (parsed === null) return { ok: false, message: `${file.fileName} is not valid YAML or JSON` }
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
      if (g['sparsity'] !== undefined) return fail(['gemms', i, 'sparsity'], `densities per GEMM are not supported by the page; use sparsity presets, or ${RUN_IT}`)
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
    workload = { kind: 'gemms', text: `${text}\n`, ...(phase === 'decode' ? { phase } : {}) }
  } else {
    return fail([], 'give `model` (a zoo model id) or `gemms` (a list of GEMMs)')
  }

  // Sparsity presets (ids are checked when the page outlines the study).
  // Without one, the CLI's default (`--sparsity unstructured-50`).
  let sparsity = 'unstructured-50'
  if (value['sparsity'] !== undefined) {
    const raw = value['sparsity']
    const list = Array.isArray(raw) ? raw : [raw]
    if (list.length === 0) return fail(['sparsity'], 'expected a sparsity preset id or a non-empty list of them')
    for (const [i, s] of list.entries()) {
      const at = Array.isArray(raw) ? ['sparsity', i] : ['sparsity']
      if (isRecord(s)) return fail(at, `densities per tensor are not supported by the page; use sparsity preset ids (e.g. unstructured-50, nm-2-4), or ${RUN_IT}`)
      if (typeof s !== 'string' || s.trim() === '' || s.includes(',')) return fail(at, 'expected a sparsity preset id, e.g. unstructured-50')
    }
    sparsity = (list as string[]).map((s) => s.trim()).join(',')
  } else notes.push('the spec gives no sparsity: unstructured-50, as `snipsnap explore`')

  // The accelerator: a preset id.
  let arch = 'llm-default'
  if (value['arch'] !== undefined) {
    if (isRecord(value['arch'])) return fail(['arch'], `Timeloop architecture files under a spec's workload are not supported by the page; use a preset id (llm-default, stc-like, eyeriss-like), drop complete Timeloop files (architecture and problem) instead, or ${RUN_IT}`)
    if (typeof value['arch'] !== 'string' || value['arch'] === '') return fail(['arch'], 'expected an architecture preset id, e.g. llm-default')
    arch = value['arch']
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
  let seed = current.seed
  const search = value['search']
  if (search !== undefined) {
    if (!isRecord(search)) return fail(['search'], 'expected a map of search settings (evaluations, seed)')
    for (const key of Object.keys(search)) {
      const why = SEARCH_CLI_ONLY[key]
      if (why !== undefined) return fail(['search', key], `${why}; ${RUN_IT}`)
      if (key !== 'evaluations' && key !== 'seed') return fail(['search', key], 'unknown search setting (evaluations, seed, patience, budgetS, baselines)')
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
  if (search === undefined || (search as Record<string, unknown>)['evaluations'] === undefined) notes.push(`the spec gives no search.evaluations: the page's ${evaluations} per dataflow search are kept`)

  return { ok: true, study: { ...current, workload, sparsity, arch, objective, evaluations, seed, layers: [0], focus: 0 }, notes }
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
  if (files.length > 1) {
    const others = files.filter((f) => f !== spec).map((f) => f.fileName)
    return { ok: false, message: `${spec.fileName} is a SnipSnap study spec: drop it on its own (it came with ${others.join(', ')})` }
  }
  return studyFromSpec(spec, current)
}

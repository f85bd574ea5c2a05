// Typed reading of parsed YAML values with precise error locations. Every reader knows the file
// and the YAML path it is at, so a bad value is reported as `input.yaml: mapping[3].factors: …`
// (house-style §7). Timeloop accepts hyphenated and underscored spellings of the same key
// (2022 dialect vs. newer `hyphens-to-underscores`), so objects are read through a key index that
// folds `-` into `_`.
import { closestNames, formatPath, integerProblem, type Issue, quoteAlternatives, SnipSnapError, type IssuePath, type SnipSnapErrorCode } from '@snipsnap/core'

/** One key no reader asked for, gathered across components so it is listed once. */
interface UnusedKey {
  readonly what: string
  readonly key: string
  readonly note: string | undefined
  readonly path: IssuePath
  readonly where: string[]
}

/**
 * What a parse found that is not an error: keys not used by the model (an error instead when
 * `strict`) and values the model reads in a way worth saying (`read_bandwidth: 0` = unlimited).
 */
export interface ParseReport {
  readonly strict: boolean
  readonly unused: Map<string, UnusedKey>
  readonly warnings: Issue[]
}

export const createReport = (strict: boolean): ParseReport => ({ strict, unused: new Map(), warnings: [] })

/** Where a value sits: the source file name and the YAML path inside it. */
export interface Loc {
  readonly file: string
  readonly path: IssuePath
  /** Collects warnings; without one, unused keys are errors (as under `strict`). */
  readonly report?: ParseReport
}

export const at = (loc: Loc, ...more: readonly (string | number)[]): Loc => ({
  file: loc.file,
  path: [...loc.path, ...more],
  ...(loc.report === undefined ? {} : { report: loc.report }),
})

/** Records a warning (`code`, message) at `loc`; dropped when nobody collects them. */
export const warnAt = (loc: Loc, code: string, message: string): void => {
  const where = loc.path.length > 0 ? `${formatPath(loc.path)}: ` : ''
  loc.report?.warnings.push({ code, path: [loc.file, ...loc.path], message: `${loc.file}: ${where}${message}` })
}

/** Warnings of a report: one `unused-key` issue per distinct key, then the others in order. */
export const reportIssues = (report: ParseReport): Issue[] => [
  ...[...report.unused.values()].map((u) => ({
    code: 'unused-key',
    path: u.path,
    message: `${u.what} \`${u.key}\` (${u.where.join(', ')})${u.note === undefined ? '' : `: ${u.note}`}`,
  })),
  ...report.warnings,
]

/** Options of {@link Fields.checkUnknown}. */
export interface CheckUnknownOptions {
  /** Keys Timeloop reads that SnipSnap does not model (folded spelling), said so in the warning. */
  readonly notModelled?: ReadonlySet<string>
  /** Keys accepted silently: they cannot change any result (display or logging settings). */
  readonly quiet?: ReadonlySet<string>
  /** How the holder is named in the list of unused keys (default: its YAML path). */
  readonly where?: string
}

const issueCode = (code: SnipSnapErrorCode): string => code.toLowerCase().replaceAll('_', '-')

/** Builds the error every reader throws: message `file: a.b[3]: detail`, path `[file, …]`. */
export const specError = (
  loc: Loc,
  detail: string,
  code: SnipSnapErrorCode = 'INVALID_SPEC',
): SnipSnapError => {
  const where = loc.path.length > 0 ? `${formatPath(loc.path)}: ` : ''
  const path = [loc.file, ...loc.path]
  return new SnipSnapError(code, `${loc.file}: ${where}${detail}`, {
    path,
    issues: [{ code: issueCode(code), path, message: detail }],
  })
}

export const fail = (loc: Loc, detail: string, code: SnipSnapErrorCode = 'INVALID_SPEC'): never => {
  throw specError(loc, detail, code)
}

/** Short rendering of a YAML value for messages. */
export const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === undefined) return 'nothing'
  try {
    const text = JSON.stringify(value)
    if (text === undefined) return String(value)
    return text.length > 60 ? `${text.slice(0, 57)}...` : text
  } catch {
    return String(value)
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const folded = new Map<string, string>()
/** `data-spaces` → `data_spaces`; memoised because the same few keys recur on every row. */
export const foldKey = (key: string): string => {
  let out = folded.get(key)
  if (out === undefined) {
    out = key.includes('-') ? key.replaceAll('-', '_') : key
    if (folded.size < 10_000) folded.set(key, out)
  }
  return out
}

// The Fields opened by the reading in progress (see misspellingsFirst); null outside one.
// Reading is synchronous, so a list scoped to the outermost call is enough.
let opened: Fields[] | null = null

/**
 * Runs a reader so that, when it fails, a misspelled key found by then is reported instead of
 * the failure it caused: `datawidht` leaves the word width at its default and the width check
 * fails first; `nae` leaves `name` missing ("is required"). The misspelling is the error the
 * user must fix, and naming it is what makes the failure understandable. Only keys whose correct
 * spelling was asked for and is absent count, so an unrelated failure keeps its own message.
 * @example const spec = misspellingsFirst(() => parseArchitectureSection(value, loc))
 */
export const misspellingsFirst = <T>(read: () => T): T => {
  const outer = opened
  const mine: Fields[] = []
  opened = mine
  try {
    return read()
  } catch (error) {
    for (const fields of mine) {
      const misspelling = fields.misspelling()
      if (misspelling !== undefined) throw misspelling
    }
    throw error
  } finally {
    opened = outer
  }
}

/**
 * A YAML mapping read with hyphen/underscore-insensitive keys. `get('data_spaces')` finds
 * `data-spaces` or `data_spaces`; writing both spellings of one key is an error.
 */
export class Fields {
  readonly loc: Loc
  readonly raw: Readonly<Record<string, unknown>>
  readonly #byFolded = new Map<string, string>()
  readonly #used = new Set<string>()
  /** Folded name → the name as the reader asked for it, for "did you mean" messages. */
  readonly #asked = new Map<string, string>()
  /** Folded name → its alias group (only for names asked together with aliases). */
  readonly #groups = new Map<string, readonly string[]>()

  constructor(value: unknown, loc: Loc, what = 'a mapping') {
    if (!isRecord(value)) fail(loc, `expected ${what}, got ${show(value)}`)
    this.loc = loc
    this.raw = value as Record<string, unknown>
    for (const key of Object.keys(this.raw)) {
      const folded = foldKey(key)
      const previous = this.#byFolded.get(folded)
      if (previous !== undefined) fail(at(loc, key), `duplicates "${previous}" (same key, other spelling)`)
      this.#byFolded.set(folded, key)
    }
    opened?.push(this)
  }

  /** The key as written for a folded name, if present. */
  keyOf(name: string): string | undefined {
    return this.#byFolded.get(foldKey(name))
  }

  has(name: string): boolean {
    return this.keyOf(name) !== undefined
  }

  /** Location of a key (as written when present). */
  locOf(name: string): Loc {
    return at(this.loc, this.keyOf(name) ?? name)
  }

  /** The value of the first present alias, or undefined. Marks every alias as used. */
  get(...names: readonly string[]): unknown {
    for (const name of names) {
      const folded = foldKey(name)
      if (!this.#used.has(folded)) {
        this.#used.add(folded)
        this.#asked.set(folded, name)
        if (names.length > 1) this.#groups.set(folded, names)
      }
    }
    for (const name of names) {
      const key = this.keyOf(name)
      if (key !== undefined) return this.raw[key]
    }
    return undefined
  }

  /** The first present alias name as written, for locations. */
  which(...names: readonly string[]): string | undefined {
    for (const name of names) {
      const key = this.keyOf(name)
      if (key !== undefined) return key
    }
    return undefined
  }

  /** Keys not read by any `get`, as written. */
  unused(): string[] {
    return Object.keys(this.raw).filter((key) => !this.#used.has(foldKey(key)))
  }

  /**
   * Known names that `key` is probably a misspelling of: names a reader asked for, none of
   * whose aliases is present (a misspelled key next to its correct spelling is just unused).
   */
  nearMisses(key: string): string[] {
    const absent = [...this.#asked].filter(([folded]) => (this.#groups.get(folded) ?? [folded]).every((alias) => this.keyOf(alias) === undefined))
    return closestNames(key, absent.map(([, name]) => name))
  }

  /**
   * Checks the keys no reader asked for. A near miss of an absent known key is an error naming
   * both (`read_bandwith`: did you mean `read_bandwidth`?); any other key is listed once as not
   * used by the model, or is an error under `strict` or when nothing collects warnings.
   * @throws {SnipSnapError} INVALID_SPEC for a misspelling, UNSUPPORTED_FEATURE for an unused key in strict mode.
   */
  /**
   * The error for the first key no reader asked for that is a near miss of an absent known key
   * (`read_bandwith`: did you mean `read_bandwidth`?), or undefined when there is none.
   */
  misspelling(): SnipSnapError | undefined {
    for (const key of this.unused()) {
      const near = this.nearMisses(key)
      if (near.length > 0) return specError(at(this.loc, key), `\`${key}\`: did you mean ${quoteAlternatives(near)}?`)
    }
    return undefined
  }

  checkUnknown(what: string, options: CheckUnknownOptions = {}): void {
    for (const key of this.unused()) {
      const folded = foldKey(key)
      if (options.quiet?.has(folded) === true) continue
      const near = this.nearMisses(key)
      if (near.length > 0) fail(at(this.loc, key), `\`${key}\`: did you mean ${quoteAlternatives(near)}?`)
      const note = options.notModelled?.has(folded) === true ? 'read by Timeloop, not modelled by SnipSnap' : undefined
      const report = this.loc.report
      if (report === undefined || report.strict) {
        fail(at(this.loc, key), `${what} key \`${key}\` is not used by the model${note === undefined ? '' : ` (${note})`}${report?.strict === true ? ' (--strict)' : ''}`, 'UNSUPPORTED_FEATURE')
      }
      const where = options.where ?? (this.loc.path.length > 0 ? `${this.loc.file}: ${formatPath(this.loc.path)}` : this.loc.file)
      const id = `${what}\u0000${key}\u0000${note ?? ''}`
      const entry = report?.unused.get(id)
      if (entry === undefined) report?.unused.set(id, { what, key, note, path: [this.loc.file, ...this.loc.path, key], where: [where] })
      else if (!entry.where.includes(where)) entry.where.push(where)
    }
  }

  str(name: string, ...aliases: readonly string[]): string | undefined {
    const value = this.get(name, ...aliases)
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    return fail(this.locOf(this.which(name, ...aliases) ?? name), `expected a string, got ${show(value)}`)
  }

  /** A required non-empty string; names, targets and types must be written as strings. */
  reqStr(name: string, ...aliases: readonly string[]): string {
    const key = this.which(name, ...aliases)
    const value = this.get(name, ...aliases)
    if (key === undefined || value === undefined || value === null) return fail(this.locOf(name), 'is required')
    if (typeof value !== 'string') return fail(at(this.loc, key), `expected a name, got ${show(value)}`)
    if (value.trim() === '') return fail(at(this.loc, key), 'must not be empty')
    return value
  }

  num(name: string, ...aliases: readonly string[]): number | undefined {
    const key = this.which(name, ...aliases)
    const value = this.get(name, ...aliases)
    if (value === undefined || key === undefined) return undefined
    return toNumber(value, at(this.loc, key))
  }

  /** A non-negative integer (counts, widths, depths). */
  count(name: string, ...aliases: readonly string[]): number | undefined {
    const key = this.which(name, ...aliases)
    const value = this.num(name, ...aliases)
    if (value === undefined || key === undefined) return undefined
    const problem = integerProblem(value)
    if (problem !== null) fail(at(this.loc, key), `expected a non-negative integer, got ${show(this.raw[key])}: ${problem}`)
    return value
  }

  /** A positive integer. */
  positive(name: string, ...aliases: readonly string[]): number | undefined {
    const key = this.which(name, ...aliases)
    const value = this.count(name, ...aliases)
    if (value === undefined || key === undefined) return undefined
    if (value < 1) fail(at(this.loc, key), `expected a positive integer, got ${show(this.raw[key])}`)
    return value
  }

  /** A finite number ≥ 0. */
  nonNegative(name: string, ...aliases: readonly string[]): number | undefined {
    const key = this.which(name, ...aliases)
    const value = this.num(name, ...aliases)
    if (value === undefined || key === undefined) return undefined
    if (value < 0) fail(at(this.loc, key), `expected a number ≥ 0, got ${show(this.raw[key])}`)
    return value
  }

  bool(name: string, ...aliases: readonly string[]): boolean | undefined {
    const key = this.which(name, ...aliases)
    const value = this.get(name, ...aliases)
    if (value === undefined || key === undefined) return undefined
    if (typeof value === 'boolean') return value
    // Timeloop's libconfig bridge also reads the strings true/false.
    if (value === 'true' || value === 'True') return true
    if (value === 'false' || value === 'False') return false
    return fail(at(this.loc, key), `expected true or false, got ${show(value)}`)
  }

  list(name: string, ...aliases: readonly string[]): readonly unknown[] | undefined {
    const key = this.which(name, ...aliases)
    const value = this.get(name, ...aliases)
    if (value === undefined || value === null || key === undefined) return undefined
    if (!Array.isArray(value)) return fail(at(this.loc, key), `expected a list, got ${show(value)}`)
    return value
  }

  /** A list of strings (tensor names, metrics); a lone string is read as a one-element list. */
  strings(name: string, ...aliases: readonly string[]): readonly string[] | undefined {
    const key = this.which(name, ...aliases)
    const value = this.get(name, ...aliases)
    if (value === undefined || value === null || key === undefined) return undefined
    const items = Array.isArray(value) ? value : [value]
    return items.map((item, index) => {
      if (typeof item !== 'string' || item === '') {
        return fail(at(this.loc, key, index), `expected a name, got ${show(item)}`)
      }
      return item
    })
  }
}

/**
 * Checks that data kept verbatim (passthrough attributes, raw directives) holds no NaN or
 * infinity, so no spec SnipSnap returns carries one.
 */
export const assertFiniteData = (value: unknown, loc: Loc): void => {
  const path: (string | number)[] = []
  const bad = nonFiniteIn(value, path)
  if (bad !== undefined) fail(at(loc, ...path), `expected a finite number, got ${String(bad)}`)
}

/**
 * The first NaN or infinity in `value` (depth first), with `path` left at it; undefined when there
 * is none. The walk makes no location per value: a passthrough section such as
 * `compound_components` holds thousands of them, and their locations were ~0.4 MB of allocation
 * per `snipsnap evaluate`, which grew V8's young generation and the process's peak memory (issue 12).
 */
const nonFiniteIn = (value: unknown, path: (string | number)[]): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      const bad = nonFiniteIn(value[i], path)
      if (bad !== undefined) return bad
      path.pop()
    }
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      path.push(key)
      const bad = nonFiniteIn(value[key], path)
      if (bad !== undefined) return bad
      path.pop()
    }
  }
  return undefined
}

/** Reads a YAML scalar as a finite number; numeric strings are rejected (Timeloop ignores them). */
export const toNumber = (value: unknown, loc: Loc): number => {
  if (typeof value !== 'number') return fail(loc, `expected a number, got ${show(value)}`)
  if (!Number.isFinite(value)) return fail(loc, `expected a finite number, got ${String(value)}`)
  return value
}

/** Strips a `[0..N]` replication suffix: `PE[0..255]` → `{ base: 'PE', count: 256 }`. */
export const parseReplicatedName = (
  name: string,
  loc: Loc,
): { readonly base: string; readonly count: number } => {
  const match = /^(.*?)\[\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*\]\s*$/.exec(name)
  if (match === null) {
    if (name.includes('[') || name.includes(']')) fail(loc, `malformed replicated name ${show(name)}`)
    if (name.includes('.')) fail(loc, `a name cannot contain "." (it separates Accelergy path elements): ${show(name)}`)
    return { base: name.trim(), count: 1 }
  }
  const base = (match[1] ?? '').trim()
  if (base.includes('.')) fail(loc, `a name cannot contain "." (it separates Accelergy path elements): ${show(name)}`)
  const low = Number(match[2])
  const high = Number(match[3])
  if (base === '') fail(loc, `replicated name ${show(name)} has no base name`)
  if (low < 0 || high < low) fail(loc, `replication range in ${show(name)} must be [a..b] with 0 ≤ a ≤ b`)
  return { base, count: high - low + 1 }
}

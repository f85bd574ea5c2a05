// The one strict YAML (and JSON) reader of SnipSnap's spec files: study specs, sweep specs, codesign
// axes, Timeloop files and the web page's dropped specs all go through it, so they refuse the same
// inputs with the same messages. Strict means: a YAML error is an error (never a partial document),
// an unknown tag is refused (`yaml` reads it as a plain string and prints a Node warning), a key
// given twice is refused, nesting deeper than MAX_YAML_DEPTH is refused before parsing (`yaml` and
// every recursive walk after it run out of stack near 800 levels), and alias expansion is bounded.
// Errors are SnipSnapError PARSE_ERROR (or the caller's code) with `file:line:col:`.
// A subpath of its own (`@snipsnap/core/yaml`) so that plug-in authors, who need only core's
// contracts, do not need `yaml` (an optional peer dependency, as fast-check is for ./testing).
import { LineCounter, parseDocument, type Document } from 'yaml'
import { SnipSnapError, type IssuePath, type SnipSnapErrorCode } from './errors'

/**
 * Deepest nesting of lists and mappings read. Real spec and Timeloop files stay below 40 levels;
 * the YAML library runs out of stack near 800.
 */
export const MAX_YAML_DEPTH = 256

/** Options of {@link readYamlDocument}. */
export interface ReadYamlOptions {
  /** Error code thrown (default PARSE_ERROR). */
  readonly code?: SnipSnapErrorCode
  /** Path of the error (default `[source]`), e.g. `['--axes']` for a file given by an option. */
  readonly path?: IssuePath
  /** Aliases expanded at most (default 100, `yaml`'s; a hostile input can expand them exponentially). */
  readonly maxAliasCount?: number
}

/** A read YAML document: its plain value, and the parsed document with its lines for locating keys. */
export interface YamlDocument {
  readonly value: unknown
  readonly doc: Document
  readonly lines: LineCounter
}

/** What a YAML location looks like in messages: `:line:col`, `:line` or nothing. */
const whereText = (line?: number, col?: number): string => (line === undefined ? '' : `:${line}${col === undefined ? '' : `:${col}`}`)

const isStackOverflow = (error: unknown): boolean => error instanceof Error && /maximum call stack|call stack size/i.test(error.message)

/** The first line of a `yaml` message without its trailing ` at line L, column C:` (the location is printed once, in front). */
const detailOf = (message: string): string => (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '')

/**
 * Where the nesting first exceeds `limit` levels: block indentation levels (with `- ` list
 * markers) plus open flow brackets outside quotes and comments. A cheap scan run before
 * parsing; it may overcount slightly, never enough to reject a real file.
 */
export const findDeepYamlNesting = (text: string, limit: number = MAX_YAML_DEPTH): { readonly line: number; readonly col: number } | null => {
  const indents: number[] = []
  let flow = 0
  let line = 0
  for (const raw of text.split('\n')) {
    line++
    let i = 0
    while (raw[i] === ' ') i++
    if (i === raw.length || raw[i] === '#') continue
    if (flow === 0) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= i) indents.pop()
      indents.push(i)
      // `- - - x` opens a list per marker on one line.
      while (raw[i] === '-' && raw[i + 1] === ' ') {
        indents.push(i + 1)
        i += 2
        while (raw[i] === ' ') i++
      }
    }
    let quote: string | null = null
    for (let c = i; c < raw.length; c++) {
      const ch = raw[c]
      if (quote !== null) {
        if (ch === quote) quote = null
        continue
      }
      if (ch === '"' || ch === "'") quote = ch
      else if (ch === '#' && (c === 0 || raw[c - 1] === ' ')) break
      else if (ch === '[' || ch === '{') {
        flow++
        if (indents.length + flow > limit) return { line, col: c + 1 }
      } else if ((ch === ']' || ch === '}') && flow > 0) flow--
    }
    if (indents.length + flow > limit) return { line, col: i + 1 }
  }
  return null
}

/** The error of one unreadable input, `source:line:col: detail`, its issue carrying the same. */
export const yamlError = (source: string, detail: string, at: { readonly line?: number; readonly col?: number; readonly cause?: unknown } & ReadYamlOptions = {}): SnipSnapError => {
  const where = whereText(at.line, at.col)
  const path = at.path ?? [source]
  return new SnipSnapError(at.code ?? 'PARSE_ERROR', `${source}${where}: ${detail}`, {
    path,
    issues: [{ code: 'parse-error', path, message: `${where.slice(1)} ${detail}`.trim() }],
    ...(at.cause === undefined ? {} : { cause: at.cause }),
  })
}

const TOO_DEEP = 'nested too deeply to read (lists and mappings inside each other)'

/**
 * Refuses text nested deeper than {@link MAX_YAML_DEPTH} levels, naming the line and column.
 * Run by {@link readYamlDocument}; exported for readers with a fast path of their own.
 * @throws {SnipSnapError} PARSE_ERROR (or `options.code`) when the text nests too deeply.
 */
export const assertYamlDepth = (text: string, source: string, options: ReadYamlOptions = {}): void => {
  const deep = findDeepYamlNesting(text, MAX_YAML_DEPTH)
  if (deep !== null) throw yamlError(source, `${TOO_DEEP}; SnipSnap reads at most ${MAX_YAML_DEPTH} levels`, { ...options, ...deep })
}

/**
 * Reads YAML (or JSON, which is YAML) text strictly, keeping the document for locating keys.
 * @param source the file name (or label) messages start with.
 * @throws {SnipSnapError} PARSE_ERROR (or `options.code`), message `source:line:col: detail`, for
 *   malformed text, an unknown tag, a key given twice, nesting deeper than {@link MAX_YAML_DEPTH}
 *   levels, or too many aliases.
 * @example const { value } = readYamlDocument(text, 'study.yaml')
 */
export const readYamlDocument = (text: string, source: string, options: ReadYamlOptions = {}): YamlDocument => {
  if (typeof text !== 'string') throw yamlError(source, `expected YAML text, got ${text === null ? 'null' : typeof text}`, options)
  assertYamlDepth(text, source, options)
  const lines = new LineCounter()
  const maxAliasCount = options.maxAliasCount ?? 100
  let doc: Document
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  } catch (cause) {
    // The depth scan keeps the reader's recursion bounded; this is the last line of defence.
    throw yamlError(source, isStackOverflow(cause) ? TOO_DEEP : detailOf(cause instanceof Error ? cause.message : String(cause)), { ...options, cause })
  }
  const at = (pos: readonly [number, number]) => {
    const { line, col } = lines.linePos(pos[0])
    return { line, col }
  }
  const [first] = doc.errors
  if (first !== undefined) throw yamlError(source, isStackOverflow(first) ? TOO_DEEP : detailOf(first.message), { ...options, ...at(first.pos), cause: first })
  // An unknown tag would be read as a plain string (with a Node warning on stderr): refuse it.
  const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED')
  if (tag !== undefined) throw yamlError(source, detailOf(tag.message), { ...options, ...at(tag.pos), cause: tag })
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount })
  } catch (cause) {
    // e.g. the alias expansion limit: an input error, not a crash.
    throw yamlError(source, isStackOverflow(cause) ? TOO_DEEP : detailOf(cause instanceof Error ? cause.message : String(cause)), { ...options, cause })
  }
  return { value, doc, lines }
}

/**
 * Reads YAML (or JSON) text strictly into plain data (see {@link readYamlDocument}).
 * @throws {SnipSnapError} as {@link readYamlDocument}.
 * @example const axes = readYamlValue(text, 'axes.yaml', { code: 'INVALID_SPEC', path: ['--axes'] })
 */
export const readYamlValue = (text: string, source: string, options: ReadYamlOptions = {}): unknown => readYamlDocument(text, source, options).value

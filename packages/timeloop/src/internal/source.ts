// YAML text → plain data, and the gathering of several files' top-level keys (Timeloop reads any
// number of YAML files, later ones silently replacing earlier ones key by key; SnipSnap instead
// refuses two definitions of a key it uses, see parse.ts). Each key remembers its file so errors
// name that file.
import { parseDocument } from 'yaml'
import { SnipSnapError } from '@snipsnap/core'
import { parseYamlFast } from './fast-yaml'
import { foldKey, isRecord, show } from './read'

/** One input file: its name (for messages) and its YAML text. */
export interface TimeloopSource {
  readonly fileName: string
  readonly text: string
}

/** A top-level value, the key as written and the file it came from. */
export interface Sourced {
  readonly file: string
  readonly key: string
  readonly value: unknown
}

const parseError = (fileName: string, detail: string, line?: number, col?: number): SnipSnapError => {
  const where = line === undefined ? '' : `:${line}${col === undefined ? '' : `:${col}`}`
  return new SnipSnapError('PARSE_ERROR', `${fileName}${where}: ${detail}`, {
    path: [fileName],
    issues: [{ code: 'parse-error', path: [fileName], message: `${where.slice(1)} ${detail}`.trim() }],
  })
}

// Timeloop files are small, but a hostile input can expand aliases exponentially.
const YAML_OPTIONS = { maxAliasCount: 1000, prettyErrors: true } as const

/**
 * Deepest nesting of lists and mappings read. Real Timeloop files stay below 40 levels; the YAML
 * library (and every recursive walk after it) runs out of stack near 800, which would surface as
 * "Maximum call stack size exceeded".
 */
export const MAX_YAML_DEPTH = 256

/**
 * Where the nesting first exceeds `limit` levels: block indentation levels (with `- ` list
 * markers) plus open flow brackets outside quotes and comments. A cheap scan run before
 * parsing; it may overcount slightly, never enough to reject a real file.
 */
const findDeepNesting = (text: string, limit: number): { line: number; col: number } | null => {
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

const isStackOverflow = (error: unknown): boolean => error instanceof RangeError && /call stack/i.test(error.message)

/**
 * Parses one YAML document into plain data.
 * @throws {SnipSnapError} PARSE_ERROR with line and column when the YAML is malformed, uses a
 *   tag SnipSnap does not know, nests deeper than {@link MAX_YAML_DEPTH} levels or expands too
 *   many aliases.
 */
export const parseYamlText = (fileName: string, text: string): unknown => {
  if (typeof text !== 'string') throw parseError(fileName, `expected YAML text, got ${show(text)}`)
  const deep = findDeepNesting(text, MAX_YAML_DEPTH)
  if (deep !== null) {
    throw parseError(fileName, `nested more than ${MAX_YAML_DEPTH} levels deep (lists and mappings inside each other); SnipSnap reads at most ${MAX_YAML_DEPTH}`, deep.line, deep.col)
  }
  // Usual Timeloop files are in the subset the fast reader covers; anything else goes to `yaml`.
  const fast = parseYamlFast(text)
  if (fast !== undefined) return fast
  let doc: ReturnType<typeof parseDocument>
  try {
    doc = parseDocument(text, YAML_OPTIONS)
  } catch (error) {
    if (isStackOverflow(error)) throw parseError(fileName, 'nested too deeply to read')
    throw parseError(fileName, error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error))
  }
  const first = doc.errors[0]
  if (first !== undefined) {
    const pos = first.linePos?.[0]
    const firstLine = first.message.split('\n')[0] ?? first.message
    throw parseError(fileName, firstLine.replace(/ at line \d+, column \d+:?$/, ''), pos?.line, pos?.col)
  }
  // An unknown tag would be read as a plain string (and printed as a Node warning): refuse it.
  const tag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED')
  if (tag !== undefined) {
    const pos = tag.linePos?.[0]
    throw parseError(fileName, (tag.message.split('\n')[0] ?? tag.message).replace(/ at line \d+, column \d+:?$/, ''), pos?.line, pos?.col)
  }
  try {
    return doc.toJS({ maxAliasCount: YAML_OPTIONS.maxAliasCount })
  } catch (error) {
    if (error instanceof SnipSnapError) throw error
    if (isStackOverflow(error)) throw parseError(fileName, 'nested too deeply to read')
    // e.g. alias expansion limits: report as a parse error rather than a crash.
    throw parseError(fileName, error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error))
  }
}

/**
 * Parses every source and gathers the top-level keys with every file that defines each, in
 * file order; the caller decides what two definitions of one key mean.
 * @throws {SnipSnapError} PARSE_ERROR for malformed YAML or a document that is not a mapping.
 */
export const mergeSources = (sources: readonly TimeloopSource[]): Map<string, Sourced[]> => {
  // Keys are folded (`sparse-optimizations` ≡ `sparse_optimizations`) so spellings meet too.
  const merged = new Map<string, Sourced[]>()
  if (!Array.isArray(sources)) {
    throw new SnipSnapError('INVALID_SPEC', 'expected a list of { fileName, text } sources')
  }
  for (const [index, source] of sources.entries()) {
    if (!isRecord(source) || typeof source.fileName !== 'string') {
      throw new SnipSnapError('INVALID_SPEC', `sources[${index}]: expected { fileName, text }`, {
        path: ['sources', index],
      })
    }
    const data = parseYamlText(source.fileName, source.text as string)
    // An empty file is legal YAML (null); it contributes nothing.
    if (data === null || data === undefined) continue
    if (!isRecord(data)) {
      throw parseError(source.fileName, `the document must be a mapping of top-level keys, got ${show(data)}`)
    }
    for (const [key, value] of Object.entries(data)) {
      const folded = foldKey(key)
      const entry = { file: source.fileName, key, value }
      const list = merged.get(folded)
      if (list === undefined) merged.set(folded, [entry])
      else list.push(entry)
    }
  }
  return merged
}

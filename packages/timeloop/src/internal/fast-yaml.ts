// A fast reader for the YAML subset Timeloop design files are written in: block mappings and
// sequences by indentation (compact `- key: value` and `- - x` items included), one-line flow
// lists and maps (nested), plain and simply quoted scalars, comments. A general YAML parser runs cold in
// a one-shot process (nothing is optimised yet), and reading a 15 kB design with `yaml` was most
// of a `snipsnap evaluate` (issue 12). Anything outside the subset (anchors, aliases, tags, block
// scalars, multi-line scalars and flow collections, escapes, duplicate keys, tabs, `---`,
// directives, unusual numbers…) returns undefined and the caller uses `yaml`, so a result is
// always the one `yaml` gives (YAML 1.2 core schema); fast-yaml.test.ts checks the two agree on
// every shared file and on generated and mutated documents.

const FALLBACK = undefined

interface Line {
  readonly indent: number
  /** The content after the indentation, trailing comment and spaces removed. */
  readonly text: string
}

/** Thrown inside the reader to give up; caught by {@link parseYamlFast}. */
class Outside extends Error {}
const outside = (): never => {
  throw new Outside()
}

const NULL = /^(?:~|[Nn]ull|NULL)$/
const TRUE = /^(?:[Tt]rue|TRUE)$/
const FALSE = /^(?:[Ff]alse|FALSE)$/
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/
/** A key the subset reads as the string it spells (not null, a boolean or `__proto__`). */
const isPlainKey = (key: string): boolean => KEY.test(key) && key !== '__proto__' && !NULL.test(key) && !TRUE.test(key) && !FALSE.test(key)
const INT = /^-?(?:0|[1-9][0-9]{0,14})$/
const FLOAT = /^-?(?:0|[1-9][0-9]*)\.[0-9]+$/
const EXP = /^-?[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+$/
// What a plain scalar may not start with (`-` only before a digit, see plainScalar).
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/
const DOUBLE_QUOTED = /^"[^"\\]*"$/
const SINGLE_QUOTED = /^'[^']*'$/

/** A plain scalar as the core schema resolves it; `flow` forbids the flow indicators. */
const plainScalar = (s: string, flow: boolean): unknown => {
  if (s === '') return outside()
  if (INDICATOR.test(s) && !/^-[0-9]/.test(s)) return outside()
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) return outside()
  if (flow && /[,:[\]{}]/.test(s)) return outside()
  if (NULL.test(s)) return null
  if (TRUE.test(s)) return true
  if (FALSE.test(s)) return false
  if (/^[-+.0-9]/.test(s)) {
    if (INT.test(s) && s !== '-0') return Number(s)
    if (FLOAT.test(s) || EXP.test(s)) return Number.parseFloat(s)
    // Other numbers (`+1`, `.5`, `0x1F`, `0o7`, `.inf`, `007`…) are left to `yaml`.
    if (/^[-+]?(?:\.|[0-9])/.test(s) && /^[-+.0-9a-fA-FoxeEinfINF]*$/.test(s)) return outside()
  }
  return s
}

/** A scalar value: quoted without escapes, or plain. */
const scalar = (s: string, flow: boolean): unknown => {
  if (s.startsWith('"')) return DOUBLE_QUOTED.test(s) ? s.slice(1, -1) : outside()
  if (s.startsWith("'")) return SINGLE_QUOTED.test(s) ? s.slice(1, -1) : outside()
  return plainScalar(s, flow)
}

/** One-line flow collections, nested, of scalars: `[a, [b, c]]`, `{k: v, l: [1, 2]}`. */
class FlowReader {
  private at = 0
  private readonly text: string
  constructor(text: string) {
    this.text = text
  }

  private skipSpaces(): void {
    while (this.text.charCodeAt(this.at) === 32) this.at++
  }

  /** The whole text as one flow collection; anything after it is outside the subset. */
  all(): unknown {
    const value = this.collection()
    this.skipSpaces()
    return this.at === this.text.length ? value : outside()
  }

  private collection(): unknown {
    const open = this.text[this.at]
    const close = open === '[' ? ']' : open === '{' ? '}' : outside()
    this.at++
    const list: unknown[] = []
    const map: Record<string, unknown> = {}
    this.skipSpaces()
    if (this.text[this.at] === close) {
      this.at++
      return open === '[' ? list : map
    }
    for (;;) {
      this.skipSpaces()
      if (open === '[') {
        list.push(this.item())
      } else {
        const key = this.plainUntil(/[:,\]}[{]/).trim()
        if (this.text[this.at] !== ':' || this.text[this.at + 1] !== ' ') return outside()
        this.at += 2
        if (!isPlainKey(key) || Object.hasOwn(map, key)) return outside()
        this.skipSpaces()
        map[key] = this.item()
      }
      this.skipSpaces()
      const next = this.text[this.at]
      this.at++
      if (next === close) return open === '[' ? list : map
      // A comma must be followed by another item (no trailing comma, no empty item).
      if (next !== ',') return outside()
      this.skipSpaces()
      if (this.text[this.at] === close || this.text[this.at] === ',') return outside()
    }
  }

  private item(): unknown {
    const first = this.text[this.at]
    if (first === '[' || first === '{') return this.collection()
    if (first === '"' || first === "'") {
      const end = this.text.indexOf(first, this.at + 1)
      if (end < 0) return outside()
      const quoted = this.text.slice(this.at, end + 1)
      this.at = end + 1
      return scalar(quoted, true)
    }
    const raw = this.plainUntil(/[,\]}[{]/).trim()
    return scalar(raw, true)
  }

  /** Text up to (not including) the first character matching `stop`, or to the end. */
  private plainUntil(stop: RegExp): string {
    const from = this.at
    while (this.at < this.text.length && !stop.test(this.text[this.at] as string)) this.at++
    return this.text.slice(from, this.at)
  }
}

/** A value written on the line of its key or dash: flow collection or scalar. */
const inlineValue = (s: string): unknown => (s.startsWith('[') || s.startsWith('{') ? new FlowReader(s).all() : scalar(s, false))

/** Splits `key: rest` / `key:`; undefined when the line is not a simple mapping entry. */
const splitEntry = (text: string): { key: string; rest: string } | undefined => {
  const colon = text.indexOf(':')
  if (colon <= 0) return undefined
  if (colon + 1 < text.length && text[colon + 1] !== ' ') return undefined
  const key = text.slice(0, colon)
  if (!isPlainKey(key)) return undefined
  return { key, rest: text.slice(colon + 1).trim() }
}

/** Removes a trailing ` # comment` outside quotes; the comment may hold anything. */
const stripComment = (text: string): string => {
  const hash = text.indexOf('#')
  if (hash < 0) return text
  let quote: string | null = null
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quote !== null) {
      if (ch === quote) quote = null
    } else if (ch === '"' || ch === "'") {
      // Quotes open a scalar only at its start; an apostrophe inside a plain word is text.
      const before = text[i - 1]
      if (i === 0 || before === ' ' || before === '[' || before === '{' || before === ',') quote = ch
    } else if (ch === '#' && (i === 0 || text[i - 1] === ' ')) {
      return text.slice(0, i).trimEnd()
    }
  }
  return quote === null ? text : outside()
}

class Reader {
  private index = 0
  private readonly lines: Line[]
  constructor(lines: Line[]) {
    this.lines = lines
  }

  private peek(): Line | undefined {
    return this.lines[this.index]
  }

  /** The node starting at the current line, whose indentation is `indent`. */
  block(indent: number): unknown {
    const line = this.peek()
    if (line === undefined || line.indent !== indent) return outside()
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent)
    if (splitEntry(line.text) !== undefined) return this.mapping(indent, line.text)
    // A value on a line of its own (`key:` then `  [a, b]`): nothing may continue it.
    this.index++
    const value = inlineValue(line.text)
    const next = this.peek()
    if (next !== undefined && next.indent >= indent) outside()
    return value
  }

  /** A value after `key:` or `-` with nothing on the line: a nested block, or null. */
  private nested(parentIndent: number, sameIndentSequence: boolean): unknown {
    const next = this.peek()
    if (next === undefined || next.indent < parentIndent) return null
    if (next.indent > parentIndent) return this.block(next.indent)
    // `key:` followed by `- item` at the key's own indentation is a sequence.
    if (sameIndentSequence && (next.text === '-' || next.text.startsWith('- '))) return this.sequence(parentIndent)
    return null
  }

  /** After a value written on its own line, nothing may continue it on deeper lines. */
  private endOfValue(indent: number): void {
    const next = this.peek()
    if (next !== undefined && next.indent > indent) outside()
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = []
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      if (!(line.text === '-' || line.text.startsWith('- '))) break
      const rest = line.text.slice(1).trimStart()
      this.index++
      if (rest === '') {
        items.push(this.nested(indent, false))
      } else if (rest === '-' || rest.startsWith('- ')) {
        // `- - x`: a sequence inside the item, starting at the second dash.
        const column = indent + (line.text.length - rest.length)
        this.index--
        this.lines[this.index] = { indent: column, text: rest }
        items.push(this.sequence(column))
      } else {
        const entry = /^[[{"']/.test(rest) ? undefined : splitEntry(rest)
        if (entry !== undefined) {
          // A compact mapping: its keys line up with the first one, after the dash.
          const column = indent + (line.text.length - rest.length)
          items.push(this.mappingFrom(column, entry))
        } else {
          items.push(inlineValue(rest))
          this.endOfValue(indent)
        }
      }
    }
    const next = this.peek()
    if (next !== undefined && next.indent > indent) return outside()
    return items
  }

  private mapping(indent: number, text: string): Record<string, unknown> {
    const entry = splitEntry(text)
    if (entry === undefined) return outside()
    this.index++
    return this.mappingFrom(indent, entry)
  }

  /** A block mapping whose first entry (already consumed) is `first`. */
  private mappingFrom(indent: number, first: { key: string; rest: string }): Record<string, unknown> {
    const map: Record<string, unknown> = {}
    let entry: { key: string; rest: string } | undefined = first
    while (entry !== undefined) {
      if (Object.hasOwn(map, entry.key)) return outside()
      if (entry.rest === '') {
        map[entry.key] = this.nested(indent, true)
      } else {
        map[entry.key] = inlineValue(entry.rest)
        this.endOfValue(indent)
      }
      const next = this.peek()
      if (next === undefined || next.indent < indent) break
      if (next.indent > indent || next.text === '-' || next.text.startsWith('- ')) return outside()
      entry = splitEntry(next.text)
      if (entry === undefined) return outside()
      this.index++
    }
    return map
  }

  done(): boolean {
    return this.index === this.lines.length
  }
}

/**
 * Reads `text` if it is in the subset, with the value `yaml` would give; undefined otherwise (the
 * caller then parses it with `yaml`, which also reports any error).
 */
export const parseYamlFast = (text: string): unknown => {
  if (/[\t\r]/.test(text) || text.startsWith('\uFEFF')) return FALLBACK
  const lines: Line[] = []
  for (const raw of text.split('\n')) {
    let indent = 0
    while (raw.charCodeAt(indent) === 32) indent++
    if (indent === raw.length || raw[indent] === '#') continue
    if (raw.startsWith('---') || raw.startsWith('...')) return FALLBACK
    try {
      lines.push({ indent, text: stripComment(raw.slice(indent).trimEnd()) })
    } catch (error) {
      if (error instanceof Outside) return FALLBACK
      throw error
    }
  }
  if (lines.length === 0 || lines[0]?.indent !== 0) return FALLBACK
  try {
    const reader = new Reader(lines)
    const value = reader.block(0)
    return reader.done() ? value : FALLBACK
  } catch (error) {
    if (error instanceof Outside) return FALLBACK
    throw error
  }
}

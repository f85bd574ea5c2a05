// The `evaluate --mappings` reader: mapping text straight to a MappingSpec in one pass by
// character code, for the subset Timeloop mapping rows are written in (`mapping:` then
// `- {target: X, type: temporal, factors: M=4 N1, permutation: MNK}` flow items or `- key: value`
// block items whose values are plain words, integers or `[A, B]` lists of tensor names). The
// two-step fast path (fast-mapping-yaml.ts builds the YAML objects, mapping.ts reads them) cost
// about as much per row as evaluating the mapping (issue 12): each directive was built as an
// object of its own key order (megamorphic reads), factors went through regular expressions and
// split strings. This reader keeps nothing but the per-level factors, permutations and tensor
// lists, with names taken from the design (no substrings).
//
// It is stricter than YAML: anything outside the subset (quotes, comments, tabs, other spacing
// after a dash, nested flow collections, keys other than the directive keys, unknown names, a
// value the general reader would refuse…) answers undefined and the caller takes the general
// path (`yaml`, then the section reader), which gives the result or the precise error. Wherever
// it answers, the result equals that path's (mapping-text.test.ts: every shared row, generated
// and mutated rows).
import type { MappingSpec } from '@snipsnap/core'
import { emptyFastLevels, type FastLevel, finishFastLevels, type MappingContext, UNSET } from './mapping'

const NEWLINE = 10
const SPACE = 32
const COMMA = 44
const DASH = 45
const COLON = 58
const EQUALS = 61
const OPEN_LIST = 91
const CLOSE_LIST = 93
const OPEN_MAP = 123
const CLOSE_MAP = 125

/** Character classes (ASCII; everything else is outside the subset). */
const LETTER = 1
const DIGIT = 2
/** Characters a plain word may hold after its first (`_`, `=`, `.`, `-`; space is handled apart). */
const WORD = 4
const CLASS = new Uint8Array(65536)
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT
CLASS[95] = LETTER // `_` may start a word, as a letter
for (const c of '=.-') CLASS[c.charCodeAt(0)] = WORD
const classOf = (c: number): number => CLASS[c] as number


// Directive keys, as bits.
const TARGET = 1
const TYPE = 2
const FACTORS = 4
const PERMUTATION = 8
const SPLIT = 16
const KEEP = 32
const BYPASS = 64
const STREAM = 128
const TEMPORAL_KEYS = TARGET | TYPE | FACTORS | PERMUTATION
const SPATIAL_KEYS = TEMPORAL_KEYS | SPLIT
const DATATYPE_KEYS = TARGET | TYPE | KEEP | BYPASS | STREAM
const TEMPORAL = 1
const SPATIAL = 2
const DATATYPE = 3

/** Thrown to give up on a text; caught by {@link readMappingText}. */
const OUTSIDE = new Error('outside the mapping-text subset')

/** Whether `t[a, b)` is `word` (compared by character code: cheaper than startsWith here). */
const spells = (t: string, a: number, b: number, word: string): boolean => {
  if (b - a !== word.length) return false
  for (let i = 0; i < word.length; i++) if (t.charCodeAt(a + i) !== word.charCodeAt(i)) return false
  return true
}

/** The index of the name of `names` that `t[a, b)` spells, or -1. */
const nameAt = (t: string, a: number, b: number, names: readonly string[]): number => {
  for (let i = 0; i < names.length; i++) if (spells(t, a, b, names[i] as string)) return i
  return -1
}

/** The directive key `t[a, b)` spells, as its bit, or 0. */
const keyAt = (t: string, a: number, b: number): number => {
  switch (t.charCodeAt(a)) {
    case 116: // t
      return spells(t, a, b, 'target') ? TARGET : spells(t, a, b, 'type') ? TYPE : 0
    case 102: // f
      return spells(t, a, b, 'factors') ? FACTORS : 0
    case 112: // p
      return spells(t, a, b, 'permutation') ? PERMUTATION : 0
    case 115: // s
      return spells(t, a, b, 'split') ? SPLIT : spells(t, a, b, 'stream') ? STREAM : 0
    case 107: // k
      return spells(t, a, b, 'keep') ? KEEP : 0
    case 98: // b
      return spells(t, a, b, 'bypass') ? BYPASS : 0
    default:
      return 0
  }
}

/** The directive type `t[a, b)` spells (`bypass`/`bypassing` are `datatype`), or 0. */
const typeAt = (t: string, a: number, b: number): number => {
  if (spells(t, a, b, 'temporal')) return TEMPORAL
  if (spells(t, a, b, 'spatial')) return SPATIAL
  if (spells(t, a, b, 'datatype') || spells(t, a, b, 'bypass') || spells(t, a, b, 'bypassing')) return DATATYPE
  return 0
}

/** One directive as read: which keys it gave and their values. */
class Directive {
  keys = 0
  level = -1
  type = 0
  factors: number[] | null = null
  permutation: string[] | null = null
  split = 0
  keep: string[] | null = null
  bypass: string[] | null = null
  stream: string[] | null = null
  reset(): void {
    this.keys = 0
    this.level = -1
    this.type = 0
    this.factors = null
    this.permutation = null
    this.keep = null
    this.bypass = null
    this.stream = null
  }
}

class MappingTextReader {
  private readonly t: string
  private readonly context: MappingContext
  private readonly dims: readonly string[]
  private readonly tensors: readonly string[]
  private readonly levels: FastLevel[]
  private readonly directive = new Directive()

  constructor(t: string, context: MappingContext, tensors: readonly string[]) {
    this.t = t
    this.context = context
    this.dims = context.problem.dimensions
    this.tensors = tensors
    this.levels = emptyFastLevels(context)
  }

  /**
   * The end of the plain scalar that starts at `a` and runs to `b` at most (stops early before a
   * `,` or `}` when `flow`), checking its characters; `a` is its first character (not a space).
   * Returns the end without trailing spaces; the stop position is {@link stop}.
   */
  stop = 0
  private scalarEnd(a: number, b: number, flow: boolean): number {
    const t = this.t
    let end = a
    let i = a
    for (; i < b; i++) {
      const c = t.charCodeAt(i)
      if (c === SPACE) continue
      if (flow && (c === COMMA || c === CLOSE_MAP)) break
      if (classOf(c) === 0) throw OUTSIDE
      end = i + 1
    }
    this.stop = i
    return end
  }

  /**
   * Whether `t[a, b)` is a plain word YAML reads as a string (not a number, boolean or null).
   * Words starting with a letter that YAML 1.2's core schema (what `yaml` reads; the subset has
   * no `%YAML` directive to change it) resolves otherwise are spellings of true, false and null,
   * refused here in any case; every other such word is a string (`N` and `y` too, which YAML 1.1
   * read as booleans).
   */
  private isWord(a: number, b: number): boolean {
    const t = this.t
    if (a >= b || classOf(t.charCodeAt(a)) !== LETTER) return false
    // true, false, null in any case (`| 32` lowers an ASCII letter).
    const length = b - a
    if (length === 4 || length === 5) {
      const word = length === 5 ? 'false' : (t.charCodeAt(a) | 32) === 116 ? 'true' : 'null'
      let i = 0
      while (i < length && (t.charCodeAt(a + i) | 32) === word.charCodeAt(i)) i++
      if (i === length) return false
    }
    return true
  }

  /** `t[a, b)` as a YAML integer (digits only, no leading zero, at most 15 digits), or -1. */
  private integer(a: number, b: number): number {
    const t = this.t
    if (a >= b || b - a > 15 || (t.charCodeAt(a) === 48 && b - a > 1)) return -1
    let value = 0
    for (let i = a; i < b; i++) {
      const c = t.charCodeAt(i)
      if (c < 48 || c > 57) return -1
      value = value * 10 + (c - 48)
    }
    return value
  }

  /** `M=4 N1 K=0` (a word) → factors by dimension index; divisors of the bounds or 0. */
  private factors(a: number, b: number): number[] {
    if (!this.isWord(a, b)) throw OUTSIDE
    const { t, dims } = this
    const bounds = this.context.problem.bounds
    const factors = new Array<number>(dims.length).fill(UNSET)
    let i = a
    while (i < b) {
      if (t.charCodeAt(i) === SPACE) {
        i++
        continue
      }
      const nameFrom = i
      while (i < b && classOf(t.charCodeAt(i)) === LETTER && t.charCodeAt(i) !== 95) i++
      const index = nameAt(t, nameFrom, i, dims)
      if (index < 0 || factors[index] !== UNSET) throw OUTSIDE
      if (i < b && t.charCodeAt(i) === EQUALS) i++
      const valueFrom = i
      let value = 0
      while (i < b && classOf(t.charCodeAt(i)) === DIGIT) value = value * 10 + (t.charCodeAt(i++) - 48)
      if (i === valueFrom || i - valueFrom > 15 || (i < b && t.charCodeAt(i) !== SPACE)) throw OUTSIDE
      const bound = bounds[dims[index] as string] ?? 1
      if (value !== 0 && bound % value !== 0) throw OUTSIDE
      factors[index] = value
    }
    return factors
  }

  /** `KMN` (one letter per dimension) or a lone multi-letter dimension. */
  private permutation(a: number, b: number): string[] {
    if (!this.isWord(a, b)) throw OUTSIDE
    const { t, dims } = this
    const whole = nameAt(t, a, b, dims)
    if (whole >= 0) return [dims[whole] as string]
    const items: string[] = []
    for (let i = a; i < b; i++) {
      const index = nameAt(t, i, i + 1, dims)
      if (index < 0) throw OUTSIDE
      const dim = dims[index] as string
      if (items.includes(dim)) throw OUTSIDE
      items.push(dim)
    }
    return items
  }

  /** `[A, B]` in `t[a, b)` (`t[a]` is `[`, `t[b - 1]` is `]`): known tensor names. */
  private tensorList(a: number, b: number): string[] {
    const t = this.t
    const names: string[] = []
    let i = a + 1
    const end = b - 1
    while (i < end && t.charCodeAt(i) === SPACE) i++
    if (i === end) return names
    for (;;) {
      while (i < end && t.charCodeAt(i) === SPACE) i++
      const from = i
      while (i < end && t.charCodeAt(i) !== COMMA) {
        if (t.charCodeAt(i) !== SPACE && classOf(t.charCodeAt(i)) === 0) throw OUTSIDE
        i++
      }
      let to = i
      while (to > from && t.charCodeAt(to - 1) === SPACE) to--
      if (!this.isWord(from, to)) throw OUTSIDE
      const index = nameAt(t, from, to, this.tensors)
      if (index < 0) throw OUTSIDE
      names.push(this.tensors[index] as string)
      if (i === end) return names
      i++ // the comma
    }
  }

  /**
   * Reads `key: value` from `a` (the key's first character) into the directive; the value ends
   * at `b` (block) or at the next `,`/`}` (flow). Returns where the value stopped.
   */
  private entry(a: number, b: number, flow: boolean): number {
    const t = this.t
    let i = a
    while (i < b && classOf(t.charCodeAt(i)) === LETTER && t.charCodeAt(i) !== 95) i++
    if (i + 1 >= b || t.charCodeAt(i) !== COLON || t.charCodeAt(i + 1) !== SPACE) throw OUTSIDE
    const key = keyAt(t, a, i)
    const d = this.directive
    if (key === 0 || (d.keys & key) !== 0) throw OUTSIDE
    d.keys |= key
    i += 2
    while (i < b && t.charCodeAt(i) === SPACE) i++
    if (i >= b) throw OUTSIDE
    if (key === KEEP || key === BYPASS || key === STREAM) {
      // Lists only in block items, alone on the rest of the line.
      if (flow || t.charCodeAt(i) !== OPEN_LIST || t.charCodeAt(b - 1) !== CLOSE_LIST) throw OUTSIDE
      const names = this.tensorList(i, b)
      if (key === KEEP) d.keep = names
      else if (key === BYPASS) d.bypass = names
      else d.stream = names
      return b
    }
    const end = this.scalarEnd(i, b, flow)
    if (!flow && this.stop !== b) throw OUTSIDE
    if (key === TARGET) {
      if (!this.isWord(i, end)) throw OUTSIDE
      d.level = nameAt(t, i, end, this.context.levelNames)
      if (d.level < 0) throw OUTSIDE
    } else if (key === TYPE) {
      d.type = typeAt(t, i, end)
      if (d.type === 0) throw OUTSIDE
    } else if (key === FACTORS) {
      d.factors = this.factors(i, end)
    } else if (key === PERMUTATION) {
      d.permutation = this.permutation(i, end)
    } else {
      d.split = this.integer(i, end)
      if (d.split < 0 || d.split > this.dims.length) throw OUTSIDE
    }
    return this.stop
  }

  /** Adds the directive read to its level, as parseMappingSectionFast does. */
  private apply(): void {
    const d = this.directive
    if ((d.keys & (TARGET | TYPE)) !== (TARGET | TYPE)) throw OUTSIDE
    const allowed = d.type === TEMPORAL ? TEMPORAL_KEYS : d.type === SPATIAL ? SPATIAL_KEYS : DATATYPE_KEYS
    if ((d.keys & ~allowed) !== 0) throw OUTSIDE
    const acc = this.levels[d.level] as FastLevel
    if (d.type === DATATYPE) {
      for (const tensor of d.keep ?? []) {
        if (acc.bypass.includes(tensor)) throw OUTSIDE
        if (!acc.keep.includes(tensor)) acc.keep.push(tensor)
      }
      for (const tensor of d.bypass ?? []) {
        if (acc.keep.includes(tensor)) throw OUTSIDE
        if (!acc.bypass.includes(tensor)) acc.bypass.push(tensor)
      }
      for (const tensor of d.stream ?? []) if (!acc.stream.includes(tensor)) acc.stream.push(tensor)
      return
    }
    const factors = d.factors ?? new Array<number>(this.dims.length).fill(UNSET)
    if (d.type === TEMPORAL) {
      if (acc.temporal !== undefined) throw OUTSIDE
      acc.temporal = { factors, permutation: d.permutation }
    } else {
      if (!this.context.spatialLevels[d.level] || acc.spatial !== undefined) throw OUTSIDE
      acc.spatial = { factors, permutation: d.permutation, split: (d.keys & SPLIT) !== 0 ? d.split : null }
    }
  }

  read(): MappingSpec | undefined {
    const t = this.t
    const length = t.length
    let header = false
    let dash = -1
    let inBlock = false
    for (let start = 0; start < length; ) {
      let end = t.indexOf('\n', start)
      if (end < 0) end = length
      const next = end + 1
      while (end > start && t.charCodeAt(end - 1) === SPACE) end--
      if (end === start) {
        start = next
        continue
      }
      if (!header) {
        // The first line that is not blank: `mapping:` at the start of the line.
        if (end - start !== 8 || !t.startsWith('mapping:', start)) throw OUTSIDE
        header = true
        start = next
        continue
      }
      let rest = start
      while (t.charCodeAt(rest) === SPACE) rest++
      const indent = rest - start
      if (t.charCodeAt(rest) === DASH) {
        // `- ` then a flow map or the first key of a block map; one space only, so that the
        // block map's keys line up with the continuation lines' (dash + 2).
        if (rest + 2 >= end || t.charCodeAt(rest + 1) !== SPACE || t.charCodeAt(rest + 2) === SPACE) throw OUTSIDE
        if (dash === -1) dash = indent
        if (indent !== dash) throw OUTSIDE
        if (inBlock) this.apply()
        this.directive.reset()
        const a = rest + 2
        if (t.charCodeAt(a) === OPEN_MAP) {
          if (t.charCodeAt(end - 1) !== CLOSE_MAP) throw OUTSIDE
          let i = a + 1
          for (;;) {
            while (i < end && t.charCodeAt(i) === SPACE) i++
            i = this.entry(i, end - 1, true)
            while (i < end && t.charCodeAt(i) === SPACE) i++
            if (i === end - 1) break
            if (t.charCodeAt(i) !== COMMA) throw OUTSIDE
            i++
          }
          this.apply()
          inBlock = false
        } else {
          this.entry(a, end, false)
          inBlock = true
        }
      } else {
        // A continuation line of the current block map: indented past the dash by two.
        if (!inBlock || indent !== dash + 2) throw OUTSIDE
        this.entry(rest, end, false)
      }
      if (next > length) break
      start = next
    }
    if (inBlock) this.apply()
    if (dash === -1) throw OUTSIDE
    return finishFastLevels(this.levels, this.context)
  }
}

/** Tensor names of a context's problem, in problem order (cached per context). */
const tensorNames = new WeakMap<MappingContext, readonly string[]>()

/**
 * The mapping a Timeloop mapping text describes, when the text is in the subset this reader
 * covers and the general path would read it without error; undefined otherwise (the caller then
 * takes the general path, which also reports errors).
 */
export const readMappingText = (text: string, context: MappingContext): MappingSpec | undefined => {
  let tensors = tensorNames.get(context)
  if (tensors === undefined) {
    tensors = [...context.tensors]
    tensorNames.set(context, tensors)
  }
  try {
    return new MappingTextReader(text, context, tensors).read()
  } catch (error) {
    if (error === OUTSIDE) return undefined
    throw error
  }
}

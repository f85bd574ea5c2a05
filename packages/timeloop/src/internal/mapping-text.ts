// The `evaluate --mappings` reader: mapping text straight to a MappingSpec in one pass by
// character code, for the subset Timeloop mapping rows are written in (`mapping:` then
// `- {target: X, type: temporal, factors: M=4 N1, permutation: MNK}` flow items or `- key: value`
// block items whose values are plain words, integers or `[A, B]` lists of tensor names).
//
// Issue 12 wants 50 µs per row for the whole `--mappings` pipeline, and reading the mapping
// cost ~36 µs of it while the first version of this reader built a directive object, a factor
// array, permutation and tensor arrays per directive and per-level accumulators per row, and
// searched names by comparing strings. Everything that depends only on the design (level,
// dimension and tensor names, bounds, spatial levels) is now prepared once per mapping context
// (a {@link MappingTextPlan}); a row is read into the plan's typed arrays (factors, permutations
// as dimension indices, tensor lists as bit masks plus first-seen order), and the only objects
// made are the MappingSpec's own.
//
// It is stricter than YAML: anything outside the subset (quotes, comments, tabs, other spacing
// after a dash, nested flow collections, keys other than the directive keys, unknown names, a
// value the general reader would refuse…) answers undefined and the caller takes the general
// path (`yaml`, then the section reader), which gives the result or the precise error. Wherever
// it answers, the result equals that path's (mapping-text.test.ts: every shared row, generated
// and mutated rows).
import type { LevelMappingSpec, MappingSpec } from '@snipsnap/core'
import { type MappingContext, UNSET } from './mapping'

const NEWLINE = '\n'
const SPACE = 32
const COMMA = 44
const DASH = 45
const COLON = 58
const EQUALS = 61
const OPEN_LIST = 91
const CLOSE_LIST = 93
const OPEN_MAP = 123
const CLOSE_MAP = 125
const UNDERSCORE = 95

/** Character classes (ASCII; everything else is outside the subset). */
const LETTER = 1
const DIGIT = 2
/** Characters a plain word may hold after its first (`_`, `=`, `.`, `-`; space is handled apart). */
const WORD = 4
const CLASS = new Uint8Array(65536)
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT
CLASS[UNDERSCORE] = LETTER // `_` may start a word, as a letter
for (const c of '=.-') CLASS[c.charCodeAt(0)] = WORD

/** ASCII letters (not `_`): the characters of a dimension name in factors. */
const isAlpha = (c: number): boolean => CLASS[c] === LETTER && c !== UNDERSCORE

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

/** Per-level slot bits: which loop directives a level was given. */
const HAS_TEMPORAL = 1
const HAS_SPATIAL = 2

/**
 * Tensor lists and permutations are bit masks of 31-bit integers; designs with more tensors or
 * dimensions than this (none in practice) are left to the other readers.
 */
const MAX_MASK_BITS = 30

/** Thrown to give up on a text; caught by {@link readMappingText}. */
const OUTSIDE = new Error('outside the mapping-text subset')

/** Whether `t[a, a + word.length)` is `word`, by character code. */
const spellsAt = (t: string, a: number, word: string): boolean => {
  for (let i = 0; i < word.length; i++) if (t.charCodeAt(a + i) !== word.charCodeAt(i)) return false
  return true
}

/** The index of the name of `names` that `t[a, b)` spells, or -1 (lengths compared first). */
const nameAt = (t: string, a: number, b: number, names: readonly string[]): number => {
  const length = b - a
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string
    if (name.length === length && spellsAt(t, a, name)) return i
  }
  return -1
}

/** The directive key `t[a, b)` spells, as its bit, or 0. */
const keyAt = (t: string, a: number, b: number): number => {
  switch (b - a) {
    case 4:
      return spellsAt(t, a, 'type') ? TYPE : spellsAt(t, a, 'keep') ? KEEP : 0
    case 5:
      return spellsAt(t, a, 'split') ? SPLIT : 0
    case 6:
      return spellsAt(t, a, 'target') ? TARGET : spellsAt(t, a, 'bypass') ? BYPASS : spellsAt(t, a, 'stream') ? STREAM : 0
    case 7:
      return spellsAt(t, a, 'factors') ? FACTORS : 0
    case 11:
      return spellsAt(t, a, 'permutation') ? PERMUTATION : 0
    default:
      return 0
  }
}

/** The directive type `t[a, b)` spells (`bypass`/`bypassing` are `datatype`), or 0. */
const typeAt = (t: string, a: number, b: number): number => {
  switch (b - a) {
    case 8:
      return spellsAt(t, a, 'temporal') ? TEMPORAL : spellsAt(t, a, 'datatype') ? DATATYPE : 0
    case 7:
      return spellsAt(t, a, 'spatial') ? SPATIAL : 0
    case 6:
      return spellsAt(t, a, 'bypass') ? DATATYPE : 0
    case 9:
      return spellsAt(t, a, 'bypassing') ? DATATYPE : 0
    default:
      return 0
  }
}

/**
 * Whether `t[a, b)` is a plain word YAML reads as a string (not a number, boolean or null).
 * Words starting with a letter that YAML 1.2's core schema (what `yaml` reads; the subset has
 * no `%YAML` directive to change it) resolves otherwise are spellings of true, false and null,
 * refused here in any case; every other such word is a string (`N` and `y` too, which YAML 1.1
 * read as booleans).
 */
const isWord = (t: string, a: number, b: number): boolean => {
  if (a >= b || CLASS[t.charCodeAt(a)] !== LETTER) return false
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

/**
 * What the reader needs of one design, prepared once per mapping context, and the scratch
 * state of the row being read (typed arrays reused from row to row; a row never calls out, so
 * no two reads interleave).
 */
class MappingTextPlan {
  readonly supported: boolean
  private readonly context: MappingContext
  private readonly dims: readonly string[]
  private readonly dimCount: number
  /** Single-character dimension names by character code → dimension index, or -1. */
  private readonly dimByCode = new Int16Array(128).fill(-1)
  private readonly bounds: Float64Array
  private readonly levelNames: readonly string[]
  private readonly levelCount: number
  private readonly spatialLevels: Uint8Array
  private readonly tensors: readonly string[]
  private readonly tensorCount: number

  // The row: per level (index level · dimCount + dim for factors and permutations).
  private readonly slots: Uint8Array
  private readonly temporal: Float64Array
  private readonly spatial: Float64Array
  /** Given permutations as dimension indices, inner → outer, and their lengths (-1 = none). */
  private readonly temporalOrder: Int8Array
  private readonly temporalOrderLength: Int8Array
  private readonly spatialOrder: Int8Array
  private readonly spatialOrderLength: Int8Array
  /** The spatial split given, or -1. */
  private readonly split: Int32Array
  /** Tensor lists: a bit mask per level, and the tensors in the order first listed. */
  private readonly listMask: Int32Array
  private readonly listOrder: Uint8Array
  private readonly listLength: Uint8Array

  // The directive being read.
  private keys = 0
  private level = -1
  private type = 0
  private splitValue = 0
  private readonly factors: Float64Array
  private readonly order: Int8Array
  private orderLength = -1
  /** keep, bypass, stream: a mask and the order of each (index list · tensorCount + i). */
  private readonly directiveMask = new Int32Array(3)
  private readonly directiveOrder: Uint8Array
  private readonly directiveLength = new Uint8Array(3)

  constructor(context: MappingContext) {
    this.context = context
    const dims = context.problem.dimensions
    this.dims = dims
    const D = dims.length
    this.dimCount = D
    for (let d = D - 1; d >= 0; d--) {
      const dim = dims[d] as string
      // Backwards so that the first of equal names wins, as nameAt's search does.
      if (dim.length === 1 && dim.charCodeAt(0) < 128) this.dimByCode[dim.charCodeAt(0)] = d
    }
    this.bounds = Float64Array.from(dims, (dim) => context.problem.bounds[dim] ?? 1)
    this.levelNames = context.levelNames
    const L = context.levelNames.length
    this.levelCount = L
    this.spatialLevels = Uint8Array.from(context.spatialLevels, (spatial) => (spatial ? 1 : 0))
    this.tensors = [...context.tensors]
    const T = this.tensors.length
    this.tensorCount = T
    this.supported = D <= MAX_MASK_BITS && T <= MAX_MASK_BITS
    this.slots = new Uint8Array(L)
    this.temporal = new Float64Array(L * D)
    this.spatial = new Float64Array(L * D)
    this.temporalOrder = new Int8Array(L * D)
    this.temporalOrderLength = new Int8Array(L)
    this.spatialOrder = new Int8Array(L * D)
    this.spatialOrderLength = new Int8Array(L)
    this.split = new Int32Array(L)
    this.listMask = new Int32Array(3 * L)
    this.listOrder = new Uint8Array(3 * L * T)
    this.listLength = new Uint8Array(3 * L)
    this.factors = new Float64Array(D)
    this.order = new Int8Array(D)
    this.directiveOrder = new Uint8Array(3 * T)
  }

  /** The dimension `t[a, b)` names (letters only), or -1. */
  private dimAt(t: string, a: number, b: number): number {
    if (b - a === 1) return this.dimByCode[t.charCodeAt(a)] ?? -1
    return nameAt(t, a, b, this.dims)
  }

  /** The mapping `t` describes; throws {@link OUTSIDE} for anything outside the subset. */
  read(t: string): MappingSpec {
    this.slots.fill(0)
    this.listMask.fill(0)
    this.listLength.fill(0)
    const length = t.length
    let header = false
    let dash = -1
    let inBlock = false
    for (let start = 0; start < length; ) {
      let end = t.indexOf(NEWLINE, start)
      if (end < 0) end = length
      const next = end + 1
      while (end > start && t.charCodeAt(end - 1) === SPACE) end--
      if (end === start) {
        start = next
        continue
      }
      if (!header) {
        // The first line that is not blank: `mapping:` at the start of the line.
        if (end - start !== 8 || !spellsAt(t, start, 'mapping:')) throw OUTSIDE
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
        this.startDirective()
        const a = rest + 2
        if (t.charCodeAt(a) === OPEN_MAP) {
          const close = end - 1
          if (t.charCodeAt(close) !== CLOSE_MAP) throw OUTSIDE
          let i = a + 1
          for (;;) {
            while (i < close && t.charCodeAt(i) === SPACE) i++
            i = this.entry(t, i, close, true)
            while (i < close && t.charCodeAt(i) === SPACE) i++
            if (i === close) break
            if (t.charCodeAt(i) !== COMMA) throw OUTSIDE
            i++
          }
          this.apply()
          inBlock = false
        } else {
          this.entry(t, a, end, false)
          inBlock = true
        }
      } else {
        // A continuation line of the current block map: indented past the dash by two.
        if (!inBlock || indent !== dash + 2) throw OUTSIDE
        this.entry(t, rest, end, false)
      }
      start = next
    }
    if (inBlock) this.apply()
    if (dash === -1) throw OUTSIDE
    this.resolveFactors()
    return this.mapping()
  }

  private startDirective(): void {
    this.keys = 0
    this.level = -1
    this.type = 0
    this.orderLength = -1
    const mask = this.directiveMask
    mask[0] = 0
    mask[1] = 0
    mask[2] = 0
    const length = this.directiveLength
    length[0] = 0
    length[1] = 0
    length[2] = 0
  }

  /**
   * Reads `key: value` from `a` (the key's first character) into the directive; the value ends
   * at `b` (block) or at the next `,` (flow, where `t[b]` is the closing `}`). Returns where the
   * value stopped.
   */
  private entry(t: string, a: number, b: number, flow: boolean): number {
    let i = a
    while (i < b && isAlpha(t.charCodeAt(i))) i++
    if (i + 1 >= b || t.charCodeAt(i) !== COLON || t.charCodeAt(i + 1) !== SPACE) throw OUTSIDE
    const key = keyAt(t, a, i)
    if (key === 0 || (this.keys & key) !== 0) throw OUTSIDE
    this.keys |= key
    i += 2
    while (i < b && t.charCodeAt(i) === SPACE) i++
    if (i >= b) throw OUTSIDE
    if (key === FACTORS) return this.factorsAt(t, i, b, flow)
    if (key === KEEP || key === BYPASS || key === STREAM) {
      // Lists only in block items, alone on the rest of the line.
      if (flow || t.charCodeAt(i) !== OPEN_LIST || t.charCodeAt(b - 1) !== CLOSE_LIST) throw OUTSIDE
      this.tensorList(t, i, b, key === KEEP ? 0 : key === BYPASS ? 1 : 2)
      return b
    }
    // A plain scalar: to `b`, or to the next `,` in a flow map; `end` drops trailing spaces.
    let end = i
    let stop = i
    for (; stop < b; stop++) {
      const c = t.charCodeAt(stop)
      if (c === SPACE) continue
      if (flow && c === COMMA) break
      if (CLASS[c] === 0) throw OUTSIDE
      end = stop + 1
    }
    if (key === TARGET) {
      if (!isWord(t, i, end)) throw OUTSIDE
      this.level = nameAt(t, i, end, this.levelNames)
      if (this.level < 0) throw OUTSIDE
    } else if (key === TYPE) {
      this.type = typeAt(t, i, end)
      if (this.type === 0) throw OUTSIDE
    } else if (key === PERMUTATION) {
      this.permutation(t, i, end)
    } else {
      this.splitValue = integerAt(t, i, end)
      if (this.splitValue < 0 || this.splitValue > this.dimCount) throw OUTSIDE
    }
    return stop
  }

  /**
   * `M=4 N1 K=0` from `a` (a non-space) → the directive's factors by dimension index (UNSET
   * where not given); each a divisor of its bound or 0. Stops at `b` or, in a flow map, at a
   * `,`; returns that position.
   */
  private factorsAt(t: string, a: number, b: number, flow: boolean): number {
    const factors = this.factors
    factors.fill(UNSET)
    const bounds = this.bounds
    let i = a
    for (;;) {
      const nameFrom = i
      while (i < b && isAlpha(t.charCodeAt(i))) i++
      const dim = this.dimAt(t, nameFrom, i)
      if (dim < 0 || factors[dim] !== UNSET) throw OUTSIDE
      if (i < b && t.charCodeAt(i) === EQUALS) i++
      const valueFrom = i
      let value = 0
      for (; i < b; i++) {
        const c = t.charCodeAt(i)
        if (c < 48 || c > 57) break
        value = value * 10 + (c - 48)
      }
      if (i === valueFrom || i - valueFrom > 15) throw OUTSIDE
      if (value !== 0 && (bounds[dim] as number) % value !== 0) throw OUTSIDE
      factors[dim] = value
      if (i === b) return b
      let c = t.charCodeAt(i)
      if (flow && c === COMMA) return i
      if (c !== SPACE) throw OUTSIDE
      while (i < b && t.charCodeAt(i) === SPACE) i++
      if (i === b) return b
      c = t.charCodeAt(i)
      if (flow && c === COMMA) return i
    }
  }

  /** `KMN` (one letter per dimension) or a lone multi-letter dimension → the directive's order. */
  private permutation(t: string, a: number, b: number): void {
    if (!isWord(t, a, b)) throw OUTSIDE
    const order = this.order
    if (b - a > 1) {
      const whole = nameAt(t, a, b, this.dims)
      if (whole >= 0) {
        order[0] = whole
        this.orderLength = 1
        return
      }
    }
    if (b - a > this.dimCount) throw OUTSIDE
    let seen = 0
    for (let i = a; i < b; i++) {
      const dim = this.dimByCode[t.charCodeAt(i)] ?? -1
      if (dim < 0 || (seen & (1 << dim)) !== 0) throw OUTSIDE
      seen |= 1 << dim
      order[i - a] = dim
    }
    this.orderLength = b - a
  }

  /** `[A, B]` in `t[a, b)` (`t[a]` is `[`, `t[b - 1]` is `]`): known tensor names, into list `list`. */
  private tensorList(t: string, a: number, b: number, list: number): void {
    let i = a + 1
    const end = b - 1
    while (i < end && t.charCodeAt(i) === SPACE) i++
    if (i === end) return
    const tensors = this.tensors
    const T = this.tensorCount
    for (;;) {
      while (i < end && t.charCodeAt(i) === SPACE) i++
      const from = i
      for (; i < end; i++) {
        const c = t.charCodeAt(i)
        if (c === COMMA) break
        if (c !== SPACE && CLASS[c] === 0) throw OUTSIDE
      }
      let to = i
      while (to > from && t.charCodeAt(to - 1) === SPACE) to--
      if (!isWord(t, from, to)) throw OUTSIDE
      const tensor = nameAt(t, from, to, tensors)
      if (tensor < 0) throw OUTSIDE
      const bit = 1 << tensor
      const mask = this.directiveMask[list] as number
      if ((mask & bit) === 0) {
        // Repeats are dropped here as the levels' lists drop them.
        this.directiveMask[list] = mask | bit
        const n = this.directiveLength[list] as number
        this.directiveOrder[list * T + n] = tensor
        this.directiveLength[list] = n + 1
      }
      if (i === end) return
      i++ // the comma
    }
  }

  /** Adds the directive read to its level, as parseMappingSectionFast does. */
  private apply(): void {
    const keys = this.keys
    if ((keys & (TARGET | TYPE)) !== (TARGET | TYPE)) throw OUTSIDE
    const type = this.type
    const allowed = type === TEMPORAL ? TEMPORAL_KEYS : type === SPATIAL ? SPATIAL_KEYS : DATATYPE_KEYS
    if ((keys & ~allowed) !== 0) throw OUTSIDE
    const level = this.level
    if (type === DATATYPE) {
      // keep, then bypass (a tensor both kept and bypassed is an error), then stream.
      for (let list = 0; list < 3; list++) {
        const other = list === 0 ? 1 : list === 1 ? 0 : -1
        const otherMask = other < 0 ? 0 : (this.listMask[3 * level + other] as number)
        const n = this.directiveLength[list] as number
        for (let k = 0; k < n; k++) {
          const tensor = this.directiveOrder[list * this.tensorCount + k] as number
          const bit = 1 << tensor
          if ((otherMask & bit) !== 0) throw OUTSIDE
          const slot = 3 * level + list
          const mask = this.listMask[slot] as number
          if ((mask & bit) !== 0) continue
          this.listMask[slot] = mask | bit
          const length = this.listLength[slot] as number
          this.listOrder[slot * this.tensorCount + length] = tensor
          this.listLength[slot] = length + 1
        }
      }
      return
    }
    const D = this.dimCount
    const slots = this.slots[level] as number
    const given = (keys & FACTORS) !== 0
    let factors: Float64Array
    let order: Int8Array
    if (type === TEMPORAL) {
      if ((slots & HAS_TEMPORAL) !== 0) throw OUTSIDE
      this.slots[level] = slots | HAS_TEMPORAL
      factors = this.temporal
      order = this.temporalOrder
      this.temporalOrderLength[level] = this.orderLength
    } else {
      if (this.spatialLevels[level] === 0 || (slots & HAS_SPATIAL) !== 0) throw OUTSIDE
      this.slots[level] = slots | HAS_SPATIAL
      factors = this.spatial
      order = this.spatialOrder
      this.spatialOrderLength[level] = this.orderLength
      this.split[level] = (keys & SPLIT) !== 0 ? this.splitValue : -1
    }
    const base = level * D
    for (let d = 0; d < D; d++) factors[base + d] = given ? (this.factors[d] as number) : UNSET
    for (let k = 0; k < this.orderLength; k++) order[base + k] = this.order[k] as number
  }

  /**
   * `D=0` is the rest of the bound; every dimension's factors multiply to its bound (the same
   * products in the same order as finishFastLevels).
   */
  private resolveFactors(): void {
    const D = this.dimCount
    const L = this.levelCount
    const { slots, temporal, spatial, bounds } = this
    for (let d = 0; d < D; d++) {
      const bound = bounds[d] as number
      let product = 1
      let zero = -1
      let zeroIn: Float64Array = temporal
      for (let level = 0; level < L; level++) {
        const given = slots[level] as number
        const at = level * D + d
        if ((given & HAS_TEMPORAL) !== 0) {
          const factor = temporal[at] as number
          if (factor === 0) {
            if (zero >= 0) throw OUTSIDE
            zero = at
            zeroIn = temporal
          } else if (factor !== UNSET) product *= factor
        }
        if ((given & HAS_SPATIAL) !== 0) {
          const factor = spatial[at] as number
          if (factor === 0) {
            if (zero >= 0) throw OUTSIDE
            zero = at
            zeroIn = spatial
          } else if (factor !== UNSET) product *= factor
        }
      }
      if (zero >= 0) {
        if (bound % product !== 0) throw OUTSIDE
        zeroIn[zero] = bound / product
        product = bound
      }
      if (product !== bound) throw OUTSIDE
    }
  }

  /** A level's factors as a record over the problem's dimensions (missing = 1). */
  private factorRecord(factors: Float64Array, level: number, given: boolean): Record<string, number> {
    const record: Record<string, number> = {}
    const dims = this.dims
    const base = level * this.dimCount
    for (let d = 0; d < dims.length; d++) {
      const factor = given ? (factors[base + d] as number) : UNSET
      record[dims[d] as string] = factor === UNSET ? 1 : factor
    }
    return record
  }

  /** A level's permutation (inner → outer), padded with the missing dimensions in problem order. */
  private permutationList(order: Int8Array, level: number, length: number): string[] {
    const dims = this.dims
    const out: string[] = []
    const base = level * this.dimCount
    let seen = 0
    for (let k = 0; k < length; k++) {
      const d = order[base + k] as number
      seen |= 1 << d
      out.push(dims[d] as string)
    }
    for (let d = 0; d < dims.length; d++) if ((seen & (1 << d)) === 0) out.push(dims[d] as string)
    return out
  }

  /** A level's tensor list `list` (0 keep, 1 bypass, 2 stream), in the order first listed. */
  private tensorNames(level: number, list: number): string[] {
    const slot = 3 * level + list
    const out: string[] = []
    const n = this.listLength[slot] as number
    const base = slot * this.tensorCount
    for (let k = 0; k < n; k++) out.push(this.tensors[this.listOrder[base + k] as number] as string)
    return out
  }

  private mapping(): MappingSpec {
    const levels: LevelMappingSpec[] = []
    const D = this.dimCount
    for (let level = 0; level < this.levelCount; level++) {
      const slots = this.slots[level] as number
      const temporal = (slots & HAS_TEMPORAL) !== 0
      const spatial = (slots & HAS_SPATIAL) !== 0
      const split = spatial ? (this.split[level] as number) : -1
      levels.push({
        target: this.levelNames[level] as string,
        temporalFactors: this.factorRecord(this.temporal, level, temporal),
        temporalPermutation: this.permutationList(this.temporalOrder, level, temporal ? (this.temporalOrderLength[level] as number) : 0),
        spatialFactors: this.factorRecord(this.spatial, level, spatial),
        spatialPermutation: this.permutationList(this.spatialOrder, level, spatial ? (this.spatialOrderLength[level] as number) : 0),
        spatialSplit: split < 0 ? D : split,
        keep: this.tensorNames(level, 0),
        bypass: this.tensorNames(level, 1),
        stream: this.tensorNames(level, 2),
      })
    }
    return { levels }
  }
}

/** `t[a, b)` as a YAML integer (digits only, no leading zero, at most 15 digits), or -1. */
const integerAt = (t: string, a: number, b: number): number => {
  if (a >= b || b - a > 15 || (t.charCodeAt(a) === 48 && b - a > 1)) return -1
  let value = 0
  for (let i = a; i < b; i++) {
    const c = t.charCodeAt(i)
    if (c < 48 || c > 57) return -1
    value = value * 10 + (c - 48)
  }
  return value
}

/** The reader prepared for each mapping context (contexts are themselves cached per design). */
const plans = new WeakMap<MappingContext, MappingTextPlan>()

/**
 * The mapping a Timeloop mapping text describes, when the text is in the subset this reader
 * covers and the general path would read it without error; undefined otherwise (the caller then
 * takes the general path, which also reports errors).
 */
export const readMappingText = (text: string, context: MappingContext): MappingSpec | undefined => {
  let plan = plans.get(context)
  if (plan === undefined) {
    plan = new MappingTextPlan(context)
    plans.set(context, plan)
  }
  if (!plan.supported) return undefined
  try {
    return plan.read(text)
  } catch (error) {
    if (error === OUTSIDE) return undefined
    throw error
  }
}

// The `evaluate --mappings` reader: mapping text straight to a MappingSpec in one pass over its
// bytes, for the subset Timeloop mapping rows are written in (`mapping:` then
// `- {target: X, type: temporal, factors: M=4 N1, permutation: MNK}` flow items or `- key: value`
// block items whose values are plain words, integers or `[A, B]` lists of tensor names).
//
// Issue 12 wants 50 µs per row for the whole `--mappings` pipeline, and reading the mapping cost
// ~36 µs of it while the first version of this reader made a directive object, factor,
// permutation and tensor arrays per directive and per-level accumulators per row, found lines
// with indexOf and scanned each value twice (once to find its end, once to read it). Now:
// - what depends only on the design (level, dimension and tensor names, bounds, spatial levels)
//   is prepared once per mapping context (a {@link MappingTextPlan});
// - the text is copied once into a reused byte buffer (TextEncoder.encodeInto; any non-ASCII
//   character is outside the subset) and read forward without finding lines first: keys are
//   told by their first letter and checked 4 bytes at a time, the usual values (level names,
//   types, factors, one-letter permutations) are read where they start, in one pass; only
//   other values are scanned to their end first;
// - a row is read into the plan's typed arrays (factors, permutations as dimension indices,
//   tensor lists as bit masks plus first-seen order), and the only objects made are the
//   MappingSpec's own.
//
// It is stricter than YAML: anything outside the subset (quotes, comments, tabs, other spacing
// after a dash, nested flow collections, keys other than the directive keys, unknown names, a
// value the general reader would refuse…) answers undefined and the caller takes the general
// path (`yaml`, then the section reader), which gives the result or the precise error. Wherever
// it answers, the result equals that path's (mapping-text.test.ts: every shared row, generated
// and mutated rows).
import type { LevelMappingSpec, MappingSpec } from '@snipsnap/core'
import { type MappingContext, UNSET } from './mapping'

// TextEncoder exists in every runtime we target (Node, browsers, workers); the library is built
// without DOM or Node typings, so only what is used is declared.
declare const TextEncoder: new () => {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number }
}

const NEWLINE = 10
const SPACE = 32
const COMMA = 44
const DASH = 45
const EQUALS = 61
const OPEN_LIST = 91
const CLOSE_LIST = 93
const UNDERSCORE = 95
const OPEN_MAP = 123
const CLOSE_MAP = 125

/** Byte classes (ASCII; everything else is outside the subset). */
const LETTER = 1
const DIGIT = 2
/** Characters a plain word may hold after its first (`_`, `=`, `.`, `-`; space is handled apart). */
const WORD = 4
const CLASS = new Uint8Array(256)
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT
CLASS[UNDERSCORE] = LETTER // `_` may start a word, as a letter
for (const c of '=.-') CLASS[c.charCodeAt(0)] = WORD

/** How a scalar value's scan takes each byte: part of it, a space, or where it may stop. */
const SCAN_VALUE = 1
const SCAN_SPACE = 2
const SCAN_NEWLINE = 4
/** `,` and `}`, which end a value in a flow map. */
const SCAN_FLOW_END = 8
const SCAN = new Uint8Array(256)
for (let c = 0; c < 256; c++) if (CLASS[c] !== 0) SCAN[c] = SCAN_VALUE
SCAN[SPACE] = SCAN_SPACE
SCAN[NEWLINE] = SCAN_NEWLINE
SCAN[COMMA] = SCAN_FLOW_END
SCAN[CLOSE_MAP] = SCAN_FLOW_END

// Directive keys, as bits.
const TARGET = 1
const TYPE = 2
const FACTORS = 4
const PERMUTATION = 8
const SPLIT = 16
const KEEP = 32
const BYPASS = 64
const STREAM = 128
const LISTS = KEEP | BYPASS | STREAM
const TEMPORAL_KEYS = TARGET | TYPE | FACTORS | PERMUTATION
const SPATIAL_KEYS = TEMPORAL_KEYS | SPLIT
const DATATYPE_KEYS = TARGET | TYPE | LISTS
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

/**
 * A word to compare against the text 4 bytes at a time: its bytes as little-endian 32-bit
 * chunks, the last one masked to the word's remaining bytes (reading past a word is safe: the
 * buffer has {@link PADDING} bytes after the text's newline).
 */
interface Spelling {
  readonly length: number
  readonly chunks: Int32Array
  readonly masks: Int32Array
  /** The first two chunks and masks as fields (most words are at most 8 bytes): read without a loop. */
  readonly chunk0: number
  readonly mask0: number
  readonly chunk1: number
  readonly mask1: number
}

const spellingOf = (word: string): Spelling => {
  const count = Math.ceil(word.length / 4)
  const chunks = new Int32Array(count)
  const masks = new Int32Array(count)
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i)
    // Non-ASCII names can never match (the buffer holds ASCII texts only): an impossible chunk.
    chunks[i >> 2] = (chunks[i >> 2] as number) | ((code < 128 ? code : 0xff) << (8 * (i & 3)))
    masks[i >> 2] = (masks[i >> 2] as number) | (0xff << (8 * (i & 3)))
  }
  // A word of up to 4 bytes has no second chunk: mask 0 and chunk 0 always compare equal.
  return { length: word.length, chunks, masks, chunk0: chunks[0] ?? 0, mask0: masks[0] ?? 0, chunk1: chunks[1] ?? 0, mask1: masks[1] ?? 0 }
}

/** Whether the bytes at `p` spell `s` (the caller knows the bytes are there or padding). */
const spelledAt = (view: DataView, p: number, s: Spelling): boolean => {
  if ((view.getInt32(p, true) & s.mask0) !== s.chunk0) return false
  if ((view.getInt32(p + 4, true) & s.mask1) !== s.chunk1) return false
  const { chunks, masks } = s
  for (let k = 2; k < chunks.length; k++) {
    if ((view.getInt32(p + 4 * k, true) & (masks[k] as number)) !== chunks[k]) return false
  }
  return true
}

/**
 * Words by their first byte, for reading a value where it starts: for each byte, the indices
 * of the words that start with it. Only words the scan of a plain value could give are listed
 * (a letter first, then letters, digits, `_=.-` or inner spaces, and not true/false/null):
 * others are left to that scan, which then refuses them.
 */
interface WordIndex {
  readonly spellings: readonly Spelling[]
  readonly byFirst: readonly (readonly number[] | undefined)[]
}

const isPlainWord = (word: string): boolean => {
  if (word.length === 0 || word.charCodeAt(word.length - 1) === SPACE) return false
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i)
    if (c >= 128 || (CLASS[c] === 0 && c !== SPACE)) return false
  }
  return CLASS[word.charCodeAt(0)] === LETTER && !/^(true|false|null)$/i.test(word)
}

const wordIndexOf = (words: readonly string[]): WordIndex => {
  const byFirst: number[][] = []
  words.forEach((word, i) => {
    if (!isPlainWord(word)) return
    ;(byFirst[word.charCodeAt(0)] ??= []).push(i)
  })
  return { spellings: words.map(spellingOf), byFirst: Array.from({ length: 256 }, (_, c) => byFirst[c]) }
}

/**
 * The index of the word of `index` that starts at `p` and is followed by spaces and then the
 * end of the value (a newline, or `,`/`}` when `flow`), or -1; `wordEnd` is then where the
 * value stopped. A value is one word when it is that word followed by spaces at most.
 */
let wordEnd = 0
const wordAt = (b: Uint8Array, view: DataView, p: number, index: WordIndex, flow: boolean): number => {
  const candidates = index.byFirst[b[p] as number]
  if (candidates === undefined) return -1
  for (let k = 0; k < candidates.length; k++) {
    const word = candidates[k] as number
    const spelling = index.spellings[word] as Spelling
    if (!spelledAt(view, p, spelling)) continue
    let q = p + spelling.length
    while (b[q] === SPACE) q++
    const c = b[q]
    if (c === NEWLINE || (flow && (c === COMMA || c === CLOSE_MAP))) {
      wordEnd = q
      return word
    }
  }
  return -1
}

/** The index of the spelling of `names` that `b[a, e)` is, or -1 (lengths compared first). */
const nameAt = (view: DataView, a: number, e: number, names: readonly Spelling[]): number => {
  const length = e - a
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as Spelling
    if (name.length === length && spelledAt(view, a, name)) return i
  }
  return -1
}

/**
 * Whether `b[a, e)` (a scanned value: letters, digits, `_=.-` and inner spaces) is a plain word
 * YAML reads as a string (not a number, boolean or null). Words starting with a letter that
 * YAML 1.2's core schema (what `yaml` reads; the subset has no `%YAML` directive to change it)
 * resolves otherwise are spellings of true, false and null, refused here in any case; every
 * other such word is a string (`N` and `y` too, which YAML 1.1 read as booleans).
 */
const isWord = (b: Uint8Array, a: number, e: number): boolean => {
  if (a >= e || CLASS[b[a] as number] !== LETTER) return false
  // true, false, null in any case (`| 32` lowers an ASCII letter).
  const length = e - a
  if (length === 4 || length === 5) {
    const word = length === 5 ? 'false' : ((b[a] as number) | 32) === 116 ? 'true' : 'null'
    let i = 0
    while (i < length && ((b[a + i] as number) | 32) === word.charCodeAt(i)) i++
    if (i === length) return false
  }
  return true
}

const TYPE_NAMES = ['temporal', 'spatial', 'datatype', 'bypass', 'bypassing']
const TYPE_WORDS = TYPE_NAMES.map(spellingOf)
const TYPE_OF_WORD = [TEMPORAL, SPATIAL, DATATYPE, DATATYPE, DATATYPE]
const TYPE_INDEX = wordIndexOf(TYPE_NAMES)

/** The directive type `b[a, e)` spells (`bypass`/`bypassing` are `datatype`), or 0. */
const typeAt = (view: DataView, a: number, e: number): number => {
  const word = nameAt(view, a, e, TYPE_WORDS)
  return word < 0 ? 0 : (TYPE_OF_WORD[word] as number)
}

/** `b[a, e)` as a YAML integer (digits only, no leading zero, at most 15 digits), or -1. */
const integerAt = (b: Uint8Array, a: number, e: number): number => {
  if (a >= e || e - a > 15 || (b[a] === 48 && e - a > 1)) return -1
  let value = 0
  for (let i = a; i < e; i++) {
    const c = b[i] as number
    if (c < 48 || c > 57) return -1
    value = value * 10 + (c - 48)
  }
  return value
}

/**
 * The text's bytes, a newline after them (so that scans stop without bounds checks), and
 * padding for the 4-byte comparisons; grown as needed.
 */
const PADDING = 32
let buffer = new Uint8Array(2048)
let view = new DataView(buffer.buffer)
let encoder: InstanceType<typeof TextEncoder> | undefined

/**
 * What the reader needs of one design, prepared once per mapping context, and the scratch
 * state of the row being read (typed arrays reused from row to row; a row never calls out, so
 * no two reads interleave).
 */
class MappingTextPlan {
  readonly supported: boolean
  readonly dims: readonly string[]
  readonly dimCount: number
  /** Single-character dimension names by character code → dimension index, or -1. */
  readonly dimByCode = new Int8Array(256).fill(-1)
  /** Whether some dimension name is longer than a character (then permutations may name it whole). */
  readonly longDims: boolean
  readonly bounds: Float64Array
  readonly levelNames: readonly string[]
  readonly levelSpellings: readonly Spelling[]
  readonly levelWords: WordIndex
  readonly levelCount: number
  readonly spatialLevels: Uint8Array
  readonly tensors: readonly string[]
  readonly tensorSpellings: readonly Spelling[]
  readonly tensorCount: number
  readonly dimSpellings: readonly Spelling[]
  /** Bounds as 32-bit integers when all fit (then divisibility is an integer remainder), else empty. */
  readonly bounds32: Int32Array

  // The row, per level (index level · dimCount + dim for factors and permutations).
  readonly slots: Uint8Array
  readonly temporal: Float64Array
  readonly spatial: Float64Array
  /** Given permutations as dimension indices, inner → outer, and their lengths (-1 = none). */
  readonly temporalOrder: Int8Array
  readonly temporalOrderLength: Int8Array
  readonly spatialOrder: Int8Array
  readonly spatialOrderLength: Int8Array
  /** The spatial split given, or -1. */
  readonly split: Int32Array
  /** Tensor lists (keep, bypass, stream at 3 · level + list): a bit mask, and the tensors in the order first listed. */
  readonly listMask: Int32Array
  readonly listOrder: Uint8Array
  readonly listLength: Uint8Array

  // The directive being read.
  keys = 0
  level = -1
  type = 0
  splitValue = 0
  readonly factors: Float64Array
  readonly order: Int8Array
  orderLength = -1
  /** keep, bypass, stream of the directive: a mask and the order of each (list · tensorCount + i). */
  readonly directiveMask = new Int32Array(3)
  readonly directiveOrder: Uint8Array
  readonly directiveLength = new Uint8Array(3)

  constructor(context: MappingContext) {
    const dims = context.problem.dimensions
    this.dims = dims
    const D = dims.length
    this.dimCount = D
    for (let d = D - 1; d >= 0; d--) {
      const dim = dims[d] as string
      // Backwards so that the first of equal names wins, as nameAt's search does.
      if (dim.length === 1 && dim.charCodeAt(0) < 128) this.dimByCode[dim.charCodeAt(0)] = d
    }
    this.longDims = dims.some((dim) => dim.length > 1)
    this.dimSpellings = dims.map(spellingOf)
    this.bounds = Float64Array.from(dims, (dim) => context.problem.bounds[dim] ?? 1)
    this.bounds32 = this.bounds.every((bound) => bound <= 0x7fffffff) ? Int32Array.from(this.bounds) : new Int32Array(0)
    this.levelNames = context.levelNames
    this.levelSpellings = context.levelNames.map(spellingOf)
    this.levelWords = wordIndexOf(context.levelNames)
    const L = context.levelNames.length
    this.levelCount = L
    this.spatialLevels = Uint8Array.from(context.spatialLevels, (spatial) => (spatial ? 1 : 0))
    this.tensors = [...context.tensors]
    this.tensorSpellings = this.tensors.map(spellingOf)
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
}

/**
 * The mapping of `b[0, n)` (`b[n]` is a newline); throws {@link OUTSIDE} for anything outside
 * the subset. Lines: blank ones anywhere; `mapping:` first; then `- {…}` flow items, or `- key:
 * value` with `key: value` continuation lines two columns past the dash.
 */
const readRow = (plan: MappingTextPlan, b: Uint8Array, view: DataView, n: number): MappingSpec => {
  for (let level = 0; level < plan.levelCount; level++) {
    plan.slots[level] = 0
    for (let list = 3 * level; list < 3 * level + 3; list++) {
      plan.listMask[list] = 0
      plan.listLength[list] = 0
    }
  }
  let header = false
  let dash = -1
  let inBlock = false
  let p = 0
  while (p < n) {
    const lineStart = p
    while (b[p] === SPACE) p++
    if (b[p] === NEWLINE) {
      // A blank line (or trailing spaces at the end of the text).
      p++
      continue
    }
    const indent = p - lineStart
    if (!header) {
      // The first line that is not blank: `mapping:` at the start of the line.
      if (indent !== 0 || !spelledAt(view, p, HEADER)) throw OUTSIDE
      p += 8
      while (b[p] === SPACE) p++
      if (b[p] !== NEWLINE) throw OUTSIDE
      p++
      header = true
      continue
    }
    if (b[p] === DASH) {
      // `- ` then a flow map or the first key of a block map; one space only, so that the
      // block map's keys line up with the continuation lines' (dash + 2).
      if (b[p + 1] !== SPACE || p + 2 >= n) throw OUTSIDE
      const first = b[p + 2] as number
      if (first === SPACE || first === NEWLINE) throw OUTSIDE
      if (dash === -1) dash = indent
      if (indent !== dash) throw OUTSIDE
      if (inBlock) apply(plan)
      startDirective(plan)
      p += 2
      if (first === OPEN_MAP) {
        p++
        for (;;) {
          while (b[p] === SPACE) p++
          p = entry(plan, b, view, p, true)
          while (b[p] === SPACE) p++
          if (b[p] === CLOSE_MAP) break
          if (b[p] !== COMMA) throw OUTSIDE
          p++
        }
        p++
        while (b[p] === SPACE) p++
        if (b[p] !== NEWLINE) throw OUTSIDE
        apply(plan)
        inBlock = false
      } else {
        p = entry(plan, b, view, p, false)
        inBlock = true
      }
    } else {
      // A continuation line of the current block map: indented past the dash by two.
      if (!inBlock || indent !== dash + 2) throw OUTSIDE
      p = entry(plan, b, view, p, false)
    }
    p++ // the newline
  }
  if (inBlock) apply(plan)
  if (dash === -1) throw OUTSIDE
  resolveFactors(plan)
  return mappingOf(plan)
}

const startDirective = (plan: MappingTextPlan): void => {
  plan.keys = 0
  plan.level = -1
  plan.type = 0
  plan.orderLength = -1
  const mask = plan.directiveMask
  mask[0] = 0
  mask[1] = 0
  mask[2] = 0
  const length = plan.directiveLength
  length[0] = 0
  length[1] = 0
  length[2] = 0
}

const KEY_TARGET = spellingOf('target: ')
const KEY_TYPE = spellingOf('type: ')
const KEY_FACTORS = spellingOf('factors: ')
const KEY_PERMUTATION = spellingOf('permutation: ')
const KEY_SPLIT = spellingOf('split: ')
const KEY_STREAM = spellingOf('stream: ')
const KEY_KEEP = spellingOf('keep: ')
const KEY_BYPASS = spellingOf('bypass: ')
const HEADER = spellingOf('mapping:')

/** Length of each key with its `: `, by key bit. */
const KEY_LENGTH = new Uint8Array(STREAM + 1)
KEY_LENGTH[TARGET] = KEY_TARGET.length
KEY_LENGTH[TYPE] = KEY_TYPE.length
KEY_LENGTH[FACTORS] = KEY_FACTORS.length
KEY_LENGTH[PERMUTATION] = KEY_PERMUTATION.length
KEY_LENGTH[SPLIT] = KEY_SPLIT.length
KEY_LENGTH[KEEP] = KEY_KEEP.length
KEY_LENGTH[BYPASS] = KEY_BYPASS.length
KEY_LENGTH[STREAM] = KEY_STREAM.length

/** The little-endian 32-bit value of 4 ASCII characters of `word` from `at` (for key checks). */
const int32Of = (word: string, at: number): number =>
  word.charCodeAt(at) | (word.charCodeAt(at + 1) << 8) | (word.charCodeAt(at + 2) << 16) | (word.charCodeAt(at + 3) << 24)
const TARG = int32Of('target: ', 0)
const ET = int32Of('target: ', 4)
const TYPE_ = int32Of('type', 0)
const FACT = int32Of('factors: ', 0)
const ORS = int32Of('factors: ', 4)
const PERM = int32Of('permutation: ', 0)
const UTAT = int32Of('permutation: ', 4)
const ION = int32Of('permutation: ', 8)
const SPLI = int32Of('split: ', 0)
const STRE = int32Of('stream: ', 0)
const AM = int32Of('stream: ', 4)
const KEEP_ = int32Of('keep', 0)
const BYPA = int32Of('bypass: ', 0)
const SS = int32Of('bypass: ', 4)
/** `: ` and `t: ` as little-endian 16- and 24-bit values. */
const COLON_SPACE = 0x203a
const T_COLON_SPACE = 0x203a74

/**
 * The directive key at `p` followed by `: `, as its bit (told by its first letters, then
 * checked whole 4 bytes at a time); 0 for anything else. A key is letters, so `target: `
 * there means the key is `target`.
 */
const keyAt = (b: Uint8Array, view: DataView, p: number): number => {
  const head = view.getInt32(p, true)
  switch (b[p]) {
    case 116: // t
      if (head === TARG) return view.getInt32(p + 4, true) === ET ? TARGET : 0
      return head === TYPE_ && view.getUint16(p + 4, true) === COLON_SPACE ? TYPE : 0
    case 102: // f
      return head === FACT && view.getInt32(p + 4, true) === ORS && b[p + 8] === SPACE ? FACTORS : 0
    case 112: // p
      return head === PERM && view.getInt32(p + 4, true) === UTAT && view.getInt32(p + 8, true) === ION && b[p + 12] === SPACE ? PERMUTATION : 0
    case 115: // s
      if (head === SPLI) return (view.getInt32(p + 4, true) & 0xffffff) === T_COLON_SPACE ? SPLIT : 0
      return head === STRE && view.getInt32(p + 4, true) === AM ? STREAM : 0
    case 107: // k
      return head === KEEP_ && view.getUint16(p + 4, true) === COLON_SPACE ? KEEP : 0
    case 98: // b
      return head === BYPA && view.getInt32(p + 4, true) === SS ? BYPASS : 0
    default:
      return 0
  }
}

/**
 * Reads `key: value` from `p` (the key's first character) into the directive. A value ends at
 * the newline (block) or at the next `,` or `}` (flow); returns where it stopped.
 */
const entry = (plan: MappingTextPlan, b: Uint8Array, view: DataView, p: number, flow: boolean): number => {
  const key = keyAt(b, view, p)
  if (key === 0 || (plan.keys & key) !== 0) throw OUTSIDE
  plan.keys |= key
  p += KEY_LENGTH[key] as number
  while (b[p] === SPACE) p++
  const first = b[p] as number
  // Every directive value is non-empty.
  if (first === NEWLINE || (flow && (first === COMMA || first === CLOSE_MAP))) throw OUTSIDE
  if (key === FACTORS) return factorsAt(plan, b, view, p, flow)
  if ((key & LISTS) !== 0) {
    // Lists only in block items, alone on the rest of the line.
    if (flow || first !== OPEN_LIST) throw OUTSIDE
    return tensorList(plan, b, view, p, key === KEEP ? 0 : key === BYPASS ? 1 : 2)
  }
  // The usual values first, read where they start: a level name, a directive type, a
  // permutation of one-letter dimensions. Anything else takes the scan below.
  if (key === TARGET) {
    const level = wordAt(b, view, p, plan.levelWords, flow)
    if (level >= 0) {
      plan.level = level
      return wordEnd
    }
  } else if (key === TYPE) {
    const type = wordAt(b, view, p, TYPE_INDEX, flow)
    if (type >= 0) {
      plan.type = TYPE_OF_WORD[type] as number
      return wordEnd
    }
  } else if (key === PERMUTATION && !plan.longDims) {
    const stop = shortPermutationAt(plan, b, p, flow)
    if (stop >= 0) return stop
  }
  // A plain scalar: to the newline, or to the next `,` or `}` in a flow map; `end` drops
  // trailing spaces.
  const from = p
  let end = p
  const stop = flow ? SCAN_NEWLINE | SCAN_FLOW_END : SCAN_NEWLINE
  for (;; p++) {
    const scan = SCAN[b[p] as number] as number
    if (scan === SCAN_VALUE) end = p + 1
    else if (scan === SCAN_SPACE) continue
    else if ((scan & stop) !== 0) break
    else throw OUTSIDE
  }
  if (key === TARGET) {
    if (!isWord(b, from, end)) throw OUTSIDE
    plan.level = nameAt(view, from, end, plan.levelSpellings)
    if (plan.level < 0) throw OUTSIDE
  } else if (key === TYPE) {
    plan.type = typeAt(view, from, end)
    if (plan.type === 0) throw OUTSIDE
  } else if (key === PERMUTATION) {
    permutation(plan, b, view, from, end)
  } else {
    plan.splitValue = integerAt(b, from, end)
    if (plan.splitValue < 0 || plan.splitValue > plan.dimCount) throw OUTSIDE
  }
  return p
}

/**
 * `M=4 N1 K=0` from `p` (its first character) → the directive's factors by dimension index
 * (UNSET where not given); each a divisor of its bound or 0. Returns where the value stopped
 * (the newline, or a `,` or `}` in a flow map).
 */
const factorsAt = (plan: MappingTextPlan, b: Uint8Array, view: DataView, p: number, flow: boolean): number => {
  const factors = plan.factors
  const D = plan.dimCount
  for (let d = 0; d < D; d++) factors[d] = UNSET
  for (;;) {
    // A dimension name: letters (not `_`).
    const nameFrom = p
    let c = b[p] as number
    while (CLASS[c] === LETTER && c !== UNDERSCORE) c = b[++p] as number
    const dim = p - nameFrom === 1 ? (plan.dimByCode[b[nameFrom] as number] as number) : nameAt(view, nameFrom, p, plan.dimSpellings)
    if (dim < 0 || factors[dim] !== UNSET) throw OUTSIDE
    if (c === EQUALS) c = b[++p] as number
    const valueFrom = p
    let value = 0
    while (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48)
      c = b[++p] as number
    }
    if (p === valueFrom || p - valueFrom > 15) throw OUTSIDE
    // An integer remainder where the bound and the factor are 32-bit (a float one calls fmod).
    if (value > 1) {
      const bound32 = plan.bounds32
      if (bound32.length > 0 && value <= 0x7fffffff ? (bound32[dim] as number) % value !== 0 : (plan.bounds[dim] as number) % value !== 0) throw OUTSIDE
    }
    factors[dim] = value
    // Then the end of the value, or spaces and another term.
    if (c === NEWLINE || (flow && (c === COMMA || c === CLOSE_MAP))) return p
    if (c !== SPACE) throw OUTSIDE
    while (c === SPACE) c = b[++p] as number
    if (c === NEWLINE || (flow && (c === COMMA || c === CLOSE_MAP))) return p
  }
}

/**
 * A permutation of one-letter dimensions (`KMN`) read where it starts, followed by spaces and
 * the end of the value: the position where the value stopped, or -1 when it is not one.
 */
const shortPermutationAt = (plan: MappingTextPlan, b: Uint8Array, p: number, flow: boolean): number => {
  const from = p
  const order = plan.order
  const D = plan.dimCount
  let seen = 0
  for (;;) {
    const dim = plan.dimByCode[b[p] as number] as number
    if (dim < 0 || (seen & (1 << dim)) !== 0 || p - from >= D) break
    seen |= 1 << dim
    order[p - from] = dim
    p++
  }
  const end = p
  while (b[p] === SPACE) p++
  const c = b[p]
  if (!(c === NEWLINE || (flow && (c === COMMA || c === CLOSE_MAP)))) return -1
  // One-letter dimension names that spell true, false or null are a boolean or null in YAML.
  if (!isWord(b, from, end)) return -1
  plan.orderLength = end - from
  return p
}

/** `KMN` (one letter per dimension) or a lone multi-letter dimension → the directive's order. */
const permutation = (plan: MappingTextPlan, b: Uint8Array, view: DataView, a: number, e: number): void => {
  if (!isWord(b, a, e)) throw OUTSIDE
  const order = plan.order
  if (plan.longDims && e - a > 1) {
    const whole = nameAt(view, a, e, plan.dimSpellings)
    if (whole >= 0) {
      order[0] = whole
      plan.orderLength = 1
      return
    }
  }
  if (e - a > plan.dimCount) throw OUTSIDE
  let seen = 0
  for (let i = a; i < e; i++) {
    const dim = plan.dimByCode[b[i] as number] as number
    if (dim < 0 || (seen & (1 << dim)) !== 0) throw OUTSIDE
    seen |= 1 << dim
    order[i - a] = dim
  }
  plan.orderLength = e - a
}

/**
 * `[A, B]` from `p` (the `[`) → known tensor names into the directive's list `list` (0 keep,
 * 1 bypass, 2 stream); only spaces may follow on the line. Returns the newline's position.
 */
const tensorList = (plan: MappingTextPlan, b: Uint8Array, view: DataView, p: number, list: number): number => {
  p++
  while (b[p] === SPACE) p++
  if (b[p] === CLOSE_LIST) p++
  else {
    for (;;) {
      while (b[p] === SPACE) p++
      const from = p
      let c = b[p] as number
      while (c !== COMMA && c !== CLOSE_LIST) {
        if (c !== SPACE && CLASS[c] === 0) throw OUTSIDE
        c = b[++p] as number
      }
      let to = p
      while (to > from && b[to - 1] === SPACE) to--
      if (!isWord(b, from, to)) throw OUTSIDE
      const tensor = nameAt(view, from, to, plan.tensorSpellings)
      if (tensor < 0) throw OUTSIDE
      const bit = 1 << tensor
      const mask = plan.directiveMask[list] as number
      if ((mask & bit) === 0) {
        // Repeats are dropped here as the levels' lists drop them.
        plan.directiveMask[list] = mask | bit
        const length = plan.directiveLength[list] as number
        plan.directiveOrder[list * plan.tensorCount + length] = tensor
        plan.directiveLength[list] = length + 1
      }
      p++
      if (c === CLOSE_LIST) break
    }
  }
  while (b[p] === SPACE) p++
  if (b[p] !== NEWLINE) throw OUTSIDE
  return p
}

/** Adds the directive read to its level, as parseMappingSectionFast does. */
const apply = (plan: MappingTextPlan): void => {
  const keys = plan.keys
  if ((keys & (TARGET | TYPE)) !== (TARGET | TYPE)) throw OUTSIDE
  const type = plan.type
  const allowed = type === TEMPORAL ? TEMPORAL_KEYS : type === SPATIAL ? SPATIAL_KEYS : DATATYPE_KEYS
  if ((keys & ~allowed) !== 0) throw OUTSIDE
  const level = plan.level
  const T = plan.tensorCount
  if (type === DATATYPE) {
    // keep, then bypass (a tensor both kept and bypassed is an error), then stream.
    for (let list = 0; list < 3; list++) {
      const other = list === 0 ? 1 : list === 1 ? 0 : -1
      const otherMask = other < 0 ? 0 : (plan.listMask[3 * level + other] as number)
      const slot = 3 * level + list
      const count = plan.directiveLength[list] as number
      for (let k = 0; k < count; k++) {
        const tensor = plan.directiveOrder[list * T + k] as number
        const bit = 1 << tensor
        if ((otherMask & bit) !== 0) throw OUTSIDE
        const mask = plan.listMask[slot] as number
        if ((mask & bit) !== 0) continue
        plan.listMask[slot] = mask | bit
        const length = plan.listLength[slot] as number
        plan.listOrder[slot * T + length] = tensor
        plan.listLength[slot] = length + 1
      }
    }
    return
  }
  const D = plan.dimCount
  const slots = plan.slots[level] as number
  let factors: Float64Array
  let order: Int8Array
  if (type === TEMPORAL) {
    if ((slots & HAS_TEMPORAL) !== 0) throw OUTSIDE
    plan.slots[level] = slots | HAS_TEMPORAL
    factors = plan.temporal
    order = plan.temporalOrder
    plan.temporalOrderLength[level] = plan.orderLength
  } else {
    if (plan.spatialLevels[level] === 0 || (slots & HAS_SPATIAL) !== 0) throw OUTSIDE
    plan.slots[level] = slots | HAS_SPATIAL
    factors = plan.spatial
    order = plan.spatialOrder
    plan.spatialOrderLength[level] = plan.orderLength
    plan.split[level] = (keys & SPLIT) !== 0 ? plan.splitValue : -1
  }
  const base = level * D
  const given = (keys & FACTORS) !== 0
  for (let d = 0; d < D; d++) factors[base + d] = given ? (plan.factors[d] as number) : UNSET
  for (let k = 0; k < plan.orderLength; k++) order[base + k] = plan.order[k] as number
}

/**
 * `D=0` is the rest of the bound; every dimension's factors multiply to its bound (the same
 * products in the same order as finishFastLevels).
 */
const resolveFactors = (plan: MappingTextPlan): void => {
  const D = plan.dimCount
  const L = plan.levelCount
  const { slots, temporal, spatial, bounds } = plan
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

/**
 * A level's factors as a record over the problem's dimensions (missing = 1). The first eight
 * dimensions are stored from sites of their own: each then always stores the same key on
 * the same shape (a fast, monomorphic store), where one loop would look the key up for every
 * dimension.
 */
const factorRecord = (plan: MappingTextPlan, factors: Float64Array, level: number, given: boolean): Record<string, number> => {
  const record: Record<string, number> = {}
  const dims = plan.dims
  const D = dims.length
  const base = level * D
  // Factors divide their bounds: when the bounds are 32-bit integers, so are they, and `| 0`
  // stores them as small integers rather than as a boxed double each.
  const small = plan.bounds32.length > 0
  const factor = (d: number): number => {
    const value = given ? (factors[base + d] as number) : UNSET
    return value === UNSET ? 1 : small ? value | 0 : value
  }
  if (D > 0) record[dims[0] as string] = factor(0)
  if (D > 1) record[dims[1] as string] = factor(1)
  if (D > 2) record[dims[2] as string] = factor(2)
  if (D > 3) record[dims[3] as string] = factor(3)
  if (D > 4) record[dims[4] as string] = factor(4)
  if (D > 5) record[dims[5] as string] = factor(5)
  if (D > 6) record[dims[6] as string] = factor(6)
  if (D > 7) record[dims[7] as string] = factor(7)
  for (let d = 8; d < D; d++) record[dims[d] as string] = factor(d)
  return record
}

/** A level's permutation (inner → outer), padded with the missing dimensions in problem order. */
const permutationList = (plan: MappingTextPlan, order: Int8Array, level: number, length: number): string[] => {
  const dims = plan.dims
  // A copy of the dimensions (a fast array copy), overwritten in place.
  const out = dims.slice()
  if (length <= 0) return out
  const base = level * plan.dimCount
  let seen = 0
  let k = 0
  for (; k < length; k++) {
    const d = order[base + k] as number
    seen |= 1 << d
    out[k] = dims[d] as string
  }
  for (let d = 0; d < dims.length; d++) if ((seen & (1 << d)) === 0) out[k++] = dims[d] as string
  return out
}

/** A level's tensor list `list` (0 keep, 1 bypass, 2 stream), in the order first listed. */
const tensorNames = (plan: MappingTextPlan, level: number, list: number): string[] => {
  const slot = 3 * level + list
  const count = plan.listLength[slot] as number
  const base = slot * plan.tensorCount
  const { tensors, listOrder } = plan
  const name = (k: number): string => tensors[listOrder[base + k] as number] as string
  // Array literals for the usual short lists (cheaper to make than pushing).
  if (count === 0) return []
  if (count === 1) return [name(0)]
  if (count === 2) return [name(0), name(1)]
  if (count === 3) return [name(0), name(1), name(2)]
  const out: string[] = []
  for (let k = 0; k < count; k++) out.push(name(k))
  return out
}

const mappingOf = (plan: MappingTextPlan): MappingSpec => {
  const levels: LevelMappingSpec[] = []
  const D = plan.dimCount
  for (let level = 0; level < plan.levelCount; level++) {
    const slots = plan.slots[level] as number
    const temporal = (slots & HAS_TEMPORAL) !== 0
    const spatial = (slots & HAS_SPATIAL) !== 0
    const split = spatial ? (plan.split[level] as number) : -1
    levels.push({
      target: plan.levelNames[level] as string,
      temporalFactors: factorRecord(plan, plan.temporal, level, temporal),
      temporalPermutation: permutationList(plan, plan.temporalOrder, level, temporal ? (plan.temporalOrderLength[level] as number) : 0),
      spatialFactors: factorRecord(plan, plan.spatial, level, spatial),
      spatialPermutation: permutationList(plan, plan.spatialOrder, level, spatial ? (plan.spatialOrderLength[level] as number) : 0),
      spatialSplit: split < 0 ? D : split,
      keep: tensorNames(plan, level, 0),
      bypass: tensorNames(plan, level, 1),
      stream: tensorNames(plan, level, 2),
    })
  }
  return { levels }
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
  const n = text.length
  if (buffer.length < n + 1 + PADDING) {
    buffer = new Uint8Array(Math.max(2 * buffer.length, n + 1 + PADDING))
    view = new DataView(buffer.buffer)
  }
  encoder ??= new TextEncoder()
  // Stops early at a character that needs more than one byte when the buffer is full; either
  // way, a text that is not all ASCII is outside the subset.
  const { read, written } = encoder.encodeInto(text, buffer)
  if (read !== n || written !== n) return undefined
  buffer[n] = NEWLINE
  try {
    return readRow(plan, buffer, view, n)
  } catch (error) {
    if (error === OUTSIDE) return undefined
    throw error
  }
}

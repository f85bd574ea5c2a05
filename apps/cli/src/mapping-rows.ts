// The fast reader of `evaluate --mappings` rows: a row is one JSON object per line, of which the
// command uses only the text of "mapping". Rows of the shared random sets are ~5 KB, most of it
// the reference model's "expected" results; building those objects (JSON.parse of the decoded
// line) was the largest per-row cost after the evaluation (issue 12). `mappingTextOf` checks the
// whole line against the JSON grammar (RFC 8259) on its UTF-8 bytes without building any value
// and decodes only the mapping text. It answers only when the line is valid JSON; for anything
// else (a blank or malformed line, a row that is not an object or whose "mapping" is not a
// string, nesting deeper than it tracks) it answers `undefined` and the caller reads the line
// the plain way (decode, JSON.parse), which gives the result or the precise error naming the line.
//
// Speed (issue 12): a JavaScript loop that looks at one byte per turn costs ~2–3 ns per byte on
// the 2-core machines, ~12 µs for a 5 KB row. Strings, two thirds of a row's bytes, are skipped
// four bytes at a time (one 32-bit word, tested for `"`, `\` and control bytes at once); the rest
// is one loop without calls per token.

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39

/** Containers deeper than this are left to JSON.parse. */
const MAX_DEPTH = 256
/** Open containers of the value being skipped: 1 = object, 0 = array. */
const stack = new Uint8Array(MAX_DEPTH)

/** Byte classes: 1 = a byte a string holds as is (from space on, but `"` and `\\`; UTF-8 bytes of non-ASCII characters too). */
const PLAIN = new Uint8Array(256)
for (let c = 0x20; c < 0x100; c++) PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1
/** Byte classes: 1 = JSON whitespace. */
const SPACE = new Uint8Array(256)
SPACE[0x20] = SPACE[0x09] = SPACE[0x0a] = SPACE[0x0d] = 1
/** Byte classes: 1 = a hexadecimal digit. */
const HEX = new Uint8Array(256)
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1

const ONES = 0x01010101
const HIGHS = 0x80808080 | 0

/**
 * The 32-bit words of the ArrayBuffer the rows are read from (kept while rows come from the same
 * one). Word `k` holds bytes `4k..4k+3` of the ArrayBuffer; which byte sits where does not matter,
 * as every test below asks about all four bytes at once.
 */
let wordsBuffer: ArrayBufferLike | null = null
let words: Int32Array = new Int32Array(0)
const wordsOf = (b: Uint8Array): Int32Array => {
  if (b.buffer !== wordsBuffer) {
    wordsBuffer = b.buffer
    words = new Int32Array(b.buffer, 0, b.buffer.byteLength >>> 2)
  }
  return words
}

/** Whether the last {@link skipString} met an escape (`\`). */
let sawEscape = false

/**
 * The position after the string whose content starts at `pos` (after its `"`) in `b[..end)`, or
 * -1 when it is not a valid JSON string: an unescaped control byte, a bad escape, no closing `"`.
 * Non-ASCII bytes are taken as they are (see mappingTextOf).
 */
const skipString = (b: Uint8Array, w: Int32Array, pos: number, end: number): number => {
  const base = b.byteOffset
  for (;;) {
    // Up to a word boundary, then whole words of plain bytes, then byte by byte to the special one.
    while (((base + pos) & 3) !== 0 && pos < end && PLAIN[b[pos]!] === 1) pos++
    if (((base + pos) & 3) === 0) {
      while (pos + 4 <= end) {
        const x = w[(base + pos) >>> 2]!
        const quote = x ^ 0x22222222
        const backslash = x ^ 0x5c5c5c5c
        // A byte of the word is `"`, `\` or below 0x20 (the classic "has a zero byte" tests).
        if ((((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - 0x20202020) & ~x)) & HIGHS) break
        pos += 4
      }
      while (pos < end && PLAIN[b[pos]!] === 1) pos++
    }
    if (pos >= end) return -1
    const c = b[pos]!
    if (c === QUOTE) return pos + 1
    if (c !== BACKSLASH) {
      // Plain after all (the word run stopped on a later byte of its word), or a control byte.
      if (c < 0x20) return -1
      pos++
      continue
    }
    sawEscape = true
    if (pos + 1 >= end) return -1
    const e = b[pos + 1]!
    if (e === 0x75) {
      // \uXXXX
      if (pos + 5 >= end || (HEX[b[pos + 2]!]! & HEX[b[pos + 3]!]! & HEX[b[pos + 4]!]! & HEX[b[pos + 5]!]!) === 0) return -1
      pos += 6
    } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      // \" \\ \/ \b \f \n \r \t
      pos += 2
    } else {
      return -1
    }
  }
}

/**
 * {@link skipString} for the short strings of a skipped value (keys, names): their plain run byte
 * by byte in a loop small enough to be inlined, the rest (escapes, errors) by skipString.
 */
const skipShortString = (b: Uint8Array, w: Int32Array, pos: number, end: number): number => {
  while (pos < end && PLAIN[b[pos]!] === 1) pos++
  if (pos < end && b[pos] === QUOTE) return pos + 1
  return skipString(b, w, pos, end)
}

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE

/** The position after the number that starts at `pos` (`-` or a digit), or -1 when it is not a valid JSON number. */
const skipNumber = (b: Uint8Array, pos: number, end: number): number => {
  if (b[pos] === MINUS) pos++
  if (pos >= end) return -1
  const first = b[pos]!
  if (first === ZERO) pos++
  else if (first > ZERO && first <= NINE) {
    pos++
    while (pos < end && isDigit(b[pos]!)) pos++
  } else return -1
  if (pos >= end) return pos
  let c = b[pos]!
  if (c === DOT) {
    pos++
    if (pos >= end || !isDigit(b[pos]!)) return -1
    pos++
    while (pos < end && isDigit(b[pos]!)) pos++
    if (pos >= end) return pos
    c = b[pos]!
  }
  if (c === 0x65 || c === 0x45) {
    pos++
    if (pos < end && (b[pos] === PLUS || b[pos] === MINUS)) pos++
    if (pos >= end || !isDigit(b[pos]!)) return -1
    pos++
    while (pos < end && isDigit(b[pos]!)) pos++
  }
  return pos
}

/** Whether `b[pos..)` spells `word` (ASCII) before `end`. */
const spells = (b: Uint8Array, pos: number, end: number, word: string): boolean => {
  if (pos + word.length > end) return false
  for (let i = 0; i < word.length; i++) if (b[pos + i] !== word.charCodeAt(i)) return false
  return true
}

/** Past an object member's `"key" :` and the whitespace after it, from the key's quote; -1 if malformed. */
const skipMemberKey = (b: Uint8Array, w: Int32Array, pos: number, end: number): number => {
  if (pos >= end || b[pos] !== QUOTE) return -1
  pos = skipShortString(b, w, pos + 1, end)
  if (pos < 0 || pos >= end) return -1
  if (b[pos] !== COLON) {
    while (pos < end && SPACE[b[pos]!] === 1) pos++
    if (pos >= end || b[pos] !== COLON) return -1
  }
  pos++
  if (pos < end && SPACE[b[pos]!] === 1) while (pos < end && SPACE[b[pos]!] === 1) pos++
  return pos
}

/**
 * The position after the JSON value that starts at `pos` (no leading whitespace), or -1 when it
 * is not valid JSON (or nests deeper than MAX_DEPTH). Nothing is built.
 */
const skipValue = (b: Uint8Array, w: Int32Array, pos: number, end: number): number => {
  let depth = 0
  // Whether the innermost open container is an object (stack[depth - 1] === 1).
  let inObject = false
  for (;;) {
    // At the start of an array element, or of an object member's key (one call site, so it is inlined).
    if (inObject) {
      pos = skipMemberKey(b, w, pos, end)
      if (pos < 0) return -1
    }
    // At the start of a value.
    if (pos >= end) return -1
    const c = b[pos]!
    if (c === QUOTE) {
      pos = skipShortString(b, w, pos + 1, end)
    } else if ((c >= ZERO && c <= NINE) || c === MINUS) {
      pos = skipNumber(b, pos, end)
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      pos++
      while (pos < end && SPACE[b[pos]!] === 1) pos++
      if (pos < end && b[pos] === c + 2) {
        // {} or [] (the closing bracket is the opening one + 2).
        pos++
      } else {
        if (depth === MAX_DEPTH) return -1
        inObject = c === OPEN_OBJECT
        stack[depth++] = inObject ? 1 : 0
        continue
      }
    } else if (c === 0x74) {
      pos = spells(b, pos, end, 'true') ? pos + 4 : -1
    } else if (c === 0x66) {
      pos = spells(b, pos, end, 'false') ? pos + 5 : -1
    } else if (c === 0x6e) {
      pos = spells(b, pos, end, 'null') ? pos + 4 : -1
    } else {
      return -1
    }
    if (pos < 0) return -1
    // After a value: close the containers it ends, or go on to the next member or element.
    for (;;) {
      if (depth === 0) return pos
      if (pos >= end) return -1
      let d = b[pos]!
      if (SPACE[d] === 1) {
        while (pos < end && SPACE[b[pos]!] === 1) pos++
        if (pos >= end) return -1
        d = b[pos]!
      }
      if (d === COMMA) {
        pos++
        if (pos < end && SPACE[b[pos]!] === 1) while (pos < end && SPACE[b[pos]!] === 1) pos++
        break
      }
      if (d !== (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1
      pos++
      depth--
      inObject = depth > 0 && stack[depth - 1] === 1
    }
  }
}

const MAPPING_KEY = '"mapping"'

/** Whether the key string `b[from..to)` (with its quotes) is "mapping", escapes decoded. */
const isMappingKey = (b: Buffer, from: number, to: number, escaped: boolean): boolean => {
  if (escaped) return JSON.parse(b.toString('utf8', from, to)) === 'mapping'
  return to - from === MAPPING_KEY.length && spells(b, from, to, MAPPING_KEY)
}

const skipWhitespace = (b: Uint8Array, pos: number, end: number): number => {
  while (pos < end && SPACE[b[pos]!] === 1) pos++
  return pos
}

/**
 * The "mapping" string of a `--mappings` row held in `bytes[start..end)` (UTF-8, one line), as
 * `JSON.parse(line).mapping` gives it, when the line is a valid JSON object whose (last)
 * "mapping" member is a string; `undefined` otherwise, including for every line that is not
 * valid JSON. Never accepts a line JSON.parse rejects.
 *
 * Bytes that are not valid UTF-8 are accepted inside strings: the plain path decodes the line
 * first (each bad sequence becomes U+FFFD, which JSON.parse accepts in a string, and no ASCII
 * byte is ever taken into a sequence) and the mapping text is decoded the same way.
 */
export const mappingTextOf = (bytes: Buffer, start: number, end: number): string | undefined => {
  const w = wordsOf(bytes)
  let pos = skipWhitespace(bytes, start, end)
  if (pos >= end || bytes[pos] !== OPEN_OBJECT) return undefined
  pos = skipWhitespace(bytes, pos + 1, end)
  let textFrom = -1
  let textTo = -1
  let textEscaped = false
  if (pos < end && bytes[pos] === CLOSE_OBJECT) {
    pos++
  } else {
    for (;;) {
      if (pos >= end || bytes[pos] !== QUOTE) return undefined
      const keyFrom = pos
      sawEscape = false
      pos = skipString(bytes, w, pos + 1, end)
      if (pos < 0) return undefined
      const isMapping = isMappingKey(bytes, keyFrom, pos, sawEscape)
      pos = skipWhitespace(bytes, pos, end)
      if (pos >= end || bytes[pos] !== COLON) return undefined
      pos = skipWhitespace(bytes, pos + 1, end)
      if (pos < end && bytes[pos] === QUOTE) {
        const valueFrom = pos
        sawEscape = false
        pos = skipString(bytes, w, pos + 1, end)
        if (pos < 0) return undefined
        if (isMapping) {
          textFrom = valueFrom
          textTo = pos
          textEscaped = sawEscape
        }
      } else {
        pos = skipValue(bytes, w, pos, end)
        if (pos < 0) return undefined
        // A later "mapping" that is not a string replaces an earlier one (JSON.parse keeps the last).
        if (isMapping) textFrom = -1
      }
      pos = skipWhitespace(bytes, pos, end)
      if (pos >= end) return undefined
      const c = bytes[pos]!
      if (c === CLOSE_OBJECT) {
        pos++
        break
      }
      if (c !== COMMA) return undefined
      pos = skipWhitespace(bytes, pos + 1, end)
    }
  }
  if (skipWhitespace(bytes, pos, end) !== end || textFrom < 0) return undefined
  if (!textEscaped) return bytes.toString('utf8', textFrom + 1, textTo - 1)
  return JSON.parse(bytes.toString('utf8', textFrom, textTo)) as string
}

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
// Speed (issue 12): a JavaScript loop that looks at one byte per turn costs ~2.5–3 ns per byte
// on the 2-core machines, ~13 µs for a 5 KB row, while one turn over a 32-bit word (read
// unaligned through a DataView and tested for all four bytes at once) costs about as much as one
// over a byte. So strings (the mapping text and the keys of "expected", two thirds of a row's
// bytes) and digit runs are read a word at a time, and the rest is one loop without calls per
// token. The line's newline (the byte at `end`, copied in when absent) ends every token scan, so
// those loops need no test against `end` per byte.

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
const NEWLINE = 0x0a

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
/** Byte classes: 1 = a decimal digit. */
const DIGIT = new Uint8Array(256)
for (let c = ZERO; c <= NINE; c++) DIGIT[c] = 1

const ONES = 0x01010101
const HIGHS = 0x80808080 | 0

/**
 * A view of the ArrayBuffer the rows are read from (kept while rows come from the same one), for
 * 32-bit reads at any byte (`getInt32(byteOffset + pos, true)`: byte `pos` is the word's lowest).
 */
let viewBuffer: ArrayBufferLike | null = null
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(4))
const viewOf = (b: Uint8Array): DataView => {
  if (b.buffer !== viewBuffer) {
    viewBuffer = b.buffer
    view = new DataView(b.buffer)
  }
  return view
}

// Word tests (the classic "has a zero byte" ones): bit 7 of each byte of the answer is set for
// a byte of the kind asked for. A borrow or carry can set the bit of a later byte too, but only
// after a byte that is of the kind, so the lowest set bit marks the first such byte exactly.

/** Bytes a string cannot hold as they are: `"`, `\` and control bytes (below 0x20). */
const stringStops = (x: number): number => {
  const quote = x ^ 0x22222222
  const backslash = x ^ 0x5c5c5c5c
  return (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - 0x20202020) & ~x)) & HIGHS
}

/**
 * {@link stringStops} and space and `!` (all bytes below 0x23, one test fewer): for keys, which
 * rarely hold a space; a stop there is read on by {@link skipString}.
 */
const keyStops = (x: number): number => {
  const backslash = x ^ 0x5c5c5c5c
  return (((x - 0x23232323) & ~x) | ((backslash - ONES) & ~backslash)) & HIGHS
}

/** Bytes that are not decimal digits (`x | …` takes the bytes from 0x80 on, whose sum could carry). */
const nonDigits = (x: number): number => (((x - 0x30303030) & ~x) | (x + 0x46464646) | x) & HIGHS

/** Which byte of a word a nonzero word test marks first (0–3). */
const firstMarked = (marks: number): number => (31 - Math.clz32(marks & -marks)) >>> 3

/** Whether the last {@link skipString} met an escape (`\`). */
let sawEscape = false

/**
 * The position after the string whose content starts at `pos` (after its `"`) in `b[..end)`, or
 * -1 when it is not a valid JSON string: an unescaped control byte, a bad escape, no closing `"`.
 * Non-ASCII bytes are taken as they are (see mappingTextOf). `b[end]` is the line's newline.
 */
const skipString = (b: Uint8Array, v: DataView, pos: number, end: number): number => {
  const base = b.byteOffset
  for (;;) {
    if (pos + 4 <= end) {
      const stops = stringStops(v.getInt32(base + pos, true))
      if (stops === 0) {
        pos += 4
        continue
      }
      pos += firstMarked(stops)
    } else {
      // The last bytes before the newline, which stops this loop.
      while (PLAIN[b[pos]!] === 1) pos++
    }
    if (pos >= end) return -1
    const c = b[pos]!
    if (c === QUOTE) return pos + 1
    // A control byte, or a plain one where a key's scan stopped (keyStops).
    if (c !== BACKSLASH) {
      if (c < 0x20) return -1
      pos++
      continue
    }
    sawEscape = true
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

/** The position after the number that starts at `pos` (`-` or a digit), or -1 when it is not a valid JSON number. */
const skipNumber = (b: Uint8Array, pos: number, end: number): number => {
  if (b[pos] === MINUS) pos++
  if (pos >= end) return -1
  const first = b[pos]!
  if (first === ZERO) pos++
  else if (first > ZERO && first <= NINE) {
    pos++
    while (pos < end && DIGIT[b[pos]!] === 1) pos++
  } else return -1
  if (pos >= end) return pos
  let c = b[pos]!
  if (c === DOT) {
    pos++
    if (pos >= end || DIGIT[b[pos]!] !== 1) return -1
    pos++
    while (pos < end && DIGIT[b[pos]!] === 1) pos++
    if (pos >= end) return pos
    c = b[pos]!
  }
  if (c === 0x65 || c === 0x45) {
    pos++
    if (pos < end && (b[pos] === PLUS || b[pos] === MINUS)) pos++
    if (pos >= end || DIGIT[b[pos]!] !== 1) return -1
    pos++
    while (pos < end && DIGIT[b[pos]!] === 1) pos++
  }
  return pos
}

/** Whether `b[pos..)` spells `word` (ASCII) before `end`. */
const spells = (b: Uint8Array, pos: number, end: number, word: string): boolean => {
  if (pos + word.length > end) return false
  for (let i = 0; i < word.length; i++) if (b[pos + i] !== word.charCodeAt(i)) return false
  return true
}

/**
 * The position after the JSON value that starts at `pos` (no leading whitespace), or -1 when it
 * is not valid JSON (or nests deeper than MAX_DEPTH). Nothing is built. `b[end]` is the line's
 * newline. The common shapes of "expected" (short keys, then numbers or nested objects, no
 * whitespace) take the first branch of each test.
 */
const skipValue = (b: Uint8Array, v: DataView, pos: number, end: number): number => {
  const base = b.byteOffset
  let depth = 0
  // Whether the innermost open container is an object (stack[depth - 1] === 1).
  let inObject = false
  for (;;) {
    if (inObject) {
      // A member's `"key":`, the key a word at a time.
      if (b[pos] !== QUOTE) return -1
      let p = pos + 1
      while (p + 4 <= end) {
        const stops = keyStops(v.getInt32(base + p, true))
        if (stops !== 0) {
          p += firstMarked(stops)
          break
        }
        p += 4
      }
      if (b[p] === QUOTE) p++
      else {
        p = skipString(b, v, p, end)
        if (p < 0) return -1
      }
      if (b[p] !== COLON) {
        while (p < end && SPACE[b[p]!] === 1) p++
        if (b[p] !== COLON) return -1
      }
      p++
      if (b[p]! <= 0x20) while (p < end && SPACE[b[p]!] === 1) p++
      pos = p
    }
    // A value.
    const c = b[pos]!
    if (DIGIT[c] === 1) {
      let p = pos + 1
      if (c !== ZERO) {
        // The digits a word at a time.
        for (;;) {
          if (p + 4 > end) {
            while (DIGIT[b[p]!] === 1) p++
            break
          }
          const others = nonDigits(v.getInt32(base + p, true))
          if (others !== 0) {
            p += firstMarked(others)
            break
          }
          p += 4
        }
      }
      const d = b[p]!
      // A fraction or an exponent: the whole number again by the general reader.
      pos = d === DOT || d === 0x65 || d === 0x45 ? skipNumber(b, pos, end) : p
    } else if (c === QUOTE) {
      pos = skipString(b, v, pos + 1, end)
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      pos++
      if (b[pos]! <= 0x20) while (pos < end && SPACE[b[pos]!] === 1) pos++
      if (b[pos] === c + 2) {
        // {} or [] (the closing bracket is the opening one + 2).
        pos++
      } else {
        if (depth === MAX_DEPTH) return -1
        inObject = c === OPEN_OBJECT
        stack[depth++] = inObject ? 1 : 0
        continue
      }
    } else if (c === MINUS) {
      pos = skipNumber(b, pos, end)
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
    // After a value: go on to the next member or element, or close the containers it ends.
    for (;;) {
      if (depth === 0) return pos
      let d = b[pos]!
      if (d <= 0x20) {
        while (pos < end && SPACE[b[pos]!] === 1) pos++
        d = b[pos]!
      }
      if (d === COMMA) {
        pos++
        if (b[pos]! <= 0x20) while (pos < end && SPACE[b[pos]!] === 1) pos++
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
 * The position after the `"` that closes the string whose content starts at `pos`, or -1 when
 * there is none before `end`. Does not check the content.
 */
const closingQuoteAfter = (b: Buffer, pos: number, end: number): number => {
  for (;;) {
    const quote = b.indexOf(QUOTE, pos)
    if (quote < 0 || quote >= end) return -1
    let backslashes = 0
    while (b[quote - 1 - backslashes] === BACKSLASH) backslashes++
    if ((backslashes & 1) === 0) return quote + 1
    pos = quote + 1
  }
}

/** Where a line that its buffer does not follow with a newline is copied, with one (grown as needed). */
let lineScratch = Buffer.allocUnsafe(0)
/** `bytes[start..end)` followed by a newline, in {@link lineScratch}. */
const withNewline = (bytes: Buffer, start: number, end: number): Buffer => {
  const length = end - start
  if (lineScratch.length < length + 1) lineScratch = Buffer.allocUnsafe(Math.max(length + 1, 2 * lineScratch.length))
  bytes.copy(lineScratch, 0, start, end)
  lineScratch[length] = NEWLINE
  return lineScratch
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
  if (end >= bytes.length || bytes[end] !== NEWLINE) return mappingTextOf(withNewline(bytes, start, end), 0, end - start)
  const v = viewOf(bytes)
  let pos = skipWhitespace(bytes, start, end)
  if (pos >= end || bytes[pos] !== OPEN_OBJECT) return undefined
  pos = skipWhitespace(bytes, pos + 1, end)
  let textFrom = -1
  let textTo = -1
  if (pos < end && bytes[pos] === CLOSE_OBJECT) {
    pos++
  } else {
    for (;;) {
      if (pos >= end || bytes[pos] !== QUOTE) return undefined
      const keyFrom = pos
      sawEscape = false
      pos = skipString(bytes, v, pos + 1, end)
      if (pos < 0) return undefined
      const isMapping = isMappingKey(bytes, keyFrom, pos, sawEscape)
      pos = skipWhitespace(bytes, pos, end)
      if (pos >= end || bytes[pos] !== COLON) return undefined
      pos = skipWhitespace(bytes, pos + 1, end)
      // An earlier "mapping" string that this member replaces is checked now (only the last is decoded).
      if (isMapping && textFrom >= 0 && skipString(bytes, v, textFrom + 1, end) < 0) return undefined
      if (isMapping && pos < end && bytes[pos] === QUOTE) {
        // The mapping text is decoded by JSON.parse, which also checks it: here only its end is
        // found (the first `"` after an even run of backslashes), by Buffer#indexOf.
        textFrom = pos
        textTo = closingQuoteAfter(bytes, pos + 1, end)
        if (textTo < 0) return undefined
        pos = textTo
      } else if (pos < end && bytes[pos] === QUOTE) {
        pos = skipString(bytes, v, pos + 1, end)
        if (pos < 0) return undefined
      } else {
        pos = skipValue(bytes, v, pos, end)
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
  try {
    return JSON.parse(bytes.toString('utf8', textFrom, textTo)) as string
  } catch {
    // Not a JSON string (a control byte, a bad escape): the plain path names the line.
    return undefined
  }
}

// The fast reader of `evaluate --mappings` rows: a row is one JSON object per line, of which the
// command uses only the text of "mapping". Rows of the shared random sets are ~5 KB, most of it
// the reference model's "expected" results; building those objects (JSON.parse of the decoded
// line) was the largest per-row cost after the evaluation (issue 12). `mappingTextOf` checks the
// whole line against the JSON grammar (RFC 8259) on its UTF-8 bytes without building any value
// and decodes only the mapping text. It answers only when the line is valid JSON; for anything
// else (a blank or malformed line, a row that is not an object or whose "mapping" is not a
// string, nesting deeper than it tracks) it answers `undefined` and the caller reads the line
// the plain way (decode, JSON.parse), which gives the result or the precise error naming the line.

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

/** What the last {@link skipString} saw besides plain ASCII characters. */
let sawEscape = false
let sawNonAscii = false

/** Byte classes: 1 = a character a string holds as is (ASCII from space on, but `"` and `\\`). */
const PLAIN = new Uint8Array(256)
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE

const skipWhitespace = (b: Uint8Array, pos: number, end: number): number => {
  while (pos < end && isWhitespace(b[pos]!)) pos++
  return pos
}

const isHex = (c: number): boolean => (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)

/** The position after the string that opens at `pos` (a `"`), or -1 when it is not a valid JSON string. */
const skipString = (b: Uint8Array, pos: number, end: number): number => {
  sawEscape = false
  sawNonAscii = false
  pos++
  for (;;) {
    while (pos < end && PLAIN[b[pos]!] === 1) pos++
    if (pos >= end) return -1
    const c = b[pos]!
    if (c === QUOTE) return pos + 1
    if (c === BACKSLASH) {
      sawEscape = true
      if (pos + 1 >= end) return -1
      const e = b[pos + 1]!
      if (e === 0x75) {
        // \uXXXX
        if (pos + 5 >= end || !isHex(b[pos + 2]!) || !isHex(b[pos + 3]!) || !isHex(b[pos + 4]!) || !isHex(b[pos + 5]!)) return -1
        pos += 6
        continue
      }
      // \" \\ \/ \b \f \n \r \t
      if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1
      pos += 2
      continue
    }
    if (c < 0x20) return -1
    sawNonAscii = true
    pos++
  }
}

/** The position after the number that starts at `pos`, or -1 when it is not a valid JSON number. */
const skipNumber = (b: Uint8Array, pos: number, end: number): number => {
  if (b[pos] === MINUS) pos++
  if (pos >= end) return -1
  const first = b[pos]!
  if (first === ZERO) pos++
  else if (first > ZERO && first <= NINE) {
    pos++
    while (pos < end && isDigit(b[pos]!)) pos++
  } else return -1
  if (pos < end && b[pos] === DOT) {
    pos++
    if (pos >= end || !isDigit(b[pos]!)) return -1
    while (pos < end && isDigit(b[pos]!)) pos++
  }
  if (pos < end && (b[pos] === 0x65 || b[pos] === 0x45)) {
    pos++
    if (pos < end && (b[pos] === PLUS || b[pos] === MINUS)) pos++
    if (pos >= end || !isDigit(b[pos]!)) return -1
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

/** Byte classes of {@link skipValue}: what a value starting with the byte is. */
const STARTS_NUMBER = new Uint8Array(256)
STARTS_NUMBER[MINUS] = 1
for (let c = ZERO; c <= NINE; c++) STARTS_NUMBER[c] = 1

/**
 * The position after a string whose content starts at `pos` (after its `"`), or -1: the plain
 * run without flags (values being skipped), escapes checked by {@link skipString}'s rules.
 */
const skipStringContent = (b: Uint8Array, pos: number, end: number): number => {
  for (;;) {
    while (pos < end && PLAIN[b[pos]!] === 1) pos++
    if (pos >= end) return -1
    const c = b[pos]!
    if (c === QUOTE) return pos + 1
    // An escape or a control character (invalid): skipString checks the rest. Non-ASCII bytes pass.
    if (c === BACKSLASH || c < 0x20) return skipString(b, pos - 1, end)
    pos++
  }
}

/** Past an object member's `"key" :` and the whitespace after it, from the key's quote; -1 if malformed. */
const skipMemberKey = (b: Uint8Array, start: number, end: number): number => {
  if (start >= end || b[start] !== QUOTE) return -1
  let pos = skipStringContent(b, start + 1, end)
  if (pos < 0) return -1
  while (pos < end && isWhitespace(b[pos]!)) pos++
  if (pos >= end || b[pos] !== COLON) return -1
  pos++
  while (pos < end && isWhitespace(b[pos]!)) pos++
  return pos
}

/**
 * The position after the JSON value that starts at `pos` (no leading whitespace), or -1 when it
 * is not valid JSON (or nests deeper than MAX_DEPTH). Nothing is built.
 */
const skipValue = (b: Uint8Array, pos: number, end: number): number => {
  let depth = 0
  for (;;) {
    // At the start of a value.
    if (pos >= end) return -1
    const c = b[pos]!
    if (c === QUOTE) {
      pos = skipStringContent(b, pos + 1, end)
    } else if (STARTS_NUMBER[c] === 1) {
      pos = skipNumber(b, pos, end)
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      pos++
      while (pos < end && isWhitespace(b[pos]!)) pos++
      if (pos < end && b[pos] === (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        pos++
      } else {
        if (depth === MAX_DEPTH) return -1
        stack[depth++] = c === OPEN_OBJECT ? 1 : 0
        if (c === OPEN_OBJECT) {
          pos = skipMemberKey(b, pos, end)
          if (pos < 0) return -1
        }
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
      while (pos < end && isWhitespace(b[pos]!)) pos++
      if (pos >= end) return -1
      const d = b[pos]!
      const inObject = stack[depth - 1] === 1
      if (d === COMMA) {
        pos++
        while (pos < end && isWhitespace(b[pos]!)) pos++
        if (inObject) {
          pos = skipMemberKey(b, pos, end)
          if (pos < 0) return -1
        }
        break
      }
      if (d === (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        depth--
        pos++
        continue
      }
      return -1
    }
  }
}

const MAPPING_KEY = '"mapping"'

/** Whether the key string `b[from..to)` (with its quotes) is "mapping", escapes decoded. */
const isMappingKey = (b: Buffer, from: number, to: number, escaped: boolean): boolean => {
  if (escaped) return JSON.parse(b.toString('utf8', from, to)) === 'mapping'
  return to - from === MAPPING_KEY.length && spells(b, from, to, MAPPING_KEY)
}

/**
 * The "mapping" string of a `--mappings` row held in `bytes[start..end)` (UTF-8, one line), as
 * `JSON.parse(line).mapping` gives it, when the line is a valid JSON object whose (last)
 * "mapping" member is a string; `undefined` otherwise, including for every line that is not
 * valid JSON. Never accepts a line JSON.parse rejects.
 */
export const mappingTextOf = (bytes: Buffer, start: number, end: number): string | undefined => {
  let pos = skipWhitespace(bytes, start, end)
  if (pos >= end || bytes[pos] !== OPEN_OBJECT) return undefined
  pos = skipWhitespace(bytes, pos + 1, end)
  let textFrom = -1
  let textTo = -1
  let textEscaped = false
  let textNonAscii = false
  if (pos < end && bytes[pos] === CLOSE_OBJECT) {
    pos++
  } else {
    for (;;) {
      if (pos >= end || bytes[pos] !== QUOTE) return undefined
      const keyFrom = pos
      pos = skipString(bytes, pos, end)
      if (pos < 0) return undefined
      const isMapping = isMappingKey(bytes, keyFrom, pos, sawEscape)
      pos = skipWhitespace(bytes, pos, end)
      if (pos >= end || bytes[pos] !== COLON) return undefined
      pos = skipWhitespace(bytes, pos + 1, end)
      if (pos < end && bytes[pos] === QUOTE) {
        const valueFrom = pos
        pos = skipString(bytes, pos, end)
        if (pos < 0) return undefined
        if (isMapping) {
          textFrom = valueFrom
          textTo = pos
          textEscaped = sawEscape
          textNonAscii = sawNonAscii
        }
      } else {
        pos = skipValue(bytes, pos, end)
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
  const encoding = textNonAscii ? 'utf8' : 'latin1'
  if (!textEscaped) return bytes.toString(encoding, textFrom + 1, textTo - 1)
  return JSON.parse(bytes.toString(encoding, textFrom, textTo)) as string
}

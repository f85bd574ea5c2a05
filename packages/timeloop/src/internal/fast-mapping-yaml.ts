// A fast path for the YAML subset mapping documents are written in (the random-mapping rows, the
// mapper's map.yaml): `mapping:` then `- {k: v, …}` flow maps or `- k: v` block maps whose values
// are plain words, integers or flat `[a, b]` lists. `parseTimeloopMapping` runs per row
// (`evaluate --mappings`), and a general YAML parser is several times slower than this scanner,
// which walks the text once by character code. Anything outside the subset (quotes, comments,
// anchors, floats, booleans, nesting, tabs, whitespace other than ASCII spaces…) returns
// undefined and the caller falls back to the full parser, so results are always those of
// `yaml`'s parse; a test checks the two agree on every shared row and on mutated ones.

const FALLBACK = undefined
// Characters outside the subset. Spaces other than U+0020 are among them, so that trimming
// below only has ASCII spaces to strip.
const SPECIAL = /["'#&*!|>%@`\t\r\\\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n'])

const SPACE = 32
const COLON = 58
const COMMA = 44
const DASH = 45
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isBracket = (c: number): boolean => c === 91 || c === 93 || c === 123 || c === 125

/**
 * A plain scalar in `t[a, b)`, spaces around it ignored: a non-negative integer without leading
 * zeros (at most 15 digits), or a word starting with a letter or `_` that YAML reads as a string.
 */
const scalar = (t: string, a: number, b: number, flow: boolean): string | number | undefined => {
  while (a < b && t.charCodeAt(a) === SPACE) a++
  while (b > a && t.charCodeAt(b - 1) === SPACE) b--
  if (a === b) return FALLBACK
  const first = t.charCodeAt(a)
  if (isDigit(first)) {
    if (b - a === 1) return first - 48
    if (first === 48 || b - a > 15) return FALLBACK
    for (let i = a + 1; i < b; i++) if (!isDigit(t.charCodeAt(i))) return FALLBACK
    return Number(t.slice(a, b))
  }
  if (!isLetter(first)) return FALLBACK
  for (let i = a; i < b; i++) {
    const c = t.charCodeAt(i)
    // `: ` or a final `:` would make a mapping; brackets and (in flow) commas end the scalar.
    if (c === COLON && (i + 1 === b || t.charCodeAt(i + 1) === SPACE)) return FALLBACK
    if (isBracket(c) || (flow && c === COMMA)) return FALLBACK
  }
  const s = t.slice(a, b)
  if (b - a <= 5 && RESERVED.has(s.toLowerCase())) return FALLBACK
  return s
}

/** `[a, b]` in `t[a, b)` (already without surrounding spaces) with plain scalar items. */
const flowList = (t: string, a: number, b: number): (string | number)[] | undefined => {
  if (b - a < 2 || t.charCodeAt(b - 1) !== 93) return FALLBACK
  const items: (string | number)[] = []
  let start = a + 1
  const end = b - 1
  let blank = true
  for (let i = start; i < end; i++) {
    const c = t.charCodeAt(i)
    if (isBracket(c)) return FALLBACK
    if (c !== SPACE) blank = false
  }
  if (blank) return items
  for (;;) {
    const comma = t.indexOf(',', start)
    const stop = comma < 0 || comma >= end ? end : comma
    const value = scalar(t, start, stop, true)
    if (value === undefined) return FALLBACK
    items.push(value)
    if (stop === end) return items
    start = stop + 1
  }
}

/** A block value in `t[a, b)`: a flow list or a plain scalar. */
const blockValue = (t: string, a: number, b: number): unknown => {
  while (a < b && t.charCodeAt(a) === SPACE) a++
  while (b > a && t.charCodeAt(b - 1) === SPACE) b--
  if (a === b) return FALLBACK
  const first = t.charCodeAt(a)
  if (first === 91) return flowList(t, a, b)
  if (first === 123) return FALLBACK
  return scalar(t, a, b, false)
}

/** `key: value` in `t[a, b)` into `target`; false when outside the subset. */
const entry = (t: string, a: number, b: number, target: Record<string, unknown>, flow: boolean): boolean => {
  const colon = t.indexOf(': ', a)
  if (colon < 0 || colon + 1 >= b) return false
  let ka = a
  let kb = colon
  while (ka < kb && t.charCodeAt(ka) === SPACE) ka++
  while (kb > ka && t.charCodeAt(kb - 1) === SPACE) kb--
  if (ka === kb || !isLetter(t.charCodeAt(ka))) return false
  for (let i = ka + 1; i < kb; i++) {
    const c = t.charCodeAt(i)
    if (!(isLetter(c) || isDigit(c) || c === DASH)) return false
  }
  const key = t.slice(ka, kb)
  if (key === '__proto__' || Object.hasOwn(target, key)) return false
  const value = flow ? scalar(t, colon + 2, b, true) : blockValue(t, colon + 2, b)
  if (value === undefined) return false
  target[key] = value
  return true
}

/**
 * Parses a mapping document in the common subset, or returns undefined to ask for the full
 * YAML parser.
 */
export const parseMappingYamlFast = (text: string): { mapping: Record<string, unknown>[] } | undefined => {
  if (SPECIAL.test(text)) return FALLBACK
  const items: Record<string, unknown>[] = []
  let header = false
  let dash = -1
  let current: Record<string, unknown> | undefined
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const next = end + 1
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--
    if (end === start) {
      start = next
      continue
    }
    if (!header) {
      // The first line that is not blank: `mapping:` at the start of the line.
      if (end - start !== 8 || !text.startsWith('mapping:', start)) return FALLBACK
      header = true
      start = next
      continue
    }
    let rest = start
    while (text.charCodeAt(rest) === SPACE) rest++
    const indent = rest - start
    if (text.charCodeAt(rest) === DASH && rest + 1 < end && text.charCodeAt(rest + 1) === SPACE) {
      if (dash === -1) dash = indent
      if (indent !== dash) return FALLBACK
      let a = rest + 2
      while (a < end && text.charCodeAt(a) === SPACE) a++
      const item: Record<string, unknown> = {}
      if (text.charCodeAt(a) === 123) {
        // `{k: v, k: v}`: plain scalar values only.
        if (text.charCodeAt(end - 1) !== 125 || end - a < 2) return FALLBACK
        const inner = end - 1
        let blank = true
        for (let i = a + 1; i < inner; i++) {
          const c = text.charCodeAt(i)
          if (isBracket(c)) return FALLBACK
          if (c !== SPACE) blank = false
        }
        if (!blank) {
          let from = a + 1
          for (;;) {
            const comma = text.indexOf(',', from)
            const stop = comma < 0 || comma >= inner ? inner : comma
            if (!entry(text, from, stop, item, true)) return FALLBACK
            if (stop === inner) break
            from = stop + 1
          }
        }
        current = undefined
      } else {
        if (!entry(text, a, end, item, false)) return FALLBACK
        current = item
      }
      items.push(item)
    } else {
      // A continuation line of the current block map: indented past the dash by two.
      if (current === undefined || indent !== dash + 2) return FALLBACK
      if (!entry(text, rest, end, current, false)) return FALLBACK
    }
    start = next
  }
  if (dash === -1) return FALLBACK
  return { mapping: items }
}

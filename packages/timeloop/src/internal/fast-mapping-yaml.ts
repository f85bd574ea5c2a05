// A fast path for the YAML subset mapping documents are written in (the random-mapping rows, the
// mapper's map.yaml): `mapping:` then `- {k: v, …}` flow maps or `- k: v` block maps whose values
// are plain words, integers or flat `[a, b]` lists. `parseTimeloopMapping` runs per row, and a
// general YAML parser is several times slower than this scanner. Anything outside the subset
// (quotes, comments, anchors, floats, booleans, nesting, tabs…) returns undefined and the caller
// falls back to the full parser, so results are always those of `yaml`'s parse; a test checks the
// two agree on every shared row and on mutated ones.

const FALLBACK = undefined
const SPECIAL = /["'#&*!|>%@`\t\r\\]/
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/
const WORD_START = /^[A-Za-z_]/
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~'])

/** A plain scalar: a positive integer without leading zeros, or a word starting with a letter. */
const scalar = (raw: string, flow: boolean): string | number | undefined => {
  const s = raw.trim()
  if (s === '') return FALLBACK
  if (/^[1-9][0-9]{0,14}$/.test(s) || s === '0') return Number(s)
  if (!WORD_START.test(s)) return FALLBACK
  if (RESERVED.has(s.toLowerCase()) || s.toLowerCase() === '.inf' || s.toLowerCase() === '.nan') return FALLBACK
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) return FALLBACK
  if (flow && /[,[\]{}]/.test(s)) return FALLBACK
  if (!flow && /[[\]{}]/.test(s)) return FALLBACK
  return s
}

/** `[a, b]` with plain scalar items, or undefined. */
const flowList = (raw: string): (string | number)[] | undefined => {
  const s = raw.trim()
  if (!s.startsWith('[') || !s.endsWith(']')) return FALLBACK
  const body = s.slice(1, -1)
  if (/[[\]{}]/.test(body)) return FALLBACK
  if (body.trim() === '') return []
  const items: (string | number)[] = []
  for (const part of body.split(',')) {
    const value = scalar(part, true)
    if (value === undefined) return FALLBACK
    items.push(value)
  }
  return items
}

const value = (raw: string): unknown => {
  const s = raw.trim()
  if (s.startsWith('[')) return flowList(s)
  if (s.startsWith('{')) return FALLBACK
  return scalar(s, false)
}

/** `key: value` into `target`; false when outside the subset. */
const entry = (text: string, target: Record<string, unknown>, flow: boolean): boolean => {
  const colon = text.indexOf(': ')
  if (colon < 0) return false
  const key = text.slice(0, colon).trim()
  if (!KEY.test(key) || key === '__proto__' || Object.hasOwn(target, key)) return false
  const v = flow ? scalar(text.slice(colon + 2), true) : value(text.slice(colon + 2))
  if (v === undefined) return false
  target[key] = v
  return true
}

/**
 * Parses a mapping document in the common subset, or returns undefined to ask for the full
 * YAML parser.
 */
export const parseMappingYamlFast = (text: string): { mapping: Record<string, unknown>[] } | undefined => {
  if (SPECIAL.test(text)) return FALLBACK
  const lines = text.split('\n')
  let index = 0
  while (index < lines.length && (lines[index] ?? '').trim() === '') index++
  if ((lines[index] ?? '').trimEnd() !== 'mapping:') return FALLBACK
  index++
  const items: Record<string, unknown>[] = []
  let dash = -1
  let current: Record<string, unknown> | undefined
  for (; index < lines.length; index++) {
    const line = (lines[index] ?? '').trimEnd()
    if (line.trim() === '') continue
    const indent = line.length - line.trimStart().length
    const rest = line.slice(indent)
    if (rest.startsWith('- ')) {
      if (dash === -1) dash = indent
      if (indent !== dash) return FALLBACK
      const body = rest.slice(2).trim()
      const item: Record<string, unknown> = {}
      if (body.startsWith('{')) {
        if (!body.endsWith('}')) return FALLBACK
        const inner = body.slice(1, -1)
        if (/[[\]{}]/.test(inner)) return FALLBACK
        if (inner.trim() !== '') {
          for (const part of inner.split(',')) if (!entry(part, item, true)) return FALLBACK
        }
        current = undefined
      } else {
        if (!entry(body, item, false)) return FALLBACK
        current = item
      }
      items.push(item)
    } else {
      // A continuation line of the current block map: indented past the dash by two.
      if (current === undefined || indent !== dash + 2) return FALLBACK
      if (!entry(rest, current, false)) return FALLBACK
    }
  }
  if (dash === -1) return FALLBACK
  return { mapping: items }
}

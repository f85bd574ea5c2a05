// Fuzz-ish property test: mutated case YAML (keys deleted, numbers replaced by -1/NaN/strings,
// values swapped for other shapes, text truncated) either parses to a finite, round-trippable
// design or fails with a SnipSnapError of an input code, never another exception.
import fs from 'node:fs'
import path from 'node:path'
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { parse, stringify } from 'yaml'
import { isSnipSnapError } from '@snipsnap/core'
import { parseTimeloopMapping, parseTimeloopYaml, writeTimeloopYaml } from '@snipsnap/timeloop'
import { SMALL_DESIGN_YAML } from './testing'

const shared = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference')
const caseText = (name: string): string => fs.readFileSync(path.join(shared, 'sparseloop', name, 'input.yaml'), 'utf8')
const BASES = [SMALL_DESIGN_YAML, caseText('fig1-coordlist-d0.1'), caseText('table7-eyeriss-conv1-sparse'), caseText('fig15-STC_flexible-RLE-M512-K256-N1024-w0.25')]
  // compound_components is an Accelergy passthrough: mutating it tests nothing.
  .map((text) => stringify({ ...(parse(text) as Record<string, unknown>), compound_components: undefined }))

type Path = (string | number)[]

const pathsOf = (value: unknown, prefix: Path = [], out: Path[] = []): Path[] => {
  if (Array.isArray(value)) value.forEach((item, i) => { out.push([...prefix, i]); pathsOf(item, [...prefix, i], out) })
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) { out.push([...prefix, key]); pathsOf(item, [...prefix, key], out) }
  }
  return out
}

const REPLACEMENTS: readonly unknown[] = [-1, 0, Number.NaN, Number.POSITIVE_INFINITY, 1e12, 0.5, 'abc', '', null, true, [], {}, ['x'], { a: 1 }, 'M=5', 'KMN']

const mutate = (doc: unknown, target: Path, replacement: unknown | typeof DELETE): unknown => {
  const clone = structuredClone(doc) as Record<string | number, unknown>
  let node: Record<string | number, unknown> = clone
  for (const key of target.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = target[target.length - 1] as string | number
  if (replacement === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1)
    else delete node[last]
  } else node[last] = replacement
  return clone
}
const DELETE = Symbol('delete')

const allFinite = (value: unknown): boolean => {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite)
  return true
}

const INPUT_CODES = new Set(['PARSE_ERROR', 'INVALID_SPEC', 'UNSUPPORTED_FEATURE'])

const check = (text: string): void => {
  let design
  try {
    design = parseTimeloopYaml([{ fileName: 'input.yaml', text }])
  } catch (error) {
    if (!isSnipSnapError(error)) throw error
    expect(INPUT_CODES.has(error.code), `${error.code}: ${error.message}`).toBe(true)
    expect(error.path[0]).toBe('input.yaml')
    return
  }
  expect(allFinite(design)).toBe(true)
  // Whatever parses must also write back to an equal design.
  expect(parseTimeloopYaml([{ fileName: 'written.yaml', text: writeTimeloopYaml(design) }])).toEqual(design)
}

describe('mutated case YAML', () => {
  test.prop([fc.nat(), fc.nat(), fc.nat({ max: REPLACEMENTS.length })], { examples: [[615346459, 1428666759, 0], [248444143, 12, 2], [1726849119, 17, 5], [1506220459, 17, 9], [0, 4, 9], [1502998475, 17, 9]] })('a value replaced or a key deleted', (b, p, r) => {
    const base = BASES[b % BASES.length] ?? ''
    const doc = parse(base) as unknown
    const paths = pathsOf(doc)
    const target = paths[p % paths.length] ?? []
    const replacement = r === REPLACEMENTS.length ? DELETE : REPLACEMENTS[r]
    check(stringify(mutate(doc, target, replacement)))
  })

  test.prop([fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })])('text truncated anywhere', (b, at) => {
    const base = BASES[b % BASES.length] ?? ''
    check(base.slice(0, Math.floor(base.length * at)))
  })

  test.prop([fc.nat(), fc.string({ maxLength: 6 }), fc.double({ min: 0, max: 1, noNaN: true })])('characters inserted anywhere', (b, junk, at) => {
    const base = BASES[b % BASES.length] ?? ''
    const cut = Math.floor(base.length * at)
    check(base.slice(0, cut) + junk + base.slice(cut))
  })

  const dir = path.join(shared, 'sparseloop-random', 'fig15-STC-M512-K1024-N256-w0.5')
  const design = parseTimeloopYaml([{ fileName: 'base.yaml', text: fs.readFileSync(path.join(dir, 'base.yaml'), 'utf8') }])
  const lines = fs.readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8').trim().split('\n')
  test.prop([fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 4 })])('a random-mapping row mutated', (row, at, junk) => {
    const text = (JSON.parse(lines[row % lines.length] ?? '{}') as { mapping: string }).mapping
    const cut = Math.floor(text.length * at)
    try {
      const mapping = parseTimeloopMapping(text.slice(0, cut) + junk + text.slice(cut), design.problem, design.arch)
      expect(allFinite(mapping)).toBe(true)
    } catch (error) {
      if (!isSnipSnapError(error)) throw error
      expect(INPUT_CODES.has(error.code), error.message).toBe(true)
    }
  })
})

// The fast mapping-section reader must give exactly the general reader's result wherever it
// answers, and answer nothing where the general reader fails (that one reports the error).
import fs from 'node:fs'
import path from 'node:path'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { MappingSpec } from '@snipsnap/core'
import { parseTimeloopMapping, parseTimeloopYaml } from '../parse'
import { parseMappingYamlFast } from './fast-mapping-yaml'
import { isRecord } from './read'
import { parseYamlText } from './source'
import { mappingContext, type MappingContext, parseMappingSection, parseMappingSectionFast } from './mapping'
import { readRandomMappingCases, readSource, sharedReference, type RandomMappingCase } from './random-cases-fixture'

const cases: readonly RandomMappingCase[] = readRandomMappingCases()

/** The general reader's answer: the mapping, or 'ERROR'. */
const general = (directives: unknown, context: MappingContext): MappingSpec | 'ERROR' => {
  try {
    return parseMappingSection(directives, { file: 'row', path: ['mapping'] }, context)
  } catch {
    return 'ERROR'
  }
}

const directivesOf = (text: string): unknown => (parse(text) as { mapping: unknown }).mapping

describe('parseMappingSectionFast', () => {
  it('reads every shared random-mapping row exactly as the general reader does', () => {
    expect(cases.length).toBeGreaterThan(5)
    for (const { design, context, texts } of cases) {
      for (const text of texts) {
        const want = general(directivesOf(text), context)
        expect(want).not.toBe('ERROR')
        expect(parseMappingSectionFast(parseMappingYamlFast(text)?.mapping, context)).toEqual(want)
        expect(parseTimeloopMapping(text, design.problem, design.arch)).toEqual(want)
      }
    }
  })

  it('reads the mapper cases’ map.yaml files as the general reader does, when it answers', () => {
    const mapper = path.join(sharedReference, 'sparseloop-mapper')
    let answered = 0
    for (const name of fs.readdirSync(mapper).filter((d) => fs.statSync(path.join(mapper, d)).isDirectory())) {
      const dir = path.join(mapper, name)
      const design = parseTimeloopYaml(['input.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => readSource(path.join(dir, f))))
      const context = mappingContext(design.problem, design.arch)
      for (const map of fs.readdirSync(dir).filter((f) => f.endsWith('.map.yaml'))) {
        const text = fs.readFileSync(path.join(dir, map), 'utf8')
        const fast = parseMappingSectionFast(directivesOf(text), context)
        if (fast !== undefined) answered++
        expect(fast ?? general(directivesOf(text), context)).toEqual(general(directivesOf(text), context))
      }
    }
    expect(answered).toBeGreaterThan(0)
  })

  // Mutations of a row's directives at the data level: the fast reader either agrees with the
  // general one or leaves the row to it (never a different mapping, never a mapping where the
  // general reader reports an error).
  const word = fc.constantFrom('M', 'N', 'K', 'C', 'P', 'R', 'A', 'B', 'Z', 'Inputs', 'Weights', 'Outputs', 'DRAM', 'RF', 'x', '', ' ')
  const scalar = fc.oneof(word, fc.constantFrom(0, 1, 2, 3, 4, 8, 16, 32, 64, 1024, -1, 1.5, 99), fc.constantFrom(null, true))
  const factorText = fc
    .array(fc.tuple(fc.constantFrom('M', 'N', 'K', 'C', 'P', 'Q', 'R', 'S', 'X', 'MK'), fc.constantFrom('=', '', '==', ' = ', '<='), fc.constantFrom('0', '1', '2', '4', '8', '16', '32', '64', '3', '007', '1024', '')), { maxLength: 5 })
    .chain((terms) => fc.constantFrom(' ', '  ', ', ', ',').map((sep) => terms.map(([d, op, n]) => `${d}${op}${n}`).join(sep)))
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), key: fc.constantFrom('target', 'type', 'factors', 'permutation', 'split', 'keep', 'bypass', 'stream', 'extra'), value: fc.oneof(scalar, factorText, fc.array(scalar, { maxLength: 3 })) }),
    fc.record({ kind: fc.constant('type' as const), at: fc.nat(), value: fc.constantFrom('temporal', 'spatial', 'datatype', 'bypass', 'bypassing', 'Temporal', 'constructor') }),
    fc.record({ kind: fc.constant('factors' as const), at: fc.nat(), value: factorText }),
    fc.record({ kind: fc.constant('permutation' as const), at: fc.nat(), value: fc.string({ maxLength: 8, unit: fc.constantFrom('M', 'N', 'K', 'C', 'P', 'Q', 'R', 'S', ' ', '_', 'x') }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), key: fc.constantFrom('target', 'type', 'factors', 'permutation', 'split', 'keep', 'bypass', 'stream') }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  )
  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never
  const apply = (directives: Record<string, unknown>[], m: Mutation): void => {
    if (directives.length === 0) return
    const index = m.at % directives.length
    const d = directives[index] as Record<string, unknown>
    if (m.kind === 'set') d[m.key] = m.value
    else if (m.kind === 'type' || m.kind === 'factors' || m.kind === 'permutation') d[m.kind] = m.value
    else if (m.kind === 'delete') delete d[m.key]
    else if (m.kind === 'duplicate') directives.splice(index, 0, { ...d })
    else directives.splice(index, 1)
  }

  test.prop([fc.nat(), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 })], { numRuns: 400 })(
    'agrees with the general reader on mutated directives whenever it answers',
    (caseIndex, row, mutations) => {
      const { context, texts } = cases[caseIndex % cases.length] as RandomMappingCase
      const directives = (directivesOf(texts[row % texts.length] ?? '') as Record<string, unknown>[]).map((d) => ({ ...d }))
      for (const m of mutations) apply(directives, m)
      const fast = parseMappingSectionFast(directives, context)
      if (fast !== undefined) expect(fast).toEqual(general(directives, context))
    },
  )

  test.prop([fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 4, unit: fc.constantFrom(' ', '-', ':', ',', '[', ']', '{', '}', '\n', 'M', 'K', '1', '0', '=', 'x') })])(
    'parseTimeloopMapping gives the general result or its error on mutated row text',
    (caseIndex, row, at, junk) => {
      const { design, context, texts } = cases[caseIndex % cases.length] as RandomMappingCase
      const text = texts[row % texts.length] ?? ''
      const cut = Math.floor(text.length * at)
      const mutated = text.slice(0, cut) + junk + text.slice(cut)
      // The general path: any YAML reader, then the general section reader.
      let want: MappingSpec | 'ERROR'
      try {
        const data = parseYamlText('row', mutated)
        if (Array.isArray(data)) want = general(data, context)
        else if (isRecord(data) && Object.keys(data).length === 1 && Object.hasOwn(data, 'mapping')) want = general(data['mapping'], context)
        else want = 'ERROR'
      } catch {
        want = 'ERROR'
      }
      let got: MappingSpec | 'ERROR'
      try {
        got = parseTimeloopMapping(mutated, design.problem, design.arch)
      } catch {
        got = 'ERROR'
      }
      expect(got).toEqual(want)
    },
  )
})

// The fast mapping scanner must agree with `yaml` wherever it answers.
import fs from 'node:fs'
import path from 'node:path'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseMappingYamlFast } from './fast-mapping-yaml'

const random = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-random')
const rows = fs.readdirSync(random)
  .filter((d) => fs.existsSync(path.join(random, d, 'mappings.jsonl')))
  .flatMap((d) => fs.readFileSync(path.join(random, d, 'mappings.jsonl'), 'utf8').trim().split('\n'))
  .map((line) => (JSON.parse(line) as { mapping: string }).mapping)

const yamlOrError = (text: string): unknown => {
  try {
    return parse(text)
  } catch {
    return 'ERROR'
  }
}

describe('parseMappingYamlFast', () => {
  it('reads every shared random-mapping row exactly as yaml does', () => {
    expect(rows.length).toBeGreaterThan(700)
    for (const text of rows) expect(parseMappingYamlFast(text)).toEqual(parse(text))
  })

  it('falls back on what it does not cover', () => {
    for (const text of ['mapping:\n- {target: A, factors: "M=1"}\n', 'mapping:\n- target: A # c\n', 'mapping:\n- {split: 1.5}\n', 'mapping:\n- {x: true}\n', 'foo: 1\n', 'mapping:\n  - target: A\n      type: B\n']) {
      expect(parseMappingYamlFast(text)).toBeUndefined()
    }
  })

  test.prop([fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 5, unit: fc.constantFrom(' ', '-', ':', ',', '[', ']', '{', '}', '\n', 'a', '1', '0', '.', '=', 'x') })])(
    'agrees with yaml on mutated rows whenever it answers',
    (row, at, junk) => {
      const text = rows[row % rows.length] ?? ''
      const cut = Math.floor(text.length * at)
      const mutated = text.slice(0, cut) + junk + text.slice(cut)
      const fast = parseMappingYamlFast(mutated)
      if (fast !== undefined) expect(fast).toEqual(yamlOrError(mutated))
    },
  )
})

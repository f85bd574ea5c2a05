// The fast design-file reader must agree with `yaml` wherever it answers, and answer for the
// shared Timeloop files (or it would not make `evaluate` faster).
import fs from 'node:fs'
import path from 'node:path'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { parseYamlFast } from './fast-yaml'

const shared = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'reference')
const yamlFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return yamlFiles(full)
    return /\.ya?ml$/.test(entry.name) ? [full] : []
  })
const files = yamlFiles(shared).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }))

const yamlOrError = (text: string): unknown => {
  try {
    return parse(text)
  } catch {
    return 'ERROR'
  }
}

/** `yaml`'s value, with `Object.is` semantics for -0 as `toEqual` has. */
const expectSameAsYaml = (text: string): void => {
  const fast = parseYamlFast(text)
  if (fast !== undefined) expect(fast).toStrictEqual(yamlOrError(text))
}

describe('parseYamlFast', () => {
  it('reads the shared Timeloop YAML files exactly as yaml does', () => {
    expect(files.length).toBeGreaterThan(50)
    let answered = 0
    for (const { file, text } of files) {
      const fast = parseYamlFast(text)
      if (fast === undefined) continue
      answered++
      expect(fast, file).toStrictEqual(parse(text))
    }
    // The reader is only worth having if it covers the usual files.
    expect(answered / files.length).toBeGreaterThan(0.8)
  })

  it('reads the subset: compact sequences, flow collections, quotes, comments, scalars', () => {
    const text = [
      '# a comment',
      'a:',
      '- name: x # trailing',
      '  attributes: {depth: 2, width: -3, ratio: 0.5, big: 1e3, none: null}',
      '  list: [A, B, 7]',
      '- name: "quoted # not a comment"',
      "  other: 'single'",
      '  empty:',
      '-',
      '- 45nm',
      'b:',
      '  c: True',
      '  d: ~',
      '  e: it\'s',
      '  f: a:b',
      'g: []',
      'h: {}',
      'projection:',
      '- - - M',
      '  - - K',
      '- [ [ N ], [a, {b: 1}] ]',
      'bypass:',
      '  []',
      'formula: a * b',
      '',
    ].join('\n')
    expect(parseYamlFast(text)).toStrictEqual(parse(text))
    expect(parseYamlFast(text)).not.toBeUndefined()
  })

  it('leaves to yaml what it does not cover', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors
      'a: !!str 1\n', // tags
      'a: |\n  text\n', // block scalars
      'a: b\n  c\n', // multi-line plain scalars
      'a: 1\na: 2\n', // duplicate keys (an error yaml reports)
      'a:\n\tb: 1\n', // tabs
      '---\na: 1\n', // document markers
      'a: [1,\n  2]\n', // flow collections over several lines
      'a: [1, ]\n', // trailing commas
      'a: "x\\ny"\n', // escapes
      'a: 0x1F\n', // other number forms
      'a: .5\n',
      '"a": 1\n', // quoted keys
      '  a: 1\n', // indented document
      'a: *x\n', // aliases as values
      'a: 1\n b: 2\n', // bad indentation
    ]) {
      expect(parseYamlFast(text), text).toBeUndefined()
    }
  })

  const scalarArb = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'B', '1', '.', '-', '_', ' ', ':', '#', "'", '"', '[', '{', ',', 'e', 'x') }),
  )
  const keyArb = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', 'K', '_', '-', '1', '.', ' ', ':') })
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, tie('list'), tie('map')),
    list: fc.array(tie('tree'), { maxLength: 4 }),
    map: fc.dictionary(keyArb, tie('tree'), { maxKeys: 4 }),
  }))

  test.prop([fc.dictionary(keyArb, tree, { minKeys: 1, maxKeys: 5 }), fc.constantFrom<'block' | 'mixed'>('block', 'mixed')])(
    'agrees with yaml on documents yaml writes',
    (data, style) => {
      const text = stringify(data, style === 'block' ? {} : { collectionStyle: 'any', flowCollectionPadding: false })
      expectSameAsYaml(text)
    },
  )

  test.prop([fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 6, unit: fc.constantFrom(' ', '  ', '-', ':', ',', '[', ']', '{', '}', '\n', '#', "'", '"', 'a', '1', '0', '.', 'e', 'null') })])(
    'agrees with yaml on mutated shared files whenever it answers',
    (index, at, junk) => {
      const { text } = files[index % files.length] ?? { text: '' }
      const cut = Math.floor(text.length * at)
      expectSameAsYaml(text.slice(0, cut) + junk + text.slice(cut))
    },
  )
})

import { describe, expect, it } from 'vitest'
import { isSnipSnapError, type SnipSnapError } from '@snipsnap/core'
import { MAX_YAML_DEPTH, findDeepYamlNesting, readYamlDocument, readYamlValue } from '@snipsnap/core/yaml'

const errorOf = (text: string, options?: Parameters<typeof readYamlValue>[2]): SnipSnapError => {
  try {
    readYamlValue(text, 'spec.yaml', options)
  } catch (error) {
    if (isSnipSnapError(error)) return error
    throw error
  }
  throw new Error('expected a SnipSnapError')
}

describe('readYamlValue', () => {
  it('reads YAML and JSON into plain data', () => {
    expect(readYamlValue('a: 1\nb: [x, { c: true }]\n', 'spec.yaml')).toEqual({ a: 1, b: ['x', { c: true }] })
    expect(readYamlValue('{"a": [1, 2]}', 'spec.json')).toEqual({ a: [1, 2] })
    expect(readYamlValue('', 'empty.yaml')).toBe(null)
  })

  it.each([
    ['malformed text', 'a: [1\n', /^spec\.yaml:2:1: .*\]/],
    ['an unknown tag', 'a: 1\nb: !fancy 2\n', /^spec\.yaml:2:4: Unresolved tag: !fancy$/],
    ['a key given twice', 'a: 1\nb: 2\na: 3\n', /^spec\.yaml:3:1: Map keys must be unique$/],
  ])('refuses %s with PARSE_ERROR naming file, line and column once', (_, text, message) => {
    const error = errorOf(text)
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.path).toEqual(['spec.yaml'])
    expect(error.message).toMatch(message)
    expect(error.message).not.toMatch(/at line \d+/)
    expect(error.issues).toEqual([{ code: 'parse-error', path: ['spec.yaml'], message: error.message.slice('spec.yaml:'.length).replace(': ', ' ') }])
  })

  it('refuses nesting deeper than MAX_YAML_DEPTH before parsing, with its line', () => {
    const deep = `a:\n  b: ${'['.repeat(MAX_YAML_DEPTH + 10)}${']'.repeat(MAX_YAML_DEPTH + 10)}\n`
    const error = errorOf(deep)
    expect(error.message).toMatch(/^spec\.yaml:2:\d+: nested too deeply to read/)
    // Deep enough to overflow the YAML library's stack, were it not refused first.
    expect(errorOf(`x: ${'['.repeat(5000)}${']'.repeat(5000)}`).message).toMatch(/^spec\.yaml:1:\d+: nested too deeply to read/)
    expect(readYamlValue(`${'['.repeat(MAX_YAML_DEPTH - 2)}1${']'.repeat(MAX_YAML_DEPTH - 2)}`, 'ok.yaml')).toBeDefined()
    expect(findDeepYamlNesting('a:\n  - - x\n', 3)).toEqual({ line: 2, col: 7 })
  })

  it('bounds alias expansion', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n')
    expect(errorOf(bomb).message).toMatch(/^spec\.yaml: .*alias/i)
  })

  it("uses the caller's code and path", () => {
    const error = errorOf('a: !x 1', { code: 'INVALID_SPEC', path: ['--axes'] })
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.path).toEqual(['--axes'])
    expect(error.toLine()).toBe('INVALID_SPEC --axes: spec.yaml:1:4: Unresolved tag: !x')
  })

  it('keeps the document and its lines for locating keys', () => {
    const { doc, lines } = readYamlDocument('a: 1\nb:\n  c: 2\n', 'spec.yaml')
    const range = (doc.getIn(['b', 'c'], true) as { range: [number, number, number] }).range
    expect(lines.linePos(range[0]).line).toBe(3)
  })
})

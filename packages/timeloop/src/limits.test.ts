// Limits say what is wrong: a size above 2^53, nesting deeper than the reader goes (instead of
// "Maximum call stack size exceeded"), an unknown YAML tag (instead of a Node warning).
import { describe, expect, it } from 'vitest'
import { errorOf } from '@snipsnap/core/testing'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import { SMALL_DESIGN_YAML } from './testing'

const parse = (text: string) => parseTimeloopYaml([{ fileName: 'input.yaml', text }])

describe('limits', () => {
  it('a size of 1e18 is above the largest supported size 2^53', () => {
    const error = errorOf(() => parse(SMALL_DESIGN_YAML.replace('depth: 512', 'depth: 1e18')))
    expect(error.message).toMatch(/depth: expected a non-negative integer, got 1000000000000000000: above the largest supported size 2\^53/)
  })

  it.each([
    ['flow lists', `architecture: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['flow mappings', `mapper:\n  x: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`],
    ['block mappings', `mapper:\n${Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\n')}\n`],
    ['list markers', `mapper:\n  ${'- '.repeat(3000)}1\n`],
  ])('very deep nesting (%s) is a clear parse error', (_what, text) => {
    const error = errorOf(() => parse(text))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.message).toMatch(/nested more than 256 levels deep|nested too deeply/)
    expect(error.message).not.toMatch(/call stack/i)
  })

  it('real files are far from the depth limit', () => {
    expect(() => parse(SMALL_DESIGN_YAML)).not.toThrow()
  })

  it('an unknown YAML tag is a parse error with its position', () => {
    const error = errorOf(() => parse(`${SMALL_DESIGN_YAML}mapper: !fancy {algorithm: hybrid}\n`))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.message).toMatch(/input\.yaml:\d+:\d+: Unresolved tag: !fancy/)
  })
})

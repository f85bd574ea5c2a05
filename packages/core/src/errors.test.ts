import { describe, expect, it } from 'vitest'
import { formatPath, invalidSpec, isSnipSnapError, SnipSnapError, toSnipSnapError } from '@snipsnap/core'

describe('SnipSnapError', () => {
  it('is recognised across copies of @snipsnap/core (a bundled CLI and an external package), plain errors are not', () => {
    // What another copy's SnipSnapError looks like to this one: another class, the same brand.
    const foreign = Object.assign(new Error('axes: unknown key'), { code: 'INVALID_SPEC', [Symbol.for('@snipsnap/core/SnipSnapError')]: true })
    expect(foreign instanceof SnipSnapError).toBe(true)
    expect(toSnipSnapError(foreign).code).toBe('INVALID_SPEC')
    expect(new Error('x') instanceof SnipSnapError).toBe(false)
    expect(toSnipSnapError(new Error('x')).code).toBe('INTERNAL')
    expect(new SnipSnapError('INTERNAL', 'x') instanceof Error).toBe(true)
  })

  it('carries code, path, issues and cause', () => {
    const cause = new Error('low level')
    const error = new SnipSnapError('PARSE_ERROR', 'bad token', { path: ['mapping', 3, 'factors'], cause })
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.cause).toBe(cause)
    expect(error.toLine()).toBe('PARSE_ERROR mapping[3].factors: bad token')
    expect(isSnipSnapError(error)).toBe(true)
  })
  it('prints the location once when the message already starts with it', () => {
    expect(new SnipSnapError('PARSE_ERROR', 'study.yaml:3:1: Map keys must be unique', { path: ['study.yaml'] }).toLine()).toBe('PARSE_ERROR study.yaml:3:1: Map keys must be unique')
    expect(new SnipSnapError('PARSE_ERROR', 'study.yaml: empty', { path: ['study.yaml'] }).toLine()).toBe('PARSE_ERROR study.yaml: empty')
    // A message merely starting with the same letters is still prefixed.
    expect(new SnipSnapError('INVALID_SPEC', 'axes.yaml:1:1: bad', { path: ['axes'] }).toLine()).toBe('INVALID_SPEC axes: axes.yaml:1:1: bad')
  })
  it('wraps unknown throwables as INTERNAL', () => {
    expect(toSnipSnapError(new TypeError('x')).code).toBe('INTERNAL')
    expect(toSnipSnapError('boom').message).toBe('boom')
  })
  it('builds INVALID_SPEC from issues with the first one in the message', () => {
    const error = invalidSpec([
      { code: 'too_small', path: ['A', 'density'], message: 'must be ≥ 0' },
      { code: 'x', path: [], message: 'other' },
    ])
    expect(error.message).toBe('A.density: must be ≥ 0 (and 1 more)')
    expect(formatPath(['a', 0, 'b'])).toBe('a[0].b')
  })
})

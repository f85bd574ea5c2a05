import { describe, expect, it } from 'vitest'
import { formatPath, invalidSpec, isSnipSnapError, SnipSnapError, toSnipSnapError } from '@snipsnap/core'

describe('SnipSnapError', () => {
  it('carries code, path, issues and cause', () => {
    const cause = new Error('low level')
    const error = new SnipSnapError('PARSE_ERROR', 'bad token', { path: ['mapping', 3, 'factors'], cause })
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.cause).toBe(cause)
    expect(error.toLine()).toBe('PARSE_ERROR mapping[3].factors: bad token')
    expect(isSnipSnapError(error)).toBe(true)
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

import { describe, expect, it } from 'vitest'
import { SnipSnapError } from '@snipsnap/core'
import { errorOf, errorOfAsync } from '@snipsnap/core/testing'

const invalid = new SnipSnapError('INVALID_SPEC', 'density must be in [0, 1]', { path: ['A', 'density'] })

describe('errorOf', () => {
  it('returns the SnipSnapError the call throws', () => {
    expect(errorOf(() => { throw invalid })).toBe(invalid)
  })
  it('fails when nothing is thrown', () => {
    expect(() => errorOf(() => 42)).toThrow('expected a SnipSnapError, but nothing was thrown')
  })
  it('fails on another error, naming it and keeping it as the cause', () => {
    const other = new TypeError('x is undefined')
    let failure: unknown
    try {
      errorOf(() => { throw other })
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(Error)
    expect(failure).not.toBeInstanceOf(SnipSnapError)
    expect((failure as Error).message).toBe('expected a SnipSnapError, but TypeError: x is undefined was thrown')
    expect((failure as Error).cause).toBe(other)
    expect(() => errorOf(() => { throw 'oops' })).toThrow('expected a SnipSnapError, but string oops was thrown')
  })
  it('fails on a call that returns a promise, pointing at errorOfAsync', () => {
    expect(() => errorOf(async () => { throw invalid })).toThrow(/returned a promise: use errorOfAsync/)
  })
})

describe('errorOfAsync', () => {
  it('returns the SnipSnapError a call rejects with or throws synchronously', async () => {
    expect(await errorOfAsync(async () => { throw invalid })).toBe(invalid)
    expect(await errorOfAsync(() => { throw invalid })).toBe(invalid)
  })
  it('fails when the call resolves', async () => {
    await expect(errorOfAsync(async () => 42)).rejects.toThrow('expected a SnipSnapError, but nothing was thrown')
  })
  it('fails on another rejection, keeping it as the cause', async () => {
    const other = new RangeError('offset out of range')
    await expect(errorOfAsync(() => Promise.reject(other))).rejects.toMatchObject({
      message: 'expected a SnipSnapError, but RangeError: offset out of range was thrown',
      cause: other,
    })
  })
})

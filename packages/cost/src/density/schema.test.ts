// Parameter validation of the density models (zod/mini since issue 12): a bad field is an
// INVALID_SPEC naming it, with zod's English message even though zod/mini loads no locale.
import { errorOf } from '@snipsnap/core/testing'
import { describe, expect, it } from 'vitest'
import { createNmDensity } from './index'

describe('density model parameter validation', () => {
  it('a wrongly typed field gets an English message and its path', () => {
    const error = errorOf(() => createNmDensity({ density: 0.5, tensorShape: [16, 'x' as unknown as number], params: { n: 2, m: 4 } }))
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.issues[0]?.path).toEqual(['tensorShape', 1])
    expect(error.issues[0]?.message).toBe('Invalid input: expected number, received string')
  })

  it('custom messages of the checks are kept, every failing check reported', () => {
    const error = errorOf(() => createNmDensity({ density: 0.5, tensorShape: [16, 64], params: { n: 2.5, m: -4 } }))
    expect(error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['params.n', 'must be an integer'],
      ['params.m', 'must be positive'],
    ])
  })

  it('a density outside [0, 1] names the field', () => {
    const error = errorOf(() => createNmDensity({ density: 1.5, tensorShape: [16, 64], params: { n: 2, m: 4 } }))
    expect(error.issues).toEqual([{ code: 'custom', path: ['density'], message: 'density must be in [0, 1]' }])
  })
})

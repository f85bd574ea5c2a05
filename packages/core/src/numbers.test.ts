import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { assertFinite, bitsFor, divisors, integerProblem, primeFactors, SnipSnapError } from '@snipsnap/core'

describe('numbers', () => {
  test.prop([fc.integer({ min: 1, max: 1_000_000 })])('prime factors multiply back', (n) => {
    expect(primeFactors(n).reduce((a, b) => a * b, 1)).toBe(n)
  })
  it('factorises LLaMA sizes', () => {
    expect(primeFactors(11008)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 43])
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12])
  })
  it('rejects non-positive and fractional sizes with INVALID_SPEC', () => {
    for (const bad of [0, -4, 2.5, Number.NaN]) {
      expect(() => primeFactors(bad)).toThrowError(expect.objectContaining({ code: 'INVALID_SPEC' }))
    }
  })
  it('bitsFor gives the width of the largest value', () => {
    expect([bitsFor(0), bitsFor(1), bitsFor(2), bitsFor(127), bitsFor(128)]).toEqual([1, 1, 2, 7, 8])
  })
  it('assertFinite throws on NaN and Infinity', () => {
    expect(assertFinite(3, 'x')).toBe(3)
    expect(() => assertFinite(Number.NaN, 'energy')).toThrow(SnipSnapError)
    expect(() => assertFinite(Infinity, 'energy')).toThrow(/energy/)
  })
})

describe('integerProblem', () => {
  it.each([
    [1e18, {}, 'above the largest supported size 2^53 (9,007,199,254,740,991)'],
    [Number.POSITIVE_INFINITY, {}, 'above the largest supported size 2^53 (9,007,199,254,740,991)'],
    [Number.NaN, {}, 'not a number'],
    [2.5, {}, 'not a whole number'],
    [-1, {}, 'negative'],
    [0, { min: 1 }, 'zero'],
    [3, { min: 4 }, 'below the minimum 4'],
    [9, { max: 8 }, 'above the maximum 8'],
    [Number.MAX_SAFE_INTEGER, {}, null],
    [0, {}, null],
  ] as const)('%s %j → %s', (value, options, expected) => {
    expect(integerProblem(value, options)).toBe(expected)
  })
})

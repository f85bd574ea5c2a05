// Numeric guards used where reports are normalised: results never contain NaN or Infinity.
import { SnipSnapError } from './errors'

/** @throws {SnipSnapError} INTERNAL when `value` is not a finite number. */
export const assertFinite = (value: number, what: string): number => {
  if (!Number.isFinite(value)) {
    throw new SnipSnapError('INTERNAL', `${what} is not finite (${value})`)
  }
  return value
}

/** Prime factorisation in ascending order, e.g. 12 → [2, 2, 3]. Requires a positive integer. */
export const primeFactors = (n: number): number[] => {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new SnipSnapError('INVALID_SPEC', `cannot factorise ${n}: expected a positive integer`)
  }
  const factors: number[] = []
  let rest = n
  for (let p = 2; p * p <= rest; p++) {
    while (rest % p === 0) {
      factors.push(p)
      rest /= p
    }
  }
  if (rest > 1) factors.push(rest)
  return factors
}

/** All divisors of n in ascending order. */
export const divisors = (n: number): number[] => {
  const small: number[] = []
  const large: number[] = []
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      small.push(d)
      if (d * d !== n) large.push(n / d)
    }
  }
  return [...small, ...large.reverse()]
}

/** Bits needed to represent values 0..maxValue (at least 1). */
export const bitsFor = (maxValue: number): number =>
  maxValue <= 1 ? 1 : Math.ceil(Math.log2(maxValue + 1))

/**
 * Why `value` is not an integer in [`min`, `max`], in words a user can act on, or null when it
 * is one. Sizes and counts above 2^53 − 1 cannot be represented exactly, so they are refused as
 * "above the largest supported size 2^53" rather than as "not an integer".
 * @example integerProblem(1e18) // 'above the largest supported size 2^53 (9,007,199,254,740,991)'
 */
export const integerProblem = (value: number, options: { readonly min?: number; readonly max?: number } = {}): string | null => {
  const min = options.min ?? 0
  const max = Math.min(options.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
  if (Number.isNaN(value)) return 'not a number'
  if (value > Number.MAX_SAFE_INTEGER) return 'above the largest supported size 2^53 (9,007,199,254,740,991)'
  if (value === Number.NEGATIVE_INFINITY) return 'not finite'
  if (!Number.isInteger(value)) return 'not a whole number'
  if (value < min) return min === 0 ? 'negative' : min === 1 && value === 0 ? 'zero' : `below the minimum ${min}`
  if (value > max) return `above the maximum ${max}`
  return null
}

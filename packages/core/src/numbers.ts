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

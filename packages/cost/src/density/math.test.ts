import { fc, test } from '@fast-check/vitest'
import {
  convolve,
  expectationOf,
  hypergeometricDistribution,
  hypergeometricProbabilityZero,
  logChoose,
  logGamma,
  logGammaRatio,
  quantileOf,
} from './index'
import { describe, expect, it } from 'vitest'

// Exact binomials and probabilities with BigInt, independent of the code under test.
const choose = (n: bigint, k: bigint): bigint => {
  if (k < 0n || k > n) return 0n
  const small = k < n - k ? k : n - k
  let acc = 1n
  for (let i = 0n; i < small; i++) acc = (acc * (n - i)) / (i + 1n)
  return acc
}
const ratio = (num: bigint, den: bigint): number => {
  // num/den to full double precision: scale by 2^120 before the integer division.
  const scaled = (num << 120n) / den
  return Number(scaled) / 2 ** 120
}
const exactPmf = (N: number, r: number, n: number, k: number): number =>
  ratio(
    choose(BigInt(r), BigInt(k)) * choose(BigInt(N - r), BigInt(n - k)),
    choose(BigInt(N), BigInt(n))
  )

const relClose = (actual: number, expected: number, rel: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300)
}

const probabilityAt = (
  dist: { occupancies: readonly number[]; probabilities: readonly number[] },
  k: number
) => {
  const i = dist.occupancies.indexOf(k)
  return i < 0 ? 0 : dist.probabilities[i] ?? 0
}

describe('hypergeometric numerics', () => {
  it('matches exact BigInt probabilities within 1e-9 relative (golden values)', () => {
    const cases: [number, number, number][] = [
      [20, 7, 5],
      [100, 50, 10],
      [1000, 123, 64],
      [4096 * 11008, Math.ceil(0.5 * 4096 * 11008), 64],
      [1_000_000_000, 500_000_000, 5],
      [1_000_000_000, 100_000_000, 16],
    ]
    for (const [N, r, n] of cases) {
      const dist = hypergeometricDistribution({ population: N, successes: r, draws: n })
      for (let k = 0; k <= n; k++) {
        const expected = exactPmf(N, r, n, k)
        if (expected > 1e-14) relClose(probabilityAt(dist, k), expected, 1e-9)
      }
      relClose(hypergeometricProbabilityZero(N, r, n), exactPmf(N, r, n, 0), 1e-9)
    }
  })

  it('P(empty) from the log-gamma path agrees with the distribution for large draws', () => {
    for (const [N, r, n] of [
      [45_088_768, 4_509, 20_000],
      [1_000_000_000, 50_000, 30_000],
    ] as const) {
      const dist = hypergeometricDistribution({ population: N, successes: r, draws: n })
      relClose(hypergeometricProbabilityZero(N, r, n), probabilityAt(dist, 0), 1e-8)
    }
  })

  test.prop([
    fc.integer({ min: 1, max: 60 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])('equals a direct small-N enumeration', (N, rf, nf) => {
    const r = Math.round(rf * N)
    const n = Math.round(nf * N)
    const dist = hypergeometricDistribution({ population: N, successes: r, draws: n })
    let sum = 0
    for (let k = 0; k <= n; k++) {
      const expected = exactPmf(N, r, n, k)
      sum += probabilityAt(dist, k)
      if (expected > 1e-14) relClose(probabilityAt(dist, k), expected, 1e-9)
    }
    expect(sum).toBeCloseTo(1, 12)
    expect(expectationOf(dist)).toBeCloseTo(N === 0 ? 0 : (n * r) / N, 9)
  })

  test.prop([
    fc.integer({ min: 1, max: 2_000_000_000 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])('sums to 1 with mean n·r/N for tensors up to 2·10^9 elements', (N, rf, nf) => {
    const r = Math.round(rf * N)
    const n = Math.min(N, Math.round(nf * Math.min(N, 200_000)))
    const dist = hypergeometricDistribution({ population: N, successes: r, draws: n })
    const total = dist.probabilities.reduce((a, b) => a + b, 0)
    expect(Math.abs(total - 1)).toBeLessThan(1e-12)
    for (const p of dist.probabilities) expect(Number.isFinite(p) && p >= 0).toBe(true)
    const mean = (n * r) / N
    expect(Math.abs(expectationOf(dist) - mean)).toBeLessThanOrEqual(1e-9 * Math.max(1, mean))
  })

  it('log-gamma helpers agree with direct sums', () => {
    let acc = 0
    for (let i = 1; i <= 200; i++) {
      acc += Math.log(i)
      relClose(logGamma(i + 1), acc, 1e-13)
    }
    // ln(N!/(N−h)!) for large N against a direct sum of logs.
    let direct = 0
    for (let i = 0; i < 1000; i++) direct += Math.log(1e9 - i)
    relClose(logGammaRatio(1e9 - 999, 1000), direct, 1e-13)
    relClose(Math.exp(logChoose(50, 20)), Number(choose(50n, 20n)), 1e-12)
  })

  it('quantile follows boost rounding (outwards) and confidence 1 gives the maximum', () => {
    const dist = { occupancies: [0, 1, 2, 3], probabilities: [0.25, 0.25, 0.25, 0.25] }
    expect(quantileOf(dist, 1)).toBe(3)
    expect(quantileOf(dist, 0.75)).toBe(2)
    expect(quantileOf(dist, 0.76)).toBe(3)
    expect(quantileOf(dist, 0.5)).toBe(1)
    expect(quantileOf(dist, 0.1)).toBe(0)
  })

  it('convolution of two Bernoulli(½) is Binomial(2, ½)', () => {
    const b = { occupancies: [0, 1], probabilities: [0.5, 0.5] }
    const c = convolve(b, b)
    expect(c.occupancies).toEqual([0, 1, 2])
    expect(c.probabilities).toEqual([0.25, 0.5, 0.25])
  })
})

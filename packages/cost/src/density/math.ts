// Numerics shared by the density models: hypergeometric probabilities that stay accurate for
// tensors of 10^9 elements, log-gamma differences, and operations on occupancy distributions.
// Everything here is pure and allocation-light; callers cache per tile shape.
import type { OccupancyDistribution } from '@snipsnap/core'

/** Mass below which a distribution's tails are cut (per side), relative to the total. */
export const TAIL_MASS = 1e-16

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)

// ln((x-1)!) for small integers: exact enough from the product, used below the Stirling range.
const LN_FACTORIAL_SMALL: number[] = (() => {
  const table = [0]
  let acc = 0
  for (let i = 1; i <= 32; i++) {
    acc += Math.log(i)
    table.push(acc)
  }
  return table
})()

// Stirling series remainder S(z) of lnΓ(z) = (z−½)ln z − z + ½ln 2π + S(z), z ≥ 16.
const stirlingTail = (z: number): number => {
  const inv = 1 / z
  const inv2 = inv * inv
  return inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680))))
}

/** ln Γ(x) for x ≥ 1 (integers or reals). */
export const logGamma = (x: number): number => {
  if (Number.isInteger(x) && x <= 33) return LN_FACTORIAL_SMALL[x - 1] ?? 0
  if (x < 16) {
    // Shift into the Stirling range: Γ(x) = Γ(x + k) / (x (x+1) … (x+k−1)).
    let shift = 0
    let z = x
    while (z < 16) {
      shift += Math.log(z)
      z += 1
    }
    return logGamma(z) - shift
  }
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingTail(x)
}

/**
 * ln Γ(x + h) − ln Γ(x) for x ≥ 1, h ≥ 0, computed without subtracting two huge numbers:
 * (x − ½)·log1p(h/x) + h·ln(x + h) − h + S(x+h) − S(x). Absolute error ≈ h·ln(x+h)·ε.
 */
export const logGammaRatio = (x: number, h: number): number => {
  if (h === 0) return 0
  if (x < 16) return logGamma(x + h) - logGamma(x)
  return (
    (x - 0.5) * Math.log1p(h / x) + h * Math.log(x + h) - h + stirlingTail(x + h) - stirlingTail(x)
  )
}

/** ln C(n, k) for integers 0 ≤ k ≤ n. */
export const logChoose = (n: number, k: number): number => {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY
  if (k === 0 || k === n) return 0
  const small = Math.min(k, n - k)
  // ln n!/(n−small)! − ln small!
  return logGammaRatio(n - small + 1, small) - logGamma(small + 1)
}

/**
 * Probability that a hypergeometric draw of `draws` items from `population` items, of which
 * `successes` are marked, contains no marked item: Π_{i<n} (N−r−i)/(N−i).
 */
export const hypergeometricProbabilityZero = (
  population: number,
  successes: number,
  draws: number
): number => {
  if (successes <= 0 || draws <= 0) return 1
  if (draws > population - successes) return 0
  // Upper bound (1 − r/N)^n: skip the work when the answer underflows anyway.
  if (draws * Math.log1p(-successes / population) < -800) return 0
  if (draws <= 4096) {
    let log = 0
    for (let i = 0; i < draws; i++) log += Math.log1p(-successes / (population - i))
    return Math.exp(log)
  }
  // ln[(N−r)!/(N−r−n)!] − ln[N!/(N−n)!], each as a log-gamma ratio (no catastrophic cancellation).
  const log =
    logGammaRatio(population - successes - draws + 1, draws) -
    logGammaRatio(population - draws + 1, draws)
  return Math.exp(log)
}

/** Parameters of a hypergeometric law: `draws` items taken without replacement from `population`. */
export interface HypergeometricLaw {
  readonly population: number
  readonly successes: number
  readonly draws: number
}

/**
 * The hypergeometric pmf P(k) = C(r,k)·C(N−r,n−k)/C(N,n) over its support, tails with mass below
 * {@link TAIL_MASS} cut. Built outward from the mode with the exact term ratio and normalised by
 * the sum, so the result is accurate to ~1e-13 relative even for N ≈ 10^9 (a log-gamma
 * evaluation of each term would lose ~1e-6 there to cancellation).
 */
export const hypergeometricDistribution = (law: HypergeometricLaw): OccupancyDistribution => {
  const { population: N, successes: r, draws: n } = law
  const lo = Math.max(0, n + r - N)
  const hi = Math.min(n, r)
  if (lo >= hi) return { occupancies: [lo], probabilities: [1] }
  let mode = Math.floor(((n + 1) * (r + 1)) / (N + 2))
  mode = Math.min(hi, Math.max(lo, mode))
  // ratio(k) = P(k+1)/P(k)
  const ratio = (k: number): number => ((r - k) * (n - k)) / ((k + 1) * (N - r - n + k + 1))

  const right: number[] = [1]
  let sum = 1
  let term = 1
  for (let k = mode; k < hi; k++) {
    term *= ratio(k)
    if (term === 0) break
    right.push(term)
    sum += term
    const next = k + 1 < hi ? ratio(k + 1) : 0
    if (next < 1 && (term * next) / (1 - next) < TAIL_MASS * sum) break
  }
  const left: number[] = []
  term = 1
  for (let k = mode; k > lo; k--) {
    term /= ratio(k - 1)
    if (term === 0) break
    left.push(term)
    sum += term
    const prev = k - 1 > lo ? 1 / ratio(k - 2) : 0
    if (prev < 1 && (term * prev) / (1 - prev) < TAIL_MASS * sum) break
  }
  const size = left.length + right.length
  const occupancies = new Array<number>(size)
  const probabilities = new Array<number>(size)
  const first = mode - left.length
  for (let i = 0; i < left.length; i++) {
    occupancies[i] = first + i
    probabilities[i] = (left[left.length - 1 - i] ?? 0) / sum
  }
  for (let i = 0; i < right.length; i++) {
    occupancies[left.length + i] = mode + i
    probabilities[left.length + i] = (right[i] ?? 0) / sum
  }
  return { occupancies, probabilities }
}

/**
 * The occupancy at a confidence level, with boost's default `integer_round_outwards` rule that
 * Timeloop inherits: above ½, the smallest k with CDF(k) ≥ confidence; at or below ½, the largest
 * k with CDF(k) ≤ confidence (or the smallest occupancy if none).
 */
export const quantileOf = (dist: OccupancyDistribution, confidence: number): number => {
  const { occupancies, probabilities } = dist
  const last = occupancies[occupancies.length - 1] ?? 0
  // A relative fudge, as boost applies, so a CDF that equals the confidence up to rounding counts.
  const fudge = 1e-12
  let cdf = 0
  if (confidence > 0.5) {
    for (let i = 0; i < occupancies.length; i++) {
      cdf += probabilities[i] ?? 0
      if (cdf >= confidence * (1 - fudge)) return occupancies[i] ?? last
    }
    return last
  }
  let answer = occupancies[0] ?? 0
  for (let i = 0; i < occupancies.length; i++) {
    cdf += probabilities[i] ?? 0
    if (cdf <= confidence * (1 + fudge)) answer = occupancies[i] ?? answer
    else break
  }
  return answer
}

/** Σ_k P(k)·f(k) over a distribution: expected value of any per-occupancy cost. */
export const expectationOf = (
  dist: OccupancyDistribution,
  f: (occupancy: number) => number = (k) => k
): number => {
  let total = 0
  for (let i = 0; i < dist.occupancies.length; i++) {
    total += (dist.probabilities[i] ?? 0) * f(dist.occupancies[i] ?? 0)
  }
  return total
}

/** P(occupancy = 0) read from a distribution. */
export const probabilityZeroOf = (dist: OccupancyDistribution): number =>
  dist.occupancies[0] === 0 ? dist.probabilities[0] ?? 0 : 0

/** Largest occupancy with non-zero probability. */
export const maxOf = (dist: OccupancyDistribution): number =>
  dist.occupancies[dist.occupancies.length - 1] ?? 0

/** A distribution from (occupancy → weight) pairs: sorted, zero weights dropped, normalised. */
export const distributionFromCounts = (
  counts: ReadonlyMap<number, number>
): OccupancyDistribution => {
  const keys = [...counts.keys()].filter((k) => (counts.get(k) ?? 0) > 0).sort((a, b) => a - b)
  let total = 0
  for (const k of keys) total += counts.get(k) ?? 0
  if (total === 0) return { occupancies: [0], probabilities: [1] }
  return { occupancies: keys, probabilities: keys.map((k) => (counts.get(k) ?? 0) / total) }
}

/** A point mass at `occupancy`. */
export const pointMass = (occupancy: number): OccupancyDistribution => ({
  occupancies: [occupancy],
  probabilities: [1],
})

/** Distribution of k·X when X has distribution `dist` (block sparsity scales block counts). */
export const scaleDistribution = (
  dist: OccupancyDistribution,
  factor: number
): OccupancyDistribution => ({
  occupancies: dist.occupancies.map((k) => k * factor),
  probabilities: dist.probabilities,
})

/** Distribution of X + Y for independent X, Y, with negligible tails (< {@link TAIL_MASS}) cut. */
export const convolve = (
  a: OccupancyDistribution,
  b: OccupancyDistribution
): OccupancyDistribution => {
  const aMin = a.occupancies[0] ?? 0
  const bMin = b.occupancies[0] ?? 0
  const span = maxOf(a) - aMin + maxOf(b) - bMin + 1
  const dense = new Float64Array(span)
  for (let i = 0; i < a.occupancies.length; i++) {
    const pa = a.probabilities[i] ?? 0
    const ka = (a.occupancies[i] ?? 0) - aMin
    for (let j = 0; j < b.occupancies.length; j++) {
      const at = ka + (b.occupancies[j] ?? 0) - bMin
      dense[at] = (dense[at] ?? 0) + pa * (b.probabilities[j] ?? 0)
    }
  }
  return trimDense(dense, aMin + bMin)
}

/** Distribution of the sum of `count` independent copies of X (binary powering). */
export const convolvePower = (
  dist: OccupancyDistribution,
  count: number
): OccupancyDistribution => {
  let result: OccupancyDistribution = pointMass(0)
  let base = dist
  let rest = count
  while (rest > 0) {
    if (rest & 1) result = convolve(result, base)
    rest = Math.floor(rest / 2)
    if (rest > 0) base = convolve(base, base)
  }
  return result
}

/** Mixture Σ_i w_i·D_i of distributions (weights need not be normalised). */
export const mixture = (
  parts: readonly { readonly weight: number; readonly dist: OccupancyDistribution }[]
): OccupancyDistribution => {
  const acc = new Map<number, number>()
  for (const { weight, dist } of parts) {
    for (let i = 0; i < dist.occupancies.length; i++) {
      const k = dist.occupancies[i] ?? 0
      acc.set(k, (acc.get(k) ?? 0) + weight * (dist.probabilities[i] ?? 0))
    }
  }
  return distributionFromCounts(acc)
}

// Dense probability array → sparse distribution, cutting tails whose mass is negligible.
const trimDense = (dense: Float64Array, offset: number): OccupancyDistribution => {
  let total = 0
  for (const p of dense) total += p
  let start = 0
  let cut = 0
  while (start < dense.length - 1 && cut + (dense[start] ?? 0) < TAIL_MASS * total) {
    cut += dense[start] ?? 0
    start++
  }
  let end = dense.length - 1
  cut = 0
  while (end > start && cut + (dense[end] ?? 0) < TAIL_MASS * total) {
    cut += dense[end] ?? 0
    end--
  }
  const occupancies: number[] = []
  const probabilities: number[] = []
  let kept = 0
  for (let i = start; i <= end; i++) kept += dense[i] ?? 0
  for (let i = start; i <= end; i++) {
    const p = dense[i] ?? 0
    if (p > 0) {
      occupancies.push(offset + i)
      probabilities.push(p / kept)
    }
  }
  return { occupancies, probabilities }
}

// Seeded, splittable random numbers. Library code never calls Math.random(): every stochastic
// stage receives an Rng, so the same seed replays the same run (house style §8).

/** A deterministic random source. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). n must be a positive integer. */
  int(n: number): number
  /** A new independent stream derived from this one and `label` (does not advance this one). */
  fork(label: string | number): Rng
  /** Internal state, to serialise and resume. */
  state(): readonly [number, number, number, number]
}

const splitmix32 = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

const hashLabel = (label: string | number): number => {
  const text = String(label)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

const fromState = (a0: number, b0: number, c0: number, d0: number): Rng => {
  // xoshiro128** (Blackman & Vigna): fast, 128-bit state, good statistical quality.
  let a = a0 >>> 0
  let b = b0 >>> 0
  let c = c0 >>> 0
  let d = d0 >>> 0
  if ((a | b | c | d) === 0) a = 1
  const nextU32 = (): number => {
    const result = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0
    const t = (b << 9) >>> 0
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = ((d << 11) | (d >>> 21)) >>> 0
    return result
  }
  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    int: (n) => {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`)
      return Math.floor((nextU32() / 4294967296) * n)
    },
    fork: (label) => {
      const mix = splitmix32((a ^ Math.imul(hashLabel(label), 0x9e3779b1) ^ d) >>> 0)
      return fromState(mix(), mix(), mix(), mix())
    },
    state: () => [a, b, c, d] as const,
  }
  return rng
}

/**
 * Creates a seeded random generator (xoshiro128**).
 * @example const rng = createRng(42); rng.int(10)
 */
export const createRng = (seed: number): Rng => {
  const mix = splitmix32(Math.trunc(seed) >>> 0)
  return fromState(mix(), mix(), mix(), mix())
}

/** Restores a generator from {@link Rng.state}. */
export const rngFromState = (state: readonly [number, number, number, number]): Rng =>
  fromState(state[0], state[1], state[2], state[3])

/** Fisher–Yates shuffle into a new array. */
export const shuffled = <T>(items: readonly T[], rng: Rng): T[] => {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}

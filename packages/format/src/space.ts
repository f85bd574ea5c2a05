// The format space: every compression pattern × dimension allocation of a tensor up to a number of
// ranks, with equivalent formats removed, counted in closed form and enumerated lazily.
//
// Allocation: each dimension of size > 1 is split into k ≥ 1 ordered parts, each ≥ 2 (size-1 parts
// are dropped: a rank over one coordinate is a no-op), taken from its prime factorisation. The parts
// are placed on the n ranks keeping each dimension's outer→inner order; a rank holding parts of
// several dimensions flattens them (at most one part per dimension, listed in tensor order, the
// in-rank order being a layout detail). Every rank holds at least one part.
// Patterns: one primitive per rank, keeping only decodable sequences (a CP/RLE rank needs a parent
// that stores offsets) and removing equivalents: two adjacent U ranks (same as one flattened U rank,
// which is in the space) and an innermost UOP (an innermost rank has no payload, so it equals U).
// By default Sparseloop's ordering rule applies: no uncompressed rank below a compressed one.
import { primeFactors, SnipSnapError, type FormatPrimitive } from '@snipsnap/core'
import { assertShape, defaultDimNames } from './bind'
import type { CompPat, RankPart, RankSpec } from './comp-pat'
import { BUILTIN_PRIMITIVES } from './registry'

/** Options of {@link countFormatSpace} and {@link enumerateFormatSpace}. */
export interface FormatSpaceOptions {
  readonly shape: readonly number[]
  /** Largest number of ranks (≥ 1). */
  readonly depth: number
  readonly dimNames?: readonly string[]
  /** Primitives to combine; default the built-ins without required parameters (U, UOP, CP, B, RLE, UB). */
  readonly primitives?: readonly FormatPrimitive[]
  /** `compressed-inner` (default, Sparseloop): no uncompressed rank below a compressed one. */
  readonly orderRule?: 'compressed-inner' | 'any'
}

/** Size of the format space per number of ranks. */
export interface FormatSpaceSize {
  readonly shape: readonly number[]
  readonly depth: number
  readonly byRanks: readonly {
    readonly ranks: number
    readonly allocations: number
    readonly patterns: number
    readonly formats: number
  }[]
  readonly total: number
}

const usable = (primitives: readonly FormatPrimitive[]): FormatPrimitive[] =>
  primitives.filter((p) => Object.values(p.parameters ?? {}).every((spec) => spec.default !== undefined))

const metadataFree = (p: FormatPrimitive): boolean =>
  !p.compressed && p.defaultWordBits({ fiberSize: 2, maxOffset: 4, options: {} }).metadataBits === 0
const isNoOp = (p: FormatPrimitive): boolean => metadataFree(p) && p.payload === 'none'

/** Valid primitive sequences of length n (outermost first). */
const patternSequences = (
  n: number,
  primitives: readonly FormatPrimitive[],
  orderRule: 'compressed-inner' | 'any',
): FormatPrimitive[][] => {
  const hasNoOp = primitives.some(isNoOp)
  const out: FormatPrimitive[][] = []
  const sequence: FormatPrimitive[] = []
  const extend = (r: number): void => {
    if (r === n) {
      out.push([...sequence])
      return
    }
    const parent = sequence[r - 1]
    for (const p of primitives) {
      if (parent !== undefined) {
        if (p.delimited === 'by-parent' && parent.payload === 'none') continue
        if (isNoOp(p) && isNoOp(parent)) continue
        if (orderRule === 'compressed-inner' && parent.compressed && !p.compressed) continue
      }
      if (r === n - 1 && hasNoOp && metadataFree(p) && !isNoOp(p)) continue
      sequence.push(p)
      extend(r + 1)
      sequence.pop()
    }
  }
  extend(0)
  return out
}

const binomial = (n: number, k: number): bigint => {
  if (k < 0 || k > n) return 0n
  let result = 1n
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i)
  return result
}

/** Exponents of the prime factorisation. */
const exponents = (size: number): number[] => {
  const counts = new Map<number, number>()
  for (const p of primeFactors(size)) counts.set(p, (counts.get(p) ?? 0) + 1)
  return [...counts.values()]
}

/** Ordered factorisations of a number into exactly k factors ≥ 2. */
const orderedFactorizationCount = (exps: readonly number[], k: number): bigint => {
  const atLeastOne = (m: number): bigint => {
    if (m === 0) return exps.length === 0 ? 1n : 0n
    return exps.reduce((acc, a) => acc * binomial(a + m - 1, m - 1), 1n)
  }
  let total = 0n
  for (let i = 0; i <= k; i++) {
    const term = binomial(k, i) * atLeastOne(k - i)
    total += i % 2 === 0 ? term : -term
  }
  return total
}

/** Placements of dimensions' part sequences on n ranks, each rank non-empty. */
const arrangementCount = (n: number, parts: readonly number[]): bigint => {
  let total = 0n
  for (let j = 0; j <= n; j++) {
    const term = parts.reduce((acc, k) => acc * binomial(n - j, k), binomial(n, j))
    total += j % 2 === 0 ? term : -term
  }
  return total
}

const checkOptions = (options: FormatSpaceOptions): void => {
  assertShape(options.shape)
  if (!Number.isInteger(options.depth) || options.depth < 1 || options.depth > 12) {
    throw new SnipSnapError('INVALID_SPEC', `depth must be an integer in [1, 12], got ${options.depth}`, { path: ['depth'] })
  }
}

const toSafeNumber = (value: bigint, what: string): number => {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SnipSnapError('UNSUPPORTED_QUERY', `${what} (${value}) exceeds 2^53; lower the depth`)
  }
  return Number(value)
}

/**
 * Counts the format space of a tensor in closed form (allocations × patterns per rank count).
 * @throws {SnipSnapError} INVALID_SPEC for a bad shape or depth.
 * @example countFormatSpace({ shape: [4096, 4096], depth: 3 }).total
 */
export const countFormatSpace = (options: FormatSpaceOptions): FormatSpaceSize => {
  checkOptions(options)
  const primitives = usable(options.primitives ?? BUILTIN_PRIMITIVES)
  const orderRule = options.orderRule ?? 'compressed-inner'
  const dims = options.shape.filter((s) => s > 1).map(exponents)
  const byRanks: { ranks: number; allocations: number; patterns: number; formats: number }[] = []
  let total = 0n
  for (let n = 1; n <= options.depth; n++) {
    let allocations = 0n
    const maxParts = dims.map((exps) => Math.min(n, exps.reduce((a, b) => a + b, 0)))
    const k = dims.map(() => 1)
    const visit = (d: number): void => {
      if (d === dims.length) {
        const factorizations = dims.reduce((acc, exps, i) => acc * orderedFactorizationCount(exps, k[i] as number), 1n)
        allocations += factorizations * arrangementCount(n, k)
        return
      }
      for (let parts = 1; parts <= (maxParts[d] as number); parts++) {
        k[d] = parts
        visit(d + 1)
      }
    }
    if (dims.length > 0) visit(0)
    const patterns = BigInt(patternSequences(n, primitives, orderRule).length)
    const formats = allocations * patterns
    total += formats
    byRanks.push({
      ranks: n,
      allocations: toSafeNumber(allocations, 'allocation count'),
      patterns: Number(patterns),
      formats: toSafeNumber(formats, 'format count'),
    })
  }
  return { shape: [...options.shape], depth: options.depth, byRanks, total: toSafeNumber(total, 'format-space size') }
}

function* orderedFactorizations(size: number, k: number): Generator<number[]> {
  if (k === 1) {
    if (size >= 2) yield [size]
    return
  }
  for (let d = 2; d * 2 <= size; d++) {
    if (size % d !== 0) continue
    for (const rest of orderedFactorizations(size / d, k - 1)) yield [d, ...rest]
  }
}

function* combinations(n: number, k: number, start = 0): Generator<number[]> {
  if (k === 0) {
    yield []
    return
  }
  for (let i = start; i <= n - k; i++) for (const rest of combinations(n, k - 1, i + 1)) yield [i, ...rest]
}

/** Every allocation of the tensor onto n ranks: the parts each rank holds. */
function* allocations(shape: readonly number[], dimNames: readonly string[], n: number): Generator<RankPart[][]> {
  const dims = shape.map((size, index) => ({ size, index })).filter((d) => d.size > 1)
  const splits: number[][] = dims.map(() => [])
  const positions: number[][] = dims.map(() => [])
  function* chooseSplits(i: number): Generator<void> {
    if (i === dims.length) {
      yield* choosePositions(0)
      return
    }
    const dim = dims[i] as { size: number }
    for (let k = 1; k <= n; k++) {
      for (const split of orderedFactorizations(dim.size, k)) {
        splits[i] = split
        yield* chooseSplits(i + 1)
      }
    }
  }
  function* choosePositions(i: number): Generator<void> {
    if (i === dims.length) {
      const used = new Array<boolean>(n).fill(false)
      for (const list of positions) for (const p of list) used[p] = true
      if (used.every(Boolean)) yield
      return
    }
    for (const combo of combinations(n, (splits[i] as number[]).length)) {
      positions[i] = combo
      yield* choosePositions(i + 1)
    }
  }
  for (const _ of chooseSplits(0)) {
    const ranks: RankPart[][] = Array.from({ length: n }, () => [])
    dims.forEach((dim, i) => {
      const split = splits[i] as number[]
      const whole = split.length === 1
      ;(positions[i] as number[]).forEach((rank, j) => {
        const name = dimNames[dim.index] as string
        ;(ranks[rank] as RankPart[]).push(whole ? { dim: name } : { dim: name, size: split[j] as number })
      })
    })
    yield ranks
  }
}

/**
 * Enumerates the format space lazily (a generator: nothing is materialised), in order of rank
 * count, then allocation, then pattern. Yields exactly {@link countFormatSpace}'s total.
 * @throws {SnipSnapError} INVALID_SPEC for a bad shape or depth.
 * @example for (const pattern of enumerateFormatSpace({ shape: [64, 64], depth: 2 })) console.log(formatCompPat(pattern))
 */
export function* enumerateFormatSpace(options: FormatSpaceOptions): Generator<CompPat> {
  checkOptions(options)
  const primitives = usable(options.primitives ?? BUILTIN_PRIMITIVES)
  const orderRule = options.orderRule ?? 'compressed-inner'
  const dimNames = options.dimNames ?? defaultDimNames(options.shape.length)
  for (let n = 1; n <= options.depth; n++) {
    const sequences = patternSequences(n, primitives, orderRule)
    for (const ranks of allocations(options.shape, dimNames, n)) {
      for (const sequence of sequences) {
        const pattern: RankSpec[] = ranks.map((parts, r) => ({ primitive: (sequence[r] as FormatPrimitive).symbol, parts }))
        yield { ranks: pattern }
      }
    }
  }
}

/** LLaMA-2-7B weight matrix shapes: attention projections (4096×4096) and the FFN (4096×11008). */
export const LLAMA2_7B_WEIGHT_SHAPES: readonly (readonly number[])[] = [
  [4096, 4096],
  [4096, 11008],
]

/**
 * Format-space sizes of several shapes (default: LLaMA-2-7B weights) for depths 1..maxDepth.
 * @example formatSpaceSizes({ maxDepth: 3 }).map((row) => `${row.shape.join('×')} ≤${row.depth}: ${row.total}`)
 */
export const formatSpaceSizes = (options: {
  readonly shapes?: readonly (readonly number[])[]
  readonly maxDepth?: number
  readonly orderRule?: 'compressed-inner' | 'any'
} = {}): FormatSpaceSize[] => {
  const shapes = options.shapes ?? LLAMA2_7B_WEIGHT_SHAPES
  const maxDepth = options.maxDepth ?? 4
  return shapes.flatMap((shape) =>
    Array.from({ length: maxDepth }, (_, i) =>
      countFormatSpace({ shape, depth: i + 1, ...(options.orderRule === undefined ? {} : { orderRule: options.orderRule }) }),
    ),
  )
}

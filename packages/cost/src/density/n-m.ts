// The `n-m` density model: structured N:M sparsity (2:4, 4:8, …): along one rank (the innermost
// by default), every aligned group of m consecutive elements holds exactly n non-zeros.
//
// Assumptions (documented in README): group boundaries are at multiples of m; tiles sit on the
// grid origin = index·tile from 0; the n positions inside a group are uniformly random and
// independent between groups (so a tile cutting a group holds a hypergeometric share of it).
// A tile covering whole groups therefore has a deterministic occupancy; P(empty) is exact.
import { defineDensityModel, type OccupancyDistribution, type TileQuery } from '@snipsnap/core'
import * as z from 'zod/mini'

import {
  convolve,
  convolvePower,
  expectationOf,
  hypergeometricDistribution,
  hypergeometricProbabilityZero,
  mixture,
  pointMass,
  quantileOf,
} from './math'
import { countSchema, failField, parseCommonInput, parseOrThrow, positiveSchema } from './schema'
import { alignOrigin, alignShape, createMemo, keyOf, sizeOf } from './tile'
import type { DensityModelInput, FullDensityModelInstance } from './types'

/** Parameters of `n-m`: n non-zeros per group of m along `rank` (default: the innermost). */
export interface NmParams {
  readonly n: number
  readonly m: number
  /** Index of the grouped tensor rank; defaults to the last (innermost) rank. */
  readonly rank?: number
}

const paramsSchema = z.looseObject({
  n: countSchema,
  m: positiveSchema,
  rank: z.optional(countSchema),
})

// Overlaps of the segment [origin, origin + width) with the groups of m: full groups and partial lengths.
const segmentGroups = (
  origin: number,
  width: number,
  m: number
): { full: number; partial: number[] } => {
  let full = 0
  const partial: number[] = []
  let at = origin
  const end = origin + width
  while (at < end) {
    const groupEnd = (Math.floor(at / m) + 1) * m
    const q = Math.min(groupEnd, end) - at
    if (q === m) full++
    else partial.push(q)
    at += q
  }
  return { full, partial }
}

/**
 * Builds an `n-m` instance.
 * @throws {SnipSnapError} INVALID_SPEC when n > m, the grouped extent is not a multiple of m,
 * the rank index is out of range, or the density is not n/m.
 * @example createNmDensity({ density: 0.5, tensorShape: [16, 64], params: { n: 2, m: 4 } }).probabilityEmpty({ shape: [1, 2] })
 * // → 1/6
 */
export const createNmDensity = (input: DensityModelInput<NmParams>): FullDensityModelInstance => {
  const { density, tensorShape } = parseCommonInput(input)
  const params = parseOrThrow(paramsSchema, input.params, ['params'])
  const { n, m } = params
  if (n > m) failField(['params', 'n'], `n (${n}) must not exceed m (${m})`)
  const g = params.rank ?? tensorShape.length - 1
  if (g >= tensorShape.length) {
    failField(['params', 'rank'], `rank ${g} is outside the tensor's ${tensorShape.length} ranks`)
  }
  const groupedExtent = tensorShape[g] ?? 0
  if (groupedExtent % m !== 0) {
    failField(
      ['tensorShape', g],
      `extent ${groupedExtent} of the grouped rank is not a multiple of m = ${m}`
    )
  }
  if (Math.abs(density - n / m) > 1e-9) {
    failField(['density'], `density ${density} does not match n/m = ${n}/${m}`)
  }

  const rowMemo = createMemo<OccupancyDistribution>()
  const distMemo = createMemo<OccupancyDistribution>()

  // Occupancy of one row segment starting at `origin` of `width` elements.
  const rowLaw = (origin: number, width: number): OccupancyDistribution =>
    rowMemo(`${origin % m}:${width}`, () => {
      const { full, partial } = segmentGroups(origin % m, width, m)
      let dist = pointMass(full * n)
      for (const q of partial) {
        dist = convolve(dist, hypergeometricDistribution({ population: m, successes: n, draws: q }))
      }
      return dist
    })

  const rowEmpty = (origin: number, width: number): number => {
    const { full, partial } = segmentGroups(origin % m, width, m)
    if (full > 0 && n > 0) return 0
    let p = 1
    for (const q of partial) p *= hypergeometricProbabilityZero(m, n, q)
    return p
  }

  // Phases (origin mod m) of the aligned tile positions along the grouped rank, with their counts.
  const phases = (extent: number, width: number): Map<number, number> => {
    const counts = new Map<number, number>()
    const positions = Math.floor(extent / width)
    const period = m / gcd(width, m)
    for (let i = 0; i < Math.min(positions, period); i++) {
      const phase = (i * width) % m
      // Positions i, i + period, i + 2·period, … share a phase.
      const times = Math.floor((positions - 1 - i) / period) + 1
      counts.set(phase, (counts.get(phase) ?? 0) + times)
    }
    return counts
  }

  // Tile law over the positions of a region of the grouped rank (`extent` wide), or at `origin`.
  const tileLaw = (
    shape: readonly number[],
    extent: number,
    origin?: number
  ): OccupancyDistribution => {
    const width = shape[g] ?? 1
    const rows = sizeOf(shape) / width
    if (origin !== undefined) return convolvePower(rowLaw(origin, width), rows)
    const parts = [...phases(extent, width)].map(([phase, weight]) => ({
      weight,
      dist: convolvePower(rowLaw(phase, width), rows),
    }))
    return mixture(parts)
  }

  const tileEmpty = (shape: readonly number[], extent: number, origin?: number): number => {
    const width = shape[g] ?? 1
    const rows = sizeOf(shape) / width
    if (origin !== undefined) return rowEmpty(origin, width) ** rows
    let total = 0
    let weightSum = 0
    for (const [phase, weight] of phases(extent, width)) {
      total += weight * rowEmpty(phase, width) ** rows
      weightSum += weight
    }
    return weightSum === 0 ? 1 : total / weightSum
  }

  // Conditional queries: a parent covering whole groups has a fixed occupancy, so the child law is
  // the unconditional one inside the parent; otherwise k random positions in the parent.
  const conditionalParent = (tile: TileQuery): { parent: number[]; whole: boolean } | undefined => {
    if (tile.constraint === undefined) return undefined
    const parent = alignShape(tile.constraint.shape, tensorShape)
    const whole =
      (parent[g] ?? 0) % m === 0 && tile.constraint.occupancy === (sizeOf(parent) * n) / m
    return { parent, whole }
  }

  const distribution = (tile: TileQuery): OccupancyDistribution =>
    distMemo(keyOf(tile), () => {
      const shape = alignShape(tile.shape, tensorShape)
      if (tile.origin !== undefined) {
        const origin = alignOrigin(tile.origin, tensorShape)[g] ?? 0
        return tileLaw(shape, groupedExtent, origin)
      }
      const cond = conditionalParent(tile)
      if (cond === undefined) return tileLaw(shape, groupedExtent)
      const child = shape.map((e, i) => Math.min(e, cond.parent[i] ?? 1))
      if (cond.whole) return tileLaw(child, cond.parent[g] ?? 1)
      const parentSize = sizeOf(cond.parent)
      const k = Math.min(Math.max(Math.round(tile.constraint?.occupancy ?? 0), 0), parentSize)
      return hypergeometricDistribution({
        population: parentSize,
        successes: k,
        draws: sizeOf(child),
      })
    })

  return {
    modelId: 'n-m',
    density: n / m,
    expectedOccupancy: (tile) => {
      const cond = conditionalParent(tile)
      if (cond !== undefined && !cond.whole) return expectationOf(distribution(tile))
      const shape = alignShape(tile.shape, tensorShape)
      const child =
        cond === undefined ? shape : shape.map((e, i) => Math.min(e, cond.parent[i] ?? 1))
      return (sizeOf(child) * n) / m
    },
    probabilityEmpty: (tile) => {
      const shape = alignShape(tile.shape, tensorShape)
      if (tile.origin !== undefined) {
        return tileEmpty(shape, groupedExtent, alignOrigin(tile.origin, tensorShape)[g] ?? 0)
      }
      const cond = conditionalParent(tile)
      if (cond === undefined) return tileEmpty(shape, groupedExtent)
      const child = shape.map((e, i) => Math.min(e, cond.parent[i] ?? 1))
      if (cond.whole) return tileEmpty(child, cond.parent[g] ?? 1)
      const dist = distribution(tile)
      return dist.occupancies[0] === 0 ? dist.probabilities[0] ?? 0 : 0
    },
    distribution,
    maxOccupancy: (tile, confidence = 1) => quantileOf(distribution(tile), confidence),
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/**
 * The `n-m` density model plug-in (structured N:M sparsity along one rank).
 * @see SnipSnap issue 4 (density models); NVIDIA sparse tensor cores (2:4).
 */
export const nmDensityModel = defineDensityModel<NmParams>({
  id: 'n-m',
  description: 'Structured N:M sparsity: n non-zeros in every aligned group of m along one rank.',
  create: createNmDensity,
})

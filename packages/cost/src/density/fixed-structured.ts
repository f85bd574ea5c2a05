// Sparseloop's `fixed-structured` density model (alias `fixed`; also what a plain number in
// `problem.instance.densities` becomes): every tile holds as close to n·d non-zeros as possible.
// Source: NVlabs/timeloop src/workload/density-models/fixed-structured-distribution.cpp.
import { defineDensityModel, type OccupancyDistribution, type TileQuery } from '@snipsnap/core'
import * as z from 'zod/mini'

import { pointMass } from './math'
import { parseCommonInput, parseOrThrow } from './schema'
import { sizeOf } from './tile'
import type { DensityModelInput, FullDensityModelInstance } from './types'

/** Parameters of `fixed-structured`: none besides the density. */
export type FixedStructuredParams = Readonly<Record<string, unknown>>

const paramsSchema = z.looseObject({})

/**
 * Occupancy law of a tile of `size` elements at density `density`: ⌊n·d⌋ with probability
 * 1 − frac and ⌈n·d⌉ with probability frac = n·d − ⌊n·d⌋ (expectation exactly n·d). The product
 * is taken in double precision, as Timeloop does.
 */
export const fixedStructuredDistribution = (
  size: number,
  density: number
): OccupancyDistribution => {
  const exact = size * density
  const low = Math.floor(exact)
  const high = Math.ceil(exact)
  if (low === high) return pointMass(low)
  const pHigh = exact - low
  return { occupancies: [low, high], probabilities: [1 - pHigh, pHigh] }
}

// The density a query sees: the tensor's, or k/S under the constraint "the parent holds k".
const effective = (tile: TileQuery, density: number): { size: number; density: number } => {
  const size = sizeOf(tile.shape)
  const constraint = tile.constraint
  if (constraint === undefined) return { size, density }
  const parentSize = sizeOf(constraint.shape)
  if (parentSize <= 0) return { size: 0, density: 0 }
  const k = Math.min(Math.max(constraint.occupancy, 0), parentSize)
  return { size: Math.min(size, parentSize), density: k / parentSize }
}

/**
 * Builds a `fixed-structured` instance.
 * @throws {SnipSnapError} INVALID_SPEC when the density is outside [0, 1] or the shape is invalid.
 * @example createFixedStructuredDensity({ density: 0.5, tensorShape: [64, 64], params: {} }).distribution({ shape: [3] })
 * // → { occupancies: [1, 2], probabilities: [0.5, 0.5] }
 */
export const createFixedStructuredDensity = (
  input: DensityModelInput<FixedStructuredParams>
): FullDensityModelInstance => {
  const { density } = parseCommonInput(input)
  parseOrThrow(paramsSchema, input.params, ['params'])
  const distribution = (tile: TileQuery): OccupancyDistribution => {
    const q = effective(tile, density)
    return fixedStructuredDistribution(q.size, q.density)
  }
  return {
    modelId: 'fixed-structured',
    density,
    expectedOccupancy: (tile) => {
      const q = effective(tile, density)
      return q.size * q.density
    },
    probabilityEmpty: (tile) => {
      const dist = distribution(tile)
      return dist.occupancies[0] === 0 ? dist.probabilities[0] ?? 0 : 0
    },
    distribution,
    maxOccupancy: (tile, confidence = 1) => {
      // Timeloop: `confidence <= prob_floor ? floor : ceil`.
      const dist = distribution(tile)
      const low = dist.occupancies[0] ?? 0
      const high = dist.occupancies[dist.occupancies.length - 1] ?? low
      return confidence <= (dist.probabilities[0] ?? 1) ? low : high
    },
  }
}

/**
 * The `fixed-structured` density model plug-in (register `fixed` as an alias, see
 * {@link DENSITY_MODEL_ALIASES}). Models N:M-like balanced sparsity as a scalar law.
 * @see Sparseloop (MICRO'22) §4; NVlabs/timeloop `fixed-structured-distribution.cpp`.
 */
export const fixedStructuredDensityModel = defineDensityModel<FixedStructuredParams>({
  id: 'fixed-structured',
  description: 'Every tile holds floor or ceil of n·d non-zeros (Timeloop fixed-structured).',
  create: createFixedStructuredDensity,
})

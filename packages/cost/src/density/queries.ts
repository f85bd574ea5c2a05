// Uniform queries over any density-model instance, built-in or third-party: the contract's
// optional `distribution` and `maxOccupancy` get core fallbacks here (unstorage's pattern), so
// the format package, the cost model and the compression engine can ask every model the same.
import type { DensityModelInstance, OccupancyDistribution, TileQuery } from '@snipsnap/core'

import { fixedStructuredDistribution } from './fixed-structured'
import { expectationOf, quantileOf } from './math'

/**
 * A law with mean `mean` and P(0) = `pEmpty` when feasible: 0 with pEmpty and mean/(1−pEmpty)
 * spread over floor/ceil otherwise; without a usable pEmpty, floor/ceil around the mean.
 */
const fixedPointLaw = (mean: number, pEmpty: number): OccupancyDistribution => {
  if (pEmpty > 0 && pEmpty < 1 && mean > 0) {
    const rest = fixedStructuredDistribution(
      1,
      mean / (1 - pEmpty) - Math.floor(mean / (1 - pEmpty))
    )
    const base = Math.floor(mean / (1 - pEmpty))
    const occupancies: number[] = []
    const probabilities: number[] = []
    const push = (k: number, p: number): void => {
      if (p <= 0) return
      const at = occupancies.indexOf(k)
      if (at >= 0) probabilities[at] = (probabilities[at] ?? 0) + p
      else {
        occupancies.push(k)
        probabilities.push(p)
      }
    }
    push(0, pEmpty)
    rest.occupancies.forEach((k, i) => push(base + k, (1 - pEmpty) * (rest.probabilities[i] ?? 0)))
    const order = occupancies
      .map((k, i) => [k, probabilities[i] ?? 0] as const)
      .sort((a, b) => a[0] - b[0])
    return { occupancies: order.map((o) => o[0]), probabilities: order.map((o) => o[1]) }
  }
  return fixedStructuredDistribution(1, mean)
}

/** Expected non-zeros of a tile. */
export const expectedOccupancyOf = (model: DensityModelInstance, tile: TileQuery): number =>
  model.expectedOccupancy(tile)

/** P(tile holds no non-zero). */
export const probabilityEmptyOf = (model: DensityModelInstance, tile: TileQuery): number =>
  model.probabilityEmpty(tile)

/**
 * The occupancy distribution of a tile. Models without `distribution` get the two-point law
 * around their expectation, adjusted so P(0) matches `probabilityEmpty` when that is possible
 * (an approximation; every built-in model gives its exact distribution).
 */
export const distributionOf = (
  model: DensityModelInstance,
  tile: TileQuery
): OccupancyDistribution =>
  model.distribution?.(tile) ??
  fixedPointLaw(model.expectedOccupancy(tile), model.probabilityEmpty(tile))

/** Occupancy at a confidence (default 1: the largest possible), with a distribution fallback. */
export const maxOccupancyOf = (
  model: DensityModelInstance,
  tile: TileQuery,
  confidence = 1
): number =>
  model.maxOccupancy?.(tile, confidence) ?? quantileOf(distributionOf(model, tile), confidence)

/** Σ_k P(k)·f(k): the expected value of a per-occupancy quantity (metadata bits, vector accesses). */
export const expectOver = (
  model: DensityModelInstance,
  tile: TileQuery,
  f: (occupancy: number) => number
): number => expectationOf(distributionOf(model, tile), f)

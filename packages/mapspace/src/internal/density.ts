// Built-in density instances for the cheap checks when the caller supplies none: Sparseloop's
// fixed-structured model (a tile of n holds floor or ceil of n·d non-zeros) and the hypergeometric
// (uniformly random) model. Only what the checks need: the largest occupancy of a tile and the
// probability that a tile is empty, optionally given its parent tile's occupancy.
import type { DensityModelInstance, DensitySpec, TileQuery } from '@snipsnap/core'
import { product } from './tiles'

const EPS = 1e-9

const fixedStructured = (density: number): DensityModelInstance => ({
  density,
  expectedOccupancy: (tile) => product(tile.shape) * density,
  maxOccupancy: (tile) => Math.ceil(product(tile.shape) * density - EPS),
  probabilityEmpty: (tile: TileQuery) => {
    const d =
      tile.constraint === undefined
        ? density
        : tile.constraint.occupancy / Math.max(1, product(tile.constraint.shape))
    const exact = product(tile.shape) * d
    const floor = Math.floor(exact + EPS)
    // P(floor) = 1 − frac, P(ceil) = frac (Sparseloop's FixedStructuredDistribution::GetProbability).
    return floor === 0 ? 1 - (exact - floor) : 0
  },
})

const hypergeometric = (density: number, tensorSize: number): DensityModelInstance => {
  const nnz = Math.round(tensorSize * density)
  const pEmpty = (n: number, size: number, k: number): number => {
    if (n > size - k) return 0
    let p = 1
    // Once the product underflows to 0 it stays 0: stop early (large tiles would loop n times).
    for (let i = 0; i < n && p > 0; i++) p *= (size - k - i) / (size - i)
    return p
  }
  return {
    density,
    expectedOccupancy: (tile) => product(tile.shape) * density,
    maxOccupancy: (tile) => Math.min(product(tile.shape), nnz),
    probabilityEmpty: (tile) =>
      tile.constraint === undefined
        ? pEmpty(product(tile.shape), tensorSize, nnz)
        : pEmpty(product(tile.shape), product(tile.constraint.shape), tile.constraint.occupancy),
  }
}

/**
 * A density instance for the checks: fixed-structured and hypergeometric as Sparseloop defines
 * them; any other distribution falls back to fixed-structured at the same density (its maximum
 * occupancy can only be under-estimated, so the capacity check stays permissive).
 */
export const fallbackDensity = (spec: DensitySpec, tensorSize: number): DensityModelInstance =>
  spec.distribution === 'hypergeometric' || spec.distribution === 'uniform'
    ? hypergeometric(spec.density, tensorSize)
    : fixedStructured(spec.density)

// A minimal uniform (independent Bernoulli) density model, enough for the format package's own
// size model and tests. The cost package plugs in richer models (N:M, banded, block, measured data)
// through the same core `DensityModel` contract.
import { defineDensityModel, SnipSnapError, type DensityModelInstance, type TileQuery } from '@snipsnap/core'

const tileSize = (tile: TileQuery): number => {
  let size = 1
  const { shape } = tile
  for (let i = 0; i < shape.length; i++) size *= shape[i] as number
  return size
}

/**
 * Creates a uniform density instance: every element is non-zero independently with probability
 * `density`, so a tile of s elements is empty with probability (1 − density)^s. This is the exact
 * expectation for Bernoulli random tensors (a close approximation of Sparseloop's hypergeometric
 * model for large tensors).
 * @throws {SnipSnapError} INVALID_SPEC when density is not in [0, 1] (NaN included).
 * @example createUniformDensity({ density: 0.5 }).probabilityEmpty({ shape: [4] }) // 0.0625
 */
export const createUniformDensity = (options: { readonly density: number }): DensityModelInstance => {
  const { density } = options
  if (typeof density !== 'number' || !(density >= 0 && density <= 1)) {
    throw new SnipSnapError('INVALID_SPEC', `density must be a number in [0, 1], got ${String(density)}`, { path: ['density'] })
  }
  const emptyOne = 1 - density
  return {
    density,
    expectedOccupancy: (tile) => density * tileSize(tile),
    probabilityEmpty: (tile) => emptyOne ** tileSize(tile),
    maxOccupancy: (tile) => (density === 0 ? 0 : tileSize(tile)),
  }
}

/** The uniform density model as a plug-in (`id: 'uniform'`). */
export const uniformDensityModel = defineDensityModel<Readonly<Record<string, unknown>>>({
  id: 'uniform',
  description: 'Independent Bernoulli non-zeros at a fixed density',
  create: ({ density }) => createUniformDensity({ density }),
})

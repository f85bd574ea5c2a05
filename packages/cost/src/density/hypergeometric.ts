// Sparseloop's `hypergeometric` density model ("uniform" random sparsity): the r = ⌈d·N⌉
// non-zeros of an N-element tensor sit at uniformly random positions, so a tile of n elements
// holds k of them with probability C(r,k)·C(N−r,n−k)/C(N,n).
// Source: NVlabs/timeloop src/workload/density-models/hypergeometric-distribution.cpp.
import { defineDensityModel, type OccupancyDistribution, type TileQuery } from '@snipsnap/core'
import * as z from 'zod/mini'

import {
  hypergeometricDistribution,
  hypergeometricProbabilityZero,
  pointMass,
  quantileOf,
  type HypergeometricLaw,
} from './math'
import { parseCommonInput, parseOrThrow, positiveSchema } from './schema'
import { createMemo, sizeOf } from './tile'
import type { DensityModelInput, FullDensityModelInstance } from './types'

/** Parameters of `hypergeometric`. */
export interface HypergeometricParams {
  /**
   * N, the number of elements the non-zeros are spread over (Timeloop `workload_tensor_size`);
   * defaults to the tensor's size. `workload_tensor_size` is accepted as a spelling too.
   */
  readonly workloadTensorSize?: number
  readonly workload_tensor_size?: number
}

const paramsSchema = z.looseObject({
  workloadTensorSize: z.optional(positiveSchema),
  workload_tensor_size: z.optional(positiveSchema),
})

/**
 * The law of a tile query: the whole tensor (N, r) or, under the constraint "the parent tile of
 * S elements holds k", the parent (S, k), as Timeloop's conditional `GetProbability`.
 */
export const hypergeometricLawOf = (
  tile: TileQuery,
  population: number,
  successes: number
): HypergeometricLaw => {
  const size = sizeOf(tile.shape)
  const constraint = tile.constraint
  if (constraint === undefined) {
    return { population, successes, draws: Math.min(size, population) }
  }
  const parent = sizeOf(constraint.shape)
  const k = Math.min(Math.max(Math.round(constraint.occupancy), 0), parent)
  return { population: parent, successes: k, draws: Math.min(size, parent) }
}

const lawKey = (law: HypergeometricLaw): string => `${law.population}|${law.successes}|${law.draws}`

/**
 * Builds a `hypergeometric` instance over N = `workloadTensorSize` (default: the tensor size)
 * with r = ⌈d·N⌉ non-zeros, the product rounded up in double precision as Timeloop does.
 * Expected occupancy is n·r/N (equal to n·d when d·N is an integer).
 * @throws {SnipSnapError} INVALID_SPEC for a density outside [0, 1], a bad shape or size.
 * @example createHypergeometricDensity({ density: 0.5, tensorShape: [4096, 11008], params: {} }).probabilityEmpty({ shape: [4] })
 * // → 0.0624999917 (≈ 0.5^4; exact for the finite tensor)
 */
export const createHypergeometricDensity = (
  input: DensityModelInput<HypergeometricParams>
): FullDensityModelInstance => {
  const { density, tensorShape } = parseCommonInput(input)
  const params = parseOrThrow(paramsSchema, input.params ?? {}, ['params'])
  const population = params.workloadTensorSize ?? params.workload_tensor_size ?? sizeOf(tensorShape)
  const successes = Math.min(Math.ceil(density * population), population)
  const distMemo = createMemo<OccupancyDistribution>()
  const emptyMemo = createMemo<number>()

  const distribution = (tile: TileQuery): OccupancyDistribution => {
    const law = hypergeometricLawOf(tile, population, successes)
    return distMemo(lawKey(law), () =>
      law.draws === 0 ? pointMass(0) : hypergeometricDistribution(law)
    )
  }

  return {
    modelId: 'hypergeometric',
    density,
    expectedOccupancy: (tile) => {
      const law = hypergeometricLawOf(tile, population, successes)
      return law.population === 0 ? 0 : (law.draws * law.successes) / law.population
    },
    probabilityEmpty: (tile) => {
      const law = hypergeometricLawOf(tile, population, successes)
      return emptyMemo(lawKey(law), () =>
        hypergeometricProbabilityZero(law.population, law.successes, law.draws)
      )
    },
    distribution,
    maxOccupancy: (tile, confidence = 1) => {
      const law = hypergeometricLawOf(tile, population, successes)
      // Timeloop's shortcut at confidence 1: min(n, r), without consulting the distribution.
      if (confidence >= 1) return Math.min(law.draws, law.successes)
      return quantileOf(distribution(tile), confidence)
    },
  }
}

/**
 * The `hypergeometric` density model plug-in (Sparseloop's uniform random sparsity).
 * @see Sparseloop (MICRO'22) §4; NVlabs/timeloop `hypergeometric-distribution.cpp`.
 */
export const hypergeometricDensityModel = defineDensityModel<HypergeometricParams>({
  id: 'hypergeometric',
  description: 'Uniformly random non-zeros: tile occupancy is hypergeometric (Timeloop).',
  create: createHypergeometricDensity,
})

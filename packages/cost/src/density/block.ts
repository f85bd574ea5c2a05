// The `block` density model: block sparsity. The tensor is cut into blocks of `blockShape`; each
// block is either all zero or dense, and the R = ⌈d·B⌉ dense blocks out of B sit at uniformly
// random block positions (the hypergeometric model lifted from elements to blocks).
//
// Tiles sit on the grid origin = index·tile from 0. A tile overlapping blocks partially holds
// the overlap volume of each dense block it meets, so its occupancy is Σ_b volume_b·[b dense].
import { defineDensityModel, type OccupancyDistribution, type TileQuery } from '@snipsnap/core'
import * as z from 'zod/mini'

import {
  distributionFromCounts,
  expectationOf,
  hypergeometricDistribution,
  hypergeometricProbabilityZero,
  logChoose,
  mixture,
  quantileOf,
  scaleDistribution,
} from './math'
import { failField, parseCommonInput, parseOrThrow, positiveSchema } from './schema'
import { alignOrigin, alignShape, createMemo, keyOf, sizeOf } from './tile'
import type { DensityModelInput, FullDensityModelInstance } from './types'

/** Parameters of `block`: the block extent per tensor rank (a shorter list covers the innermost ranks). */
export interface BlockParams {
  readonly blockShape: readonly number[]
}

const paramsSchema = z.looseObject({ blockShape: z.array(positiveSchema).check(z.minLength(1)) })

// Overlap lengths of [origin, origin + width) with blocks of size b along one rank.
const overlaps = (origin: number, width: number, b: number): number[] => {
  const out: number[] = []
  let at = origin
  const end = origin + width
  while (at < end) {
    const next = Math.min((Math.floor(at / b) + 1) * b, end)
    out.push(next - at)
    at = next
  }
  return out
}

/** Occupancy law of a tile meeting blocks of the given volumes, R dense among B blocks. */
const lawOfBlocks = (
  volumes: ReadonlyMap<number, number>,
  blocks: number,
  dense: number
): OccupancyDistribution => {
  let met = 0
  for (const c of volumes.values()) met += c
  const count = hypergeometricDistribution({ population: blocks, successes: dense, draws: met })
  if (volumes.size === 1) {
    const [volume] = [...volumes.keys()]
    return scaleDistribution(count, volume ?? 0)
  }
  // Given j dense blocks among the `met`, every j-subset is equally likely: count subsets per
  // (size, weight) with a DP over volume classes, then weight by P(j)/C(met, j).
  let states = new Map<string, { j: number; w: number; logWays: number }>([
    ['0:0', { j: 0, w: 0, logWays: 0 }],
  ])
  for (const [volume, c] of volumes) {
    const next = new Map<string, { j: number; w: number; logWays: number }>()
    for (const s of states.values()) {
      for (let x = 0; x <= c; x++) {
        const j = s.j + x
        const w = s.w + x * volume
        const key = `${j}:${w}`
        const logWays = s.logWays + logChoose(c, x)
        const prev = next.get(key)
        next.set(key, {
          j,
          w,
          logWays: prev === undefined ? logWays : logAdd(prev.logWays, logWays),
        })
      }
    }
    states = next
  }
  const pj = new Map<number, number>()
  count.occupancies.forEach((j, i) => pj.set(j, count.probabilities[i] ?? 0))
  const acc = new Map<number, number>()
  for (const s of states.values()) {
    const p = pj.get(s.j)
    if (p === undefined || p === 0) continue
    acc.set(s.w, (acc.get(s.w) ?? 0) + p * Math.exp(s.logWays - logChoose(met, s.j)))
  }
  return distributionFromCounts(acc)
}

const logAdd = (a: number, b: number): number => {
  const hi = Math.max(a, b)
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi))
}

/**
 * Builds a `block` instance. The instance's density is R/B, the fraction of dense blocks.
 * @throws {SnipSnapError} INVALID_SPEC for a density outside [0, 1] or a block extent that does
 * not divide the tensor extent.
 * @example createBlockDensity({ density: 0.25, tensorShape: [64, 64], params: { blockShape: [4, 4] } }).distribution({ shape: [4, 4] })
 * // → { occupancies: [0, 16], probabilities: [0.75, 0.25] }
 */
export const createBlockDensity = (
  input: DensityModelInput<BlockParams>
): FullDensityModelInstance => {
  const { density, tensorShape } = parseCommonInput(input)
  const params = parseOrThrow(paramsSchema, input.params, ['params'])
  if (params.blockShape.length > tensorShape.length) {
    failField(
      ['params', 'blockShape'],
      `blockShape has ${params.blockShape.length} ranks, the tensor ${tensorShape.length}`
    )
  }
  const pad = tensorShape.length - params.blockShape.length
  const blockShape = tensorShape.map((_, i) => (i < pad ? 1 : params.blockShape[i - pad] ?? 1))
  blockShape.forEach((b, i) => {
    if ((tensorShape[i] ?? 0) % b !== 0) {
      failField(
        ['params', 'blockShape', i - pad],
        `block extent ${b} does not divide the tensor extent ${tensorShape[i]}`
      )
    }
  })
  const blocks = sizeOf(tensorShape.map((e, i) => e / (blockShape[i] ?? 1)))
  const dense = Math.min(Math.ceil(density * blocks), blocks)
  const memo = createMemo<OccupancyDistribution>()
  const emptyMemo = createMemo<number>()

  // Volume classes (volume → number of blocks met) of the tile at per-rank origins.
  const volumesAt = (shape: readonly number[], origin: readonly number[]): Map<number, number> => {
    let classes = new Map<number, number>([[1, 1]])
    shape.forEach((width, r) => {
      const next = new Map<number, number>()
      for (const len of overlaps(origin[r] ?? 0, width, blockShape[r] ?? 1)) {
        for (const [v, c] of classes) next.set(v * len, (next.get(v * len) ?? 0) + c)
      }
      classes = next
    })
    return classes
  }

  // Per rank, the phases (origin mod block) of the aligned positions within `extent`, with counts.
  const phasesOf = (extent: number, width: number, b: number): Map<number, number> => {
    const counts = new Map<number, number>()
    const positions = Math.floor(extent / width)
    const period = b / gcd(width, b)
    for (let i = 0; i < Math.min(positions, period); i++) {
      const times = Math.floor((positions - 1 - i) / period) + 1
      const phase = (i * width) % b
      counts.set(phase, (counts.get(phase) ?? 0) + times)
    }
    return counts
  }

  // Every combination of per-rank phases with its weight (number of tile positions).
  const combos = (shape: readonly number[], region: readonly number[]) => {
    let out: { origin: number[]; weight: number }[] = [{ origin: [], weight: 1 }]
    shape.forEach((width, r) => {
      const next: { origin: number[]; weight: number }[] = []
      for (const [phase, count] of phasesOf(region[r] ?? 1, width, blockShape[r] ?? 1)) {
        for (const c of out) next.push({ origin: [...c.origin, phase], weight: c.weight * count })
      }
      out = next
    })
    return out
  }

  const lawOver = (
    shape: readonly number[],
    region: readonly number[],
    nBlocks: number,
    nDense: number
  ): OccupancyDistribution =>
    mixture(
      combos(shape, region).map(({ origin, weight }) => ({
        weight,
        dist: lawOfBlocks(volumesAt(shape, origin), nBlocks, nDense),
      }))
    )

  const distribution = (tile: TileQuery): OccupancyDistribution =>
    memo(keyOf(tile), () => {
      const shape = alignShape(tile.shape, tensorShape)
      if (tile.origin !== undefined) {
        return lawOfBlocks(volumesAt(shape, alignOrigin(tile.origin, tensorShape)), blocks, dense)
      }
      const constraint = tile.constraint
      if (constraint === undefined) return lawOver(shape, tensorShape, blocks, dense)
      const parent = alignShape(constraint.shape, tensorShape)
      const child = shape.map((e, i) => Math.min(e, parent[i] ?? 1))
      const blockSize = sizeOf(blockShape)
      const aligned = parent.every((e, i) => e % (blockShape[i] ?? 1) === 0)
      if (aligned && constraint.occupancy % blockSize === 0) {
        // A block-aligned parent holding k has k/blockSize dense blocks among its own.
        const parentBlocks = sizeOf(parent) / blockSize
        const parentDense = Math.min(constraint.occupancy / blockSize, parentBlocks)
        return lawOver(child, parent, parentBlocks, parentDense)
      }
      // Not block-aligned: k non-zeros at random positions in the parent.
      const parentSize = sizeOf(parent)
      const k = Math.min(Math.max(Math.round(constraint.occupancy), 0), parentSize)
      return hypergeometricDistribution({
        population: parentSize,
        successes: k,
        draws: sizeOf(child),
      })
    })

  return {
    modelId: 'block',
    density: blocks === 0 ? 0 : dense / blocks,
    expectedOccupancy: (tile) => {
      if (tile.origin === undefined && tile.constraint === undefined) {
        return (sizeOf(alignShape(tile.shape, tensorShape)) * dense) / blocks
      }
      return expectationOf(distribution(tile))
    },
    probabilityEmpty: (tile) => {
      if (tile.origin === undefined && tile.constraint === undefined) {
        // Exact: the tile is empty iff none of the blocks it meets is dense.
        const shape = alignShape(tile.shape, tensorShape)
        return emptyMemo(shape.join('x'), () => {
          let total = 0
          let weights = 0
          for (const { origin, weight } of combos(shape, tensorShape)) {
            let met = 0
            for (const c of volumesAt(shape, origin).values()) met += c
            total += weight * hypergeometricProbabilityZero(blocks, dense, met)
            weights += weight
          }
          return weights === 0 ? 1 : total / weights
        })
      }
      const dist = distribution(tile)
      return dist.occupancies[0] === 0 ? dist.probabilities[0] ?? 0 : 0
    },
    distribution,
    maxOccupancy: (tile, confidence = 1) => quantileOf(distribution(tile), confidence),
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/**
 * The `block` density model plug-in (block sparsity, hypergeometric over blocks).
 * @see SnipSnap issue 4 (density models).
 */
export const blockDensityModel = defineDensityModel<BlockParams>({
  id: 'block',
  description: 'Block sparsity: blocks of blockShape are all-zero or dense, placed at random.',
  create: createBlockDensity,
})

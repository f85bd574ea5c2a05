// Occupancy statistics of a known non-zero pattern (a measured mask, a band): per-tile counts
// over every aligned tile position, histograms per tile shape, and conditional histograms given
// the parent tile's occupancy. Shared by the `actual-data` and `banded` models.
//
// Alignment: tiles of shape t sit on the grid origin = index·t from 0 (as a mapping's tiling
// places them); only whole tiles count, a remainder at the tensor's far edge is ignored.
import type { OccupancyDistribution, TileQuery } from '@snipsnap/core'

import {
  distributionFromCounts,
  expectationOf,
  hypergeometricDistribution,
  pointMass,
  probabilityZeroOf,
  quantileOf,
} from './math'
import { alignOrigin, alignShape, createMemo, keyOf, sizeOf } from './tile'
import type { FullDensityModelInstance } from './types'

/** A deterministic non-zero pattern over a tensor. */
export interface TilePattern {
  readonly tensorShape: readonly number[]
  /** Total non-zeros of the tensor. */
  readonly nonzeros: number
  /** Non-zeros in the box [origin, origin + extent), which lies inside the tensor. */
  count(origin: readonly number[], extent: readonly number[]): number
  /**
   * Visits the grid positions (origin = index·tile) whose tile may hold non-zeros; positions not
   * visited are known to be empty. Absent: every position is visited.
   */
  forEachCandidate?(
    tile: readonly number[],
    grid: readonly number[],
    visit: (origin: readonly number[]) => void
  ): void
}

/** Visits every origin of the grid `grid` (tiles per rank) of tiles `tile`, offset by `base`. */
export const forEachGridOrigin = (
  tile: readonly number[],
  grid: readonly number[],
  visit: (origin: readonly number[]) => void,
  base?: readonly number[]
): void => {
  const rank = tile.length
  for (const g of grid) if (g <= 0) return
  const index = new Array<number>(rank).fill(0)
  const origin = base === undefined ? new Array<number>(rank).fill(0) : [...base]
  for (;;) {
    visit(origin)
    let r = rank - 1
    while (r >= 0) {
      const next = (index[r] ?? 0) + 1
      if (next < (grid[r] ?? 0)) {
        index[r] = next
        origin[r] = (origin[r] ?? 0) + (tile[r] ?? 0)
        break
      }
      index[r] = 0
      origin[r] = base?.[r] ?? 0
      r--
    }
    if (r < 0) return
  }
}

const gridOf = (outer: readonly number[], tile: readonly number[]): number[] =>
  outer.map((extent, i) => Math.floor(extent / (tile[i] ?? 1)))

/** Occupancy histogram (occupancy → number of tiles) over all aligned whole tiles of `tile`. */
export const patternHistogram = (
  pattern: TilePattern,
  tile: readonly number[]
): Map<number, number> => {
  const grid = gridOf(pattern.tensorShape, tile)
  const positions = sizeOf(grid)
  const counts = new Map<number, number>()
  if (positions === 0) return counts
  if (sizeOf(tile) === 1) {
    // Single elements: the histogram is just the non-zero count.
    counts.set(1, pattern.nonzeros)
    counts.set(0, positions - pattern.nonzeros)
    return counts
  }
  // Occupancies are small integers (≤ tile size): count them in a typed array when it is small.
  const tileSize = sizeOf(tile)
  const dense = tileSize <= 1 << 20 ? new Float64Array(tileSize + 1) : undefined
  let visited = 0
  const visit = (origin: readonly number[]): void => {
    visited++
    const k = pattern.count(origin, tile)
    if (dense !== undefined) dense[k] = (dense[k] ?? 0) + 1
    else counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  if (pattern.forEachCandidate !== undefined) pattern.forEachCandidate(tile, grid, visit)
  else if (tile.length === 2) {
    // Direct loops for matrices: the callback-per-tile odometer dominates otherwise.
    const origin = [0, 0]
    const [th = 1, tw = 1] = tile
    const [gr = 0, gc = 0] = grid
    for (let i = 0; i < gr; i++) {
      origin[0] = i * th
      for (let j = 0; j < gc; j++) {
        origin[1] = j * tw
        visit(origin)
      }
    }
  } else forEachGridOrigin(tile, grid, visit)
  if (dense !== undefined) dense.forEach((c, k) => c > 0 && counts.set(k, c))
  counts.set(0, (counts.get(0) ?? 0) + positions - visited)
  return counts
}

/**
 * Conditional histograms: for each parent occupancy k, the occupancy histogram of the child tiles
 * (aligned inside their parent) over all parent tiles holding k.
 */
export const patternConditionalHistograms = (
  pattern: TilePattern,
  parent: readonly number[],
  child: readonly number[]
): Map<number, Map<number, number>> => {
  const parentGrid = gridOf(pattern.tensorShape, parent)
  const childGrid = gridOf(parent, child)
  const childrenPerParent = sizeOf(childGrid)
  const byParent = new Map<number, Map<number, number>>()
  const bucket = (k: number): Map<number, number> => {
    let found = byParent.get(k)
    if (found === undefined) {
      found = new Map()
      byParent.set(k, found)
    }
    return found
  }
  let visited = 0
  const visitParent = (origin: readonly number[]): void => {
    visited++
    const k = pattern.count(origin, parent)
    const hist = bucket(k)
    if (k === 0) {
      hist.set(0, (hist.get(0) ?? 0) + childrenPerParent)
      return
    }
    forEachGridOrigin(
      child,
      childGrid,
      (childOrigin) => {
        const j = pattern.count(childOrigin, child)
        hist.set(j, (hist.get(j) ?? 0) + 1)
      },
      origin
    )
  }
  if (pattern.forEachCandidate === undefined) forEachGridOrigin(parent, parentGrid, visitParent)
  else pattern.forEachCandidate(parent, parentGrid, visitParent)
  const emptyParents = sizeOf(parentGrid) - visited
  if (emptyParents > 0) {
    const hist = bucket(0)
    hist.set(0, (hist.get(0) ?? 0) + emptyParents * childrenPerParent)
  }
  return byParent
}

/**
 * Wraps a pattern as a density-model instance. Shape-only queries average over all aligned tile
 * positions (cached per shape); a query with an `origin` is the exact count of that one tile. A
 * conditional query averages over the parent tiles that hold exactly k; when no parent tile
 * holds k, the hypergeometric law of k non-zeros placed at random in the parent is used.
 */
export const createPatternInstance = (
  pattern: TilePattern,
  modelId: string
): FullDensityModelInstance => {
  const tensorShape = pattern.tensorShape
  const tensorSize = sizeOf(tensorShape)
  const density = tensorSize === 0 ? 0 : pattern.nonzeros / tensorSize
  const histMemo = createMemo<OccupancyDistribution>(2_000)
  const conditionalMemo = createMemo<Map<number, Map<number, number>>>(200)
  const distMemo = createMemo<OccupancyDistribution>()

  const exactTile = (shape: readonly number[], origin: readonly number[]): number => {
    const lo = alignOrigin(origin, tensorShape)
    const extent = alignShape(shape, tensorShape).map((e, i) =>
      Math.max(0, Math.min(e, (tensorShape[i] ?? 0) - (lo[i] ?? 0)))
    )
    return sizeOf(extent) === 0 ? 0 : pattern.count(lo, extent)
  }

  const distribution = (tile: TileQuery): OccupancyDistribution => {
    if (tile.origin !== undefined) return pointMass(exactTile(tile.shape, tile.origin))
    const shape = alignShape(tile.shape, tensorShape)
    const constraint = tile.constraint
    if (constraint === undefined) {
      return histMemo(shape.join('x'), () =>
        distributionFromCounts(patternHistogram(pattern, shape))
      )
    }
    return distMemo(keyOf({ shape, constraint }), () => {
      const parent = alignShape(constraint.shape, tensorShape)
      const child = shape.map((e, i) => Math.min(e, parent[i] ?? 1))
      const byParent = conditionalMemo(`${parent.join('x')}/${child.join('x')}`, () =>
        patternConditionalHistograms(pattern, parent, child)
      )
      const hist = byParent.get(Math.round(constraint.occupancy))
      if (hist !== undefined) return distributionFromCounts(hist)
      const parentSize = sizeOf(parent)
      return hypergeometricDistribution({
        population: parentSize,
        successes: Math.min(Math.max(Math.round(constraint.occupancy), 0), parentSize),
        draws: sizeOf(child),
      })
    })
  }

  return {
    modelId,
    density,
    expectedOccupancy: (tile) => expectationOf(distribution(tile)),
    probabilityEmpty: (tile) => probabilityZeroOf(distribution(tile)),
    distribution,
    maxOccupancy: (tile, confidence = 1) => quantileOf(distribution(tile), confidence),
  }
}

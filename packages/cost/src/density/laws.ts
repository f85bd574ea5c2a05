// The invariants every density-model instance must satisfy, as a pure checker returning the
// violations found (empty = conforming). Built-in tests and third-party plug-ins share it.
import type { DensityModelInstance, TileQuery } from '@snipsnap/core'

import { sizeOf } from './tile'

/**
 * Checks one tile query against the density-model laws: probabilities are finite, non-negative
 * and sum to 1; occupancies are integers in [0, tile size], ascending; the expectation equals
 * Σ k·P(k); P(empty) equals P(0); the max occupancy at confidence 1 leaves at most `tolerance` mass above it.
 * @returns human-readable violations; empty when the instance conforms on this query.
 * @example expect(checkDensityLaws(instance, { shape: [4, 4] })).toEqual([])
 */
export const checkDensityLaws = (
  model: DensityModelInstance,
  tile: TileQuery,
  options: { readonly tolerance?: number } = {}
): string[] => {
  const tol = options.tolerance ?? 1e-9
  const problems: string[] = []
  const size = sizeOf(tile.shape)
  const expected = model.expectedOccupancy(tile)
  const empty = model.probabilityEmpty(tile)
  if (!Number.isFinite(expected) || expected < -tol || expected > size + tol) {
    problems.push(`expectedOccupancy ${expected} outside [0, ${size}]`)
  }
  if (!Number.isFinite(empty) || empty < -tol || empty > 1 + tol) {
    problems.push(`probabilityEmpty ${empty} outside [0, 1]`)
  }
  const dist = model.distribution?.(tile)
  if (dist === undefined) return problems
  let total = 0
  let mean = 0
  let previous = -1
  dist.occupancies.forEach((k, i) => {
    const p = dist.probabilities[i] ?? Number.NaN
    if (!Number.isInteger(k) || k < 0 || k > size)
      problems.push(`occupancy ${k} not an integer in [0, ${size}]`)
    if (k <= previous) problems.push(`occupancies not strictly ascending at ${k}`)
    if (!Number.isFinite(p) || p < 0) problems.push(`probability ${p} of occupancy ${k} invalid`)
    previous = k
    total += p
    mean += p * k
  })
  if (Math.abs(total - 1) > tol) problems.push(`probabilities sum to ${total}`)
  if (Math.abs(mean - expected) > tol * Math.max(1, expected)) {
    problems.push(`expectedOccupancy ${expected} ≠ Σ k·P(k) = ${mean}`)
  }
  const p0 = dist.occupancies[0] === 0 ? dist.probabilities[0] ?? 0 : 0
  if (Math.abs(p0 - empty) > tol * Math.max(1e-6, empty) && Math.abs(p0 - empty) > 1e-12) {
    problems.push(`probabilityEmpty ${empty} ≠ P(0) = ${p0}`)
  }
  // At confidence 1 the max occupancy must cover all but a negligible (≤ tol) probability mass.
  const max = model.maxOccupancy?.(tile, 1)
  if (max !== undefined) {
    let above = 0
    dist.occupancies.forEach((k, i) => {
      if (k > max) above += dist.probabilities[i] ?? 0
    })
    if (above > tol) problems.push(`maxOccupancy ${max} leaves probability ${above} above it`)
  }
  return problems
}

// Mapping → flattened loop nest and keep/bypass table for the Sparseloop model, with the
// feasibility checks that do not need tile sizes (factor products, fan-out).
import type { MappingSpec } from '@snipsnap/core'
import type { NestLoop } from './nest'
import type { PreparedDesign } from './prepare'

export interface Infeasible {
  readonly ok: false
  readonly kind: string
  readonly reason: string
  readonly level?: string
}

export interface MappedNest {
  readonly ok: true
  /** Non-trivial loops (bound > 1), innermost first: per level its spatial loops, then temporal. */
  readonly loops: readonly NestLoop[]
  /** Every loop including bound-1 ones (their positions matter for rank assignment). */
  readonly allLoops: readonly NestLoop[]
  /** kept[level][tensor]. */
  readonly kept: readonly (readonly boolean[])[]
  /** Spatial fan-out below each storage level, per axis. */
  readonly fanoutX: readonly number[]
  readonly fanoutY: readonly number[]
}

/**
 * Orders `dims` by `permutation` (innermost first); dims missing from it go innermost. One array
 * per call (this runs twice per level of every evaluated mapping, issue 12): a dim of `dims` is
 * missing exactly when `permutation` does not name it.
 */
const orderDims = (dims: readonly string[], permutation: readonly string[]): string[] => {
  const out: string[] = []
  for (const d of dims) if (!has(permutation, d)) out.push(d)
  for (const d of permutation) if (has(dims, d)) out.push(d)
  return out
}

/**
 * `names.includes(name)` as a plain loop: the builtin's generic element path was ~6% of an
 * evaluation here (issue 12), where the lists hold a few short names.
 */
const has = (names: readonly string[], name: string): boolean => {
  for (let i = 0; i < names.length; i++) if (names[i] === name) return true
  return false
}

/** The index of `dim` among the entries of `permutation` that are dims of `dims`, or -1 (no filtered copy). */
const writtenIndexOf = (permutation: readonly string[], dims: readonly string[], dim: string): number => {
  let pos = 0
  for (const d of permutation) {
    if (!has(dims, d)) continue
    if (d === dim) return pos
    pos++
  }
  return -1
}

/** Builds the loop nest of a mapping; infeasible mappings come back as values. */
export const buildNest = (design: PreparedDesign, mapping: MappingSpec): MappedNest | Infeasible => {
  const nLevels = design.levels.length
  // The mapping's entry per level (the last one written wins), by level index.
  const byLevel: (MappingSpec['levels'][number] | undefined)[] = []
  for (let level = 0; level < nLevels; level++) byLevel.push(undefined)
  for (const entry of mapping.levels) {
    const index = design.levelIndex[entry.target]
    if (index === undefined) {
      return { ok: false, kind: 'unsupported', reason: `mapping targets unknown level "${entry.target}"` }
    }
    byLevel[index] = entry
  }
  const loops: NestLoop[] = []
  const kept: boolean[][] = []
  const fanoutX: number[] = []
  const fanoutY: number[] = []
  const products: number[] = []
  for (let d = 0; d < design.dims.length; d++) products.push(1)
  for (let level = 0; level < nLevels; level++) {
    const entry = byLevel[level]
    const keepRow: boolean[] = []
    for (const t of design.tensors) keepRow.push(entry === undefined || !has(entry.bypass, t.name))
    kept.push(keepRow)
    let fx = 1
    let fy = 1
    if (entry !== undefined) {
      const spatialOrder = orderDims(design.dims, entry.spatialPermutation)
      // The first `split` dims of the written permutation are on X; missing dims are trivial.
      for (const dim of spatialOrder) {
        const bound = entry.spatialFactors[dim] ?? 1
        // Trivial spatial loops do not exist in Timeloop's nest (they would split flattened ranks).
        if (bound === 1) continue
        const pos = writtenIndexOf(entry.spatialPermutation, design.dims, dim)
        const axisX = pos === -1 ? true : pos < entry.spatialSplit
        const d = design.dimIndex[dim]!
        if (bound > 1) {
          if (axisX) fx *= bound
          else fy *= bound
        }
        loops.push({ dim: d, bound, spatial: true, level, axisX, kind: axisX ? 'x' : 'y' })
        products[d] = products[d]! * bound
      }
      for (const dim of orderDims(design.dims, entry.temporalPermutation)) {
        const bound = entry.temporalFactors[dim] ?? 1
        const d = design.dimIndex[dim]!
        loops.push({ dim: d, bound, spatial: false, level, axisX: true, kind: 'temporal' })
        products[d] = products[d]! * bound
      }
    } else {
      for (let d = 0; d < design.dims.length; d++) loops.push({ dim: d, bound: 1, spatial: false, level, axisX: true, kind: 'temporal' })
    }
    fanoutX.push(fx)
    fanoutY.push(fy)
  }
  for (let d = 0; d < design.dims.length; d++) {
    if (products[d] !== design.bounds[d]) {
      return {
        ok: false,
        kind: 'factors',
        reason: `factors of ${design.dims[d]} multiply to ${products[d]}, not the bound ${design.bounds[d]}`,
      }
    }
  }
  for (const loop of loops) {
    if (!Number.isInteger(loop.bound) || loop.bound < 1) {
      return { ok: false, kind: 'factors', reason: `loop bound ${loop.bound} of ${design.dims[loop.dim]} is not a positive integer` }
    }
  }
  const nontrivial: NestLoop[] = []
  for (const loop of loops) if (loop.bound > 1) nontrivial.push(loop)
  return { ok: true, loops: nontrivial, allLoops: loops, kept, fanoutX, fanoutY }
}

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

/** Dim and tensor names of a design by index, when each name is unique (else null: names compared as text). */
interface NameIndex {
  readonly dims: ReadonlyMap<string, number>
  readonly tensors: ReadonlyMap<string, number>
}
const nameIndexes = new WeakMap<PreparedDesign, NameIndex | null>()
const nameIndexOf = (design: PreparedDesign): NameIndex | null => {
  let index = nameIndexes.get(design)
  if (index === undefined) {
    const dims = new Map<string, number>()
    design.dims.forEach((d, i) => dims.set(d, i))
    const tensors = new Map<string, number>()
    design.tensors.forEach((t, i) => tensors.set(t.name, i))
    index = dims.size === design.dims.length && tensors.size === design.tensors.length ? { dims, tensors } : null
    nameIndexes.set(design, index)
  }
  return index
}

/** A written permutation as dim indices (-1 for a name that is not a dim of the problem). */
const dimIndicesOf = (names: NameIndex, permutation: readonly string[]): number[] => {
  const out: number[] = []
  for (const name of permutation) out.push(names.dims.get(name) ?? -1)
  return out
}

/** {@link orderDims} by index: the dims absent from `written` first (in problem order), then `written`'s dims. */
const orderDimIndices = (dims: number, written: readonly number[]): number[] => {
  const out: number[] = []
  for (let d = 0; d < dims; d++) if (!written.includes(d)) out.push(d)
  for (const d of written) if (d !== -1) out.push(d)
  return out
}

/** {@link writtenIndexOf} by index: `dim`'s position among `written`'s dims, or -1. */
const writtenPosition = (written: readonly number[], dim: number): number => {
  let pos = 0
  for (const d of written) {
    if (d === -1) continue
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
  const names = nameIndexOf(design)
  for (let level = 0; level < nLevels; level++) {
    const entry = byLevel[level]
    const keepRow: boolean[] = []
    if (names === null) {
      for (const t of design.tensors) keepRow.push(entry === undefined || !has(entry.bypass, t.name))
    } else {
      for (let t = 0; t < design.tensors.length; t++) keepRow.push(true)
      if (entry !== undefined) {
        for (const name of entry.bypass) {
          const t = names.tensors.get(name)
          if (t !== undefined) keepRow[t] = false
        }
      }
    }
    kept.push(keepRow)
    let fx = 1
    let fy = 1
    if (entry !== undefined && names !== null) {
      // By dim index: names resolve once per permutation entry (a Map lookup on the name's cached
      // hash) instead of a string comparison per pair of names (issue 12).
      const spatialWritten = dimIndicesOf(names, entry.spatialPermutation)
      for (const d of orderDimIndices(design.dims.length, spatialWritten)) {
        const bound = entry.spatialFactors[design.dims[d]!] ?? 1
        if (bound === 1) continue
        const pos = writtenPosition(spatialWritten, d)
        const axisX = pos === -1 ? true : pos < entry.spatialSplit
        if (bound > 1) {
          if (axisX) fx *= bound
          else fy *= bound
        }
        loops.push({ dim: d, bound, spatial: true, level, axisX, kind: axisX ? 'x' : 'y' })
        products[d] = products[d]! * bound
      }
      for (const d of orderDimIndices(design.dims.length, dimIndicesOf(names, entry.temporalPermutation))) {
        const bound = entry.temporalFactors[design.dims[d]!] ?? 1
        loops.push({ dim: d, bound, spatial: false, level, axisX: true, kind: 'temporal' })
        products[d] = products[d]! * bound
      }
    } else if (entry !== undefined) {
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

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

/**
 * What buildNest reads of a design on every call, resolved once per design: dim and tensor names
 * by index (null when a name repeats: names are then compared as text), and the loop of every
 * (level, dim) with bound 1 at `level * dims + dim`. A trivial temporal loop is the same plain
 * data in every mapping and most loops of a nest are trivial (Eyeriss: 7 dims × 6 levels, ~10
 * of them non-trivial), so mappings share these instead of allocating one object per loop
 * (issue 12). Loops are read-only data; no phase keys anything on a trivial loop's identity.
 */
interface NestConstants {
  readonly names: NameIndex | null
  readonly trivialLoops: readonly NestLoop[]
}
interface NameIndex {
  readonly dims: ReadonlyMap<string, number>
  readonly tensors: ReadonlyMap<string, number>
}
const nestConstants = new WeakMap<PreparedDesign, NestConstants>()
const nestConstantsOf = (design: PreparedDesign): NestConstants => {
  let constants = nestConstants.get(design)
  if (constants === undefined) {
    const dims = new Map<string, number>()
    design.dims.forEach((d, i) => dims.set(d, i))
    const tensors = new Map<string, number>()
    design.tensors.forEach((t, i) => tensors.set(t.name, i))
    const trivialLoops: NestLoop[] = []
    for (let level = 0; level < design.levels.length; level++) {
      for (let d = 0; d < design.dims.length; d++) trivialLoops.push({ dim: d, bound: 1, spatial: false, level, axisX: true, kind: 'temporal' })
    }
    constants = {
      names: dims.size === design.dims.length && tensors.size === design.tensors.length ? { dims, tensors } : null,
      trivialLoops,
    }
    nestConstants.set(design, constants)
  }
  return constants
}

// Scratch of orderWrittenDims, reused (buildNest runs synchronously and consumes one order
// before it asks for the next): the ordered dims, and per dim its first position among the
// permutation's dims (-1 when the permutation does not name it).
let scratchOrder = new Int32Array(32)
let scratchWrittenAt = new Int32Array(16)

/**
 * {@link orderDims} by index, into scratchOrder (returns the count): the dims the permutation
 * does not name first (in problem order), then the permutation's dims as written (a name that is
 * not a dim is ignored). Leaves each dim's position among the permutation's dims in
 * scratchWrittenAt ({@link writtenIndexOf} by index). No arrays per call: this runs twice per
 * level of every evaluated mapping (issue 12).
 */
const orderWrittenDims = (names: NameIndex, dims: number, permutation: readonly string[]): number => {
  if (scratchOrder.length < dims + permutation.length) scratchOrder = new Int32Array(2 * (dims + permutation.length))
  if (scratchWrittenAt.length < dims) scratchWrittenAt = new Int32Array(2 * dims)
  const order = scratchOrder
  const writtenAt = scratchWrittenAt
  for (let d = 0; d < dims; d++) writtenAt[d] = -1
  // The written dims go after the absent ones: park them at the end of the scratch first.
  const parked = order.length - permutation.length
  let written = 0
  for (const name of permutation) {
    const d = names.dims.get(name)
    if (d === undefined) continue
    if (writtenAt[d] === -1) writtenAt[d] = written
    order[parked + written++] = d
  }
  let count = 0
  for (let d = 0; d < dims; d++) if (writtenAt[d] === -1) order[count++] = d
  for (let i = 0; i < written; i++) order[count++] = order[parked + i]!
  return count
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
  const { names, trivialLoops } = nestConstantsOf(design)
  const nDims = design.dims.length
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
      const spatialCount = orderWrittenDims(names, nDims, entry.spatialPermutation)
      for (let i = 0; i < spatialCount; i++) {
        const d = scratchOrder[i]!
        const bound = entry.spatialFactors[design.dims[d]!] ?? 1
        if (bound === 1) continue
        const pos = scratchWrittenAt[d]!
        const axisX = pos === -1 ? true : pos < entry.spatialSplit
        if (bound > 1) {
          if (axisX) fx *= bound
          else fy *= bound
        }
        loops.push({ dim: d, bound, spatial: true, level, axisX, kind: axisX ? 'x' : 'y' })
        products[d] = products[d]! * bound
      }
      const temporalCount = orderWrittenDims(names, nDims, entry.temporalPermutation)
      for (let i = 0; i < temporalCount; i++) {
        const d = scratchOrder[i]!
        const bound = entry.temporalFactors[design.dims[d]!] ?? 1
        loops.push(bound === 1 ? trivialLoops[level * nDims + d]! : { dim: d, bound, spatial: false, level, axisX: true, kind: 'temporal' })
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
        loops.push(bound === 1 ? trivialLoops[level * nDims + d]! : { dim: d, bound, spatial: false, level, axisX: true, kind: 'temporal' })
        products[d] = products[d]! * bound
      }
    } else {
      for (let d = 0; d < nDims; d++) loops.push(trivialLoops[level * nDims + d]!)
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

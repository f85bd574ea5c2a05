// The Sparseloop model proper: dense nest analysis → sparse processing (formats, occupancy,
// metadata, gating/skipping/spatial skipping, compute classification) → energy and cycles
// (shared/docs/sparseloop-model.md §1–§8). Works on a PreparedDesign so that evaluating one more
// mapping costs O(levels × tensors × ranks) arithmetic, with no allocation-heavy loops over tiles.
import type { ActionBreakdown, RankUnitsInput, CostReport, LevelReport, MappingSpec, OccupancyDistribution, TensorLevelReport } from '@snipsnap/core'
import { bindRanks, createTupleCache, formatCppDouble, type TupleCache } from '@snipsnap/core'
import { analyzeTensor, extentsOf, tilePoints, type DenseTile, type NestLoop, type PhysicalFanouts } from './nest'
import { buildNest, type Infeasible, type MappedNest } from './mapping'
import { checkSpatialSkipFanout } from './spatial-skip'
import type { PreparedDesign, PreparedFormat, PreparedTensor } from './prepare'
import { COMPUTE_OPS, STORAGE_OPS } from './ert'

/** Behaviour switches; the defaults follow the reference Sparseloop build. */
export interface SparseloopModelOptions {
  /**
   * Block sizes missing from Sparseloop's `VectorWidthCoefficientTable` (2, 4, 8, 16, 32) use
   * the nearest smaller key, as the oracle build does (`'nearest-smaller'`), or the exact block
   * size (`'exact'`, our corrected behaviour).
   */
  readonly vectorWidthFallback?: 'nearest-smaller' | 'exact'
  /** Apply Sparseloop's per-fiber `ceil` to CP coordinates (public Timeloop) or not (artifact). */
  readonly cpCeilPerFiber?: boolean
}

export type Split = { actual: number; gated: number; skipped: number }
const zeroSplit = (): Split => ({ actual: 0, gated: 0, skipped: 0 })

export interface RankOccupancy {
  readonly fiberShape: number
  /** Point-set size Timeloop records for this rank (the tile at the first loop it took). */
  readonly rankTile: number
  readonly metadataUnits: number
  readonly payloadUnits: number
  readonly metadataWordBits: number
  readonly payloadWordBits: number
}

/** Mutable per (tensor, level) state of one evaluation. */
export interface TileState {
  readonly tensor: PreparedTensor
  readonly dense: DenseTile
  readonly format: PreparedFormat | null
  readonly compressed: boolean
  ranks: RankOccupancy[]
  /** P(tile empty) when only non-empty tiles are transferred here (else 0). */
  emptyConditioned: number
  /** Expected density of the data inside a transferred tile. */
  density: number
  /** Average utilised instances (may be fractional after non-empty filtering). */
  instances: number
  reads: Split
  fills: Split
  updates: Split
  /** Per rank [metadata, payload] units for each op kind. */
  mdReads: { actual: number[][]; gated: number[][]; skipped: number[][] }
  mdFills: { actual: number[][]; gated: number[][]; skipped: number[][] }
  mdUpdates: { actual: number[][]; gated: number[][]; skipped: number[][] }
  decompressions: number
  compressions: number
}

// Timeloop's VectorWidthCoefficientTable keys.
const VECTOR_TABLE_KEYS = [2, 4, 8, 16, 32]

/**
 * Memoised density queries of one tensor. Density models validate and compute on every call
 * (10–50 µs); tile sizes repeat across mappings, so caching per prepared tensor makes a mapping
 * evaluation cost microseconds.
 */
interface DensityCache {
  readonly pe: Map<number, number>
  /** By tile size, then occupancy, then sub-tile size (numbers, no key text per lookup). */
  readonly peCond: Map<number, Map<number, Map<number, number>>>
  readonly density: Map<number, number>
  readonly max: Map<number, number>
  readonly dist: Map<number, OccupancyDistribution | null>
  /** By (level, ranks, …shapes, …tiles, emptyConditioned, cpCeil): see rankOccupancies. */
  readonly ranks: TupleCache<RankOccupancy[]>
}
// Bounds each tensor's cache of rank occupancies (distinct tile structures seen).
const RANKS_CACHE_LIMIT = 100_000
const caches = new WeakMap<PreparedTensor, DensityCache>()
// The last tensor asked for and its cache: an evaluation asks for one tensor's densities several
// times in a row, and this check is cheaper than the WeakMap's lookup. (It keeps that one tensor's
// cache alive until another tensor is evaluated.)
let lastTensor: PreparedTensor | null = null
let lastCache: DensityCache | null = null
const cacheOf = (tensor: PreparedTensor): DensityCache => {
  if (tensor === lastTensor) return lastCache!
  let cache = caches.get(tensor)
  if (cache === undefined) {
    cache = { pe: new Map(), peCond: new Map(), density: new Map(), max: new Map(), dist: new Map(), ranks: createTupleCache({ limit: RANKS_CACHE_LIMIT }) }
    caches.set(tensor, cache)
  }
  lastTensor = tensor
  lastCache = cache
  return cache
}
const tileShape = (tensor: PreparedTensor, n: number): number[] => tensor.ranks.map((_, i) => (i === 0 ? n : 1))

/** P(a tile of `n` points holds no non-zero). */
const probEmpty = (tensor: PreparedTensor, n: number): number => {
  if (tensor.densityValue >= 1) return 0
  const cache = cacheOf(tensor).pe
  let value = cache.get(n)
  if (value === undefined) {
    value = tensor.density.probabilityEmpty({ shape: tileShape(tensor, n) })
    cache.set(n, value)
  }
  return value
}

/** P(a sub-tile of `n` points is empty | its tile of `tile` points holds `k`). */
const probEmptyGiven = (tensor: PreparedTensor, n: number, tile: number, k: number): number => {
  const byTile = cacheOf(tensor).peCond
  let byOccupancy = byTile.get(tile)
  if (byOccupancy === undefined) byTile.set(tile, (byOccupancy = new Map()))
  let bySize = byOccupancy.get(k)
  if (bySize === undefined) byOccupancy.set(k, (bySize = new Map()))
  let value = bySize.get(n)
  if (value === undefined) {
    value = tensor.density.probabilityEmpty({ shape: tileShape(tensor, n), constraint: { shape: tileShape(tensor, tile), occupancy: k } })
    bySize.set(n, value)
  }
  return value
}

const expectedDensity = (tensor: PreparedTensor, n: number): number => {
  if (tensor.densityValue >= 1) return 1
  const cache = cacheOf(tensor).density
  let value = cache.get(n)
  if (value === undefined) {
    value = tensor.density.expectedOccupancy({ shape: tileShape(tensor, n) }) / n
    cache.set(n, value)
  }
  return value
}

const maxOccupancy = (tensor: PreparedTensor, n: number): number => {
  if (tensor.densityValue >= 1) return n
  const cache = cacheOf(tensor).max
  let value = cache.get(n)
  if (value === undefined) {
    const shape = tileShape(tensor, n)
    value =
      tensor.density.maxOccupancy !== undefined
        ? tensor.density.maxOccupancy({ shape }, 1)
        : Math.min(n, Math.ceil(tensor.density.expectedOccupancy({ shape })))
    cache.set(n, value)
  }
  return value
}

const distributionOf = (tensor: PreparedTensor, n: number): OccupancyDistribution | null => {
  if (tensor.densityValue >= 1 || tensor.density.distribution === undefined) return null
  const cache = cacheOf(tensor).dist
  let value = cache.get(n)
  if (value === undefined) {
    value = tensor.density.distribution({ shape: tileShape(tensor, n) })
    cache.set(n, value)
  }
  return value
}

/**
 * Fiber shape of each rank (innermost first) and the metadata sub-tile sizes, or an
 * infeasibility. Timeloop's `DefineCompressionFormatModels` / `ApplyRanksInnerToOuter` /
 * `ApplyRanksOuterToInner` (sparse-analysis/representation-analyzer.cpp): the relevant loops of
 * this level and of the bypassed levels below it (trivial ones included) are walked from the
 * rank application side; leading trivial loops are skipped; a rank whose flattening rule does
 * not name the loop's dim stays empty (fiber 1) and the loop is tried on the next rank; a rank
 * takes the loop and, if the loop's dim is in its rule, the following loops whose dims are in
 * the rule or that are trivial. Non-trivial loops left over need more ranks than the hardware
 * has. `tiles[r + 1]` is the point-set size Timeloop records for rank r: the tile at the first
 * loop the rank took (not its whole fiber for a flattened rank), a scalar for a rank skipped by
 * its rule, and the innermost loop's tile for unused ranks; `tiles[0]` is a scalar.
 */
// assignRanks' scratch, reused (it runs synchronously, once per formatted tile, and its answer is
// read by rankOccupancies before the next call): per-dim spans and first-loop marks, the selected
// loops (a pool of entries and two lists over them), the flattening rules, the ranks placed at
// each end, and the answer. Per-call arrays and loop entries were a seventh of an evaluation's
// garbage (issue 12).
let assignSpans = new Float64Array(8)
let assignSeen = new Uint8Array(8)
interface SelectedLoop {
  dim: number
  bound: number
  /** The data tile of Timeloop's max-tile mold at this loop (the loop and everything inside it). */
  tile: number
}
const selectedPool: SelectedLoop[] = []
const selectedInnerFirst: SelectedLoop[] = []
const selectedOuterFirst: SelectedLoop[] = []
const assignRules: (readonly number[] | null)[] = []
const placedInner: number[] = []
const placedOuter: number[] = []

/** The ranks assignRanks bound: `count` fiber shapes (innermost first) and `count + 1` recorded tiles. */
interface RankAssignment {
  count: number
  shapes: Float64Array
  tiles: Float64Array
}
const assignment: RankAssignment = { count: 0, shapes: new Float64Array(8), tiles: new Float64Array(9) }

const assignRanks = (
  loops: readonly NestLoop[],
  state: TileState,
  child: TileState | null,
  levelName: string,
): RankAssignment | Infeasible => {
  const format = state.format!
  const t = state.tensor
  const level = state.dense.level
  const lower = state.dense.childLevel
  const preTile = state.compressed && child !== null && child.dense.tileSize > 1
  // Loops of this level and of bypassed levels below it, innermost first, each with its tile.
  const selected = selectedInnerFirst
  selected.length = 0
  const dims = t.relevantDims.length
  const spans = (assignSpans = assignSpans.length >= dims ? assignSpans : new Float64Array(dims))
  const seenDim = (assignSeen = assignSeen.length >= dims ? assignSeen : new Uint8Array(dims))
  for (let d = 0; d < dims; d++) {
    spans[d] = 1
    seenDim[d] = 0
  }
  for (const loop of loops) {
    spans[loop.dim] = spans[loop.dim]! * loop.bound
    if (loop.level > level || loop.level <= lower) continue
    if (!t.relevantDims[loop.dim]) continue
    let bound = loop.bound
    if (!preTile && seenDim[loop.dim] === 0) {
      // No pre-tiling: the innermost loop of each dim also spans the child's tile.
      seenDim[loop.dim] = 1
      bound *= lower >= 0 ? (child?.dense.dimSpans[loop.dim] ?? 1) : 1
    }
    if (selectedPool.length === selected.length) selectedPool.push({ dim: 0, bound: 0, tile: 0 })
    const entry = selectedPool[selected.length]!
    entry.dim = loop.dim
    entry.bound = bound
    entry.tile = tilePoints(t.ranks, spans)
    selected.push(entry)
  }
  const nRanks = format.ranks.length
  if (assignment.shapes.length < nRanks) {
    assignment.shapes = new Float64Array(2 * nRanks)
    assignment.tiles = new Float64Array(2 * nRanks + 1)
  }
  const shapes = assignment.shapes
  const tiles = assignment.tiles
  assignment.count = nRanks
  tiles[0] = 1
  for (let r = 0; r < nRanks; r++) {
    shapes[r] = 1
    tiles[r + 1] = 1
  }
  let first = 0
  if (preTile) {
    // The child's ranks (fiber shapes and recorded sub-tiles) become this level's inner ranks;
    // an uncompressed child is one rank holding its whole tile (Sparseloop's default).
    const childRanks = child!.format !== null ? child!.ranks : null
    const childCount = childRanks !== null ? childRanks.length : 1
    if (childCount > nRanks) {
      return tooManyRanks(levelName, t.name)
    }
    for (let r = 0; r < childCount; r++) {
      if (child!.format !== null && child!.format.ranks[r]!.format !== format.ranks[r]!.format) {
        return { ok: false, kind: 'format-ranks', level: levelName, reason: `couldn't map level ${levelName}: formats of ${t.name} do not match the child level's formats` }
      }
      shapes[r] = childRanks !== null ? childRanks[r]!.fiberShape : child!.dense.tileSize
      tiles[r + 1] = childRanks !== null ? childRanks[r]!.rankTile : child!.dense.tileSize
    }
    first = childCount
  }
  let order = selected
  if (!format.innerToOuter) {
    order = selectedOuterFirst
    order.length = 0
    for (let i = selected.length - 1; i >= 0; i--) order.push(selected[i]!)
  }
  const innermostTile = selected.length > 0 ? selected[0]!.tile : 1
  // Ranks in the order Timeloop fills them: `rules[k]` is the k-th rank above the child's.
  const free = nRanks - first
  const rules = assignRules
  rules.length = 0
  for (let used = 0; used < free; used++) rules.push(format.ranks[format.innerToOuter ? first + used : nRanks - 1 - used]!.flattenedDims)
  const binding = bindRanks(order, rules)
  if (binding.leftover > 0) return tooManyRanks(levelName, t.name)
  // The ranks above the child's, innermost first: inner-to-outer appends each rank at the outer
  // end; outer-to-inner inserts taken and unused ranks at the inner end (`inner`, in insertion
  // order) and appends skipped ones at the outer end (`outer`). No objects per rank.
  const inner = placedInner
  const outer = placedOuter
  inner.length = 0
  outer.length = 0
  for (const take of binding.ranks) {
    if (take.kind === 'unused') break
    if (take.kind === 'skipped') {
      // The rule does not name this dim: the rank stays empty, the loop goes to the next rank.
      // Both orders append the empty rank at the outer end (Timeloop's push_back), even
      // outer-to-inner, where later ranks are inserted inside it.
      outer.push(1, format.innerToOuter ? 1 : innermostTile)
      continue
    }
    const shape = take.to - take.from > 1 ? flattenedFiberShape(t, order, take.from, take.to) : order[take.from]!.bound
    ;(format.innerToOuter ? outer : inner).push(shape, order[take.from]!.tile)
  }
  for (let count = (inner.length + outer.length) / 2; count < free; count++) (format.innerToOuter ? outer : inner).push(1, innermostTile)
  let k = first
  for (let i = inner.length - 2; i >= 0; i -= 2) {
    shapes[k] = inner[i]!
    tiles[k + 1] = inner[i + 1]!
    k++
  }
  for (let i = 0; i < outer.length; i += 2) {
    shapes[k] = outer[i]!
    tiles[k + 1] = outer[i + 1]!
    k++
  }
  return assignment
}

/**
 * Fiber shape of a flattened rank that took `order[from..to)`: Timeloop projects the box of its
 * loop bounds (per dim, the product of the rank's loops over it) onto the tensor
 * (DefineCompressionFormatModels, `offset_tile.GetSize(pv)`), so a filter loop and its output
 * loop in one rank (R with P, S with Q) span the sliding window R + P − 1, not R·P.
 */
const flattenedFiberShape = (
  t: PreparedTensor,
  order: readonly { readonly dim: number; readonly bound: number }[],
  from: number,
  to: number,
): number => {
  const spans = new Array<number>(t.relevantDims.length).fill(1)
  for (let i = from; i < to; i++) spans[order[i]!.dim] = spans[order[i]!.dim]! * order[i]!.bound
  let size = 1
  for (const extent of extentsOf(t.ranks, spans)) size *= extent
  return size
}

const tooManyRanks = (levelName: string, tensor: string): Infeasible => ({
  ok: false,
  kind: 'format-ranks',
  level: levelName,
  reason: `couldn't map level ${levelName}: more compression ranks needed than supported in hardware. dataspace name: ${tensor}`,
})

/**
 * Per-rank [metadata, payload] units of one tile given P(sub-tile of n points is empty), as
 * Timeloop's `GetMetaDataTileOccupancyGivenDataTile`: from the top rank down, rank r sees
 * Π fiber shapes above it as its maximum fiber count, the whole tile (top rank) or its recorded
 * tile `tiles[r + 1]` as its fiber's tile, and `tiles[r]` as one coordinate's sub-tile.
 */
// One reused input for the primitives' pricing calls (no allocation per rank in the inner loop).
const unitsInput: { -readonly [K in keyof RankUnitsInput]: RankUnitsInput[K] } = {
  maxFibers: 0,
  fibers: 0,
  fiberShape: 0,
  occupiedPerFiber: 0,
  options: {},
  ceilPerFiber: false,
}

const ranksGiven = (
  format: PreparedFormat,
  ranks: RankAssignment,
  tile: number,
  probEmptyOf: (n: number) => number,
  cpCeil: boolean,
  out: number[][],
  weight: number,
): void => {
  const { count: n, shapes, tiles } = ranks
  let fibers = 1
  for (let r = n - 1; r >= 0; r--) {
    const S = shapes[r]!
    const curTile = r === n - 1 ? tile : tiles[r + 1]!
    const nextTile = tiles[r]!
    const rank = format.ranks[r]!
    if (S > 1 || (r === 0 && format.innerToOuter) || (r === n - 1 && n === 1)) {
      const nf = fibers * (1 - probEmptyOf(curTile))
      const nnzPerFiber = S * (1 - probEmptyOf(nextTile))
      unitsInput.maxFibers = fibers
      unitsInput.fibers = nf
      unitsInput.fiberShape = S
      unitsInput.occupiedPerFiber = nnzPerFiber
      unitsInput.options = rank.options
      unitsInput.ceilPerFiber = cpCeil
      const md = rank.pricing.metadataUnits(unitsInput)
      const pl = rank.pricing.payloadUnits(unitsInput)
      out[r]![0] = out[r]![0]! + weight * md
      out[r]![1] = out[r]![1]! + weight * pl
    }
    fibers *= S
  }
}

// Above this many possible tile occupancies the expectation over k is replaced by the
// unconditional query (documented deviation; keeps evaluation O(ranks) on huge tiles).
const MAX_CONDITIONAL_SUPPORT = 256

/**
 * Expected metadata/payload units per rank of one tile (Sparseloop format models, §2): the
 * per-rank models are re-queried with "the tile holds k" for every k of the tile's distribution.
 */
const ranksKey: number[] = []
const rankOccupancies = (state: TileState, ranks: RankAssignment, cpCeil: boolean): RankOccupancy[] => {
  const format = state.format!
  const t = state.tensor
  const { count: n, shapes, tiles } = ranks
  // The key, in a reused array (numbers, no key text per lookup).
  const key = ranksKey
  let keyLength = 0
  key[keyLength++] = state.dense.level
  key[keyLength++] = n
  for (let r = 0; r < n; r++) key[keyLength++] = shapes[r]!
  for (let r = 0; r <= n; r++) key[keyLength++] = tiles[r]!
  key[keyLength++] = state.emptyConditioned
  key[keyLength++] = cpCeil ? 1 : 0
  const cache = cacheOf(t).ranks
  const hit = cache.get(key, keyLength)
  if (hit !== undefined) return hit
  const sums: number[][] = []
  for (let r = 0; r < n; r++) sums.push([0, 0])
  const tile = state.dense.tileSize
  const dist = distributionOf(t, tile)
  if (dist !== null && dist.occupancies.length <= MAX_CONDITIONAL_SUPPORT) {
    const filtered = state.emptyConditioned > 0
    let p0 = 0
    dist.occupancies.forEach((k, i) => {
      if (k === 0) p0 += dist.probabilities[i] ?? 0
    })
    const norm = filtered && p0 < 1 ? 1 / (1 - p0) : 1
    dist.occupancies.forEach((k, i) => {
      const p = (dist.probabilities[i] ?? 0) * norm
      if (p === 0 || (filtered && k === 0)) return
      const pe = (size: number): number => {
        if (size >= tile) return k === 0 ? 1 : 0
        return probEmptyGiven(t, size, tile, k)
      }
      ranksGiven(format, ranks, tile, pe, cpCeil, sums, p)
    })
  } else {
    const base = state.emptyConditioned
    const cond = (pe: number) => (base > 0 ? Math.max(0, (pe - base) / (1 - base)) : pe)
    ranksGiven(format, ranks, tile, (size) => cond(probEmpty(t, size)), cpCeil, sums, 1)
  }
  const out: RankOccupancy[] = []
  for (let r = 0; r < n; r++) {
    out.push({
      fiberShape: shapes[r]!,
      rankTile: tiles[r + 1]!,
      metadataUnits: sums[r]![0]!,
      payloadUnits: sums[r]![1]!,
      metadataWordBits: format.ranks[r]!.metadataWordBits,
      payloadWordBits: format.ranks[r]!.payloadWordBits,
    })
  }
  // The innermost non-empty rank's payload is the data itself.
  for (let r = 0; r < n; r++) {
    const o = out[r]!
    if (o.metadataUnits > 0 || o.payloadUnits > 0) {
      out[r] = { ...o, payloadUnits: 0 }
      break
    }
  }
  cache.set(key, out, keyLength)
  return out
}

const mdPerAccess = (state: TileState, count: number): number[][] => {
  const rows: number[][] = []
  for (const r of state.ranks) {
    rows.push([
      Math.ceil((r.metadataUnits * count) / state.dense.tileSize - 1e-9),
      Math.ceil((r.payloadUnits * count) / state.dense.tileSize - 1e-9),
    ])
  }
  return rows
}

const moveFraction = (split: Split, p: number, kind: 'gated' | 'skipped', ceil: boolean): void => {
  if (p <= 0) return
  const raw = split.actual * p
  const delta = Math.min(split.actual, ceil ? Math.ceil(raw - 1e-9) : Math.floor(raw + 1e-9))
  split.actual -= delta
  split[kind] += delta
}

const moveMetadata = (
  md: { actual: number[][]; gated: number[][]; skipped: number[][] },
  p: number,
  kind: 'gated' | 'skipped',
): void => {
  if (p <= 0 || md.actual.length === 0) return
  const target = md[kind]
  for (let r = 0; r < md.actual.length; r++) {
    const pair = md.actual[r]!
    const row = target[r] ?? (target[r] = [0, 0])
    for (let k = 0; k < 2; k++) {
      const value = pair[k] ?? 0
      const delta = Math.floor(value * p + 1e-9)
      pair[k] = value - delta
      row[k] = (row[k] ?? 0) + delta
    }
  }
}

const compressSplit = (split: Split, density: number): void => {
  const removed = Math.floor(split.actual * (1 - density) + 1e-9)
  split.actual -= removed
}

/** Per-level spatial fan-out a mapping needs, and spatial skipping's average utilisation (§6). */
export interface FanoutNeeds {
  /** Product of every spatial loop bound (the dense MAC instances). */
  readonly spatialTotal: number
  /**
   * Instances each storage level needs below it per axis (child tiles), dense. With spatial
   * skipping the shared rule's per-data-space expansions decide instead (checkFeasibility).
   */
  readonly needX: number[]
  readonly needY: number[]
  /** The arithmetic level's need per level and axis (sized per operand element). */
  readonly macNeedX: number[]
  readonly macNeedY: number[]
  /** Per level, the average fraction of instances left busy by spatial skipping (1 = all). */
  readonly spatialShrinkAvg: number[]
}

/**
 * Phase 1, fan-out: the spatial instances each level needs (dense), and the average fraction of
 * them spatial skipping leaves busy (§6).
 */
export const fanoutNeeds = (design: PreparedDesign, nest: MappedNest): FanoutNeeds => {
  const { loops } = nest
  const nLevels = design.levels.length
  let spatialTotal = 1
  for (const loop of loops) {
    if (loop.spatial) spatialTotal *= loop.bound
  }
  // Dense per-level fan-outs; with spatial skipping, which mappings fit is the shared rule's
  // answer (checkSpatialSkipFanout in checkFeasibility).
  const needX = [...nest.fanoutX]
  const needY = [...nest.fanoutY]
  const macNeedX = [...nest.fanoutX]
  const macNeedY = [...nest.fanoutY]
  // Spatial skipping (§6), average utilisation: the innermost spatial loop of a level over the
  // condition tensor's dims keeps busy only the instances whose child tile of that tensor is
  // non-empty.
  const spatialShrinkAvg: number[] = []
  for (let level = 0; level < nLevels; level++) spatialShrinkAvg.push(1)
  const shrunkLoops = new Set<NestLoop>()
  for (const level of design.levels) {
    for (const saf of level.safs) {
      if (saf.kind !== 'skipping-spatial') continue
      for (const option of saf.options) {
        for (const c of option.conditionOn) {
          const cond = design.tensors[c]!
          let innermost: NestLoop | null = null
          for (const loop of loops) {
            if (loop.spatial && loop.level === level.index && loop.bound > 1 && cond.relevantDims[loop.dim]) {
              innermost = loop
              break
            }
          }
          // Several targets conditioned on the same tensor share one shrunk fan-out.
          if (innermost === null || shrunkLoops.has(innermost)) continue
          shrunkLoops.add(innermost)
          const pe = probEmpty(cond, footprintBelow(loops, cond, level.index))
          if (pe <= 0) continue
          spatialShrinkAvg[level.index] = Math.min(spatialShrinkAvg[level.index]!, 1 - pe)
        }
      }
    }
  }
  return { spatialTotal, needX, needY, macNeedX, macNeedY, spatialShrinkAvg }
}

/** The dense tiles of one mapping: `states[level][tensor]` (null where not kept) and per tensor its kept tiles, innermost first. */
export interface TileStates {
  readonly states: (TileState | null)[][]
  readonly perTensor: TileState[][]
}

/**
 * The metadata rows of every tile without a format, shared: they stay empty (phase 5 fills rows
 * only for formatted tiles, and moving a fraction of empty rows changes nothing).
 */
const NO_METADATA: TileState['mdReads'] = { actual: [], gated: [], skipped: [] }

/** Phase 2, dense analysis: each kept (tensor, level) tile with its dense reads, fills and updates. */
export const denseTiles = (design: PreparedDesign, nest: MappedNest): TileStates => {
  const { loops } = nest
  const nLevels = design.levels.length
  const dims = design.dims.length
  const fanouts = physicalFanoutsOf(design)
  const states: (TileState | null)[][] = []
  for (let level = 0; level < nLevels; level++) {
    const row: (TileState | null)[] = []
    for (let t = 0; t < design.tensors.length; t++) row.push(null)
    states.push(row)
  }
  const perTensor: TileState[][] = []
  for (const tensor of design.tensors) {
    const keptLevels: number[] = []
    for (let level = 0; level < nLevels; level++) if (nest.kept[level]![tensor.index]) keptLevels.push(level)
    const tiles = analyzeTensor(loops, { ranks: tensor.ranks, readWrite: tensor.readWrite, relevant: tensor.relevantDims, keptLevels }, dims, fanouts)
    const list: TileState[] = tiles.map((dense) => {
      const format = design.levels[dense.level]!.formats[tensor.index] ?? null
      let compressed = false
      if (format !== null) for (const r of format.ranks) if (r.compressed) compressed = true
      const st: TileState = {
        tensor,
        dense,
        format,
        compressed,
        ranks: [],
        emptyConditioned: 0,
        density: 1,
        instances: dense.instances,
        reads: { actual: dense.reads, gated: 0, skipped: 0 },
        fills: { actual: dense.fills, gated: 0, skipped: 0 },
        updates: { actual: dense.updates, gated: 0, skipped: 0 },
        mdReads: format !== null ? { actual: [], gated: [], skipped: [] } : NO_METADATA,
        mdFills: format !== null ? { actual: [], gated: [], skipped: [] } : NO_METADATA,
        mdUpdates: format !== null ? { actual: [], gated: [], skipped: [] } : NO_METADATA,
        decompressions: 0,
        compressions: 0,
      }
      states[dense.level]![tensor.index] = st
      return st
    })
    perTensor.push(list)
  }
  return { states, perTensor }
}

/**
 * Phase 3, formats and occupancy: each tile's density (empty tiles are not transferred from a
 * parent that has metadata) and, for formatted tiles, its ranks bound to loops and priced through
 * their primitives. Mutates the tiles; returns an infeasibility (rank overflow) or null.
 */
export const applyFormats = (design: PreparedDesign, nest: MappedNest, perTensor: readonly TileState[][], cpCeil: boolean): Infeasible | null => {
  for (const list of perTensor) {
    for (let i = 0; i < list.length; i++) {
      const st = list[i]!
      const levelName = design.levels[st.dense.level]!.spec.name
      const tensor = st.tensor
      const parent = i + 1 < list.length ? list[i + 1]! : null
      // Empty tiles are not transferred from a parent that has metadata.
      let density = expectedDensity(tensor, st.dense.tileSize)
      if (parent !== null && parent.format !== null) {
        const pe = probEmpty(tensor, st.dense.tileSize)
        if (pe > 0 && pe < 1) {
          st.instances *= 1 - pe
          st.emptyConditioned = pe
          density = density / (1 - pe)
        }
      }
      st.density = Math.min(1, density)
      if (st.format !== null) {
        const assigned = assignRanks(nest.allLoops, st, i > 0 ? list[i - 1]! : null, levelName)
        if ('ok' in assigned) return assigned
        st.ranks = rankOccupancies(st, assigned, cpCeil)
      }
    }
  }
  return null
}

/**
 * Phase 4, feasibility in Sparseloop's order: rank overflows were rejected by phase 3; then,
 * only when the design has spatial skipping, the per-level fan-out ratios (storage optimisation
 * impact); then the arithmetic level's instances and mesh; then each storage level, innermost
 * first, its capacity, metadata capacity, instances and mesh (Topology::Evaluate,
 * BufferLevel::ComputeScalarAccesses). With spatial skipping the arithmetic level sees the
 * largest per-data-space expansion that Sparseloop's skipping analysis leaves
 * (compute_info.max_x/y_expansion).
 */
export const checkFeasibility = (
  design: PreparedDesign,
  nest: MappedNest,
  states: readonly (readonly (TileState | null)[])[],
  fanout: FanoutNeeds,
): Check => {
  let arithmetic: Check
  let mesh: StorageMesh
  if (hasSpatialSkipping(design)) {
    const skip = checkSpatialSkipFanout(design, nest.loops, nest.kept)
    if (!skip.verdict.ok) return skip.verdict
    arithmetic = checkArithmeticExpansion(design, skip.computeX, skip.computeY)
    // Each storage level sees the largest per-data-space expansion and average replication.
    mesh = { x: skip.result.storageX, y: skip.result.storageY, instances: skip.result.storageInstances }
  } else {
    arithmetic = checkArithmeticInstances(design, fanout.macNeedX, fanout.macNeedY)
    mesh = denseMesh(design, fanout.needX, fanout.needY)
  }
  if (!arithmetic.ok) return arithmetic
  return checkStorageLevels(design, states, mesh)
}

/**
 * Phase 5, metadata accesses and compression: per-access metadata units of formatted tiles,
 * compressed data accesses, and the (de)compressions of an uncompressed child of a compressed
 * parent. Mutates the tiles.
 */
export const applyMetadataAndCompression = (perTensor: readonly TileState[][]): void => {
  for (const list of perTensor) {
    for (let i = 0; i < list.length; i++) {
      const st = list[i]!
      if (st.format !== null) {
        st.mdReads.actual = mdPerAccess(st, st.dense.reads)
        st.mdFills.actual = mdPerAccess(st, st.dense.fills)
        st.mdUpdates.actual = mdPerAccess(st, st.dense.updates)
        // gated/skipped metadata rows are allocated lazily by moveMetadata.
      }
      if (st.compressed) {
        compressSplit(st.reads, st.density)
        compressSplit(st.fills, st.density)
        compressSplit(st.updates, st.density)
      }
    }
    for (let i = 0; i < list.length; i++) {
      const st = list[i]!
      const parent = i + 1 < list.length ? list[i + 1]! : null
      if (parent !== null && parent.compressed && !st.compressed) {
        // The uncompressed child decompresses what the parent sends and compresses what it
        // writes back (counted at the child, whose ERT holds the (de)compression actions).
        st.decompressions = parent.reads.actual
        if (st.tensor.readWrite) st.compressions = parent.updates.actual
      }
    }
  }
}

/** What the storage SAFs leave for the compute level. */
export interface SafEffect {
  /** Fraction of computes left after skipped/gated operand fetches at the innermost level. */
  readonly computeScale: number
  /** Per tensor, the probability that the SAFs conditioned on it kept a compute (1 = none did). */
  readonly conditioned: readonly number[]
}

/**
 * Phase 6, gating and skipping (§5): each storage SAF moves the fraction of its target's
 * accesses whose condition tiles are empty from actual to gated/skipped, at its level and every
 * inner one. Mutates the tiles.
 */
export const applyStorageSafs = (design: PreparedDesign, nest: MappedNest, tiles: TileStates): SafEffect => {
  const { loops } = nest
  const { states, perTensor } = tiles
  let computeScale = 1
  const conditioned: number[] = design.tensors.map(() => 1)
  for (const level of design.levels) {
    for (const saf of level.safs) {
      if (saf.kind === 'skipping-spatial') continue
      const kind = saf.kind === 'gating' ? 'gated' : 'skipped'
      // Among alternatives, Sparseloop keeps the most beneficial; with one option it is that one.
      let best: { target: number; p: number; keeps: [number, number][] } | null = null
      for (const option of saf.options) {
        const st = states[level.index]![option.target]
        if (st === null || st === undefined) continue
        let keep = 1
        const keeps: [number, number][] = []
        for (const c of option.conditionOn) {
          const cond = design.tensors[c]!
          const tile = conditionTile(loops, st, cond)
          const k = 1 - probEmpty(cond, tile)
          keeps.push([c, k])
          keep *= k
        }
        const p = 1 - keep
        if (best === null || p > best.p) best = { target: option.target, p, keeps }
      }
      if (best === null || best.p <= 0) continue
      const list = perTensor[best.target]!
      const at = list.findIndex((s) => s.dense.level === level.index)
      const st = list[at]!
      moveFraction(st.reads, best.p, kind, st.tensor.readWrite)
      moveFraction(st.updates, best.p, kind, false)
      moveMetadata(st.mdReads, best.p, kind)
      moveMetadata(st.mdUpdates, best.p, kind)
      // Inner levels only ever see what survives the SAF.
      for (let j = 0; j < at; j++) {
        const inner = list[j]!
        moveFraction(inner.reads, best.p, kind, false)
        moveFraction(inner.fills, best.p, kind, false)
        moveFraction(inner.updates, best.p, kind, false)
        moveMetadata(inner.mdReads, best.p, kind)
        moveMetadata(inner.mdFills, best.p, kind)
        moveMetadata(inner.mdUpdates, best.p, kind)
      }
      if (at === 0 && !st.tensor.readWrite) {
        // Computes on the skipped/gated operand fetches never happen, and the condition
        // operands are known non-empty at the compute level from then on.
        computeScale *= 1 - best.p
        for (const [c, k] of best.keeps) conditioned[c] = (conditioned[c] ?? 1) * k
      }
    }
  }
  return { computeScale, conditioned }
}

/** The compute level's work. */
export interface ComputeCounts {
  readonly algorithmic: number
  /** Average utilised MAC instances. */
  readonly macAvg: number
  readonly random: number
  readonly gated: number
  readonly skipped: number
  readonly cycles: number
}

/**
 * Phase 7, computes (§7): what the storage SAFs leave, classified by the compute SAFs into
 * random, gated and skipped computes from the operands' element densities; compute cycles.
 */
export const classifyComputes = (
  design: PreparedDesign,
  nest: MappedNest,
  perTensor: readonly TileState[][],
  fanout: FanoutNeeds,
  safs: SafEffect,
): ComputeCounts => {
  const { loops } = nest
  const { spatialTotal } = fanout
  const { computeScale, conditioned } = safs
  let temporal = 1
  for (const loop of loops) if (!loop.spatial) temporal *= loop.bound
  let macAvg = spatialTotal
  for (const s of fanout.spatialShrinkAvg) macAvg *= s
  const algorithmic = temporal * spatialTotal
  const afterStorage = temporal * macAvg * computeScale
  let randomComputes = afterStorage
  let gatedComputes = 0
  let skippedComputes = 0
  if (design.computeGating || design.computeSkipping) {
    const operands = design.tensors.filter((t) => !t.readWrite)
    if (operands.length === 2) {
      const probs = operands.map((t) => {
        const list = perTensor[t.index]!
        const innermost = list[0]
        // Element-level density, conditioned by storage SAFs that already filtered on t.
        let d = expectedDensity(t, 1)
        const filtered = conditioned[t.index] ?? 1
        if (filtered < 1 && filtered > 0) d = Math.min(1, d / filtered)
        const compressedInner = innermost !== undefined && innermost.compressed
        return { enz: d, ez: compressedInner ? 0 : 1 - d, ne: compressedInner ? 1 - d : 0 }
      })
      const [a, b] = probs as [typeof probs[number], typeof probs[number]]
      let pSkip = 0
      let pGate = 0
      // Operand states ENZ (0), EZ (1), NE (2); every pair but ENZ × ENZ is gated or skipped,
      // skipped when one operand is NE and the compute level skips.
      const pa = [a.enz, a.ez, a.ne]
      const pb = [b.enz, b.ez, b.ne]
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const p = pa[i]! * pb[j]!
          if (p === 0 || (i === 0 && j === 0)) continue
          const hasNE = i === 2 || j === 2
          if (hasNE && design.computeSkipping) pSkip += p
          else if (design.computeGating) pGate += p
        }
      }
      skippedComputes = Math.floor(afterStorage * pSkip + 1e-9)
      gatedComputes = Math.floor(afterStorage * pGate + 1e-9)
      randomComputes = afterStorage - skippedComputes - gatedComputes
    }
  }
  const cycles = Math.ceil((randomComputes + gatedComputes) / Math.max(macAvg, 1e-12) - 1e-9)
  return { algorithmic, macAvg, random: randomComputes, gated: gatedComputes, skipped: skippedComputes, cycles }
}

/** One storage level's report and its action counts. */
export interface StorageLevelCost {
  readonly report: LevelReport
  readonly actions: ActionBreakdown[]
}

/**
 * Phase 8a, one storage level's energy (vector accesses × ERT energies, per instance) and cycles
 * (bandwidth throttling against the compute cycles, buffer.cpp ComputePerformance).
 */
export const storageLevelCost = (
  design: PreparedDesign,
  level: number,
  tiles: readonly (TileState | null)[],
  computeCycles: number,
  vectorFallback: 'nearest-smaller' | 'exact',
): StorageLevelCost => {
  const prepared = design.levels[level]!
  const spec = prepared.spec
  const tensorsOut: Record<string, TensorLevelReport> = {}
  const actions: ActionBreakdown[] = []
  let levelEnergy = 0
  let readDemand = 0
  let writeDemand = 0
  for (const st of tiles) {
    if (st === null) continue
    const block = spec.blockSize
    const vecFactor = vectorCoefficient(st, block, vectorFallback)
    const mdWidth = spec.metadataStorageWidthBits ?? 0
    const ranks = st.ranks
    // Each metadata row's bits once: they price both its vector accesses and its words.
    const mdReadBits = metadataBits(st.mdReads.actual, ranks)
    const mdFillBits = metadataBits(st.mdFills.actual, ranks)
    const mdUpdateBits = metadataBits(st.mdUpdates.actual, ranks)
    const mdReadGatedBits = metadataBits(st.mdReads.gated, ranks)
    const mdFillGatedBits = metadataBits(st.mdFills.gated, ranks)
    const mdUpdateGatedBits = metadataBits(st.mdUpdates.gated, ranks)
    const perOp = [
      dataVectors(st.reads.actual, block, vecFactor),
      dataVectors(st.fills.actual, block, vecFactor),
      dataVectors(st.updates.actual, block, vecFactor),
      dataVectors(st.reads.gated, block, vecFactor),
      dataVectors(st.fills.gated, block, vecFactor),
      dataVectors(st.updates.gated, block, vecFactor),
      dataVectors(st.reads.skipped, block, vecFactor),
      dataVectors(st.fills.skipped, block, vecFactor),
      dataVectors(st.updates.skipped, block, vecFactor),
      metadataVectorsOf(mdReadBits, st.mdReads.actual, mdWidth),
      metadataVectorsOf(mdFillBits, st.mdFills.actual, mdWidth),
      metadataVectorsOf(mdUpdateBits, st.mdUpdates.actual, mdWidth),
      metadataVectorsOf(mdReadGatedBits, st.mdReads.gated, mdWidth),
      metadataVectorsOf(mdFillGatedBits, st.mdFills.gated, mdWidth),
      metadataVectorsOf(mdUpdateGatedBits, st.mdUpdates.gated, mdWidth),
      metadataVectors(st.mdReads.skipped, ranks, mdWidth),
      metadataVectors(st.mdFills.skipped, ranks, mdWidth),
      metadataVectors(st.mdUpdates.skipped, ranks, mdWidth),
      st.decompressions,
      st.compressions,
    ]
    let perInstance = 0
    for (let i = 0; i < perOp.length; i++) {
      const v = perOp[i]!
      perInstance += v * prepared.energyVectorPJ[i]!
      perOp[i] = v * st.instances
    }
    actions.push({ level: spec.name, tensor: st.tensor.name, actions: STORAGE_OPS, counts: perOp, energiesPJ: prepared.energyVectorPJ })
    const energy = perInstance * st.instances
    levelEnergy += energy
    const wordBits = spec.wordBits
    const mdReadWords = Math.ceil(mdReadBits / wordBits - 1e-9) + Math.ceil(mdReadGatedBits / wordBits - 1e-9)
    const mdWriteWords =
      Math.ceil(mdFillBits / wordBits - 1e-9) +
      Math.ceil(mdFillGatedBits / wordBits - 1e-9) +
      Math.ceil(mdUpdateBits / wordBits - 1e-9) +
      Math.ceil(mdUpdateGatedBits / wordBits - 1e-9)
    // Demand per physical instance: fractional average utilisation spreads the work.
    const utilization = st.dense.instances > 0 ? st.instances / st.dense.instances : 1
    readDemand += (st.reads.actual + st.reads.gated + mdReadWords) * utilization
    writeDemand += (st.fills.actual + st.fills.gated + st.updates.actual + st.updates.gated + mdWriteWords) * utilization
    let mdReadUnits = 0
    for (const pair of st.mdReads.actual) mdReadUnits += pair[0] ?? 0
    tensorsOut[st.tensor.name] = {
      reads: scaled(st.reads, st.instances),
      fills: scaled(st.fills, st.instances),
      updates: scaled(st.updates, st.instances),
      metadataReads: mdReadUnits * st.instances,
      energyPJ: energy,
    }
  }
  // Bandwidth throttling (buffer.cpp ComputePerformance), per instance.
  const rd = computeCycles > 0 ? readDemand / computeCycles : 0
  const wr = computeCycles > 0 ? writeDemand / computeCycles : 0
  let slowdown = 1
  const rbw = spec.readBandwidthWordsPerCycle
  const wbw = spec.writeBandwidthWordsPerCycle
  const sbw = spec.sharedBandwidthWordsPerCycle
  if (rbw !== null && rd > 0) slowdown = Math.min(slowdown, rbw / rd)
  if (wbw !== null && wr > 0) slowdown = Math.min(slowdown, wbw / wr)
  if (sbw !== null && rd + wr > 0) slowdown = Math.min(slowdown, sbw / (rd + wr))
  const cycles = slowdown > 0 ? Math.ceil(computeCycles / slowdown - 1e-6) : computeCycles
  return { report: { kind: 'storage', energyPJ: levelEnergy, cycles, tensors: tensorsOut }, actions }
}

/** Phase 8, energy and cycles: every storage level, then the compute level, into the report. */
export const costReport = (
  design: PreparedDesign,
  states: readonly (readonly (TileState | null)[])[],
  computes: ComputeCounts,
  options: SparseloopModelOptions,
): CostReport => {
  const compute = design.arch.compute
  const levelsOut: Record<string, LevelReport> = {}
  const actions: ActionBreakdown[] = []
  let totalEnergy = 0
  let maxCycles = computes.cycles
  const vectorFallback = options.vectorWidthFallback ?? 'nearest-smaller'
  for (let level = 0; level < design.levels.length; level++) {
    const cost = storageLevelCost(design, level, states[level]!, computes.cycles, vectorFallback)
    for (const a of cost.actions) actions.push(a)
    maxCycles = Math.max(maxCycles, cost.report.cycles)
    totalEnergy += cost.report.energyPJ
    levelsOut[design.levels[level]!.spec.name] = cost.report
  }
  const ce = design.computeEnergies
  const computeEnergy =
    computes.random * ce.random_compute.energyPJ +
    computes.gated * ce.gated_compute.energyPJ +
    computes.skipped * ce.skipped_compute.energyPJ
  totalEnergy += computeEnergy
  levelsOut[compute.name] = { kind: 'compute', energyPJ: computeEnergy, cycles: computes.cycles, tensors: {} }
  actions.push({
    level: compute.name,
    tensor: null,
    actions: COMPUTE_OPS,
    counts: [computes.random, computes.gated, computes.skipped],
    energiesPJ: design.computeEnergyVectorPJ,
  })
  return {
    valid: true,
    cycles: maxCycles,
    energyPJ: totalEnergy,
    computes: { actual: computes.random, gated: computes.gated, skipped: computes.skipped },
    levels: levelsOut,
    actions,
    details: {
      algorithmicComputes: computes.algorithmic,
      utilizedComputeInstances: computes.macAvg,
    },
  }
}

/**
 * Evaluates one mapping of a prepared design: a chain of the phases above (loop nest → fan-out →
 * dense tiles → formats → feasibility → metadata and compression → storage SAFs → computes →
 * energy and cycles). Infeasible mappings come back as `{ valid: false }`.
 */
export const evaluatePrepared = (
  design: PreparedDesign,
  mapping: MappingSpec,
  options: SparseloopModelOptions = {},
): CostReport => {
  const nest = buildNest(design, mapping)
  if (!nest.ok) return invalid(nest)
  const fanout = fanoutNeeds(design, nest)
  const tiles = denseTiles(design, nest)
  const rankOverflow = applyFormats(design, nest, tiles.perTensor, options.cpCeilPerFiber ?? true)
  if (rankOverflow !== null) return invalid(rankOverflow)
  const feasible = checkFeasibility(design, nest, tiles.states, fanout)
  if (!feasible.ok) return invalid(feasible)
  applyMetadataAndCompression(tiles.perTensor)
  const safs = applyStorageSafs(design, nest, tiles)
  const computes = classifyComputes(design, nest, tiles.perTensor, fanout, safs)
  return costReport(design, tiles.states, computes, options)
}

const fanoutCache = new WeakMap<PreparedDesign, PhysicalFanouts>()

/** Each storage level's hardware fan-out per axis, child mesh / own mesh (ArchProperties::DeriveFanouts). */
const physicalFanoutsOf = (design: PreparedDesign): PhysicalFanouts => {
  let fanouts = fanoutCache.get(design)
  if (fanouts === undefined) {
    const compute = design.arch.compute
    const child = (level: number) => (level === 0 ? compute : design.levels[level - 1]!.spec)
    fanouts = {
      x: design.levels.map((l, i) => Math.max(1, Math.floor(child(i).meshX / Math.max(1, l.spec.meshX)))),
      y: design.levels.map((l, i) => Math.max(1, Math.floor(child(i).meshY / Math.max(1, l.spec.meshY)))),
    }
    fanoutCache.set(design, fanouts)
  }
  return fanouts
}

export type Check = { readonly ok: true } | Infeasible
const OK: Check = { ok: true }

/** Whether any level declares `skipping-spatial` (Sparseloop's `action_spatial_skipping_info`). */
const hasSpatialSkipping = (design: PreparedDesign): boolean =>
  design.levels.some((level) => level.safs.some((saf) => saf.kind === 'skipping-spatial'))

/** The arithmetic level's check (ArithmeticUnits::Evaluate): all spatial loops against its instances and mesh. */
const checkArithmeticInstances = (design: PreparedDesign, fanoutX: readonly number[], fanoutY: readonly number[]): Check => {
  let x = 1
  let y = 1
  for (let level = 0; level < design.levels.length; level++) {
    x *= fanoutX[level]!
    y *= fanoutY[level]!
  }
  return checkArithmeticExpansion(design, x, y)
}

/** ArithmeticUnits::Evaluate: instances, then mesh X, then mesh Y. */
const checkArithmeticExpansion = (design: PreparedDesign, x: number, y: number): Check => {
  const compute = design.arch.compute
  const fail = (reason: string): Check => ({ ok: false, kind: 'fanout', level: compute.name, reason: `couldn't map level ${compute.name}: ${reason}` })
  if (x * y > compute.instances) return fail(`mapped max Arithmetic instances ${x * y} exceeds hardware instances ${compute.instances}`)
  if (x > compute.meshX) return fail(`mapped max Arithmetic X expansion ${x} exceeds hardware instances ${compute.meshX}`)
  if (y > compute.meshY) return fail(`mapped max Arithmetic Y expansion ${y} exceeds hardware instances ${compute.meshY}`)
  return OK
}

/** What each storage level (innermost first) checks against its instances and mesh. */
interface StorageMesh {
  readonly x: readonly number[]
  readonly y: readonly number[]
  /** Utilised instances (the largest over data spaces; fractional under spatial skipping). */
  readonly instances: readonly number[]
}

/** Without spatial skipping: a level's expansion is the spatial loops of every level above it. */
const denseMesh = (design: PreparedDesign, fanoutX: readonly number[], fanoutY: readonly number[]): StorageMesh => {
  const nLevels = design.levels.length
  const x = new Array<number>(nLevels).fill(1)
  const y = new Array<number>(nLevels).fill(1)
  for (let level = nLevels - 2; level >= 0; level--) {
    x[level] = x[level + 1]! * fanoutX[level + 1]!
    y[level] = y[level + 1]! * fanoutY[level + 1]!
  }
  return { x, y, instances: x.map((v, i) => v * y[i]!) }
}

/**
 * Each storage level, innermost first, as BufferLevel::ComputeScalarAccesses checks it: data
 * capacity, metadata capacity, then its utilised instances, X and Y expansion against its
 * instances, meshX and meshY (whether or not it keeps any tensor).
 */
const checkStorageLevels = (
  design: PreparedDesign,
  states: readonly (readonly (TileState | null)[])[],
  mesh: StorageMesh,
): Check => {
  const nLevels = design.levels.length
  for (let level = 0; level < nLevels; level++) {
    const spec = design.levels[level]!.spec
    const fail = (kind: string, reason: string): Check => ({ ok: false, kind, level: spec.name, reason: `couldn't map level ${spec.name}: ${reason}` })
    let words = 0
    let mdBits = 0
    for (const st of states[level]!) {
      if (st === null) continue
      const occ = st.compressed ? maxOccupancy(st.tensor, st.dense.tileSize) : st.dense.tileSize
      words += occ
      for (const r of st.ranks) mdBits += r.metadataUnits * r.metadataWordBits + r.payloadUnits * r.payloadWordBits
    }
    if (spec.capacityWords !== null && words > spec.capacityWords * spec.multipleBuffering + 1e-9) {
      return fail('capacity', `mapped tile size ${Math.ceil(words)} exceeds buffer capacity ${spec.capacityWords}`)
    }
    const mdCapacity =
      spec.metadataStorageDepth !== null && spec.metadataStorageWidthBits !== null && spec.metadataStorageDepth > 0
        ? spec.metadataStorageDepth * spec.metadataStorageWidthBits
        : null
    if (mdCapacity !== null && mdBits > mdCapacity + 1e-9) {
      return fail('metadata-capacity', `mapped metadata tile size ${Math.ceil(mdBits)} exceeds metadata buffer capacity ${mdCapacity}`)
    }
    const x = mesh.x[level]!
    const y = mesh.y[level]!
    const used = mesh.instances[level]!
    if (used > spec.instances) return fail('fanout', `mapped instances ${formatCppDouble(used)} exceeds available hardware instances ${spec.instances}`)
    if (x > spec.meshX) return fail('fanout', `mapped X expansion ${x} exceeds available hardware instances ${spec.meshX}`)
    if (y > spec.meshY) return fail('fanout', `mapped Y expansion ${y} exceeds available hardware instances ${spec.meshY}`)
  }
  return OK
}

// Per-dim spans of footprintBelow and conditionTile, reused (both run synchronously).
let footprintSpans = new Float64Array(8)

/** Footprint of `tensor` over all loops of levels below `level` (one spatial instance's tile). */
const footprintBelow = (loops: readonly NestLoop[], tensor: PreparedTensor, level: number): number => {
  const dims = tensor.relevantDims.length
  const spans = (footprintSpans = footprintSpans.length >= dims ? footprintSpans : new Float64Array(dims))
  for (let d = 0; d < dims; d++) spans[d] = 1
  for (const loop of loops) if (loop.level < level && tensor.relevantDims[loop.dim]) spans[loop.dim] = spans[loop.dim]! * loop.bound
  return tilePoints(tensor.ranks, spans)
}

/** C's tile that one access of the SAF's target corresponds to (§6 granularity). */
const conditionTile = (loops: readonly NestLoop[], target: TileState, cond: PreparedTensor): number => {
  const child = target.dense.childLevel
  if (child < 0) return 1
  const dims = cond.relevantDims.length
  const spans = (footprintSpans = footprintSpans.length >= dims ? footprintSpans : new Float64Array(dims))
  for (let d = 0; d < dims; d++) spans[d] = 1
  for (const loop of loops) if (loop.level <= child && cond.relevantDims[loop.dim]) spans[loop.dim] = spans[loop.dim]! * loop.bound
  return tilePoints(cond.ranks, spans)
}

/**
 * Sparseloop's statistical correction of vector accesses for compressed tiles
 * (`VectorWidthCoefficientTable`): Σ_k P(k)·ceil(k/block) / (shape·d/block).
 */
const vectorCoefficient = (st: TileState, block: number, fallback: 'nearest-smaller' | 'exact'): number => {
  if (!st.compressed || block <= 1 || st.density >= 1) return 1
  let key = block
  if (fallback === 'nearest-smaller') {
    // The last table key not above the block (plain loops: no array or closure per call).
    for (const k of VECTOR_TABLE_KEYS) if (k <= block) key = k
  }
  const dist = distributionOf(st.tensor, st.dense.tileSize)
  if (dist === null) return 1
  let expectedVectors = 0
  let expected = 0
  const { occupancies, probabilities } = dist
  for (let i = 0; i < occupancies.length; i++) {
    const k = occupancies[i]!
    const p = probabilities[i] ?? 0
    expectedVectors += p * Math.ceil(k / key)
    expected += p * k
  }
  if (expected <= 0) return 1
  return expectedVectors / (expected / key)
}

/** Vector accesses of `scalar` data accesses (block-wide vectors, statistical correction). */
const dataVectors = (scalar: number, block: number, factor: number): number =>
  scalar === 0 ? 0 : Math.ceil((scalar / block) * factor - 1e-9)

/** Bits of per-rank [metadata, payload] unit counts. */
const metadataBits = (pairs: readonly (readonly number[])[], ranks: readonly RankOccupancy[]): number => {
  let bits = 0
  for (let r = 0; r < pairs.length; r++) {
    const pair = pairs[r]
    if (pair === undefined) continue
    const rank = ranks[r]!
    bits += (pair[0] ?? 0) * rank.metadataWordBits + (pair[1] ?? 0) * rank.payloadWordBits
  }
  return bits
}

/** {@link metadataVectors} of a row whose bits are known. */
const metadataVectorsOf = (bits: number, pairs: readonly (readonly number[])[], widthBits: number): number =>
  widthBits > 0 && pairs.length > 0 ? Math.ceil(bits / widthBits - 1e-9) : 0

/** Metadata vector accesses: bits packed into `metadata_storage_width`; free when it is 0. */
const metadataVectors = (pairs: readonly (readonly number[])[], ranks: readonly RankOccupancy[], widthBits: number): number =>
  widthBits > 0 && pairs.length > 0 ? Math.ceil(metadataBits(pairs, ranks) / widthBits - 1e-9) : 0

const scaled = (s: Split, factor: number): { actual: number; gated: number; skipped: number } => ({
  actual: s.actual * factor,
  gated: s.gated * factor,
  skipped: s.skipped * factor,
})

const invalid = (x: Infeasible): CostReport => ({
  valid: false,
  reason: x.reason,
  kind: x.kind,
  ...(x.level !== undefined ? { level: x.level } : {}),
})

export { zeroSplit }

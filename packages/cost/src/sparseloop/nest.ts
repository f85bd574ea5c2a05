// Dense nest analysis (Timeloop's loop-analysis, closed form): from a mapping, the loop nest,
// and for every tensor and every level keeping it the tile, the partition, and per-instance
// fills, reads and updates including spatial multicast and reduction. Tiles are boxes in tensor
// coordinates, so the refill volume of each loop transition is a closed form and the whole
// analysis is O(loops² × ranks) per tensor instead of Timeloop's walk over loop iterations.
import { linkTransfers } from './link-transfers'

/** One loop of the flattened nest. */
export interface NestLoop {
  readonly dim: number
  readonly bound: number
  readonly spatial: boolean
  /** Storage level (0 = innermost storage level) this loop belongs to. */
  readonly level: number
  /** For spatial loops: true on the X axis. */
  readonly axisX: boolean
  /** `spatial` and `axisX` in one word, as the shared spatial-skipping rule reads a loop. */
  readonly kind: 'x' | 'y' | 'temporal'
}

/** A tensor rank's projection: Σ coefficient × dim. */
export interface RankProjection {
  readonly terms: readonly { readonly dim: number; readonly coefficient: number }[]
}

/** Per-instance dense counts of one tensor at one level keeping it. */
export interface DenseTile {
  readonly level: number
  /** Child keeping level, or -1 when the child is the compute level. */
  readonly childLevel: number
  /** Parent keeping level, or -1 when this is the outermost keeping level. */
  readonly parentLevel: number
  readonly tileSize: number
  /** Span of every problem dim covered by the tile (product of loop bounds at or below). */
  readonly dimSpans: readonly number[]
  readonly partitionSize: number
  readonly reads: number
  readonly fills: number
  readonly updates: number
  /** Instances of this level that hold the tensor (product of spatial loops above). */
  readonly instances: number
  readonly instancesX: number
  readonly instancesY: number
}

/** Extent per rank of a footprint whose dims cover `spans` points. */
export const extentsOf = (ranks: readonly RankProjection[], spans: readonly number[]): number[] =>
  ranks.map((rank) => {
    if (rank.terms.length === 1) return spans[rank.terms[0]!.dim] ?? 1
    let extent = 1
    for (const term of rank.terms) extent += term.coefficient * ((spans[term.dim] ?? 1) - 1)
    return extent
  })

/** {@link extentsOf} of one rank, with no array (spans per dim from a plain or typed array). */
const extentOf = (rank: RankProjection, spans: ArrayLike<number>): number => {
  const terms = rank.terms
  if (terms.length === 1) return spans[terms[0]!.dim] ?? 1
  let extent = 1
  for (const term of terms) extent += term.coefficient * ((spans[term.dim] ?? 1) - 1)
  return extent
}

/** Π of the extents per rank of a footprint whose dims cover `spans` points, in rank order (no array). */
export const tilePoints = (ranks: readonly RankProjection[], spans: ArrayLike<number>): number => {
  let size = 1
  for (let r = 0; r < ranks.length; r++) size *= extentOf(ranks[r]!, spans)
  return size
}

// Scratch space of the nest analysis, reused across calls: the analysis runs synchronously and
// never re-enters itself, and fresh per-call arrays (spans, strides, extents, masks) were a
// large share of an evaluation's time and garbage (issue 12).
let scratchDims = new Float64Array(16)
let scratchDims2 = new Float64Array(16)
let scratchRanks = new Float64Array(16)
let scratchLoops = new Float64Array(64)
let scratchShift = new Float64Array(16)
let scratchUsed = new Uint8Array(64)
let scratchFirstShift = new Float64Array(16)
const sized = (a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> => (a.length >= n ? a : new Float64Array(Math.max(n, 2 * a.length)))
// (Scratch is reset by plain loops: `fill` is a call into the runtime, slower than the loop for
// the few entries of a nest.)

/**
 * The set-up both walks share ({@link temporalTransitions}, {@link fetchedOverWalk}), in scratch
 * space: per-dim strides (scratchDims) at 1 and fall-backs (scratchDims2) at 0, and for each loop
 * the product of the iterating temporal bounds outer to it (scratchLoops[k], 1 past the last).
 */
const startWalk = (loops: readonly NestLoop[], level: number, dims: number): void => {
  const n = loops.length
  const running = (scratchDims = sized(scratchDims, dims))
  const fallBack = (scratchDims2 = sized(scratchDims2, dims))
  for (let d = 0; d < dims; d++) {
    running[d] = 1
    fallBack[d] = 0
  }
  const outerProduct = (scratchLoops = sized(scratchLoops, n + 1))
  outerProduct[n] = 1
  for (let k = n - 1; k >= 0; k--) {
    const loop = loops[k]!
    outerProduct[k] = outerProduct[k + 1]! * (!loop.spatial && loop.level > level ? loop.bound : 1)
  }
}

/**
 * Total data moved into a footprint over a sequence of temporal loops, the way Timeloop's nest
 * analysis counts it (nest-analysis.cpp ComputeTemporalWorkingSet, OperationSpace::
 * SaveAndSubtractIfSameStride). Timeloop does not walk every iteration: each temporal loop runs
 * iteration 0 and iteration 1, the latter weighted by the n − 1 iterations it stands for, so when
 * loop J advances, the loops inside it fall back from index 1 (not from n − 1) and the tile moves
 * by T_J = s_J − Σ_{inner k over the same dim} s_k (projected onto the tensor's ranks). A tile
 * only keeps the part it shares with the previous tile while its translation stays the same;
 * on a change of stride the whole tile is fetched again. That makes the counted delta of a
 * transition of loop J:
 * - J the innermost advancing loop: the tile minus its overlap with the tile shifted by T_0;
 * - an outer loop J: the same with T_J when T_J equals T_0, else the whole tile (even when the
 *   tile did not move, T_J = 0).
 * Transitions of loop J happen (n_J − 1) · Π_{outer k} n_k times, as in a full walk.
 * The footprint is the tile of the loops of levels ≤ `level` (`extents` per rank, `size`
 * points); the loops that advance it are the temporal loops of the levels above.
 */
const temporalTransitions = (
  loops: readonly NestLoop[],
  ranks: readonly RankProjection[],
  extents: ArrayLike<number>,
  size: number,
  level: number,
  dims: number,
): TemporalSteps => {
  const n = loops.length
  startWalk(loops, level, dims)
  // Stride of each loop: points of its dim covered by all loops inner to it (any kind).
  const running = scratchDims
  // Σ strides of the iterating loops inner to the current one, per dim (their fall-back).
  const fallBack = scratchDims2
  const outerProduct = scratchLoops
  const transitions: Transition[] = []
  let first: readonly number[] | null = null
  for (let j = 0; j < n; j++) {
    const lj = loops[j]!
    const stride = running[lj.dim]!
    running[lj.dim] = stride * lj.bound
    if (lj.spatial || lj.level <= level || lj.bound === 1) continue
    const shift = new Array<number>(ranks.length)
    writeShift(ranks, lj, stride, fallBack, shift)
    const keeps = first === null || sameShift(first, shift, ranks.length)
    const overlap = keeps ? overlapWithShifted(extents, shift, ranks.length) : 0
    if (first === null) first = shift
    transitions.push({
      count: (lj.bound - 1) * outerProduct[j + 1]!,
      bound: lj.bound,
      shift,
      delta: size - overlap,
      region: overlap === size ? 'empty' : overlap === 0 ? 'box' : 'diff',
    })
    fallBack[lj.dim] = fallBack[lj.dim]! + stride
  }
  return { size, transitions }
}

/**
 * {@link totalFetched} of {@link temporalTransitions}' walk without building it: the same steps in
 * the same order, each shift in scratch space (for tensors whose steps nothing else reads, i.e.
 * without link transfers; most tiles of an evaluation).
 */
const fetchedOverWalk = (
  loops: readonly NestLoop[],
  ranks: readonly RankProjection[],
  extents: ArrayLike<number>,
  size: number,
  level: number,
  dims: number,
): number => {
  const n = loops.length
  const nRanks = ranks.length
  startWalk(loops, level, dims)
  const running = scratchDims
  const fallBack = scratchDims2
  const outerProduct = scratchLoops
  const shift = (scratchShift = sized(scratchShift, nRanks))
  const first = (scratchFirstShift = sized(scratchFirstShift, nRanks))
  let hasFirst = false
  let total = size
  for (let j = 0; j < n; j++) {
    const lj = loops[j]!
    const stride = running[lj.dim]!
    running[lj.dim] = stride * lj.bound
    if (lj.spatial || lj.level <= level || lj.bound === 1) continue
    writeShift(ranks, lj, stride, fallBack, shift)
    const keeps = !hasFirst || sameShift(first, shift, nRanks)
    const overlap = keeps ? overlapWithShifted(extents, shift, nRanks) : 0
    if (!hasFirst) {
      for (let r = 0; r < nRanks; r++) first[r] = shift[r]!
      hasFirst = true
    }
    total += (lj.bound - 1) * outerProduct[j + 1]! * (size - overlap)
    fallBack[lj.dim] = fallBack[lj.dim]! + stride
  }
  return total
}

/** One kind of step of Timeloop's extrapolated walk: an advance of one iterating loop. */
export interface Transition {
  /** How often the loop advances: (n − 1) · Π n of the iterating loops outside it. */
  readonly count: number
  readonly bound: number
  /** Translation of the tile per tensor rank (T_J). */
  readonly shift: readonly number[]
  /** Points fetched per advance. */
  readonly delta: number
  /** Shape of what is fetched: nothing, the whole tile, or the tile minus its shifted self. */
  readonly region: 'empty' | 'box' | 'diff'
}

/** The first fetch of a footprint (`size` points) and its transitions, innermost loop first. */
export interface TemporalSteps {
  readonly size: number
  readonly transitions: readonly Transition[]
}

/** Σ of the points fetched over the whole walk: the first tile plus every transition's delta. */
export const totalFetched = (steps: TemporalSteps): number => {
  let total = steps.size
  for (const t of steps.transitions) total += t.count * t.delta
  return total
}

const sameShift = (a: ArrayLike<number>, b: ArrayLike<number>, nRanks: number): boolean => {
  for (let r = 0; r < nRanks; r++) if (a[r] !== b[r]) return false
  return true
}

/**
 * The tile's translation per rank (T_J) when `loop` advances by `stride` points of its dim, the
 * iterating loops inner to it falling back by `fallBack` per dim; written into `shift[0..ranks)`.
 */
const writeShift = (
  ranks: readonly RankProjection[],
  loop: NestLoop,
  stride: number,
  fallBack: ArrayLike<number>,
  shift: number[] | Float64Array,
): void => {
  for (let r = 0; r < ranks.length; r++) {
    let t = 0
    for (const term of ranks[r]!.terms) t += term.coefficient * ((loop.dim === term.dim ? stride : 0) - fallBack[term.dim]!)
    shift[r] = t
  }
}

/** Points a tile (`extents` per rank) shares with itself translated by `shift`. */
const overlapWithShifted = (extents: ArrayLike<number>, shift: ArrayLike<number>, nRanks: number): number => {
  let overlap = 1
  for (let r = 0; r < nRanks && overlap > 0; r++) overlap *= Math.max(0, extents[r]! - Math.abs(shift[r]!))
  return overlap
}

/** Inputs of the dense analysis of one tensor. */
export interface DenseTensorInput {
  readonly ranks: readonly RankProjection[]
  readonly readWrite: boolean
  /** Dims projected by the tensor. */
  readonly relevant: readonly boolean[]
  /** Keeping levels, innermost first. */
  readonly keptLevels: readonly number[]
}

/** Hardware fan-out of every storage level to the level below it (child mesh / own mesh). */
export interface PhysicalFanouts {
  readonly x: readonly number[]
  readonly y: readonly number[]
}

/**
 * Dense per-level counts of one tensor (per instance), Timeloop semantics: reads of a level are
 * what its children (or the MACs) need, counted once per multicast; read-write tensors turn the
 * children's drains into updates and elide the first read of every element of the partition.
 * With `fanouts`, a read-only tensor's children may also take data from their spatial
 * neighbours ({@link linkTransfers}).
 */
export const analyzeTensor = (
  loops: readonly NestLoop[],
  tensor: DenseTensorInput,
  dims: number,
  fanouts?: PhysicalFanouts,
): DenseTile[] => {
  const n = loops.length
  const out: DenseTile[] = []
  const kept = tensor.keptLevels
  const ranks = tensor.ranks
  let temporalProduct = 1
  for (const loop of loops) if (!loop.spatial) temporalProduct *= loop.bound
  // Children ask for their own refills; the parent serves each distinct child tile once.
  // Timeloop only merges requests of children whose tiles are identical, never partial
  // sliding-window overlaps (see distinctChildren). One count per level, for all kept levels.
  const distinct = distinctChildrenPerLevel(loops, tensor, dims)
  const relevantSpatialAt = (from: number, to: number): number => {
    let p = 1
    for (let l = from; l <= to; l++) p *= l < distinct.length ? distinct[l]! : 1
    return p
  }
  // What the child asks of the level above it, per instance of that level (see below).
  let childDemand = 0
  for (let idx = 0; idx < kept.length; idx++) {
    const level = kept[idx]!
    const child = idx > 0 ? kept[idx - 1]! : -1
    const parent = idx + 1 < kept.length ? kept[idx + 1]! : -1
    // The tile: the loops of this level and below. Partition: everything but the spatial loops
    // above (they select the instance). Instances: the spatial loops above, per axis.
    const dimSpans = new Array<number>(dims)
    const partitionSpans = (scratchDims = sized(scratchDims, dims))
    for (let d = 0; d < dims; d++) {
      dimSpans[d] = 1
      partitionSpans[d] = 1
    }
    let instancesX = 1
    let instancesY = 1
    for (let i = 0; i < n; i++) {
      const l = loops[i]!
      if (l.level <= level) dimSpans[l.dim] = dimSpans[l.dim]! * l.bound
      if (l.spatial && l.level > level) {
        if (l.axisX) instancesX *= l.bound
        else instancesY *= l.bound
      } else partitionSpans[l.dim] = partitionSpans[l.dim]! * l.bound
    }
    const partitionSize = tilePoints(ranks, partitionSpans)
    const extents = (scratchRanks = sized(scratchRanks, ranks.length))
    let tileSize = 1
    for (let r = 0; r < ranks.length; r++) {
      const extent = extentOf(ranks[r]!, dimSpans)
      extents[r] = extent
      tileSize *= extent
    }
    let fills = 0
    let peerReads = 0
    let demand = 0
    if (parent !== -1 && !(fanouts !== undefined && !tensor.readWrite && mayLinkTransfer(loops, level, fanouts))) {
      fills = fetchedOverWalk(loops, ranks, extents, tileSize, level, dims)
      // The level directly above serves the distinct tiles of its children.
      demand = fills * relevantSpatialAt(level + 1, level + 1)
    } else if (parent !== -1) {
      const steps = temporalTransitions(loops, ranks, extents, tileSize, level, dims)
      fills = totalFetched(steps)
      demand = fills * relevantSpatialAt(level + 1, level + 1)
      if (fanouts !== undefined && !tensor.readWrite) {
        const link = linkTransfers({ loops, ranks, level, steps, fills, demand, fanouts, dims })
        if (link !== null) {
          fills = link.fills
          peerReads = link.peerReads
          demand = link.demand
        }
      }
    }
    // The child's demand on the level right above it, times the distinct instances of that
    // level under this one (the spatial loops of the levels in between).
    const served = child === -1 ? temporalProduct * relevantSpatialAt(0, level) : childDemand * relevantSpatialAt(child + 2, level)
    childDemand = demand
    out.push({
      level,
      childLevel: child,
      parentLevel: parent,
      tileSize,
      dimSpans,
      partitionSize,
      reads: tensor.readWrite ? Math.max(0, served - partitionSize) : served + peerReads,
      fills,
      updates: tensor.readWrite ? served : 0,
      instances: instancesX * instancesY,
      instancesX,
      instancesY,
    })
  }
  return out
}

/**
 * Whether {@link linkTransfers} can find any for a tile at `level`: level + 1 is a storage level
 * with spatial loops (its other early exits need the walk's steps).
 */
const mayLinkTransfer = (loops: readonly NestLoop[], level: number, fanouts: PhysicalFanouts): boolean => {
  if (level + 1 >= fanouts.x.length) return false
  for (const loop of loops) if (loop.spatial && loop.level === level + 1) return true
  return false
}

/**
 * {@link distinctChildren} of every level at once (index = level; levels past the end have no
 * spatial loops, so 1): one pass over the loops for the strides and the plain products; only a
 * level where two relevant spatial loops move one rank enumerates its children.
 */
const distinctChildrenPerLevel = (loops: readonly NestLoop[], tensor: DenseTensorInput, dims: number): number[] => {
  let levels = 0
  for (const loop of loops) if (loop.level + 1 > levels) levels = loop.level + 1
  const ranks = tensor.ranks
  const nRanks = ranks.length
  const plain = new Array<number>(levels)
  const shared = new Array<boolean>(levels)
  for (let l = 0; l < levels; l++) {
    plain[l] = 1
    shared[l] = false
  }
  if (scratchUsed.length < levels * nRanks) scratchUsed = new Uint8Array(2 * levels * nRanks)
  const ranksUsed = scratchUsed
  for (let i = 0; i < levels * nRanks; i++) ranksUsed[i] = 0
  const running = (scratchDims2 = sized(scratchDims2, dims))
  for (let d = 0; d < dims; d++) running[d] = 1
  for (const loop of loops) {
    const stride = running[loop.dim]!
    running[loop.dim] = stride * loop.bound
    if (!loop.spatial || !tensor.relevant[loop.dim]) continue
    const level = loop.level
    plain[level] = plain[level]! * loop.bound
    for (let r = 0; r < nRanks; r++) {
      let o = 0
      for (const term of ranks[r]!.terms) if (term.dim === loop.dim) o += term.coefficient * stride
      if (o === 0) continue
      if (ranksUsed[level * nRanks + r] === 1) shared[level] = true
      ranksUsed[level * nRanks + r] = 1
    }
  }
  for (let l = 0; l < levels; l++) if (shared[l]) plain[l] = distinctSharedChildren(loops, tensor, l, dims)
  return plain
}

// Distinct-children counts repeat across the mappings of a search (same spatial loops).
const distinctCache = new Map<string, number>()
const DISTINCT_CACHE_LIMIT = 20_000

/**
 * Distinct tiles of `tensor` among the children of `level`'s spatial fan-out: Timeloop
 * multicasts one delta to every child whose delta is the same point set
 * (ComputeAccurateMulticastedAccesses), so children differing only in dims the tensor does not
 * project share a tile, and so do children whose offsets meet on a sliding-window rank (spatial
 * S and Q both on H: the tiles at s + q coincide, 15 distinct tiles for S=3 × Q=13).
 */
export const distinctChildren = (loops: readonly NestLoop[], tensor: DenseTensorInput, level: number, dims: number): number => {
  // First pass, allocating only the strides: the plain product of the level's relevant spatial
  // loops and whether two of them move one rank (most calls end here).
  const running = new Array<number>(dims).fill(1)
  const ranks = tensor.ranks
  const ranksUsed = new Uint8Array(ranks.length)
  let plain = 1
  let shared = false
  for (const loop of loops) {
    const stride = running[loop.dim]!
    running[loop.dim] = stride * loop.bound
    if (!loop.spatial || loop.level !== level || !tensor.relevant[loop.dim]) continue
    plain *= loop.bound
    for (let r = 0; r < ranks.length; r++) {
      let o = 0
      for (const term of ranks[r]!.terms) if (term.dim === loop.dim) o += term.coefficient * stride
      if (o === 0) continue
      if (ranksUsed[r] === 1) shared = true
      ranksUsed[r] = 1
    }
  }
  return shared ? distinctSharedChildren(loops, tensor, level, dims) : plain
}

/** {@link distinctChildren} when two spatial loops of the level move one rank: enumerates the children's offsets (cached). */
const distinctSharedChildren = (loops: readonly NestLoop[], tensor: DenseTensorInput, level: number, dims: number): number => {
  // Offsets per rank of every relevant spatial loop of the level, innermost first.
  const spatial: { bound: number; offset: number[] }[] = []
  const running = new Array<number>(dims).fill(1)
  let plain = 1
  let shared = false
  const ranksUsed = new Set<number>()
  for (const loop of loops) {
    const stride = running[loop.dim]!
    running[loop.dim] = stride * loop.bound
    if (!loop.spatial || loop.level !== level || !tensor.relevant[loop.dim]) continue
    plain *= loop.bound
    const offset = tensor.ranks.map((rank) => {
      let o = 0
      for (const term of rank.terms) if (term.dim === loop.dim) o += term.coefficient * stride
      return o
    })
    offset.forEach((o, r) => {
      if (o === 0) return
      if (ranksUsed.has(r)) shared = true
      ranksUsed.add(r)
    })
    spatial.push({ bound: loop.bound, offset })
  }
  // Only loops meeting on one rank can produce equal tiles.
  if (!shared) return plain
  const key = spatial.map((s) => `${s.bound}:${s.offset.join(',')}`).join('|')
  const known = distinctCache.get(key)
  if (known !== undefined) return known
  const seen = new Set<string>()
  const digits = new Array<number>(spatial.length).fill(0)
  for (let id = 0; id < plain; id++) {
    const o = new Array<number>(tensor.ranks.length).fill(0)
    for (let l = 0; l < spatial.length; l++) {
      const off = spatial[l]!.offset
      for (let r = 0; r < o.length; r++) o[r] = o[r]! + digits[l]! * off[r]!
    }
    seen.add(o.join(','))
    for (let l = 0; l < spatial.length; l++) {
      digits[l] = digits[l]! + 1
      if (digits[l]! < spatial[l]!.bound) break
      digits[l] = 0
    }
  }
  if (distinctCache.size >= DISTINCT_CACHE_LIMIT) distinctCache.clear()
  distinctCache.set(key, seen.size)
  return seen.size
}

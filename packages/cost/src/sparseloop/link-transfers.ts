// Timeloop's inter-PE link transfers (nest-analysis.cpp ComputeNetworkLinkTransfers,
// ComputeSpatialWorkingSet; tiling.cpp ComputePeerAccesses): at a level's spatial fan-out, a child
// whose next delta equals what a mesh neighbour fetched one step earlier takes it from that
// neighbour instead of the parent. Closed form over the step kinds of Timeloop's extrapolated
// walk (nest.ts temporalTransitions) and the children's positions in the mesh.
import { createTupleCache } from '@snipsnap/core'
import type { NestLoop, PhysicalFanouts, RankProjection, TemporalSteps } from './nest'

/** Inputs of {@link linkTransfers} for one read-only tensor kept at `level`. */
export interface LinkTransferInput {
  readonly loops: readonly NestLoop[]
  readonly ranks: readonly RankProjection[]
  /** The keeping level whose instances are the children of level + 1's fan-out. */
  readonly level: number
  /** Its fetch steps (Timeloop's walk over the temporal loops above it). */
  readonly steps: TemporalSteps
  /** Its fills per instance without link transfers. */
  readonly fills: number
  /** What level + 1 serves per instance without link transfers (fills × distinct children). */
  readonly demand: number
  readonly fanouts: PhysicalFanouts
  readonly dims: number
}

/** Per-instance counts with link transfers (all three replace the link-free values). */
export interface LinkTransferResult {
  readonly fills: number
  /** Reads of the level made on behalf of its neighbours. */
  readonly peerReads: number
  readonly demand: number
}

interface Serving {
  /** Children that take the step's data from a neighbour. */
  readonly served: number
  /** Distinct deltas (multicast groups) among all children and among the others. */
  readonly groupsAll: number
  readonly groupsRest: number
}

// Per-dim strides of linkTransfers, reused (it runs synchronously and never re-enters itself).
let scratchRunning = new Float64Array(8)

// Spatial structures repeat across the mappings of a search: memoise per structure and shift.
const SERVING_CACHE_LIMIT = 20_000
const servingCache = createTupleCache<Serving>({ limit: SERVING_CACHE_LIMIT })
/** servingCache's key, reused: (width, height, shift, then per spatial loop: bound, axis, offset), lengths first. */
const servingKey: number[] = []

/**
 * Link transfers of a read-only tensor between the instances of `level` under the spatial loops
 * of `level + 1`, or null when none happen. Timeloop's rules, in its terms:
 * - the children's deltas are element 0's delta translated by each child's spatial offset
 *   (first-element spatial extrapolation); child e takes a step's delta from a mesh neighbour e'
 *   (row-major ids on a grid max(physical, logical fan-out) wide per axis, no wrap-around) when
 *   e' fetched the same points the step before, i.e. when both steps fetch the same shape
 *   (whole tile, or tile minus the same shift) and offset(e') − offset(e) is the step's shift;
 * - a step uses link transfers only when they lower the parent's accesses (fewer distinct
 *   deltas left to multicast);
 * - each served child's delta counts once as a link transfer at level + 1; the child level gets
 *   transfers / (all its instances) extra reads and fills per instance (ComputePeerAccesses
 *   divides by the child's whole replication factor, not by the fan-out that made them), its
 *   parent-side fills shrink by the served share, and level + 1 serves only the groups left.
 * Link transfers are kept only when `level` is the storage level right below level + 1 (Timeloop
 * zeroes them when that child is bypassed); the innermost storage level's fan-out to the MACs
 * has no storage child, so it never has any.
 */
export const linkTransfers = (input: LinkTransferInput): LinkTransferResult | null => {
  const { loops, ranks, level, steps, fanouts } = input
  const transitions = steps.transitions
  const first = transitions[0]
  if (first === undefined || first.region === 'empty') return null
  const above = level + 1
  if (above >= fanouts.x.length) return null
  // The fan-out of level + 1: its spatial loops (innermost first), each child's offset per step.
  // Only spatial loops of level + 1 matter: most calls have none and end here, before any array.
  let fansOut = false
  for (const loop of loops) if (loop.spatial && loop.level === above) fansOut = true
  if (!fansOut) return null
  const spatial: { bound: number; axisX: boolean; offset: number[] }[] = []
  const running = (scratchRunning = scratchRunning.length >= input.dims ? scratchRunning : new Float64Array(input.dims))
  for (let d = 0; d < input.dims; d++) running[d] = 1
  let instancesAbove = 1
  for (const loop of loops) {
    const stride = running[loop.dim]!
    running[loop.dim] = stride * loop.bound
    if (!loop.spatial) continue
    if (loop.level > above) instancesAbove *= loop.bound
    if (loop.level !== above) continue
    spatial.push({
      bound: loop.bound,
      axisX: loop.axisX,
      offset: ranks.map((rank) => {
        let o = 0
        for (const term of rank.terms) if (term.dim === loop.dim) o += term.coefficient * stride
        return o
      }),
    })
  }
  if (spatial.length === 0) return null
  // Steps whose delta has the shape of the previous step's delta (see temporalTransitions):
  // advances of the innermost loop after the first fetch or after an outer advance of the same
  // shape, and outer advances of the innermost advance's shape.
  const candidates: { weight: number; delta: number; shift: readonly number[] }[] = []
  let innerWeight = first.region === 'box' ? first.bound - 1 : 0
  for (let j = 1; j < transitions.length; j++) {
    const t = transitions[j]!
    if (t.region !== first.region) continue
    innerWeight += (first.bound - 1) * t.count
    candidates.push({ weight: t.count, delta: t.delta, shift: t.shift })
  }
  if (innerWeight > 0) candidates.push({ weight: innerWeight, delta: first.delta, shift: first.shift })
  if (candidates.length === 0) return null
  let logicalX = 1
  let logicalY = 1
  for (const s of spatial) {
    if (s.axisX) logicalX *= s.bound
    else logicalY *= s.bound
  }
  const fanout = logicalX * logicalY
  const width = Math.max(fanouts.x[above] ?? 1, logicalX)
  const height = Math.max(fanouts.y[above] ?? 1, logicalY)
  const childInstances = fanout * instancesAbove
  const distinctAtAbove = input.fills > 0 ? input.demand / input.fills : 1
  let fills = input.fills
  let peerReads = 0
  let demand = input.demand
  let any = false
  for (const c of candidates) {
    const serving = servingOf(spatial, width, height, c.shift)
    if (serving.served === 0 || serving.groupsRest >= serving.groupsAll) continue
    any = true
    const moved = c.weight * c.delta * serving.served
    fills -= moved / fanout - moved / childInstances
    peerReads += moved / childInstances
    demand -= c.weight * c.delta * (distinctAtAbove - serving.groupsRest)
  }
  return any ? { fills, peerReads, demand } : null
}

/** Which children of a fan-out take a delta shifted by `shift` from a neighbour (cached). */
const servingOf = (
  spatial: readonly { bound: number; axisX: boolean; offset: readonly number[] }[],
  width: number,
  height: number,
  shift: readonly number[],
): Serving => {
  const key = servingKey
  let n = 0
  key[n++] = width
  key[n++] = height
  key[n++] = shift.length
  for (let r = 0; r < shift.length; r++) key[n++] = shift[r]!
  key[n++] = spatial.length
  for (const s of spatial) {
    key[n++] = s.bound
    key[n++] = s.axisX ? 1 : 0
    key[n++] = s.offset.length
    for (let r = 0; r < s.offset.length; r++) key[n++] = s.offset[r]!
  }
  const known = servingCache.get(key, n)
  if (known !== undefined) return known
  const value = computeServing(spatial, width, height, shift)
  servingCache.set(key, value, n)
  return value
}

const computeServing = (
  spatial: readonly { bound: number; offset: readonly number[] }[],
  width: number,
  height: number,
  shift: readonly number[],
): Serving => {
  const ranks = shift.length
  let count = 1
  for (const s of spatial) count *= s.bound
  // Offsets of every child, by row-major id (innermost spatial loop fastest), in one flat array:
  // child `id`'s offset along rank r is at id * ranks + r.
  const offsets = offsetsArray(spatial, ranks, count)
  const digits = new Array<number>(spatial.length).fill(0)
  for (let id = 0; id < count; id++) {
    const base = id * ranks
    for (let l = 0; l < spatial.length; l++) {
      const d = digits[l]!
      if (d === 0) continue
      const off = spatial[l]!.offset
      for (let r = 0; r < ranks; r++) offsets[base + r] = offsets[base + r]! + d * off[r]!
    }
    for (let l = 0; l < spatial.length; l++) {
      digits[l] = digits[l]! + 1
      if (digits[l]! < spatial[l]!.bound) break
      digits[l] = 0
    }
  }
  const isShiftOf = (from: number, to: number): boolean => {
    const a = from * ranks
    const b = to * ranks
    for (let r = 0; r < ranks; r++) if (offsets[b + r]! - offsets[a + r]! !== shift[r]) return false
    return true
  }
  const keyOf = distinctKeys(offsets, count, ranks)
  const all = new Set<number | string>()
  const rest = new Set<number | string>()
  let served = 0
  for (let id = 0; id < count; id++) {
    const column = id % width
    // Served when the delta of a vertical or horizontal neighbour is this child's shifted.
    const fromNeighbour =
      (height > 1 && ((id + width < count && isShiftOf(id, id + width)) || (id - width >= 0 && isShiftOf(id, id - width)))) ||
      (width > 1 && ((column + 1 < width && id + 1 < count && isShiftOf(id, id + 1)) || (column > 0 && isShiftOf(id, id - 1))))
    const k = keyOf(id)
    all.add(k)
    if (fromNeighbour) served++
    else rest.add(k)
  }
  return { served, groupsAll: all.size, groupsRest: rest.size }
}

/**
 * Storage for the children's offsets: an Int32Array when every offset is an integer that fits
 * 32 bits (each is a sum of (bound − 1) × offset of the spatial loops at most), else a
 * Float64Array. A single `snipsnap evaluate` runs without V8's optimising compiler
 * (apps/cli/src/bin.ts), whose interpreter boxes every number read from a Float64Array into a
 * new heap object and reads Int32Array elements as small integers without one: the boxes of
 * this function and its keys were ~1 MB of that process's allocation (issue 12), which grows
 * V8's young generation and the process's peak memory.
 */
const offsetsArray = (spatial: readonly { bound: number; offset: readonly number[] }[], ranks: number, count: number): Int32Array | Float64Array => {
  const length = count * ranks
  for (let r = 0; r < ranks; r++) {
    let reach = 0
    for (const s of spatial) {
      const o = s.offset[r]!
      if (!Number.isInteger(o)) return new Float64Array(length)
      reach += (s.bound - 1) * Math.abs(o)
    }
    if (reach > 0x7fffffff) return new Float64Array(length)
  }
  return new Int32Array(length)
}

/**
 * A key per child that is equal exactly when two children's offsets are: with finite integer
 * offsets whose ranges span fewer than 2^53 combinations, the offset vector's mixed-radix number
 * (no string per child); otherwise the offsets joined as text.
 */
const distinctKeys = (offsets: Int32Array | Float64Array, count: number, ranks: number): ((id: number) => number | string) => {
  // Per rank, the least offset and the number of values from it to the greatest, in plain arrays
  // (small integers, not boxed: see offsetsArray).
  const min: number[] = []
  const radix: number[] = []
  let integral = true
  for (let r = 0; r < ranks && integral; r++) {
    let low = Number.POSITIVE_INFINITY
    let high = Number.NEGATIVE_INFINITY
    for (let id = 0; id < count; id++) {
      const v = offsets[id * ranks + r]!
      if (!Number.isSafeInteger(v)) {
        integral = false
        break
      }
      if (v < low) low = v
      if (v > high) high = v
    }
    min.push(low)
    radix.push(high - low + 1)
  }
  let combinations = 1
  if (integral && count > 0) for (let r = 0; r < ranks; r++) combinations *= radix[r]!
  if (!integral || combinations > Number.MAX_SAFE_INTEGER) {
    return (id) => Array.from(offsets.subarray(id * ranks, id * ranks + ranks)).join(',')
  }
  return (id) => {
    let key = 0
    for (let r = 0; r < ranks; r++) key = key * radix[r]! + (offsets[id * ranks + r]! - min[r]!)
    return key
  }
}

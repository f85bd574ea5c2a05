// Dense nest analysis (Timeloop's loop-analysis, closed form): from a mapping, the loop nest,
// and for every tensor and every level keeping it the tile, the partition, and per-instance
// fills, reads and updates including spatial multicast and reduction. Tiles are boxes in tensor
// coordinates, so the refill volume of each loop transition is a closed form and the whole
// analysis is O(loops² × ranks) per tensor instead of Timeloop's walk over loop iterations.

/** One loop of the flattened nest. */
export interface NestLoop {
  readonly dim: number
  readonly bound: number
  readonly spatial: boolean
  /** Storage level (0 = innermost storage level) this loop belongs to. */
  readonly level: number
  /** For spatial loops: true on the X axis. */
  readonly axisX: boolean
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

/** Points covered per dim by the loops whose mask entry equals `!invert`. */
const spansOf = (loops: readonly NestLoop[], mask: readonly boolean[], invert: boolean, dims: number): number[] => {
  const spans = new Array<number>(dims).fill(1)
  for (let i = 0; i < loops.length; i++) {
    if (mask[i] !== invert) {
      const loop = loops[i]!
      spans[loop.dim] = spans[loop.dim]! * loop.bound
    }
  }
  return spans
}

/** Extent per rank of a footprint whose dims cover `spans` points. */
export const extentsOf = (ranks: readonly RankProjection[], spans: readonly number[]): number[] =>
  ranks.map((rank) => {
    if (rank.terms.length === 1) return spans[rank.terms[0]!.dim] ?? 1
    let extent = 1
    for (const term of rank.terms) extent += term.coefficient * ((spans[term.dim] ?? 1) - 1)
    return extent
  })

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1)

/**
 * Total data moved into a footprint over a sequence of temporal loops: the first tile plus,
 * for each loop transition, the part of the new tile not in the previous one.
 * `inside[i]` marks loops covered by the footprint; `iterating[i]` the loops that advance it.
 */
const deltaSum = (
  loops: readonly NestLoop[],
  ranks: readonly RankProjection[],
  inside: readonly boolean[],
  iterating: readonly boolean[],
  dims: number,
): number => {
  const spans = spansOf(loops, inside, false, dims)
  const extents = extentsOf(ranks, spans)
  const size = product(extents)
  let total = size
  const n = loops.length
  // stride: points of a loop's dim covered by all loops inner to it (any kind);
  // reset[d]: how far dim d's index falls back when the iterating loops inner to j wrap.
  const running = new Array<number>(dims).fill(1)
  const reset = new Array<number>(dims).fill(0)
  // Iterations of the iterating loops outside each position.
  const outerProduct = new Array<number>(n + 1)
  outerProduct[n] = 1
  for (let k = n - 1; k >= 0; k--) outerProduct[k] = outerProduct[k + 1]! * (iterating[k] === true ? loops[k]!.bound : 1)
  let innerAdvancing = false
  for (let j = 0; j < n; j++) {
    const lj = loops[j]!
    const stride = running[lj.dim]!
    running[lj.dim] = stride * lj.bound
    if (iterating[j] !== true || lj.bound === 1) continue
    const count = (lj.bound - 1) * outerProduct[j + 1]!
    // Timeloop only finds sliding-window reuse between consecutive iterations of the innermost
    // advancing loop; with any non-trivial loop inside, a changed tile is refetched whole.
    const innermostAdvancing = !innerAdvancing
    let overlap = 1
    for (let r = 0; r < ranks.length; r++) {
      const rank = ranks[r]!
      let shift = 0
      for (const term of rank.terms) {
        shift += term.coefficient * ((lj.dim === term.dim ? stride : 0) - reset[term.dim]!)
      }
      const ext = extents[r]!
      const o =
        shift === 0 ? ext : rank.terms.length === 1 || !innermostAdvancing ? 0 : Math.max(0, ext - Math.abs(shift))
      overlap *= o
      if (overlap === 0) break
    }
    total += count * (size - overlap)
    reset[lj.dim] = reset[lj.dim]! + stride * (lj.bound - 1)
    innerAdvancing = true
  }
  return total
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

/**
 * Dense per-level counts of one tensor (per instance), Timeloop semantics: reads of a level are
 * what its children (or the MACs) need, counted once per multicast; read-write tensors turn the
 * children's drains into updates and elide the first read of every element of the partition.
 */
export const analyzeTensor = (
  loops: readonly NestLoop[],
  tensor: DenseTensorInput,
  dims: number,
): DenseTile[] => {
  const n = loops.length
  const out: DenseTile[] = []
  const kept = tensor.keptLevels
  let temporalProduct = 1
  for (const loop of loops) if (!loop.spatial) temporalProduct *= loop.bound
  const inside = new Array<boolean>(n)
  const iterating = new Array<boolean>(n)
  let previousFills = 0
  for (let idx = 0; idx < kept.length; idx++) {
    const level = kept[idx]!
    const child = idx > 0 ? kept[idx - 1]! : -1
    const parent = idx + 1 < kept.length ? kept[idx + 1]! : -1
    for (let i = 0; i < n; i++) inside[i] = loops[i]!.level <= level
    const dimSpans = spansOf(loops, inside, false, dims)
    const tileSize = product(extentsOf(tensor.ranks, dimSpans))
    // Partition: everything but the spatial loops above (they select the instance).
    for (let i = 0; i < n; i++) iterating[i] = !(loops[i]!.spatial && loops[i]!.level > level)
    const partitionSize = product(extentsOf(tensor.ranks, spansOf(loops, iterating, false, dims)))
    let fills = 0
    if (parent !== -1) {
      for (let i = 0; i < n; i++) iterating[i] = !loops[i]!.spatial && loops[i]!.level > level
      fills = deltaSum(loops, tensor.ranks, inside, iterating, dims)
    }
    // Children ask for their own refills; the parent serves each distinct child tile once.
    // Timeloop only merges requests of children whose tiles are identical (spatial loops over
    // dims the tensor does not project), never partial sliding-window overlaps.
    let relevantSpatial = 1
    for (const loop of loops) {
      if (loop.spatial && loop.level > child && loop.level <= level && tensor.relevant[loop.dim]) {
        relevantSpatial *= loop.bound
      }
    }
    // The child's demand is exactly its own fills (same footprint, same advancing loops).
    const childDemand = child === -1 ? temporalProduct : previousFills
    const served = childDemand * relevantSpatial
    previousFills = fills
    let instancesX = 1
    let instancesY = 1
    for (let i = 0; i < n; i++) {
      const l = loops[i]!
      if (l.spatial && l.level > level) {
        if (l.axisX) instancesX *= l.bound
        else instancesY *= l.bound
      }
    }
    out.push({
      level,
      childLevel: child,
      parentLevel: parent,
      tileSize,
      dimSpans,
      partitionSize,
      reads: tensor.readWrite ? Math.max(0, served - partitionSize) : served,
      fills,
      updates: tensor.readWrite ? served : 0,
      instances: instancesX * instancesY,
      instancesX,
      instancesY,
    })
  }
  return out
}

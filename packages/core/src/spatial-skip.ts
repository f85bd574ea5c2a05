// The one spatial-skipping rule (Sparseloop's sparse-analysis/storage-gs-analyzer.cpp and
// model/buffer.cpp, Timeloop ee66b62; shared/docs/sparseloop-model.md §6). With a
// `skipping-spatial` optimisation a level needs spatial instances only for the non-empty fibers it
// sends down, so every data space gets its own expansion per architecture level:
//
// 1. InitializeSpatialInstances: a data space whose holding level has metadata shrinks its own
//    expansion by each relevant spatial loop's largest non-empty fiber, and its average ratio by
//    the innermost such loop's non-empty probability; both propagate inward.
// 2. CalculateSpatialOptimizationImpact: a skipping target's expansion below the level shrinks by
//    its condition tensor's non-empty fibers (the target tile stays put across outer temporal loops
//    that do not index it); its average ratio is the product over condition tensors.
// 3. SummarizeAndPropagateSpatialCapacityReduction: propagate every shrink inward, then check each
//    data space's expansion over its parent's against the hardware fan-out (outermost level first).
// 4. What the levels then check (ArithmeticUnits::Evaluate, BufferLevel::ComputeScalarAccesses):
//    the arithmetic level its largest per-data-space X and Y expansion; each storage level the
//    largest per-data-space average replication (dense instances × average ratio) against its
//    instances, then the largest per-data-space X and Y expansion against its mesh — over every
//    data space, kept or bypassed.
//
// The cost model and the mapspace's cheap check both call this, so they accept the same mappings.
import { createTupleCache } from './tuple-cache'
import type { DensityModelInstance } from './density'

/** One non-trivial loop (bound > 1) of a mapping, as the rule sees it. */
export interface SpatialSkipLoop {
  /** Problem dimension index. */
  readonly dim: number
  readonly bound: number
  readonly kind: 'x' | 'y' | 'temporal'
}

/** What the rule needs of a design, resolved once. */
export interface SpatialSkipDesign {
  /** Number of problem dimensions. */
  readonly dims: number
  /** Per data space (problem order), whether each dimension projects onto it. */
  readonly relevant: readonly (readonly boolean[])[]
  /** Per storage level (innermost first), per data space: the level's format has ranks (metadata). */
  readonly hasMetadata: readonly (readonly boolean[])[]
  /** Per storage level (innermost first): hardware fan-out per axis, child mesh / own mesh. */
  readonly fanoutX: readonly number[]
  readonly fanoutY: readonly number[]
  /** The `skipping-spatial` optimisations, innermost storage level first (Sparseloop's map order). */
  readonly skips: readonly { readonly level: number; readonly target: number; readonly conditionOn: readonly number[] }[]
  /** A data space's density model, or undefined when it is dense. */
  readonly density: (dataSpace: number) => DensityModelInstance | undefined
  /** A data space's tile extent per tensor rank for loop extents per dimension. */
  readonly tileShape: (dataSpace: number, extents: readonly number[]) => readonly number[]
}

/** One mapping: loops per storage level (innermost level first, each innermost loop first) and keep masks. */
export interface SpatialSkipMapping {
  readonly loops: readonly (readonly SpatialSkipLoop[])[]
  /** Per storage level (innermost first), per data space. */
  readonly kept: readonly (readonly boolean[])[]
}

/** A failed per-data-space fan-out check of step 3. */
export interface SpatialSkipFanoutFailure {
  /** Architecture level whose instances overflow: 0 = arithmetic, a ≥ 1 = storage level a − 1 (innermost first). */
  readonly level: number
  readonly axis: 'X' | 'Y'
  readonly dataSpace: number
  readonly required: number
  readonly limit: number
}

export interface SpatialSkipResult {
  /**
   * Failures of step 3 in Sparseloop's order (per data space, outermost level first, X then Y);
   * empty when the fan-out holds. timeloop-model names the innermost failing level with the first
   * failure's text.
   */
  readonly fanoutFailures: readonly SpatialSkipFanoutFailure[]
  /** The arithmetic level's X and Y expansion: the largest over data spaces. */
  readonly computeX: number
  readonly computeY: number
  /** Per storage level (innermost first): the largest per-data-space X and Y expansion. */
  readonly storageX: readonly number[]
  readonly storageY: readonly number[]
  /** Per storage level (innermost first): the largest per-data-space average replication (may be fractional). */
  readonly storageInstances: readonly number[]
}

/** Sparseloop keeps expansions as uint64 (SpatialExpansion): `X *= ratio` truncates. */
const u64 = (x: number): number => Math.floor(x + 1e-9)

const product = (xs: readonly number[]): number => {
  let p = 1
  for (const x of xs) p *= x
  return p
}

/**
 * `timeloop-model`'s text for a double (`std::ostream <<`, precision 6): `1024`, `12.5`, `1.23457e+06`.
 * @example formatCppDouble(1536.25) // '1536.25'
 */
export const formatCppDouble = (x: number): string => {
  if (!Number.isFinite(x)) return String(x)
  if (x === 0) return '0'
  // %g: the exponent after rounding to 6 significant digits picks fixed or scientific notation.
  const [mantissa, exp] = x.toExponential(5).split('e') as [string, string]
  const e = Number(exp)
  if (e < -4 || e >= 6) {
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  }
  const fixed = x.toFixed(Math.max(0, 5 - e))
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

/**
 * Creates the rule for one design. The returned function is pure; it memoises density answers
 * (bounded), because a search asks the same fibers again and again.
 * @example createSpatialSkipAnalysis(design)({ loops, kept }).storageX[0]
 */
export const createSpatialSkipAnalysis = (design: SpatialSkipDesign): ((mapping: SpatialSkipMapping) => SpatialSkipResult) => {
  const MEMO_LIMIT = 100_000
  const nTensors = design.relevant.length
  /** Per (data space, element mold, dim, bound): the fiber's non-empty elements and P(element empty). */
  const memo = createTupleCache<{ readonly maxElements: number; readonly probEmpty: number }>({ limit: MEMO_LIMIT })
  /** The key of {@link fiberOf}'s memo, reused: (pv, dim, bound, …mold). */
  const memoKey: number[] = []

  /**
   * One spatial loop's fiber of data space `pv`: its `bound` elements each span the mold
   * `molds[at..at + dims)`. Gives the fiber's largest number of non-empty elements
   * (GetMaxNumElementByConfidence: the fiber's largest occupancy spread over its elements) and the
   * probability that one element is empty (GetTileOccupancyProbability(element, 0)).
   */
  const fiberOf = (pv: number, molds: ArrayLike<number>, at: number, dim: number, bound: number): { readonly maxElements: number; readonly probEmpty: number } => {
    const dims = design.dims
    memoKey[0] = pv
    memoKey[1] = dim
    memoKey[2] = bound
    for (let i = 0; i < dims; i++) memoKey[3 + i] = molds[at + i]!
    const keyLength = 3 + dims
    const known = memo.get(memoKey, keyLength)
    if (known !== undefined) return known
    const density = design.density(pv)
    let value: { maxElements: number; probEmpty: number }
    if (density === undefined) value = { maxElements: bound, probEmpty: 0 }
    else {
      const mold: number[] = []
      for (let i = 0; i < dims; i++) mold.push(molds[at + i]!)
      const element = design.tileShape(pv, mold)
      const fiberSpans = [...mold]
      fiberSpans[dim] = (fiberSpans[dim] ?? 1) * bound
      const fiber = design.tileShape(pv, fiberSpans)
      const occupancy = density.maxOccupancy?.({ shape: fiber }) ?? Math.ceil(density.expectedOccupancy({ shape: fiber }))
      const pEmptyInFiber = density.probabilityEmpty({ shape: element, constraint: { shape: fiber, occupancy } })
      value = {
        maxElements: Math.ceil((product(fiber) / product(element)) * (1 - pEmptyInFiber) - 1e-9),
        probEmpty: density.probabilityEmpty({ shape: element }),
      }
    }
    memo.set(memoKey, value, keyLength)
    return value
  }

  // Scratch space of one call, reused (the rule is synchronous and never re-enters itself): the
  // molds of the spatial loops, flat, and per data space its expansions and ratios, flat by
  // (data space, architecture level). Fresh arrays per call were most of its time (issue 12).
  let molds = new Float64Array(16 * Math.max(1, design.dims))
  const condMold = new Float64Array(Math.max(1, design.dims))
  let flat = new Float64Array(0)
  let skipMask = new Uint8Array(0)
  let levelsSized = -1
  let expX = flat
  let expY = flat
  let avg = flat
  let nestX = flat
  let nestY = flat
  let reduced = skipMask
  let denseX = flat
  let denseY = flat
  const sizeFor = (S: number): void => {
    if (S === levelsSized) return
    levelsSized = S
    const per = nTensors * (S + 1)
    expX = new Float64Array(per)
    expY = new Float64Array(per)
    avg = new Float64Array(per)
    nestX = new Float64Array(per)
    nestY = new Float64Array(per)
    reduced = new Uint8Array(S + 1)
    skipMask = new Uint8Array((S + 1) * nTensors)
    denseX = new Float64Array(S + 1)
    denseY = new Float64Array(S + 1)
  }

  return (mapping) => {
    const perLevel = mapping.loops
    const S = perLevel.length
    const dims = design.dims
    const W = S + 1
    sizeFor(S)
    const keptAt = (pv: number, s: number): boolean => mapping.kept[s]?.[pv] === true
    const hasMetadata = (pv: number, s: number): boolean => design.hasMetadata[s]?.[pv] === true
    /** The first level from `from` up (at most `cap`) that keeps `pv`. */
    const holder = (pv: number, from: number, cap: number): number => {
      let s = from
      while (s < cap && !keptAt(pv, s)) s++
      return s
    }
    // Extents of every loop strictly inside each spatial loop (the mold of its fiber's element),
    // the k-th spatial loop's (in nest order) at molds[k * dims]; moldStart[s] = k of level s's first.
    let spatialCount = 0
    for (let s = 0; s < S; s++) for (const l of perLevel[s]!) if (l.kind !== 'temporal') spatialCount++
    if (molds.length < spatialCount * dims) molds = new Float64Array(2 * spatialCount * dims)
    const moldStart: number[] = []
    const running = condMold
    for (let d = 0; d < dims; d++) running[d] = 1
    let k = 0
    for (let s = 0; s < S; s++) {
      moldStart.push(k)
      for (const l of perLevel[s]!) {
        if (l.kind !== 'temporal') {
          for (let d = 0; d < dims; d++) molds[k * dims + d] = running[d]!
          k++
        }
        running[l.dim] = running[l.dim]! * l.bound
      }
    }
    // Dense expansions per architecture level a (0 = arithmetic, a ≥ 1 = storage a − 1): the
    // spatial loops of storage levels ≥ a (InitializeMaxRequiredSpatialExpansion).
    denseX[S] = 1
    denseY[S] = 1
    for (let a = S - 1; a >= 0; a--) {
      let x = denseX[a + 1]!
      let y = denseY[a + 1]!
      for (const l of perLevel[a]!) {
        if (l.kind === 'x') x *= l.bound
        else if (l.kind === 'y') y *= l.bound
      }
      denseX[a] = x
      denseY[a] = y
    }

    // 1. InitializeSpatialInstances. Per data space pv, level a is at pv * W + a; the storage
    // levels' recorded expansions (compound_data_movement_nest max_x/y_expansion) nestX/nestY
    // are indexed by storage level s = a − 1.
    for (let pv = 0; pv < nTensors; pv++) {
      const rel = design.relevant[pv]!
      const o = pv * W
      for (let a = 0; a <= S; a++) {
        expX[o + a] = denseX[a]!
        expY[o + a] = denseY[a]!
        avg[o + a] = 1
        reduced[a] = 0
      }
      for (let s = 0; s < S; s++) {
        nestX[o + s] = denseX[s + 1]!
        nestY[o + s] = denseY[s + 1]!
      }
      for (let s = 0; s < S; s++) {
        if (!hasMetadata(pv, holder(pv, s, S - 1))) continue
        let effective = 1
        let innermost = true
        let m = moldStart[s]!
        for (const l of perLevel[s]!) {
          if (l.kind === 'temporal') continue
          const at = m++ * dims
          if (!rel[l.dim]) continue
          const fiber = fiberOf(pv, molds, at, l.dim, l.bound)
          if (innermost) {
            effective = 1 - fiber.probEmpty
            innermost = false
          }
          const r = fiber.maxElements / l.bound
          if (l.kind === 'x') expX[o + s] = u64(expX[o + s]! * r)
          else expY[o + s] = u64(expY[o + s]! * r)
        }
        avg[o + s] = effective
        if (effective !== 1) reduced[s] = 1
      }
      for (let a = S; a >= 1; a--) {
        const xr = expX[o + a]! / nestX[o + a - 1]!
        const yr = expY[o + a]! / nestY[o + a - 1]!
        if (xr === 1 && yr === 1) continue
        nestX[o + a - 1] = expX[o + a]!
        nestY[o + a - 1] = expY[o + a]!
        let crossed = false
        for (let inner = a - 1; inner >= 0; inner--) {
          expX[o + inner] = u64(expX[o + inner]! * xr)
          expY[o + inner] = u64(expY[o + inner]! * yr)
          if (reduced[inner] === 1) crossed = true
          if (!crossed) avg[o + inner] = avg[o + inner]! * avg[o + a]!
        }
      }
    }

    // 2. CalculateSpatialOptimizationImpact, per optimisation.
    for (let i = 0; i < skipMask.length; i++) skipMask[i] = 0
    for (const skip of design.skips) {
      const sL = skip.level
      const target = skip.target
      if (target < 0 || target >= nTensors || sL >= S) continue
      const o = target * W
      const targetRel = design.relevant[target]!
      let child = -1
      for (let s = sL - 1; s >= 0; s--) {
        if (keptAt(target, s)) {
          child = s
          break
        }
      }
      let aggregated = 1
      for (const c of skip.conditionOn) {
        const condRel = design.relevant[c]
        if (condRel === undefined) continue
        let condIn = sL
        while (condIn < S && !keptAt(c, condIn)) condIn++
        if (condIn === S || !hasMetadata(c, condIn)) continue
        let captured = false
        let m = moldStart[sL]!
        for (const l of perLevel[sL]!) {
          if (l.kind === 'temporal') continue
          const at = m++ * dims
          if (!condRel[l.dim]) continue
          const mold = condMold
          for (let d = 0; d < dims; d++) mold[d] = molds[at + d]!
          if (child !== -1 && targetRel[l.dim]) {
            // The target tile stays put across outer temporal loops that do not index it.
            const targetLevel = holder(target, sL, S - 1)
            let found = false
            for (let s = sL; s <= targetLevel && !found; s++) {
              for (const u of perLevel[s]!) {
                if (u.kind !== 'temporal' || u.bound <= 1) continue
                if (targetRel[u.dim]) {
                  found = true
                  break
                }
                mold[u.dim] = mold[u.dim]! * u.bound
              }
            }
          }
          const fiber = fiberOf(c, mold, 0, l.dim, l.bound)
          if (!captured) {
            aggregated *= 1 - fiber.probEmpty
            captured = true
          }
          const r = fiber.maxElements / l.bound
          if (l.kind === 'x') expX[o + sL] = u64(expX[o + sL]! * r)
          else expY[o + sL] = u64(expY[o + sL]! * r)
        }
      }
      avg[o + sL] = aggregated
      skipMask[sL * nTensors + target] = 1
    }

    // 3. SummarizeAndPropagateSpatialCapacityReduction, then 4. what each level sees.
    const storageX: number[] = []
    const storageY: number[] = []
    const storageInstances: number[] = []
    for (let s = 0; s < S; s++) {
      storageX.push(0)
      storageY.push(0)
      storageInstances.push(0)
    }
    let computeX = 0
    let computeY = 0
    for (let pv = 0; pv < nTensors; pv++) {
      const o = pv * W
      for (let a = S; a >= 0; a--) {
        let xr = 1
        let yr = 1
        if (a !== 0) {
          const s = a - 1
          storageX[s] = Math.max(storageX[s]!, expX[o + a]!)
          storageY[s] = Math.max(storageY[s]!, expY[o + a]!)
          // replication_factor (dense instances) × the average ratio.
          storageInstances[s] = Math.max(storageInstances[s]!, denseX[a]! * denseY[a]! * avg[o + a]!)
          xr = expX[o + a]! / nestX[o + s]!
          yr = expY[o + a]! / nestY[o + s]!
        } else {
          computeX = Math.max(computeX, expX[o]!)
          computeY = Math.max(computeY, expY[o]!)
        }
        if (xr === 1 && yr === 1) continue
        let crossed = false
        for (let inner = a - 1; inner >= 0; inner--) {
          if (skipMask[inner * nTensors + pv] === 1) crossed = true
          if (!crossed) avg[o + inner] = avg[o + inner]! * avg[o + a]!
          expX[o + inner] = u64(expX[o + inner]! * xr)
          expY[o + inner] = u64(expY[o + inner]! * yr)
        }
      }
    }
    const fanoutFailures: SpatialSkipFanoutFailure[] = []
    for (let pv = 0; pv < nTensors; pv++) {
      const o = pv * W
      for (let a = S - 1; a >= 0; a--) {
        // uint64 division.
        const fx = Math.floor(expX[o + a]! / Math.max(1, expX[o + a + 1]!) + 1e-9)
        const fy = Math.floor(expY[o + a]! / Math.max(1, expY[o + a + 1]!) + 1e-9)
        const limitX = design.fanoutX[a]!
        const limitY = design.fanoutY[a]!
        if (fx > limitX) fanoutFailures.push({ level: a, axis: 'X', dataSpace: pv, required: fx, limit: limitX })
        if (fy > limitY) fanoutFailures.push({ level: a, axis: 'Y', dataSpace: pv, required: fy, limit: limitY })
      }
    }
    return { fanoutFailures, computeX, computeY, storageX, storageY, storageInstances }
  }
}

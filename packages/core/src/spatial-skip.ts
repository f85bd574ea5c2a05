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
   * One spatial loop's fiber of data space `pv`: its `bound` elements each span `mold`. Gives the
   * fiber's largest number of non-empty elements (GetMaxNumElementByConfidence: the fiber's
   * largest occupancy spread over its elements) and the probability that one element is empty
   * (GetTileOccupancyProbability(element, 0)).
   */
  const fiberOf = (pv: number, mold: readonly number[], dim: number, bound: number): { readonly maxElements: number; readonly probEmpty: number } => {
    memoKey[0] = pv
    memoKey[1] = dim
    memoKey[2] = bound
    for (let i = 0; i < mold.length; i++) memoKey[3 + i] = mold[i]!
    const keyLength = 3 + mold.length
    const known = memo.get(memoKey, keyLength)
    if (known !== undefined) return known
    const density = design.density(pv)
    let value: { maxElements: number; probEmpty: number }
    if (density === undefined) value = { maxElements: bound, probEmpty: 0 }
    else {
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

  return (mapping) => {
    const perLevel = mapping.loops
    const S = perLevel.length
    const keptAt = (pv: number, s: number): boolean => mapping.kept[s]?.[pv] === true
    const hasMetadata = (pv: number, s: number): boolean => design.hasMetadata[s]?.[pv] === true
    /** The first level from `from` up (at most `cap`) that keeps `pv`. */
    const holder = (pv: number, from: number, cap: number): number => {
      let s = from
      while (s < cap && !keptAt(pv, s)) s++
      return s
    }
    // Extents of every loop strictly inside each spatial loop (the mold of its fiber's element).
    const molds = new Map<SpatialSkipLoop, number[]>()
    const running = new Array<number>(design.dims).fill(1)
    for (let s = 0; s < S; s++) {
      for (const l of perLevel[s]!) {
        if (l.kind !== 'temporal') molds.set(l, [...running])
        running[l.dim] = running[l.dim]! * l.bound
      }
    }
    // Dense expansions per architecture level a (0 = arithmetic, a ≥ 1 = storage a − 1): the
    // spatial loops of storage levels ≥ a (InitializeMaxRequiredSpatialExpansion).
    const denseX = new Array<number>(S + 1).fill(1)
    const denseY = new Array<number>(S + 1).fill(1)
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

    // 1. InitializeSpatialInstances.
    const expX: number[][] = []
    const expY: number[][] = []
    const avg: number[][] = []
    const nestX: number[][] = []
    const nestY: number[][] = []
    for (let pv = 0; pv < nTensors; pv++) {
      const rel = design.relevant[pv]!
      const ex = [...denseX]
      const ey = [...denseY]
      const ratio = new Array<number>(S + 1).fill(1)
      const reduced = new Array<boolean>(S + 1).fill(false)
      // The storage levels' recorded expansions (compound_data_movement_nest max_x/y_expansion).
      const nx = denseX.slice(1)
      const ny = denseY.slice(1)
      for (let s = 0; s < S; s++) {
        if (!hasMetadata(pv, holder(pv, s, S - 1))) continue
        let effective = 1
        let innermost = true
        for (const l of perLevel[s]!) {
          if (l.kind === 'temporal' || !rel[l.dim]) continue
          const fiber = fiberOf(pv, molds.get(l)!, l.dim, l.bound)
          if (innermost) {
            effective = 1 - fiber.probEmpty
            innermost = false
          }
          const r = fiber.maxElements / l.bound
          if (l.kind === 'x') ex[s] = u64(ex[s]! * r)
          else ey[s] = u64(ey[s]! * r)
        }
        ratio[s] = effective
        if (effective !== 1) reduced[s] = true
      }
      for (let a = S; a >= 1; a--) {
        const xr = ex[a]! / nx[a - 1]!
        const yr = ey[a]! / ny[a - 1]!
        if (xr === 1 && yr === 1) continue
        nx[a - 1] = ex[a]!
        ny[a - 1] = ey[a]!
        let crossed = false
        for (let inner = a - 1; inner >= 0; inner--) {
          ex[inner] = u64(ex[inner]! * xr)
          ey[inner] = u64(ey[inner]! * yr)
          if (reduced[inner]) crossed = true
          if (!crossed) ratio[inner] = ratio[inner]! * ratio[a]!
        }
      }
      expX.push(ex)
      expY.push(ey)
      avg.push(ratio)
      nestX.push(nx)
      nestY.push(ny)
    }

    // 2. CalculateSpatialOptimizationImpact, per optimisation.
    // A plain loop: Array.from over `{ length }` took the generic array-like path, several µs per
    // evaluation (issue 12, `evaluate --mappings`).
    const skipMask: boolean[][] = []
    for (let s = 0; s <= S; s++) skipMask.push(new Array<boolean>(nTensors).fill(false))
    for (const skip of design.skips) {
      const sL = skip.level
      const target = skip.target
      const ex = expX[target]
      const ey = expY[target]
      if (ex === undefined || ey === undefined || sL >= S) continue
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
        for (const l of perLevel[sL]!) {
          if (l.kind === 'temporal' || !condRel[l.dim]) continue
          const mold = [...molds.get(l)!]
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
          const fiber = fiberOf(c, mold, l.dim, l.bound)
          if (!captured) {
            aggregated *= 1 - fiber.probEmpty
            captured = true
          }
          const r = fiber.maxElements / l.bound
          if (l.kind === 'x') ex[sL] = u64(ex[sL]! * r)
          else ey[sL] = u64(ey[sL]! * r)
        }
      }
      avg[target]![sL] = aggregated
      skipMask[sL]![target] = true
    }

    // 3. SummarizeAndPropagateSpatialCapacityReduction, then 4. what each level sees.
    const storageX = new Array<number>(S).fill(0)
    const storageY = new Array<number>(S).fill(0)
    const storageInstances = new Array<number>(S).fill(0)
    let computeX = 0
    let computeY = 0
    for (let pv = 0; pv < nTensors; pv++) {
      const ex = expX[pv]!
      const ey = expY[pv]!
      const ratio = avg[pv]!
      const ox = nestX[pv]!
      const oy = nestY[pv]!
      for (let a = S; a >= 0; a--) {
        let xr = 1
        let yr = 1
        if (a !== 0) {
          const s = a - 1
          storageX[s] = Math.max(storageX[s]!, ex[a]!)
          storageY[s] = Math.max(storageY[s]!, ey[a]!)
          // replication_factor (dense instances) × the average ratio.
          storageInstances[s] = Math.max(storageInstances[s]!, denseX[a]! * denseY[a]! * ratio[a]!)
          xr = ex[a]! / ox[s]!
          yr = ey[a]! / oy[s]!
        } else {
          computeX = Math.max(computeX, ex[0]!)
          computeY = Math.max(computeY, ey[0]!)
        }
        if (xr === 1 && yr === 1) continue
        let crossed = false
        for (let inner = a - 1; inner >= 0; inner--) {
          if (skipMask[inner]![pv]) crossed = true
          if (!crossed) ratio[inner] = ratio[inner]! * ratio[a]!
          ex[inner] = u64(ex[inner]! * xr)
          ey[inner] = u64(ey[inner]! * yr)
        }
      }
    }
    const fanoutFailures: SpatialSkipFanoutFailure[] = []
    for (let pv = 0; pv < nTensors; pv++) {
      const ex = expX[pv]!
      const ey = expY[pv]!
      for (let a = S - 1; a >= 0; a--) {
        // uint64 division.
        const fx = Math.floor(ex[a]! / Math.max(1, ex[a + 1]!) + 1e-9)
        const fy = Math.floor(ey[a]! / Math.max(1, ey[a + 1]!) + 1e-9)
        const limitX = design.fanoutX[a]!
        const limitY = design.fanoutY[a]!
        if (fx > limitX) fanoutFailures.push({ level: a, axis: 'X', dataSpace: pv, required: fx, limit: limitX })
        if (fy > limitY) fanoutFailures.push({ level: a, axis: 'Y', dataSpace: pv, required: fy, limit: limitY })
      }
    }
    return { fanoutFailures, computeX, computeY, storageX, storageY, storageInstances }
  }
}

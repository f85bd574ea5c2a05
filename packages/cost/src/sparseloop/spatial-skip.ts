// Sparseloop's spatial-skipping fan-out check, per data space (sparse-analysis/storage-gs-analyzer.cpp,
// ee66b62): InitializeSpatialInstances shrinks each tensor's own expansion where the level that
// holds it has metadata, CalculateSpatialOptimizationImpact shrinks a skipping target's expansion
// by its condition tensor's non-empty fibers, and SummarizeAndPropagateSpatialCapacityReduction
// propagates every shrink inward and checks, per data space, each level's expansion over its
// parent's against the hardware fan-out (child mesh / own mesh per axis). A tensor that no
// optimisation shrinks keeps its dense expansion, so it alone can fail the check.
import type { Infeasible } from './mapping'
import { extentsOf, type NestLoop } from './nest'
import type { PreparedDesign, PreparedTensor } from './prepare'

type Check = { readonly ok: true } | Infeasible

/** The verdict and the arithmetic level's expansions that the check leaves behind. */
export interface SpatialSkipFanout {
  readonly verdict: Check
  /**
   * The arithmetic level's X and Y expansion after spatial skipping, the largest over data spaces
   * (compute_info.max_x_expansion / max_y_expansion), which ArithmeticUnits::Evaluate checks.
   */
  readonly computeX: number
  readonly computeY: number
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1)

/** Sparseloop keeps expansions as uint64 (SpatialExpansion): `X *= ratio` truncates. */
const u64 = (x: number): number => Math.floor(x + 1e-9)

// The same fibers recur across the mappings of a search: memoise per tensor.
const memo = new WeakMap<PreparedTensor, Map<string, number>>()

/**
 * Non-empty elements of `tensor` among the `bound` elements of a fiber whose element is the tile
 * `mold` spans (GetMaxNumElementByConfidence): the fiber's largest occupancy spread over its
 * elements, as the probability that an element is empty given the fiber's occupancy.
 */
const maxElements = (tensor: PreparedTensor, mold: readonly number[], dim: number, bound: number): number => {
  let cache = memo.get(tensor)
  if (cache === undefined) {
    cache = new Map()
    memo.set(tensor, cache)
  }
  const key = `${dim}|${bound}|${mold.join(',')}`
  const known = cache.get(key)
  if (known !== undefined) return known
  const element = extentsOf(tensor.ranks, mold)
  const fiberSpans = [...mold]
  fiberSpans[dim] = fiberSpans[dim]! * bound
  const fiber = extentsOf(tensor.ranks, fiberSpans)
  const density = tensor.density
  const occupancy = density.maxOccupancy?.({ shape: fiber }) ?? Math.ceil(density.expectedOccupancy({ shape: fiber }))
  const pEmpty = density.probabilityEmpty({ shape: element, constraint: { shape: fiber, occupancy } })
  const value = Math.ceil((product(fiber) / product(element)) * (1 - pEmpty) - 1e-9)
  if (cache.size > 4096) cache.clear()
  cache.set(key, value)
  return value
}

/**
 * The check of {@link SummarizeAndPropagate…}: runs only when some level declares spatial skipping.
 * Levels are visited outermost first per data space (problem order), every failure is appended to
 * one message, and `timeloop-model` names the innermost failing level with that message: the
 * error names the innermost failure's child level and carries the first failure's text.
 */
export const checkSpatialSkipFanout = (
  design: PreparedDesign,
  loops: readonly NestLoop[],
  kept: readonly (readonly boolean[])[],
): SpatialSkipFanout => {
  const S = design.levels.length
  const nDims = design.dims.length
  const compute = design.arch.compute
  const childSpec = (s: number) => (s === 0 ? compute : design.levels[s - 1]!.spec)
  // Loops per storage level (0 = innermost), innermost first: spatial then temporal.
  const perLevel: NestLoop[][] = design.levels.map(() => [])
  for (const loop of loops) perLevel[loop.level]!.push(loop)
  // Extents of every loop strictly inside each spatial loop.
  const molds = new Map<NestLoop, number[]>()
  const running = new Array<number>(nDims).fill(1)
  for (let s = 0; s < S; s++) {
    for (const l of perLevel[s]!) {
      if (l.spatial) molds.set(l, [...running])
      running[l.dim] = running[l.dim]! * l.bound
    }
  }
  const hasMetadata = (tensor: number, s: number): boolean => {
    const format = design.levels[s]!.formats[tensor]
    return format !== null && format !== undefined && format.ranks.length > 0
  }
  const keptAt = (tensor: number, s: number): boolean => kept[s]![tensor] === true
  const lastStorage = (tensor: number, from: number, cap: number): number => {
    let s = from
    while (s < cap && !keptAt(tensor, s)) s++
    return s
  }
  // Dense expansions: arch level a (0 = compute, a ≥ 1 = storage a − 1) spans the spatial loops of storage ≥ a.
  const denseX = new Array<number>(S + 1).fill(1)
  const denseY = new Array<number>(S + 1).fill(1)
  for (let a = S - 1; a >= 0; a--) {
    let x = denseX[a + 1]!
    let y = denseY[a + 1]!
    for (const l of perLevel[a]!) {
      if (!l.spatial) continue
      if (l.axisX) x *= l.bound
      else y *= l.bound
    }
    denseX[a] = x
    denseY[a] = y
  }

  // InitializeSpatialInstances: a tensor's own metadata shrinks its expansion, propagated inward.
  const expX: number[][] = []
  const expY: number[][] = []
  const nestX: number[][] = []
  const nestY: number[][] = []
  for (const tensor of design.tensors) {
    const pv = tensor.index
    const ex = [...denseX]
    const ey = [...denseY]
    const nx = denseX.slice(1)
    const ny = denseY.slice(1)
    for (let s = 0; s < S; s++) {
      if (!hasMetadata(pv, lastStorage(pv, s, S - 1))) continue
      for (const l of perLevel[s]!) {
        if (!l.spatial || !tensor.relevantDims[l.dim]) continue
        const ratio = maxElements(tensor, molds.get(l)!, l.dim, l.bound) / l.bound
        if (l.axisX) ex[s] = u64(ex[s]! * ratio)
        else ey[s] = u64(ey[s]! * ratio)
      }
    }
    for (let a = S; a >= 1; a--) {
      const xr = ex[a]! / nx[a - 1]!
      const yr = ey[a]! / ny[a - 1]!
      if (xr !== 1 || yr !== 1) {
        nx[a - 1] = ex[a]!
        ny[a - 1] = ey[a]!
        for (let inner = a - 1; inner >= 0; inner--) {
          ex[inner] = u64(ex[inner]! * xr)
          ey[inner] = u64(ey[inner]! * yr)
        }
      }
    }
    expX.push(ex)
    expY.push(ey)
    nestX.push(nx)
    nestY.push(ny)
  }

  // CalculateSpatialOptimizationImpact: a skipped target needs instances only for its condition
  // tensor's non-empty fibers.
  for (const level of design.levels) {
    const sL = level.index
    for (const saf of level.safs) {
      if (saf.kind !== 'skipping-spatial') continue
      for (const option of saf.options) {
        const target = design.tensors[option.target]!
        const ex = expX[target.index]!
        const ey = expY[target.index]!
        let child = -1
        for (let s = sL - 1; s >= 0; s--) {
          if (keptAt(target.index, s)) {
            child = s
            break
          }
        }
        for (const c of option.conditionOn) {
          const cond = design.tensors[c]!
          let condIn = sL
          while (condIn < S && !keptAt(c, condIn)) condIn++
          if (condIn === S || !hasMetadata(c, condIn)) continue
          for (const l of perLevel[sL]!) {
            if (!l.spatial || !cond.relevantDims[l.dim]) continue
            const mold = [...molds.get(l)!]
            if (child !== -1 && target.relevantDims[l.dim]) {
              // The target tile stays put across outer temporal loops that do not index it.
              const targetLevel = lastStorage(target.index, sL, S - 1)
              let found = false
              for (let s = sL; s <= targetLevel && !found; s++) {
                for (const u of perLevel[s]!) {
                  if (u.spatial) continue
                  if (target.relevantDims[u.dim]) {
                    found = true
                    break
                  }
                  mold[u.dim] = mold[u.dim]! * u.bound
                }
              }
            }
            const ratio = maxElements(cond, mold, l.dim, l.bound) / l.bound
            if (l.axisX) ex[sL] = u64(ex[sL]! * ratio)
            else ey[sL] = u64(ey[sL]! * ratio)
          }
        }
      }
    }
  }

  // SummarizeAndPropagateSpatialCapacityReduction: propagate, then check per data space.
  let first: string | null = null
  let innermost = S
  let computeX = 0
  let computeY = 0
  for (const tensor of design.tensors) {
    const pv = tensor.index
    const ex = expX[pv]!
    const ey = expY[pv]!
    const nx = nestX[pv]!
    const ny = nestY[pv]!
    const ox = [...nx]
    const oy = [...ny]
    for (let a = S; a >= 1; a--) {
      nx[a - 1] = ex[a]!
      ny[a - 1] = ey[a]!
      const xr = ex[a]! / ox[a - 1]!
      const yr = ey[a]! / oy[a - 1]!
      if (xr !== 1 || yr !== 1) {
        for (let inner = a - 1; inner >= 0; inner--) {
          ex[inner] = u64(ex[inner]! * xr)
          ey[inner] = u64(ey[inner]! * yr)
        }
      }
    }
    computeX = Math.max(computeX, ex[0]!)
    computeY = Math.max(computeY, ey[0]!)
    for (let a = S - 1; a >= 0; a--) {
      const spec = design.levels[a]!.spec
      const child = childSpec(a)
      const fanX = Math.max(1, Math.floor(child.meshX / Math.max(1, spec.meshX)))
      const fanY = Math.max(1, Math.floor(child.meshY / Math.max(1, spec.meshY)))
      // uint64 division.
      const fx = Math.floor(ex[a]! / Math.max(1, ex[a + 1]!) + 1e-9)
      const fy = Math.floor(ey[a]! / Math.max(1, ey[a + 1]!) + 1e-9)
      if (fx > fanX) {
        first ??= `Required fanoutX ${fx} does not meet hardware constraint ${fanX}`
        innermost = Math.min(innermost, a)
      }
      if (fy > fanY) {
        first ??= `Required fanoutY ${fy} does not meet hardware constraint ${fanY}`
        innermost = Math.min(innermost, a)
      }
    }
  }
  if (first === null) return { verdict: { ok: true }, computeX, computeY }
  const name = childSpec(innermost).name
  return { verdict: { ok: false, kind: 'fanout', level: name, reason: `couldn't map level ${name}: ${first}` }, computeX, computeY }
}

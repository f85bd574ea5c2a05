// The cheap validity check: everything Timeloop/Sparseloop can reject before costing a mapping,
// in O(levels × tensors × loops): constraint conformance, fan-out (dense, or Sparseloop's
// density-aware spatial-skipping fan-out), data and metadata capacity, and format ranks (§3 of
// sparseloop-model.md: a mapping with more non-trivial loops than a format has ranks fails).
import { bindRanks } from '@snipsnap/core'
import type {
  DensityModelInstance,
  DimName,
  LevelMappingSpec,
  MappingSpec,
  ProblemSpec,
  TensorFormatSpec,
  TensorName,
} from '@snipsnap/core'
import type { CheckResult, TileMetadataQuery } from '../types'
import type { LevelInfo } from './arch'
import type { LevelRules } from './constraints'
import { dimsOf, product, tileShape, type Extents } from './tiles'

/** Everything the checker needs, resolved once by createMapspace. */
export interface CheckContext {
  readonly problem: ProblemSpec
  readonly levels: readonly LevelInfo[]
  readonly rules: readonly LevelRules[]
  readonly computeName: string
  readonly computeMeshX: number
  readonly computeMeshY: number
  readonly computeInstances: number
  readonly filterFanout: boolean
  /** Format per `${levelIndex}/${tensor}`. */
  readonly formats: ReadonlyMap<string, TensorFormatSpec>
  /** Keys `${levelIndex}/${tensor}` of formats with a compressed rank (resolved through the format registry). */
  readonly compressedFormats: ReadonlySet<string>
  readonly densities: ReadonlyMap<TensorName, DensityModelInstance>
  /** skipping-spatial optimisations: level index (outermost first), target, condition-on tensors. */
  readonly spatialSkips: readonly { readonly level: number; readonly target: TensorName; readonly conditionOn: readonly TensorName[] }[]
  readonly tileMetadataBits: ((query: TileMetadataQuery) => number) | undefined
}

export interface Loop {
  readonly dim: DimName
  readonly bound: number
  /** Level index, outermost first. */
  readonly level: number
  readonly kind: 'temporal' | 'x' | 'y'
}

const fail = (kind: Exclude<CheckResult, { ok: true }>['kind'], level: string, reason: string): CheckResult => ({
  ok: false,
  kind,
  level,
  reason,
})

const factorOf = (factors: Readonly<Record<DimName, number>>, dim: DimName): number => factors[dim] ?? 1

/** Loops of one level, innermost first: spatial (X then Y as split) then temporal. */
export const levelLoops = (lm: LevelMappingSpec, level: number, dims: readonly DimName[]): Loop[] => {
  const out: Loop[] = []
  // Complete permutations (what the importer and decode produce) need no padding.
  const sp =
    lm.spatialPermutation.length === dims.length
      ? lm.spatialPermutation
      : [...lm.spatialPermutation, ...dims.filter((d) => !lm.spatialPermutation.includes(d))]
  for (let i = 0; i < sp.length; i++) {
    const dim = sp[i] as DimName
    const bound = factorOf(lm.spatialFactors, dim)
    if (bound > 1) out.push({ dim, bound, level, kind: i < lm.spatialSplit ? 'x' : 'y' })
  }
  const tp =
    lm.temporalPermutation.length === dims.length
      ? lm.temporalPermutation
      : [...dims.filter((d) => !lm.temporalPermutation.includes(d)), ...lm.temporalPermutation]
  for (const dim of tp) {
    const bound = factorOf(lm.temporalFactors, dim)
    if (bound > 1) out.push({ dim, bound, level, kind: 'temporal' })
  }
  return out
}

/**
 * What every phase of the check shares: the context, tables derived from it once, and bounded
 * memos of density-model answers (a long search cannot grow them forever).
 */
export interface CheckerState {
  readonly ctx: CheckContext
  readonly problem: ProblemSpec
  readonly levels: readonly LevelInfo[]
  readonly rules: readonly LevelRules[]
  readonly dims: readonly DimName[]
  readonly dimSet: ReadonlySet<DimName>
  readonly spaces: ProblemSpec['dataSpaces']
  readonly dimSets: ReadonlyMap<TensorName, Set<DimName>>
  readonly spaceByName: ReadonlyMap<TensorName, ProblemSpec['dataSpaces'][number]>
  /** Format per level index and tensor (the checks run in search loops). */
  readonly formatTable: readonly ReadonlyMap<TensorName, TensorFormatSpec>[]
  readonly nLevels: number
  /** Whether level i has any constraint at all (most have none). */
  readonly hasRules: readonly boolean[]
  readonly maxElementsMemo: Map<string, number>
  /** The largest occupancy of a compressed tile, per (tensor, shape). */
  readonly occupancyMemo: Map<string, number>
}

const MEMO_LIMIT = 100_000

/** Resolves the tables of one context once. */
export const prepareChecker = (ctx: CheckContext): CheckerState => {
  const { problem, levels, rules } = ctx
  const spaces = problem.dataSpaces
  const formatTable = levels.map((l) => {
    const m = new Map<TensorName, TensorFormatSpec>()
    for (const space of spaces) {
      const f = ctx.formats.get(`${l.index}/${space.name}`)
      if (f !== undefined) m.set(space.name, f)
    }
    return m
  })
  const hasRules = rules.map(
    (r) =>
      r.temporalFactors.size > 0 ||
      r.spatialFactors.size > 0 ||
      r.temporalPermutation !== null ||
      r.spatialPermutation !== null ||
      r.split !== null ||
      r.keep.size > 0 ||
      r.bypass.size > 0,
  )
  return {
    ctx,
    problem,
    levels,
    rules,
    dims: problem.dimensions,
    dimSet: new Set(problem.dimensions),
    spaces,
    dimSets: new Map(spaces.map((s) => [s.name, dimsOf(s)])),
    spaceByName: new Map(spaces.map((s) => [s.name, s])),
    formatTable,
    nLevels: levels.length,
    hasRules,
    maxElementsMemo: new Map(),
    occupancyMemo: new Map(),
  }
}

const formatAt = (st: CheckerState, level: number, tensor: TensorName): TensorFormatSpec | undefined => st.formatTable[level]?.get(tensor)

const kept = (mapping: MappingSpec, level: number, tensor: TensorName): boolean =>
  !(mapping.levels[level] as LevelMappingSpec).bypass.includes(tensor)

/** Phase 1: level targets, factor names and values, and factors multiplying to each bound. */
export const checkStructure = (st: CheckerState, mapping: MappingSpec): CheckResult => {
  const { problem, levels, dims, dimSet, nLevels } = st
  if (mapping.levels.length !== nLevels) {
    return fail('constraint', levels[0]?.name ?? '', `mapping has ${mapping.levels.length} levels, the architecture ${nLevels}`)
  }
  for (let i = 0; i < nLevels; i++) {
    const lm = mapping.levels[i] as LevelMappingSpec
    const info = levels[i] as LevelInfo
    if (lm.target !== info.name) return fail('constraint', info.name, `level ${i} targets "${lm.target}", expected "${info.name}"`)
    for (const factors of [lm.temporalFactors, lm.spatialFactors]) {
      for (const dim in factors) {
        const f = factors[dim] as number
        if (!dimSet.has(dim)) return fail('constraint', info.name, `unknown dimension "${dim}"`)
        if (!Number.isInteger(f) || f < 1) return fail('constraint', info.name, `factor ${dim}=${f} is not a positive integer`)
      }
    }
  }
  for (const dim of dims) {
    let p = 1
    for (const lm of mapping.levels) p *= factorOf(lm.temporalFactors, dim) * factorOf(lm.spatialFactors, dim)
    if (p !== problem.bounds[dim]) {
      return fail('constraint', levels[0]?.name ?? '', `factors of ${dim} multiply to ${p}, the bound is ${problem.bounds[dim]}`)
    }
  }
  return { ok: true }
}

/** Phase 2: conformance to the Timeloop constraints (factors, orders, split, keep/bypass). */
export const checkRules = (st: CheckerState, mapping: MappingSpec, loopsByLevel: readonly Loop[][]): CheckResult => {
  const { levels, rules, nLevels, hasRules } = st
  for (let i = 0; i < nLevels; i++) {
    const lm = mapping.levels[i] as LevelMappingSpec
    const r = rules[i] as LevelRules
    if (!hasRules[i]) continue
    const name = (levels[i] as LevelInfo).name
    for (const [kind, map, factors] of [
      ['temporal', r.temporalFactors, lm.temporalFactors],
      ['spatial', r.spatialFactors, lm.spatialFactors],
    ] as const) {
      for (const [dim, rule] of map) {
        const f = factorOf(factors, dim)
        if (rule.exact !== null && f !== rule.exact) return fail('constraint', name, `${kind} ${dim}=${f}, constraint ${dim}=${rule.exact}`)
        if (rule.max !== null && f > rule.max) return fail('constraint', name, `${kind} ${dim}=${f}, constraint ${dim}<=${rule.max}`)
        if (rule.rest) {
          for (let o = 0; o < i; o++) {
            const ol = mapping.levels[o] as LevelMappingSpec
            if (factorOf(ol.temporalFactors, dim) * factorOf(ol.spatialFactors, dim) !== 1) {
              return fail('constraint', name, `${dim}=0 at ${name} leaves nothing for outer levels, but ${ol.target} has a ${dim} loop`)
            }
          }
          if (kind === 'temporal' && factorOf(lm.spatialFactors, dim) !== 1) {
            return fail('constraint', name, `${dim}=0 at ${name} leaves nothing for its spatial loop`)
          }
        }
      }
    }
    if (r.temporalPermutation !== null) {
      const loops = (loopsByLevel[i] as Loop[]).filter((l) => l.kind === 'temporal').map((l) => l.dim)
      const fixed = r.temporalPermutation.filter((d) => factorOf(lm.temporalFactors, d) > 1)
      const outer = r.temporalSuffix.filter((d) => factorOf(lm.temporalFactors, d) > 1)
      const tail = loops.length - outer.length
      if (fixed.some((d, k) => loops[k] !== d) || outer.some((d, k) => loops[tail + k] !== d)) {
        const wanted = r.temporalSuffix.length > 0 ? `${r.temporalPermutation.join('')}_${r.temporalSuffix.join('')}` : r.temporalPermutation.join('')
        return fail('constraint', name, `temporal order ${loops.join('')} (innermost first) breaks the constrained order ${wanted}`)
      }
    }
    if (r.split !== null || r.spatialPermutation !== null) {
      const loops = (loopsByLevel[i] as Loop[]).filter((l) => l.kind !== 'temporal')
      const perm = r.spatialPermutation ?? []
      for (const l of loops) {
        const at = perm.indexOf(l.dim)
        if (r.split !== null && at >= 0 && (at < r.split) !== (l.kind === 'x')) {
          return fail('constraint', name, `spatial ${l.dim} on ${l.kind.toUpperCase()}, the constrained split puts it on ${at < r.split ? 'X' : 'Y'}`)
        }
        if (r.split !== null && at < 0 && l.kind === 'x' && r.split <= perm.length) {
          return fail('constraint', name, `spatial ${l.dim} on X, the constrained split leaves only the listed dims on X`)
        }
      }
      const order = loops.map((l) => l.dim)
      const fixed = perm.filter((d) => factorOf(lm.spatialFactors, d) > 1)
      if (fixed.some((d, k) => order[k] !== d)) {
        return fail('constraint', name, `spatial order ${order.join('')} breaks the constrained order ${perm.join('')}`)
      }
    }
    for (const t of r.keep) if (lm.bypass.includes(t)) return fail('constraint', name, `${t} must be kept at ${name}`)
    for (const t of r.bypass) {
      if (lm.keep.includes(t) || !lm.bypass.includes(t)) return fail('constraint', name, `${t} must bypass ${name}`)
    }
  }
  return { ok: true }
}

// Spatial expansion of every level (X, Y): the spatial loops of the levels above it; index
// nLevels is the compute level (all spatial loops).
export const expansions = (nLevels: number, loopsByLevel: readonly Loop[][]): { x: number[]; y: number[] } => {
  const x = [1]
  const y = [1]
  for (let i = 0; i < nLevels; i++) {
    let fx = 1
    let fy = 1
    for (const l of loopsByLevel[i] as Loop[]) {
      if (l.kind === 'x') fx *= l.bound
      else if (l.kind === 'y') fy *= l.bound
    }
    x.push((x[i] as number) * fx)
    y.push((y[i] as number) * fy)
  }
  return { x, y }
}

// Sparseloop's model checks each level's mapped instances against its own instances and mesh
// (ArithmeticUnits/BufferLevel evaluation), never a level's fan-out to the next: a level with
// fan-out 1 on an axis may carry spatial loops on it when the levels below have the mesh.
// Timeloop's mapper filters per-level fan-outs when generating, which this space does through
// its slots, but that is not a reason the model rejects a mapping.
export const meshCheck = (name: string, x: number, y: number, meshX: number, meshY: number, instances: number): CheckResult => {
  if (x * y > instances) return fail('fanout', name, `mapped ${x}×${y} (X×Y) instances of ${name}, it has ${instances}`)
  if (x > meshX) return fail('fanout', name, `mapped X expansion ${x} of ${name} exceeds its mesh X ${meshX}`)
  if (y > meshY) return fail('fanout', name, `mapped Y expansion ${y} of ${name} exceeds its mesh Y ${meshY}`)
  return { ok: true }
}

// Sparseloop keeps spatial expansions as uint64 (SpatialExpansion): `X *= ratio` truncates.
const u64 = (x: number): number => Math.floor(x + 1e-9)

// Sparseloop's spatial-skipping fan-out (sparse-analysis storage-gs-analyzer.cpp:
// InitializeSpatialInstances, CalculateSpatialOptimizationImpact,
// SummarizeAndPropagateSpatialCapacityReduction), reproduced step by step including its
// propagation order, because the verdicts must match Sparseloop's.
export const checkSparseFanout = (st: CheckerState, mapping: MappingSpec, loopsByLevel: readonly Loop[][]): CheckResult => {
  const { ctx, problem, levels, dims, spaces, dimSets, spaceByName, nLevels, maxElementsMemo } = st
  const S = nLevels
  // Nest innermost first; storage index s is inner-first (s = S − 1 − i).
  const perLevel: Loop[][] = []
  for (let s = 0; s < S; s++) perLevel.push(loopsByLevel[S - 1 - s] as Loop[])
  // Extents of every loop strictly inside each spatial loop, computed in one inner-to-outer pass.
  const molds = new Map<Loop, Extents>()
  const running: Extents = {}
  for (let s = 0; s < S; s++) {
    for (const l of perLevel[s] as Loop[]) {
      if (l.kind !== 'temporal') molds.set(l, { ...running })
      running[l.dim] = (running[l.dim] ?? 1) * l.bound
    }
  }
  const moldOf = (l: Loop): Extents => ({ ...(molds.get(l) as Extents) })
  const keptAt = (tensor: TensorName, s: number): boolean => kept(mapping, S - 1 - s, tensor)
  const hasMetadata = (tensor: TensorName, s: number): boolean => {
    const f = formatAt(st, S - 1 - s, tensor)
    return f !== undefined && f.ranks.length > 0
  }
  const maxElements = (tensor: TensorName, mold: Extents, dim: DimName, bound: number): number => {
    // Density models can be costly (hypergeometric sums) and searches ask the same tiles again.
    let key = `${tensor}|${dim}|${bound}`
    for (const d of dims) key += `|${mold[d] ?? 1}`
    const known = maxElementsMemo.get(key)
    if (known !== undefined) return known
    const value = computeMaxElements(tensor, mold, dim, bound)
    if (maxElementsMemo.size >= MEMO_LIMIT) maxElementsMemo.clear()
    maxElementsMemo.set(key, value)
    return value
  }
  const computeMaxElements = (tensor: TensorName, mold: Extents, dim: DimName, bound: number): number => {
    const space = spaceByName.get(tensor)
    const density = ctx.densities.get(tensor)
    if (space === undefined || density === undefined) return bound
    const element = tileShape(space, mold, problem)
    const fiber = tileShape(space, { ...mold, [dim]: (mold[dim] ?? 1) * bound }, problem)
    const occupancy = density.maxOccupancy?.({ shape: fiber }) ?? Math.ceil(density.expectedOccupancy({ shape: fiber }))
    const pEmpty = density.probabilityEmpty({ shape: element, constraint: { shape: fiber, occupancy } })
    return Math.ceil((product(fiber) / product(element)) * (1 - pEmpty) - 1e-9)
  }
  // Dense expansions: arch level a (0 = compute, a ≥ 1 = storage a − 1) spans the spatial loops of storage ≥ a.
  const denseX: number[] = new Array<number>(S + 1).fill(1)
  const denseY: number[] = new Array<number>(S + 1).fill(1)
  for (let a = S - 1; a >= 0; a--) {
    let x = denseX[a + 1] as number
    let y = denseY[a + 1] as number
    for (const l of perLevel[a] as Loop[]) {
      if (l.kind === 'x') x *= l.bound
      else if (l.kind === 'y') y *= l.bound
    }
    denseX[a] = x
    denseY[a] = y
  }
  const expX = new Map<TensorName, number[]>()
  const expY = new Map<TensorName, number[]>()
  const nestX = new Map<TensorName, number[]>()
  const nestY = new Map<TensorName, number[]>()
  const lastStorage = (tensor: TensorName, from: number, cap: number): number => {
    let s = from
    while (s < cap && !keptAt(tensor, s)) s++
    return s
  }
  for (const space of spaces) {
    const pv = space.name
    const ex = [...denseX]
    const ey = [...denseY]
    const nx = denseX.slice(1)
    const ny = denseY.slice(1)
    const pvDims = dimSets.get(pv) as Set<DimName>
    for (let s = 0; s < S; s++) {
      const inLevel = lastStorage(pv, s, S - 1)
      if (!hasMetadata(pv, inLevel)) continue
      ;(perLevel[s] as Loop[]).forEach((l) => {
        if (l.kind === 'temporal' || !pvDims.has(l.dim)) return
        const mold = moldOf(l)
        const ratio = maxElements(pv, mold, l.dim, l.bound) / l.bound
        if (l.kind === 'x') ex[s] = u64((ex[s] as number) * ratio)
        else ey[s] = u64((ey[s] as number) * ratio)
      })
    }
    for (let a = S; a >= 1; a--) {
      const xr = (ex[a] as number) / (nx[a - 1] as number)
      const yr = (ey[a] as number) / (ny[a - 1] as number)
      if (xr !== 1 || yr !== 1) {
        nx[a - 1] = ex[a] as number
        ny[a - 1] = ey[a] as number
        for (let inner = a - 1; inner >= 0; inner--) {
          ex[inner] = u64((ex[inner] as number) * xr)
          ey[inner] = u64((ey[inner] as number) * yr)
        }
      }
    }
    expX.set(pv, ex)
    expY.set(pv, ey)
    nestX.set(pv, nx)
    nestY.set(pv, ny)
  }
  for (const skip of ctx.spatialSkips) {
    const sL = S - 1 - skip.level
    const ex = expX.get(skip.target)
    const ey = expY.get(skip.target)
    const targetDims = dimSets.get(skip.target)
    if (ex === undefined || ey === undefined || targetDims === undefined) continue
    let child = -1
    for (let s = sL - 1; s >= 0; s--) {
      if (keptAt(skip.target, s)) {
        child = s
        break
      }
    }
    for (const cond of skip.conditionOn) {
      const condDims = dimSets.get(cond)
      if (condDims === undefined) continue
      let condIn = sL
      while (condIn < S && !keptAt(cond, condIn)) condIn++
      if (condIn === S || !hasMetadata(cond, condIn)) continue
      ;(perLevel[sL] as Loop[]).forEach((l) => {
        if (l.kind === 'temporal' || !condDims.has(l.dim)) return
        const mold = moldOf(l)
        if (child !== -1 && targetDims.has(l.dim)) {
          // The target tile stays put across outer temporal loops that do not index it.
          const targetLevel = lastStorage(skip.target, sL, S - 1)
          let found = false
          for (let s = sL; s <= targetLevel && !found; s++) {
            for (const u of perLevel[s] as Loop[]) {
              if (u.kind !== 'temporal') continue
              if (targetDims.has(u.dim)) {
                found = true
                break
              }
              mold[u.dim] = (mold[u.dim] ?? 1) * u.bound
            }
          }
        }
        const ratio = maxElements(cond, mold, l.dim, l.bound) / l.bound
        if (l.kind === 'x') ex[sL] = u64((ex[sL] as number) * ratio)
        else ey[sL] = u64((ey[sL] as number) * ratio)
      })
    }
  }
  let found: CheckResult = { ok: true }
  let innermost = S
  let computeX = 0
  let computeY = 0
  for (const space of spaces) {
    const pv = space.name
    const ex = expX.get(pv) as number[]
    const ey = expY.get(pv) as number[]
    const nx = nestX.get(pv) as number[]
    const ny = nestY.get(pv) as number[]
    const ox = [...nx]
    const oy = [...ny]
    for (let a = S; a >= 1; a--) {
      nx[a - 1] = ex[a] as number
      ny[a - 1] = ey[a] as number
      const xr = (ex[a] as number) / (ox[a - 1] as number)
      const yr = (ey[a] as number) / (oy[a - 1] as number)
      if (xr !== 1 || yr !== 1) {
        for (let inner = a - 1; inner >= 0; inner--) {
          ex[inner] = u64((ex[inner] as number) * xr)
          ey[inner] = u64((ey[inner] as number) * yr)
        }
      }
    }
    computeX = Math.max(computeX, ex[0] as number)
    computeY = Math.max(computeY, ey[0] as number)
    for (let a = S - 1; a >= 0; a--) {
      if (a >= innermost) continue
      const parent = levels[S - 1 - a] as LevelInfo
      const childName = a === 0 ? ctx.computeName : (levels[S - a] as LevelInfo).name
      const fx = Math.floor((ex[a] as number) / Math.max(1, ex[a + 1] as number) + 1e-9)
      const fy = Math.floor((ey[a] as number) / Math.max(1, ey[a + 1] as number) + 1e-9)
      if (fx > parent.fanoutX) {
        innermost = a
        found = fail('fanout', childName, `required fanoutX ${fx} for ${pv} (after spatial skipping) exceeds ${parent.name}'s fan-out ${parent.fanoutX}`)
      }
      if (fy > parent.fanoutY) {
        innermost = a
        found = fail('fanout', childName, `required fanoutY ${fy} for ${pv} (after spatial skipping) exceeds ${parent.name}'s fan-out ${parent.fanoutY}`)
      }
    }
  }
  if (!found.ok) return found
  // Then the arithmetic level (ArithmeticUnits::Evaluate) with the largest per-data-space
  // expansion the skipping analysis leaves (compute_info.max_x/y_expansion).
  return meshCheck(ctx.computeName, computeX, computeY, ctx.computeMeshX, ctx.computeMeshY, ctx.computeInstances)
}

// The largest occupancy of a compressed tile, memoised per (tensor, shape): capacity checks of
// one search ask the same few tile shapes thousands of times.
const occupancyOf = (st: CheckerState, tensor: TensorName, density: DensityModelInstance, shape: readonly number[]): number => {
  const { occupancyMemo } = st
  const key = `${tensor}|${shape.join(',')}`
  const known = occupancyMemo.get(key)
  if (known !== undefined) return known
  const value = density.maxOccupancy?.({ shape }) ?? Math.ceil(density.expectedOccupancy({ shape }))
  if (occupancyMemo.size >= MEMO_LIMIT) occupancyMemo.clear()
  occupancyMemo.set(key, value)
  return value
}

// Each level innermost first as Sparseloop evaluates it: capacity, metadata capacity, then
// (with `mesh`) its mapped instances.
export const checkLevels = (st: CheckerState, mapping: MappingSpec, mesh: { x: number[]; y: number[] } | null): CheckResult => {
  const { levels, dims, nLevels } = st
  const ext: Extents = {}
  for (let i = nLevels - 1; i >= 0; i--) {
    const lm = mapping.levels[i] as LevelMappingSpec
    for (const dim of dims) ext[dim] = (ext[dim] ?? 1) * factorOf(lm.temporalFactors, dim) * factorOf(lm.spatialFactors, dim)
    const info = levels[i] as LevelInfo
    const capacityVerdict = checkLevelCapacity(st, mapping, i, info, ext)
    if (!capacityVerdict.ok) return capacityVerdict
    if (mesh !== null) {
      const verdict = meshCheck(info.name, mesh.x[i] as number, mesh.y[i] as number, info.spec.meshX, info.spec.meshY, info.spec.instances)
      if (!verdict.ok) return verdict
    }
  }
  return { ok: true }
}

const checkLevelCapacity = (st: CheckerState, mapping: MappingSpec, i: number, info: LevelInfo, ext: Extents): CheckResult => {
  const { ctx, problem, spaces } = st
  const capacity = info.spec.capacityWords
  const mdDepth = info.spec.metadataStorageDepth
  const mdWidth = info.spec.metadataStorageWidthBits
  const checkMd = ctx.tileMetadataBits !== undefined && mdDepth !== null && mdWidth !== null && mdDepth > 0 && mdWidth > 0
  if (capacity === null && !checkMd) return { ok: true }
  let words = 0
  let mdBits = 0
  for (const space of spaces) {
    if (!kept(mapping, i, space.name)) continue
    const shape = tileShape(space, ext, problem)
    const format = formatAt(st, i, space.name)
    const density = ctx.densities.get(space.name)
    const compressed = format !== undefined && ctx.compressedFormats.has(`${i}/${space.name}`)
    words += compressed && density !== undefined ? occupancyOf(st, space.name, density, shape) : product(shape)
    if (checkMd && format !== undefined) {
      mdBits += (ctx.tileMetadataBits as (q: TileMetadataQuery) => number)({ level: info.name, tensor: space.name, tileShape: shape })
    }
  }
  if (capacity !== null) {
    const effective = Math.floor(capacity / Math.max(1, info.spec.multipleBuffering))
    if (words > effective) return fail('capacity', info.name, `mapped tile size ${words} words exceeds the capacity ${effective} words`)
  }
  if (checkMd && mdBits > (mdDepth as number) * (mdWidth as number)) {
    return fail('metadata-capacity', info.name, `metadata of the tiles needs ${mdBits} bits, the metadata storage holds ${(mdDepth as number) * (mdWidth as number)}`)
  }
  return { ok: true }
}

/**
 * Phase 3 (Sparseloop's DefineCompressionFormatModels): each formatted tile's loops bound to its
 * ranks by core's `bindRanks`; more non-trivial loops than ranks fail.
 */
export const checkRanks = (st: CheckerState, mapping: MappingSpec, loopsByLevel: readonly Loop[][]): CheckResult => {
  const { ctx, problem, levels, spaces, dimSets, nLevels } = st
  // Extents covered by each level's tile (its loops and all inner ones), built once.
  const tileExtents: Extents[] = new Array<Extents>(nLevels)
  const running: Extents = {}
  for (let j = nLevels - 1; j >= 0; j--) {
    for (const l of loopsByLevel[j] as Loop[]) running[l.dim] = (running[l.dim] ?? 1) * l.bound
    tileExtents[j] = { ...running }
  }
  const tileAt = (i: number, space: (typeof spaces)[number]): number =>
    product(tileShape(space, tileExtents[i] as Extents, problem))
  // Sparseloop's order (DefineCompressionFormatModels): each data space in the problem's
  // order, its levels innermost first, stopping at the first failure.
  for (const space of spaces) {
    for (let i = nLevels - 1; i >= 0; i--) {
      const format = formatAt(st, i, space.name)
      if (format === undefined || format.ranks.length === 0 || !kept(mapping, i, space.name)) continue
      const tensorDims = dimSets.get(space.name) as Set<DimName>
      let child = -1
      for (let j = i + 1; j < nLevels; j++) {
        if (kept(mapping, j, space.name)) {
          child = j
          break
        }
      }
      // Loops of this level and of the bypassed levels down to the child, outermost first.
      const loops: Loop[] = []
      for (let j = i; j < (child === -1 ? nLevels : child); j++) loops.push(...[...(loopsByLevel[j] as Loop[])].reverse())
      const relevant = loops.filter((l) => tensorDims.has(l.dim))
      let childRanks = 0
      const compressed = ctx.compressedFormats.has(`${i}/${space.name}`)
      if (compressed && child !== -1 && tileAt(child, space) > 1) {
        // Pre-tiling: the child's ranks become this level's inner ranks.
        const childFormat = formatAt(st, child, space.name)
        childRanks = childFormat !== undefined && childFormat.ranks.length > 0 ? childFormat.ranks.length : 1
      }
      const ranks = Math.max(0, format.ranks.length - childRanks)
      const innerFirst = format.rankApplicationOrder === 'inner-to-outer'
      // Outer-to-inner: the top rank takes the outermost loop; inner-to-outer flips both lists.
      const usable = innerFirst ? [...format.ranks].reverse().slice(childRanks) : format.ranks.slice(0, ranks)
      const order = innerFirst ? [...relevant].reverse() : relevant
      const binding = bindRanks(order, usable.map((rank) => rank.flattenedRankIds?.flat() ?? null))
      if (binding.leftover > 0) {
        const name = (levels[i] as LevelInfo).name
        return fail('format-ranks', name, `${space.name} at ${name} has ${order.length} non-trivial loops over its dimensions, its format maps ${order.length - binding.leftover} of them onto ${ranks} ranks`)
      }
    }
  }
  return { ok: true }
}

/**
 * Creates `check(mapping)` for one resolved context: the phases above in Sparseloop's order
 * (Topology::Evaluate): format ranks (while building format models), the spatial-skipping fan-out
 * (storage optimisation impact, only with spatial skipping), the arithmetic level's instances,
 * then each storage level innermost first.
 */
export const createChecker = (ctx: CheckContext): ((mapping: MappingSpec) => CheckResult) => {
  const st = prepareChecker(ctx)
  const { dims, nLevels } = st
  return (mapping) => {
    const structure = checkStructure(st, mapping)
    if (!structure.ok) return structure
    const loopsByLevel = mapping.levels.map((lm, i) => levelLoops(lm, i, dims))
    const conformant = checkRules(st, mapping, loopsByLevel)
    if (!conformant.ok) return conformant
    const ranks = checkRanks(st, mapping, loopsByLevel)
    if (!ranks.ok) return ranks
    if (!ctx.filterFanout) {
      const fanout = checkSparseFanout(st, mapping, loopsByLevel)
      if (!fanout.ok) return fanout
      return checkLevels(st, mapping, null)
    }
    const mesh = expansions(nLevels, loopsByLevel)
    const compute = meshCheck(ctx.computeName, mesh.x[nLevels] as number, mesh.y[nLevels] as number, ctx.computeMeshX, ctx.computeMeshY, ctx.computeInstances)
    if (!compute.ok) return compute
    return checkLevels(st, mapping, mesh)
  }
}

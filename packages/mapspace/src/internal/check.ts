// The cheap validity check: everything Timeloop/Sparseloop can reject before costing a mapping,
// in O(levels × tensors × loops): constraint conformance, fan-out (dense, or Sparseloop's
// density-aware spatial-skipping fan-out), data and metadata capacity, and format ranks (§3 of
// sparseloop-model.md: a mapping with more non-trivial loops than a format has ranks fails).
import { bindRanks, createSpatialSkipAnalysis, formatCppDouble } from '@snipsnap/core'
import type {
  DensityModelInstance,
  SpatialSkipFanoutFailure,
  SpatialSkipLoop,
  SpatialSkipMapping,
  SpatialSkipResult,
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
  /** The spatial-skipping rule of @snipsnap/core bound to this context, or null without spatial skipping. */
  readonly spatialSkip: ((mapping: SpatialSkipMapping) => SpatialSkipResult) | null
  readonly dimIndex: ReadonlyMap<DimName, number>
  /** The largest occupancy of a compressed tile, per (tensor, shape). */
  readonly occupancyMemo: Map<string, number>
}

const MEMO_LIMIT = 100_000

/**
 * Sparseloop's spatial-skipping rule is the one in @snipsnap/core (createSpatialSkipAnalysis),
 * shared with the cost model: per-data-space expansions, the fan-out check, then what the
 * arithmetic and storage levels check. Its storage levels are innermost first (mapping level
 * S − 1 − s).
 */
const spatialSkipRule = (
  ctx: CheckContext,
  formatTable: readonly ReadonlyMap<TensorName, TensorFormatSpec>[],
): ((mapping: SpatialSkipMapping) => SpatialSkipResult) | null => {
  if (ctx.spatialSkips.length === 0) return null
  const { problem, levels } = ctx
  const dims = problem.dimensions
  const spaces = problem.dataSpaces
  const S = levels.length
  const spaceIndex = new Map(spaces.map((sp, i) => [sp.name, i]))
  return createSpatialSkipAnalysis({
    dims: dims.length,
    relevant: spaces.map((sp) => {
      const ds = dimsOf(sp)
      return dims.map((d) => ds.has(d))
    }),
    hasMetadata: Array.from({ length: S }, (_, s) =>
      spaces.map((sp) => {
        const f = formatTable[S - 1 - s]?.get(sp.name)
        return f !== undefined && f.ranks.length > 0
      }),
    ),
    fanoutX: Array.from({ length: S }, (_, s) => (levels[S - 1 - s] as LevelInfo).fanoutX),
    fanoutY: Array.from({ length: S }, (_, s) => (levels[S - 1 - s] as LevelInfo).fanoutY),
    // Sparseloop visits the optimisations by storage level, innermost first.
    skips: ctx.spatialSkips
      .map((skip) => ({
        level: S - 1 - skip.level,
        target: spaceIndex.get(skip.target) ?? -1,
        conditionOn: skip.conditionOn.map((c) => spaceIndex.get(c) ?? -1).filter((c) => c >= 0),
      }))
      .filter((skip) => skip.target >= 0)
      .sort((a, b) => a.level - b.level),
    density: (pv) => ctx.densities.get((spaces[pv] as (typeof spaces)[number]).name),
    tileShape: (pv, extents) => {
      const ext: Extents = {}
      dims.forEach((d, i) => {
        ext[d] = extents[i] ?? 1
      })
      return tileShape(spaces[pv] as (typeof spaces)[number], ext, problem)
    },
  })
}

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
    spatialSkip: spatialSkipRule(ctx, formatTable),
    dimIndex: new Map(problem.dimensions.map((d, i) => [d, i])),
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
// `used` is the level's utilised instances: X × Y, or under spatial skipping the largest
// per-data-space average replication (a double, BufferLevel's utilized_instances.Max()).
export const meshCheck = (name: string, x: number, y: number, meshX: number, meshY: number, instances: number, used = x * y): CheckResult => {
  if (used > instances) return fail('fanout', name, `mapped ${formatCppDouble(used)} instances of ${name} (X expansion ${x}, Y ${y}), it has ${instances}`)
  if (x > meshX) return fail('fanout', name, `mapped X expansion ${x} of ${name} exceeds its mesh X ${meshX}`)
  if (y > meshY) return fail('fanout', name, `mapped Y expansion ${y} of ${name} exceeds its mesh Y ${meshY}`)
  return { ok: true }
}

/** The shared spatial-skipping rule's answer for one mapping, or null without spatial skipping. */
export const runSpatialSkip = (st: CheckerState, mapping: MappingSpec, loopsByLevel: readonly Loop[][]): SpatialSkipResult | null => {
  if (st.spatialSkip === null) return null
  const { nLevels: S, spaces, dimIndex } = st
  const loops: SpatialSkipLoop[][] = []
  const keptMask: boolean[][] = []
  for (let s = 0; s < S; s++) {
    const i = S - 1 - s
    loops.push((loopsByLevel[i] as Loop[]).map((l) => ({ dim: dimIndex.get(l.dim) as number, bound: l.bound, kind: l.kind })))
    keptMask.push(spaces.map((sp) => kept(mapping, i, sp.name)))
  }
  return st.spatialSkip({ loops, kept: keptMask })
}

/**
 * The verdict of the rule's fan-out check (the innermost failing level, with its first failure),
 * then the arithmetic level (ArithmeticUnits::Evaluate) with the largest per-data-space expansion
 * the skipping analysis leaves (compute_info.max_x/y_expansion).
 */
const sparseFanoutVerdict = (st: CheckerState, skip: SpatialSkipResult): CheckResult => {
  const { ctx, levels, spaces, nLevels: S } = st
  const failures = skip.fanoutFailures
  if (failures.length > 0) {
    let at = failures[0] as SpatialSkipFanoutFailure
    for (const f of failures) if (f.level < at.level) at = f
    const a = at.level
    const parent = levels[S - 1 - a] as LevelInfo
    const childName = a === 0 ? ctx.computeName : (levels[S - a] as LevelInfo).name
    const pv = (spaces[at.dataSpace] as (typeof spaces)[number]).name
    return fail('fanout', childName, `required fanout${at.axis} ${at.required} for ${pv} (after spatial skipping) exceeds ${parent.name}'s fan-out ${at.limit}`)
  }
  return meshCheck(ctx.computeName, skip.computeX, skip.computeY, ctx.computeMeshX, ctx.computeMeshY, ctx.computeInstances)
}

/** Sparseloop's spatial-skipping fan-out and arithmetic check (ok without spatial skipping). */
export const checkSparseFanout = (st: CheckerState, mapping: MappingSpec, loopsByLevel: readonly Loop[][]): CheckResult => {
  const skip = runSpatialSkip(st, mapping, loopsByLevel)
  return skip === null ? { ok: true } : sparseFanoutVerdict(st, skip)
}

/** Per mapping level (outermost first): X and Y expansion and utilised instances. */
export interface LevelMesh {
  readonly x: readonly number[]
  readonly y: readonly number[]
  /** Utilised instances per level; X × Y when absent. */
  readonly instances?: readonly number[]
}

/** What each storage level checks under spatial skipping: the rule's largest per-data-space values. */
const skipMesh = (skip: SpatialSkipResult): LevelMesh => ({
  x: [...skip.storageX].reverse(),
  y: [...skip.storageY].reverse(),
  instances: [...skip.storageInstances].reverse(),
})

/**
 * The mesh each level checks: under spatial skipping the shared rule's per-data-space maximum,
 * otherwise the spatial loops above it.
 */
export const levelMesh = (st: CheckerState, mapping: MappingSpec, loopsByLevel: readonly Loop[][]): LevelMesh => {
  const skip = runSpatialSkip(st, mapping, loopsByLevel)
  return skip === null ? expansions(st.nLevels, loopsByLevel) : skipMesh(skip)
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
export const checkLevels = (st: CheckerState, mapping: MappingSpec, mesh: LevelMesh | null): CheckResult => {
  const { levels, dims, nLevels } = st
  const ext: Extents = {}
  for (let i = nLevels - 1; i >= 0; i--) {
    const lm = mapping.levels[i] as LevelMappingSpec
    for (const dim of dims) ext[dim] = (ext[dim] ?? 1) * factorOf(lm.temporalFactors, dim) * factorOf(lm.spatialFactors, dim)
    const info = levels[i] as LevelInfo
    const capacityVerdict = checkLevelCapacity(st, mapping, i, info, ext)
    if (!capacityVerdict.ok) return capacityVerdict
    if (mesh !== null) {
      const x = mesh.x[i] as number
      const y = mesh.y[i] as number
      const verdict = meshCheck(info.name, x, y, info.spec.meshX, info.spec.meshY, info.spec.instances, mesh.instances?.[i] ?? x * y)
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
    const skip = runSpatialSkip(st, mapping, loopsByLevel)
    if (skip !== null) {
      const fanout = sparseFanoutVerdict(st, skip)
      if (!fanout.ok) return fanout
      // Each storage level sees the largest per-data-space expansion and average replication.
      return checkLevels(st, mapping, skipMesh(skip))
    }
    const mesh = expansions(nLevels, loopsByLevel)
    const compute = meshCheck(ctx.computeName, mesh.x[nLevels] as number, mesh.y[nLevels] as number, ctx.computeMeshX, ctx.computeMeshY, ctx.computeInstances)
    if (!compute.ok) return compute
    return checkLevels(st, mapping, mesh)
  }
}

// The mapping space (Timeloop's Uber mapspace, deduplicated): per-dimension factorisations over
// the tiling slots (temporal per storage level, spatial below levels with a fan-out), loop orders
// of the non-trivial loops per level, X/Y splits of 2-D spatial levels and keep/bypass choices,
// indexed by a compact genome, enumerable lazily, and exposed as a search Space.
import {
  SnipSnapError,
  createDensityInstance,
  type ConstraintSpec,
  createRankFormatTable,
  resolveDensityModelId,
  type DensityModelInstance,
  type DensitySpec,
  type DesignTree,
  type DimName,
  type LevelMappingSpec,
  type MappingSpec,
  type Rng,
  type TensorFormatSpec,
  type TensorName,
} from '@snipsnap/core'
import { analyseArch, type LevelInfo } from './internal/arch'
import { createChecker, type CheckContext } from './internal/check'
import { normaliseConstraints, ruleOf, type LevelRules } from './internal/constraints'
import { fallbackDensity } from './internal/density'
import {
  divisors,
  factorialBig,
  factorial,
  factorVectors,
  nthPermutation,
  permutationRank,
  primeFactors,
  type SlotRule,
} from './internal/factors'
import { objectArray, smi, smiArray } from './internal/shapes'
import { product, tileShape } from './internal/tiles'
import type { CheckResult, Mapspace, MapspaceGenome, MapspaceInput, MapspaceLayout, MapspaceSize } from './types'

interface Slot {
  readonly level: number
  readonly kind: 'temporal' | 'spatial'
}

interface PermSlot {
  readonly level: number
  readonly kind: 'temporal' | 'spatial'
  /** Slot index in `slots`. */
  readonly slot: number
  readonly prefix: readonly DimName[]
  readonly suffix: readonly DimName[]
}

interface SpatialLevel {
  readonly level: number
  readonly slot: number
  readonly permSlot: number | null
  readonly splitSlot: number | null
  readonly fixedSplit: number | null
  readonly prefix: readonly DimName[]
  readonly onX: boolean
}

/**
 * Builds the mapping space of `problem` on `arch` under Timeloop `constraints`.
 * @throws {SnipSnapError} INVALID_SPEC naming the constraint field when constraints contradict
 *   each other or the architecture (fixed factors that do not divide the bound, unknown dims,
 *   spatial factors beyond the fan-out, a dimension left with no factorisation).
 * @example
 * const space = createMapspace({ arch, problem, constraints, sparseOptimizations })
 * space.size().total            // 967n for the STC mapper case
 * const m = space.sample(createRng(1)); space.check(m) // { ok: true }
 */
/**
 * Phase 1 of {@link createMapspace}: everything the checks read, resolved once. Validates the
 * bounds, analyses the architecture, resolves each format's rank symbols (compressed or not)
 * through the format registry handed down, collects spatial-skipping SAFs, normalises the
 * constraints, and builds each tensor's density instance through the density registry.
 * @throws {SnipSnapError} INVALID_SPEC for a bad bound or an unknown SAF level; PLUGIN_NOT_FOUND
 *   for an unknown rank symbol or density id.
 */
export const resolveCheckContext = (input: MapspaceInput): CheckContext => {
  const { arch, problem, constraints } = input
  const options = input.options ?? {}
  const sparse = input.sparseOptimizations ?? { targets: [] }
  const levels = analyseArch(arch)
  const nLevels = levels.length
  const dims = problem.dimensions
  const tensors = problem.dataSpaces.map((d) => d.name)
  for (const dim of dims) {
    const b = problem.bounds[dim]
    if (b === undefined || !Number.isInteger(b) || b < 1) {
      throw new SnipSnapError('INVALID_SPEC', `dimension ${dim} needs a positive integer bound, got ${b}`, {
        path: ['problem', 'bounds', dim],
      })
    }
  }

  // Sparse features the checks read.
  const formats = new Map<string, TensorFormatSpec>()
  // Rank symbols resolve through the format registry handed down (Sparseloop's formats by default).
  const rankFormats = createRankFormatTable(options.formats)
  const compressedFormats = new Set<string>()
  const spatialSkips: { level: number; target: TensorName; conditionOn: readonly TensorName[] }[] = []
  sparse.targets.forEach((t, ti) => {
    const level = levels.find((l) => l.name === t.level)
    if (level === undefined) {
      if (t.level === arch.compute.name) return
      throw new SnipSnapError('INVALID_SPEC', `sparse optimization targets unknown level "${t.level}"`, {
        path: ['sparseOptimizations', 'targets', ti, 'level'],
      })
    }
    t.formats.forEach((f, fi) => {
      formats.set(`${level.index}/${f.tensor}`, f)
      const path = ['sparseOptimizations', 'targets', ti, 'formats', fi, 'ranks']
      if (f.ranks.some((r, ri) => rankFormats.resolve(r.format, [...path, ri, 'format']).compressed)) {
        compressedFormats.add(`${level.index}/${f.tensor}`)
      }
    })
    for (const a of t.actionOptimizations) {
      if (a.type !== 'skipping-spatial') continue
      for (const o of a.options) spatialSkips.push({ level: level.index, target: o.target, conditionOn: o.conditionOn })
    }
  })
  const filterFanout = spatialSkips.length === 0
  const rules = normaliseConstraints({ constraints, problem, levels, filterFanout })

  const densities = new Map<TensorName, DensityModelInstance>()
  // Distribution ids resolve through the density registry handed down (the cost model's); without
  // one, only Sparseloop's fixed-structured and hypergeometric are known.
  const densityOf = (space: (typeof problem.dataSpaces)[number], spec: DensitySpec): DensityModelInstance => {
    const path = ['problem', 'densities', space.name, 'distribution']
    const shape = tileShape(space, problem.bounds, problem)
    if (options.densities !== undefined) return createDensityInstance({ registry: options.densities, spec, tensorShape: shape, path })
    const id = resolveDensityModelId(spec.distribution)
    if (id !== 'fixed-structured' && id !== 'hypergeometric') {
      throw new SnipSnapError(
        'PLUGIN_NOT_FOUND',
        `unknown density model "${spec.distribution}" for the mapspace; built in: fixed-structured, hypergeometric (pass options.densities, the density registry, for others)`,
        { path },
      )
    }
    return fallbackDensity({ ...spec, distribution: id }, product(shape))
  }
  for (const space of problem.dataSpaces) {
    const given = options.densityModels?.[space.name]
    const spec = problem.densities[space.name]
    if (given !== undefined) densities.set(space.name, given)
    else if (spec !== undefined) densities.set(space.name, densityOf(space, spec))
  }

  return {
    problem,
    levels,
    rules,
    computeName: arch.compute.name,
    computeMeshX: arch.compute.meshX,
    computeMeshY: arch.compute.meshY,
    computeInstances: arch.compute.instances,
    filterFanout,
    formats,
    compressedFormats,
    densities,
    spatialSkips,
    tileMetadataBits: options.tileMetadataBits,
  }
}

/** The slots, factorisations, permutation/split/bypass choices and layout of a space. */
interface SpaceLayout {
  readonly slots: readonly Slot[]
  /** Per dimension, every factor vector over the slots the rules allow. */
  readonly vectors: readonly (readonly number[])[][]
  readonly permSlots: readonly PermSlot[]
  readonly spatialLevels: readonly SpatialLevel[]
  /** The spatial levels with a free X/Y split (`splitSlot` set): the genome's split positions, in order. */
  readonly splitLevels: readonly SpatialLevel[]
  readonly bypassChoices: readonly { readonly level: number; readonly tensor: TensorName }[]
  readonly layout: MapspaceLayout
}

/**
 * Phase 2 of {@link createMapspace}: the slots (a temporal one per level, a spatial one per level
 * with fan-out), each dimension's factor vectors over them under the rules, and the permutation,
 * split and bypass choices, with the genome layout naming every position.
 * @throws {SnipSnapError} INVALID_SPEC when no tiling of a dimension satisfies its factor constraints.
 */
export const buildSpaceLayout = (input: MapspaceInput, ctx: CheckContext): SpaceLayout => {
  const { problem, constraints } = input
  const options = input.options ?? {}
  const { levels, rules, filterFanout } = ctx
  const nLevels = levels.length
  const dims = problem.dimensions
  const tensors = problem.dataSpaces.map((d) => d.name)
  const slots: Slot[] = []
  for (const l of levels) {
    slots.push({ level: l.index, kind: 'temporal' })
    if (l.fanout > 1) slots.push({ level: l.index, kind: 'spatial' })
  }
  const slotRule = (slot: Slot, dim: DimName): SlotRule => {
    const r = rules[slot.level] as LevelRules
    if (slot.kind === 'temporal') return ruleOf(r.temporalFactors, dim)
    const rule = ruleOf(r.spatialFactors, dim)
    if (!filterFanout) return rule
    // No single spatial loop can exceed the level's fan-out when fan-out filters the space.
    const cap = (levels[slot.level] as LevelInfo).fanout
    return { ...rule, max: rule.max === null ? cap : Math.min(rule.max, cap) }
  }
  const vectors: number[][][] = dims.map((dim) => {
    const list = factorVectors(problem.bounds[dim] as number, slots.map((s) => slotRule(s, dim)))
    if (list.length === 0) {
      const which = constraints
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.factors[dim] !== undefined)
        .map(({ c, i }) => `constraints[${i}] (${c.target} ${c.type})`)
      throw new SnipSnapError(
        'INVALID_SPEC',
        `no tiling of ${dim}=${problem.bounds[dim]} satisfies the factor constraints on it: ${which.join(', ') || 'fan-out limits'}`,
        { path: ['constraints'] },
      )
    }
    return list
  })
  const permSlots: PermSlot[] = []
  const spatialLevels: SpatialLevel[] = []
  let splitCount = 0
  slots.forEach((slot, si) => {
    const r = rules[slot.level] as LevelRules
    const info = levels[slot.level] as LevelInfo
    if (slot.kind === 'temporal') {
      const innermost = slot.level === nLevels - 1
      if (!innermost || options.permuteInnermost === true) {
        permSlots.push({ level: slot.level, kind: 'temporal', slot: si, prefix: r.temporalPermutation ?? [], suffix: r.temporalSuffix })
      }
      return
    }
    const twoD = info.fanoutX > 1 && info.fanoutY > 1
    const prefix = r.spatialPermutation ?? []
    const permuted = prefix.length > 0 || twoD
    let permSlot: number | null = null
    if (permuted) {
      permSlot = permSlots.length
      permSlots.push({ level: slot.level, kind: 'spatial', slot: si, prefix, suffix: [] })
    }
    const freeSplit = r.split === null && twoD
    spatialLevels.push({
      level: slot.level,
      slot: si,
      permSlot,
      splitSlot: freeSplit ? splitCount++ : null,
      fixedSplit: r.split,
      prefix,
      onX: info.fanoutX > 1,
    })
  })
  const bypassChoices: { level: number; tensor: TensorName }[] = []
  for (let i = 1; i < nLevels; i++) {
    const r = rules[i] as LevelRules
    for (const t of tensors) if (!r.keep.has(t) && !r.bypass.has(t)) bypassChoices.push({ level: i, tensor: t })
  }

  const splitLevels = spatialLevels.filter((s) => s.splitSlot !== null)
  const layout: MapspaceLayout = {
    dimensions: [...dims],
    slots: slots.map((s) => ({ level: (levels[s.level] as LevelInfo).name, kind: s.kind })),
    factorizations: vectors.map((v) => v.length),
    permutations: permSlots.map((p) => ({ level: (levels[p.level] as LevelInfo).name, kind: p.kind })),
    splits: splitLevels.map((s) => ({ level: (levels[s.level] as LevelInfo).name })),
    bypass: bypassChoices.map((b) => ({ level: (levels[b.level] as LevelInfo).name, tensor: b.tensor })),
  }

  return { slots, vectors, permSlots, spatialLevels, splitLevels, bypassChoices, layout }
}

/**
 * Phase 3 of {@link createMapspace}: the exact size of a space, a DP over dimensions (nothing
 * materialised): per dimension, its factor vectors grouped by which permuted and free-split slots
 * they make non-trivial; orderings multiply the permutations of the free dims and the split choices.
 */
export const countSpace = (dims: readonly DimName[], space: SpaceLayout): MapspaceSize => {
  const { vectors, permSlots, splitLevels, bypassChoices } = space
  // State: free non-trivial count per permuted slot, non-trivial count per free-split slot.
  let states = new Map<string, { free: number[]; non: number[]; count: bigint }>()
  states.set('', { free: permSlots.map(() => 0), non: splitLevels.map(() => 0), count: 1n })
  dims.forEach((dim, d) => {
    // Vectors grouped by which permuted/split slots they make non-trivial (a bit signature).
    const groups = new Map<string, { free: number[]; non: number[]; count: bigint }>()
    for (const v of vectors[d] as number[][]) {
      let k = ''
      for (const p of permSlots) k += (v[p.slot] ?? 1) > 1 && !p.prefix.includes(dim) && !p.suffix.includes(dim) ? '1' : '0'
      k += '/'
      for (const sl of splitLevels) k += (v[sl.slot] ?? 1) > 1 ? '1' : '0'
      const g = groups.get(k)
      if (g === undefined) {
        const free = permSlots.map((p) => ((v[p.slot] ?? 1) > 1 && !p.prefix.includes(dim) && !p.suffix.includes(dim) ? 1 : 0))
        const non = splitLevels.map((sl) => ((v[sl.slot] ?? 1) > 1 ? 1 : 0))
        groups.set(k, { free, non, count: 1n })
      } else g.count += 1n
    }
    const next = new Map<string, { free: number[]; non: number[]; count: bigint }>()
    for (const s of states.values()) {
      for (const g of groups.values()) {
        const free = s.free.map((x, i) => x + (g.free[i] ?? 0))
        const non = s.non.map((x, i) => x + (g.non[i] ?? 0))
        const k = `${free.join(',')}/${non.join(',')}`
        const e = next.get(k)
        if (e === undefined) next.set(k, { free, non, count: s.count * g.count })
        else e.count += s.count * g.count
      }
    }
    states = next
  })
  let mappingsPerBypass = 0n
  for (const s of states.values()) {
    let m = s.count
    for (const f of s.free) m *= factorialBig(f)
    for (const n of s.non) m *= BigInt(n + 1)
    mappingsPerBypass += m
  }
  const bypass = 1n << BigInt(bypassChoices.length)
  let factorizations = 1n
  for (const v of vectors) factorizations *= BigInt(v.length)
  return { total: mappingsPerBypass * bypass, factorizations, orderings: mappingsPerBypass, bypass }
}

/** An index reduced into `[0, n)` (genome indices wrap around their choice counts). */
const mod = (value: number, n: number): number => ((Math.trunc(value) % n) + n) % n

/** Helpers over a genome's factorisations that every later phase shares. */
export interface GenomeTools {
  /** Index of each factor vector of dimension `d` by its `join(',')`, built on first use. */
  readonly vectorIndex: (d: number) => Map<string, number>
  /** Each dimension's factor vector for the genome's factor indices (reduced modulo the count). */
  readonly pickVectors: (factors: readonly number[]) => number[][]
  /** Dimensions with a factor above 1 in `slot`. */
  readonly nontrivial: (vs: readonly number[][], slot: number) => DimName[]
  /** Non-trivial dimensions of a permuted slot that its prefix and suffix leave free to order. */
  readonly freeDims: (vs: readonly number[][], p: PermSlot) => DimName[]
  /** Per permuted slot, the number of loop orders. */
  readonly permCounts: (vs: readonly number[][]) => number[]
  /** Per free-split slot, the number of X/Y splits. */
  readonly splitCounts: (vs: readonly number[][]) => number[]
}

/**
 * Phase 4 of {@link createMapspace}: the choice counts a factorisation leaves (loop orders per
 * permuted slot, X/Y splits per free-split slot) and the factor-vector lookups.
 */
export const createGenomeTools = (dims: readonly DimName[], space: SpaceLayout): GenomeTools => {
  const { vectors, permSlots, splitLevels } = space
  // Built on first use (encode, mutate): large spaces that are only sampled never pay for it.
  const vectorIndexCache: (Map<string, number> | undefined)[] = vectors.map(() => undefined)
  const vectorIndex = (d: number): Map<string, number> => {
    let m = vectorIndexCache[d]
    if (m === undefined) {
      m = new Map((vectors[d] as number[][]).map((v, i) => [v.join(','), i]))
      vectorIndexCache[d] = m
    }
    return m
  }

  const pickVectors = (factors: readonly number[]): number[][] =>
    objectArray(dims.length, (d) => {
      const list = vectors[d] as number[][]
      return list[((factors[d] ?? 0) % list.length + list.length) % list.length] as number[]
    })
  const nontrivial = (vs: readonly number[][], slot: number): DimName[] => dims.filter((_, d) => ((vs[d] as number[])[slot] ?? 1) > 1)
  const freeDims = (vs: readonly number[][], p: PermSlot): DimName[] =>
    nontrivial(vs, p.slot).filter((d) => !p.prefix.includes(d) && !p.suffix.includes(d))
  const permCounts = (vs: readonly number[][]): number[] => permSlots.map((p) => factorial(freeDims(vs, p).length))
  const splitCounts = (vs: readonly number[][]): number[] =>
    splitLevels.map((s) => nontrivial(vs, s.slot).length + 1)

  return { vectorIndex, pickVectors, nontrivial, freeDims, permCounts, splitCounts }
}

/**
 * Phase 5 of {@link createMapspace}: genome to mapping. Returns `decode` and the mappings it
 * produced with their genomes (the checks reuse verdicts for those).
 */
export const createDecoder = (
  dims: readonly DimName[],
  tensors: readonly TensorName[],
  ctx: Pick<CheckContext, 'levels' | 'rules'>,
  space: SpaceLayout,
  tools: GenomeTools,
): { readonly decode: (genome: MapspaceGenome) => MappingSpec; readonly decoded: WeakMap<MappingSpec, MapspaceGenome> } => {
  const { levels, rules } = ctx
  const { slots, vectors, permSlots, spatialLevels, splitLevels, bypassChoices } = space
  const { pickVectors, nontrivial } = tools
  // Mappings this space decoded, with their genome (indices reduced into range, as `encode` would
  // return it): checking them can skip the conformance checks (decode only produces conformant
  // mappings) and reuse verdicts across loop orders; encoding them is a lookup.
  const decoded = new WeakMap<MappingSpec, MapspaceGenome>()
  // Per-level lookups, resolved once so decode stays allocation-light in search loops.
  const levelPlan = levels.map((info) => {
    const tSlot = slots.findIndex((s) => s.level === info.index && s.kind === 'temporal')
    return {
      info,
      tSlot,
      sIdx: slots.findIndex((s) => s.level === info.index && s.kind === 'spatial'),
      tPerm: permSlots.findIndex((p) => p.slot === tSlot),
      prefix: (rules[info.index] as LevelRules).temporalPermutation ?? [],
      suffix: (rules[info.index] as LevelRules).temporalSuffix,
      spatial: spatialLevels.find((s) => s.level === info.index),
      rules: rules[info.index] as LevelRules,
      bypassIndex: new Map(
        tensors.map((t) => [t, bypassChoices.findIndex((c) => c.level === info.index && c.tensor === t)]),
      ),
    }
  })
  const decode = (genome: MapspaceGenome): MappingSpec => {
    const vs = pickVectors(genome.factors)
    // The genome with every index reduced into its range: what `encode` returns for the mapping.
    const permutations = smiArray(permSlots.length, () => 0)
    const splits = smiArray(splitLevels.length, () => 0)
    const factorsAt = (slot: number | undefined): Record<DimName, number> => {
      const out: Record<DimName, number> = {}
      if (slot === undefined) return out
      dims.forEach((dim, d) => {
        const f = (vs[d] as number[])[slot] ?? 1
        if (f > 1) out[dim] = f
      })
      return out
    }
    const levelSpecs: LevelMappingSpec[] = levelPlan.map(({ info, tSlot, sIdx, tPerm: pIdx, prefix, suffix, spatial: sl, rules: r, bypassIndex }) => {
      const tFactors = factorsAt(tSlot)
      const tNon = nontrivial(vs, tSlot)
      const fixed = prefix.filter((d) => tNon.includes(d))
      const outer = suffix.filter((d) => tNon.includes(d))
      const free = tNon.filter((d) => !prefix.includes(d) && !suffix.includes(d))
      const tRank = pIdx >= 0 ? mod(genome.permutations[pIdx] ?? 0, factorial(free.length)) : 0
      if (pIdx >= 0) permutations[pIdx] = smi(tRank)
      const ordered = pIdx >= 0 ? nthPermutation(free, tRank) : free
      const temporalPermutation = [...fixed, ...ordered, ...outer, ...dims.filter((d) => !tNon.includes(d))]

      let spatialFactors: Record<DimName, number> = {}
      let spatialPermutation: DimName[] = []
      let spatialSplit = 0
      if (sl !== undefined && sIdx >= 0) {
        spatialFactors = factorsAt(sIdx)
        const sNon = nontrivial(vs, sIdx)
        const sFixed = sl.prefix.filter((d) => sNon.includes(d))
        const sFree = sNon.filter((d) => !sl.prefix.includes(d))
        const sRank = sl.permSlot !== null ? mod(genome.permutations[sl.permSlot] ?? 0, factorial(sFree.length)) : 0
        if (sl.permSlot !== null) permutations[sl.permSlot] = smi(sRank)
        const sOrdered = sl.permSlot !== null ? nthPermutation(sFree, sRank) : sFree
        const order = [...sFixed, ...sOrdered]
        let x: DimName[]
        if (sl.fixedSplit !== null) {
          const split = sl.fixedSplit
          x = order.filter((d) => {
            const at = sl.prefix.indexOf(d)
            return (at >= 0 ? at : sl.prefix.length + sOrdered.indexOf(d)) < split
          })
        } else if (sl.splitSlot !== null) {
          const split = mod(genome.splits[sl.splitSlot] ?? 0, order.length + 1)
          splits[sl.splitSlot] = smi(split)
          x = order.slice(0, split)
        } else {
          x = sl.onX ? order : []
        }
        const y = order.filter((d) => !x.includes(d))
        spatialPermutation = [...x, ...y, ...dims.filter((d) => !sNon.includes(d))]
        spatialSplit = x.length
      } else {
        spatialPermutation = [...dims]
      }
      const keep = tensors.filter((t) => {
        if (r.keep.has(t)) return true
        if (r.bypass.has(t)) return false
        if (info.index === 0) return true
        const b = bypassIndex.get(t) ?? -1
        return mod(genome.bypass[b] ?? 1, 2) === 1
      })
      return {
        target: info.name,
        temporalFactors: tFactors,
        temporalPermutation,
        spatialFactors,
        spatialPermutation,
        spatialSplit,
        keep,
        bypass: tensors.filter((t) => !keep.includes(t)),
        stream: [],
      }
    })
    const mapping = { levels: levelSpecs }
    decoded.set(mapping, {
      factors: smiArray(dims.length, (d) => mod(genome.factors[d] ?? 0, (vectors[d] as number[][]).length)),
      permutations,
      splits,
      bypass: smiArray(bypassChoices.length, (b) => mod(genome.bypass[b] ?? 1, 2)),
    })
    return mapping
  }

  return { decode, decoded }
}

/**
 * Phase 6 of {@link createMapspace}: the canonical key of a mapping (trivial loops dropped, loops
 * sorted where the space has no order choice), cached per mapping object.
 */
export const createKey = (
  dims: readonly DimName[],
  tensors: readonly TensorName[],
  levels: readonly LevelInfo[],
  space: SpaceLayout,
): ((mapping: MappingSpec) => string) => {
  const { permSlots, spatialLevels } = space
  const canonicalTemporal = new Set(levels.map((l) => l.index).filter((i) => !permSlots.some((p) => p.kind === 'temporal' && p.level === i)))
  const canonicalSpatial = new Set(spatialLevels.filter((s) => s.permSlot === null).map((s) => s.level))
  // Dims sorted into problem order before their `dim=factor` texts are built (no split per comparison).
  const dimOrder = new Map(dims.map((d, i) => [d, i] as const))
  const byProblemOrder = (a: DimName, b: DimName): number => (dimOrder.get(a) ?? -1) - (dimOrder.get(b) ?? -1)
  // Keys by mapping object: the exhaustive strategy and the driver both key every candidate.
  const keyOf = new WeakMap<MappingSpec, string>()
  const key = (mapping: MappingSpec): string => {
    let k = keyOf.get(mapping)
    if (k === undefined) {
      k = computeKey(mapping)
      keyOf.set(mapping, k)
    }
    return k
  }
  const computeKey = (mapping: MappingSpec): string =>
    mapping.levels
      .map((lm, i) => {
        const tp = [...dims.filter((d) => !lm.temporalPermutation.includes(d)), ...lm.temporalPermutation]
        const td = tp.filter((d) => (lm.temporalFactors[d] ?? 1) > 1)
        if (canonicalTemporal.has(i)) td.sort(byProblemOrder)
        const t = td.map((d) => `${d}=${lm.temporalFactors[d]}`)
        const sp = [...lm.spatialPermutation, ...dims.filter((d) => !lm.spatialPermutation.includes(d))]
        const xd = sp.slice(0, lm.spatialSplit).filter((d) => (lm.spatialFactors[d] ?? 1) > 1)
        const yd = sp.slice(lm.spatialSplit).filter((d) => (lm.spatialFactors[d] ?? 1) > 1)
        if (canonicalSpatial.has(i)) {
          xd.sort(byProblemOrder)
          yd.sort(byProblemOrder)
        }
        const x = xd.map((d) => `${d}=${lm.spatialFactors[d]}`)
        const y = yd.map((d) => `${d}=${lm.spatialFactors[d]}`)
        const kept = tensors.filter((tn) => !lm.bypass.includes(tn))
        return `${lm.target}[${t.join(' ')}|${x.join(' ')}|${y.join(' ')}|${kept.join(',')}]`
      })
      .join('')
  return key
}

/**
 * Phase 7 of {@link createMapspace}: mapping to genome, or why the mapping is not in the space
 * (levels, a tiling outside the factorisations, an order or split breaking a constraint).
 */
export const createEncoder = (
  dims: readonly DimName[],
  levels: readonly LevelInfo[],
  space: SpaceLayout,
  tools: GenomeTools,
  decode: (genome: MapspaceGenome) => MappingSpec,
  key: (mapping: MappingSpec) => string,
  decoded?: WeakMap<MappingSpec, MapspaceGenome>,
): Mapspace['encode'] => {
  const { slots, permSlots, splitLevels, bypassChoices } = space
  const { vectorIndex, pickVectors, nontrivial } = tools
  const nLevels = levels.length
  // Encodings by mapping object (mappings are never mutated): a genetic search encodes each parent
  // for every crossover and mutation it takes part in, and each encoding decodes and keys twice.
  const encoded = new WeakMap<MappingSpec, ReturnType<Mapspace['encode']>>()
  const encode: Mapspace['encode'] = (mapping) => {
    const genome = decoded?.get(mapping)
    if (genome !== undefined) return { ok: true, genome }
    let e = encoded.get(mapping)
    if (e === undefined) {
      e = encodeOnce(mapping)
      encoded.set(mapping, e)
    }
    return e
  }
  const encodeOnce: Mapspace['encode'] = (mapping) => {
    if (mapping.levels.length !== nLevels || mapping.levels.some((lm, i) => lm.target !== (levels[i] as LevelInfo).name)) {
      return { ok: false, reason: `mapping levels must be ${levels.map((l) => l.name).join(', ')} (outermost first)` }
    }
    const factors: number[] = []
    for (let d = 0; d < dims.length; d++) {
      const dim = dims[d] as DimName
      const v = slots.map((s) => {
        const lm = mapping.levels[s.level] as LevelMappingSpec
        return (s.kind === 'temporal' ? lm.temporalFactors[dim] : lm.spatialFactors[dim]) ?? 1
      })
      for (const lm of mapping.levels) {
        const info = levels.find((l) => l.name === lm.target) as LevelInfo
        if (info.fanout === 1 && (lm.spatialFactors[dim] ?? 1) > 1) return { ok: false, reason: `${lm.target} has no fan-out for spatial ${dim}` }
      }
      const idx = vectorIndex(d).get(v.join(','))
      if (idx === undefined) return { ok: false, reason: `the tiling ${dim}: ${v.join('×')} is not in the space (constraints or bound)` }
      factors.push(smi(idx))
    }
    const vs = pickVectors(factors)
    const permutations = smiArray(permSlots.length, (j) => {
      const p = permSlots[j] as PermSlot
      const lm = mapping.levels[p.level] as LevelMappingSpec
      const non = nontrivial(vs, p.slot)
      const free = non.filter((d) => !p.prefix.includes(d) && !p.suffix.includes(d))
      let order: DimName[]
      if (p.kind === 'temporal') {
        order = [...dims.filter((d) => !lm.temporalPermutation.includes(d)), ...lm.temporalPermutation].filter((d) => free.includes(d))
      } else {
        const sp = [...lm.spatialPermutation, ...dims.filter((d) => !lm.spatialPermutation.includes(d))]
        order = [...sp.slice(0, lm.spatialSplit), ...sp.slice(lm.spatialSplit)].filter((d) => free.includes(d))
      }
      return permutationRank(free, order)
    })
    const splits = smiArray(splitLevels.length, (j) => {
      const lm = mapping.levels[(splitLevels[j] as SpatialLevel).level] as LevelMappingSpec
      return lm.spatialPermutation.slice(0, lm.spatialSplit).filter((d) => (lm.spatialFactors[d] ?? 1) > 1).length
    })
    const bypass = smiArray(bypassChoices.length, (j) => {
      const c = bypassChoices[j] as { level: number; tensor: TensorName }
      return (mapping.levels[c.level] as LevelMappingSpec).bypass.includes(c.tensor) ? 0 : 1
    })
    const genome: MapspaceGenome = { factors, permutations, splits, bypass }
    if (key(decode(genome)) !== key(mapping)) {
      return { ok: false, reason: 'the loop orders or X/Y split break a permutation or split constraint' }
    }
    return { ok: true, genome }
  }
  return encode
}

/** Phase 8 of {@link createMapspace}: every genome (and mapping) lazily, factorisation-major. */
export const createEnumeration = (
  space: SpaceLayout,
  tools: GenomeTools,
  decode: (genome: MapspaceGenome) => MappingSpec,
): { readonly genomes: () => Generator<MapspaceGenome>; readonly enumerate: () => Generator<MappingSpec> } => {
  const { vectors, permSlots, splitLevels, bypassChoices } = space
  const { pickVectors, permCounts, splitCounts } = tools
  function* genomes(): Generator<MapspaceGenome> {
    const radices = vectors.map((v) => v.length)
    const factors = radices.map(() => 0)
    for (;;) {
      const vs = pickVectors(factors)
      const radix = [...permCounts(vs), ...splitCounts(vs), ...bypassChoices.map(() => 2)]
      const digits = radix.map(() => 0)
      for (;;) {
        const np = permSlots.length
        const ns = splitLevels.length
        yield {
          factors: smiArray(factors.length, (d) => factors[d] as number),
          permutations: smiArray(np, (j) => digits[j] as number),
          splits: smiArray(ns, (j) => digits[np + j] as number),
          bypass: smiArray(digits.length - np - ns, (j) => 1 - (digits[np + ns + j] as number)),
        }
        let i = digits.length - 1
        while (i >= 0 && (digits[i] as number) + 1 >= (radix[i] as number)) digits[i--] = 0
        if (i < 0) break
        digits[i] = (digits[i] as number) + 1
      }
      let d = factors.length - 1
      while (d >= 0 && (factors[d] as number) + 1 >= (radices[d] as number)) factors[d--] = 0
      if (d < 0) return
      factors[d] = (factors[d] as number) + 1
    }
  }
  function* enumerate(): Generator<MappingSpec> {
    for (const g of genomes()) yield decode(g)
  }
  return { genomes, enumerate }
}

/**
 * Phase 11 of {@link createMapspace}: the space as a prunable decision tree for exhaustive search
 * (factorisations, bypass bits, free splits, spatial orders, then temporal orders).
 */
export const createDecisionTree = (
  dims: readonly DimName[],
  space: SpaceLayout,
  tools: GenomeTools,
  decode: (genome: MapspaceGenome) => MappingSpec,
  check: (mapping: MappingSpec) => CheckResult,
  ordersMatter: (mapping: MappingSpec) => boolean,
): DesignTree<MappingSpec> => {
  const { slots, vectors, permSlots, splitLevels, bypassChoices } = space
  const { pickVectors, permCounts, splitCounts } = tools
  // Decisions: factorisation per dimension, bypass bits, free splits, spatial orders, then
  // temporal orders last, so one `admits` check after the spatial orders stands for every
  // temporal order of that subtree whenever orders cannot change the verdict.
  const nFactors = dims.length
  const nBypass = bypassChoices.length
  const nSplits = splitLevels.length
  const spatialPerms = permSlots.map((p, j) => (p.kind === 'spatial' ? j : -1)).filter((j) => j >= 0)
  const temporalPerms = permSlots.map((p, j) => (p.kind === 'temporal' ? j : -1)).filter((j) => j >= 0)
  const permOrder = [...spatialPerms, ...temporalPerms]
  const independentDepth = nFactors + nBypass + nSplits + spatialPerms.length
  const treeDepth = independentDepth + temporalPerms.length
  // The tree visits each dimension's factorisations most-spatial-first (larger product of its
  // spatial factors first, ties in generation order): more parallel mappings take fewer cycles, so
  // a depth-first walk meets good mappings early, while the set of leaves is unchanged. Only the
  // tree's order: genomes (sampling, encode) keep indexing `vectors` directly.
  const spatialSlots = slots.map((slot, si) => (slot.kind === 'spatial' ? si : -1)).filter((si) => si >= 0)
  const spatialProduct = (v: readonly number[]): number => spatialSlots.reduce((p, si) => p * (v[si] ?? 1), 1)
  const treeOrder = vectors.map((list) => list.map((_, i) => i).sort((a, b) => spatialProduct(list[b] as number[]) - spatialProduct(list[a] as number[]) || a - b))
  const treeFactors = (path: readonly number[]): number[] => smiArray(dims.length, (d) => (treeOrder[d] as number[])[path[d] ?? 0] ?? 0)
  const genomeAt = (path: readonly number[]): MapspaceGenome => {
    const permutations = smiArray(permSlots.length, () => 0)
    permOrder.forEach((j, k) => {
      permutations[j] = smi(path[nFactors + nBypass + nSplits + k] ?? 0)
    })
    return {
      factors: treeFactors(path),
      permutations,
      splits: smiArray(splitLevels.length, (j) => path[nFactors + nBypass + j] ?? 0),
      bypass: smiArray(bypassChoices.length, (j) => 1 - (path[nFactors + j] ?? 0)),
    }
  }
  let lastLeaf: { readonly path: readonly number[]; readonly mapping: MappingSpec } | null = null
  return {
    branches(prefix) {
      const at = prefix.length
      if (at >= treeDepth) return 0
      if (at < nFactors) return (vectors[at] as number[][]).length
      if (at < nFactors + nBypass) return 2
      const vs = pickVectors(treeFactors(prefix))
      if (at < nFactors + nBypass + nSplits) return splitCounts(vs)[at - nFactors - nBypass] as number
      return permCounts(vs)[permOrder[at - nFactors - nBypass - nSplits] as number] as number
    },
    leaf(path) {
      // The walk admits a full path just before asking for its leaf: reuse that decode.
      const last = lastLeaf
      if (last !== null && last.path.length === path.length && last.path.every((v, i) => v === path[i])) return last.mapping
      return decode(genomeAt(path))
    },
    admits(prefix) {
      if (prefix.length !== independentDepth && prefix.length !== treeDepth) return true
      const mapping = decode(genomeAt(prefix))
      if (prefix.length === treeDepth) lastLeaf = { path: [...prefix], mapping }
      if (prefix.length === independentDepth && prefix.length !== treeDepth && ordersMatter(mapping)) return true
      return check(mapping).ok
    },
  }
}

/**
 * Phase 9 of {@link createMapspace}: the cheap check with its verdict caches (mappings this space
 * decoded skip conformance and share verdicts across loop orders that cannot change them), and
 * whether a mapping's temporal orders can change its verdict.
 */
export const createSpaceCheck = (
  ctx: CheckContext,
  space: SpaceLayout,
  decoded: WeakMap<MappingSpec, MapspaceGenome>,
): { readonly check: (mapping: MappingSpec) => CheckResult; readonly ordersMatter: (mapping: MappingSpec) => boolean } => {
  const { formats, spatialSkips } = ctx
  const { permSlots } = space
  const fullCheck = createChecker(ctx)
  // Which verdicts are independent of temporal loop orders (Timeloop's linear-pruned relies on the
  // same fact): capacity and fan-out never read them; format ranks only with flattened ranks; the
  // spatial-skipping fan-out only when a skipped target is kept below its level (stationarity).
  const flattening = [...formats.values()].some((f) => f.ranks.some((r) => (r.flattenedRankIds?.length ?? 0) > 0))
  const ordersMatter = (mapping: MappingSpec): boolean =>
    flattening ||
    spatialSkips.some((skip) => mapping.levels.some((lm, i) => i > skip.level && !lm.bypass.includes(skip.target)))
  const memo = new Map<string, CheckResult>()
  const MEMO_LIMIT = 200_000
  // Verdicts by mapping object too: the exhaustive tree checks a leaf it then hands to the search,
  // whose evaluator checks the same object again.
  const verdictOf = new WeakMap<MappingSpec, CheckResult>()
  const check = (mapping: MappingSpec): CheckResult => {
    const seen = verdictOf.get(mapping)
    if (seen !== undefined) return seen
    const verdict = checkOnce(mapping)
    verdictOf.set(mapping, verdict)
    return verdict
  }
  const checkOnce = (mapping: MappingSpec): CheckResult => {
    const genome = decoded.get(mapping)
    if (genome === undefined) return fullCheck(mapping)
    const temporal = ordersMatter(mapping)
      ? genome.permutations.join(',')
      : permSlots.map((p, j) => (p.kind === 'spatial' ? genome.permutations[j] : 0)).join(',')
    const signature = `${genome.factors.join(',')}|${temporal}|${genome.splits.join(',')}|${genome.bypass.join(',')}`
    const known = memo.get(signature)
    if (known !== undefined) return known
    const verdict = fullCheck(mapping)
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(signature, verdict)
    return verdict
  }
  return { check, ordersMatter }
}

/**
 * Phase 10 of {@link createMapspace}: the search operators over genomes (random draws up to
 * `attempts` for a valid one, neighbours, crossover with repair on decode).
 */
export const createSearchOperators = (
  dims: readonly DimName[],
  space: SpaceLayout,
  tools: GenomeTools,
  decode: (genome: MapspaceGenome) => MappingSpec,
  encode: Mapspace['encode'],
  check: (mapping: MappingSpec) => CheckResult,
  attempts: number,
): Pick<Mapspace, 'sample' | 'sampleValid' | 'mutate' | 'crossover'> => {
  const { slots, vectors, permSlots, bypassChoices } = space
  const { vectorIndex, pickVectors, permCounts, splitCounts, freeDims } = tools
  const randomGenome = (rng: Rng): MapspaceGenome => {
    const factors = smiArray(vectors.length, (d) => rng.int((vectors[d] as number[][]).length))
    const vs = pickVectors(factors)
    const pc = permCounts(vs)
    const sc = splitCounts(vs)
    return {
      factors,
      permutations: smiArray(pc.length, (j) => rng.int(pc[j] as number)),
      splits: smiArray(sc.length, (j) => rng.int(sc[j] as number)),
      bypass: smiArray(bypassChoices.length, () => rng.int(2)),
    }
  }
  const sampleValid: Mapspace['sampleValid'] = (rng, tries = attempts) => {
    let last = ''
    for (let i = 0; i < Math.max(1, tries); i++) {
      const mapping = decode(randomGenome(rng))
      const verdict = check(mapping)
      if (verdict.ok) return { ok: true, mapping }
      last = `${verdict.kind} at ${verdict.level}: ${verdict.reason}`
    }
    return { ok: false, reason: `no valid mapping in ${Math.max(1, tries)} random draws (last: ${last})` }
  }
  const sample = (rng: Rng): MappingSpec => {
    let mapping = decode(randomGenome(rng))
    for (let i = 1; i < attempts && !check(mapping).ok; i++) mapping = decode(randomGenome(rng))
    return mapping
  }
  // `encode` remembers each mapping object's encoding (see createEncoder), so the parents a search
  // mutates and crosses many times are encoded once. The genome is only read here (mutate and
  // crossover copy it), so sharing it is safe.
  const genomeOf = (mapping: MappingSpec, rng: Rng): MapspaceGenome => {
    const e = encode(mapping)
    return e.ok ? e.genome : randomGenome(rng)
  }
  const mutate = (design: MappingSpec, rng: Rng): MappingSpec => {
    const g = genomeOf(design, rng)
    const factors = [...g.factors]
    const permutations = [...g.permutations]
    const splits = [...g.splits]
    const bypass = [...g.bypass]
    const vs = pickVectors(factors)
    const pc = permCounts(vs)
    const sc = splitCounts(vs)
    const moves: (() => boolean)[] = []
    const movableDims = dims.map((_, d) => d).filter((d) => (vectors[d] as number[][]).length > 1)
    if (movableDims.length > 0) {
      moves.push(() => {
        const d = movableDims[rng.int(movableDims.length)] as number
        const v = vs[d] as number[]
        const from = v.map((f, i) => (f > 1 ? i : -1)).filter((i) => i >= 0)
        for (let tries = 0; tries < 8 && from.length > 0 && slots.length > 1; tries++) {
          const a = from[rng.int(from.length)] as number
          const primes = primeFactors(v[a] as number)
          const p = primes[rng.int(primes.length)] as number
          let b = rng.int(slots.length - 1)
          if (b >= a) b++
          const w = [...v]
          w[a] = (w[a] as number) / p
          w[b] = (w[b] as number) * p
          const idx = vectorIndex(d).get(w.join(','))
          if (idx !== undefined) {
            factors[d] = smi(idx)
            return true
          }
        }
        const n = (vectors[d] as number[][]).length
        factors[d] = smi(mod((factors[d] as number) + 1 + rng.int(n - 1), n))
        return true
      })
    }
    const swappable = pc.map((n, i) => (n > 1 ? i : -1)).filter((i) => i >= 0)
    if (swappable.length > 0) {
      moves.push(() => {
        const j = swappable[rng.int(swappable.length)] as number
        const p = permSlots[j] as PermSlot
        const free = freeDims(vs, p)
        const order = nthPermutation(free, mod(permutations[j] as number, pc[j] as number))
        const a = rng.int(order.length)
        let b = rng.int(order.length - 1)
        if (b >= a) b++
        const tmp = order[a] as DimName
        order[a] = order[b] as DimName
        order[b] = tmp
        permutations[j] = smi(permutationRank(free, order))
        return true
      })
    }
    const splittable = sc.map((n, i) => (n > 1 ? i : -1)).filter((i) => i >= 0)
    if (splittable.length > 0) {
      moves.push(() => {
        const j = splittable[rng.int(splittable.length)] as number
        const n = sc[j] as number
        splits[j] = smi(mod((splits[j] as number) + 1 + rng.int(n - 1), n))
        return true
      })
    }
    if (bypass.length > 0) {
      moves.push(() => {
        const j = rng.int(bypass.length)
        bypass[j] = smi(1 - mod(bypass[j] as number, 2))
        return true
      })
    }
    if (moves.length === 0) return decode(g)
    ;(moves[rng.int(moves.length)] as () => boolean)()
    return decode({ factors, permutations, splits, bypass })
  }
  const crossover = (a: MappingSpec, b: MappingSpec, rng: Rng): MappingSpec => {
    const ga = genomeOf(a, rng)
    const gb = genomeOf(b, rng)
    const pick = (x: readonly number[], y: readonly number[]): number[] => smiArray(x.length, (i) => (rng.int(2) === 0 ? (x[i] as number) : (y[i] ?? (x[i] as number))))
    // Indices are reduced modulo the child's choice counts on decode: that is the repair step.
    return decode({
      factors: pick(ga.factors, gb.factors),
      permutations: pick(ga.permutations, gb.permutations),
      splits: pick(ga.splits, gb.splits),
      bypass: pick(ga.bypass, gb.bypass),
    })
  }
  return { sample, sampleValid, mutate, crossover }
}

/**
 * Phase 12 of {@link createMapspace}: every mapping of the space one small change away from a
 * mapping, in a fixed order, each once (by key): a factor of one dimension moved from one tiling
 * slot to another (a loop made non-trivial joins its level outermost, or first on X or last on Y), two
 * non-trivial loops of one level swapped (temporal, or spatial), another X/Y split of a 2-D
 * spatial level, one tensor's keep/bypass flipped at one level. Neighbours outside the space
 * (constraints, tilings the rules exclude) are left out; validity (`check`) is not filtered.
 */
export const createNeighbours = (
  dims: readonly DimName[],
  space: SpaceLayout,
  encode: Mapspace['encode'],
  decode: (genome: MapspaceGenome) => MappingSpec,
  key: (mapping: MappingSpec) => string,
): ((mapping: MappingSpec) => MappingSpec[]) => {
  const { slots, splitLevels, bypassChoices } = space
  const twoD = new Set(splitLevels.map((s) => s.level))
  return (mapping) => {
    const e = encode(mapping)
    if (!e.ok) return []
    const base = decode(e.genome)
    const at = base.levels
    const seen = new Set([key(base)])
    const out: MappingSpec[] = []
    const add = (i: number, lm: LevelMappingSpec, j = -1, other?: LevelMappingSpec): void => {
      const candidate = { levels: at.map((x, k) => (k === i ? lm : k === j && other !== undefined ? other : x)) }
      const g = encode(candidate)
      if (!g.ok) return
      const m = decode(g.genome)
      const k = key(m)
      if (seen.has(k)) return
      seen.add(k)
      out.push(m)
    }
    const factorAt = (slot: Slot, dim: DimName): number => {
      const lm = at[slot.level] as LevelMappingSpec
      return (slot.kind === 'temporal' ? lm.temporalFactors[dim] : lm.spatialFactors[dim]) ?? 1
    }
    const withFactor = (lm: LevelMappingSpec, kind: Slot['kind'], dim: DimName, f: number): LevelMappingSpec => {
      const field = kind === 'temporal' ? 'temporalFactors' : 'spatialFactors'
      const factors: Record<DimName, number> = { ...lm[field] }
      if (f > 1) factors[dim] = f
      else delete factors[dim]
      return { ...lm, [field]: factors }
    }
    // A factor (any divisor above 1) of one dimension from slot a to slot b; a loop made
    // non-trivial on a 2-D spatial level goes on X or on Y (both are neighbours).
    for (const dim of dims) {
      slots.forEach((a, ai) => {
        const fa = factorAt(a, dim)
        if (fa <= 1) return
        for (const f of divisors(fa)) {
          if (f === 1) continue
          slots.forEach((b, bi) => {
            if (bi === ai) return
            const fb = factorAt(b, dim)
            const from = withFactor(at[a.level] as LevelMappingSpec, a.kind, dim, fa / f)
            const into = (lm: LevelMappingSpec): LevelMappingSpec[] => {
              const moved = withFactor(lm, b.kind, dim, fb * f)
              if (b.kind !== 'spatial' || fb > 1 || !twoD.has(b.level)) return [moved]
              const rest = moved.spatialPermutation.filter((d) => d !== dim)
              return [{ ...moved, spatialPermutation: [...rest, dim] }, { ...moved, spatialPermutation: [dim, ...rest], spatialSplit: moved.spatialSplit + 1 }]
            }
            if (a.level === b.level) for (const lm of into(from)) add(a.level, lm)
            else for (const lm of into(at[b.level] as LevelMappingSpec)) add(a.level, from, b.level, lm)
          })
        }
      })
    }
    // Two non-trivial loops of one level swapped.
    at.forEach((lm, i) => {
      const swaps = (order: readonly DimName[], factors: Readonly<Record<DimName, number>>): DimName[][] => {
        const full = [...order, ...dims.filter((d) => !order.includes(d))]
        const idx = full.map((d, k) => ((factors[d] ?? 1) > 1 ? k : -1)).filter((k) => k >= 0)
        const result: DimName[][] = []
        for (let x = 0; x < idx.length; x++) {
          for (let y = x + 1; y < idx.length; y++) {
            const swapped = [...full]
            swapped[idx[x] as number] = full[idx[y] as number] as DimName
            swapped[idx[y] as number] = full[idx[x] as number] as DimName
            result.push(swapped)
          }
        }
        return result
      }
      for (const order of swaps(lm.temporalPermutation, lm.temporalFactors)) add(i, { ...lm, temporalPermutation: order })
      for (const order of swaps(lm.spatialPermutation, lm.spatialFactors)) add(i, { ...lm, spatialPermutation: order })
      // Another X/Y split of a 2-D spatial level (decoded mappings list non-trivial loops first).
      if (twoD.has(i)) {
        const n = lm.spatialPermutation.filter((d) => (lm.spatialFactors[d] ?? 1) > 1).length
        for (let split = 0; split <= n; split++) if (split !== lm.spatialSplit) add(i, { ...lm, spatialSplit: split })
      }
    })
    // One tensor kept or bypassed at one level.
    for (const c of bypassChoices) {
      const lm = at[c.level] as LevelMappingSpec
      const bypassed = lm.bypass.includes(c.tensor)
      const keep = bypassed ? [...lm.keep, c.tensor] : lm.keep.filter((t) => t !== c.tensor)
      const bypass = bypassed ? lm.bypass.filter((t) => t !== c.tensor) : [...lm.bypass, c.tensor]
      add(c.level, { ...lm, keep, bypass })
    }
    return out
  }
}

/**
 * The strata of a space: one bypass constraint per combination of the free keep/bypass choices of
 * the innermost storage level that has any (bit j of the combination's index keeps its j-th free
 * tensor). That level is the smallest: which tensors it keeps decides which tilings fit at all, so
 * a search rarely crosses from one combination to another, while outer levels' choices (large
 * buffers) are crossed freely and stay inside each stratum's search.
 */
const bypassStrata = (
  choices: readonly { readonly level: number; readonly tensor: TensorName }[],
  levels: readonly LevelInfo[],
  tensors: readonly TensorName[],
): ConstraintSpec[] => {
  const innermost = Math.max(-1, ...choices.map((c) => c.level))
  if (innermost < 0) return []
  const free = tensors.filter((t) => choices.some((c) => c.level === innermost && c.tensor === t))
  const out: ConstraintSpec[] = []
  for (let mask = 0; mask < 2 ** free.length; mask++) {
    const keep = free.filter((_, j) => ((mask >> j) & 1) === 1)
    out.push({
      target: (levels[innermost] as LevelInfo).name,
      source: 'mapspace',
      type: 'bypass',
      factors: {},
      permutation: null,
      split: null,
      keep,
      bypass: free.filter((t) => !keep.includes(t)),
      raw: {},
    })
  }
  return out
}

export const createMapspace = (input: MapspaceInput): Mapspace => {
  const ctx = resolveCheckContext(input)
  const dims = input.problem.dimensions
  const tensors = input.problem.dataSpaces.map((d) => d.name)
  const built = buildSpaceLayout(input, ctx)
  const tools = createGenomeTools(dims, built)
  const { decode, decoded } = createDecoder(dims, tensors, ctx, built, tools)
  const key = createKey(dims, tensors, ctx.levels, built)
  const encode = createEncoder(dims, ctx.levels, built, tools, decode, key, decoded)
  let sizeCache: MapspaceSize | null = null
  const size = (): MapspaceSize => (sizeCache ??= countSpace(dims, built))
  const { genomes, enumerate } = createEnumeration(built, tools, decode)
  const { check, ordersMatter } = createSpaceCheck(ctx, built, decoded)
  const { sample, sampleValid, mutate, crossover } = createSearchOperators(dims, built, tools, decode, encode, check, input.options?.sampleAttempts ?? 64)
  const tree = createDecisionTree(dims, built, tools, decode, check, ordersMatter)
  const neighbours = createNeighbours(dims, built, encode, decode, key)
  let strataCache: Mapspace[] | null = null
  // Each keep/bypass combination as its own space: a search started in one stays in that family of
  // tilings, which a search of the whole space rarely leaves once it has settled (see strata docs).
  const strata = (): Mapspace[] =>
    (strataCache ??= bypassStrata(built.bypassChoices, ctx.levels, tensors).map((fixed) =>
      createMapspace({ ...input, constraints: [...input.constraints, fixed] }),
    ))

  return {
    layout: built.layout,
    filtersFanout: ctx.filterFanout,
    tree,
    size,
    enumerate,
    genomes,
    sample,
    sampleValid,
    mutate,
    crossover,
    neighbours,
    strata,
    key,
    decode,
    encode,
    check,
  }
}

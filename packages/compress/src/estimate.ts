// Analytic estimates the engine ranks candidates with before any exact costing: the expected bits
// of a tile in a given format (Sparseloop's per-rank unit formulas, sparseloop-model.md §2), the
// per-access energies of a level read from the ERT, and a dense traffic estimate used when no
// baseline report gives access counts. None of this decides the result: the cost model does.
import { approximateProbabilityEmpty, emptinessApproximationOf, resolveDensityModelId, SnipSnapError } from '@snipsnap/core'
import type {
  ArchSpec,
  DataSpaceSpec,
  DensityModel,
  DensityModelInstance,
  DensitySpec,
  EnergyTableSpec,
  MappingSpec,
  ProblemSpec,
  StorageLevelSpec,
  TileQuery,
} from '@snipsnap/core'
import type { GroupFormat, RankGroup, WordBitsRule } from './formats'
import { resolveEnginePrimitives, type EngineVocabulary } from './primitives'
import { dimExtents, keepsTensor, tensorShape, tensorTileShape, type FormatSlot } from './slots'

/** Looks density models up by distribution id (a core `Registry<DensityModel>` fits). */
export interface DensityModelSource {
  has(id: string): boolean
  get(id: string): DensityModel
  /** The registered models (named in the error for an unknown id). */
  list?(): readonly DensityModel[]
}

/** P(tile empty) for one tensor, from a density model when one is given. */
export interface EmptinessEstimator {
  readonly density: number
  /** Where the numbers come from: the density model id, or the built-in approximation used. */
  readonly source: string
  probabilityEmpty(tile: TileQuery): number
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x)

/**
 * Builds the emptiness estimator of a tensor. With density models, its distribution id (or core's
 * alias of one, e.g. `fixed`) resolves through them and that model answers; an id they lack is a
 * `PLUGIN_NOT_FOUND` error naming it and the registered ones. Without density models, the id
 * resolves through core's built-in density models ({@link emptinessApproximationOf}) to the
 * approximation it is ranked by (only used to rank candidates; see `approximateProbabilityEmpty`).
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for a distribution id the given density models lack.
 */
export const createEmptinessEstimator = (input: {
  readonly problem: ProblemSpec
  readonly space: DataSpaceSpec
  readonly spec: DensitySpec | undefined
  readonly densityModels: DensityModelSource | undefined
}): EmptinessEstimator => {
  const density = input.spec?.density ?? 1
  const written = input.spec?.distribution ?? 'dense'
  const id = resolveDensityModelId(written)
  if (input.spec !== undefined && input.densityModels !== undefined && !input.densityModels.has(id)) {
    const known = input.densityModels.list?.().map((m) => m.id).join(', ')
    throw new SnipSnapError(
      'PLUGIN_NOT_FOUND',
      `unknown density model "${written}" for ${input.space.name}${known === undefined ? '' : `; registered: ${known || '(none)'}`}`,
      { path: ['problem', 'densities', input.space.name, 'distribution'] },
    )
  }
  if (input.spec !== undefined && input.densityModels?.has(id) === true) {
    const instance: DensityModelInstance = input.densityModels.get(id).create({
      density,
      tensorShape: tensorShape(input.problem, input.space),
      params: input.spec.params,
    })
    return { density, source: id, probabilityEmpty: (tile) => clamp01(instance.probabilityEmpty(tile)) }
  }
  const elements = (tile: TileQuery): number => tile.shape.reduce((p, s) => p * s, 1)
  const approximation = emptinessApproximationOf(id)
  return {
    density,
    source: `${id} (built-in ${approximation} approximation)`,
    probabilityEmpty: (tile) => approximateProbabilityEmpty(approximation, density, elements(tile)),
  }
}

/** Expected bits of one tile of a slot in a format. */
export interface TileBits {
  readonly dataBits: number
  readonly metadataBits: number
}

/**
 * Per slot, P(empty) of the coordinate sub-tile spanned by ranks[k..n), for k = 0..n (k = n is a
 * single element). Computed once per slot; every candidate's estimate reuses it.
 */
export const slotEmptiness = (
  problem: ProblemSpec,
  space: DataSpaceSpec,
  slot: FormatSlot,
  estimator: EmptinessEstimator,
): number[] => {
  const pe: number[] = []
  for (let k = 0; k <= slot.ranks.length; k++) {
    const shape = tensorTileShape(problem, space, dimExtents(slot.ranks.slice(k)))
    pe.push(estimator.probabilityEmpty({ shape }))
  }
  return pe
}

const NO_OPTIONS = Object.freeze({})

let defaultVocabulary: EngineVocabulary | null = null

/**
 * Expected data and metadata bits of one tile of `slot` stored in `groups`: each rank priced by its
 * primitive's Sparseloop units (metadata and payload units from fiber count, fiber shape and
 * emptiness; the innermost rank's payload is the data itself) and word widths. `null` groups =
 * uncompressed.
 * @see sparseloop-model.md §2, paper.md §3.2
 */
export const estimateTileBits = (input: {
  readonly slot: FormatSlot
  readonly groups: GroupFormat | null
  readonly emptiness: readonly number[]
  readonly density: number
  readonly level: StorageLevelSpec
  /** The primitives (default: Sparseloop's rank formats with the engine's word-width rule). */
  readonly vocabulary?: EngineVocabulary
}): TileBits =>
  tileBitsOf(
    input.slot,
    input.groups,
    input.emptiness,
    input.density,
    input.level,
    input.vocabulary ?? (defaultVocabulary ??= resolveEnginePrimitives(undefined, [], undefined)),
  )

type GroupWordBits = ReturnType<WordBitsRule>

/** Word widths per rule, primitive (without options), fiber shape and elements below (+ innermost flag). */
const wordBitsCache = new WeakMap<WordBitsRule, Map<string, Map<number, Map<number, GroupWordBits>>>>()
const WORD_BITS_CACHE_LIMIT = 20_000
let wordBitsCached = 0

/**
 * A word-width rule's answer for a group without options, memoised (rules are pure functions of
 * the primitive, the group's fiber shape, the elements below it and whether it is innermost; the
 * rank positions do not enter them). Spares the geometry and width objects of every candidate.
 */
const wordBitsMemo = (
  rule: WordBitsRule,
  prim: string,
  start: number,
  end: number,
  fiberShape: number,
  below: number,
  innermost: boolean,
): GroupWordBits => {
  let byPrim = wordBitsCache.get(rule)
  if (byPrim === undefined) wordBitsCache.set(rule, (byPrim = new Map()))
  let byShape = byPrim.get(prim)
  if (byShape === undefined) byPrim.set(prim, (byShape = new Map()))
  let byBelow = byShape.get(fiberShape)
  if (byBelow === undefined) byShape.set(fiberShape, (byBelow = new Map()))
  // below >= 1, so -below marks the innermost group apart.
  const key = innermost ? -below : below
  let bits = byBelow.get(key)
  if (bits === undefined) {
    bits = rule(prim, { start, end, fiberShape, below }, innermost, undefined)
    if (++wordBitsCached > WORD_BITS_CACHE_LIMIT) {
      byPrim.clear()
      wordBitsCached = 0
    } else byBelow.set(key, bits)
  }
  return bits
}

/**
 * {@link estimateTileBits} with positional arguments, for the engine's ranking (called for every
 * candidate format of every slot): no input object and no geometry array, each group's geometry
 * is computed as the loop reaches it. Same arithmetic in the same order, so the same bits.
 */
export const tileBitsOf = (
  slot: FormatSlot,
  groups: GroupFormat | null,
  emptiness: readonly number[],
  density: number,
  level: StorageLevelSpec,
  vocabulary: EngineVocabulary,
): TileBits => {
  const tile = slot.tileElements
  if (groups === null || groups.length === 0) return { dataBits: tile * level.wordBits, metadataBits: 0 }
  const ranks = slot.ranks
  const last = groups.length - 1
  let metadataBits = 0
  let fibers = 1
  let start = 0
  let compressed = false
  for (let q = 0; q <= last; q++) {
    const g = groups[q] as RankGroup
    const end = start + g.size
    let S = 1
    for (let i = start; i < end; i++) S *= ranks[i]?.fiberShape ?? 1
    let below = 1
    for (let i = end; i < ranks.length; i++) below *= ranks[i]?.fiberShape ?? 1
    const peCur = emptiness[start] ?? 0
    const peNext = emptiness[end] ?? 0
    const nf = fibers * (1 - peCur)
    const occupied = S * (1 - peNext)
    const units = vocabulary.units(g.prim, {
      maxFibers: fibers,
      fibers: nf,
      fiberShape: S,
      occupiedPerFiber: occupied,
      options: g.options ?? NO_OPTIONS,
      ceilPerFiber: true,
    })
    const innermost = q === last
    const bits = g.options === undefined && below > 0 ? wordBitsMemo(vocabulary.wordBits, g.prim, start, end, S, below, innermost) : vocabulary.wordBits(g.prim, { start, end, fiberShape: S, below }, innermost, g.options)
    metadataBits += units.metadata * bits.metadataWordBits + (innermost ? 0 : units.payload * bits.payloadWordBits)
    fibers *= S
    start = end
    if (!compressed && vocabulary.compressed(g.prim)) compressed = true
  }
  const dataWords = compressed ? tile * density : tile
  return { dataBits: dataWords * level.wordBits, metadataBits }
}

/** Per-access energies of a storage level (pJ per vector / metadata word access). */
export interface LevelEnergies {
  readonly readPJ: number
  readonly writePJ: number
  readonly metadataReadPJ: number
  readonly metadataWritePJ: number
  /** Where they come from (`ert` or `default`). */
  readonly source: 'ert' | 'default'
}

const lastPathElement = (name: string): string => (name.split('.').at(-1) ?? name).replace(/\[.*\]$/, '')

/**
 * Reads a level's data and metadata access energies from the ERT (max over argument entries,
 * Sparseloop's rule; first action found in the priority list). Missing table or actions give 1 pJ
 * per data access and 1 pJ per metadata access, flagged `default` (used only for ranking).
 */
export const levelEnergies = (table: EnergyTableSpec | null, level: StorageLevelSpec): LevelEnergies => {
  const entry = table?.entries.find((e) => lastPathElement(e.name) === level.name)
  const action = (names: readonly string[]): number | undefined => {
    for (const name of names) {
      const found = entry?.actions.filter((a) => a.name === name) ?? []
      if (found.length > 0) return Math.max(...found.map((a) => a.energyPJ))
    }
    return undefined
  }
  const read = action(['random_read', 'read', 'access'])
  const write = action(['random_fill', 'write', 'access'])
  const mdRead = action(['random_metadata_read', 'metadata_read'])
  const mdWrite = action(['random_metadata_fill', 'metadata_write'])
  if (read === undefined || write === undefined) {
    return { readPJ: 1, writePJ: 1, metadataReadPJ: 1, metadataWritePJ: 1, source: 'default' }
  }
  return {
    readPJ: read,
    writePJ: write,
    metadataReadPJ: mdRead ?? read,
    metadataWritePJ: mdWrite ?? write,
    source: 'ert',
  }
}

/** Scalar access counts of one tensor at one level (totals over instances). */
export interface Traffic {
  readonly reads: number
  readonly fills: number
  readonly updates: number
}

/**
 * A dense reuse estimate of every kept tensor's reads, fills and updates per level: a tile is
 * refetched once per iteration of the loops above its level, except the innermost run of loops
 * that do not index it (it stays resident). Reads are the child's fills (or the MACs for the
 * innermost keeper); read-write tensors get as many updates as reads. Approximate on purpose: it
 * only weighs candidates when no baseline report is available, and drives the test cost model.
 */
export const denseTraffic = (input: {
  readonly arch: ArchSpec
  readonly problem: ProblemSpec
  readonly mapping: MappingSpec
}): Record<string, Record<string, Traffic>> => {
  const { arch, problem, mapping } = input
  const levelMaps = arch.storage.map((s) => mapping.levels.find((l) => l.target === s.name))
  const loops = levelMaps.map((l) => {
    if (l === undefined) return [] as { dim: string; bound: number }[]
    const all = [...Object.entries(l.temporalFactors), ...Object.entries(l.spatialFactors)]
    const order = [...l.temporalPermutation].reverse()
    // Outer-first; dims missing from the permutation sit innermost.
    const sorted = [...all].sort((a, b) => {
      const ia = order.indexOf(a[0])
      const ib = order.indexOf(b[0])
      return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib)
    })
    return sorted.map(([dim, bound]) => ({ dim, bound })).filter((x) => x.bound > 1)
  })
  const macs = problem.dimensions.reduce((p, d) => p * (problem.bounds[d] ?? 1), 1)
  const out: Record<string, Record<string, Traffic>> = {}
  for (const s of arch.storage) out[s.name] = {}
  for (const space of problem.dataSpaces) {
    const dims = new Set(space.projection.flatMap((t) => t.map((x) => x.dim)))
    const keepers = arch.storage.map((s, i) => ({ s, i })).filter(({ i }) => keepsTensor(levelMaps[i], space.name))
    const fills = keepers.map(({ i }) => {
      const extents: Record<string, number> = {}
      for (let k = i; k < arch.storage.length; k++) {
        for (const l of loops[k] ?? []) extents[l.dim] = (extents[l.dim] ?? 1) * l.bound
      }
      const tile = tensorTileShape(problem, space, extents).reduce((p, x) => p * x, 1)
      if (i === 0) return 0
      const above = loops.slice(0, i).flat()
      let refetch = 1
      let stationary = true
      for (let k = above.length - 1; k >= 0; k--) {
        const l = above[k]
        if (l === undefined) continue
        if (stationary && !dims.has(l.dim)) continue
        stationary = false
        refetch *= l.bound
      }
      return tile * refetch
    })
    keepers.forEach(({ s }, k) => {
      const reads = k + 1 < keepers.length ? (fills[k + 1] ?? 0) : macs
      const table = out[s.name]
      if (table) table[space.name] = { reads, fills: fills[k] ?? 0, updates: space.readWrite ? reads : 0 }
    })
  }
  return out
}

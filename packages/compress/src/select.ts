// The adaptive compression engine. It derives the format slots of a design, costs the five fixed
// baselines (and the design's own formats) with the given cost model, scores every slot's
// importance from the best baseline's per-level, per-tensor report, ranks each slot's candidates
// with an analytic size-and-traffic estimate, and then runs a coordinate descent over the slots in
// order of importance, exactly costing only the top-K candidates of each. It starts from the best
// feasible fixed baseline and only accepts strict improvements, so its choice is never worse than
// any fixed baseline under the same cost model, by construction.
import { SnipSnapError } from '@snipsnap/core'
import type {
  CostModel,
  CostQuery,
  CostReport,
  CostReportValid,
  DesignSpec,
  FormatPrimitive,
  SparseOptimizationTargetSpec,
  SparseOptimizationsSpec,
  StorageLevelSpec,
  TensorFormatSpec,
  TensorName,
} from '@snipsnap/core'
import {
  baselineGroups,
  boundSpecText,
  enumerateGroupFormats,
  formatText,
  groupGeometry,
  groupsCompressed,
  groupsHaveMetadata,
  innermostEqualsU,
  rankAlphabet,
  specCompressed,
  specHasMetadata,
  specToGroups,
  toTensorFormatSpec,
  type BaselineName,
  type EnumerateOptions,
  type GroupFormat,
  type GroupGeometry,
  type RankGroup,
  type Segments,
  type TensorPlacement,
} from './formats'
import { optionsText, resolveEnginePrimitives, type EngineVocabulary } from './primitives'
import {
  createEmptinessEstimator,
  denseTraffic,
  tileBitsOf,
  levelEnergies,
  slotEmptiness,
  type DensityModelSource,
  type LevelEnergies,
  type Traffic,
} from './estimate'
import { resolveSelectOptions, type ResolvedSelectOptions, type SelectFormatsOptions } from './schema'
import { deriveTensorChains, type FormatSlot, type TensorChain } from './slots'

// ---------------------------------------------------------------- public result types

/**
 * Own-rank sequences of a slot with more than this many own ranks are bounded (see
 * {@link ownRankFormats}): a convolution's Inputs tile can have ten loops at one level, and every
 * sequence of ten ranks is millions of candidates.
 */
const MAX_FREE_OWN_RANKS = 4

/**
 * The candidate sequences for a slot's own ranks, used by the beam. Up to
 * {@link MAX_FREE_OWN_RANKS} own ranks: every sequence. Beyond that: the outer ranks stay `U`
 * (dense) and every sequence is tried on the innermost {@link MAX_FREE_OWN_RANKS}, plus each
 * primitive on all own ranks flattened into one (when flattening is allowed there).
 */
const ownRankFormats = (slot: FormatSlot, opts: EnumerateOptions): GroupFormat[] => {
  if (slot.ownRanks <= MAX_FREE_OWN_RANKS) return [...enumerateGroupFormats(slot, [slot.ownRanks], { ...opts, keepEquivalent: true })]
  const outer = slot.ownRanks - MAX_FREE_OWN_RANKS
  const inner: FormatSlot = { ...slot, ranks: slot.ranks.slice(outer), ownRanks: MAX_FREE_OWN_RANKS }
  const prefix: GroupFormat = Array.from({ length: outer }, () => ({ prim: 'U', size: 1 }))
  const out: GroupFormat[] = [...enumerateGroupFormats(inner, [MAX_FREE_OWN_RANKS], { ...opts, keepEquivalent: true })].map((g) => [...prefix, ...g])
  const dims = new Set(slot.ranks.slice(0, slot.ownRanks).map((r) => r.dim))
  const after = slot.ranks[slot.ownRanks]
  if (opts.flatten && (after === undefined || !dims.has(after.dim))) {
    const whole = groupGeometry(slot, [{ prim: 'U', size: slot.ownRanks }])[0] as GroupGeometry
    for (const group of rankAlphabet(slot, whole, opts.primitives, opts.vocabulary, opts.tensor)) out.push([group])
  }
  return out
}

/** The engine's choice for one tensor at one storage level. */
export interface FormatChoice {
  readonly tensor: TensorName
  readonly level: string
  /** The chosen format, or null for plain uncompressed storage (no metadata). */
  readonly format: TensorFormatSpec | null
  /** Readable form, e.g. `U(M)-B(K)`, `CP(M,K)`, `uncompressed`. */
  readonly text: string
  /** Expected data bits of one tile at this level (analytic estimate), null when not estimable. */
  readonly dataBits: number | null
  /** Expected metadata bits of one tile at this level (analytic estimate), null when not estimable. */
  readonly metadataBits: number | null
  /** Energy of this tensor at this level in the final design, from the cost model's report. */
  readonly energyPJ: number
  /** Importance score of the slot (share of memory energy × sparsity, plus capacity pressure). */
  readonly importance: number
  readonly reason: string
}

/** One fixed baseline (or the design's own formats) costed by the same cost model. */
export interface BaselineOutcome {
  readonly name: BaselineName | 'given'
  readonly feasible: boolean
  readonly objectivePJ: number | null
  readonly memoryEnergyPJ: number | null
  readonly energyPJ: number | null
  readonly reason: string | null
}

/** A successful selection. All numbers are finite; the object is plain JSON. */
export interface FormatSelectionValid {
  readonly valid: true
  readonly objective: 'memory-energy' | 'energy'
  /** The minimised quantity of the chosen design. */
  readonly objectivePJ: number
  /** Storage levels' energy (data and metadata accesses) of the chosen design. */
  readonly memoryEnergyPJ: number
  readonly energyPJ: number
  readonly cycles: number
  readonly choices: readonly FormatChoice[]
  /** The input's sparse optimizations with the chosen formats in place (SAFs untouched). */
  readonly sparseOptimizations: SparseOptimizationsSpec
  readonly baselines: readonly BaselineOutcome[]
  readonly given: BaselineOutcome | null
  /** Cheapest feasible fixed baseline, or null when none is feasible. */
  readonly bestFixedFormat: BaselineName | null
  /** Saving of the objective against the best fixed baseline in percent (≥ 0), null without one. */
  readonly savingVsBestFixedPct: number | null
  /** Distinct designs the cost model evaluated (baselines and given included, exhaustive excluded). */
  readonly candidatesCosted: number
  /** Candidates ranked analytically (never costed unless they made a slot's top-K). */
  readonly candidatesScored: number
  /** Candidates dropped before costing because they break a hardware rule (skipping, decompression). */
  readonly candidatesRejectedByHardware: number
  /** With `exhaustive`: the best objective over every combination of the candidate space. */
  readonly exhaustiveOptimumPJ?: number | null
  /** With `exhaustive`: the number of candidates it costed (joint: every combination of the space). */
  readonly exhaustiveCandidates?: number
  /** With `exhaustive`: which exhaustive search ran (see `SelectFormatsOptions.exhaustiveMode`). */
  readonly exhaustiveMode?: 'joint' | 'per-tensor'
  readonly notes: readonly string[]
}

/** No feasible format assignment was found (every baseline and candidate was rejected). */
export interface FormatSelectionInvalid {
  readonly valid: false
  readonly reason: string
  readonly baselines: readonly BaselineOutcome[]
  readonly candidatesCosted: number
}

export type FormatSelection = FormatSelectionValid | FormatSelectionInvalid

/** Memoises whole selections across calls (identical layers of a model are chosen once). */
export interface SelectionCache {
  get(key: string): FormatSelection | undefined
  set(key: string, value: FormatSelection): void
}

/** Creates an in-memory {@link SelectionCache}. */
export const createSelectionCache = (): SelectionCache => {
  const entries = new Map<string, FormatSelection>()
  return { get: (key) => entries.get(key), set: (key, value) => void entries.set(key, value) }
}

/** Inputs of {@link selectFormats}. */
export interface SelectFormatsInput<TOptions = void> {
  /** The design to choose formats for; its formats are the `given` candidate, its SAFs are kept. */
  readonly query: CostQuery
  readonly costModel: CostModel<TOptions>
  readonly costModelOptions?: TOptions
  /** Density models by distribution id (a core `Registry<DensityModel>` fits); used for ranking. */
  readonly densityModels?: DensityModelSource
  /**
   * The format primitives candidates are built from, normally `@snipsnap/format`'s registry with
   * any plug-ins (`registry.list()`): every symbol resolves through it, each primitive is priced by
   * its own contract (Sparseloop units, `defaultWordBits`) and placed where its `placementOptions`
   * allow (N:M only on a tensor's grouped dimension). Hand the cost model the same registry.
   * Without it, Sparseloop's six rank formats (core's `SPARSELOOP_RANK_FORMATS`) with the engine's
   * word-width rule (the same widths as the format package's built-ins).
   */
  readonly formatPrimitives?: readonly FormatPrimitive[]
  readonly cache?: SelectionCache
}

// ---------------------------------------------------------------- internal state

/** One level's format in a state: its groups when it lies in this package's space, and its spec. */
interface LevelEntry {
  readonly groups: GroupFormat | null
  /** The format as given (design or custom source); undefined = derived lazily from `groups`. */
  readonly raw: TensorFormatSpec | null | undefined
  /** '-' for no format (uncompressed). */
  readonly key: string
}

const NONE: LevelEntry = { groups: [], raw: null, key: '-' }

// A given format is judged by its written ranks: a dummy rank (fiber shape 1) still makes the
// tensor compressed at that level in Sparseloop, although it is dropped from the groups.
const entryCompressed = (e: LevelEntry, v: EngineVocabulary): boolean =>
  e.key !== '-' && (e.raw !== undefined ? specCompressed(e.raw, v) : groupsCompressed(e.groups ?? [], v))
const entryHasMetadata = (e: LevelEntry, v: EngineVocabulary): boolean =>
  e.key !== '-' && (e.raw !== undefined ? specHasMetadata(e.raw, v) : groupsHaveMetadata(e.groups ?? [], v))

// Group formats are keyed by one character per group (primitive with its options, and size), so a
// child level's key is a plain suffix slice of its parent's and thousands of candidates can be
// ranked without building their core specs. Each distinct primitive-with-options gets a code block
// of CODE_SPAN characters from '0' (48) when first seen; the no-format key '-' (45) never collides.
const CODE_SPAN = 40

/** The per-selection table of group codes. */
interface Codebook {
  key(groups: GroupFormat): string
  decode(key: string): RankGroup[]
  /** Every group is `U`. */
  allU(key: string): boolean
  /** Every group is compressed. */
  allCompressed(key: string): boolean
  /** The last group, as the innermost rank, equals `U` (e.g. `UOP`). */
  endsEquivalentToU(key: string): boolean
}

const createCodebook = (vocabulary: EngineVocabulary): Codebook => {
  const ids = new Map<string, number>()
  const entries: { prim: string; options: RankGroup['options'] }[] = []
  const isU: boolean[] = []
  const compressed: boolean[] = []
  const equalsU: boolean[] = []
  const idOf = (g: RankGroup): number => {
    const name = `${g.prim}[${optionsText(g.options)}]`
    let id = ids.get(name)
    if (id === undefined) {
      id = entries.length
      ids.set(name, id)
      entries.push({ prim: g.prim, options: g.options })
      isU.push(g.prim === 'U')
      compressed.push(vocabulary.compressed(g.prim))
      equalsU.push(innermostEqualsU(g, vocabulary))
    }
    return id
  }
  const idAt = (key: string, i: number): number => Math.floor((key.charCodeAt(i) - 48) / CODE_SPAN)
  return {
    key(groups) {
      let key = ''
      for (const g of groups) key += String.fromCharCode(48 + idOf(g) * CODE_SPAN + g.size)
      return key
    },
    decode(key) {
      const groups: RankGroup[] = []
      for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i) - 48
        const entry = entries[Math.floor(c / CODE_SPAN)] as (typeof entries)[number]
        groups.push(entry.options === undefined ? { prim: entry.prim, size: c % CODE_SPAN } : { prim: entry.prim, size: c % CODE_SPAN, options: entry.options })
      }
      return groups
    },
    allU(key) {
      for (let i = 0; i < key.length; i++) if (isU[idAt(key, i)] !== true) return false
      return true
    },
    allCompressed(key) {
      for (let i = 0; i < key.length; i++) if (compressed[idAt(key, i)] !== true) return false
      return true
    },
    endsEquivalentToU: (key) => key.length > 0 && equalsU[idAt(key, key.length - 1)] === true,
  }
}

// Candidates are built by the thousand and mostly never costed, so the core spec is made lazily.
const fromGroups = (book: Codebook, groups: GroupFormat): LevelEntry =>
  groups.length === 0 || groups.every((g) => g.prim === 'U') ? NONE : { groups, raw: undefined, key: book.key(groups) }

const fromSpec = (slot: FormatSlot, spec: TensorFormatSpec | null, v: EngineVocabulary): LevelEntry => {
  if (spec === null) return NONE
  const groups = specToGroups(slot, spec, v)
  return { groups, raw: spec, key: `raw:${JSON.stringify(spec)}` }
}

const specWith = (slot: FormatSlot, entry: LevelEntry, v: EngineVocabulary): TensorFormatSpec | null =>
  entry.raw !== undefined ? entry.raw : toTensorFormatSpec(slot, entry.groups ?? [], v)

/** Splits groups at `ranks` ranks from the top; null when a group straddles the cut. */
const splitGroups = (groups: GroupFormat, ranks: number): [RankGroup[], RankGroup[]] | null => {
  const head: RankGroup[] = []
  let seen = 0
  let index = 0
  while (seen < ranks && index < groups.length) {
    const g = groups[index] as RankGroup
    head.push(g)
    seen += g.size
    index++
  }
  if (seen !== ranks) return null
  return [head, groups.slice(index)]
}

/**
 * The format a level with `childRanks` ranks inherits from a parent format whose top `drop` ranks
 * are the parent's own. A child without ranks (a one-element tile) of a compressed parent keeps one
 * dummy rank of the parent's innermost primitive (a size-0 group, fiber shape 1): it stays
 * compressed, so the parent needs no decompression (as the Fig.15 designs write it).
 */
const inheritedGroups = (groups: GroupFormat, drop: number, childRanks: number, v: EngineVocabulary): GroupFormat | null => {
  if (groups.length === 0) return null
  const split = splitGroups(groups, drop)
  if (split === null) return null
  if (split[1].length > 0) return split[1]
  const last = groups[groups.length - 1]
  return childRanks === 0 && last !== undefined && v.compressed(last.prim) ? [{ ...last, size: 0 }] : null
}

/** Sparseloop's ordering rule: no uncompressed rank below a compressed one. */
const ordered = (groups: GroupFormat, v: EngineVocabulary): boolean => {
  let compressed = false
  for (const g of groups) {
    if (v.compressed(g.prim)) compressed = true
    else if (compressed) return false
  }
  return true
}

type State = readonly (readonly LevelEntry[])[]

interface Managed {
  readonly chain: TensorChain
  readonly density: number
  readonly segments: readonly Segments[]
  /** The tensor's density spec and ranks, for primitives whose placement depends on them. */
  readonly placement: TensorPlacement
  /** Per slot: P(empty) table, level spec, energies, traffic. */
  readonly slotInfo: readonly SlotInfo[]
}

interface SlotInfo {
  readonly slot: FormatSlot
  readonly level: StorageLevelSpec
  readonly emptiness: readonly number[]
  readonly energies: LevelEnergies
  traffic: Traffic
}

type Evaluation =
  | {
      readonly ok: true
      readonly objectivePJ: number
      readonly memoryEnergyPJ: number
      readonly energyPJ: number
      readonly report: CostReportValid
    }
  | { readonly ok: false; readonly reason: string; readonly hardware: boolean }

const memoryEnergy = (report: CostReportValid): number =>
  Object.values(report.levels).reduce((sum, level) => sum + (level.kind === 'storage' ? level.energyPJ : 0), 0)

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

// ---------------------------------------------------------------- the engine

/**
 * Chooses a compression format for every sparse tensor at every storage level that keeps it.
 *
 * Steps: (1) derive the format slots from the mapping (one rank per non-trivial loop at and below
 * the level); (2) cost the fixed baselines `uncompressed`, `bitmap`, `csr`, `coo`, `rle` and the
 * design's own formats; (3) score each slot's importance from the best baseline's report (its share
 * of memory energy, its sparsity and the level's capacity pressure); (4) per slot, rank every
 * candidate of the space analytically and cost only the top-K, in a coordinate descent from the best
 * baseline that accepts strict improvements only. Hence the result is never worse than any feasible
 * fixed baseline under the same cost model. Candidates that break a hardware rule (a compressed
 * level feeding an uncompressed child without `decompressionSupported`; a skipping SAF or compute
 * skipping conditioned on a tensor whose format has no metadata) are rejected before costing, and
 * an infeasible `CostReport` (capacity including metadata, unsupported ranks) rejects a candidate.
 *
 * @throws {SnipSnapError} INVALID_SPEC for bad options, densities outside [0, 1] or a mapping that
 *   does not match the problem; UNSUPPORTED_QUERY when the cost model does not support the query or
 *   the exhaustive space is above `exhaustiveCap`.
 * @example
 * const result = selectFormats({ query, costModel }, { topK: 3 })
 * if (result.valid) for (const c of result.choices) console.log(c.level, c.tensor, c.text)
 * @see paper.md §4 (design decision: importance-scored pruning), sparseloop-model.md §2, §3, §5
 */
export const selectFormats = <TOptions = void>(
  input: SelectFormatsInput<TOptions>,
  options: SelectFormatsOptions = {},
): FormatSelection => {
  const { opts: resolved, engine } = resolveEngineOptions(options, input.formatPrimitives)
  const { query, costModel, cache } = input
  const cacheKey =
    cache !== undefined && resolved.candidates === null
      ? JSON.stringify([
          engine.cacheKey,
          costModel.id,
          input.costModelOptions ?? null,
          // Names do not change costs: identical layers of a model share one entry.
          { ...query, problem: { ...query.problem, name: '' }, arch: { ...query.arch, name: '' } },
          { ...resolved, candidates: null },
        ])
      : null
  if (cacheKey !== null) {
    const hit = cache?.get(cacheKey)
    if (hit !== undefined) return hit
  }
  const result = runSelection(input, resolved, engine)
  if (cacheKey !== null) cache?.set(cacheKey, result)
  return result
}

const validateDensities = (query: CostQuery): void => {
  for (const [tensor, spec] of Object.entries(query.problem.densities)) {
    if (!Number.isFinite(spec.density) || spec.density < 0 || spec.density > 1) {
      throw new SnipSnapError('INVALID_SPEC', `density of ${tensor} must be in [0, 1] (got ${spec.density})`, {
        path: ['problem', 'densities', tensor, 'density'],
      })
    }
  }
}

/** What the named phases of a selection share: the query, the managed tensors and the vocabulary. */
interface SelectionContext {
  readonly query: CostQuery
  readonly managed: readonly Managed[]
  readonly engine: EngineVocabulary
  readonly specOf: (slot: FormatSlot, entry: LevelEntry) => TensorFormatSpec | null
}

/**
 * Phase "design": the sparse optimizations of a state, the input's targets with the managed
 * tensors' formats replaced (SAFs untouched), plus targets for levels that had none.
 */
const buildSparseOptimizationsOf = (ctx: SelectionContext, state: State): SparseOptimizationsSpec => {
  const { query, managed, specOf } = ctx
  const managedNames = new Set(managed.map((m) => m.chain.tensor))
  const perLevel = new Map<string, TensorFormatSpec[]>()
  managed.forEach((m, t) => {
    m.chain.slots.forEach((slot, j) => {
      const spec = specOf(slot, state[t]?.[j] ?? NONE)
      if (spec === null) return
      const list = perLevel.get(slot.level) ?? []
      list.push(spec)
      perLevel.set(slot.level, list)
    })
  })
  const targets: SparseOptimizationTargetSpec[] = query.sparseOptimizations.targets.map((target) => ({
    ...target,
    formats: [...target.formats.filter((f) => !managedNames.has(f.tensor)), ...(perLevel.get(target.level) ?? [])],
  }))
  for (const level of query.arch.storage) {
    const formats = perLevel.get(level.name)
    if (formats !== undefined && !targets.some((t) => t.level === level.name)) {
      targets.push({ level: level.name, formats, actionOptimizations: [], computeOptimizations: [] })
    }
  }
  return { targets }
}

/**
 * Phase "hardware rules": why a state breaks a hardware rule before any costing (a compressed
 * level feeding an uncompressed child that cannot decompress or compress back, metadata words
 * wider than the metadata storage, skipping conditioned on a format without metadata), or null.
 */
const hardwareViolationOf = (ctx: SelectionContext, state: State): string | null => {
  const { query, managed, engine, specOf } = ctx
  for (const [t, m] of managed.entries()) {
    const entries = state[t] ?? []
    for (const [j, info] of m.slotInfo.entries()) {
      const entry = entries[j] ?? NONE
      const child = entries[j + 1]
      if (entryCompressed(entry, engine) && child !== undefined && !entryCompressed(child, engine)) {
        // The child level decompresses on fill (and, for read-write tensors, compresses on
        // update), so the capability is the child's (Sparseloop counts decompression_count there).
        const childInfo = m.slotInfo[j + 1]
        if (childInfo !== undefined && !childInfo.level.decompressionSupported) {
          return `${childInfo.slot.level} cannot decompress ${m.chain.tensor} from ${info.slot.level} (decompressionSupported is false)`
        }
        if (childInfo !== undefined && m.chain.readWrite && !childInfo.level.compressionSupported) {
          return `${childInfo.slot.level} cannot compress ${m.chain.tensor} back into ${info.slot.level} (compressionSupported is false)`
        }
      }
    }
  }
  for (const [t, m] of managed.entries()) {
    for (const [j, info] of m.slotInfo.entries()) {
      const width = info.level.metadataStorageWidthBits
      const entry = state[t]?.[j] ?? NONE
      if (width === null || width <= 0 || entry.key === '-' || entry.raw !== undefined) continue
      const spec = specOf(info.slot, entry)
      const widest = Math.max(0, ...(spec?.ranks ?? []).map((r) => Math.max(r.metadataWordBits ?? 0, r.payloadWordBits ?? 0)))
      if (widest > width) {
        return `${info.slot.level}: ${m.chain.tensor}'s format needs ${widest}-bit metadata words, wider than the ${width}-bit metadata storage`
      }
    }
  }
  const skipping = new Set(['skipping', 'skipping-spatial', 'position-skipping'])
  for (const target of query.sparseOptimizations.targets) {
    for (const saf of target.actionOptimizations) {
      if (!skipping.has(saf.type)) continue
      for (const option of saf.options) {
        for (const condition of option.conditionOn) {
          const t = managed.findIndex((m) => m.chain.tensor === condition)
          const j = managed[t]?.chain.slots.findIndex((s) => s.level === target.level) ?? -1
          if (t < 0 || j < 0) continue
          if (!entryHasMetadata(state[t]?.[j] ?? NONE, engine)) {
            return `${target.level}: ${saf.type} of ${option.target} is conditioned on ${condition}, whose format there has no metadata`
          }
        }
      }
    }
    if (target.level === query.arch.compute.name && target.computeOptimizations.some((c) => c.type === 'skipping')) {
      for (const [t, m] of managed.entries()) {
        if (m.chain.readWrite) continue
        const last = m.chain.slots.length - 1
        if (!entryHasMetadata(state[t]?.[last] ?? NONE, engine)) {
          return `compute skipping needs metadata for ${m.chain.tensor} at its innermost level ${m.chain.slots[last]?.level ?? ''}`
        }
      }
    }
  }
  return null
}

/** Resolved options with the engine's alphabet in place of the requested primitives. */
type EngineOptions = ResolvedSelectOptions & { readonly primitives: readonly string[] }

const runSelection = <TOptions>(input: SelectFormatsInput<TOptions>, opts: EngineOptions, engine: EngineVocabulary): FormatSelection => {
  const { managed, notes } = prepareSelection(input, opts, engine)
  const ctx: SelectionContext = { query: input.query, managed, engine, specOf: (slot, entry) => specWith(slot, entry, engine) }
  const book = createCodebook(engine)
  const evaluator = createEvaluator(ctx, input, opts)
  const start = runBaselines(ctx, book, opts, evaluator)
  calibrateTraffic(managed, start.denseReport, notes)
  const estimator = createEstimator(ctx, book)
  const ranking = rankSlots(ctx, opts, estimator, start.reference)
  const moves = createCandidateMoves(ctx, book, opts, estimator)
  const descent = runDescent(ctx, opts, evaluator, estimator, ranking, moves, start)
  if (!descent.evaluation.ok) {
    return {
      valid: false,
      reason: `no feasible format assignment: ${descent.evaluation.reason}`,
      baselines: start.baselines,
      candidatesCosted: evaluator.stats.costed,
    }
  }
  const result = assembleResult(ctx, opts, { evaluator, start, estimator, ranking, moves, descent: { ...descent, evaluation: descent.evaluation }, notes })
  if (!opts.exhaustive) return result
  const exhaustive = runExhaustive(managed, opts, evaluator.evaluate, descent.state, engine, book, (m, keepEquivalent) =>
    enumerateOptionsOf(opts, engine, m, keepEquivalent),
  )
  return {
    ...result,
    exhaustiveOptimumPJ: exhaustive.optimumPJ,
    exhaustiveCandidates: exhaustive.candidates,
    exhaustiveMode: opts.exhaustiveMode,
  }
}

/** The enumeration options of a managed tensor under the engine's alphabet. */
const enumerateOptionsOf = (opts: EngineOptions, engine: EngineVocabulary, m: Managed, keepEquivalent: boolean): EnumerateOptions => ({
  primitives: opts.primitives,
  flatten: opts.flatten,
  vocabulary: engine,
  tensor: m.placement,
  keepEquivalent,
})

/**
 * Phase "prepare": validates the query and options against the cost model and derives the managed
 * tensors (chains, emptiness tables, level energies, dense traffic) with the notes they produce.
 */
const prepareSelection = <TOptions>(
  input: SelectFormatsInput<TOptions>,
  opts: EngineOptions,
  engine: EngineVocabulary,
): { managed: Managed[]; notes: string[] } => {
  const { query, costModel } = input
  validateDensities(query)
  if (opts.tensors !== null) {
    opts.tensors.forEach((t, i) => {
      if (!query.problem.dataSpaces.some((s) => s.name === t)) {
        throw new SnipSnapError('INVALID_SPEC', `unknown tensor "${t}"; the problem has ${query.problem.dataSpaces.map((s) => s.name).join(', ')}`, {
          path: ['options', 'tensors', i],
        })
      }
    })
  }
  if (!costModel.supports(query)) {
    throw new SnipSnapError('UNSUPPORTED_QUERY', `cost model "${costModel.id}" does not support this design`)
  }
  const chains = deriveTensorChains(query)
  const notes: string[] = [...engine.notes]
  const isManaged = (chain: TensorChain): boolean => {
    const density = query.problem.densities[chain.tensor]?.density ?? 1
    const wanted = opts.tensors === null ? density < 1 : opts.tensors.includes(chain.tensor)
    return wanted && chain.slots.some((s) => s.ranks.length > 0)
  }
  const traffic0 = denseTraffic(query)
  const managed: Managed[] = chains.filter(isManaged).map((chain) => {
    const space = query.problem.dataSpaces.find((s) => s.name === chain.tensor)
    if (space === undefined) throw new SnipSnapError('INTERNAL', `no data space ${chain.tensor}`)
    const spec = query.problem.densities[chain.tensor]
    const estimator = createEmptinessEstimator({ problem: query.problem, space, spec, densityModels: input.densityModels })
    if (!notes.some((n) => n.startsWith(`${chain.tensor}: density`))) {
      notes.push(`${chain.tensor}: density ${estimator.density}, emptiness from ${estimator.source}`)
    }
    const segments = chain.slots.map((_, i) => chain.slots.slice(i).map((s) => s.ownRanks))
    const slotInfo = chain.slots.map((slot): SlotInfo => {
      const level = query.arch.storage[slot.levelIndex] as StorageLevelSpec
      return {
        slot,
        level,
        emptiness: slotEmptiness(query.problem, space, slot, estimator),
        energies: levelEnergies(query.energyTable, level),
        traffic: traffic0[slot.level]?.[chain.tensor] ?? { reads: 0, fills: 0, updates: 0 },
      }
    })
    const placement: TensorPlacement = {
      tensorRanks: space.projection.map((terms) => terms.map((term) => term.dim)),
      distribution: spec?.distribution ?? 'dense',
      density: estimator.density,
      params: spec?.params ?? {},
    }
    return { chain, density: estimator.density, segments, placement, slotInfo }
  })
  return { managed, notes }
}

/** Counters of an evaluator: states sent to the cost model and states a hardware rule rejected. */
interface EvaluatorStats {
  costed: number
  rejectedByHardware: number
}

/** Costs states once each (memoised by their keys); see {@link createEvaluator}. */
interface Evaluator {
  readonly evaluate: (state: State) => Evaluation
  readonly stats: EvaluatorStats
}

const stateKey = (state: State): string => state.map((entries) => entries.map((e) => e.key).join('|')).join('#')

const objectiveOf = (e: Evaluation): number => (e.ok ? e.objectivePJ : Infinity)

const outcomeOf = (name: BaselineName | 'given', e: Evaluation): BaselineOutcome =>
  e.ok
    ? { name, feasible: true, objectivePJ: e.objectivePJ, memoryEnergyPJ: e.memoryEnergyPJ, energyPJ: e.energyPJ, reason: null }
    : { name, feasible: false, objectivePJ: null, memoryEnergyPJ: null, energyPJ: null, reason: e.reason }

/**
 * Phase "costing": an evaluator that rejects a state breaking a hardware rule before costing it,
 * otherwise asks the cost model (a throwing cost model rejects only that state) and scores the
 * report by the objective. Each state is evaluated once.
 */
const createEvaluator = <TOptions>(ctx: SelectionContext, input: SelectFormatsInput<TOptions>, opts: EngineOptions): Evaluator => {
  const { query, costModel } = input
  const memo = new Map<string, Evaluation>()
  const stats: EvaluatorStats = { costed: 0, rejectedByHardware: 0 }
  const evaluate = (state: State): Evaluation => {
    const key = stateKey(state)
    const known = memo.get(key)
    if (known !== undefined) return known
    let outcome: Evaluation
    const violation = hardwareViolationOf(ctx, state)
    if (violation !== null) {
      stats.rejectedByHardware++
      outcome = { ok: false, reason: violation, hardware: true }
    } else {
      stats.costed++
      let report: CostReport
      try {
        report = costModel.evaluate({ ...query, sparseOptimizations: buildSparseOptimizationsOf(ctx, state) }, input.costModelOptions as TOptions)
      } catch (error) {
        // A cost model should return infeasibility as a value; one that throws rejects only this candidate.
        report = { valid: false, kind: 'cost-model-error', reason: error instanceof Error ? error.message : String(error) }
      }
      if (!report.valid) {
        outcome = { ok: false, reason: `${report.kind}: ${report.reason}`, hardware: false }
      } else {
        const mem = memoryEnergy(report)
        const objective = opts.objective === 'memory-energy' ? mem : report.energyPJ
        outcome =
          Number.isFinite(objective) && Number.isFinite(report.energyPJ)
            ? { ok: true, objectivePJ: objective, memoryEnergyPJ: mem, energyPJ: report.energyPJ, report }
            : { ok: false, reason: `cost model "${costModel.id}" returned a non-finite energy`, hardware: false }
      }
    }
    memo.set(key, outcome)
    return outcome
  }
  return { evaluate, stats }
}

/** A costed state: the per-tensor level entries and their evaluation. */
interface Run {
  readonly state: State
  readonly evaluation: Evaluation
}

/** What phase "baselines" hands on: the fixed baselines, the given formats and the start point. */
interface BaselineStart {
  readonly baselines: BaselineOutcome[]
  readonly bestBaseline: (Run & { readonly name: BaselineName }) | null
  readonly givenRun: Run | null
  /** Where the descent starts: the best feasible of the baselines and the given formats. */
  readonly start: Run
  readonly startedFrom: string
  /** The start's report (importance is scored from it), or null when nothing was feasible. */
  readonly reference: CostReportValid | null
  /** The uncompressed baseline's report (access counts for ranking), or null when infeasible. */
  readonly denseReport: CostReportValid | null
}

/** The state of a fixed baseline: every managed tensor in that format, suffix-consistent. */
const baselineStateOf = (ctx: SelectionContext, book: Codebook, name: BaselineName): State =>
  ctx.managed.map((m) => {
    const top = m.chain.slots[0] as FormatSlot
    const topGroups = baselineGroups(name, top, m.segments[0] ?? [])
    return m.chain.slots.map((slot, j) => {
      // Every baseline is suffix-consistent; a rank-less child inherits a dummy rank.
      const groups =
        slot.ranks.length === 0 && topGroups !== null
          ? inheritedGroups(topGroups, top.ranks.length, 0, ctx.engine)
          : baselineGroups(name, slot, m.segments[j] ?? [])
      return groups === null ? NONE : fromGroups(book, groups)
    })
  })

/** The state of the design's own formats. */
const givenStateOf = (ctx: SelectionContext): State =>
  ctx.managed.map((m) =>
    m.chain.slots.map((slot) => {
      const target = ctx.query.sparseOptimizations.targets.find((t) => t.level === slot.level)
      return fromSpec(slot, target?.formats.find((f) => f.tensor === m.chain.tensor) ?? null, ctx.engine)
    }),
  )

/**
 * Phase "baselines": costs the fixed baselines (and the design's own formats when asked) and picks
 * the start of the descent: the best feasible of them, else the uncompressed state.
 */
const runBaselines = (ctx: SelectionContext, book: Codebook, opts: EngineOptions, evaluator: Evaluator): BaselineStart => {
  const { evaluate } = evaluator
  const baselineRuns = opts.baselines.map((name) => {
    const state = baselineStateOf(ctx, book, name)
    return { name, state, evaluation: evaluate(state) }
  })
  const givenState = givenStateOf(ctx)
  const givenRun = opts.includeGiven ? { state: givenState, evaluation: evaluate(givenState) } : null
  const baselines = baselineRuns.map((r) => outcomeOf(r.name, r.evaluation))
  const feasibleBaselines = baselineRuns.filter((r) => r.evaluation.ok)
  const bestBaseline = feasibleBaselines.reduce<(typeof baselineRuns)[number] | null>(
    (best, r) => (best === null || objectiveOf(r.evaluation) < objectiveOf(best.evaluation) ? r : best),
    null,
  )
  let current: State = bestBaseline?.state ?? baselineStateOf(ctx, book, 'uncompressed')
  let currentEval: Evaluation = bestBaseline?.evaluation ?? evaluate(current)
  let startedFrom = bestBaseline === null ? 'no feasible fixed baseline' : `best fixed baseline "${bestBaseline.name}"`
  if (givenRun !== null && givenRun.evaluation.ok && objectiveOf(givenRun.evaluation) < objectiveOf(currentEval)) {
    current = givenRun.state
    currentEval = givenRun.evaluation
    startedFrom = "the design's own formats"
  }
  const uncompressedRun = baselineRuns.find((r) => r.name === 'uncompressed')
  return {
    baselines,
    bestBaseline,
    givenRun,
    start: { state: current, evaluation: currentEval },
    startedFrom,
    reference: currentEval.ok ? currentEval.report : null,
    denseReport: uncompressedRun?.evaluation.ok === true ? uncompressedRun.evaluation.report : null,
  }
}

/**
 * Phase "traffic": replaces each slot's dense reuse estimate by the uncompressed baseline's
 * access counts (actual + gated + skipped) where that report exists, else notes the fallback.
 */
const calibrateTraffic = (managed: readonly Managed[], denseReport: CostReportValid | null, notes: string[]): void => {
  if (denseReport !== null) {
    for (const m of managed) {
      for (const info of m.slotInfo) {
        const t = denseReport.levels[info.slot.level]?.tensors[m.chain.tensor]
        if (t !== undefined) {
          const total = (c: { actual: number; gated: number; skipped: number }): number => c.actual + c.gated + c.skipped
          info.traffic = { reads: total(t.reads), fills: total(t.fills), updates: total(t.updates) }
        }
      }
    }
  } else {
    notes.push('access counts for ranking come from a dense reuse estimate (no feasible uncompressed baseline report)')
  }
}

/** The analytic estimate of one slot's format: energy, whether it fits, and its sizes. */
interface Estimate {
  readonly energy: number
  readonly fits: boolean
  readonly dataBits: number | null
  readonly metadataBits: number | null
}

/** Memoised analytic estimates per (tensor, slot), by level entry or by codebook key. */
interface Estimator {
  readonly estimate: (t: number, j: number, entry: LevelEntry) => Estimate
  readonly estimateKey: (t: number, j: number, key: string) => Estimate
}

/**
 * The analytic estimate of a slot's format: data and metadata words moved per access of the tile
 * (from the slot's traffic and the level's energies) and whether the tile fits the level.
 */
const estimateSlot = (m: Managed, info: SlotInfo, groups: GroupFormat, engine: EngineVocabulary): Estimate => {
  const bits = tileBitsOf(info.slot, groups, info.emptiness, m.density, info.level, engine)
  const tile = Math.max(1, info.slot.tileElements)
  const block = Math.max(1, info.level.blockSize)
  const mdWidth = info.level.metadataStorageWidthBits
  const mdAccesses = mdWidth === 0 ? 0 : bits.metadataBits / (mdWidth ?? info.level.wordBits)
  const dataAccesses = bits.dataBits / info.level.wordBits / block
  const e = info.energies
  const energy =
    (info.traffic.reads / tile) * (dataAccesses * e.readPJ + mdAccesses * e.metadataReadPJ) +
    ((info.traffic.fills + info.traffic.updates) / tile) * (dataAccesses * e.writePJ + mdAccesses * e.metadataWritePJ)
  const cap = info.level.capacityWords
  const mdCap = info.level.metadataStorageDepth !== null && mdWidth !== null && mdWidth > 0 ? info.level.metadataStorageDepth * mdWidth : null
  // Without a separate metadata store, metadata shares the data capacity.
  const words = (bits.dataBits + (mdCap === null ? bits.metadataBits : 0)) / info.level.wordBits
  const fits = (cap === null || words <= cap) && (mdCap === null || bits.metadataBits <= mdCap)
  return { energy, fits, dataBits: bits.dataBits, metadataBits: bits.metadataBits }
}

/** Phase "estimate": the memoised analytic estimator over the managed tensors' slots. */
const createEstimator = (ctx: SelectionContext, book: Codebook): Estimator => {
  const { managed, engine } = ctx
  const estimateMemo: Map<string, Estimate>[][] = managed.map((m) => m.chain.slots.map(() => new Map()))
  const estimate = (t: number, j: number, entry: LevelEntry): Estimate => {
    const memo = estimateMemo[t]?.[j] as Map<string, Estimate>
    const key = entry.key
    const known = memo.get(key)
    if (known !== undefined) return known
    const m = managed[t] as Managed
    const info = m.slotInfo[j] as SlotInfo
    const value: Estimate =
      entry.groups === null
        ? { energy: Number.MAX_VALUE, fits: true, dataBits: null, metadataBits: null }
        : estimateSlot(m, info, entry.groups, engine)
    memo.set(key, value)
    return value
  }
  const estimateKey = (t: number, j: number, key: string): Estimate => {
    const known = estimateMemo[t]?.[j]?.get(key)
    if (known !== undefined) return known
    return estimate(t, j, key === '-' ? NONE : { groups: book.decode(key), raw: undefined, key })
  }
  return { estimate, estimateKey }
}

/** A slot of a managed tensor with its importance for the descent. */
interface SlotRef {
  readonly t: number
  readonly j: number
  readonly importance: number
  readonly share: number | null
  readonly capacityPressure: number
}

/** What phase "ranking" hands on: the slots in search order and their costing budgets. */
interface SlotRanking {
  readonly slotRefs: readonly SlotRef[]
  /** Most important first; ties keep tensor and level order. */
  readonly order: readonly SlotRef[]
  readonly negligible: ReadonlySet<number>
  readonly hasSafs: boolean
  readonly budgetOf: (ref: SlotRef) => number
}

const queryHasSafs = (query: CostQuery): boolean =>
  query.sparseOptimizations.targets.some((t) => t.actionOptimizations.length > 0 || t.computeOptimizations.length > 0)

/** A tensor's share of the reference report's memory energy at one level (null without a report). */
const energyShare = (reference: CostReportValid | null, tensor: TensorName, level: string): number | null => {
  if (reference === null) return null
  const total = memoryEnergy(reference)
  const e = reference.levels[level]?.tensors[tensor]?.energyPJ
  return total > 0 && e !== undefined ? e / total : 0
}

/**
 * Tensors not searched beyond the baselines: without SAFs, memory energy is a sum over tensors, so
 * re-formatting a tensor can save at most its own memory energy. Tensors are taken smallest share
 * first while their summed share stays within `negligibleShare`, which bounds what is forgone
 * (up to capacity shared with other tensors). With SAFs, or when total energy is minimised, a
 * tensor's format changes other tensors' costs, so nothing is skipped.
 */
const negligibleTensorsOf = (
  managed: readonly Managed[],
  reference: CostReportValid | null,
  hasSafs: boolean,
  opts: Pick<EngineOptions, 'objective' | 'negligibleShare'>,
): Set<number> => {
  const skipped = new Set<number>()
  if (reference === null || hasSafs || opts.objective !== 'memory-energy' || opts.negligibleShare <= 0) return skipped
  if (!(memoryEnergy(reference) > 0)) return skipped
  const shares = managed.map((m, t) => ({
    t,
    share: m.chain.slots.reduce((sum, slot) => sum + (energyShare(reference, m.chain.tensor, slot.level) ?? 0), 0),
  }))
  shares.sort((a, b) => a.share - b.share || a.t - b.t)
  let summed = 0
  for (const { t, share: s } of shares) {
    if (summed + s > opts.negligibleShare) break
    summed += s
    skipped.add(t)
  }
  return skipped
}

/**
 * Phase "ranking": each slot's importance (its share of the reference's memory energy times its
 * sparsity, plus capacity pressure), the search order, the negligible tensors and the number of
 * candidates each slot may cost.
 */
const rankSlots = (ctx: SelectionContext, opts: EngineOptions, estimator: Estimator, reference: CostReportValid | null): SlotRanking => {
  const { managed, query } = ctx
  const hasSafs = queryHasSafs(query)
  const slotRefs: SlotRef[] = []
  managed.forEach((m, t) => {
    m.slotInfo.forEach((info, j) => {
      if (info.slot.ranks.length === 0) return
      const s = energyShare(reference, m.chain.tensor, info.slot.level)
      const dense = estimator.estimate(t, j, NONE)
      const capBits = info.level.capacityWords === null ? null : info.level.capacityWords * info.level.wordBits
      const capacityPressure = capBits === null || capBits === 0 ? 0 : Math.min(1, (dense.dataBits ?? 0) / capBits)
      const importance = (s ?? 1) * (1 - m.density) + 0.1 * capacityPressure
      slotRefs.push({ t, j, importance, share: s, capacityPressure })
    })
  })
  // Most important first; ties keep tensor and level order, so the order is deterministic.
  const order = [...slotRefs].sort((a, b) => b.importance - a.importance || a.t - b.t || a.j - b.j)
  const negligible = negligibleTensorsOf(managed, reference, hasSafs, opts)
  const budgetOf = (ref: SlotRef): number => {
    if (negligible.has(ref.t)) return 0
    if (ref.share === null) return opts.topK
    if (ref.share >= 0.05 || ref.capacityPressure >= 0.5) return opts.topK
    if (ref.share >= 0.005) return Math.max(1, Math.ceil(opts.topK / 2))
    return ref.share > 0 ? 1 : 0
  }
  return { slotRefs, order, negligible, hasSafs, budgetOf }
}

/**
 * The entries of a tensor after giving slot i the format `groups`: inner levels take its suffix,
 * outer levels keep their own ranks where the ordering rule allows and drop their format otherwise.
 */
const applyMove = (
  book: Codebook,
  engine: EngineVocabulary,
  entries: readonly LevelEntry[],
  m: Managed,
  i: number,
  groups: GroupFormat,
): LevelEntry[] => {
  const slots = m.chain.slots
  const ranksAt = (j: number): number => slots[j]?.ranks.length ?? 0
  const next: LevelEntry[] = [...entries]
  const moved = groups.length === 0 ? NONE : fromGroups(book, groups)
  next[i] = moved
  for (let j = i + 1; j < slots.length; j++) {
    const inherited = moved.groups === null ? null : inheritedGroups(moved.groups, ranksAt(i) - ranksAt(j), ranksAt(j), engine)
    next[j] = inherited === null ? NONE : fromGroups(book, inherited)
  }
  for (let j = i - 1; j >= 0; j--) {
    const cur = entries[j] ?? NONE
    if (cur.key === '-') continue
    if (moved.key === '-') {
      next[j] = cur.groups !== null && !groupsCompressed(cur.groups, engine) ? cur : NONE
      continue
    }
    const split = cur.groups === null ? null : splitGroups(cur.groups, ranksAt(j) - ranksAt(i))
    const combined = split === null ? null : [...split[0], ...(moved.groups ?? [])]
    next[j] = combined !== null && ordered(combined, engine) ? fromGroups(book, combined) : NONE
  }
  return next
}

const withTensor = (state: State, t: number, entries: readonly LevelEntry[]): State => state.map((e, k) => (k === t ? entries : e))

/** A ranked move: its estimated energy and fit, and how to build the tensor's entries. */
interface Move {
  readonly build: () => LevelEntry[]
  readonly energy: number
  readonly fits: boolean
}

/** Ranks the moves of a slot; `scored()` counts the candidate formats estimated for the beams. */
interface CandidateMoves {
  readonly movesOf: (state: State, t: number, i: number) => Move[]
  readonly scored: () => number
}

interface BeamEntry {
  readonly key: string
  readonly score: number
  readonly fits: boolean
}

/**
 * Phase "candidate ranking": the moves of a slot, best estimated first.
 *
 * The beam of a slot holds its best formats (over all its ranks, so including the inner levels'
 * suffixes) by the analytic estimate summed over this level and every inner level, built from the
 * innermost level outwards: each of the level's own-rank sequences is joined to each beam entry of
 * the child (or to no child format) under the ordering rule, and the best `beamWidth` survive.
 * It does not depend on the current assignment, so it is computed once per slot.
 *
 * The moves at slot i of tensor t are each beam format of the slot (with its suffixes forced onto
 * the inner levels and the outer levels' own ranks kept where the ordering rule allows), the
 * no-format move, and any plugged-in candidates. Only keys are built here; the level entries of a
 * move are made when it is actually costed.
 */
const createCandidateMoves = (ctx: SelectionContext, book: Codebook, opts: EngineOptions, estimator: Estimator): CandidateMoves => {
  const { managed, engine } = ctx
  const { estimate, estimateKey } = estimator
  let scored = 0
  const beamWidth = Math.max(32, 8 * opts.topK)
  // Per tensor, per slot (no string key built per lookup).
  const beams: (BeamEntry[] | undefined)[][] = managed.map(() => [])
  const beam = (t: number, i: number): BeamEntry[] => {
    const memo = beams[t] as (BeamEntry[] | undefined)[]
    const known = memo[i]
    if (known !== undefined) return known
    const m = managed[t] as Managed
    const slot = m.chain.slots[i] as FormatSlot
    const childRanks = m.chain.slots[i + 1]?.ranks.length ?? 0
    const children: BeamEntry[] = []
    let noneScore = 0
    let noneFits = true
    for (let j = i + 1; j < m.chain.slots.length; j++) {
      const e = estimate(t, j, NONE)
      noneScore += e.energy
      noneFits &&= e.fits
    }
    children.push({ key: '-', score: noneScore, fits: noneFits })
    if (i + 1 < m.chain.slots.length && childRanks > 0) children.push(...beam(t, i + 1))
    const uTail = book.key(Array.from({ length: childRanks }, () => ({ prim: 'U', size: 1 })))
    const out: (BeamEntry & { index: number })[] = []
    const seen = new Set<string>()
    const own = ownRankFormats(slot, enumerateOptionsOf(opts, engine, m, true))
    if (slot.ownRanks === 0) own.push([])
    for (const prefix of own) {
      const prefixKey = book.key(prefix)
      const prefixCompressed = groupsCompressed(prefix, engine)
      for (const child of children) {
        if (child.key !== '-' && prefixCompressed && !book.allCompressed(child.key)) continue
        if (child.key === '-' && prefixCompressed && childRanks > 0) continue
        const key = child.key === '-' ? prefixKey + uTail : prefixKey + child.key
        // Same skips as the full enumeration: all-U is no format, a UOP innermost rank equals U.
        if (key === '' || book.allU(key) || book.endsEquivalentToU(key)) continue
        if (seen.has(key)) continue
        seen.add(key)
        scored++
        const e = estimateKey(t, i, key)
        out.push({ key, score: e.energy + child.score, fits: e.fits && child.fits, index: out.length })
      }
    }
    out.sort((a, b) => Number(b.fits) - Number(a.fits) || a.score - b.score || a.index - b.index)
    const kept = out.slice(0, beamWidth).map(({ key, score, fits }) => ({ key, score, fits }))
    memo[i] = kept
    return kept
  }

  const movesOf = (state: State, t: number, i: number): Move[] => {
    const m = managed[t] as Managed
    const slots = m.chain.slots
    const slot = slots[i] as FormatSlot
    const entries = state[t] ?? []
    const ranksAt = (j: number): number => slots[j]?.ranks.length ?? 0
    const Ri = ranksAt(i)
    // Outer levels: what happens to them under a move.
    const outer = entries.slice(0, i).map((cur, j) => {
      if (cur.key === '-') return { kind: 'none' as const, keepOnNone: true, cur }
      const keepOnNone = cur.groups !== null && !groupsCompressed(cur.groups, engine)
      const split = cur.groups === null ? null : splitGroups(cur.groups, ranksAt(j) - Ri)
      if (split === null) return { kind: 'drop' as const, keepOnNone, cur }
      return { kind: 'prefix' as const, keepOnNone, cur, prefixKey: book.key(split[0]), prefixCompressed: groupsCompressed(split[0], engine) }
    })
    const seen = new Set<string>([entries.map((e) => e.key).join('|')])
    const moves: (Move & { index: number })[] = []
    const levelKeys: string[] = new Array<string>(slots.length)
    const rank = (build: () => LevelEntry[]): void => {
      const moveKey = levelKeys.join('|')
      if (seen.has(moveKey)) return
      seen.add(moveKey)
      let energy = 0
      let fits = true
      for (let j = 0; j < slots.length; j++) {
        const k = levelKeys[j] as string
        const e = k === (entries[j]?.key ?? '-') ? estimate(t, j, entries[j] ?? NONE) : estimateKey(t, j, k)
        energy += e.energy
        fits &&= e.fits
      }
      moves.push({ build, energy, fits, index: moves.length })
    }
    const consider = (groups: GroupFormat): void => {
      const key = groups.length === 0 || book.allU(book.key(groups)) ? '-' : book.key(groups)
      levelKeys[i] = key
      // Inner levels take the suffix covering their ranks.
      let g = 0
      let covered = 0
      for (let j = i + 1; j < slots.length; j++) {
        const offset = Ri - ranksAt(j)
        while (covered < offset && g < groups.length) covered += (groups[g++] as RankGroup).size
        let suffix = key === '-' || covered !== offset ? '' : key.slice(g)
        if (suffix === '' && key !== '-' && ranksAt(j) === 0 && book.allCompressed(key.slice(-1))) {
          suffix = book.key(inheritedGroups(groups, Ri, 0, engine) ?? [])
        }
        levelKeys[j] = suffix === '' || book.allU(suffix) ? '-' : suffix
      }
      for (let j = 0; j < i; j++) {
        const o = outer[j]
        if (o === undefined) continue
        if (key === '-') levelKeys[j] = o.keepOnNone ? o.cur.key : '-'
        else if (o.kind !== 'prefix') levelKeys[j] = '-'
        else levelKeys[j] = !o.prefixCompressed || book.allCompressed(key) ? o.prefixKey + key : '-'
      }
      rank(() => applyMove(book, engine, entries, m, i, groups))
    }
    consider([])
    for (const entry of beam(t, i)) consider(book.decode(entry.key))
    if (opts.candidates !== null) {
      for (const spec of opts.candidates(slot)) {
        const entry = fromSpec(slot, { ...spec, tensor: slot.tensor }, engine)
        for (let j = 0; j < slots.length; j++) levelKeys[j] = j === i ? entry.key : (entries[j]?.key ?? '-')
        const next = [...entries]
        next[i] = entry
        rank(() => next)
      }
    }
    // Likely-fitting first, then by estimated energy, then enumeration order (deterministic).
    moves.sort((a, b) => Number(b.fits) - Number(a.fits) || a.energy - b.energy || a.index - b.index)
    return moves
  }
  return { movesOf, scored: () => scored }
}

/** What phase "descent" hands on: the final state, its evaluation and each slot's reason. */
interface DescentResult {
  readonly state: State
  readonly evaluation: Evaluation
  /** Keyed `${t}:${j}`. */
  readonly reasons: ReadonlyMap<string, string>
}

const reasonKey = (t: number, j: number): string => `${t}:${j}`

/**
 * Phase "descent": coordinate descent over the slots in order of importance. At each slot the
 * ranked moves are costed up to the slot's budget (stopping at the first likely-fitting move the
 * estimate puts clearly above the current formats, unless SAFs hide savings from the estimate);
 * the best strict improvement is taken. Stops after a pass without improvement or `maxPasses`.
 */
const runDescent = (
  ctx: SelectionContext,
  opts: EngineOptions,
  evaluator: Evaluator,
  estimator: Estimator,
  ranking: SlotRanking,
  moves: CandidateMoves,
  start: Pick<BaselineStart, 'start' | 'startedFrom'>,
): DescentResult => {
  const { managed } = ctx
  const { order, budgetOf, negligible, hasSafs } = ranking
  const { startedFrom } = start
  let current = start.start.state
  let currentEval = start.start.evaluation
  const reasons = new Map<string, string>()
  for (let pass = 1; pass <= opts.maxPasses; pass++) {
    let improved = false
    for (const ref of order) {
      const budget = budgetOf(ref)
      const m = managed[ref.t] as Managed
      const slot = m.chain.slots[ref.j] as FormatSlot
      if (budget === 0) {
        if (pass === 1) {
          reasons.set(
            reasonKey(ref.t, ref.j),
            negligible.has(ref.t)
              ? `not searched: ${m.chain.tensor} carries a negligible share of memory energy (within negligibleShare ${pct(opts.negligibleShare)}), kept from ${startedFrom}`
              : `not searched: ${pct(ref.share ?? 0)} of memory energy`,
          )
        }
        continue
      }
      let best: Run | null = null
      let tried = 0
      // Moves the estimate puts clearly above the current formats are not worth a costing.
      const currentEstimate = (current[ref.t] ?? []).reduce((sum, entry, j) => sum + estimator.estimate(ref.t, j, entry).energy, 0)
      // SAF savings (gating, skipping) are invisible to the estimate, so with SAFs nothing is cut.
      const threshold = hasSafs ? Infinity : currentEstimate * (1 + opts.estimateSlack)
      let pruned = 0
      for (const move of moves.movesOf(current, ref.t, ref.j)) {
        if (tried >= budget) break
        if (move.fits && move.energy > threshold) {
          pruned++
          break
        }
        const state = withTensor(current, ref.t, move.build())
        const evaluation = evaluator.evaluate(state)
        if (!evaluation.ok && evaluation.hardware) continue
        tried++
        if (evaluation.ok && objectiveOf(evaluation) < objectiveOf(best?.evaluation ?? currentEval)) best = { state, evaluation }
      }
      if (best !== null && objectiveOf(best.evaluation) < objectiveOf(currentEval) * (1 - 1e-12)) {
        const before = objectiveOf(currentEval)
        const after = objectiveOf(best.evaluation)
        const saved = Number.isFinite(before) ? ` saves ${(before - after).toFixed(1)} pJ (${pct((before - after) / before)})` : ' is the first feasible choice'
        const previous = current[ref.t] ?? []
        const entries = best.state[ref.t] ?? []
        entries.forEach((e, k) => {
          if (e.key === previous[k]?.key) return
          reasons.set(
            reasonKey(ref.t, k),
            k === ref.j
              ? `importance ${ref.importance.toFixed(3)} (${ref.share === null ? 'share unknown' : `${pct(ref.share)} of memory energy`}, density ${m.density}); best of ${tried} costed candidates at pass ${pass}:${saved}`
              : `follows ${slot.level}'s choice at pass ${pass} (a compressed level's inner ranks must equal its child's format)`,
          )
        })
        current = best.state
        currentEval = best.evaluation
        improved = true
      } else if (pass === 1 && !reasons.has(reasonKey(ref.t, ref.j))) {
        reasons.set(
          reasonKey(ref.t, ref.j),
          `importance ${ref.importance.toFixed(3)} (${ref.share === null ? 'share unknown' : `${pct(ref.share)} of memory energy`}, density ${m.density}); kept from ${startedFrom}: ${
            tried === 0 && pruned > 0
              ? `no alternative is estimated within ${pct(opts.estimateSlack)} of it, none costed`
              : `none of ${tried} costed alternatives was cheaper`
          }`,
        )
      }
    }
    if (!improved) break
  }
  return { state: current, evaluation: currentEval, reasons }
}

/** The phases' outputs that the result is assembled from. */
interface AssemblyInput {
  readonly evaluator: Evaluator
  readonly start: BaselineStart
  readonly estimator: Estimator
  readonly ranking: SlotRanking
  readonly moves: CandidateMoves
  readonly descent: DescentResult & { readonly evaluation: Extract<Evaluation, { ok: true }> }
  readonly notes: readonly string[]
}

/**
 * Phase "result": the per-slot choices (format, text, sizes, energy, importance, reason), the
 * final design's sparse optimizations, the baselines and the saving against the best of them.
 */
const assembleResult = (ctx: SelectionContext, opts: EngineOptions, parts: AssemblyInput): FormatSelectionValid => {
  const { managed, specOf } = ctx
  const { evaluator, start, estimator, ranking, moves, descent, notes } = parts
  const finalEval = descent.evaluation
  const { bestBaseline, startedFrom } = start
  const bestFixed = bestBaseline === null ? null : objectiveOf(bestBaseline.evaluation)
  const choices: FormatChoice[] = []
  managed.forEach((m, t) => {
    m.chain.slots.forEach((slot, j) => {
      const entry = descent.state[t]?.[j] ?? NONE
      const ref = ranking.slotRefs.find((r) => r.t === t && r.j === j)
      const est = estimator.estimate(t, j, entry)
      choices.push({
        tensor: m.chain.tensor,
        level: slot.level,
        format: specOf(slot, entry),
        text: entry.raw !== undefined ? boundSpecText(slot, entry.raw) : formatText(slot, entry.groups),
        dataBits: est.dataBits,
        metadataBits: est.metadataBits,
        energyPJ: finalEval.report.levels[slot.level]?.tensors[m.chain.tensor]?.energyPJ ?? 0,
        importance: ref?.importance ?? 0,
        reason:
          slot.ranks.length === 0
            ? entry.key === '-'
              ? 'one-element tile: stored uncompressed'
              : `one-element tile: keeps one dummy rank of ${slot.parentLevel ?? 'its parent'}'s innermost primitive, so it needs no decompression`
            : (descent.reasons.get(reasonKey(t, j)) ?? `kept from ${startedFrom}`),
      })
    })
  })
  return {
    valid: true,
    objective: opts.objective,
    objectivePJ: finalEval.objectivePJ,
    memoryEnergyPJ: finalEval.memoryEnergyPJ,
    energyPJ: finalEval.energyPJ,
    cycles: finalEval.report.cycles,
    choices,
    sparseOptimizations: buildSparseOptimizationsOf(ctx, descent.state),
    baselines: start.baselines,
    given: start.givenRun === null ? null : outcomeOf('given', start.givenRun.evaluation),
    bestFixedFormat: bestBaseline?.name ?? null,
    savingVsBestFixedPct:
      bestFixed === null || bestFixed <= 0 ? null : Math.max(0, (100 * (bestFixed - finalEval.objectivePJ)) / bestFixed),
    candidatesCosted: evaluator.stats.costed,
    candidatesScored: moves.scored(),
    candidatesRejectedByHardware: evaluator.stats.rejectedByHardware,
    notes: [...notes],
  }
}

/**
 * Every combination of the candidate space: per tensor, every way to leave its outer levels
 * uncompressed and give the rest one format (split consistently into the inner levels), times the
 * other tensors' choices. Refuses above the cap before costing anything.
 */
const runExhaustive = (
  managed: readonly Managed[],
  opts: EngineOptions,
  evaluate: (state: State) => Evaluation,
  start: State,
  engine: EngineVocabulary,
  book: Codebook,
  enumerateOptions: (m: Managed, keepEquivalent: boolean) => EnumerateOptions,
): { optimumPJ: number | null; candidates: number } => {
  const perTensor = managed.map((m) => {
    const options: LevelEntry[][] = []
    const seen = new Set<string>()
    const add = (entries: LevelEntry[]): void => {
      const key = entries.map((e) => e.key).join('|')
      if (!seen.has(key)) {
        seen.add(key)
        options.push(entries)
      }
    }
    const slots = m.chain.slots
    add(slots.map(() => NONE))
    slots.forEach((slot, i) => {
      for (const groups of enumerateGroupFormats(slot, m.segments[i] ?? [], enumerateOptions(m, false))) {
        add(
          slots.map((s, j) => {
            if (j < i) return NONE
            const inherited = inheritedGroups(groups, slot.ranks.length - s.ranks.length, s.ranks.length, engine)
            return inherited === null ? NONE : fromGroups(book, inherited)
          }),
        )
      }
    })
    return options
  })
  if (opts.exhaustiveMode === 'per-tensor') {
    const sum = perTensor.reduce((p, o) => p + o.length, 0)
    if (sum > opts.exhaustiveCap) {
      throw new SnipSnapError(
        'UNSUPPORTED_QUERY',
        `per-tensor exhaustive space has ${sum} options (${perTensor.map((o, t) => `${managed[t]?.chain.tensor}: ${o.length}`).join(', ')}), above exhaustiveCap ${opts.exhaustiveCap}; raise options.exhaustiveCap or restrict options.primitives`,
        { path: ['options', 'exhaustiveCap'] },
      )
    }
    const keys = new Set<string>()
    const key = (state: State): string => state.map((e) => e.map((x) => x.key).join('|')).join('#')
    let state: State = start
    let best = evaluate(state)
    keys.add(key(state))
    for (let round = 0; round < 8; round++) {
      let changed = false
      perTensor.forEach((options, t) => {
        for (const entries of options) {
          const next = state.map((e, k) => (k === t ? entries : e))
          keys.add(key(next))
          const e = evaluate(next)
          if (e.ok && (!best.ok || e.objectivePJ < best.objectivePJ * (1 - 1e-12))) {
            best = e
            state = next
            changed = true
          }
        }
      })
      if (!changed) break
    }
    return { optimumPJ: best.ok ? best.objectivePJ : null, candidates: keys.size }
  }
  const total = perTensor.reduce((p, o) => p * o.length, 1)
  if (total > opts.exhaustiveCap) {
    throw new SnipSnapError(
      'UNSUPPORTED_QUERY',
      `exhaustive space has ${total} combinations (${perTensor.map((o, t) => `${managed[t]?.chain.tensor}: ${o.length}`).join(', ')}), above exhaustiveCap ${opts.exhaustiveCap}; raise options.exhaustiveCap, restrict options.primitives or use exhaustiveMode 'per-tensor'`,
      { path: ['options', 'exhaustiveCap'] },
    )
  }
  let optimum: number | null = null
  const digits = perTensor.map(() => 0)
  for (let n = 0; n < total; n++) {
    const state = perTensor.map((o, t) => o[digits[t] ?? 0] ?? [])
    const e = evaluate(state)
    if (e.ok && (optimum === null || e.objectivePJ < optimum)) optimum = e.objectivePJ
    for (let t = digits.length - 1; t >= 0; t--) {
      digits[t] = (digits[t] ?? 0) + 1
      if ((digits[t] ?? 0) < (perTensor[t]?.length ?? 1)) break
      digits[t] = 0
    }
  }
  return { optimumPJ: optimum, candidates: total }
}

/** Inputs of {@link optimizeFormats}: a whole design plus its collaborators. */
export interface OptimizeFormatsInput<TOptions = void> {
  /** The design; its mapping must be set (the engine chooses formats for a given mapping). */
  readonly design: Pick<DesignSpec, 'arch' | 'problem' | 'mapping' | 'sparseOptimizations' | 'energyTable'>
  readonly costModel: CostModel<TOptions>
  readonly costModelOptions?: TOptions
  readonly densityModels?: DensityModelSource
  /** Format primitives candidates are built from (see {@link SelectFormatsInput.formatPrimitives}). */
  readonly formatPrimitives?: readonly FormatPrimitive[]
  readonly options?: SelectFormatsOptions
  readonly cache?: SelectionCache
}

/**
 * Chooses formats for a design: the entry point for the CLI (`snipsnap formats optimize`) and the
 * explorer. Same semantics as {@link selectFormats}.
 * @throws {SnipSnapError} INVALID_SPEC when `design.mapping` is null, plus everything
 *   {@link selectFormats} throws.
 * @example
 * const result = optimizeFormats({ design, costModel: sparseloopCostModel, densityModels })
 */
export const optimizeFormats = <TOptions = void>(input: OptimizeFormatsInput<TOptions>): FormatSelection => {
  const { design } = input
  if (design.mapping === null) {
    throw new SnipSnapError('INVALID_SPEC', 'the design has no mapping; formats are chosen for a given mapping', {
      path: ['design', 'mapping'],
    })
  }
  const query: CostQuery = {
    arch: design.arch,
    problem: design.problem,
    mapping: design.mapping,
    sparseOptimizations: design.sparseOptimizations,
    energyTable: design.energyTable,
  }
  return selectFormats(
    {
      query,
      costModel: input.costModel,
      ...(input.costModelOptions === undefined ? {} : { costModelOptions: input.costModelOptions }),
      ...(input.densityModels === undefined ? {} : { densityModels: input.densityModels }),
      ...(input.formatPrimitives === undefined ? {} : { formatPrimitives: input.formatPrimitives }),
      ...(input.cache === undefined ? {} : { cache: input.cache }),
    },
    input.options ?? {},
  )
}

/**
 * The named phases of a selection, for their own tests only (not part of the package's entry
 * point): `runSelection` is prepare → costing → baselines → traffic → estimate → ranking →
 * candidate moves → descent → result.
 * @internal
 */
export const selectionPhases = {
  prepareSelection,
  createEvaluator,
  runBaselines,
  calibrateTraffic,
  createEstimator,
  rankSlots,
  createCandidateMoves,
  runDescent,
  assembleResult,
  createCodebook,
  specWith,
} as const

/** The engine options of a request, as `selectFormats` resolves them (for the phase tests). @internal */
export const resolveEngineOptions = (options: SelectFormatsOptions, formatPrimitives?: readonly FormatPrimitive[]): { opts: EngineOptions; engine: EngineVocabulary } => {
  const requested = resolveSelectOptions(options)
  const engine = resolveEnginePrimitives(requested.primitives ?? undefined, requested.baselines, formatPrimitives)
  return { opts: { ...requested, primitives: engine.alphabet }, engine }
}

// The format space of one slot: per-rank primitives with Sparseloop's ordering rule, optional
// flattening of a level's own ranks, the word-width rules, the fixed baselines and the readable
// text. A format is held internally as rank groups (a primitive over one or more adjacent slot
// ranks) and turned into a core `TensorFormatSpec` only when a design is built.
import { bindRanks } from '@snipsnap/core'
import type { PrimitiveOptions, RankFormatSpec, RankPlacement, TensorFormatSpec } from '@snipsnap/core'
import type { EngineVocabulary } from './primitives'
import { optionsText } from './primitives'
import type { FormatSlot } from './slots'

/**
 * A per-rank primitive's symbol as registered (`U`, `UOP`, `UB`, `CP`, `B`, `RLE`, `NM`, a
 * plug-in's). `U` is an uncompressed rank with no metadata (written as Sparseloop `UOP` with
 * `payload-word-bits: 0`).
 */
export type PrimitiveId = string

/** A primitive (with its options, if it takes any) applied to `size` adjacent slot ranks (size > 1 = flattened). */
export interface RankGroup {
  readonly prim: PrimitiveId
  readonly size: number
  /** The primitive's options (e.g. `{ n: 2, m: 4 }` for N:M); absent for primitives without parameters. */
  readonly options?: PrimitiveOptions
}

/** A format over a slot's ranks as rank groups, outermost first. */
export type GroupFormat = readonly RankGroup[]

/** The five fixed formats the engine always costs, each applied to every sparse tensor at every level. */
export type BaselineName = 'uncompressed' | 'bitmap' | 'csr' | 'coo' | 'rle'

export const BASELINES: readonly BaselineName[] = ['uncompressed', 'bitmap', 'csr', 'coo', 'rle']

/** Whether a group format stores compressed data (any compressed rank). */
export const groupsCompressed = (groups: GroupFormat, vocabulary: EngineVocabulary): boolean => groups.some((g) => vocabulary.compressed(g.prim))

/** Whether a group format carries coordinate metadata (needed to drive skipping). */
export const groupsHaveMetadata = (groups: GroupFormat, vocabulary: EngineVocabulary): boolean =>
  groups.some((g) => vocabulary.hasMetadata(g.prim, g.options))

/** Whether a core format carries coordinate metadata. @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unregistered symbol */
export const specHasMetadata = (spec: TensorFormatSpec | null, vocabulary: EngineVocabulary): boolean =>
  spec !== null && spec.ranks.some((r) => vocabulary.hasMetadata(r.format, r.options))

/** Whether a core format stores compressed data. @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unregistered symbol */
export const specCompressed = (spec: TensorFormatSpec | null, vocabulary: EngineVocabulary): boolean =>
  spec !== null && spec.ranks.some((r) => vocabulary.compressed(r.format))

/**
 * What the engine knows about a tensor when it asks a primitive where it may go (the rank-specific
 * part of a {@link RankPlacement} is added per rank group).
 */
export type TensorPlacement = Pick<RankPlacement, 'tensorRanks' | 'distribution' | 'density' | 'params'>

/** A tensor without a density spec: dense, no structure. */
export const DENSE_PLACEMENT: TensorPlacement = { tensorRanks: [], distribution: 'dense', density: 1, params: {} }

/** The placement of the rank group `geometry` of `slot`. */
export const rankPlacement = (slot: FormatSlot, geometry: GroupGeometry, tensor: TensorPlacement): RankPlacement => {
  const dims: string[] = []
  for (let i = geometry.start; i < geometry.end; i++) dims.push(slot.ranks[i]?.dim ?? '')
  return { ...tensor, dims, fiberShape: geometry.fiberShape, innermost: geometry.end >= slot.ranks.length }
}

/**
 * Segment lengths of a slot: the slot's own ranks, then each inner keeper's own ranks. Groups
 * never straddle a segment, so a parent's format always splits into its child's format.
 */
export type Segments = readonly number[]

/** Where each group starts (rank index) and its fiber shape and the elements below it. */
export interface GroupGeometry {
  readonly start: number
  readonly end: number
  readonly fiberShape: number
  /** Elements under one coordinate of this group (product of the inner ranks' shapes). */
  readonly below: number
}

export const groupGeometry = (slot: FormatSlot, groups: GroupFormat): GroupGeometry[] => {
  const out: GroupGeometry[] = []
  let start = 0
  for (const g of groups) {
    const end = start + g.size
    let fiberShape = 1
    for (let i = start; i < end; i++) fiberShape *= slot.ranks[i]?.fiberShape ?? 1
    let below = 1
    for (let i = end; i < slot.ranks.length; i++) below *= slot.ranks[i]?.fiberShape ?? 1
    out.push({ start, end, fiberShape, below })
    start = end
  }
  return out
}

/**
 * Word widths of one rank group: the engine's rule, or one read from format primitives. A pure
 * function of the primitive, the group's fiber shape, the elements below it, whether it is innermost
 * and the options (the engine memoises its answers for groups without options).
 */
export type WordBitsRule = (
  prim: PrimitiveId,
  geometry: GroupGeometry,
  innermost: boolean,
  options?: PrimitiveOptions,
) => { metadataWordBits: number; payloadWordBits: number }

/** Dims of a group in order of first appearance. */
const groupDims = (slot: FormatSlot, geometry: GroupGeometry): string[] => {
  const dims: string[] = []
  for (let i = geometry.start; i < geometry.end; i++) {
    const dim = slot.ranks[i]?.dim
    if (dim !== undefined && !dims.includes(dim)) dims.push(dim)
  }
  return dims
}

/**
 * Turns rank groups into a core format (outer-to-inner, one rank per group), or null for a format
 * without any metadata (plain uncompressed storage, Sparseloop's default).
 */
export const toTensorFormatSpec = (slot: FormatSlot, groups: GroupFormat, vocabulary: EngineVocabulary): TensorFormatSpec | null => {
  if (groups.length === 0 || groups.every((g) => g.prim === 'U')) return null
  const geometry = groupGeometry(slot, groups)
  // `U` is written as Timeloop's UOP with 0-bit payloads when the set has UOP (as Sparseloop writes it).
  const uSymbol = vocabulary.table.has('UOP') ? 'UOP' : 'U'
  const ranks = groups.map((g, q): RankFormatSpec => {
    const geo = geometry[q] as GroupGeometry
    const bits = vocabulary.wordBits(g.prim, geo, q === groups.length - 1, g.options)
    return {
      format: g.prim === 'U' ? uSymbol : g.prim,
      metadataWordBits: g.prim === 'U' ? 0 : bits.metadataWordBits,
      payloadWordBits: g.prim === 'U' ? 0 : bits.payloadWordBits,
      flattenedRankIds: g.size > 1 ? [groupDims(slot, geo)] : null,
      ...(g.options === undefined ? {} : { options: g.options }),
    }
  })
  return { tensor: slot.tensor, rankApplicationOrder: 'outer-to-inner', ranks }
}

/**
 * Readable text of a format, outer rank first: `U(M)-B(K)`, flattened ranks `CP(M,K)`; a dim that
 * appears in several ranks carries its fiber shape (`UOP(K4)-B(K32)`). `uncompressed` for none.
 */
export const formatText = (slot: FormatSlot, groups: GroupFormat | null): string => {
  if (groups === null || groups.length === 0 || groups.every((g) => g.prim === 'U')) return 'uncompressed'
  const counts = new Map<string, number>()
  for (const r of slot.ranks) counts.set(r.dim, (counts.get(r.dim) ?? 0) + 1)
  return groupGeometry(slot, groups)
    .map((geo, q) => {
      const parts: string[] = []
      for (let i = geo.start; i < geo.end; i++) {
        const rank = slot.ranks[i]
        if (rank === undefined) continue
        parts.push((counts.get(rank.dim) ?? 0) > 1 ? `${rank.dim}${rank.fiberShape}` : rank.dim)
      }
      // A dummy rank (one-element tile) shows its fiber shape; options follow in brackets.
      const options = optionsText(groups[q]?.options)
      return `${groups[q]?.prim ?? '?'}(${parts.length === 0 ? '1' : parts.join(',')})${options === '' ? '' : `[${options}]`}`
    })
    .join('-')
}

/** Readable text of any core format (used for formats the design already had). */
export const specText = (spec: TensorFormatSpec | null): string =>
  spec === null
    ? 'uncompressed'
    : spec.ranks
        .map((r) => {
          const prim = r.format === 'UOP' && r.payloadWordBits === 0 ? 'U' : r.format
          const options = optionsText(r.options)
          return `${r.flattenedRankIds ? `${prim}(${r.flattenedRankIds.flat().join(',')})` : prim}${options === '' ? '' : `[${options}]`}`
        })
        .join('-')

/**
 * A slot's groupings: each segment of 2+ ranks may be flattened into one rank when Sparseloop's
 * absorbing rule binds it unambiguously (the rank after it iterates a dim outside the group).
 */
export const groupings = (slot: FormatSlot, segments: Segments, allowFlatten: boolean): number[][] => {
  let options: number[][] = [[]]
  let start = 0
  for (const length of segments) {
    const single = Array.from({ length }, () => 1)
    const next: number[][] = []
    const dims = new Set(slot.ranks.slice(start, start + length).map((r) => r.dim))
    const after = slot.ranks[start + length]
    const flattenable = allowFlatten && length > 1 && (after === undefined || !dims.has(after.dim))
    for (const prefix of options) {
      next.push([...prefix, ...single])
      if (flattenable) next.push([...prefix, length])
    }
    options = next
    start += length
  }
  return options.map((sizes) => sizes.filter((s) => s > 0))
}

/** What {@link enumerateGroupFormats} draws candidates from. */
export interface EnumerateOptions {
  /** Symbols of the candidate space (a subset of `vocabulary.alphabet`), uncompressed ones first. */
  readonly primitives: readonly PrimitiveId[]
  readonly flatten: boolean
  readonly vocabulary: EngineVocabulary
  /** The tensor's density spec, for primitives whose placement depends on it (default: dense). */
  readonly tensor?: TensorPlacement
  /** Keep all-`U` and `UOP`-innermost sequences (for prefixes that a child's ranks will follow). */
  readonly keepEquivalent?: boolean
}

/**
 * The rank groups a primitive set offers at one rank group of a slot: every symbol of
 * `primitives` with each option set its primitive accepts there (none for a primitive that cannot
 * go there, e.g. N:M away from the tensor's grouped dimension).
 */
export const rankAlphabet = (
  slot: FormatSlot,
  geometry: GroupGeometry,
  primitives: readonly PrimitiveId[],
  vocabulary: EngineVocabulary,
  tensor: TensorPlacement = DENSE_PLACEMENT,
): RankGroup[] => {
  const size = geometry.end - geometry.start
  const out: RankGroup[] = []
  let placement: RankPlacement | null = null
  for (const prim of primitives) {
    for (const options of vocabulary.variants(prim, (placement ??= rankPlacement(slot, geometry, tensor)))) {
      out.push(options === undefined ? { prim, size } : { prim, size, options })
    }
  }
  return out
}

/**
 * Whether an innermost rank of this group equals `U`: an uncompressed rank without metadata (UOP)
 * stores only offsets, and the innermost rank's offsets are the data's positions.
 */
export const innermostEqualsU = (g: RankGroup, vocabulary: EngineVocabulary): boolean =>
  g.prim !== 'U' && !vocabulary.compressed(g.prim) && !vocabulary.hasMetadata(g.prim, g.options)

/**
 * Enumerates the candidate formats of a slot in a fixed order: for each grouping, an uncompressed
 * prefix followed by a compressed suffix (Sparseloop's "compressed ranks must be inner" rule), each
 * rank drawn from the primitives that may go there ({@link rankAlphabet}). Formats equivalent to
 * another one are skipped: all-`U` (= uncompressed) and an uncompressed metadata-free innermost
 * rank such as `UOP` (its payload is the data, so it equals `U`).
 */
export function* enumerateGroupFormats(slot: FormatSlot, segments: Segments, options: EnumerateOptions): Generator<GroupFormat> {
  const { vocabulary } = options
  const uncompressed = options.primitives.filter((p) => !vocabulary.compressed(p))
  const compressed = options.primitives.filter((p) => vocabulary.compressed(p))
  for (const sizes of groupings(slot, segments, options.flatten)) {
    const g = sizes.length
    const geometry = groupGeometry(slot, sizes.map((size) => ({ prim: 'U', size })))
    const alphabetsOf = new Map<boolean, RankGroup[][]>()
    const alphabetAt = (q: number, isCompressed: boolean): RankGroup[] => {
      let perQ = alphabetsOf.get(isCompressed)
      if (perQ === undefined) alphabetsOf.set(isCompressed, (perQ = []))
      return (perQ[q] ??= rankAlphabet(slot, geometry[q] as GroupGeometry, isCompressed ? compressed : uncompressed, vocabulary, options.tensor))
    }
    for (let j = g; j >= 0; j--) {
      // j groups uncompressed (outer), g - j compressed (inner); mixed-radix count, last digit fastest.
      const alphabets = sizes.map((_, q) => alphabetAt(q, q >= j))
      if (g === 0 || alphabets.some((a) => a.length === 0)) continue
      const digits = sizes.map(() => 0)
      for (;;) {
        const groups = digits.map((d, q) => alphabets[q]?.[d] as RankGroup)
        const last = groups[g - 1] as RankGroup
        if (options.keepEquivalent === true || (!groups.every((x) => x.prim === 'U') && !innermostEqualsU(last, vocabulary))) {
          yield groups
        }
        let q = g - 1
        while (q >= 0) {
          digits[q] = (digits[q] ?? 0) + 1
          if ((digits[q] ?? 0) < (alphabets[q]?.length ?? 0)) break
          digits[q] = 0
          q--
        }
        if (q < 0) break
      }
    }
  }
}

/**
 * A fixed baseline's format on a slot with `n` ranks (null = no format, plain uncompressed):
 * - `uncompressed`: no format at any level (Sparseloop's default: data stored densely, no metadata);
 * - `bitmap`: `U` on every rank but the innermost, `B` on the innermost: one mask bit per element of
 *   the tile (the same bits as one B rank over the flattened tile);
 * - `csr`: `U` on the outer ranks, `UOP` (row offsets) on the second-innermost rank and `CP`
 *   (column coordinates) on the innermost; a one-rank slot gets `CP`;
 * - `coo`: one `CP` rank per level segment, flattened over that segment's loops (coordinates of
 *   ⌈log2(segment elements)⌉ bits; at the innermost level this is a plain coordinate list of the
 *   tile), `CP` per rank where flattening would be ambiguous;
 * - `rle`: `U` on the outer ranks, `RLE` (runs of ⌈log2 S⌉ bits) on the innermost.
 * Each is suffix-consistent, so the same baseline at a parent and its child satisfies pre-tiling.
 */
export const baselineGroups = (name: BaselineName, slot: FormatSlot, segments: Segments): GroupFormat | null => {
  const n = slot.ranks.length
  if (n === 0 || name === 'uncompressed') return null
  const outer = (count: number): RankGroup[] => Array.from({ length: count }, () => ({ prim: 'U' as const, size: 1 }))
  switch (name) {
    case 'bitmap':
      return [...outer(n - 1), { prim: 'B', size: 1 }]
    case 'rle':
      return [...outer(n - 1), { prim: 'RLE', size: 1 }]
    case 'csr':
      return n === 1 ? [{ prim: 'CP', size: 1 }] : [...outer(n - 2), { prim: 'UOP', size: 1 }, { prim: 'CP', size: 1 }]
    case 'coo': {
      const flat = groupings(slot, segments, true).at(-1) ?? []
      return flat.map((size) => ({ prim: 'CP' as const, size }))
    }
  }
}

/** A core format bound to a slot's ranks: per format rank, its primitive and the slot ranks it covers. */
export interface SlotBoundRank {
  readonly format: string
  readonly metadataWordBits: number | null
  readonly payloadWordBits: number | null
  readonly options?: PrimitiveOptions
  /** Slot rank indices [start, end); start === end for a dummy rank (fiber shape 1). */
  readonly start: number
  readonly end: number
}

/**
 * Binds a core format to a slot's ranks with core's one rank binder ({@link bindRanks}, Sparseloop's
 * rules, sparseloop-model.md §3): ranks are applied outer-to-inner (or inner-to-outer), each takes
 * the next loop, a rank with a `flattenedRankIds` rule absorbs the adjacent loops whose dims are in
 * the rule (and stays empty when the next loop's dim is not), surplus ranks become dummies of shape
 * 1, leftover loops are an error value ("more compression ranks needed").
 */
export const bindSlotFormat = (
  slot: FormatSlot,
  spec: TensorFormatSpec,
): { readonly ok: true; readonly ranks: SlotBoundRank[] } | { readonly ok: false; readonly reason: string } => {
  const n = slot.ranks.length
  const innerFirst = spec.rankApplicationOrder === 'inner-to-outer'
  const order = innerFirst ? [...spec.ranks].reverse() : [...spec.ranks]
  const loops = innerFirst ? [...slot.ranks].reverse().map((r) => ({ dim: r.dim, bound: r.fiberShape })) : slot.ranks.map((r) => ({ dim: r.dim, bound: r.fiberShape }))
  const binding = bindRanks(
    loops,
    order.map((r) => (r.flattenedRankIds === null ? null : r.flattenedRankIds.flat())),
  )
  if (binding.leftover > 0) {
    return {
      ok: false,
      reason: `${slot.level}: ${slot.tensor} needs ${binding.leftover} more compression rank(s) than its format has (${n} non-trivial loops)`,
    }
  }
  let cursor = 0 // loops consumed from the application side
  const bound = order.map((rank, k): SlotBoundRank => {
    const take = binding.ranks[k]
    let from = cursor
    let to = cursor
    if (take?.kind === 'took') {
      from = take.from
      to = take.to
      cursor = to
    } else if (take?.kind === 'unused') {
      from = to = n
    }
    const [start, end] = innerFirst ? [n - to, n - from] : [from, to]
    return {
      format: rank.format,
      metadataWordBits: rank.metadataWordBits,
      payloadWordBits: rank.payloadWordBits,
      ...(rank.options === undefined ? {} : { options: rank.options }),
      start,
      end,
    }
  })
  // Present outer rank first.
  return { ok: true, ranks: innerFirst ? bound.reverse() : bound }
}

/**
 * Reads a core format back into rank groups over the slot when it maps one-to-one onto the
 * primitives of this package (dummy ranks dropped); null when it uses other primitives or cannot bind.
 */
export const specToGroups = (slot: FormatSlot, spec: TensorFormatSpec | null, vocabulary: EngineVocabulary): GroupFormat | null => {
  if (spec === null) return []
  spec.ranks.forEach((r, i) => vocabulary.table.resolve(r.format, ['formats', spec.tensor, 'ranks', i, 'format']))
  const bound = bindSlotFormat(slot, spec)
  if (!bound.ok) return null
  const groups: RankGroup[] = []
  for (const r of bound.ranks) {
    if (r.end === r.start) continue
    const symbol = vocabulary.table.resolve(r.format).symbol
    const prim = symbol === 'UOP' && r.payloadWordBits === 0 ? 'U' : vocabulary.alphabet.includes(symbol) ? symbol : null
    if (prim === null) return null
    groups.push(r.options === undefined ? { prim, size: r.end - r.start } : { prim, size: r.end - r.start, options: r.options })
  }
  return groups
}

/**
 * Readable text of a core format bound to a slot, dims included and dummy ranks shown as `(1)`
 * (e.g. Fig.1's Buffer format `UOP,B` on one K loop reads `U(K)-B(1)`); falls back to
 * {@link specText} when the format does not bind.
 */
export const boundSpecText = (slot: FormatSlot, spec: TensorFormatSpec | null): string => {
  if (spec === null) return 'uncompressed'
  const bound = bindSlotFormat(slot, spec)
  if (!bound.ok) return specText(spec)
  return bound.ranks
    .map((r) => {
      const prim = r.format === 'UOP' && r.payloadWordBits === 0 ? 'U' : r.format
      const dims: string[] = []
      for (let i = r.start; i < r.end; i++) {
        const dim = slot.ranks[i]?.dim
        if (dim !== undefined && !dims.includes(dim)) dims.push(dim)
      }
      const options = optionsText(r.options)
      return `${prim}(${dims.length === 0 ? '1' : dims.join(',')})${options === '' ? '' : `[${options}]`}`
    })
    .join('-')
}

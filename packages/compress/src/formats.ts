// The format space of one slot: per-rank primitives with Sparseloop's ordering rule, optional
// flattening of a level's own ranks, the word-width rules, the fixed baselines and the readable
// text. A format is held internally as rank groups (a primitive over one or more adjacent slot
// ranks) and turned into a core `TensorFormatSpec` only when a design is built.
import { bitsFor, SnipSnapError } from '@snipsnap/core'
import type { FormatPrimitive, RankFormatSpec, TensorFormatSpec } from '@snipsnap/core'
import type { FormatSlot } from './slots'

/**
 * Per-rank primitives of the default candidate set. `U` is an uncompressed rank with no metadata
 * (Sparseloop `UOP` with `payload-word-bits: 0`); `UOP` keeps offsets; `UB` is an uncompressed
 * bitmask; `CP`, `B` and `RLE` are compressed (store only non-empty coordinates).
 */
export type PrimitiveId = 'U' | 'UOP' | 'UB' | 'CP' | 'B' | 'RLE'

/** Every primitive, uncompressed ones first. */
export const PRIMITIVES: readonly PrimitiveId[] = ['U', 'UOP', 'UB', 'CP', 'B', 'RLE']

const COMPRESSED: ReadonlySet<string> = new Set(['CP', 'B', 'RLE'])
const WITH_METADATA: ReadonlySet<string> = new Set(['CP', 'B', 'RLE', 'UB'])

/** Whether a primitive stores only non-empty coordinates. */
export const isCompressedPrimitive = (p: string): boolean => COMPRESSED.has(p)

/** A primitive applied to `size` adjacent slot ranks (size > 1 = flattened). */
export interface RankGroup {
  readonly prim: PrimitiveId
  readonly size: number
}

/** A format over a slot's ranks as rank groups, outermost first. */
export type GroupFormat = readonly RankGroup[]

/** The five fixed formats the engine always costs, each applied to every sparse tensor at every level. */
export type BaselineName = 'uncompressed' | 'bitmap' | 'csr' | 'coo' | 'rle'

export const BASELINES: readonly BaselineName[] = ['uncompressed', 'bitmap', 'csr', 'coo', 'rle']

/** Whether a group format stores compressed data (any CP/B/RLE rank). */
export const groupsCompressed = (groups: GroupFormat): boolean => groups.some((g) => COMPRESSED.has(g.prim))

/** Whether a group format carries coordinate metadata (needed to drive skipping). */
export const groupsHaveMetadata = (groups: GroupFormat): boolean => groups.some((g) => WITH_METADATA.has(g.prim))

/** Whether a core format carries coordinate metadata; unknown (user) primitives are assumed to. */
export const specHasMetadata = (spec: TensorFormatSpec | null): boolean =>
  spec !== null &&
  spec.ranks.some(
    (r) => WITH_METADATA.has(r.format) || !['UOP', 'U', 'NONE', 'None'].includes(r.format),
  )

/** Whether a core format stores compressed data; unknown primitives count as compressed. */
export const specCompressed = (spec: TensorFormatSpec | null): boolean =>
  spec !== null && spec.ranks.some((r) => COMPRESSED.has(r.format) || !['UOP', 'UB', 'U', 'NONE', 'None'].includes(r.format))

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

/** Word widths of one rank group: the engine's rule, or one read from format primitives. */
export type WordBitsRule = (
  prim: PrimitiveId,
  geometry: GroupGeometry,
  innermost: boolean,
) => { metadataWordBits: number; payloadWordBits: number }

/**
 * Word widths (stated rules, the same for every candidate and every baseline; they equal the
 * defaults of `@snipsnap/format`'s built-in primitives, so predicted bits match its codec):
 * - coordinates (CP): ⌈log2 S⌉ bits for a fiber of S coordinates (at least 1);
 * - run lengths (RLE): ⌈log2(S + 1)⌉ bits (runs 0…S−1 plus the all-ones code the codec reserves
 *   for padding);
 * - bitmasks (B, UB): 1 bit per coordinate;
 * - payloads (offsets of UOP, CP, B, RLE, UB into the next rank): ⌈log2(E+1)⌉ bits where E is the
 *   number of elements under the fiber, enough to index any position of the sub-tile; the
 *   innermost rank's payload is the data itself, so 0;
 * - `U` has neither metadata nor payload (0/0).
 */
export const rankWordBits: WordBitsRule = (prim, geometry, innermost) => {
  const offsetBits = innermost ? 0 : bitsFor(geometry.fiberShape * geometry.below)
  switch (prim) {
    case 'U':
      return { metadataWordBits: 0, payloadWordBits: 0 }
    case 'UOP':
      return { metadataWordBits: 0, payloadWordBits: offsetBits }
    case 'UB':
    case 'B':
      return { metadataWordBits: 1, payloadWordBits: offsetBits }
    case 'CP':
      return { metadataWordBits: bitsFor(geometry.fiberShape - 1), payloadWordBits: offsetBits }
    case 'RLE':
      return { metadataWordBits: bitsFor(geometry.fiberShape), payloadWordBits: offsetBits }
  }
}

/**
 * The word-width rule of a set of format primitives (e.g. `@snipsnap/format`'s registry): each
 * group's widths are its primitive's `defaultWordBits` for the group's fiber size and the elements
 * its offsets can index; the innermost rank has no payload (its payload is the data).
 */
export const wordBitsFromPrimitives = (primitives: ReadonlyMap<PrimitiveId, FormatPrimitive>): WordBitsRule => (prim, geometry, innermost) => {
  const primitive = primitives.get(prim)
  if (primitive === undefined) throw new SnipSnapError('INTERNAL', `no format primitive for ${prim}`)
  const bits = primitive.defaultWordBits({
    fiberSize: geometry.fiberShape,
    maxOffset: innermost ? 0 : geometry.fiberShape * geometry.below,
    options: {},
  })
  return { metadataWordBits: bits.metadataBits, payloadWordBits: innermost ? 0 : bits.payloadBits }
}

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
export const toTensorFormatSpec = (slot: FormatSlot, groups: GroupFormat, wordBits: WordBitsRule = rankWordBits): TensorFormatSpec | null => {
  if (groups.length === 0 || groups.every((g) => g.prim === 'U')) return null
  const geometry = groupGeometry(slot, groups)
  const ranks = groups.map((g, q): RankFormatSpec => {
    const geo = geometry[q] as GroupGeometry
    const bits = wordBits(g.prim, geo, q === groups.length - 1)
    return {
      format: g.prim === 'U' ? 'UOP' : g.prim,
      metadataWordBits: bits.metadataWordBits,
      payloadWordBits: bits.payloadWordBits,
      flattenedRankIds: g.size > 1 ? [groupDims(slot, geo)] : null,
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
      // A dummy rank (one-element tile) shows its fiber shape.
      return `${groups[q]?.prim ?? '?'}(${parts.length === 0 ? '1' : parts.join(',')})`
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
          return r.flattenedRankIds ? `${prim}(${r.flattenedRankIds.flat().join(',')})` : prim
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

/**
 * Enumerates the candidate formats of a slot in a fixed order: for each grouping, an uncompressed
 * prefix (U, UOP, UB) followed by a compressed suffix (CP, B, RLE), Sparseloop's "compressed ranks
 * must be inner" rule. Formats equivalent to another one are skipped: all-`U` (= uncompressed) and a
 * `UOP` innermost rank (its payload is the data, so it equals `U`).
 */
export function* enumerateGroupFormats(
  slot: FormatSlot,
  segments: Segments,
  options: {
    readonly primitives: readonly PrimitiveId[]
    readonly flatten: boolean
    /** Keep all-`U` and `UOP`-innermost sequences (for prefixes that a child's ranks will follow). */
    readonly keepEquivalent?: boolean
  },
): Generator<GroupFormat> {
  const uncompressed = options.primitives.filter((p) => !COMPRESSED.has(p))
  const compressed = options.primitives.filter((p) => COMPRESSED.has(p))
  for (const sizes of groupings(slot, segments, options.flatten)) {
    const g = sizes.length
    for (let j = g; j >= 0; j--) {
      // j groups uncompressed (outer), g - j compressed (inner); mixed-radix count, last digit fastest.
      const alphabets = sizes.map((_, q) => (q < j ? uncompressed : compressed))
      if (g === 0 || alphabets.some((a) => a.length === 0)) continue
      const digits = sizes.map(() => 0)
      for (;;) {
        const prims = digits.map((d, q) => alphabets[q]?.[d] as PrimitiveId)
        if (options.keepEquivalent === true || (!prims.every((p) => p === 'U') && prims[g - 1] !== 'UOP')) {
          yield prims.map((prim, q) => ({ prim, size: sizes[q] as number }))
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

/** Parses a primitive id, for options validation. @throws {SnipSnapError} INVALID_SPEC */
export const parsePrimitive = (value: string, path: readonly (string | number)[]): PrimitiveId => {
  if ((PRIMITIVES as readonly string[]).includes(value)) return value as PrimitiveId
  throw new SnipSnapError('INVALID_SPEC', `unknown primitive "${value}"; known: ${PRIMITIVES.join(', ')}`, { path })
}

/** A core format bound to a slot's ranks: per format rank, its primitive and the slot ranks it covers. */
export interface BoundRank {
  readonly format: string
  readonly metadataWordBits: number | null
  readonly payloadWordBits: number | null
  /** Slot rank indices [start, end); start === end for a dummy rank (fiber shape 1). */
  readonly start: number
  readonly end: number
}

/**
 * Binds a core format to a slot's ranks with Sparseloop's rules (sparseloop-model.md §3): ranks are
 * applied outer-to-inner (or inner-to-outer), each takes the next loop, a rank with a
 * `flattenedRankIds` rule keeps absorbing adjacent loops whose dims are in the rule, surplus ranks
 * become dummies of shape 1, leftover loops are an error value ("more compression ranks needed").
 */
export const bindFormat = (
  slot: FormatSlot,
  spec: TensorFormatSpec,
): { readonly ok: true; readonly ranks: BoundRank[] } | { readonly ok: false; readonly reason: string } => {
  const n = slot.ranks.length
  const innerFirst = spec.rankApplicationOrder === 'inner-to-outer'
  const order = innerFirst ? [...spec.ranks].reverse() : [...spec.ranks]
  let cursor = 0 // loops consumed from the application side
  const bound: BoundRank[] = []
  for (const rank of order) {
    const rule = new Set((rank.flattenedRankIds ?? []).flat())
    const take = (): number | undefined => {
      if (cursor >= n) return undefined
      const index = innerFirst ? n - 1 - cursor : cursor
      cursor++
      return index
    }
    const first = take()
    if (first === undefined) {
      bound.push({ ...rankBits(rank), format: rank.format, start: innerFirst ? 0 : n, end: innerFirst ? 0 : n })
      continue
    }
    let lo = first
    let hi = first
    const firstDim = slot.ranks[first]?.dim ?? ''
    if (rule.has(firstDim)) {
      for (;;) {
        const nextIndex = innerFirst ? n - 1 - cursor : cursor
        const next = slot.ranks[nextIndex]
        if (cursor >= n || next === undefined || !rule.has(next.dim)) break
        cursor++
        lo = Math.min(lo, nextIndex)
        hi = Math.max(hi, nextIndex)
      }
    }
    bound.push({ ...rankBits(rank), format: rank.format, start: lo, end: hi + 1 })
  }
  if (cursor < n) {
    return {
      ok: false,
      reason: `${slot.level}: ${slot.tensor} needs ${n - cursor} more compression rank(s) than its format has (${n} non-trivial loops)`,
    }
  }
  // Present outer rank first.
  return { ok: true, ranks: innerFirst ? bound.reverse() : bound }
}

const rankBits = (rank: RankFormatSpec): { metadataWordBits: number | null; payloadWordBits: number | null } => ({
  metadataWordBits: rank.metadataWordBits,
  payloadWordBits: rank.payloadWordBits,
})

/**
 * Reads a core format back into rank groups over the slot when it maps one-to-one onto the
 * primitives of this package (dummy ranks dropped); null when it uses other primitives or cannot bind.
 */
export const specToGroups = (slot: FormatSlot, spec: TensorFormatSpec | null): GroupFormat | null => {
  if (spec === null) return []
  const bound = bindFormat(slot, spec)
  if (!bound.ok) return null
  const groups: RankGroup[] = []
  for (const r of bound.ranks) {
    if (r.end === r.start) continue
    const prim =
      r.format === 'UOP' && r.payloadWordBits === 0 ? 'U' : (PRIMITIVES as readonly string[]).includes(r.format) ? (r.format as PrimitiveId) : null
    if (prim === null) return null
    groups.push({ prim, size: r.end - r.start })
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
  const bound = bindFormat(slot, spec)
  if (!bound.ok) return specText(spec)
  return bound.ranks
    .map((r) => {
      const prim = r.format === 'UOP' && r.payloadWordBits === 0 ? 'U' : r.format
      const dims: string[] = []
      for (let i = r.start; i < r.end; i++) {
        const dim = slot.ranks[i]?.dim
        if (dim !== undefined && !dims.includes(dim)) dims.push(dim)
      }
      return `${prim}(${dims.length === 0 ? '1' : dims.join(',')})`
    })
    .join('-')
}

// Contract of a per-rank compression primitive (U, UOP, CP, B, RLE, UB, user-defined).
//
// A hierarchical format is a fibertree: rank r holds fibers of `fiberSize` coordinates, and each
// fiber keeps some of its coordinates as *slots*. A slot owns one child fiber in rank r + 1 (or one
// stored value in the innermost rank). Uncompressed primitives keep every coordinate as a slot;
// compressed ones keep only the non-empty coordinates (plus, for structured primitives such as N:M,
// padding slots). Metadata is a list of fixed-width words per fiber (coordinates, mask bits, runs).
// Payload words (offsets that delimit child fibers) are written by the format engine according to
// the primitive's `payload` kind, so a plug-in only describes its own metadata and slots.
import type { PluginMeta } from './registry'
import type { SparseloopRankPricing } from './rank-format'

/** One fiber of a rank: its size and the strictly increasing coordinates of its non-empty children. */
export interface SparseFiber {
  /** Number of coordinates in the fiber (≥ 1). */
  readonly size: number
  /** Strictly increasing coordinates in [0, size). May be a typed-array view. */
  readonly coords: ArrayLike<number>
}

/** Word widths a rank is encoded with, in bits per word (0 means "free", Sparseloop's `payload-word-bits: 0`). */
export interface RankWordBits {
  readonly metadataBits: number
  readonly payloadBits: number
}

/** Integer options of a primitive (for example `{ n: 2, m: 4 }` for N:M, `{ mb: 4 }` word widths). */
export type PrimitiveOptions = Readonly<Record<string, number>>

/** Declares one integer option a primitive accepts, so patterns can be validated at the edge. */
export interface PrimitiveParameter {
  readonly description: string
  /** Smallest allowed value (inclusive). */
  readonly min: number
  /** Largest allowed value (inclusive). */
  readonly max?: number
  /** Value used when the pattern does not give one; a parameter without default is required. */
  readonly default?: number
}

/** What a rank knows about itself when its default word widths are derived. */
export interface WordBitsContext {
  /** Coordinates per fiber of this rank. */
  readonly fiberSize: number
  /** Largest value a payload offset can take (the most child entries the rank can point to). */
  readonly maxOffset: number
  readonly options: PrimitiveOptions
}

/** Everything a primitive needs to encode or decode one fiber. */
export interface FiberContext {
  readonly fiberSize: number
  readonly wordBits: RankWordBits
  readonly options: PrimitiveOptions
}

/** Receives the words and slots of one encoded fiber (no per-fiber allocation). */
export interface FiberSink {
  /** Appends one metadata word; must be an integer in [0, 2^metadataBits). */
  metadata(word: number): void
  /** Appends one slot (a coordinate that owns a child fiber or a stored value), in increasing order. */
  slot(coord: number): void
}

/** Reads the metadata words of one fiber during decoding. */
export interface FiberSource {
  /** Next metadata word of this rank's stream. */
  readMetadata(): number
  /**
   * Metadata words of this fiber when the parent delimits it (`delimited: 'by-parent'`), else
   * undefined: self-delimited primitives know their length from `fiberSize` and their own words.
   */
  readonly wordCount: number | undefined
}

/**
 * Analytic statistics of one rank, for the size model. Values are expectations and need not be
 * integers. `childEmptyProbability` is the probability that one coordinate's subtree is empty.
 */
export interface FiberStats {
  readonly fiberSize: number
  /** Expected number of fibers that exist in this rank (stored by the parent). */
  readonly fibers: number
  /** Number of fibers the rank would have if every coordinate above were kept (product of upper sizes). */
  readonly maxFibers: number
  /** Expected number of non-empty coordinates, summed over all fibers. */
  readonly occupiedCoords: number
  readonly childEmptyProbability: number
  readonly wordBits: RankWordBits
  readonly options: PrimitiveOptions
}

/**
 * How a rank's payload delimits its children: `none` stores nothing, `per-slot` stores one end
 * offset per slot (CP, B, RLE), `offset-pairs` stores `slots + 1` offsets per fiber (UOP, the CSR
 * row pointers).
 */
export type PayloadKind = 'none' | 'per-slot' | 'offset-pairs'

/**
 * Where the compression engine (`@snipsnap/compress`) considers putting a rank of a primitive: the
 * rank's loops and the density spec of the tensor. A primitive with options uses it to say which
 * option sets it can take there (see {@link FormatPrimitive.placementOptions}).
 */
export interface RankPlacement {
  /** Dimensions of the loops the rank covers, outer first (several when flattened; may repeat). */
  readonly dims: readonly string[]
  /** Coordinates per fiber of the rank (product of its loops' bounds). */
  readonly fiberShape: number
  /** True when the rank is the tile's innermost: each coordinate is one element. */
  readonly innermost: boolean
  /** Dimensions each rank of the tensor indexes, in the tensor's rank order (e.g. B[K][N]: [['K'], ['N']]). */
  readonly tensorRanks: readonly (readonly string[])[]
  /** The tensor's density spec (distribution `dense` with density 1 when it has none). */
  readonly distribution: string
  readonly density: number
  readonly params: Readonly<Record<string, unknown>>
}

/**
 * The `{ n, m }` options of an N:M-style rank at a placement (shared by every primitive that indexes
 * groups of an `n-m` tensor, such as `NM`): those of the tensor's `n-m` density params when the rank
 * is the tile's innermost, covers only the grouped dimension (params.rank, default the tensor's last
 * rank) and holds whole groups; none otherwise.
 * @example nmPlacementOptions({ dims: ['K'], fiberShape: 32, innermost: true, tensorRanks: [['K'], ['N']], distribution: 'n-m', density: 0.5, params: { n: 2, m: 4, rank: 0 } }) // [{ n: 2, m: 4 }]
 */
export const nmPlacementOptions = (placement: RankPlacement): readonly PrimitiveOptions[] => {
  const { n, m, rank } = placement.params
  if (placement.distribution !== 'n-m' || typeof n !== 'number' || typeof m !== 'number' || !placement.innermost) return []
  const grouped = placement.tensorRanks[typeof rank === 'number' ? rank : placement.tensorRanks.length - 1]
  if (grouped === undefined || grouped.length !== 1) return []
  if (placement.dims.length === 0 || !placement.dims.every((d) => d === grouped[0])) return []
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || n > m || placement.fiberShape % m !== 0) return []
  return [{ n, m }]
}

/**
 * Walks an N:M fiber group by group (groups of `m` coordinates from 0): the `n` in-group offsets a
 * group stores are its non-zeros merged, in order, with its lowest free offsets as padding (what
 * every N:M codec, such as `NM`, keeps). `visit` gets the group's first coordinate, the offsets
 * (one array reused for every group: copy it to keep it) and how many are set (`n` when n ≤ m).
 * Returns the reason when a group holds more than `n` non-zeros (groups before it were visited), else undefined.
 * @example nmGroupOffsets({ size: 8, coords: [1, 6] }, 2, 4, (base, offsets) => console.log(base, offsets)) // 0 [0, 1], then 4 [0, 2]
 */
export const nmGroupOffsets = (
  fiber: SparseFiber,
  n: number,
  m: number,
  visit: (base: number, offsets: readonly number[], count: number) => void,
): string | undefined => {
  const { coords } = fiber
  const offsets = new Array<number>(n)
  let next = 0
  for (let base = 0; base < fiber.size; base += m) {
    const start = next
    while (next < coords.length && (coords[next] as number) < base + m) next++
    const taken = next - start
    if (taken > n) return `group at ${base} holds ${taken} non-zeros, more than n = ${n}`
    let padding = n - taken
    let k = start
    let count = 0
    for (let offset = 0; offset < m && count < n; offset++) {
      const isNonZero = k < next && (coords[k] as number) === base + offset
      if (isNonZero) k++
      else if (padding > 0) padding--
      else continue
      offsets[count++] = offset
    }
    visit(base, offsets, count)
  }
  return undefined
}

/** A per-rank compression primitive plug-in. */
export interface FormatPrimitive extends PluginMeta {
  /** Name used in pattern text, e.g. `UOP`, `CP`, `B`, `RLE`, `UB`, `U`; `[A-Z][A-Za-z0-9]*`. */
  readonly symbol: string
  /** Compressed ranks keep only non-empty coordinates (plus structural padding) as slots. */
  readonly compressed: boolean
  readonly payload: PayloadKind
  /**
   * `self`: a fiber's length follows from `fiberSize` and its own words (U, UOP, B, UB, N:M).
   * `by-parent`: the parent's offsets say how many metadata words a fiber has (CP, RLE).
   */
  readonly delimited: 'self' | 'by-parent'
  /** Integer options accepted in patterns (besides the generic `mb`/`pb` word-width overrides). */
  readonly parameters?: Readonly<Record<string, PrimitiveParameter>>
  /** Rejects a fiber size the primitive cannot handle (e.g. N:M needs a multiple of m); returns a reason. */
  checkFiberSize?(fiberSize: number, options: PrimitiveOptions): string | undefined
  /** Default word widths; patterns may override them. */
  defaultWordBits(context: WordBitsContext): RankWordBits
  /**
   * Encodes one fiber into `sink`. Returns a reason when the fiber cannot be represented (an N:M
   * group with too many non-zeros, a coordinate wider than the metadata word), else undefined.
   * A fiber's metadata word count must not exceed `fiberSize` (offsets are sized on that bound).
   */
  encode(fiber: SparseFiber, context: FiberContext, sink: FiberSink): string | undefined
  /** Decodes one fiber, emitting its slots in increasing order. Returns a reason on corrupt input. */
  decode(source: FiberSource, context: FiberContext, sink: Pick<FiberSink, 'slot'>): string | undefined
  /** Expected metadata words of the rank. Pure and allocation-free: it runs in the search's inner loop. */
  metadataUnits(stats: FiberStats): number
  /** Expected slots of the rank (child fibers, or stored values in the innermost rank). */
  slotUnits(stats: FiberStats): number
  /**
   * True when `metadataUnits`/`slotUnits` depend on a fiber only through its size and non-empty
   * count, so they equal the encoded size exactly for one fiber (false for RLE, whose padding
   * depends on run lengths).
   */
  readonly exactUnits: boolean
  /**
   * How the Sparseloop cost model prices a rank of this primitive (metadata and payload units from
   * fiber count, fiber shape and emptiness). Without it, the Sparseloop model rejects the symbol
   * with a precise error instead of pricing it at 0. Sparseloop's own formats reuse
   * `SPARSELOOP_RANK_FORMATS[symbol].sparseloop`.
   */
  readonly sparseloop?: SparseloopRankPricing
  /**
   * The option sets the compression engine may use for a rank of this primitive at `placement`
   * (empty: the primitive cannot go there, e.g. N:M on a rank that does not cover whole groups of
   * the tensor's N:M dimension). Without it, the engine uses the parameter defaults everywhere, and
   * leaves a primitive with a required parameter out of its space.
   */
  placementOptions?(placement: RankPlacement): readonly PrimitiveOptions[]
}

/**
 * Identity helper that types a format primitive plug-in.
 * @example const mine = defineFormatPrimitive({ id: 'mine', symbol: 'MINE', ... })
 */
export const defineFormatPrimitive = (primitive: FormatPrimitive): FormatPrimitive => primitive

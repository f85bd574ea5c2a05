// Contract of a per-rank compression primitive (UOP, CP, B, RLE, UB, None, user-defined).
// A hierarchical format applies one primitive per rank; each rank sees fibers: the list of
// non-empty child coordinates inside a fiber of `size` coordinates.
import type { PluginMeta } from './registry'

/** One fiber of a rank: its size and the sorted coordinates of its non-empty children. */
export interface SparseFiber {
  readonly size: number
  /** Strictly increasing coordinates in [0, size). */
  readonly coords: readonly number[]
}

/** Word widths a rank is encoded with. */
export interface RankWordBits {
  readonly metadataBits: number
  readonly payloadBits: number
}

/** The words one fiber is encoded into: metadata (coordinates, masks, runs) and payload (offsets). */
export interface EncodedFiber {
  readonly metadata: readonly number[]
  readonly payload: readonly number[]
}

/**
 * Statistics of all fibers of one rank, for the analytic size model (Sparseloop's occupancy
 * query): `fibers` fibers of `fiberSize` coordinates, of which `nonEmptyFibers` hold at least one
 * child, holding `nonEmptyCoords` non-empty children in expectation (need not be an integer).
 */
export interface FiberStats {
  readonly fiberSize: number
  readonly fibers: number
  readonly nonEmptyFibers: number
  readonly nonEmptyCoords: number
  /** Expected ceil-rounded non-empty children summed over fibers (≥ nonEmptyCoords); defaults to it. */
  readonly nonEmptyCoordsCeil?: number
}

/** Metadata and payload word counts of a rank (units, not bits). */
export interface RankUnits {
  readonly metadataUnits: number
  readonly payloadUnits: number
}

/** A per-rank compression primitive plug-in. */
export interface FormatPrimitive<TOptions = void> extends PluginMeta {
  /** Short name used in pattern text, e.g. `UOP`, `CP`, `B`, `RLE`, `UB`, `U`. */
  readonly symbol: string
  /** Compressed ranks store only non-empty coordinates. */
  readonly compressed: boolean
  /** Default word widths for a fiber of `fiberSize` coordinates inside a tensor of `tensorSize` elements. */
  defaultWordBits(context: { readonly fiberSize: number; readonly tensorSize: number }): RankWordBits
  /** Encodes one fiber; `payload` carries offsets into the next rank where the primitive needs them. */
  encode(fiber: SparseFiber, context: { readonly wordBits: RankWordBits; readonly childOffset: number }): EncodedFiber
  /** Decodes one fiber back to its coordinates. */
  decode(encoded: EncodedFiber, context: { readonly fiberSize: number; readonly wordBits: RankWordBits }): SparseFiber
  /** Analytic metadata/payload units for a set of fibers; must agree with `encode`. */
  units(stats: FiberStats, options: TOptions): RankUnits
  readonly options?: unknown
  readonly flags?: { readonly supportsEmptyFibers?: boolean }
}

/** Identity helper that types a format primitive plug-in. */
export const defineFormatPrimitive = <TOptions = void>(
  primitive: FormatPrimitive<TOptions>,
): FormatPrimitive<TOptions> => primitive

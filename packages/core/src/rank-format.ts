// The meaning of a rank format symbol, shared by every stage (cost, mapspace, compress, timeloop):
// whether the rank is compressed, how the Sparseloop model prices it, and which options it takes.
// A `FormatPrimitive` carries this meaning, so a registered primitive is understood everywhere;
// stages resolve a symbol through a {@link RankFormatTable} built from the registry they are given,
// never through a symbol list of their own. Sparseloop's six rank formats are defined here once
// (`SPARSELOOP_RANK_FORMATS`); `@snipsnap/format`'s built-in primitives reuse these definitions.
import { SnipSnapError, type IssuePath } from './errors'
import type { PrimitiveOptions, PrimitiveParameter, RankWordBits, WordBitsContext } from './format'
import { bitsFor } from './numbers'

/**
 * What the Sparseloop cost model knows about one rank of one tile when it prices it
 * (Timeloop's `GetMetaDataTileOccupancyGivenDataTile`, shared/docs/sparseloop-model.md §2).
 * Expectations, not necessarily integers.
 */
export interface RankUnitsInput {
  /** Fibers the rank would hold if every coordinate above were non-empty (Π fiber shapes above). */
  readonly maxFibers: number
  /** Expected non-empty fibers of the rank. */
  readonly fibers: number
  /** Coordinates per fiber (S). */
  readonly fiberShape: number
  /** Expected non-empty coordinates per non-empty fiber. */
  readonly occupiedPerFiber: number
  /** The rank's options (parameter defaults merged with the spec's values). */
  readonly options: PrimitiveOptions
  /** Round a fiber's expected coordinates up, as public Timeloop does for CP (else the exact expectation). */
  readonly ceilPerFiber: boolean
}

/** How the Sparseloop cost model prices one rank: metadata and payload units from fiber statistics. */
export interface SparseloopRankPricing {
  /** Metadata word bits when the rank leaves them unset (else the level's `metadataWordBits`); B uses 1. */
  readonly defaultMetadataWordBits?: number
  /** Expected metadata units of the rank. Pure and allocation-free (inner loop of the search). */
  metadataUnits(input: RankUnitsInput): number
  /** Expected payload units of the rank. Pure and allocation-free. */
  payloadUnits(input: RankUnitsInput): number
}

/** The part of a format primitive every stage understands (a `FormatPrimitive` is one). */
export interface RankFormat {
  readonly symbol: string
  /** Compressed ranks keep only non-empty coordinates (plus structural padding). */
  readonly compressed: boolean
  readonly parameters?: Readonly<Record<string, PrimitiveParameter>>
  /** Sparseloop pricing; a primitive without it cannot be priced by the Sparseloop cost model. */
  readonly sparseloop?: SparseloopRankPricing
  /**
   * Default word widths of a rank (a `FormatPrimitive` always has them): what the compression
   * engine writes into the formats it builds when the format carries none.
   */
  defaultWordBits?(context: WordBitsContext): RankWordBits
}

/** Anything that lists rank formats: a `Registry<FormatPrimitive>`, or a plain array. */
export type RankFormatSource = { list(): readonly RankFormat[] } | readonly RankFormat[]

const ceil = (x: number): number => Math.ceil(x - 1e-9)

/**
 * Sparseloop's rank formats (and `U`, uncompressed with nothing stored), defined once. Timeloop
 * YAML knows UOP, CP, B, RLE and UB; compress writes `U` as UOP with 0-bit payload. Default word
 * widths (those of `@snipsnap/format`'s built-ins): coordinates ⌈log2 S⌉ bits, runs ⌈log2(S+1)⌉,
 * masks 1 bit, offsets ⌈log2(maxOffset+1)⌉.
 */
export const SPARSELOOP_RANK_FORMATS = {
  U: {
    symbol: 'U',
    compressed: false,
    defaultWordBits: () => ({ metadataBits: 0, payloadBits: 0 }),
    sparseloop: { metadataUnits: () => 0, payloadUnits: () => 0 },
  },
  UOP: {
    symbol: 'UOP',
    compressed: false,
    defaultWordBits: (c: WordBitsContext) => ({ metadataBits: 0, payloadBits: bitsFor(c.maxOffset) }),
    sparseloop: { metadataUnits: () => 0, payloadUnits: (r: RankUnitsInput) => r.fibers * (r.fiberShape + 1) },
  },
  CP: {
    symbol: 'CP',
    compressed: true,
    defaultWordBits: (c: WordBitsContext) => ({ metadataBits: bitsFor(c.fiberSize - 1), payloadBits: bitsFor(c.maxOffset) }),
    sparseloop: {
      metadataUnits: (r: RankUnitsInput) => r.fibers * (r.ceilPerFiber ? ceil(r.occupiedPerFiber) : r.occupiedPerFiber),
      payloadUnits: (r: RankUnitsInput) => r.fibers * (r.ceilPerFiber ? ceil(r.occupiedPerFiber) : r.occupiedPerFiber),
    },
  },
  B: {
    symbol: 'B',
    compressed: true,
    defaultWordBits: (c: WordBitsContext) => ({ metadataBits: 1, payloadBits: bitsFor(c.maxOffset) }),
    sparseloop: {
      defaultMetadataWordBits: 1,
      metadataUnits: (r: RankUnitsInput) => r.fibers * r.fiberShape,
      payloadUnits: (r: RankUnitsInput) => r.fibers * ceil(r.occupiedPerFiber),
    },
  },
  RLE: {
    symbol: 'RLE',
    compressed: true,
    defaultWordBits: (c: WordBitsContext) => ({ metadataBits: bitsFor(c.fiberSize), payloadBits: bitsFor(c.maxOffset) }),
    sparseloop: {
      metadataUnits: (r: RankUnitsInput) => r.fibers * r.occupiedPerFiber,
      payloadUnits: (r: RankUnitsInput) => r.fibers * r.occupiedPerFiber,
    },
  },
  UB: {
    symbol: 'UB',
    compressed: false,
    defaultWordBits: (c: WordBitsContext) => ({ metadataBits: 1, payloadBits: bitsFor(c.maxOffset) }),
    sparseloop: {
      metadataUnits: (r: RankUnitsInput) => r.maxFibers * r.fiberShape,
      payloadUnits: (r: RankUnitsInput) => r.maxFibers * r.fiberShape,
    },
  },
} as const satisfies Readonly<Record<string, RankFormat>>

/** Resolves rank format symbols against one set of registered formats. */
export interface RankFormatTable {
  /**
   * The format a symbol names (exact match first, then case-insensitive; `None` is `U`).
   * @throws {SnipSnapError} PLUGIN_NOT_FOUND naming the symbol and the registered ones.
   */
  resolve(symbol: string, path?: IssuePath): RankFormat
  has(symbol: string): boolean
  /** Registered symbols in registration order. */
  readonly symbols: readonly string[]
  /**
   * A rank's options: parameter defaults merged with `given`.
   * @throws {SnipSnapError} INVALID_SPEC when a required option is missing or out of range.
   */
  optionsOf(format: RankFormat, given: PrimitiveOptions | undefined, path?: IssuePath): PrimitiveOptions
}

const EMPTY_OPTIONS: PrimitiveOptions = Object.freeze({})

/**
 * A symbol table over `source` (default: Sparseloop's rank formats). Stages build one from the
 * format registry they are handed and resolve every rank symbol through it.
 * @example createRankFormatTable(createFormatRegistry()).resolve('CP').compressed // true
 */
export const createRankFormatTable = (source?: RankFormatSource): RankFormatTable => {
  const list: readonly RankFormat[] =
    source === undefined ? Object.values(SPARSELOOP_RANK_FORMATS) : Array.isArray(source) ? source : (source as { list(): readonly RankFormat[] }).list()
  const exact = new Map<string, RankFormat>()
  const folded = new Map<string, RankFormat>()
  for (const format of list) {
    if (!exact.has(format.symbol)) exact.set(format.symbol, format)
    const key = format.symbol.toUpperCase()
    if (!folded.has(key)) folded.set(key, format)
  }
  const find = (symbol: string): RankFormat | undefined => {
    const hit = exact.get(symbol) ?? folded.get(symbol.toUpperCase())
    if (hit !== undefined) return hit
    return symbol.toUpperCase() === 'NONE' ? exact.get('U') : undefined
  }
  const symbols = list.map((f) => f.symbol)
  return {
    symbols,
    has: (symbol) => find(symbol) !== undefined,
    resolve(symbol, path) {
      const hit = find(symbol)
      if (hit === undefined) {
        throw new SnipSnapError(
          'PLUGIN_NOT_FOUND',
          `unknown rank format "${symbol}"; registered: ${symbols.join(', ') || '(none)'} (register its FormatPrimitive, e.g. with --plugin)`,
          { path: path ?? [] },
        )
      }
      return hit
    },
    optionsOf(format, given, path = []) {
      const parameters = format.parameters
      if (parameters === undefined) return given ?? EMPTY_OPTIONS
      const out: Record<string, number> = {}
      for (const [name, parameter] of Object.entries(parameters)) {
        const value = given?.[name] ?? parameter.default
        if (value === undefined) {
          throw new SnipSnapError('INVALID_SPEC', `rank format ${format.symbol} needs option "${name}" (${parameter.description})`, {
            path: [...path, 'options', name],
          })
        }
        if (!Number.isInteger(value) || value < parameter.min || (parameter.max !== undefined && value > parameter.max)) {
          throw new SnipSnapError(
            'INVALID_SPEC',
            `rank format ${format.symbol} option "${name}" must be an integer in [${parameter.min}, ${parameter.max ?? '∞'}], got ${value}`,
            { path: [...path, 'options', name] },
          )
        }
        out[name] = value
      }
      for (const [name, value] of Object.entries(given ?? {})) if (!(name in out)) out[name] = value
      return out
    },
  }
}

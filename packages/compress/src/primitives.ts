// The engine's vocabulary: the per-rank primitives it may place, resolved through the format
// registry it is handed (normally @snipsnap/format's, plus plug-ins), never through a symbol list
// of its own. Everything the engine needs to know about a primitive comes from its contract:
// whether it is compressed, whether it stores metadata, its Sparseloop unit pricing (for the
// analytic estimate), its word widths and where it may go (its options at a placement).
import {
  createRankFormatTable,
  SnipSnapError,
  SPARSELOOP_RANK_FORMATS,
  type FormatPrimitive,
  type PrimitiveOptions,
  type RankFormat,
  type RankFormatTable,
  type RankPlacement,
  type RankUnitsInput,
} from '@snipsnap/core'
import type { BaselineName, WordBitsRule } from './formats'

/** What the engine takes from a primitive set. */
export interface EngineVocabulary {
  /** Symbols the engine's candidates may use: uncompressed ones first, each group in the set's order. */
  readonly alphabet: readonly string[]
  /** Resolves any rank symbol of a design (case-insensitive, `None` = `U`). */
  readonly table: RankFormatTable
  readonly wordBits: WordBitsRule
  /** Primitives of the set the engine cannot place, with the reason. */
  readonly notes: readonly string[]
  /** Identity of the set for the selection cache (null = the default Sparseloop formats). */
  readonly cacheKey: string | null
  /** Whether a symbol's rank keeps only non-empty coordinates. @throws {SnipSnapError} PLUGIN_NOT_FOUND */
  compressed(symbol: string): boolean
  /** Whether a rank stores coordinate metadata (so it can drive skipping). @throws {SnipSnapError} PLUGIN_NOT_FOUND */
  hasMetadata(symbol: string, options?: PrimitiveOptions): boolean
  /** Expected metadata and payload units of a rank (Sparseloop's per-rank formulas, sparseloop-model.md §2). */
  units(symbol: string, input: RankUnitsInput): { readonly metadata: number; readonly payload: number }
  /**
   * The option sets a rank of `symbol` may take at `placement`: `[undefined]` (no options) for a
   * primitive without parameters, its `placementOptions` answer when it has one, none otherwise.
   */
  variants(symbol: string, placement: RankPlacement): readonly (PrimitiveOptions | undefined)[]
}

/** Primitives each fixed baseline is built from (a primitive set lacking one cannot cost it). */
export const BASELINE_NEEDS: Readonly<Record<BaselineName, readonly string[]>> = {
  uncompressed: [],
  bitmap: ['U', 'B'],
  csr: ['U', 'UOP', 'CP'],
  coo: ['CP'],
  rle: ['U', 'RLE'],
}

const invalid = (message: string, path: readonly (string | number)[]): SnipSnapError => new SnipSnapError('INVALID_SPEC', message, { path })

/** A rank's options as a stable text (`m=4,n=2`), '' without options. */
export const optionsText = (options: PrimitiveOptions | undefined): string =>
  options === undefined
    ? ''
    : Object.keys(options)
        .sort()
        .map((k) => `${k}=${options[k]}`)
        .join(',')

const ONE_VARIANT: readonly (PrimitiveOptions | undefined)[] = [undefined]
const NO_VARIANT: readonly (PrimitiveOptions | undefined)[] = []
/** Options passed to a primitive without any (one shared, frozen object instead of a new `{}` per call). */
const NO_OPTIONS: PrimitiveOptions = Object.freeze({})

const requiredParameters = (format: RankFormat): string[] =>
  Object.entries(format.parameters ?? {})
    .filter(([, p]) => p.default === undefined)
    .map(([name]) => name)

/**
 * Resolves the engine's vocabulary. Without a set: Sparseloop's rank formats (core's
 * `SPARSELOOP_RANK_FORMATS`, with their default word widths). With one:
 * the set's primitives, priced by their `sparseloop` units (else their own `metadataUnits` and
 * `slotUnits`) with their `defaultWordBits`. `requested` (default: every primitive of the set)
 * restricts the candidates' alphabet.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for a requested symbol the set lacks (naming the
 *   registered ones); INVALID_SPEC naming the entry for something that is not a primitive, a
 *   duplicate symbol, no `U`, or a fixed baseline whose primitives the set lacks.
 * @example resolveEnginePrimitives(undefined, ['bitmap'], createFormatRegistry().list()).alphabet // ['U', 'UOP', 'UB', 'CP', 'B', 'RLE', 'NM']
 */
export const resolveEnginePrimitives = (
  requested: readonly string[] | undefined,
  baselines: readonly BaselineName[],
  set: readonly FormatPrimitive[] | undefined,
): EngineVocabulary => {
  const notes: string[] = []
  let formats: readonly RankFormat[]
  const bySymbol = new Map<string, FormatPrimitive>()
  if (set === undefined) {
    formats = Object.values(SPARSELOOP_RANK_FORMATS)
  } else {
    if (!Array.isArray(set)) throw invalid('formatPrimitives must be an array of format primitives (e.g. createFormatRegistry().list())', ['formatPrimitives'])
    set.forEach((primitive: unknown, i) => {
      const p = primitive as Partial<FormatPrimitive> | null
      if (p === null || typeof p !== 'object' || typeof p.symbol !== 'string' || typeof p.defaultWordBits !== 'function' || typeof p.compressed !== 'boolean') {
        throw invalid(`formatPrimitives[${i}] is not a format primitive (needs symbol, compressed and defaultWordBits)`, ['formatPrimitives', i])
      }
      if (bySymbol.has(p.symbol)) throw invalid(`formatPrimitives[${i}]: a second primitive with symbol ${p.symbol}`, ['formatPrimitives', i, 'symbol'])
      bySymbol.set(p.symbol, p as FormatPrimitive)
    })
    formats = [...bySymbol.values()]
  }
  const table = createRankFormatTable(formats)
  if (!table.has('U') || table.resolve('U').symbol !== 'U') {
    throw invalid('formatPrimitives has no U primitive: every candidate keeps its outer ranks uncompressed with U', ['formatPrimitives'])
  }
  for (const baseline of baselines) {
    const missing = BASELINE_NEEDS[baseline].filter((id) => !table.has(id))
    if (missing.length > 0) {
      throw invalid(`the fixed baseline "${baseline}" needs primitive(s) ${missing.join(', ')}, which formatPrimitives lacks (or leave it out of options.baselines)`, ['formatPrimitives'])
    }
  }
  const wanted = requested === undefined ? null : new Set(requested.map((s, i) => table.resolve(s, ['options', 'primitives', i]).symbol))
  const placeable = (format: RankFormat): boolean => {
    const required = requiredParameters(format)
    if (required.length === 0 || bySymbol.get(format.symbol)?.placementOptions !== undefined) return true
    const p = bySymbol.get(format.symbol)
    notes.push(`format primitive ${format.symbol}${p === undefined ? '' : ` (${p.id})`} needs option(s) ${required.join(', ')} and has no placementOptions, so the engine cannot place it`)
    return false
  }
  const chosen = formats.filter((f) => (wanted === null || wanted.has(f.symbol)) && placeable(f))
  const alphabet = [...chosen.filter((f) => !f.compressed), ...chosen.filter((f) => f.compressed)].map((f) => f.symbol)

  const unitsOf = (symbol: string, input: RankUnitsInput): { metadata: number; payload: number } => {
    const format = table.resolve(symbol)
    if (format.sparseloop !== undefined) return { metadata: format.sparseloop.metadataUnits(input), payload: format.sparseloop.payloadUnits(input) }
    const primitive = bySymbol.get(format.symbol)
    if (primitive === undefined) throw new SnipSnapError('INTERNAL', `rank format ${symbol} has neither Sparseloop pricing nor units`)
    const stats = {
      fiberSize: input.fiberShape,
      fibers: input.fibers,
      maxFibers: input.maxFibers,
      occupiedCoords: input.fibers * input.occupiedPerFiber,
      childEmptyProbability: input.fiberShape > 0 ? 1 - input.occupiedPerFiber / input.fiberShape : 0,
      wordBits: primitive.defaultWordBits({ fiberSize: input.fiberShape, maxOffset: input.fiberShape, options: input.options }),
      options: input.options,
    }
    return { metadata: primitive.metadataUnits(stats), payload: primitive.slotUnits(stats) }
  }
  const metadataMemo = new Map<string, boolean>()
  const PROBE = 16
  return {
    alphabet,
    table,
    notes,
    cacheKey: set === undefined ? null : JSON.stringify(set.map((p) => `${p.id}:${p.symbol}`)),
    wordBits: wordBitsFromPrimitives(table, bySymbol),
    compressed: (symbol) => table.resolve(symbol).compressed,
    hasMetadata(symbol, options) {
      const key = `${symbol}[${optionsText(options)}]`
      let known = metadataMemo.get(key)
      if (known === undefined) {
        // A probe fiber of 16 coordinates, half of them non-empty: metadata units > 0 means the
        // rank stores coordinate metadata (U and UOP store none).
        const probe = { maxFibers: 1, fibers: 1, fiberShape: PROBE, occupiedPerFiber: PROBE / 2, options: options ?? {}, ceilPerFiber: true }
        known = unitsOf(symbol, probe).metadata > 0
        metadataMemo.set(key, known)
      }
      return known
    },
    units: unitsOf,
    variants(symbol, placement) {
      const format = table.resolve(symbol)
      const primitive = bySymbol.get(format.symbol)
      if (primitive?.placementOptions !== undefined) return primitive.placementOptions(placement)
      return requiredParameters(format).length === 0 ? ONE_VARIANT : NO_VARIANT
    },
  }
}

/**
 * The word-width rule of a set of rank formats: each group's widths are its primitive's
 * `defaultWordBits` (from `primitives` when given, else the table's format, e.g. core's
 * `SPARSELOOP_RANK_FORMATS`) for the group's fiber size, the elements its offsets can index and the
 * rank's options; the innermost rank has no payload (its payload is the data).
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unregistered symbol or one without word widths.
 */
export const wordBitsFromPrimitives =
  (table: RankFormatTable, primitives: ReadonlyMap<string, FormatPrimitive> = new Map()): WordBitsRule =>
  (prim, geometry, innermost, options) => {
    const format = table.resolve(prim)
    const source: RankFormat = primitives.get(format.symbol) ?? format
    if (source.defaultWordBits === undefined) {
      throw new SnipSnapError('PLUGIN_NOT_FOUND', `rank format "${format.symbol}" has no default word widths; pass its FormatPrimitive in formatPrimitives`)
    }
    const bits = source.defaultWordBits({
      fiberSize: geometry.fiberShape,
      maxOffset: innermost ? 0 : geometry.fiberShape * geometry.below,
      options: options ?? NO_OPTIONS,
    })
    return { metadataWordBits: bits.metadataBits, payloadWordBits: innermost ? 0 : bits.payloadBits }
  }

// The engine's per-rank primitives taken from a set of format primitives (normally the registry of
// @snipsnap/format): which of them the engine may place on a rank, and the word widths of each.
// The engine binds a primitive to cost-model ranks by its symbol (Sparseloop's rank formats), so
// only U, UOP, UB, CP, B and RLE can enter its space; any other primitive is listed in the notes.
import { SnipSnapError, type FormatPrimitive } from '@snipsnap/core'
import { isCompressedPrimitive, PRIMITIVES, rankWordBits, wordBitsFromPrimitives, type BaselineName, type PrimitiveId, type WordBitsRule } from './formats'

/** What the engine takes from a primitive set. */
export interface EnginePrimitives {
  /** Primitives the engine's candidates may use, in the engine's order. */
  readonly alphabet: readonly PrimitiveId[]
  readonly wordBits: WordBitsRule
  /** Primitives of the set the engine cannot use, and requested ones the set lacks. */
  readonly notes: readonly string[]
  /** Identity of the set for the selection cache (null = the engine's own rule). */
  readonly cacheKey: string | null
}

/** Primitives each fixed baseline is built from (a primitive set lacking one cannot cost it). */
export const BASELINE_NEEDS: Readonly<Record<BaselineName, readonly PrimitiveId[]>> = {
  uncompressed: [],
  bitmap: ['U', 'B'],
  csr: ['U', 'UOP', 'CP'],
  coo: ['CP'],
  rle: ['U', 'RLE'],
}

const invalid = (message: string, path: readonly (string | number)[]): SnipSnapError => new SnipSnapError('INVALID_SPEC', message, { path })

/**
 * Resolves the engine's primitives. Without a set, the engine's own six with its own word-width
 * rule ({@link rankWordBits}). With one, the requested primitives the set holds, with the set's
 * `defaultWordBits`.
 * @throws {SnipSnapError} INVALID_SPEC naming the entry: not a primitive, a duplicate symbol, a
 *   `compressed` flag that contradicts the rank format of that symbol, no `U`, or a fixed baseline
 *   whose primitives the set lacks.
 */
export const resolveEnginePrimitives = (
  requested: readonly PrimitiveId[],
  baselines: readonly BaselineName[],
  set: readonly FormatPrimitive[] | undefined,
): EnginePrimitives => {
  if (set === undefined) return { alphabet: requested, wordBits: rankWordBits, notes: [], cacheKey: null }
  if (!Array.isArray(set)) throw invalid('formatPrimitives must be an array of format primitives (e.g. createFormatRegistry().list())', ['formatPrimitives'])
  const bySymbol = new Map<PrimitiveId, FormatPrimitive>()
  const notes: string[] = []
  set.forEach((primitive: unknown, i) => {
    const p = primitive as Partial<FormatPrimitive> | null
    if (p === null || typeof p !== 'object' || typeof p.symbol !== 'string' || typeof p.defaultWordBits !== 'function') {
      throw invalid(`formatPrimitives[${i}] is not a format primitive (needs symbol and defaultWordBits)`, ['formatPrimitives', i])
    }
    const symbol = p.symbol
    if (!(PRIMITIVES as readonly string[]).includes(symbol)) {
      notes.push(`format primitive ${symbol} (${p.id ?? '?'}) is not in the engine's space: only ${PRIMITIVES.join(', ')} bind to cost-model ranks`)
      return
    }
    const id = symbol as PrimitiveId
    if (bySymbol.has(id)) throw invalid(`formatPrimitives[${i}]: a second primitive with symbol ${symbol}`, ['formatPrimitives', i, 'symbol'])
    if (p.compressed !== isCompressedPrimitive(id)) {
      throw invalid(
        `formatPrimitives[${i}] (${symbol}): compressed is ${String(p.compressed)}, but the ${symbol} rank format is ${isCompressedPrimitive(id) ? '' : 'un'}compressed`,
        ['formatPrimitives', i, 'compressed'],
      )
    }
    bySymbol.set(id, p as FormatPrimitive)
  })
  if (!bySymbol.has('U')) throw invalid('formatPrimitives has no U primitive: every candidate keeps its outer ranks uncompressed with U', ['formatPrimitives'])
  for (const baseline of baselines) {
    const missing = BASELINE_NEEDS[baseline].filter((id) => !bySymbol.has(id))
    if (missing.length > 0) {
      throw invalid(`the fixed baseline "${baseline}" needs primitive(s) ${missing.join(', ')}, which formatPrimitives lacks (or leave it out of options.baselines)`, ['formatPrimitives'])
    }
  }
  const alphabet = requested.filter((id) => bySymbol.has(id))
  for (const id of requested) if (!bySymbol.has(id)) notes.push(`primitive ${id} is not in formatPrimitives, so candidates do not use it`)
  return {
    alphabet,
    wordBits: wordBitsFromPrimitives(bySymbol),
    notes,
    cacheKey: JSON.stringify(set.map((p) => `${p.id}:${p.symbol}`)),
  }
}

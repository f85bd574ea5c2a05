// Compression patterns, CompPat(n) = [prim1(dim1), …, primn(dimn)], outermost rank first, and their
// text form. A rank covers one sub-dimension, or several flattened together:
//
//   UOP(M)-CP(K)                 CSR of an M×K matrix
//   B(K:64)-CP(K:64)-U(M)        K split into two parts of 64 (outer part first), then all of M
//   CP(M,K)                      COO: one rank over M and K flattened
//   U(M)-RLE(K)[mb=4]            options in brackets: word widths `mb`/`pb`, primitive parameters
//
// Parsing here is syntax only; binding a pattern to a tensor shape (bind.ts) checks primitives,
// dimensions and sizes.
import { SnipSnapError, type PrimitiveOptions } from '@snipsnap/core'

/** One sub-dimension of a rank: a part of tensor dimension `dim`. Without `size`, the rest of it. */
export interface RankPart {
  readonly dim: string
  readonly size?: number
}

/** One rank of a pattern: a primitive (by symbol) over one or more flattened parts. */
export interface RankSpec {
  /** Primitive symbol, e.g. `UOP`, `CP`, `B`, `RLE`, `UB`, `U`, `NM`. */
  readonly primitive: string
  /** Parts flattened into this rank, outermost first. */
  readonly parts: readonly RankPart[]
  /** `mb`/`pb` override metadata/payload word bits; other keys are primitive parameters. */
  readonly options?: PrimitiveOptions
}

/** A compression pattern: ranks from the outermost to the innermost. */
export interface CompPat {
  readonly ranks: readonly RankSpec[]
}

/** Spellings accepted for a primitive symbol in text, mapped to the canonical one. */
const SYMBOL_ALIASES: Readonly<Record<string, string>> = { None: 'U', NONE: 'U', none: 'U' }

type TokenKind = 'name' | 'int' | 'punct' | 'end'
interface Token {
  readonly kind: TokenKind
  readonly text: string
  readonly column: number
}

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i] as string
    if (/\s/.test(ch)) {
      i++
      continue
    }
    const start = i
    if (/[A-Za-z_]/.test(ch)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i++
      tokens.push({ kind: 'name', text: text.slice(start, i), column: start + 1 })
    } else if (/[0-9]/.test(ch)) {
      while (i < text.length && /[0-9A-Za-z_.]/.test(text[i] as string)) i++
      tokens.push({ kind: 'int', text: text.slice(start, i), column: start + 1 })
    } else if ('()[]-,:='.includes(ch)) {
      i++
      tokens.push({ kind: 'punct', text: ch, column: start + 1 })
    } else {
      // Take the whole offending run (e.g. "-5", "NaN" are caught elsewhere) for the message.
      while (i < text.length && !/[\s()[\],]/.test(text[i] as string)) i++
      throw parseError(text, { kind: 'punct', text: text.slice(start, i), column: start + 1 }, 'unexpected character')
    }
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 })
  return tokens
}

const parseError = (text: string, token: Token, message: string): SnipSnapError =>
  new SnipSnapError(
    'PARSE_ERROR',
    `${message} ${token.kind === 'end' ? 'at end of input' : `"${token.text}"`} at column ${token.column} in "${text}"`,
    { path: ['pattern', token.column] },
  )

/**
 * Parses the text form of a compression pattern.
 * @throws {SnipSnapError} PARSE_ERROR naming the offending token and its column.
 * @example parseCompPat('UOP(M)-CP(K)') // { ranks: [{ primitive: 'UOP', parts: [{ dim: 'M' }] }, …] }
 */
export const parseCompPat = (text: string): CompPat => {
  const tokens = tokenize(text)
  let at = 0
  const peek = (): Token => tokens[at] as Token
  const take = (): Token => tokens[at++] as Token
  const expect = (punct: string, what: string): void => {
    const token = take()
    if (token.kind !== 'punct' || token.text !== punct) throw parseError(text, token, `expected ${what}, found`)
  }
  const positiveInt = (what: string): number => {
    const token = take()
    if (token.kind !== 'int' || !/^[0-9]+$/.test(token.text)) {
      throw parseError(text, token, `expected ${what} (a non-negative integer), found`)
    }
    const value = Number(token.text)
    if (!Number.isSafeInteger(value)) throw parseError(text, token, `${what} too large:`)
    return value
  }
  const ranks: RankSpec[] = []
  for (;;) {
    const symbolToken = take()
    if (symbolToken.kind !== 'name') throw parseError(text, symbolToken, 'expected a primitive (e.g. UOP, CP, B), found')
    const primitive = SYMBOL_ALIASES[symbolToken.text] ?? symbolToken.text
    expect('(', '"(" after the primitive')
    const parts: RankPart[] = []
    for (;;) {
      const dimToken = take()
      if (dimToken.kind !== 'name') throw parseError(text, dimToken, 'expected a dimension name, found')
      if (peek().kind === 'punct' && peek().text === ':') {
        take()
        const sizeToken = peek()
        const size = positiveInt('a part size')
        if (size < 1) throw parseError(text, sizeToken, 'part size must be at least 1, found')
        parts.push({ dim: dimToken.text, size })
      } else parts.push({ dim: dimToken.text })
      const sep = take()
      if (sep.kind === 'punct' && sep.text === ')') break
      if (!(sep.kind === 'punct' && sep.text === ',')) throw parseError(text, sep, 'expected "," or ")", found')
    }
    let options: Record<string, number> | undefined
    if (peek().kind === 'punct' && peek().text === '[') {
      take()
      options = {}
      for (;;) {
        const keyToken = take()
        if (keyToken.kind !== 'name') throw parseError(text, keyToken, 'expected an option name, found')
        if (keyToken.text in options) throw parseError(text, keyToken, 'duplicate option')
        expect('=', '"=" after the option name')
        options[keyToken.text] = positiveInt(`option ${keyToken.text}`)
        const sep = take()
        if (sep.kind === 'punct' && sep.text === ']') break
        if (!(sep.kind === 'punct' && sep.text === ',')) throw parseError(text, sep, 'expected "," or "]", found')
      }
    }
    ranks.push(options === undefined ? { primitive, parts } : { primitive, parts, options })
    const next = take()
    if (next.kind === 'end') break
    if (!(next.kind === 'punct' && next.text === '-')) throw parseError(text, next, 'expected "-" between ranks, found')
  }
  return { ranks }
}

/**
 * Prints a pattern in its canonical text form (options sorted by name); `parseCompPat` reads it back.
 * @example formatCompPat({ ranks: [{ primitive: 'CP', parts: [{ dim: 'M' }, { dim: 'K' }] }] }) // 'CP(M,K)'
 */
export const formatCompPat = (pattern: CompPat): string =>
  pattern.ranks
    .map((rank) => {
      const parts = rank.parts.map((part) => (part.size === undefined ? part.dim : `${part.dim}:${part.size}`))
      const options = rank.options === undefined ? [] : Object.keys(rank.options).sort()
      const suffix =
        options.length === 0 ? '' : `[${options.map((key) => `${key}=${rank.options?.[key]}`).join(',')}]`
      return `${rank.primitive}(${parts.join(',')})${suffix}`
    })
    .join('-')

// Binding a compression pattern to a tensor shape: resolves each rank's sub-dimension sizes (the
// dimension allocation), looks up the primitives, fills in default word widths and checks that the
// result is decodable. Every later stage (codec, size model) works on the bound form and never
// re-validates (house style §7).
import {
  invalidSpec,
  SnipSnapError,
  type FormatPrimitive,
  type Issue,
  type PrimitiveOptions,
  type RankWordBits,
  type Registry,
} from '@snipsnap/core'
import { CompPatSchema } from './schema'
import { formatCompPat, parseCompPat, type CompPat, type RankSpec } from './comp-pat'

/** One part of a tensor dimension, resolved. */
export interface BoundPart {
  readonly dim: string
  readonly dimIndex: number
  readonly size: number
}

/** One rank of a bound format. */
export interface BoundRank {
  readonly primitive: FormatPrimitive
  /** Coordinates per fiber (product of the rank's part sizes). */
  readonly fiberSize: number
  readonly parts: readonly BoundPart[]
  /** Primitive parameters with defaults filled in (without `mb`/`pb`). */
  readonly options: PrimitiveOptions
  readonly wordBits: RankWordBits
}

/** A pattern bound to a tensor shape: everything the codec and the size model need. */
export interface BoundFormat {
  /** Canonical pattern text (explicit part sizes as written, options sorted). */
  readonly text: string
  readonly pattern: CompPat
  readonly shape: readonly number[]
  readonly dimNames: readonly string[]
  readonly ranks: readonly BoundRank[]
  /** Number of tensor elements. */
  readonly tensorSize: number
}

/**
 * Default dimension names by tensor order: `K` (1-D), `M,K` (2-D, a GEMM weight W[M][K]),
 * `N,M,K` (3-D), `D0…Dn` otherwise.
 */
export const defaultDimNames = (order: number): readonly string[] => {
  if (order === 1) return ['K']
  if (order === 2) return ['M', 'K']
  if (order === 3) return ['N', 'M', 'K']
  return Array.from({ length: order }, (_, i) => `D${i}`)
}

/**
 * Checks a tensor shape: a non-empty list of positive safe integers.
 * @throws {SnipSnapError} INVALID_SPEC naming the bad entry (NaN, negative, fractional…).
 */
export const assertShape = (shape: readonly number[], path: readonly (string | number)[] = ['shape']): void => {
  if (!Array.isArray(shape) || shape.length === 0) {
    throw new SnipSnapError('INVALID_SPEC', 'shape must list at least one dimension size', { path })
  }
  let total = 1
  shape.forEach((size, i) => {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
      throw new SnipSnapError('INVALID_SPEC', `dimension size ${String(size)} must be a positive integer`, {
        path: [...path, i],
      })
    }
    total *= size
  })
  if (!Number.isSafeInteger(total)) {
    throw new SnipSnapError('INVALID_SPEC', `tensor of ${total} elements is too large`, { path })
  }
}

const WIDTH_KEYS = new Set(['mb', 'pb'])
const MAX_WORD_BITS = 53

/** Options of {@link bindFormat}. */
export interface BindFormatOptions {
  /** Pattern text or object form (validated with {@link CompPatSchema}). */
  readonly pattern: string | CompPat
  readonly shape: readonly number[]
  /** Primitive registry, e.g. `createFormatRegistry()`. */
  readonly registry: Registry<FormatPrimitive>
  /** Names of the tensor dimensions used in the pattern; defaults to {@link defaultDimNames}. */
  readonly dimNames?: readonly string[]
}

const findPrimitive = (registry: Registry<FormatPrimitive>, symbol: string): FormatPrimitive | undefined =>
  registry.list().find((p) => p.symbol === symbol || p.symbol.toLowerCase() === symbol.toLowerCase())

/**
 * Binds a pattern to a tensor shape (the dimension allocation): each rank's parts get sizes whose
 * product per dimension equals that dimension, word widths get their defaults, and decodability is
 * checked (a rank whose fibers are delimited by offsets needs a parent that stores them).
 * @throws {SnipSnapError} PARSE_ERROR for malformed text; INVALID_SPEC with a path for an unknown
 *   primitive or dimension, parts whose product is not the dimension, bad options or shapes.
 * @example bindFormat({ pattern: 'UOP(M)-CP(K)', shape: [4096, 4096], registry: createFormatRegistry() })
 */
export const bindFormat = (options: BindFormatOptions): BoundFormat => {
  const { registry, shape } = options
  assertShape(shape)
  const dimNames = options.dimNames ?? defaultDimNames(shape.length)
  if (dimNames.length !== shape.length || new Set(dimNames).size !== dimNames.length) {
    throw new SnipSnapError('INVALID_SPEC', `need ${shape.length} distinct dimension names, got [${dimNames.join(', ')}]`, {
      path: ['dimNames'],
    })
  }
  let pattern: CompPat
  if (typeof options.pattern === 'string') pattern = parseCompPat(options.pattern)
  else {
    const parsed = CompPatSchema.safeParse(options.pattern)
    if (!parsed.success) {
      throw invalidSpec(
        parsed.error.issues.map((issue) => ({
          code: issue.code,
          path: ['pattern', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
          message: issue.message,
        })),
      )
    }
    pattern = parsed.data as CompPat
  }
  const issues: Issue[] = []
  const fail = (path: (string | number)[], message: string): void => {
    issues.push({ code: 'invalid', path: ['pattern', 'ranks', ...path], message })
  }

  // Resolve implicit part sizes per dimension.
  const explicit = new Array<number>(shape.length).fill(1)
  const implicitCount = new Array<number>(shape.length).fill(0)
  pattern.ranks.forEach((rank, r) => {
    const seen = new Set<string>()
    rank.parts.forEach((part, p) => {
      const d = dimNames.indexOf(part.dim)
      if (d < 0) {
        fail([r, 'parts', p, 'dim'], `unknown dimension "${part.dim}"; the tensor's dimensions are ${dimNames.join(', ')}`)
        return
      }
      if (seen.has(part.dim)) fail([r, 'parts', p], `rank ${r + 1} holds dimension ${part.dim} twice`)
      seen.add(part.dim)
      if (part.size === undefined) implicitCount[d] = (implicitCount[d] as number) + 1
      else explicit[d] = (explicit[d] as number) * part.size
    })
  })
  const implicitSize = shape.map((size, d) => {
    const name = dimNames[d] as string
    const product = explicit[d] as number
    const implicit = implicitCount[d] as number
    if (implicit > 1) fail([], `dimension ${name} has more than one part without a size`)
    else if (implicit === 1) {
      if (size % product !== 0) fail([], `explicit parts of ${name} multiply to ${product}, which does not divide ${name} = ${size}`)
      return size / product
    } else if (product !== size) {
      const covered = pattern.ranks.some((rank) => rank.parts.some((part) => part.dim === name))
      if (covered || size !== 1) {
        fail([], covered
          ? `parts of ${name} multiply to ${product}, not ${name} = ${size}`
          : `dimension ${name} (size ${size}) is not covered by any rank`)
      }
    }
    return 1
  })
  if (issues.length > 0) throw invalidSpec(issues)

  const tensorSize = shape.reduce((a, b) => a * b, 1)
  const ranks: BoundRank[] = []
  let fibersAbove = 1
  pattern.ranks.forEach((rank: RankSpec, r) => {
    const primitive = findPrimitive(registry, rank.primitive)
    if (primitive === undefined) {
      const known = registry.list().map((p) => p.symbol).join(', ')
      fail([r, 'primitive'], `unknown primitive "${rank.primitive}"; known: ${known}`)
      return
    }
    const parts: BoundPart[] = rank.parts.map((part) => {
      const dimIndex = dimNames.indexOf(part.dim)
      return { dim: part.dim, dimIndex, size: part.size ?? (implicitSize[dimIndex] as number) }
    })
    const fiberSize = parts.reduce((a, part) => a * part.size, 1)
    // Resolve options: primitive parameters (with defaults) and width overrides.
    const given = rank.options ?? {}
    const params = primitive.parameters ?? {}
    const resolved: Record<string, number> = {}
    for (const [key, value] of Object.entries(given)) {
      if (WIDTH_KEYS.has(key)) {
        if (!Number.isInteger(value) || value < 0 || value > MAX_WORD_BITS) {
          fail([r, 'options', key], `${key} must be an integer number of bits in [0, ${MAX_WORD_BITS}], got ${value}`)
        }
      } else if (!(key in params)) {
        const allowed = ['mb', 'pb', ...Object.keys(params)].join(', ')
        fail([r, 'options', key], `${primitive.symbol} has no option "${key}"; allowed: ${allowed}`)
      }
    }
    for (const [key, spec] of Object.entries(params)) {
      const value = given[key] ?? spec.default
      if (value === undefined) {
        fail([r, 'options', key], `${primitive.symbol} needs option ${key} (${spec.description})`)
        continue
      }
      if (!Number.isInteger(value) || value < spec.min || (spec.max !== undefined && value > spec.max)) {
        fail([r, 'options', key], `${primitive.symbol} option ${key} = ${value} outside [${spec.min}, ${spec.max ?? '∞'}]`)
        continue
      }
      resolved[key] = value
    }
    if (issues.length > 0) return
    const sizeProblem = primitive.checkFiberSize?.(fiberSize, resolved)
    if (sizeProblem !== undefined) fail([r], `${primitive.symbol} over ${fiberSize} coordinates: ${sizeProblem}`)
    // Offsets of this rank index the next rank's entries; a fiber never has more entries than
    // coordinates, so the product of sizes down to the next rank bounds them.
    const nextSize = r + 1 < pattern.ranks.length ? partsSize(pattern.ranks[r + 1] as RankSpec, dimNames, implicitSize) : 1
    const maxOffset = fibersAbove * fiberSize * nextSize
    const defaults = primitive.defaultWordBits({ fiberSize, maxOffset, options: resolved })
    // The innermost rank's slots index the stored values directly, so it has no payload words.
    const innermost = r === pattern.ranks.length - 1
    const wordBits: RankWordBits = {
      metadataBits: given['mb'] ?? defaults.metadataBits,
      payloadBits: given['pb'] ?? (innermost ? 0 : defaults.payloadBits),
    }
    if (defaults.metadataBits > 0 && wordBits.metadataBits === 0) {
      fail([r, 'options', 'mb'], `${primitive.symbol} stores metadata words; mb must be at least 1`)
    }
    ranks.push({ primitive, fiberSize, parts, options: resolved, wordBits })
    fibersAbove *= fiberSize
  })
  if (issues.length > 0) throw invalidSpec(issues)

  // Decodability: a rank delimited by its parent needs offsets from it.
  ranks.forEach((rank, r) => {
    if (r === 0 || rank.primitive.delimited !== 'by-parent') return
    const parent = ranks[r - 1] as BoundRank
    if (parent.primitive.payload === 'none' || parent.wordBits.payloadBits === 0) {
      fail(
        [r, 'primitive'],
        `${rank.primitive.symbol} in rank ${r + 1} needs offsets from rank ${r} to delimit its fibers, but ${parent.primitive.symbol}${
          parent.primitive.payload === 'none' ? '' : ' with pb=0'
        } stores none (use UOP, CP, B, RLE or UB above it)`,
      )
    }
  })
  if (issues.length > 0) throw invalidSpec(issues)
  // Canonical symbols (the registry's spelling), so `cp(K)` and `CP(K)` bind to the same text.
  const canonical: CompPat = {
    ranks: pattern.ranks.map((rank, r) => ({ ...rank, primitive: (ranks[r] as BoundRank).primitive.symbol })),
  }
  return { text: formatCompPat(canonical), pattern: canonical, shape: [...shape], dimNames: [...dimNames], ranks, tensorSize }
}

const partsSize = (rank: RankSpec, dimNames: readonly string[], implicitSize: readonly number[]): number =>
  rank.parts.reduce((a, part) => a * (part.size ?? (implicitSize[dimNames.indexOf(part.dim)] as number)), 1)

// `mapping:` directives → MappingSpec, following Timeloop's mapping parser (src/mapping/parser.cpp):
// factors `M=4` or `M4`, missing factors = 1, permutations inner → outer padded with the missing
// dims in problem order, spatial split defaulting to all-X, unspecified tensors kept. Factor 0
// means "the rest of the bound" (Timeloop reads it as the full bound, which coincides whenever
// the mapping is valid: the other factors of that dim are then 1).
import type { ArchSpec, LevelMappingSpec, MappingSpec, ProblemSpec } from '@snipsnap/core'
import { at, fail, Fields, type Loc, show } from './read'

interface FactorEntry {
  readonly value: number
  readonly text: string
  readonly loc: Loc
}

interface LevelAcc {
  temporal?: { factors: Map<string, FactorEntry>; permutation: string[] | null }
  spatial?: { factors: Map<string, FactorEntry>; permutation: string[] | null; split: number | null }
  readonly keep: Set<string>
  readonly bypass: Set<string>
  readonly stream: string[]
}

const FACTOR_TERM = /([A-Za-z]+)\s*=*\s*(\d+)/y
const MAX_TERM = /([A-Za-z]+)\s*<=\s*(\d+)/y

/** Context reused across rows: lookups derived from the problem and the architecture. */
export interface MappingContext {
  readonly problem: ProblemSpec
  readonly arch: ArchSpec
  readonly levelIndex: ReadonlyMap<string, number>
  readonly dims: ReadonlySet<string>
  readonly tensors: ReadonlySet<string>
  /** Storage level names, outermost first. */
  readonly levelNames: readonly string[]
  /** Whether each storage level has a spatial fan-out ({@link spatialTilingLevels}). */
  readonly spatialLevels: readonly boolean[]
  /** Problem dimension → its index in `problem.dimensions`. */
  readonly dimIndex: ReadonlyMap<string, number>
}

const contexts = new WeakMap<ProblemSpec, WeakMap<ArchSpec, MappingContext>>()

export const mappingContext = (problem: ProblemSpec, arch: ArchSpec): MappingContext => {
  let byArch = contexts.get(problem)
  if (byArch === undefined) {
    byArch = new WeakMap()
    contexts.set(problem, byArch)
  }
  const cached = byArch.get(arch)
  if (cached !== undefined) return cached
  const context: MappingContext = {
    problem,
    arch,
    levelIndex: new Map(arch.storage.map((level, index) => [level.name, index])),
    dims: new Set(problem.dimensions),
    tensors: new Set(problem.dataSpaces.map((ds) => ds.name)),
    levelNames: arch.storage.map((level) => level.name),
    spatialLevels: spatialTilingLevels(arch),
    dimIndex: new Map(problem.dimensions.map((dim, index) => [dim, index])),
  }
  byArch.set(arch, context)
  return context
}

/**
 * Parses a factor string (`"M=4 N=1 K=0"` or `"M4 N1 K0"`) into dim → factor; 0 is kept as 0.
 * Upper bounds (`M<=8`) are only legal in constraints: pass `allowMax` to collect them.
 */
export const parseFactorString = (
  text: string,
  loc: Loc,
  dims: ReadonlySet<string>,
  options: { readonly allowMax?: boolean } = {},
): { exact: Map<string, { value: number; text: string }>; max: Map<string, number> } => {
  const exact = new Map<string, { value: number; text: string }>()
  const max = new Map<string, number>()
  const body = text.split('#')[0] ?? ''
  let pos = 0
  const skip = (): void => {
    for (;;) {
      const c = body.charCodeAt(pos)
      // space, tab, newline, carriage return, comma
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 44) pos++
      else break
    }
  }
  skip()
  while (pos < body.length) {
    MAX_TERM.lastIndex = pos
    const maxMatch = MAX_TERM.exec(body)
    if (maxMatch !== null) {
      const dim = maxMatch[1] ?? ''
      if (options.allowMax !== true) fail(loc, `${show(maxMatch[0])}: upper bounds (<=) belong in constraints, not in a mapping`)
      if (!dims.has(dim)) fail(loc, `${show(maxMatch[0])}: no dimension ${dim} in the problem`)
      const value = Number(maxMatch[2])
      if (value < 1) fail(loc, `${show(maxMatch[0])}: an upper bound must be positive`)
      if (max.has(dim) || exact.has(dim)) fail(loc, `${show(maxMatch[0])}: dimension ${dim} is constrained twice`)
      max.set(dim, value)
      pos += maxMatch[0].length
      skip()
      continue
    }
    FACTOR_TERM.lastIndex = pos
    const match = FACTOR_TERM.exec(body)
    if (match === null) {
      const rest = body.slice(pos)
      const bad = rest.split(/\s+/)[0] ?? rest
      return fail(loc, `cannot read factor ${show(bad)} in ${show(text)} (expected e.g. "M=4" or "M4")`)
    }
    const dim = match[1] ?? ''
    const termText = match[0]
    pos += termText.length
    if (body[pos] === ',') {
      fail(loc, `${show(termText + body.slice(pos).split(/\s/)[0])}: residual (imperfect) factors are not supported`, 'UNSUPPORTED_FEATURE')
    }
    if (pos < body.length && !/[\s,]/.test(body[pos] ?? '')) {
      const bad = termText + (body.slice(pos).split(/\s/)[0] ?? '')
      fail(loc, `cannot read factor ${show(bad)} in ${show(text)}`)
    }
    if (!dims.has(dim)) fail(loc, `${show(termText)}: no dimension ${dim} in the problem`)
    if (exact.has(dim) || max.has(dim)) fail(loc, `${show(termText)}: dimension ${dim} is given twice`)
    exact.set(dim, { value: Number(match[2]), text: termText })
    skip()
  }
  return { exact, max }
}

/** Parses a permutation string (inner → outer): one letter per dim, spaces ignored. */
export const parsePermutationString = (text: string, loc: Loc, dims: ReadonlySet<string>, allowWildcard = false): string[] => {
  const tokens = text.trim().split(/\s+/).filter((t) => t !== '')
  // Multi-letter dims can only be written space-separated; single letters as Timeloop does.
  const items = tokens.length > 0 && tokens.every((t) => dims.has(t)) ? tokens : [...text.replace(/\s+/g, '')]
  const out: string[] = []
  for (const item of items) {
    if (allowWildcard && item === '_') continue
    if (!dims.has(item)) fail(loc, `${show(item)} in permutation ${show(text)} is not a dimension of the problem`)
    if (out.includes(item)) fail(loc, `dimension ${item} appears twice in permutation ${show(text)}`)
    out.push(item)
  }
  return out
}

const pad = (permutation: readonly string[] | null, dimensions: readonly string[]): string[] => {
  const out = [...(permutation ?? [])]
  for (const dim of dimensions) if (!out.includes(dim)) out.push(dim)
  return out
}

const DIRECTIVE_KEYS: Readonly<Record<string, readonly string[]>> = {
  temporal: ['factors', 'permutation'],
  spatial: ['factors', 'permutation', 'split'],
  datatype: ['keep', 'bypass', 'stream'],
}

/**
 * Whether each storage level (outermost first) is a spatial tiling level for Timeloop: its
 * fan-out to the level below, (child meshX / meshX) · (child meshY / meshY), is above 1
 * (mapping/arch-properties.cpp, ArchProperties::Construct). Timeloop refuses a `type: spatial`
 * directive at any other level ("cannot find spatial tiling level associated with storage level").
 */
export const spatialTilingLevels = (arch: ArchSpec): boolean[] =>
  arch.storage.map((level, i) => {
    const child = arch.storage[i + 1] ?? arch.compute
    const fx = Math.floor(child.meshX / Math.max(1, level.meshX))
    const fy = Math.floor(child.meshY / Math.max(1, level.meshY))
    return fx * fy > 1
  })

/**
 * Parses Timeloop's `mapping:` list against a problem and an architecture.
 * @throws {SnipSnapError} INVALID_SPEC (e.g. `mapping[3].factors: "M=5" does not divide M=512`)
 *   or UNSUPPORTED_FEATURE (skews, residual factors, …).
 */
export const parseMappingSection = (value: unknown, loc: Loc, context: MappingContext): MappingSpec => {
  const { problem, arch } = context
  if (!Array.isArray(value)) return fail(loc, `expected a list of directives, got ${show(value)}`)
  const levels: LevelAcc[] = arch.storage.map(() => ({ keep: new Set(), bypass: new Set(), stream: [] }))
  const levelNames = arch.storage.map((level) => level.name)
  const spatialLevels = spatialTilingLevels(arch)

  for (const [index, directive] of value.entries()) {
    const dloc = at(loc, index)
    const f = new Fields(directive, dloc, 'a mapping directive')
    const rawTarget = f.get('target')
    let levelId: number | undefined
    if (typeof rawTarget === 'number' && Number.isInteger(rawTarget)) {
      // Numeric targets count storage levels from the innermost (Timeloop's ids).
      const inner = levelNames.length - 1 - rawTarget
      levelId = rawTarget >= 0 && inner >= 0 ? inner : undefined
      if (levelId === undefined) fail(f.locOf('target'), `storage level id ${rawTarget} out of range 0..${levelNames.length - 1}`)
    } else {
      const target = f.reqStr('target')
      levelId = context.levelIndex.get(target)
      if (levelId === undefined) {
        fail(f.locOf('target'), `no storage level named ${show(target)} (levels: ${levelNames.join(', ')})`)
      }
    }
    const acc = levels[levelId ?? 0] as LevelAcc
    const levelName = levelNames[levelId ?? 0] ?? ''
    const rawType = f.reqStr('type')
    const type = rawType === 'bypass' || rawType === 'bypassing' ? 'datatype' : rawType
    const allowed = DIRECTIVE_KEYS[type]
    if (allowed === undefined) {
      return fail(f.locOf('type'), `mapping directive type ${show(rawType)} is not supported (temporal, spatial, datatype, bypass)`, 'UNSUPPORTED_FEATURE')
    }
    for (const key of allowed) f.get(key)
    f.checkUnknown(`${rawType} directive`)

    if (type === 'datatype') {
      const lists = { keep: f.strings('keep') ?? [], bypass: f.strings('bypass') ?? [], stream: f.strings('stream') ?? [] }
      for (const [kind, names] of Object.entries(lists)) {
        for (const [i, tensor] of names.entries()) {
          if (!context.tensors.has(tensor)) fail(at(f.locOf(kind), i), `no data space named ${show(tensor)}`)
        }
      }
      for (const tensor of lists.keep) {
        if (acc.bypass.has(tensor)) fail(f.locOf('keep'), `${tensor} is both kept and bypassed at ${levelName}`)
        acc.keep.add(tensor)
      }
      for (const tensor of lists.bypass) {
        if (acc.keep.has(tensor)) fail(f.locOf('bypass'), `${tensor} is both kept and bypassed at ${levelName}`)
        acc.bypass.add(tensor)
      }
      for (const tensor of lists.stream) if (!acc.stream.includes(tensor)) acc.stream.push(tensor)
      continue
    }

    if (type === 'spatial' && levelId !== undefined && !spatialLevels[levelId]) {
      const below = levelNames[levelId + 1] ?? arch.compute.name
      fail(
        f.locOf('type'),
        `cannot find spatial tiling level associated with storage level ${levelName}: ${below} below it has the same mesh, so there is no spatial fan-out (Timeloop refuses this directive)`,
      )
    }
    if (acc[type as 'temporal' | 'spatial'] !== undefined) {
      fail(f.locOf('type'), `a second ${type} directive for ${levelName}`)
    }
    const factorText = f.str('factors')
    const factors = new Map<string, FactorEntry>()
    if (factorText !== undefined) {
      const floc = f.locOf('factors')
      const parsed = parseFactorString(factorText, floc, context.dims)
      for (const [dim, { value: factor, text }] of parsed.exact) {
        const bound = problem.bounds[dim] ?? 1
        if (factor !== 0 && bound % factor !== 0) fail(floc, `${show(text)} does not divide ${dim}=${bound}`)
        factors.set(dim, { value: factor, text, loc: floc })
      }
    }
    const permText = f.str('permutation')
    const permutation = permText === undefined ? null : parsePermutationString(permText, f.locOf('permutation'), context.dims)
    if (type === 'temporal') acc.temporal = { factors, permutation }
    else {
      const split = f.count('split') ?? null
      if (split !== null && split > problem.dimensions.length) {
        fail(f.locOf('split'), `split ${split} exceeds the ${problem.dimensions.length} dimensions`)
      }
      acc.spatial = { factors, permutation, split }
    }
  }

  // Resolve `D=0` ("the rest") and check that every dim's factors multiply to its bound.
  for (const dim of problem.dimensions) {
    const bound = problem.bounds[dim] ?? 1
    let product = 1
    let zero: FactorEntry | undefined
    let zeroMap: Map<string, FactorEntry> | undefined
    for (const acc of levels) {
      for (const map of [acc.temporal?.factors, acc.spatial?.factors]) {
        const entry = map?.get(dim)
        if (entry === undefined || map === undefined) continue
        if (entry.value === 0) {
          if (zero !== undefined) fail(entry.loc, `${show(entry.text)}: only one factor of ${dim} may be 0 ("the rest"); ${show(zero.text)} is another`)
          zero = entry
          zeroMap = map
        } else product *= entry.value
      }
    }
    if (zero !== undefined && zeroMap !== undefined) {
      if (bound % product !== 0) fail(zero.loc, `${show(zero.text)}: the other factors of ${dim} multiply to ${product}, which does not divide ${dim}=${bound}`)
      zeroMap.set(dim, { ...zero, value: bound / product })
      product = bound
    }
    if (product !== bound) fail(loc, `the factors of ${dim} multiply to ${product}, not to the bound ${dim}=${bound}`)
  }

  const out: LevelMappingSpec[] = levels.map((acc, index) => {
    const temporalFactors: Record<string, number> = {}
    const spatialFactors: Record<string, number> = {}
    for (const dim of problem.dimensions) {
      temporalFactors[dim] = acc.temporal?.factors.get(dim)?.value ?? 1
      spatialFactors[dim] = acc.spatial?.factors.get(dim)?.value ?? 1
    }
    return {
      target: levelNames[index] ?? '',
      temporalFactors,
      temporalPermutation: pad(acc.temporal?.permutation ?? null, problem.dimensions),
      spatialFactors,
      spatialPermutation: pad(acc.spatial?.permutation ?? null, problem.dimensions),
      spatialSplit: acc.spatial?.split ?? problem.dimensions.length,
      keep: [...acc.keep],
      bypass: [...acc.bypass],
      stream: acc.stream,
    }
  })
  return { levels: out }
}

/** One level's directives as the fast readers collect them; factors by dimension index (UNSET where not given). */
export interface FastLevel {
  temporal: { readonly factors: number[]; readonly permutation: string[] | null } | undefined
  spatial: { readonly factors: number[]; readonly permutation: string[] | null; readonly split: number | null } | undefined
  readonly keep: string[]
  readonly bypass: string[]
  readonly stream: string[]
}

const FAST_KEYS: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries(DIRECTIVE_KEYS).map(([type, keys]) => [type, new Set(['target', 'type', ...keys])]),
)
const FAST_FACTOR = /^([A-Za-z]+)=?([0-9]+)$/
const FAST_FACTOR_TEXT = /^[A-Za-z0-9= ]*$/
export const UNSET = -1

/** `M=4 N1 K=0` → factors by dimension index (UNSET where not given), or undefined. */
const fastFactors = (text: unknown, context: MappingContext): number[] | undefined => {
  const { dimIndex, problem } = context
  const factors = new Array<number>(problem.dimensions.length).fill(UNSET)
  if (text === undefined) return factors
  if (typeof text !== 'string' || !FAST_FACTOR_TEXT.test(text)) return undefined
  for (const term of text.split(' ')) {
    if (term === '') continue
    const match = FAST_FACTOR.exec(term)
    if (match === null) return undefined
    const index = dimIndex.get(match[1] as string)
    if (index === undefined || factors[index] !== UNSET) return undefined
    const value = Number(match[2])
    const bound = problem.bounds[problem.dimensions[index] as string] ?? 1
    if (value !== 0 && bound % value !== 0) return undefined
    factors[index] = value
  }
  return factors
}

/** `KMN` (one letter per dimension) or a lone multi-letter dimension, or undefined. */
const fastPermutation = (text: unknown, context: MappingContext): string[] | null | undefined => {
  if (text === undefined) return null
  if (typeof text !== 'string' || text === '' || /\s/.test(text)) return undefined
  const items = context.dimIndex.has(text) ? [text] : [...text]
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string
    if (!context.dimIndex.has(item) || items.indexOf(item) !== i) return undefined
  }
  return items
}

/** A list of known tensor names (absent = none), or undefined. */
const fastTensors = (value: unknown, context: MappingContext): readonly string[] | undefined => {
  if (value === undefined) return []
  if (!Array.isArray(value)) return undefined
  for (const item of value) if (typeof item !== 'string' || !context.tensors.has(item)) return undefined
  return value as string[]
}

/**
 * {@link parseMappingSection} for the common case, without building error locations: plain
 * directives as the fast YAML reader returns them (string targets and types, string factors
 * `M=4`/`M4` separated by spaces, unspaced permutations, integer splits, lists of tensor names).
 * Returns undefined wherever the general reader would fail or reads something this one does not
 * cover; the caller then runs {@link parseMappingSection}, which gives the result or the precise
 * error. Every result equals the general reader's (mapping-fast.test.ts checks shared and mutated
 * rows).
 */
export const parseMappingSectionFast = (value: unknown, context: MappingContext): MappingSpec | undefined => {
  if (!Array.isArray(value)) return undefined
  const { problem, levelIndex, spatialLevels } = context
  const dims = problem.dimensions
  const levels = emptyFastLevels(context)
  for (const directive of value) {
    if (typeof directive !== 'object' || directive === null || Array.isArray(directive)) return undefined
    const d = directive as Readonly<Record<string, unknown>>
    const target = d['target']
    const rawType = d['type']
    if (typeof target !== 'string' || typeof rawType !== 'string') return undefined
    const levelId = levelIndex.get(target)
    if (levelId === undefined) return undefined
    const type = rawType === 'bypass' || rawType === 'bypassing' ? 'datatype' : rawType
    const allowed = Object.hasOwn(FAST_KEYS, type) ? FAST_KEYS[type] : undefined
    if (allowed === undefined) return undefined
    for (const key of Object.keys(d)) if (!allowed.has(key)) return undefined
    const acc = levels[levelId] as FastLevel
    if (type === 'datatype') {
      const keep = fastTensors(d['keep'], context)
      const bypass = fastTensors(d['bypass'], context)
      const stream = fastTensors(d['stream'], context)
      if (keep === undefined || bypass === undefined || stream === undefined) return undefined
      for (const tensor of keep) {
        if (acc.bypass.includes(tensor)) return undefined
        if (!acc.keep.includes(tensor)) acc.keep.push(tensor)
      }
      for (const tensor of bypass) {
        if (acc.keep.includes(tensor)) return undefined
        if (!acc.bypass.includes(tensor)) acc.bypass.push(tensor)
      }
      for (const tensor of stream) if (!acc.stream.includes(tensor)) acc.stream.push(tensor)
      continue
    }
    if (type === 'spatial' && !spatialLevels[levelId]) return undefined
    if (acc[type as 'temporal' | 'spatial'] !== undefined) return undefined
    const factors = fastFactors(d['factors'], context)
    const permutation = fastPermutation(d['permutation'], context)
    if (factors === undefined || permutation === undefined) return undefined
    if (type === 'temporal') acc.temporal = { factors, permutation }
    else {
      const split = d['split']
      if (split !== undefined && !(typeof split === 'number' && Number.isInteger(split) && split >= 0 && split <= dims.length)) return undefined
      acc.spatial = { factors, permutation, split: split ?? null }
    }
  }
  return finishFastLevels(levels, context)
}

/** A level's collected directives with none given (see {@link finishFastLevels}). */
export const emptyFastLevels = (context: MappingContext): FastLevel[] =>
  context.levelNames.map(() => ({ temporal: undefined, spatial: undefined, keep: [], bypass: [], stream: [] }))

/**
 * The mapping from the fast readers' collected directives (one {@link FastLevel} per storage
 * level, outermost first): `D=0` resolved to the rest of the bound, every dimension's factors
 * checked to multiply to its bound, missing factors 1, permutations padded. Undefined where the
 * general reader would fail.
 */
export const finishFastLevels = (levels: FastLevel[], context: MappingContext): MappingSpec | undefined => {
  const { problem, levelNames } = context
  const dims = problem.dimensions
  // `D=0` is the rest of the bound; every dimension's factors multiply to its bound.
  for (let dim = 0; dim < dims.length; dim++) {
    const bound = problem.bounds[dims[dim] as string] ?? 1
    let product = 1
    let zero: number[] | undefined
    for (const acc of levels) {
      for (const factors of [acc.temporal?.factors, acc.spatial?.factors]) {
        const factor = factors?.[dim] ?? UNSET
        if (factor === 0) {
          if (zero !== undefined) return undefined
          zero = factors
        } else if (factor !== UNSET) product *= factor
      }
    }
    if (zero !== undefined) {
      if (bound % product !== 0) return undefined
      zero[dim] = bound / product
      product = bound
    }
    if (product !== bound) return undefined
  }

  const out: LevelMappingSpec[] = levels.map((acc, index) => {
    const temporalFactors: Record<string, number> = {}
    const spatialFactors: Record<string, number> = {}
    for (let dim = 0; dim < dims.length; dim++) {
      const t = acc.temporal?.factors[dim] ?? UNSET
      const s = acc.spatial?.factors[dim] ?? UNSET
      temporalFactors[dims[dim] as string] = t === UNSET ? 1 : t
      spatialFactors[dims[dim] as string] = s === UNSET ? 1 : s
    }
    return {
      target: levelNames[index] as string,
      temporalFactors,
      temporalPermutation: pad(acc.temporal?.permutation ?? null, dims),
      spatialFactors,
      spatialPermutation: pad(acc.spatial?.permutation ?? null, dims),
      spatialSplit: acc.spatial?.split ?? dims.length,
      keep: acc.keep,
      bypass: acc.bypass,
      stream: acc.stream,
    }
  })
  return { levels: out }
}

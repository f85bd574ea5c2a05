// `sparse_optimizations:` → SparseOptimizationsSpec (Sparseloop's sparse-optimization-parser.cpp):
// per-level representation formats, storage gating/skipping SAFs and compute SAFs, in both the
// 2022 hyphenated and the newer underscored spellings.
import { createRankFormatTable, SPARSELOOP_RANK_FORMATS, type RankFormatSource, type RankFormatTable } from '@snipsnap/core'
import type {
  ActionOptimizationOption,
  ActionOptimizationSpec,
  ArchSpec,
  ComputeOptimizationSpec,
  ProblemSpec,
  RankFormatSpec,
  SparseOptimizationTargetSpec,
  SparseOptimizationsSpec,
  TensorFormatSpec,
} from '@snipsnap/core'
import { at, fail, Fields, type Loc, show } from './read'

// The formats Sparseloop YAML knows; a caller's format registry (plug-in primitives) replaces them.
const { UOP, CP, B, RLE, UB } = SPARSELOOP_RANK_FORMATS
const SPARSELOOP_YAML_FORMATS = createRankFormatTable([UOP, CP, B, RLE, UB])

const ACTION_TYPES: Readonly<Record<string, ActionOptimizationSpec['type']>> = {
  gating: 'gating',
  skipping: 'skipping',
  'skipping-spatial': 'skipping-spatial',
  skipping_spatial: 'skipping-spatial',
  'position-skipping': 'position-skipping',
  position_skipping: 'position-skipping',
}

const parseRank = (value: unknown, loc: Loc, dims: ReadonlySet<string>, table: RankFormatTable): RankFormatSpec => {
  const f = new Fields(value, loc, 'a rank { format, … }')
  const raw = f.reqStr('format')
  if (!table.has(raw)) {
    fail(f.locOf('format'), `unknown representation format ${show(raw)} (supported: ${table.symbols.join(', ')})`, 'UNSUPPORTED_FEATURE')
  }
  const format = table.resolve(raw).symbol
  let flattenedRankIds: string[][] | null = null
  const flat = f.get('flattened_rankIDs', 'flattened_rank_ids')
  if (flat !== undefined && flat !== null) {
    const floc = f.locOf(f.which('flattened_rankIDs', 'flattened_rank_ids') ?? 'flattened-rankIDs')
    if (!Array.isArray(flat)) return fail(floc, `expected a list of dimension lists, got ${show(flat)}`)
    // A flat list of names is one group.
    const groups: unknown[] = flat.every((item) => typeof item === 'string') ? [flat] : flat
    flattenedRankIds = groups.map((group, g) => {
      if (!Array.isArray(group)) return fail(at(floc, g), `expected a list of dimensions, got ${show(group)}`)
      return group.map((dim, d) => {
        if (typeof dim !== 'string' || !dims.has(dim)) return fail(at(floc, g, d), `${show(dim)} is not a dimension of the problem`)
        return dim
      })
    })
  }
  const metadataWordBits = f.count('metadata_word_bits') ?? null
  const payloadWordBits = f.count('payload_word_bits') ?? null
  f.checkUnknown('rank')
  return { format, metadataWordBits, payloadWordBits, flattenedRankIds }
}

const parseTensorFormat = (value: unknown, loc: Loc, problem: ProblemSpec, tensors: ReadonlySet<string>, table: RankFormatTable): TensorFormatSpec => {
  const f = new Fields(value, loc, 'a data-space format { name, ranks }')
  const tensor = f.reqStr('name')
  if (!tensors.has(tensor)) fail(f.locOf('name'), `no data space named ${show(tensor)}`)
  const order = f.str('rank_application_order') ?? 'outer-to-inner'
  if (order !== 'inner-to-outer' && order !== 'outer-to-inner') {
    fail(f.locOf('rank_application_order'), `expected inner-to-outer or outer-to-inner, got ${show(order)}`)
  }
  const dims = new Set(problem.dimensions)
  const ranksList = f.list('ranks') ?? fail(f.locOf('ranks'), 'is required')
  const ranks = ranksList.map((rank, r) => parseRank(rank, at(f.locOf('ranks'), r), dims, table))
  f.checkUnknown('data-space format')
  return { tensor, rankApplicationOrder: order as TensorFormatSpec['rankApplicationOrder'], ranks }
}

const parseOption = (f: Fields, tensors: ReadonlySet<string>): ActionOptimizationOption => {
  const target = f.reqStr('target')
  if (!tensors.has(target)) fail(f.locOf('target'), `no data space named ${show(target)}`)
  const conditionOn = f.strings('condition_on') ?? []
  for (const [i, name] of conditionOn.entries()) {
    if (!tensors.has(name)) fail(at(f.locOf('condition_on'), i), `no data space named ${show(name)}`)
  }
  return { target, conditionOn }
}

const parseAction = (value: unknown, loc: Loc, tensors: ReadonlySet<string>): ActionOptimizationSpec => {
  const f = new Fields(value, loc, 'an action optimization { type, … }')
  const rawType = f.reqStr('type')
  const type = ACTION_TYPES[rawType]
  if (type === undefined) {
    return fail(f.locOf('type'), `unknown action-optimization type ${show(rawType)} (supported: gating, skipping, skipping-spatial)`, 'UNSUPPORTED_FEATURE')
  }
  const optionList = f.list('options')
  let options: ActionOptimizationOption[]
  if (optionList !== undefined) {
    if (f.has('target') || f.has('condition_on')) fail(f.loc, 'give either target/condition-on or options, not both')
    if (optionList.length === 0) fail(f.locOf('options'), 'needs at least one option')
    options = optionList.map((option, i) => {
      const o = new Fields(option, at(f.locOf('options'), i), 'an option { target, condition-on }')
      const parsed = parseOption(o, tensors)
      o.checkUnknown('option')
      return parsed
    })
  } else {
    options = [parseOption(f, tensors)]
  }
  f.checkUnknown('action-optimization')
  return { type, options }
}

const parseCompute = (value: unknown, loc: Loc): ComputeOptimizationSpec => {
  const f = new Fields(value, loc, 'a compute optimization { type }')
  const type = f.reqStr('type')
  if (type !== 'gating' && type !== 'skipping') {
    fail(f.locOf('type'), `unknown compute-optimization type ${show(type)} (supported: gating, skipping)`, 'UNSUPPORTED_FEATURE')
  }
  f.checkUnknown('compute-optimization')
  return { type: type as ComputeOptimizationSpec['type'] }
}

/**
 * Parses Sparseloop's `sparse_optimizations:` section.
 * @throws {SnipSnapError} INVALID_SPEC / UNSUPPORTED_FEATURE naming the file and YAML path.
 */
export const parseSparseSection = (
  value: unknown,
  loc: Loc,
  problem: ProblemSpec,
  arch: ArchSpec,
  formats?: RankFormatSource,
): SparseOptimizationsSpec => {
  const table = formats === undefined ? SPARSELOOP_YAML_FORMATS : createRankFormatTable(formats)
  if (value === null || value === undefined) return { targets: [] }
  const root = new Fields(value, loc, 'a sparse_optimizations mapping')
  const list = root.list('targets') ?? []
  root.checkUnknown('sparse_optimizations')
  const tensors = new Set(problem.dataSpaces.map((ds) => ds.name))
  const storageNames = new Set(arch.storage.map((s) => s.name))
  const seen = new Set<string>()
  const targets: SparseOptimizationTargetSpec[] = list.map((entry, index) => {
    const f = new Fields(entry, at(root.locOf('targets'), index), 'a target { name, … }')
    const level = f.reqStr('name', 'target')
    const isCompute = level === arch.compute.name
    if (!storageNames.has(level) && !isCompute) {
      fail(f.locOf(f.which('name', 'target') ?? 'name'), `no level named ${show(level)} (levels: ${[...storageNames, arch.compute.name].join(', ')})`)
    }
    if (seen.has(level)) fail(f.locOf('name'), `level ${show(level)} has two sparse_optimizations entries`)
    seen.add(level)

    let formats: TensorFormatSpec[] = []
    const rep = f.get('representation_format')
    if (rep !== undefined && rep !== null) {
      const rloc = f.locOf('representation_format')
      if (isCompute) fail(rloc, 'a compute level has no representation format')
      const r = new Fields(rep, rloc, 'a representation format { data-spaces }')
      const spaces = r.list('data_spaces') ?? []
      formats = spaces.map((space, i) => parseTensorFormat(space, at(r.locOf('data_spaces'), i), problem, tensors, table))
      r.checkUnknown('representation-format')
      const names = new Set<string>()
      for (const format of formats) {
        if (names.has(format.tensor)) fail(r.locOf('data_spaces'), `${format.tensor} has two formats at ${level}`)
        names.add(format.tensor)
      }
    }
    const actionList = f.list('action_optimization') ?? []
    const actionOptimizations = actionList.map((action, i) => parseAction(action, at(f.locOf('action_optimization'), i), tensors))
    if (isCompute && actionOptimizations.length > 0) {
      fail(f.locOf('action_optimization'), 'use compute-optimization at the compute level')
    }
    const computeList = f.list('compute_optimization') ?? []
    const computeOptimizations = computeList.map((c, i) => parseCompute(c, at(f.locOf('compute_optimization'), i)))
    if (!isCompute && computeOptimizations.length > 0) {
      fail(f.locOf('compute_optimization'), `compute-optimization belongs to the compute level ${arch.compute.name}, not ${level}`)
    }
    f.checkUnknown('sparse_optimizations target')
    return { level, formats, actionOptimizations, computeOptimizations }
  })
  return { targets }
}

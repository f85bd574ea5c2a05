// `architecture_constraints:` / `mapspace_constraints:` → ConstraintSpec[] (Timeloop's
// src/mapping/constraints.cpp), and `mapper:` → MapperSettingsSpec.
import type { ConstraintSpec, FactorConstraintSpec, MapperSettingsSpec } from '@snipsnap/core'
import { assertFiniteData, at, fail, Fields, type Loc, show } from './read'
import { type MappingContext, parseFactorString, parsePermutationString } from './mapping'

const CONSTRAINT_TYPES: Readonly<Record<string, ConstraintSpec['type']>> = {
  temporal: 'temporal',
  spatial: 'spatial',
  datatype: 'datatype',
  bypass: 'bypass',
  bypassing: 'bypass',
  utilization: 'utilization',
  parallelism: 'utilization',
}

const CONSTRAINT_KEYS = ['target', 'name', 'type', 'factors', 'permutation', 'split', 'keep', 'bypass', 'min']

/**
 * Parses a constraints section: `{ targets: [...] }` or a bare list.
 * @throws {SnipSnapError} INVALID_SPEC / UNSUPPORTED_FEATURE naming the file and YAML path.
 */
export const parseConstraintsSection = (
  value: unknown,
  loc: Loc,
  source: 'architecture' | 'mapspace',
  context: MappingContext,
): ConstraintSpec[] => {
  if (value === null || value === undefined) return []
  let list: readonly unknown[]
  let listLoc = loc
  if (Array.isArray(value)) list = value
  else {
    const root = new Fields(value, loc, 'a constraints mapping { targets }')
    list = root.list('targets', 'constraints') ?? []
    listLoc = root.locOf(root.which('targets', 'constraints') ?? 'targets')
    root.checkUnknown('constraints')
  }
  const { problem, arch } = context
  const names = arch.storage.map((level) => level.name)
  return list.map((entry, index): ConstraintSpec => {
    const f = new Fields(entry, at(listLoc, index), 'a constraint { target, type, … }')
    if (f.has('constraints') || f.has('attributes')) {
      fail(f.loc, 'nested constraint lists / attributes blocks are not supported; write one entry per constraint', 'UNSUPPORTED_FEATURE')
    }
    const target = f.reqStr('target', 'name')
    if (!names.includes(target)) fail(f.locOf(f.which('target', 'name') ?? 'target'), `no storage level named ${show(target)} (levels: ${names.join(', ')})`)
    const rawType = f.reqStr('type')
    const type = CONSTRAINT_TYPES[rawType]
    if (type === undefined) {
      return fail(f.locOf('type'), `constraint type ${show(rawType)} is not supported (temporal, spatial, datatype/bypass, utilization)`, 'UNSUPPORTED_FEATURE')
    }
    const factors: Record<string, FactorConstraintSpec> = {}
    const factorText = f.str('factors')
    if (factorText !== undefined) {
      const parsed = parseFactorString(factorText, f.locOf('factors'), context.dims, { allowMax: true })
      for (const [dim, { value: exact }] of parsed.exact) {
        const bound = problem.bounds[dim] ?? 1
        // In constraints Timeloop reads 0 as the full bound.
        factors[dim] = { exact: exact === 0 ? bound : exact, max: null }
      }
      for (const [dim, max] of parsed.max) factors[dim] = { exact: null, max }
    }
    const permText = f.str('permutation')
    const permutation = permText === undefined ? null : parsePermutationString(permText, f.locOf('permutation'), context.dims, true)
    const split = f.count('split') ?? null
    const tensors = new Set(problem.dataSpaces.map((ds) => ds.name))
    const keep = f.strings('keep') ?? []
    const bypass = f.strings('bypass') ?? []
    for (const [kind, list2] of [['keep', keep], ['bypass', bypass]] as const) {
      for (const [i, tensor] of list2.entries()) {
        if (!tensors.has(tensor)) fail(at(f.locOf(kind), i), `no data space named ${show(tensor)}`)
      }
    }
    if (type === 'utilization') {
      const min = f.nonNegative('min')
      if (min === undefined) fail(f.locOf('min'), 'is required')
    }
    for (const key of CONSTRAINT_KEYS) f.get(key)
    f.checkUnknown(`${rawType} constraint`)
    assertFiniteData(f.raw, f.loc)
    return { target, source, type, factors, permutation, split, keep, bypass, raw: f.raw }
  })
}

// Timeloop mapper settings that only change what it prints: accepted without a word.
const MAPPER_DISPLAY_KEYS = new Set(['live_status', 'log_stats', 'log_suboptimal', 'log_all', 'diagnostics', 'emit_whoop_nest', 'out_prefix'])
// Timeloop mapper settings that steer its own search; SnipSnap's search has its own options.
const MAPPER_SEARCH_KEYS = new Set(['filter_revisits', 'max_permutations_per_if_visit', 'penalize_consecutive_bypass_fails', 'sync_interval', 'max_temporal_loops_in_a_mapping'])

const ALGORITHMS = new Set(['linear-pruned', 'random-pruned', 'exhaustive', 'hybrid', 'random', 'linear'])

/**
 * Parses Timeloop's `mapper:` settings.
 * @throws {SnipSnapError} INVALID_SPEC naming the file and YAML path.
 */
export const parseMapperSection = (value: unknown, loc: Loc): MapperSettingsSpec => {
  const f = new Fields(value, loc, 'a mapper mapping')
  const algorithm = f.str('algorithm') ?? 'hybrid'
  if (!ALGORITHMS.has(algorithm)) fail(f.locOf('algorithm'), `unknown mapper algorithm ${show(algorithm)} (${[...ALGORITHMS].join(', ')})`, 'UNSUPPORTED_FEATURE')
  const threads = f.positive('num_threads') ?? null
  const metrics = f.strings('optimization_metrics', 'optimization_metric') ?? []
  assertFiniteData(f.raw, f.loc)
  const settings: MapperSettingsSpec = {
    algorithm,
    threads,
    optimizationMetrics: metrics,
    searchSize: f.count('search_size') ?? null,
    timeout: f.count('timeout') ?? null,
    victoryCondition: f.count('victory_condition') ?? null,
    raw: f.raw,
  }
  f.checkUnknown('mapper', { quiet: MAPPER_DISPLAY_KEYS, notModelled: MAPPER_SEARCH_KEYS })
  return settings
}

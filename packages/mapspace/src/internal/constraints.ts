// Timeloop architecture/mapspace constraints, normalised per storage level and validated once at
// the edge: unknown levels, dimensions or tensors, contradictory factors, permutations naming
// unknown dims and spatial constraints beyond the hardware fan-out become INVALID_SPEC errors that
// name the constraint and the field.
import {
  SnipSnapError,
  type ConstraintSpec,
  type DimName,
  type ProblemSpec,
  type TensorName,
} from '@snipsnap/core'
import type { LevelInfo } from './arch'
import { FREE, type SlotRule } from './factors'

/** The constraints that apply to one storage level. */
export interface LevelRules {
  readonly temporalFactors: Map<DimName, SlotRule>
  temporalPermutation: DimName[] | null
  /** Outermost loops of a `prefix_suffix` permutation (Timeloop's `CK_PQ`), innermost first. */
  temporalSuffix: DimName[]
  readonly spatialFactors: Map<DimName, SlotRule>
  spatialPermutation: DimName[] | null
  split: number | null
  readonly keep: Set<TensorName>
  readonly bypass: Set<TensorName>
}

const emptyRules = (): LevelRules => ({
  temporalFactors: new Map(),
  temporalPermutation: null,
  temporalSuffix: [],
  spatialFactors: new Map(),
  spatialPermutation: null,
  split: null,
  keep: new Set(),
  bypass: new Set(),
})

const invalid = (message: string, path: readonly (string | number)[]): SnipSnapError =>
  new SnipSnapError('INVALID_SPEC', message, { path })

const mergeRule = (
  into: Map<DimName, SlotRule>,
  dim: DimName,
  rule: SlotRule,
  path: readonly (string | number)[],
): void => {
  const old = into.get(dim)
  if (old === undefined) {
    into.set(dim, rule)
    return
  }
  if (old.exact !== null && rule.exact !== null && old.exact !== rule.exact) {
    throw invalid(`conflicting factors for ${dim}: ${old.exact} and ${rule.exact}`, path)
  }
  if (old.rest !== rule.rest && (old.exact !== null || rule.exact !== null)) {
    throw invalid(`conflicting factors for ${dim}: a fixed factor and "the rest" (${dim}=0)`, path)
  }
  const max = old.max === null ? rule.max : rule.max === null ? old.max : Math.min(old.max, rule.max)
  into.set(dim, { exact: old.exact ?? rule.exact, max, rest: old.rest || rule.rest })
}

const checkPermutation = (
  permutation: readonly DimName[],
  problem: ProblemSpec,
  path: readonly (string | number)[],
): DimName[] => {
  const seen = new Set<DimName>()
  for (const dim of permutation) {
    if (!problem.dimensions.includes(dim)) {
      throw invalid(`permutation names unknown dimension "${dim}" (known: ${problem.dimensions.join(', ')})`, path)
    }
    if (seen.has(dim)) throw invalid(`permutation lists dimension "${dim}" twice`, path)
    seen.add(dim)
  }
  return [...permutation]
}

/**
 * Normalises constraints to one {@link LevelRules} per storage level (outermost first).
 * @throws {SnipSnapError} INVALID_SPEC naming `constraints[i].<field>` for any contradiction.
 */
export const normaliseConstraints = (options: {
  readonly constraints: readonly ConstraintSpec[]
  readonly problem: ProblemSpec
  readonly levels: readonly LevelInfo[]
  /** When false (spatial skipping present) spatial factors may exceed the dense fan-out. */
  readonly filterFanout: boolean
}): LevelRules[] => {
  const { constraints, problem, levels, filterFanout } = options
  const rules = levels.map(() => emptyRules())
  const spatialSource: (number | undefined)[] = levels.map(() => undefined)
  const tensors = new Set(problem.dataSpaces.map((d) => d.name))
  constraints.forEach((c, ci) => {
    const base = ['constraints', ci]
    const level = levels.find((l) => l.name === c.target)
    if (level === undefined) {
      throw invalid(
        `constraint targets unknown storage level "${c.target}" (known: ${levels.map((l) => l.name).join(', ')})`,
        [...base, 'target'],
      )
    }
    const r = rules[level.index] as LevelRules
    if (c.type === 'utilization') return
    if (c.type === 'bypass' || c.type === 'datatype') {
      for (const [field, list] of [
        ['keep', c.keep],
        ['bypass', c.bypass],
      ] as const) {
        list.forEach((t, ti) => {
          if (!tensors.has(t)) {
            throw invalid(`unknown tensor "${t}" (known: ${[...tensors].join(', ')})`, [...base, field, ti])
          }
        })
      }
      for (const t of c.keep) r.keep.add(t)
      for (const t of c.bypass) r.bypass.add(t)
      for (const t of r.keep) {
        if (r.bypass.has(t)) throw invalid(`tensor "${t}" is both kept and bypassed at ${c.target}`, [...base, 'bypass'])
      }
      return
    }
    const spatial = c.type === 'spatial'
    if (spatial) spatialSource[level.index] = ci
    const target = spatial ? r.spatialFactors : r.temporalFactors
    for (const [dim, f] of Object.entries(c.factors)) {
      const path = [...base, 'factors', dim]
      const bound = problem.bounds[dim]
      if (bound === undefined) {
        throw invalid(`factor names unknown dimension "${dim}" (known: ${problem.dimensions.join(', ')})`, path)
      }
      for (const v of [f.exact, f.max]) {
        if (v !== null && (!Number.isInteger(v) || v < 0)) throw invalid(`factor of ${dim} must be a non-negative integer, got ${v}`, path)
      }
      const rest = f.exact === 0
      const exact = rest ? null : f.exact
      if (exact !== null && bound % exact !== 0) {
        throw invalid(`factor ${dim}=${exact} does not divide the dimension bound ${bound}`, path)
      }
      if (f.max !== null && f.max < 1) throw invalid(`bound ${dim}<=${f.max} leaves no factor`, path)
      if (spatial && exact !== null && exact > 1 && level.fanout === 1) {
        throw invalid(`spatial factor ${dim}=${exact} at ${c.target}, which has no fan-out (mesh 1×1 below it)`, path)
      }
      mergeRule(target, dim, { exact, max: f.max, rest }, path)
    }
    if (spatial && filterFanout) {
      let product = 1
      for (const rule of r.spatialFactors.values()) product *= rule.exact ?? 1
      if (product > level.fanout) {
        throw invalid(
          `spatial factors at ${c.target} multiply to ${product}, more than its fan-out ${level.fanout} (${level.fanoutX}×${level.fanoutY})`,
          [...base, 'factors'],
        )
      }
    }
    if (c.permutation !== null) {
      const perm = checkPermutation(c.permutation, problem, [...base, 'permutation'])
      const text = c.raw['permutation']
      if (!spatial && typeof text === 'string' && text.includes('_')) {
        // `CK_PQ`: C, K innermost, P, Q outermost, the rest free in between (the importer drops '_').
        const right = text.slice(text.indexOf('_') + 1)
        const tokens = right.trim().split(/\s+/).filter((t) => t !== '')
        const items = tokens.length > 0 && tokens.every((t) => problem.dimensions.includes(t)) ? tokens : [...right.replace(/\s+/g, '')]
        r.temporalSuffix = checkPermutation(items.filter((d) => d !== '_'), problem, [...base, 'permutation'])
        r.temporalPermutation = perm.filter((d) => !r.temporalSuffix.includes(d))
      } else if (spatial) r.spatialPermutation = perm
      else {
        r.temporalPermutation = perm
        r.temporalSuffix = []
      }
    }
    if (c.split !== null) {
      if (!spatial) throw invalid(`split is only meaningful on a spatial constraint`, [...base, 'split'])
      if (!Number.isInteger(c.split) || c.split < 0 || c.split > problem.dimensions.length) {
        throw invalid(`split must be an integer in [0, ${problem.dimensions.length}], got ${c.split}`, [...base, 'split'])
      }
      r.split = c.split
    }
  })
  if (filterFanout) {
    // A fixed split with fixed factors must fit each axis of the mesh.
    rules.forEach((r, i) => {
      const at = spatialSource[i]
      if (r.split === null || r.spatialPermutation === null || at === undefined) return
      const level = levels[i] as LevelInfo
      const product = (list: readonly DimName[]): number => list.reduce((p, d) => p * (r.spatialFactors.get(d)?.exact ?? 1), 1)
      const x = product(r.spatialPermutation.slice(0, r.split))
      const y = product(r.spatialPermutation.slice(r.split))
      if (x > level.fanoutX || y > level.fanoutY) {
        throw invalid(
          `spatial factors at ${level.name} need ${x}×${y} (X×Y) with split ${r.split}, its fan-out is ${level.fanoutX}×${level.fanoutY}`,
          ['constraints', at, 'split'],
        )
      }
    })
  }
  return rules
}

/** The slot rule of a dimension, FREE when unconstrained. */
export const ruleOf = (map: Map<DimName, SlotRule>, dim: DimName): SlotRule => map.get(dim) ?? FREE

// Multi-objective ranking. Objectives are minimised numbers; their names (`energy`, `cycles`,
// `edp`, `area`, …) are labels the engine never interprets. A written `ObjectiveSpec` (plain
// data, fit for spec files and CLI flags) compiles once into an `ObjectiveOrder` that strategies
// and the driver rank with.
import { invalidSpec, type Issue, type ObjectiveOrder } from '@snipsnap/core'

/**
 * How a run ranks designs, as written by a user:
 * - `'energy'`: one objective;
 * - `['cycles', 'energy']`: lexicographic (Timeloop's `optimization-metrics: [delay, energy]`);
 * - `{ kind: 'lexicographic', names }`: the same, spelled out;
 * - `{ kind: 'weighted', names, weights }`: minimise Σ weightᵢ·objectiveᵢ (weights ≥ 0, one > 0).
 */
export type ObjectiveSpec =
  | string
  | readonly string[]
  | { readonly kind: 'lexicographic'; readonly names: readonly string[] }
  | { readonly kind: 'weighted'; readonly names: readonly string[]; readonly weights: readonly number[] }

/** The normalised form of an {@link ObjectiveSpec}. */
export type NormalizedObjectives =
  | { readonly kind: 'lexicographic'; readonly names: readonly string[] }
  | { readonly kind: 'weighted'; readonly names: readonly string[]; readonly weights: readonly number[] }

/** A compiled objective order that also remembers its normalised spec. */
export interface CompiledObjectives extends ObjectiveOrder {
  readonly spec: NormalizedObjectives
}

/**
 * Lexicographic comparison: the first objective decides, later ones break exact ties.
 * @returns negative when `a` is better (smaller) than `b`, 0 when equal, positive when worse.
 * @example compareLexicographic([10, 5], [10, 7]) < 0
 */
export const compareLexicographic = (a: readonly number[], b: readonly number[]): number => {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    if (x < y) return -1
    if (x > y) return 1
  }
  return 0
}

/**
 * Weighted sum of an objective vector (the scalarisation of a weighted order).
 * @example weightedSum([2, 3], [1, 10]) === 32
 */
export const weightedSum = (objectives: readonly number[], weights: readonly number[]): number => {
  let sum = 0
  for (let i = 0; i < weights.length; i++) sum += (weights[i] as number) * (objectives[i] as number)
  return sum
}

const checkNames = (names: readonly unknown[], issues: Issue[], path: (string | number)[]): void => {
  if (names.length === 0) issues.push({ code: 'empty', path, message: 'at least one objective name is needed' })
  const seen = new Set<string>()
  names.forEach((name, index) => {
    if (typeof name !== 'string' || name.length === 0) {
      issues.push({ code: 'invalid_type', path: [...path, index], message: 'an objective name must be a non-empty string' })
    } else if (seen.has(name)) {
      issues.push({ code: 'duplicate', path: [...path, index], message: `objective "${name}" is listed twice` })
    } else seen.add(name)
  })
}

/**
 * Validates and normalises an {@link ObjectiveSpec}.
 * @throws {SnipSnapError} INVALID_SPEC naming the bad field (`objectives.weights[1]`, …).
 */
export const normalizeObjectives = (spec: ObjectiveSpec): NormalizedObjectives => {
  const issues: Issue[] = []
  let normalized: NormalizedObjectives
  if (typeof spec === 'string') {
    normalized = { kind: 'lexicographic', names: [spec] }
    checkNames([spec], issues, ['objectives'])
  } else if (Array.isArray(spec)) {
    const names = spec as readonly string[]
    normalized = { kind: 'lexicographic', names: [...names] }
    checkNames(names, issues, ['objectives'])
  } else if (typeof spec === 'object' && spec !== null && 'kind' in spec) {
    const written = spec as NormalizedObjectives
    const names = Array.isArray(written.names) ? written.names : []
    if (!Array.isArray(written.names)) {
      issues.push({ code: 'invalid_type', path: ['objectives', 'names'], message: 'names must be an array of objective names' })
    } else checkNames(names, issues, ['objectives', 'names'])
    if (written.kind === 'lexicographic') {
      normalized = { kind: 'lexicographic', names: [...names] }
    } else if (written.kind === 'weighted') {
      const weights = Array.isArray(written.weights) ? written.weights : []
      if (!Array.isArray(written.weights) || weights.length !== names.length) {
        issues.push({
          code: 'invalid_length',
          path: ['objectives', 'weights'],
          message: `weights must be an array with one weight per name (${names.length})`,
        })
      }
      weights.forEach((weight, index) => {
        if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
          issues.push({ code: 'out_of_range', path: ['objectives', 'weights', index], message: `weight must be a finite number ≥ 0, got ${String(weight)}` })
        }
      })
      if (weights.length > 0 && weights.every((w) => w === 0)) {
        issues.push({ code: 'out_of_range', path: ['objectives', 'weights'], message: 'at least one weight must be > 0' })
      }
      normalized = { kind: 'weighted', names: [...names], weights: [...weights] }
    } else {
      issues.push({
        code: 'invalid_value',
        path: ['objectives', 'kind'],
        message: `kind must be 'lexicographic' or 'weighted', got ${JSON.stringify((written as { kind: unknown }).kind)}`,
      })
      normalized = { kind: 'lexicographic', names: [] }
    }
  } else {
    issues.push({
      code: 'invalid_type',
      path: ['objectives'],
      message: 'objectives must be a name, a list of names (lexicographic) or { kind, names, weights? }',
    })
    normalized = { kind: 'lexicographic', names: [] }
  }
  if (issues.length > 0) throw invalidSpec(issues)
  return normalized
}

/**
 * Compiles an {@link ObjectiveSpec} into the {@link ObjectiveOrder} strategies rank with.
 * For a lexicographic order `scalarize` is the first objective (annealing uses it for magnitudes,
 * `compare` for the decision); for a weighted order it is the weighted sum and `compare` agrees.
 * @throws {SnipSnapError} INVALID_SPEC for a malformed spec.
 * @example createObjectiveOrder(['cycles', 'energy']).compare([1, 9], [2, 0]) < 0
 */
export const createObjectiveOrder = (spec: ObjectiveSpec): CompiledObjectives => {
  const normalized = normalizeObjectives(spec)
  if (normalized.kind === 'weighted') {
    const weights = normalized.weights
    const scalarize = (v: readonly number[]): number => weightedSum(v, weights)
    return {
      spec: normalized,
      names: normalized.names,
      scalarize,
      compare: (a, b) => {
        const d = scalarize(a) - scalarize(b)
        return d < 0 ? -1 : d > 0 ? 1 : 0
      },
    }
  }
  return {
    spec: normalized,
    names: normalized.names,
    scalarize: (v) => v[0] as number,
    compare: compareLexicographic,
  }
}

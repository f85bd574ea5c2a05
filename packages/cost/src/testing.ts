// Conformance suite every CostModel plug-in runs (house style §6): finite non-negative reports,
// energy conservation (energy = Σ action counts × per-action energy), and "a dense format at
// density 1 costs the same as no sparse optimisation at all". Imports vitest, an optional peer.
import { describe, expect, it } from 'vitest'
import type { CostModel, CostQuery, CostReport, SparseOptimizationsSpec } from '@snipsnap/core'

/** One named query the suite evaluates. */
export interface ConformanceQuery {
  readonly name: string
  readonly query: CostQuery
}

const finiteNonNegative = (value: number): boolean => Number.isFinite(value) && value >= 0

/** The same design with every tensor at density 1 (fixed-structured). */
export const withDensityOne = (query: CostQuery): CostQuery => ({
  ...query,
  problem: {
    ...query.problem,
    densities: Object.fromEntries(
      query.problem.dataSpaces.map((t) => [t.name, { distribution: 'fixed-structured', density: 1, params: {} }]),
    ),
  },
})

/**
 * Replaces every representation format by a dense one (a single uncompressed `UOP` rank over
 * all dims with free offsets) and drops gating/skipping: the "dense format" of the contract.
 */
export const withDenseFormats = (query: CostQuery): CostQuery => {
  const dims = [...query.problem.dimensions]
  const sparseOptimizations: SparseOptimizationsSpec = {
    targets: query.sparseOptimizations.targets.map((target) => ({
      level: target.level,
      formats: target.formats.map((format) => ({
        tensor: format.tensor,
        rankApplicationOrder: 'inner-to-outer' as const,
        ranks: [{ format: 'UOP', metadataWordBits: 0, payloadWordBits: 0, flattenedRankIds: [dims] }],
      })),
      actionOptimizations: [],
      computeOptimizations: [],
    })),
  }
  return { ...query, sparseOptimizations }
}

/** The same design without any sparse optimisation. */
export const withoutSparseOptimizations = (query: CostQuery): CostQuery => ({ ...query, sparseOptimizations: { targets: [] } })

const checkFinite = (report: CostReport): void => {
  if (!report.valid) {
    expect(report.reason.length).toBeGreaterThan(0)
    expect(report.kind.length).toBeGreaterThan(0)
    return
  }
  expect(finiteNonNegative(report.cycles), `cycles ${report.cycles}`).toBe(true)
  expect(finiteNonNegative(report.energyPJ), `energy ${report.energyPJ}`).toBe(true)
  for (const v of Object.values(report.computes)) expect(finiteNonNegative(v)).toBe(true)
  for (const [name, level] of Object.entries(report.levels)) {
    expect(finiteNonNegative(level.energyPJ), `${name} energy`).toBe(true)
    expect(finiteNonNegative(level.cycles), `${name} cycles`).toBe(true)
    for (const [tensor, t] of Object.entries(level.tensors)) {
      for (const split of [t.reads, t.fills, t.updates]) {
        for (const v of [split.actual, split.gated, split.skipped]) {
          expect(finiteNonNegative(v), `${name}.${tensor} ${v}`).toBe(true)
        }
      }
      expect(finiteNonNegative(t.metadataReads)).toBe(true)
      expect(finiteNonNegative(t.energyPJ)).toBe(true)
    }
  }
}

const relClose = (a: number, b: number, tolerance = 1e-9): boolean => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b))

/**
 * Registers the cost-model conformance tests for `model` on `queries`.
 * @example describeCostModelConformance(sparseloopCostModel, [{ name: 'fig1', query }])
 */
export const describeCostModelConformance = <TOptions>(
  model: CostModel<TOptions>,
  queries: readonly ConformanceQuery[],
  options?: TOptions,
): void => {
  const evaluate = (query: CostQuery): CostReport => model.evaluate(query, options as TOptions)
  describe(`cost model conformance: ${model.id}`, () => {
    it('has queries to check', () => {
      expect(queries.length).toBeGreaterThan(0)
    })
    for (const { name, query } of queries) {
      describe(name, () => {
        it('supports the query and returns a finite, non-negative report', () => {
          expect(model.supports(query)).toBe(true)
          checkFinite(evaluate(query))
        })

        it('is deterministic', () => {
          expect(evaluate(query)).toEqual(evaluate(query))
        })

        it('conserves energy: energy = Σ action counts × per-action energy', () => {
          const report = evaluate(query)
          if (!report.valid) return
          expect(report.actions, 'the report must expose per-action detail').toBeDefined()
          const actions = report.actions ?? []
          let total = 0
          const perLevel = new Map<string, number>()
          for (const breakdown of actions) {
            expect(breakdown.counts.length).toBe(breakdown.actions.length)
            expect(breakdown.energiesPJ.length).toBe(breakdown.actions.length)
            let sum = 0
            breakdown.counts.forEach((count, i) => {
              expect(finiteNonNegative(count)).toBe(true)
              expect(finiteNonNegative(breakdown.energiesPJ[i] ?? NaN)).toBe(true)
              sum += count * (breakdown.energiesPJ[i] ?? 0)
            })
            perLevel.set(breakdown.level, (perLevel.get(breakdown.level) ?? 0) + sum)
            total += sum
          }
          expect(relClose(total, report.energyPJ), `Σ actions ${total} vs energy ${report.energyPJ}`).toBe(true)
          for (const [level, energy] of perLevel) {
            expect(relClose(energy, report.levels[level]?.energyPJ ?? NaN), `level ${level}`).toBe(true)
          }
        })

        it('a dense format at density 1 equals the dense result', () => {
          const dense = withDensityOne(query)
          const withFormats = evaluate(withDenseFormats(dense))
          const without = evaluate(withoutSparseOptimizations(dense))
          expect(withFormats.valid).toBe(without.valid)
          if (withFormats.valid && without.valid) {
            expect(relClose(withFormats.energyPJ, without.energyPJ), `${withFormats.energyPJ} vs ${without.energyPJ}`).toBe(true)
            expect(withFormats.cycles).toBe(without.cycles)
            expect(withFormats.computes).toEqual(without.computes)
          }
        })
      })
    }
  })
}

// Estimators as plug-ins: the built-in registry (the table estimator) and Accelergy's selection
// rule over several of them: for each primitive, the most accurate estimator that supports it
// answers (`accuracy` 0–100, Accelergy's `percent_accuracy_0_to_100`). A plug-in that knows only
// SRAMs better than the tables thus replaces the SRAM numbers and leaves DRAM and MACs alone.
import { createRegistry, SnipSnapError, type EnergyAreaEstimator, type Registry } from '@snipsnap/core'
import { tableEstimator } from './table-estimator'

/**
 * A registry of energy/area estimators holding the built-in `table` estimator.
 * @example const estimators = createEstimatorRegistry(); estimators.register(myEstimator)
 */
export const createEstimatorRegistry = (): Registry<EnergyAreaEstimator> => createRegistry<EnergyAreaEstimator>('estimator', [tableEstimator])

/**
 * One estimator that asks, for every primitive, the most accurate of `estimators` supporting it
 * (ties: the first listed). Its notes name the estimator that answered.
 * @throws {SnipSnapError} INVALID_SPEC for an empty list; UNSUPPORTED_QUERY (from `estimate`)
 *   when no estimator supports a primitive.
 * @example estimateArchTables({ arch, estimator: chooseEstimator(registry.list()) })
 */
export const chooseEstimator = (estimators: readonly EnergyAreaEstimator[]): EnergyAreaEstimator => {
  if (estimators.length === 0) throw new SnipSnapError('INVALID_SPEC', 'chooseEstimator needs at least one estimator', { path: ['estimators'] })
  if (estimators.length === 1 && estimators[0] !== undefined) return estimators[0]
  const ranked = [...estimators].map((e, i) => ({ e, i })).sort((a, b) => (b.e.accuracy ?? 0) - (a.e.accuracy ?? 0) || a.i - b.i).map((x) => x.e)
  const pick = (query: Parameters<EnergyAreaEstimator['supports']>[0]) => ranked.find((e) => e.supports(query))
  return {
    id: 'most-accurate',
    description: `most accurate supporting estimator of ${ranked.map((e) => e.id).join(', ')}`,
    accuracy: Math.max(...ranked.map((e) => e.accuracy ?? 0)),
    supports: (query) => pick(query) !== undefined,
    estimate(query) {
      const chosen = pick(query)
      if (chosen === undefined) {
        throw new SnipSnapError('UNSUPPORTED_QUERY', `no estimator (${ranked.map((e) => e.id).join(', ')}) supports ${JSON.stringify(query)}`, { path: ['estimator'] })
      }
      const e = chosen.estimate(query)
      return { ...e, notes: [`estimator ${chosen.id}`, ...e.notes] }
    },
  }
}

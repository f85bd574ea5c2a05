// The built-in strategies and an explicit registry holding them (no globals, no side-effect
// registration: callers create a registry and pass it down).
import { createRegistry, type AnySearchStrategy, type Registry } from '@snipsnap/core'
import { exhaustive } from './exhaustive'
import { genetic } from './genetic'
import { random } from './random'
import { simulatedAnnealing } from './simulated-annealing'

/** The built-in strategies, in registry order. */
export const builtinStrategies: readonly AnySearchStrategy[] = [exhaustive, random, genetic, simulatedAnnealing]

/**
 * A new registry of search strategies holding the built-ins (`exhaustive`, `random`, `genetic`,
 * `simulated-annealing`) followed by `extra`.
 * @throws {SnipSnapError} PLUGIN_DUPLICATE when an extra strategy reuses an id.
 * @example createStrategyRegistry().get('genetic')
 */
export const createStrategyRegistry = (
  extra: readonly AnySearchStrategy[] = [],
): Registry<AnySearchStrategy> => createRegistry<AnySearchStrategy>('search-strategy', [...builtinStrategies, ...extra])

// Simulated annealing with geometric cooling and restarts. Batched: one ask proposes `n`
// neighbours of the current design and `tell` applies the Metropolis rule to them in ask order,
// which keeps the chain deterministic whatever evaluates the batch. Worsening is measured
// relative to the current design's scalarised objectives, so temperatures are scale-free.
import {
  defineSearchStrategy,
  rngFromState,
  type AnySearchStrategy,
} from '@snipsnap/core'
import { createChecker } from '../internal/options'
import { compareMembers, toMember, type Member } from './members'

/** Options of {@link simulatedAnnealing}; every field has a default. */
export interface AnnealingOptions {
  /**
   * Start temperature as a relative worsening: a move 10 % worse is accepted with probability
   * e^(−0.1/T). In (0, 1e6]. Default 0.05.
   */
  readonly initialTemperature?: number
  /** Geometric cooling factor applied after every told candidate, in (0, 1). Default 0.99. */
  readonly coolingRate?: number
  /** Restart when the temperature falls below this, in (0, initialTemperature]. Default 1e-4. */
  readonly minTemperature?: number
  /** Restart after this many candidates without improving the best (≥ 1). Default 300. */
  readonly restartAfter?: number
  /**
   * Where a restart resumes: the best design so far (falling back to a fresh sample when the best
   * has not improved since the previous restart, so a converged chain explores), or always a
   * fresh sample. Default `'best'`.
   */
  readonly restartFrom?: 'best' | 'random'
  /**
   * Designs asked first, before any neighbour or sample (e.g. the best designs of an earlier
   * search stage); the chain starts from them. Plain data. Default none.
   */
  readonly initialDesigns?: readonly unknown[]
}

type ResolvedAnnealingOptions = Required<AnnealingOptions>

/** Plain-data state of {@link simulatedAnnealing}. */
export interface AnnealingState {
  readonly rng: readonly [number, number, number, number]
  readonly options: ResolvedAnnealingOptions
  /** The chain's position; `null` before the first result and after a random restart. */
  readonly current: Member | null
  readonly best: Member | null
  readonly temperature: number
  readonly step: number
  readonly sinceImprovement: number
  readonly restarts: number
  /** Whether `best` improved since the last restart. */
  readonly improvedSinceRestart: boolean
  /** How many of `options.initialDesigns` have been asked. */
  readonly seeded: number
}

/** Validates {@link AnnealingOptions} and fills defaults. @throws {SnipSnapError} INVALID_SPEC */
export const resolveAnnealingOptions = (options: AnnealingOptions | undefined): ResolvedAnnealingOptions => {
  const resolved: ResolvedAnnealingOptions = {
    initialTemperature: 0.05,
    coolingRate: 0.99,
    minTemperature: 1e-4,
    restartAfter: 300,
    restartFrom: 'best',
    initialDesigns: [],
    ...(options ?? {}),
  }
  const check = createChecker()
  check.number(resolved.initialTemperature, ['options', 'initialTemperature'], 0, 1e6, true)
  check.number(resolved.coolingRate, ['options', 'coolingRate'], 0, 1, true)
  if (resolved.coolingRate === 1) check.fail(['options', 'coolingRate'], 'must be < 1 (geometric cooling)')
  check.number(resolved.minTemperature, ['options', 'minTemperature'], 0, resolved.initialTemperature, true)
  check.integer(resolved.restartAfter, ['options', 'restartAfter'], 1)
  if (resolved.restartFrom !== 'best' && resolved.restartFrom !== 'random') {
    check.fail(['options', 'restartFrom'], `must be 'best' or 'random', got ${JSON.stringify(resolved.restartFrom)}`)
  }
  if (!Array.isArray(resolved.initialDesigns)) check.fail(['options', 'initialDesigns'], 'must be an array of designs')
  check.done()
  return resolved
}

const MAX_PROPOSAL_TRIES = 4

// A worse design with the same scalar (a lexicographic tie-break) still counts as slightly worse.
const TIE_WORSENING = 1e-9

/**
 * Simulated annealing (id `simulated-annealing`): neighbours through `space.mutate` (or
 * `space.sample` without it), Metropolis acceptance on the relative worsening of the scalarised
 * objectives, geometric cooling, and restarts when cold or stuck. Never done on its own.
 * @throws {SnipSnapError} INVALID_SPEC for out-of-range {@link AnnealingOptions}.
 */
export const simulatedAnnealing: AnySearchStrategy = defineSearchStrategy<
  unknown,
  AnnealingState,
  AnnealingOptions | undefined
>({
  id: 'simulated-annealing',
  description: 'Simulated annealing with geometric cooling and restarts.',
  init: ({ rng, options }) => {
    const resolved = resolveAnnealingOptions(options)
    return {
      rng: rng.state(),
      options: resolved,
      current: null,
      best: null,
      temperature: resolved.initialTemperature,
      step: 0,
      sinceImprovement: 0,
      restarts: 0,
      improvedSinceRestart: false,
      seeded: 0,
    }
  },
  ask(state, n, { space }) {
    const rng = rngFromState(state.rng)
    const initial = state.options.initialDesigns
    const candidates: unknown[] = initial.slice(state.seeded, state.seeded + Math.max(0, n))
    const seeded = state.seeded + candidates.length
    const from = state.current
    // Neighbours repeated within a batch, or equal to the current design, would only be cache
    // hits: retry them a few times.
    const seen = new Set<string>(from === null ? [] : [space.key(from.design)])
    const propose = (): unknown =>
      from !== null && space.mutate !== undefined ? space.mutate(from.design, rng) : space.sample(rng)
    for (let i = candidates.length; i < n; i++) {
      let candidate = propose()
      for (let tries = 0; tries < MAX_PROPOSAL_TRIES && seen.has(space.key(candidate)); tries++) candidate = propose()
      seen.add(space.key(candidate))
      candidates.push(candidate)
    }
    return { state: { ...state, rng: rng.state(), seeded }, candidates }
  },
  tell(state, results, { objectives: order }) {
    if (results.length === 0) return state
    const rng = rngFromState(state.rng)
    const options = state.options
    let { current, best, temperature, step, sinceImprovement, restarts, improvedSinceRestart } = state
    for (const result of results) {
      const candidate = toMember(result)
      const improved = best === null || compareMembers(order, candidate, best) < 0
      if (improved) {
        best = candidate
        improvedSinceRestart = true
      }
      if (current === null || current.objectives === null) {
        // No feasible position yet: take any feasible design, or keep walking among infeasible ones.
        if (candidate.objectives !== null || current === null) current = candidate
      } else if (candidate.objectives !== null) {
        if (order.compare(candidate.objectives, current.objectives) <= 0) current = candidate
        else {
          const reference = order.scalarize(current.objectives)
          const raw = (order.scalarize(candidate.objectives) - reference) / Math.max(Math.abs(reference), Number.MIN_VALUE)
          const worsening = raw > 0 ? raw : TIE_WORSENING
          if (rng.next() < Math.exp(-worsening / temperature)) current = candidate
        }
      }
      step++
      sinceImprovement = improved ? 0 : sinceImprovement + 1
      temperature *= options.coolingRate
      if (temperature < options.minTemperature || sinceImprovement >= options.restartAfter) {
        restarts++
        temperature = options.initialTemperature
        sinceImprovement = 0
        current = options.restartFrom === 'best' && improvedSinceRestart ? best : null
        improvedSinceRestart = false
      }
    }
    return { ...state, rng: rng.state(), current, best, temperature, step, sinceImprovement, restarts, improvedSinceRestart }
  },
})

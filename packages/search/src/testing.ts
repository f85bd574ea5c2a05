// Test helpers of @snipsnap/search, exported as `@snipsnap/search/testing` for strategy authors:
// a small synthetic integer-grid space with every optional capability, a separable quadratic
// evaluator with a known optimum, and `describeStrategyConformance`, the suite every strategy
// (built-in or third-party) runs. Needs `vitest` and `fast-check` (optional peer dependencies).
import {
  createRng,
  type Evaluated,
  type Rng,
  type SearchStrategy,
  type Space,
  type StrategyContext,
} from '@snipsnap/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Evaluation } from './executor'
import { createObjectiveOrder, type ObjectiveSpec } from './objectives'

/** A design of the grid space: one integer coordinate per dimension, each in [0, levels). */
export type GridPoint = readonly number[]

/** The grid space: a {@link Space} with every optional capability present. */
export type GridSpace = Space<GridPoint> & Required<Pick<Space<GridPoint>, 'mutate' | 'crossover' | 'enumerate' | 'tree'>>

/** Options of {@link createGridSpace}. */
export interface GridSpaceOptions {
  /** Number of coordinates (≥ 1). */
  readonly dimensions: number
  /** Values per coordinate (≥ 1). */
  readonly levels: number
  /** Optional cheap prefix check, exposed as `tree.admits`. */
  readonly admits?: (prefix: readonly number[]) => boolean
}

/**
 * An integer grid `[0, levels)^dimensions` with `sample`, `mutate` (±1 step or a fresh value in
 * one coordinate), uniform `crossover`, lexicographic `enumerate()` and a `tree` (one decision
 * per coordinate): every capability a strategy may use.
 * @example const space = createGridSpace({ dimensions: 6, levels: 16 })
 */
export const createGridSpace = (options: GridSpaceOptions): GridSpace => {
  const { dimensions, levels } = options
  const clamp = (value: number): number => Math.max(0, Math.min(levels - 1, value))
  return {
    sample: (rng: Rng) => Array.from({ length: dimensions }, () => rng.int(levels)),
    mutate(design, rng) {
      const next = [...design]
      const at = rng.int(dimensions)
      next[at] = rng.next() < 0.7 ? clamp((next[at] as number) + (rng.next() < 0.5 ? -1 : 1)) : rng.int(levels)
      return next
    },
    crossover: (a, b, rng) => a.map((value, index) => (rng.next() < 0.5 ? value : (b[index] as number))),
    *enumerate() {
      const point = new Array<number>(dimensions).fill(0)
      for (;;) {
        yield [...point]
        let at = dimensions - 1
        while (at >= 0 && point[at] === levels - 1) point[at--] = 0
        if (at < 0) return
        point[at] = (point[at] as number) + 1
      }
    },
    tree: {
      branches: (prefix) => (prefix.length < dimensions ? levels : 0),
      leaf: (path) => [...path],
      ...(options.admits === undefined ? {} : { admits: options.admits }),
    },
    key: (design) => design.join(','),
  }
}

/**
 * A separable quadratic `Σ (xᵢ − targetᵢ)²` reported as metric `cost` (plus `l1`, the Manhattan
 * distance, as a second objective), with designs failing `feasible` reported infeasible.
 * The optimum is `target` with cost 0 when it is feasible.
 */
export const quadraticEvaluator =
  (target: readonly number[], feasible: (design: GridPoint) => boolean = () => true) =>
  (design: GridPoint): Evaluation => {
    if (!feasible(design)) return { ok: false, reason: 'outside the feasible region' }
    let cost = 0
    let l1 = 0
    design.forEach((value, index) => {
      const d = value - (target[index] as number)
      cost += d * d
      l1 += Math.abs(d)
    })
    return { ok: true, metrics: { cost, l1 } }
  }

/** Options of {@link describeStrategyConformance}. */
export interface StrategyConformanceOptions<TOptions> {
  /** Strategy options for every run. */
  readonly options?: TOptions
  /** The space to run on; default a 4-D grid of 6 levels. */
  readonly space?: Space<GridPoint>
  /** Ask/tell rounds per run (default 12). */
  readonly rounds?: number
  readonly objectives?: ObjectiveSpec
}

const isPlainData = (value: unknown, depth = 0): boolean => {
  if (depth > 64) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every((item) => isPlainData(item, depth + 1))
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return false
    return Object.values(value).every((item) => item === undefined || isPlainData(item, depth + 1))
  }
  return false
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) deepFreeze(item)
  }
  return value
}

/**
 * Runs a strategy for `rounds` ask/tell rounds against the quadratic evaluator without the
 * driver, returning the asked keys and the states after each round.
 */
export const driveStrategy = <TState, TOptions>(
  strategy: SearchStrategy<GridPoint, TState, TOptions>,
  config: {
    readonly seed: number
    readonly space: Space<GridPoint>
    readonly options?: TOptions
    readonly rounds: number
    readonly batch: (round: number) => number
    readonly objectives?: ObjectiveSpec
    readonly initialState?: TState
    /** Round-trip the state through JSON and freeze it before every call. */
    readonly roundTrip?: boolean
  },
): { keys: string[][]; states: TState[] } => {
  const context: StrategyContext<GridPoint, TOptions> = {
    space: config.space,
    options: config.options as TOptions,
    objectives: createObjectiveOrder(config.objectives ?? ['cost', 'l1']),
  }
  const target = Array.from({ length: config.space.sample(createRng(0)).length }, (_, i) => (i * 7) % 5)
  const evaluate = quadraticEvaluator(target, (design) => (design[0] as number) % 3 !== 1)
  const prepare = (state: TState): TState =>
    config.roundTrip === true ? deepFreeze(JSON.parse(JSON.stringify(state)) as TState) : state
  let state =
    config.initialState ?? strategy.init({ ...context, rng: createRng(config.seed).fork(`strategy:${strategy.id}`) })
  const keys: string[][] = []
  const states: TState[] = []
  for (let round = 0; round < config.rounds; round++) {
    const asked = strategy.ask(prepare(state), config.batch(round), context)
    const results: Evaluated<GridPoint>[] = asked.candidates.map((design) => {
      const outcome = evaluate(design)
      return outcome.ok
        ? { ok: true, design, objectives: [outcome.metrics['cost'] as number, outcome.metrics['l1'] as number] }
        : { ok: false, design, reason: outcome.reason }
    })
    keys.push(asked.candidates.map((design) => config.space.key(design)))
    state = strategy.tell(prepare(asked.state), results, context)
    states.push(state)
  }
  return { keys, states }
}

/**
 * The conformance suite every search strategy must pass (unstorage `testDriver` style): the
 * same seed gives the same candidates; the state is plain data, JSON round-trips, and a run
 * resumed from a JSON copy continues identically; `ask(n)` returns at most `n` candidates; and
 * `ask`/`tell` never mutate their input state (it is deep-frozen).
 * @example describeStrategyConformance(myStrategy, { options: { populationSize: 8 } })
 */
export const describeStrategyConformance = <TState, TOptions>(
  strategy: SearchStrategy<GridPoint, TState, TOptions>,
  conformance: StrategyConformanceOptions<TOptions> = {},
): void => {
  const space = conformance.space ?? createGridSpace({ dimensions: 4, levels: 6 })
  const rounds = conformance.rounds ?? 12
  const base = {
    space,
    rounds,
    ...(conformance.options === undefined ? {} : { options: conformance.options }),
    ...(conformance.objectives === undefined ? {} : { objectives: conformance.objectives }),
  }
  describe(`search strategy conformance: ${strategy.id}`, () => {
    it('has a kebab-case id', () => {
      expect(strategy.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    })

    it('gives the same candidates for the same seed', () => {
      fc.assert(
        fc.property(fc.integer(), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (seed, sizes) => {
          const batch = (round: number): number => sizes[round % sizes.length] as number
          const first = driveStrategy(strategy, { ...base, seed, batch })
          const second = driveStrategy(strategy, { ...base, seed, batch })
          expect(second.keys).toEqual(first.keys)
          expect(second.states).toEqual(first.states)
        }),
      )
    })

    it('keeps plain-data state that round-trips through JSON and resumes identically', () => {
      fc.assert(
        fc.property(fc.integer(), fc.integer({ min: 1, max: rounds - 1 }), (seed, cut) => {
          const batch = (): number => 5
          const straight = driveStrategy(strategy, { ...base, seed, batch })
          for (const state of straight.states) {
            expect(isPlainData(state)).toBe(true)
            expect(JSON.parse(JSON.stringify(state))).toEqual(state)
          }
          const saved = JSON.parse(JSON.stringify(straight.states[cut - 1])) as TState
          const resumed = driveStrategy(strategy, { ...base, seed, batch, rounds: rounds - cut, initialState: saved })
          expect(resumed.keys).toEqual(straight.keys.slice(cut))
        }),
      )
    })

    it('returns at most n candidates from ask(n), none for n = 0', () => {
      fc.assert(
        fc.property(fc.integer(), fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 6 }), (seed, sizes) => {
          const batch = (round: number): number => sizes[round % sizes.length] as number
          const run = driveStrategy(strategy, { ...base, seed, batch })
          run.keys.forEach((keys, round) => expect(keys.length).toBeLessThanOrEqual(batch(round)))
          run.keys.forEach((keys, round) => {
            if (batch(round) === 0) expect(keys).toEqual([])
          })
        }),
      )
    })

    it('never mutates its input state', () => {
      const batch = (): number => 4
      expect(() => driveStrategy(strategy, { ...base, seed: 7, batch, roundTrip: true })).not.toThrow()
      const frozen = driveStrategy(strategy, { ...base, seed: 7, batch, roundTrip: true })
      const plain = driveStrategy(strategy, { ...base, seed: 7, batch })
      expect(frozen.keys).toEqual(plain.keys)
    })
  })
}

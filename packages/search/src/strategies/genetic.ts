// Generational genetic algorithm with tournament selection, crossover and mutation through the
// Space's optional capabilities, and elitism. Elites are carried over with their known results
// instead of being asked again, so no evaluation (and no cache lookup) is spent on them.
import {
  defineSearchStrategy,
  rngFromState,
  type AnySearchStrategy,
  type ObjectiveOrder,
  type Rng,
  type Space,
} from '@snipsnap/core'
import { createChecker } from '../internal/options'
import { compareMembers, toMember, type Member } from './members'

/** Options of {@link genetic}; every field has a default. */
export interface GeneticOptions {
  /** Designs per generation (≥ 2). Default 32. */
  readonly populationSize?: number
  /** Contestants per tournament (≥ 1, ≤ populationSize). Default 3. */
  readonly tournamentSize?: number
  /** Probability a child comes from crossover of two parents, in [0, 1]. Default 0.9. */
  readonly crossoverRate?: number
  /** Probability a crossed child is also mutated, in [0, 1]; uncrossed children always are. Default 0.5. */
  readonly mutationRate?: number
  /** Best designs copied unchanged into the next generation (< populationSize). Default 2. */
  readonly elitism?: number
  /**
   * Designs placed in the first generation before random samples (at most populationSize are
   * used), e.g. the best designs of an earlier search stage. Plain data. Default none.
   */
  readonly initialDesigns?: readonly unknown[]
}

type ResolvedGeneticOptions = Required<GeneticOptions>

/** Plain-data state of {@link genetic}. */
export interface GeneticState {
  readonly rng: readonly [number, number, number, number]
  readonly options: ResolvedGeneticOptions
  readonly generation: number
  /** The evaluated parents of the generation being bred. */
  readonly population: readonly Member[]
  /** Children of the current generation not yet asked. */
  readonly queue: readonly unknown[]
  /** Members of the current generation known so far (elites, then told children). */
  readonly offspring: readonly Member[]
}

/** Validates {@link GeneticOptions} and fills defaults. @throws {SnipSnapError} INVALID_SPEC */
export const resolveGeneticOptions = (options: GeneticOptions | undefined): ResolvedGeneticOptions => {
  const resolved: ResolvedGeneticOptions = {
    populationSize: 32,
    tournamentSize: 3,
    crossoverRate: 0.9,
    mutationRate: 0.5,
    elitism: 2,
    initialDesigns: [],
    ...(options ?? {}),
  }
  const check = createChecker()
  check.integer(resolved.populationSize, ['options', 'populationSize'], 2, 1_000_000)
  check.integer(resolved.tournamentSize, ['options', 'tournamentSize'], 1, Math.max(1, resolved.populationSize))
  check.number(resolved.crossoverRate, ['options', 'crossoverRate'], 0, 1)
  check.number(resolved.mutationRate, ['options', 'mutationRate'], 0, 1)
  check.integer(resolved.elitism, ['options', 'elitism'], 0, Math.max(0, resolved.populationSize - 1))
  if (!Array.isArray(resolved.initialDesigns)) check.fail(['options', 'initialDesigns'], 'must be an array of designs')
  check.done()
  return { ...resolved, initialDesigns: resolved.initialDesigns.slice(0, resolved.populationSize) }
}

const tournament = (population: readonly Member[], size: number, rng: Rng, order: ObjectiveOrder): Member => {
  let best = population[rng.int(population.length)] as Member
  for (let i = 1; i < size; i++) {
    const contender = population[rng.int(population.length)] as Member
    if (compareMembers(order, contender, best) < 0) best = contender
  }
  return best
}

// Retries a mutation a few times when it lands on a parent or a design already in the generation:
// clones are free for the driver (cache hits) but waste a slot and starve diversity.
const MAX_VARIATION_TRIES = 4

const breed = (
  state: GeneticState,
  space: Space<unknown>,
  order: ObjectiveOrder,
): GeneticState => {
  const rng = rngFromState(state.rng)
  const options = state.options
  const population = state.population
  if (population.length === 0) {
    const queue: unknown[] = [...options.initialDesigns]
    while (queue.length < options.populationSize) queue.push(space.sample(rng))
    return { ...state, rng: rng.state(), queue, offspring: [] }
  }
  const ranked = [...population].sort((a, b) => compareMembers(order, a, b))
  const elites = ranked.filter((member) => member.objectives !== null).slice(0, options.elitism)
  // Parents and elites are already evaluated: a child equal to one of them would only be a cache hit.
  const seen = new Set(population.map((member) => space.key(member.design)))
  const queue: unknown[] = []
  const vary = (design: unknown): unknown =>
    space.mutate !== undefined ? space.mutate(design, rng) : space.sample(rng)
  while (elites.length + queue.length < options.populationSize) {
    const first = tournament(population, options.tournamentSize, rng, order)
    let child: unknown
    let crossed = false
    if (space.crossover !== undefined && rng.next() < options.crossoverRate) {
      const second = tournament(population, options.tournamentSize, rng, order)
      child = space.crossover(first.design, second.design, rng)
      crossed = true
    } else child = first.design
    if (!crossed || rng.next() < options.mutationRate) child = vary(child)
    for (let tries = 0; tries < MAX_VARIATION_TRIES && seen.has(space.key(child)); tries++) child = vary(child)
    seen.add(space.key(child))
    queue.push(child)
  }
  return {
    ...state,
    rng: rng.state(),
    generation: state.generation + 1,
    queue,
    offspring: elites,
  }
}

/**
 * Generational genetic algorithm (id `genetic`): tournament selection, `space.crossover` and
 * `space.mutate` (falling back to copying a parent and to `space.sample`), and elitism.
 * Never done on its own; the driver's budget ends the run.
 * @throws {SnipSnapError} INVALID_SPEC for out-of-range {@link GeneticOptions}.
 */
export const genetic: AnySearchStrategy = defineSearchStrategy<unknown, GeneticState, GeneticOptions | undefined>({
  id: 'genetic',
  description: 'Generational genetic algorithm: tournament selection, crossover, mutation, elitism.',
  init: ({ rng, options }) => ({
    rng: rng.state(),
    options: resolveGeneticOptions(options),
    generation: 0,
    population: [],
    queue: [],
    offspring: [],
  }),
  ask(state, n, { space, objectives }) {
    if (n <= 0) return { state, candidates: [] }
    let next = state
    if (next.queue.length === 0) {
      // The generation is complete (the driver tells every batch before asking again): its
      // members become the parents of the next one.
      const parents = next.offspring.length > 0 ? next.offspring : next.population
      next = breed({ ...next, population: parents }, space, objectives)
    }
    const candidates = next.queue.slice(0, n)
    return { state: { ...next, queue: next.queue.slice(n) }, candidates }
  },
  tell: (state, results) =>
    results.length === 0 ? state : { ...state, offspring: [...state.offspring, ...results.map(toMember)] },
})

// Random sampling: the baseline every other strategy must beat. Stateless apart from the random
// stream, so its state is four numbers.
import { defineSearchStrategy, rngFromState, type AnySearchStrategy } from '@snipsnap/core'

/** Plain-data state of {@link random}. */
export interface RandomState {
  readonly rng: readonly [number, number, number, number]
  readonly asked: number
}

/**
 * Uniform random sampling through `space.sample` (id `random`). Never done on its own: the
 * driver's budget (or its stall guard on small spaces) ends the run.
 * @example await runSearch({ space, strategy: random, evaluate, objectives: 'energy', budget: { evaluations: 100 }, seed: 1 })
 */
export const random: AnySearchStrategy = defineSearchStrategy<unknown, RandomState, undefined>({
  id: 'random',
  description: 'Uniform random sampling of the space.',
  init: ({ rng }) => ({ rng: rng.state(), asked: 0 }),
  ask(state, n, { space }) {
    const rng = rngFromState(state.rng)
    const candidates: unknown[] = []
    for (let i = 0; i < n; i++) candidates.push(space.sample(rng))
    return { state: { rng: rng.state(), asked: state.asked + candidates.length }, candidates }
  },
  tell: (state) => state,
})

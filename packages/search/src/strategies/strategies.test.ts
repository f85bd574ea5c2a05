import {
  createStrategyRegistry,
  exhaustive,
  genetic,
  random,
  runSearch,
  simulatedAnnealing,
  type AnySearchStrategy,
} from '@snipsnap/search'
import { createGridSpace, describeStrategyConformance, quadraticEvaluator } from '@snipsnap/search/testing'
import { describe, expect, it } from 'vitest'

describeStrategyConformance(random)
describeStrategyConformance(exhaustive)
describeStrategyConformance(genetic, { options: { populationSize: 8, elitism: 2 } })
describeStrategyConformance(genetic)
describeStrategyConformance(simulatedAnnealing)
describeStrategyConformance(simulatedAnnealing, { options: { restartAfter: 5, restartFrom: 'random' } })
describeStrategyConformance(simulatedAnnealing, { options: { initialDesigns: [[0, 0, 0, 0], [5, 5, 5, 5], [1, 2, 3, 4]] } })
describeStrategyConformance(genetic, { options: { populationSize: 6, initialDesigns: [[0, 0, 0, 0], [5, 5, 5, 5]] } })
describeStrategyConformance(exhaustive, { space: createGridSpace({ dimensions: 3, levels: 4, admits: (p) => p[0] !== 2 }) })

describe('strategy registry', () => {
  it('holds the built-ins, explicitly', () => {
    const registry = createStrategyRegistry()
    expect(registry.list().map((s) => s.id)).toEqual(['exhaustive', 'random', 'genetic', 'simulated-annealing'])
    expect(registry.get('genetic')).toBe(genetic)
    expect(() => registry.get('hill-climbing')).toThrow(/known: exhaustive, random, genetic, simulated-annealing/)
    expect(() => createStrategyRegistry([random])).toThrow(/already registered/)
    // Registries are independent: no global state.
    expect(createStrategyRegistry().list()).toHaveLength(4)
  })
})

describe('finding the optimum of a 6-D integer quadratic', () => {
  // 16^6 ≈ 16.8 M designs; the budget covers 0.02 % of them.
  const space = createGridSpace({ dimensions: 6, levels: 16 })
  const target = [3, 11, 7, 0, 15, 9]
  const evaluate = quadraticEvaluator(target)
  const strategies: [AnySearchStrategy, unknown][] = [
    [genetic, undefined],
    [simulatedAnnealing, undefined],
  ]
  it.each(strategies.map(([strategy, strategyOptions]) => ({ id: strategy.id, strategy, strategyOptions })))('$id reaches cost 0 within 3000 evaluations for 3 seeds', async ({ strategy, strategyOptions }) => {
    for (const seed of [1, 2, 3]) {
      const result = await runSearch({ space, strategy, strategyOptions, evaluate, objectives: 'cost', budget: { evaluations: 3000 }, seed })
      expect(result.best?.objectives).toEqual([0])
      expect(result.best?.design).toEqual(target)
    }
  })

  it('random search does not (the problem is not trivial)', async () => {
    const result = await runSearch({ space, strategy: random, evaluate, objectives: 'cost', budget: { evaluations: 3000 }, seed: 1 })
    expect(result.best?.objectives[0]).toBeGreaterThan(0)
  })

  it('genetic search honours the lexicographic order on a constrained problem', async () => {
    // Infeasible when x0 is odd: the optimum moves to the feasible neighbour.
    const constrained = quadraticEvaluator(target, (d) => (d[0] as number) % 2 === 0)
    const result = await runSearch({ space, strategy: genetic, evaluate: constrained, objectives: ['cost', 'l1'], budget: { evaluations: 4000 }, seed: 9 })
    expect(result.best?.objectives).toEqual([1, 1])
  })
})

import { defineSearchStrategy, isSnipSnapError } from '@snipsnap/core'
import {
  createStrategyRegistry,
  exhaustive,
  random,
  runSearch,
  type Evaluation,
  type SearchCache,
  type SearchProgress,
} from '@snipsnap/search'
import { createGridSpace, quadraticEvaluator, type GridPoint } from '@snipsnap/search/testing'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'

const strategies = createStrategyRegistry().list()
const space = createGridSpace({ dimensions: 5, levels: 8 })
const evaluate = quadraticEvaluator([1, 6, 3, 2, 5], (d) => d[0] !== 4)

const expectError = async (run: Promise<unknown>, code: string, message: RegExp) => {
  const error = await run.then(() => undefined, (e: unknown) => e)
  expect(isSnipSnapError(error)).toBe(true)
  expect(error).toMatchObject({ code })
  expect((error as Error).message).toMatch(message)
}

describe('runSearch', () => {
  test.prop([fc.integer(), fc.constantFrom(...strategies), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 120 })])(
    'replays the same trajectory for the same seed',
    async (seed, strategy, batchSize, evaluations) => {
      const run = () => runSearch({ space, strategy, evaluate, objectives: ['cost', 'l1'], budget: { evaluations }, seed, batchSize, trace: true })
      const [first, second] = [await run(), await run()]
      expect(second).toEqual(first)
      expect(JSON.parse(JSON.stringify(first))).toEqual(first)
    },
  )

  test.prop([fc.integer(), fc.constantFrom(...strategies), fc.integer({ min: 1, max: 33 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 4 })])(
    'never exceeds the evaluation budget, and spends it all on a large space',
    async (seed, strategy, batchSize, evaluations, levels) => {
      let calls = 0
      const counted = (d: GridPoint): Evaluation => {
        calls++
        return evaluate(d)
      }
      const small = createGridSpace({ dimensions: 3, levels })
      for (const s of [space, small]) {
        calls = 0
        const result = await runSearch({ space: s, strategy, evaluate: counted, objectives: 'cost', budget: { evaluations }, seed, batchSize, staleLimit: 500 })
        expect(calls).toBe(result.evaluated)
        expect(result.evaluated).toBeLessThanOrEqual(evaluations)
        expect(result.asked).toBe(result.evaluated + result.cacheHits)
        if (s === space && result.stoppedBy !== 'stalled') expect(result.evaluated).toBe(evaluations)
        if (result.stoppedBy === 'budget') expect(result.evaluated).toBe(evaluations)
      }
    },
  )

  it('answers repeats from the cache without spending budget, and reports them', async () => {
    let calls = 0
    const tiny = createGridSpace({ dimensions: 1, levels: 3 })
    const result = await runSearch({
      space: tiny, strategy: random, objectives: 'cost', budget: { evaluations: 50 }, seed: 3, staleLimit: 40, trace: true,
      evaluate: (d) => {
        calls++
        return quadraticEvaluator([2])(d)
      },
    })
    expect(calls).toBe(3)
    expect(result).toMatchObject({ evaluated: 3, stoppedBy: 'stalled' })
    expect(result.cacheHits).toBeGreaterThanOrEqual(40)
    expect(result.trace?.filter((t) => t.cached)).toHaveLength(result.cacheHits)
    expect(result.best?.design).toEqual([2])
  })

  it('shares a cache across runs, re-ranking stored metrics for each run', async () => {
    const cache: SearchCache = new Map()
    const first = await runSearch({ space, strategy: random, evaluate, objectives: 'cost', budget: { evaluations: 200 }, seed: 4, cache })
    expect(cache.size).toBe(200)
    let calls = 0
    const counted = (d: GridPoint): Evaluation => {
      calls++
      return evaluate(d)
    }
    const again = await runSearch({ space, strategy: random, evaluate: counted, objectives: ['l1', 'cost'], budget: { evaluations: 200 }, seed: 4, cache, batchSize: 16 })
    // The same seed asks the same designs first: all of them come from the shared cache.
    expect(again.cacheHits).toBeGreaterThanOrEqual(first.asked)
    expect(calls).toBe(again.evaluated)
    expect(again.best?.objectives[0]).toBeLessThanOrEqual(Math.min(...first.pareto.map((p) => p.metrics['l1']!)))
  })

  it('starts genetic and annealing searches from given designs', async () => {
    const target = [1, 6, 3, 2, 5]
    for (const strategy of [strategies[2]!, strategies[3]!]) {
      const result = await runSearch({ space, strategy, strategyOptions: { initialDesigns: [[0, 0, 0, 0, 0], target] }, evaluate, objectives: 'cost', budget: { evaluations: 50 }, seed: 1 })
      expect(result.best).toMatchObject({ design: target, evaluation: 2 })
    }
  })

  it('stops on runs of infeasible designs and of non-improving designs (Timeloop timeout / victory)', async () => {
    const big = createGridSpace({ dimensions: 8, levels: 50 })
    const none = await runSearch({ space: big, strategy: random, evaluate: () => ({ ok: false, reason: 'never' }), objectives: 'cost', budget: { evaluations: Infinity }, seed: 1, invalidLimit: 100, batchSize: 16 })
    expect(none).toMatchObject({ stoppedBy: 'no-valid-design', evaluated: 112, best: null })
    let calls = 0
    const firstOnly = (): Evaluation => (calls++ === 0 ? { ok: true, metrics: { cost: 1 } } : { ok: false, reason: 'later' })
    const some = await runSearch({ space: big, strategy: random, evaluate: firstOnly, objectives: 'cost', budget: { evaluations: Infinity }, seed: 1, invalidLimit: 30, batchSize: 10 })
    expect(some).toMatchObject({ stoppedBy: 'stalled', evaluated: 40, valid: 1 })
    const converged = await runSearch({ space: big, strategy: random, evaluate: quadraticEvaluator(new Array(8).fill(3)), objectives: 'cost', budget: { evaluations: Infinity }, seed: 1, patience: 40, batchSize: 1, trace: true })
    expect(converged.stoppedBy).toBe('converged')
    expect(converged.evaluated - converged.best!.evaluation).toBe(40)
    await expectError(runSearch({ space, strategy: random, evaluate, objectives: 'cost', budget: { evaluations: 5 }, seed: 1, patience: 0 }), 'INVALID_SPEC', /patience/)
  })

  it('returns at once for a zero budget, without evaluating', async () => {
    const never = () => expect.unreachable() as never
    const result = await runSearch({ space, strategy: random, evaluate: never, objectives: 'cost', budget: { evaluations: 0 }, seed: 1 })
    expect(result).toMatchObject({ stoppedBy: 'budget', evaluated: 0, best: null, pareto: [] })
    const timed = await runSearch({ space, strategy: random, evaluate: never, objectives: 'cost', budget: { wallTimeMs: 0 }, seed: 1, clock: () => 0 })
    expect(timed).toMatchObject({ stoppedBy: 'budget', evaluated: 0, elapsedMs: 0 })
  })

  it('stops on the wall-time budget measured with the injected clock', async () => {
    let now = 0
    const slow = (d: GridPoint): Evaluation => {
      now += 2 // every evaluation takes 2 simulated ms
      return evaluate(d)
    }
    const result = await runSearch({ space, strategy: random, evaluate: slow, objectives: 'cost', budget: { wallTimeMs: 100 }, seed: 1, clock: () => now, batchSize: 5 })
    expect(result).toMatchObject({ stoppedBy: 'budget', evaluated: 50, elapsedMs: 100 })
  })

  it.each([
    [{ evaluations: -1 }, /budget\.evaluations: must be an integer/],
    [{ evaluations: 2.5 }, /budget\.evaluations/],
    [{ evaluations: Number.NaN }, /budget\.evaluations/],
    [{}, /budget: give at least one limit/],
    [{ wallTimeMs: -5 }, /budget\.wallTimeMs/],
  ])('rejects budget %j with INVALID_SPEC', async (budget, message) => {
    await expectError(runSearch({ space, strategy: random, evaluate, objectives: 'cost', budget, seed: 1, clock: () => 0 }), 'INVALID_SPEC', message)
  })

  it('rejects other bad options naming the field', async () => {
    await expectError(runSearch({ space, strategy: random, evaluate, objectives: 'cost', budget: { wallTimeMs: 5 }, seed: 1 }), 'INVALID_SPEC', /clock: a clock is required/)
    await expectError(runSearch({ space, strategy: random, objectives: 'cost', budget: { evaluations: 5 }, seed: 1 }), 'INVALID_SPEC', /evaluate: give an evaluate function or an executor/)
    await expectError(runSearch({ space, strategy: random, evaluate, objectives: 'cost', budget: { evaluations: 5 }, seed: 1, batchSize: 0 }), 'INVALID_SPEC', /batchSize/)
    await expectError(runSearch({ space, strategy: random, evaluate, objectives: [], budget: { evaluations: 5 }, seed: 1 }), 'INVALID_SPEC', /objectives/)
    await expectError(
      runSearch({ space, strategy: strategies[2]!, strategyOptions: { populationSize: 1 }, evaluate, objectives: 'cost', budget: { evaluations: 5 }, seed: 1 }),
      'INVALID_SPEC',
      /options\.populationSize/,
    )
  })

  it('turns an evaluator that throws into a SnipSnapError naming the design', async () => {
    const throwing = (d: GridPoint): Evaluation => {
      if (d[0] === 3) throw new Error('boom')
      return evaluate(d)
    }
    await expectError(runSearch({ space, strategy: random, evaluate: throwing, objectives: 'cost', budget: { evaluations: 500 }, seed: 1 }), 'INTERNAL', /evaluate threw on design "3,.*": boom/)
    const asyncThrowing = async (d: GridPoint): Promise<Evaluation> => throwing(d)
    await expectError(runSearch({ space, strategy: random, evaluate: asyncThrowing, objectives: 'cost', budget: { evaluations: 500 }, seed: 1 }), 'INTERNAL', /boom/)
  })

  it('rejects missing or non-finite objective metrics', async () => {
    await expectError(runSearch({ space, strategy: random, evaluate: () => ({ ok: true, metrics: { energy: 1 } }), objectives: 'cost', budget: { evaluations: 5 }, seed: 1 }), 'INTERNAL', /no metric "cost"/)
    await expectError(runSearch({ space, strategy: random, evaluate: () => ({ ok: true, metrics: { cost: Number.NaN } }), objectives: 'cost', budget: { evaluations: 5 }, seed: 1 }), 'INTERNAL', /non-finite \(NaN\) metric "cost"/)
  })

  it('honours an abort requested from a timer while a synchronous evaluator runs', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    const start = performance.now()
    const result = await runSearch({
      space: createGridSpace({ dimensions: 8, levels: 50 }), strategy: random, evaluate: quadraticEvaluator(new Array(8).fill(3)),
      objectives: 'cost', budget: { evaluations: Infinity }, seed: 1, signal: controller.signal, clock: () => performance.now(),
    })
    expect(result.stoppedBy).toBe('abort')
    expect(result.best).not.toBeNull()
    expect(performance.now() - start).toBeLessThan(1000)
  })

  it('honours an abort from a progress callback and an already-aborted signal', async () => {
    const controller = new AbortController()
    const events: SearchProgress<GridPoint>[] = []
    const result = await runSearch({
      space, strategy: random, evaluate, objectives: 'cost', budget: { evaluations: 1000 }, seed: 1, batchSize: 10, signal: controller.signal,
      onProgress: (p) => {
        events.push(p)
        if (p.evaluated >= 30) controller.abort()
      },
    })
    expect(result).toMatchObject({ stoppedBy: 'abort', evaluated: 30 })
    expect(events.map((e) => e.evaluated)).toEqual([10, 20, 30])
    expect(events.at(-1)?.best).toEqual(result.best)
    const before = await runSearch({ space, strategy: random, evaluate, objectives: 'cost', budget: { evaluations: 10 }, seed: 1, signal: AbortSignal.abort() })
    expect(before).toMatchObject({ stoppedBy: 'abort', evaluated: 0, best: null })
  })

  it('resumes from a saved strategy state', async () => {
    // Budgets are multiples of the batch size and the space is large enough for no repeats, so the
    // head run ends exactly where the whole run passes (strategy resumption in general is in the
    // conformance suite).
    const big = createGridSpace({ dimensions: 8, levels: 50 })
    const base = { space: big, strategy: random, evaluate: quadraticEvaluator(new Array(8).fill(3)), objectives: 'cost', seed: 5, batchSize: 10, trace: true } as const
    const whole = await runSearch({ ...base, budget: { evaluations: 200 } })
    const head = await runSearch({ ...base, budget: { evaluations: 100 } })
    const resumed = await runSearch({ ...base, budget: { evaluations: 100 }, initialState: JSON.parse(JSON.stringify(head.state)) })
    const keys = (r: typeof whole) => r.trace?.map((t) => t.key) ?? []
    expect(whole.cacheHits).toBe(0)
    expect([...keys(head), ...keys(resumed)]).toEqual(keys(whole))
  })

  it('keeps the Pareto front of the run over its objective vector', async () => {
    const result = await runSearch({ space, strategy: random, evaluate, objectives: { kind: 'weighted', names: ['cost', 'l1'], weights: [1, 0] }, budget: { evaluations: 300 }, seed: 2 })
    expect(result.pareto.length).toBeGreaterThan(0)
    expect(result.pareto.some((p) => p.key === result.best?.key || p.objectives[0] === result.best?.objectives[0])).toBe(true)
    for (const p of result.pareto) for (const q of result.pareto) expect(p.objectives[0]! <= q.objectives[0]! || p.objectives[1]! < q.objectives[1]!).toBe(true)
  })

  it('stops a strategy that breaks the ask contract, and one that proposes nothing', async () => {
    const greedy = defineSearchStrategy<GridPoint, null, void>({
      id: 'greedy', init: () => null, tell: (s) => s,
      ask: (state, n, { space: s }) => ({ state, candidates: Array.from({ length: n + 1 }, () => s.sample({ next: () => 0, int: () => 0, fork: () => { throw new Error() }, state: () => [0, 0, 0, 0] })) }),
    })
    await expectError(runSearch({ space, strategy: greedy, evaluate, objectives: 'cost', budget: { evaluations: 5 }, seed: 1 }), 'INTERNAL', /returned 6 candidates for ask\(n = 5\)/)
    const idle = defineSearchStrategy<GridPoint, null, void>({ id: 'idle', init: () => null, tell: (s) => s, ask: (state) => ({ state, candidates: [] }) })
    const result = await runSearch({ space, strategy: idle, evaluate, objectives: 'cost', budget: { evaluations: 5 }, seed: 1 })
    expect(result.stoppedBy).toBe('no-valid-design')
    const exhausted = await runSearch({ space: createGridSpace({ dimensions: 2, levels: 2 }), strategy: exhaustive, evaluate: quadraticEvaluator([1, 1]), objectives: 'cost', budget: { evaluations: 99 }, seed: 1 })
    expect(exhausted).toMatchObject({ stoppedBy: 'exhausted', evaluated: 4 })
  })
})

import { createRng, type Space } from '@snipsnap/core'
import { exhaustive, runSearch, type Evaluation } from '@snipsnap/search'
import { createGridSpace, quadraticEvaluator, type GridPoint } from '@snipsnap/search/testing'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'

const all = (dimensions: number, levels: number): GridPoint[] => [...createGridSpace({ dimensions, levels }).enumerate()]

describe('exhaustive search', () => {
  test.prop([
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 5 }),
    fc.array(fc.integer({ min: -2, max: 7 }), { minLength: 3, maxLength: 3 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 3, maxLength: 3 }),
    fc.boolean(),
  ])('finds the true optimum of a random small problem', async (dimensions, levels, target, weights, flat) => {
    // Weighted, non-separable-looking objective with a brute-force reference computed here.
    const objective = (d: GridPoint) => d.reduce((sum, x, i) => sum + ((weights[i] as number) + 1) * (x - (target[i] as number)) ** 2 + x * i, 0)
    const feasible = (d: GridPoint) => (d[0] as number) % 2 === 0
    const evaluate = (d: GridPoint): Evaluation => (feasible(d) ? { ok: true, metrics: { f: objective(d) } } : { ok: false, reason: 'odd' })
    const grid = createGridSpace({ dimensions, levels })
    const space: Space<GridPoint> = flat ? { sample: grid.sample, enumerate: grid.enumerate, key: grid.key } : grid
    const result = await runSearch({ space, strategy: exhaustive, evaluate, objectives: 'f', budget: { evaluations: Infinity }, seed: 1, batchSize: 7 })
    const designs = all(dimensions, levels)
    const reference = Math.min(...designs.filter(feasible).map(objective))
    expect(result.stoppedBy).toBe('exhausted')
    expect(result.evaluated).toBe(designs.length)
    expect(result.cacheHits).toBe(0)
    expect(result.best?.objectives).toEqual([reference])
  })

  it('skips subtrees rejected by tree.admits without evaluating them', async () => {
    const space = createGridSpace({ dimensions: 3, levels: 4, admits: (prefix) => prefix[1] !== 2 })
    const seen: string[] = []
    const evaluate = (d: GridPoint): Evaluation => {
      seen.push(d.join(','))
      return quadraticEvaluator([1, 1, 1])(d)
    }
    const result = await runSearch({ space, strategy: exhaustive, evaluate, objectives: 'cost', budget: { evaluations: 1000 }, seed: 1 })
    expect(result.evaluated).toBe(4 * 3 * 4)
    expect(seen.some((key) => key.split(',')[1] === '2')).toBe(false)
    expect(result.stoppedBy).toBe('exhausted')
  })

  it('skips the subtree an evaluator prunes, and only that one', async () => {
    const space = createGridSpace({ dimensions: 3, levels: 3 })
    // Designs with x0 = 1 are infeasible because of the first decision: prune that prefix.
    const evaluate = (d: GridPoint): Evaluation =>
      d[0] === 1 ? { ok: false, reason: 'x0 = 1', prune: { depth: 1, reason: 'infeasible' } } : { ok: true, metrics: { s: d[0]! + d[1]! + d[2]! } }
    const result = await runSearch({ space, strategy: exhaustive, evaluate, objectives: 's', budget: { evaluations: 100 }, seed: 1, batchSize: 1, trace: true })
    const keys = result.trace?.map((t) => t.key) ?? []
    expect(keys.filter((k) => k.startsWith('1,'))).toEqual(['1,0,0'])
    expect(result.evaluated).toBe(9 + 1 + 9)
    expect(result.state).toMatchObject({ pruned: 1, exhausted: true })
  })

  it('prunes dominated subtrees through the driver prune rule', async () => {
    const space = createGridSpace({ dimensions: 2, levels: 5 })
    // f = 10·x0 + x1: the first design of a row is its minimum, so once it is no better than
    // the best so far (itself included) the rest of the row cannot improve: prune by decision 1.
    const evaluate = (d: GridPoint): Evaluation => ({ ok: true, metrics: { f: 10 * d[0]! + d[1]! } })
    const result = await runSearch({
      space, strategy: exhaustive, evaluate, objectives: 'f', budget: { evaluations: 100 }, seed: 1, batchSize: 1,
      pruneRule: (r, best) => (best !== null && r.ok && r.objectives[0]! >= best.objectives[0]! ? { depth: 1, reason: 'dominated' } : undefined),
    })
    expect(result.best?.design).toEqual([0, 0])
    expect(result.evaluated).toBe(5)
    expect(result.state).toMatchObject({ pruned: 5, exhausted: true })
  })

  it('reports no-valid-design when the whole space is infeasible', async () => {
    const result = await runSearch({
      space: createGridSpace({ dimensions: 2, levels: 3 }), strategy: exhaustive,
      evaluate: () => ({ ok: false, reason: 'nope' }), objectives: 'f', budget: { evaluations: Infinity }, seed: 1,
    })
    expect(result).toMatchObject({ stoppedBy: 'no-valid-design', best: null, evaluated: 9, valid: 0 })
  })

  it('reports an empty tree as no-valid-design, and a space without enumeration as unsupported', async () => {
    const empty = createGridSpace({ dimensions: 2, levels: 3, admits: () => false })
    const result = await runSearch({ space: empty, strategy: exhaustive, evaluate: () => ({ ok: true, metrics: { f: 1 } }), objectives: 'f', budget: { evaluations: 5 }, seed: 1 })
    expect(result).toMatchObject({ stoppedBy: 'no-valid-design', evaluated: 0 })
    const bare: Space<number> = { sample: (rng) => rng.int(3), key: String }
    await expect(runSearch({ space: bare, strategy: exhaustive, evaluate: () => ({ ok: true, metrics: { f: 1 } }), objectives: 'f', budget: { evaluations: 5 }, seed: 1 }))
      .rejects.toMatchObject({ code: 'UNSUPPORTED_FEATURE' })
  })

  it('resumes a flat enumeration from its plain-data position', () => {
    const grid = createGridSpace({ dimensions: 2, levels: 3 })
    const flat: Space<GridPoint> = { sample: grid.sample, enumerate: grid.enumerate, key: grid.key }
    const context = { space: flat, options: undefined, objectives: { names: ['f'], compare: () => 0, scalarize: () => 0 } }
    const state = exhaustive.init({ ...context, rng: createRng(1) })
    const first = exhaustive.ask(state, 4, context)
    const again = exhaustive.ask(JSON.parse(JSON.stringify(first.state)), 9, context)
    expect([...first.candidates, ...again.candidates]).toEqual(all(2, 3))
    expect(exhaustive.isDone?.(again.state)).toBe('exhausted')
  })
})

// Each named phase of a selection, run alone on a tiled GEMM under the test traffic cost model, and
// the chain of phases against selectFormats itself.
import { describe, expect, it } from 'vitest'
import { selectFormats } from '@snipsnap/compress'
import { createTrafficCostModel, gemmDesign } from '@snipsnap/compress/testing'
import { resolveEngineOptions, selectionPhases as P } from './select'
import { toQuery, valid } from './internal/test-helpers'

const costModel = createTrafficCostModel()
const query = toQuery(
  gemmDesign({
    M: 64, N: 64, K: 64, densityA: 0.1, densityB: 0.5,
    factors: { DRAM: { M: 8, N: 8 }, GLB: { M: 8, K: 4 }, PE: { N: 8, K: 16 } },
  }),
)

/** Runs the phases up to the candidate moves, as runSelection does. */
const setUp = (options = {}) => {
  const { opts, engine } = resolveEngineOptions(options)
  const input = { query, costModel }
  const { managed, notes } = P.prepareSelection(input, opts, engine)
  const ctx = { query, managed, engine, specOf: (slot: Parameters<typeof P.specWith>[0], entry: Parameters<typeof P.specWith>[1]) => P.specWith(slot, entry, engine) }
  const book = P.createCodebook(engine)
  const evaluator = P.createEvaluator(ctx, input, opts)
  const start = P.runBaselines(ctx, book, opts, evaluator)
  P.calibrateTraffic(managed, start.denseReport, notes)
  const estimator = P.createEstimator(ctx, book)
  const ranking = P.rankSlots(ctx, opts, estimator, start.reference)
  const moves = P.createCandidateMoves(ctx, book, opts, estimator)
  return { opts, engine, input, managed, notes, ctx, book, evaluator, start, estimator, ranking, moves }
}

describe('selection phases', () => {
  it('prepare: manages the sparse tensors only, with one slot info per level', () => {
    const { managed } = setUp()
    expect(managed.map((m) => m.chain.tensor)).toEqual(['A', 'B'])
    for (const m of managed) expect(m.slotInfo.length).toBe(m.chain.slots.length)
  })

  it('costing: evaluates each state once and counts it', () => {
    const { evaluator, start } = setUp()
    const before = evaluator.stats.costed
    const again = evaluator.evaluate(start.start.state)
    expect(again).toBe(start.start.evaluation)
    expect(evaluator.stats.costed).toBe(before)
  })

  it('baselines: starts from the best feasible fixed baseline', () => {
    const { start, opts } = setUp()
    expect(start.baselines.map((b) => b.name)).toEqual([...opts.baselines])
    const feasible = start.baselines.filter((b) => b.feasible).map((b) => b.objectivePJ as number)
    expect(start.start.evaluation.ok).toBe(true)
    if (start.start.evaluation.ok) expect(start.start.evaluation.objectivePJ).toBe(Math.min(...feasible))
    expect(start.startedFrom).toBe(`best fixed baseline "${start.bestBaseline?.name}"`)
  })

  it('ranking: orders slots by importance and budgets at most topK candidates each', () => {
    const { ranking, opts } = setUp({ topK: 3 })
    expect(ranking.order.length).toBe(ranking.slotRefs.length)
    for (let k = 1; k < ranking.order.length; k++) {
      expect(ranking.order[k - 1]!.importance).toBeGreaterThanOrEqual(ranking.order[k]!.importance)
    }
    for (const ref of ranking.order) {
      expect(ranking.budgetOf(ref)).toBeGreaterThanOrEqual(0)
      expect(ranking.budgetOf(ref)).toBeLessThanOrEqual(opts.topK)
    }
  })

  it('candidate moves: likely-fitting moves first, each group by estimated energy', () => {
    const { moves, ranking, start } = setUp()
    const ref = ranking.order[0]!
    const list = moves.movesOf(start.start.state, ref.t, ref.j)
    expect(list.length).toBeGreaterThan(1)
    expect(moves.scored()).toBeGreaterThan(0)
    for (let k = 1; k < list.length; k++) {
      const a = list[k - 1]!
      const b = list[k]!
      expect(Number(a.fits)).toBeGreaterThanOrEqual(Number(b.fits))
      if (a.fits === b.fits) expect(a.energy).toBeLessThanOrEqual(b.energy)
    }
  })

  it('descent and result: never worse than the start, and the chain equals selectFormats', () => {
    const s = setUp()
    const descent = P.runDescent(s.ctx, s.opts, s.evaluator, s.estimator, s.ranking, s.moves, s.start)
    expect(descent.evaluation.ok).toBe(true)
    if (!descent.evaluation.ok || !s.start.start.evaluation.ok) return
    expect(descent.evaluation.objectivePJ).toBeLessThanOrEqual(s.start.start.evaluation.objectivePJ)
    const result = P.assembleResult(s.ctx, s.opts, { ...s, descent: { ...descent, evaluation: descent.evaluation } })
    expect(result).toEqual(valid(selectFormats({ query, costModel })))
  })
})

// The outer axis search: deterministic for a seed, never evaluates a screened-out point, shares
// one budget, tells each evaluation its nearest evaluated neighbours, keeps a non-dominated front.
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { SnipSnapError } from '@snipsnap/core'
import { dominates } from './pareto'
import { searchAxes, type AxisPoint, type AxisScreen, type DiscreteAxis } from './axis-search'

const axes: DiscreteAxis[] = [
  { name: 'x', values: [1, 2, 3, 4, 5, 6] },
  { name: 'y', values: [1, 2, 4, 8] },
  { name: 'mode', values: ['a', 'b'] },
]
// Two conflicting objectives plus a cost, as energy / cycles / area would be.
const f = (p: AxisPoint): number[] => {
  const x = Number(p.x)
  const y = Number(p.y)
  return [x * y + (p.mode === 'a' ? 1 : 0), 100 / (x + y), x + y]
}

const run = (seed: number, points = 12, screen: (p: AxisPoint) => AxisScreen = () => ({ ok: true })) =>
  searchAxes({
    axes,
    start: { x: 3, y: 2, mode: 'a' },
    objectives: ['e', 'c', 'a'],
    screen,
    evaluate: async (p) => ({ ok: true, objectives: f(p), result: p }),
    budget: { points },
    seed,
  })

describe('searchAxes', () => {
  test.prop([fc.integer({ min: 0, max: 1000 })], { numRuns: 20 })('same seed ⇒ same trajectory', async (seed) => {
    const a = await run(seed)
    const b = await run(seed)
    expect(a.evaluated.map((e) => e.key)).toEqual(b.evaluated.map((e) => e.key))
  })

  it('starts at the start point, respects the point budget and keeps a non-dominated front', async () => {
    const r = await run(3, 10)
    expect(r.evaluated[0]?.point).toEqual({ x: 3, y: 2, mode: 'a' })
    expect(r.evaluated.length).toBe(10)
    expect(r.stoppedBy).toBe('points')
    for (const a of r.front) for (const b of r.front) expect(dominates(a.objectives, b.objectives)).toBe(false)
    for (const e of r.evaluated) expect(r.front.some((m) => m === e || dominates(m.objectives, e.objectives) || m.objectives.every((v, i) => v === e.objectives[i]))).toBe(true)
  })

  it('never evaluates a point the screen rejects', async () => {
    const screen = (p: AxisPoint) => (Number(p.x) + Number(p.y) > 7 ? { ok: false as const, kind: 'area', reason: 'too big' } : { ok: true as const })
    const r = await run(5, 200, screen)
    expect(r.evaluated.every((e) => Number(e.point.x) + Number(e.point.y) <= 7)).toBe(true)
    expect(r.rejected.some((x) => x.kind === 'area')).toBe(true)
    expect(r.stoppedBy).toBe('exhausted')
    expect(new Set(r.evaluated.map((e) => e.key)).size).toBe(r.evaluated.length)
  })

  const timed = (durationsMs: readonly number[]) => {
    let now = 0
    let calls = 0
    return searchAxes({
      axes,
      start: { x: 1, y: 1, mode: 'a' },
      objectives: ['e'],
      screen: () => ({ ok: true }),
      evaluate: async (p, ctx) => {
        now += durationsMs[Math.min(calls++, durationsMs.length - 1)] ?? 0
        return ctx.signal.aborted ? { ok: false, reason: 'cut' } : { ok: true, objectives: [Number(p.x)], result: null }
      },
      budget: { wallTimeMs: 100 },
      clock: () => now,
      seed: 1,
    })
  }

  it('shares one wall-clock budget and does not start a point that would not finish', async () => {
    const r = await timed([40])
    expect(r.evaluated.map((e) => e.atMs)).toEqual([40, 80])
    expect(r.interrupted).toBe(0)
    expect(r.stoppedBy).toBe('time')
  })

  it('discards the evaluation the budget interrupts', async () => {
    const r = await timed([10, 200])
    expect(r.evaluated.length).toBe(1)
    expect(r.interrupted).toBe(1)
    expect(r.stoppedBy).toBe('time')
  })

  it('tells each evaluation its nearest evaluated neighbours', async () => {
    const seenNeighbours: number[] = []
    await searchAxes({
      axes,
      start: { x: 3, y: 2, mode: 'a' },
      objectives: ['e', 'c'],
      screen: () => ({ ok: true }),
      evaluate: async (p, ctx) => {
        seenNeighbours.push(ctx.neighbours.length)
        return { ok: true, objectives: f(p).slice(0, 2), result: null }
      },
      budget: { points: 6 },
      seed: 2,
    })
    expect(seenNeighbours).toEqual([0, 1, 2, 3, 4, 4])
  })

  it('rejects bad axes and budgets precisely', async () => {
    await expect(searchAxes({ axes: [{ name: 'x', values: [] }], start: {}, objectives: [], screen: () => ({ ok: true }), evaluate: async () => ({ ok: false, reason: '' }), budget: { points: 1 }, seed: 1 })).rejects.toThrow(/axis x has no values/)
    await expect(searchAxes({ axes, start: { x: 9, y: 1, mode: 'a' }, objectives: [], screen: () => ({ ok: true }), evaluate: async () => ({ ok: false, reason: '' }), budget: { points: 1 }, seed: 1 })).rejects.toThrow(SnipSnapError)
    await expect(searchAxes({ axes, start: { x: 1, y: 1, mode: 'a' }, objectives: [], screen: () => ({ ok: true }), evaluate: async () => ({ ok: false, reason: '' }), budget: {}, seed: 1 })).rejects.toThrow(/needs a budget/)
  })
})

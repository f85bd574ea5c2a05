// The README's examples, kept runnable: the toy search and the third-party `hill-climb` strategy,
// which runs the same conformance suite as the built-ins.
import { defineSearchStrategy, rngFromState } from '@snipsnap/core'
import { genetic, runSearch, type Space } from '@snipsnap/search'
import { describeStrategyConformance } from '@snipsnap/search/testing'
import { describe, expect, it } from 'vitest'

const space: Space<number[]> = {
  sample: (rng) => [rng.int(16), rng.int(16), rng.int(16)],
  mutate: (d, rng) => d.map((x) => (rng.next() < 0.3 ? Math.max(0, Math.min(15, x + (rng.next() < 0.5 ? -1 : 1))) : x)),
  crossover: (a, b, rng) => a.map((x, i) => (rng.next() < 0.5 ? x : b[i]!)),
  key: (d) => d.join(','),
}
const evaluate = (d: number[]) =>
  d[0] === 5
    ? { ok: false as const, reason: 'x0 = 5 is forbidden' }
    : { ok: true as const, metrics: { energy: (d[0]! - 3) ** 2 + (d[1]! - 11) ** 2 + (d[2]! - 7) ** 2, cycles: d[0]! + d[1]! } }

type HillState = { rng: [number, number, number, number]; at: { design: number[]; objectives: number[] } | null }
export const hillClimb = defineSearchStrategy<number[], HillState, void>({
  id: 'hill-climb',
  init: ({ rng }) => ({ rng: [...rng.state()] as [number, number, number, number], at: null }),
  ask(state, n, { space: s }) {
    const rng = rngFromState(state.rng)
    const candidates = Array.from({ length: n }, () => (state.at && s.mutate ? s.mutate(state.at.design, rng) : s.sample(rng)))
    return { state: { ...state, rng: [...rng.state()] as [number, number, number, number] }, candidates }
  },
  tell(state, results, { objectives }) {
    let at = state.at
    for (const r of results) if (r.ok && (at === null || objectives.compare(r.objectives, at.objectives) < 0)) at = { design: r.design, objectives: [...r.objectives] }
    return { ...state, at }
  },
})

describeStrategyConformance(hillClimb)

describe('README example', () => {
  it('finds the toy optimum', async () => {
    const result = await runSearch({ space, strategy: genetic, evaluate, objectives: ['energy', 'cycles'], budget: { evaluations: 1500 }, seed: 42, clock: () => performance.now() })
    expect(result.best?.design).toEqual([3, 11, 7])
    expect(result.best?.metrics).toEqual({ energy: 0, cycles: 14 })
    expect(['budget', 'stalled']).toContain(result.stoppedBy)
  })

  it('hill-climb improves on its first sample', async () => {
    const result = await runSearch({ space, strategy: hillClimb, evaluate, objectives: 'energy', budget: { evaluations: 300 }, seed: 1, trace: true })
    const first = result.trace?.find((t) => t.ok)?.objectives?.[0] ?? Infinity
    expect(result.best!.objectives[0]).toBeLessThan(first)
  })
})

describe('README searchAxes example', () => {
  it('walks the grid, screening out the too-big corner', async () => {
    const { searchAxes } = await import('@snipsnap/search')
    const r = await searchAxes({
      axes: [{ name: 'kib', values: [128, 256, 512] }, { name: 'pes', values: [64, 128, 256] }],
      start: { kib: 256, pes: 128 },
      objectives: ['energy', 'area'],
      screen: (p) => (Number(p.kib) * Number(p.pes) > 65536 ? { ok: false, kind: 'area', reason: 'too big' } : { ok: true }),
      evaluate: async (p) => ({ ok: true, objectives: [1e6 / Number(p.kib) + Number(p.pes), Number(p.kib) + Number(p.pes)], result: p }),
      budget: { points: 6 },
      seed: 1,
    })
    expect(r.evaluated.length).toBe(6)
    expect(r.evaluated.every((e) => Number(e.point.kib) * Number(e.point.pes) <= 65536)).toBe(true)
    expect(r.front.length).toBeGreaterThan(0)
  })
})

import { dominates, paretoFront, paretoInsert } from '@snipsnap/search'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'

// Small integer ranges make ties and dominance frequent, which is where archives go wrong.
const arbPoints = (arity: number) =>
  fc.array(
    fc.record({ id: fc.nat(), objectives: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: arity, maxLength: arity }) }),
    { maxLength: 60 },
  )

const equal = (a: readonly number[], b: readonly number[]) => a.every((v, i) => v === b[i])

describe('Pareto archive', () => {
  it('keeps the trade-off points', () => {
    const front = paretoFront([{ objectives: [1, 3] }, { objectives: [2, 2] }, { objectives: [3, 3] }, { objectives: [3, 1] }])
    expect(front.map((p) => p.objectives)).toEqual([[1, 3], [2, 2], [3, 1]])
  })

  test.prop([fc.integer({ min: 1, max: 4 }).chain(arbPoints)])('is mutually non-dominated and covers every dropped point', (points) => {
    const front = paretoFront(points)
    for (const a of front) for (const b of front) expect(dominates(a.objectives, b.objectives)).toBe(false)
    for (const point of points) {
      if (front.includes(point)) continue
      // Dropped: strictly dominated by a kept point, or a later duplicate of a kept vector.
      expect(front.some((kept) => dominates(kept.objectives, point.objectives) || equal(kept.objectives, point.objectives))).toBe(true)
    }
    // Nothing non-dominated is lost: every point no other point dominates has its vector kept.
    for (const point of points) {
      if (!points.some((other) => dominates(other.objectives, point.objectives))) {
        expect(front.some((kept) => equal(kept.objectives, point.objectives))).toBe(true)
      }
    }
  })

  test.prop([arbPoints(3)])('distinct vectors: every dropped point is strictly dominated by a kept one', (points) => {
    const distinct = points.filter((p, i) => points.findIndex((q) => equal(p.objectives, q.objectives)) === i)
    const front = paretoFront(distinct)
    for (const point of distinct) {
      if (!front.includes(point)) expect(front.some((kept) => dominates(kept.objectives, point.objectives))).toBe(true)
    }
  })

  test.prop([arbPoints(2)])('incremental insertion equals the batch front and keeps input order', (points) => {
    let front: readonly (typeof points)[number][] = []
    for (const point of points) front = paretoInsert(front, point).front
    expect(front).toEqual(paretoFront(points))
    const positions = front.map((p) => points.indexOf(p))
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
  })

  it('does not modify its input and rejects non-finite objectives', () => {
    const front = Object.freeze([{ objectives: [1, 2] }])
    expect(paretoInsert(front, { objectives: [0, 0] }).front).toEqual([{ objectives: [0, 0] }])
    expect(front).toEqual([{ objectives: [1, 2] }])
    expect(() => paretoInsert([], { objectives: [Number.NaN, 1] })).toThrow(/objective 0 is not a finite number/)
    expect(() => paretoInsert(front, { objectives: [1] })).toThrow(/differ in length/)
  })
})

import { isSnipSnapError } from '@snipsnap/core'
import { compareLexicographic, createObjectiveOrder, normalizeObjectives, weightedSum } from '@snipsnap/search'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'

const vector = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 2 })

describe('objective orders', () => {
  it('normalises names and lists to lexicographic orders', () => {
    expect(normalizeObjectives('energy')).toEqual({ kind: 'lexicographic', names: ['energy'] })
    expect(normalizeObjectives(['cycles', 'energy'])).toEqual({ kind: 'lexicographic', names: ['cycles', 'energy'] })
  })

  it('ranks lexicographically like Timeloop optimization-metrics [delay, energy]', () => {
    const order = createObjectiveOrder(['cycles', 'energy'])
    expect(order.compare([100, 5], [101, 1])).toBeLessThan(0)
    expect(order.compare([100, 5], [100, 6])).toBeLessThan(0)
    expect(order.compare([100, 5], [100, 5])).toBe(0)
    expect(order.scalarize([100, 5])).toBe(100)
  })

  it('ranks by weighted sum', () => {
    const order = createObjectiveOrder({ kind: 'weighted', names: ['energy', 'cycles'], weights: [1, 10] })
    expect(order.scalarize([3, 2])).toBe(23)
    expect(order.compare([3, 2], [30, 0])).toBeLessThan(0)
    expect(weightedSum([2, 3], [1, 10])).toBe(32)
  })

  test.prop([vector, vector, vector])('lexicographic compare is a total preorder', (a, b, c) => {
    expect(Math.sign(compareLexicographic(a, b))).toBe(-Math.sign(compareLexicographic(b, a)) || 0)
    if (compareLexicographic(a, b) <= 0 && compareLexicographic(b, c) <= 0) {
      expect(compareLexicographic(a, c)).toBeLessThanOrEqual(0)
    }
  })

  it.each([
    [[], 'objectives'],
    [['energy', 'energy'], 'objectives[1]'],
    [{ kind: 'weighted', names: ['a', 'b'], weights: [1] }, 'objectives.weights'],
    [{ kind: 'weighted', names: ['a', 'b'], weights: [1, -2] }, 'objectives.weights[1]'],
    [{ kind: 'weighted', names: ['a'], weights: [0] }, 'objectives.weights'],
    [{ kind: 'pareto', names: ['a'] }, 'objectives.kind'],
    [42, 'objectives'],
  ])('rejects %j naming %s', (spec, where) => {
    try {
      createObjectiveOrder(spec as never)
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.code).toBe('INVALID_SPEC')
      expect((error as Error).message.startsWith(`${where}:`)).toBe(true)
    }
  })
})

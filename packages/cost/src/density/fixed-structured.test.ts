import { fc, test } from '@fast-check/vitest'
import { isSnipSnapError } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'

import { checkDensityLaws, createFixedStructuredDensity } from './index'

const arbDensity = fc.double({ min: 0, max: 1, noNaN: true })

describe('fixed-structured', () => {
  it('splits n·d between floor and ceil as Timeloop does', () => {
    const model = createFixedStructuredDensity({ density: 0.3, tensorShape: [10, 10], params: {} })
    const dist = model.distribution({ shape: [5] })
    // 5·0.3 = 1.5 → P(1) = P(2) = ½
    expect(dist.occupancies).toEqual([1, 2])
    expect(dist.probabilities[0]).toBeCloseTo(0.5, 12)
    expect(model.probabilityEmpty({ shape: [5] })).toBe(0)
    expect(model.probabilityEmpty({ shape: [2] })).toBeCloseTo(0.4, 12) // 0.6 → P(0) = 0.4
    // Timeloop: confidence ≤ P(floor) → floor, else ceil.
    expect(model.maxOccupancy({ shape: [5] }, 0.5)).toBe(1)
    expect(model.maxOccupancy({ shape: [5] }, 0.9)).toBe(2)
    expect(model.maxOccupancy({ shape: [5] })).toBe(2)
  })

  it('is exact over the whole tensor when n·d is an integer', () => {
    const model = createFixedStructuredDensity({ density: 0.25, tensorShape: [64, 32], params: {} })
    expect(model.distribution({ shape: [64, 32] })).toEqual({
      occupancies: [512],
      probabilities: [1],
    })
  })

  it('replaces d by k/S under a parent constraint', () => {
    const model = createFixedStructuredDensity({ density: 0.5, tensorShape: [64], params: {} })
    const dist = model.distribution({ shape: [4], constraint: { shape: [16], occupancy: 3 } })
    // 4·3/16 = 0.75 → P(0) = 0.25, P(1) = 0.75
    expect(dist.occupancies).toEqual([0, 1])
    expect(dist.probabilities[1]).toBeCloseTo(0.75, 12)
    expect(
      model.expectedOccupancy({ shape: [4], constraint: { shape: [16], occupancy: 3 } })
    ).toBeCloseTo(0.75, 12)
  })

  test.prop([arbDensity, fc.integer({ min: 1, max: 5000 })])(
    'satisfies the density laws',
    (d, n) => {
      const model = createFixedStructuredDensity({ density: d, tensorShape: [5000], params: {} })
      expect(checkDensityLaws(model, { shape: [n] })).toEqual([])
      expect(model.expectedOccupancy({ shape: [n] })).toBeCloseTo(n * d, 9)
    }
  )

  test.prop([arbDensity, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 })])(
    'P(empty) is non-increasing in tile size',
    (d, a, b) => {
      const model = createFixedStructuredDensity({ density: d, tensorShape: [1000], params: {} })
      const [small, large] = a <= b ? [a, b] : [b, a]
      expect(model.probabilityEmpty({ shape: [large] })).toBeLessThanOrEqual(
        model.probabilityEmpty({ shape: [small] }) + 1e-12
      )
    }
  )

  test.prop([arbDensity, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 16 })])(
    'conditional queries obey the law of total expectation',
    (d, parent, childDiv) => {
      const model = createFixedStructuredDensity({ density: d, tensorShape: [4096], params: {} })
      const child = Math.max(1, Math.floor(parent / childDiv))
      const parentDist = model.distribution({ shape: [parent] })
      let total = 0
      parentDist.occupancies.forEach((k, i) => {
        total +=
          (parentDist.probabilities[i] ?? 0) *
          model.expectedOccupancy({ shape: [child], constraint: { shape: [parent], occupancy: k } })
      })
      expect(total).toBeCloseTo(model.expectedOccupancy({ shape: [child] }), 9)
    }
  )

  it('rejects densities outside [0, 1] and NaN, naming the field', () => {
    for (const density of [-0.1, 1.5, Number.NaN]) {
      try {
        createFixedStructuredDensity({ density, tensorShape: [4], params: {} })
        expect.unreachable()
      } catch (error) {
        expect(isSnipSnapError(error) && error.code).toBe('INVALID_SPEC')
        expect(isSnipSnapError(error) && error.path).toEqual(['density'])
      }
    }
  })
})

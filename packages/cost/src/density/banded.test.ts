import { fc, test } from '@fast-check/vitest'
import { isSnipSnapError } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'

import { checkDensityLaws, createActualDataDensity, createBandedDensity } from './index'

const bandMask = (rows: number, cols: number, w: number): Uint8Array => {
  const mask = new Uint8Array(rows * cols)
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) mask[r * cols + c] = Math.abs(r - c) <= w ? 1 : 0
  return mask
}

describe('banded', () => {
  it('has Timeloop’s total non-zeros for square matrices: n + 2·Σ_{u=1..w}(n − u)', () => {
    for (const [n, w] of [
      [8, 0],
      [8, 1],
      [16, 3],
      [1024, 5],
    ] as const) {
      const model = createBandedDensity({
        density: 0,
        tensorShape: [n, n],
        params: { bandWidth: w },
      })
      let total = n
      for (let u = 1; u <= w; u++) total += 2 * (n - u)
      expect(model.density).toBeCloseTo(total / (n * n), 14)
    }
  })

  test.prop([
    fc.integer({ min: 1, max: 24 }),
    fc.integer({ min: 1, max: 24 }),
    fc.integer({ min: 0, max: 6 }),
    fc.integer({ min: 1, max: 8 }),
    fc.integer({ min: 1, max: 8 }),
  ])(
    'counts exactly like a brute-force band mask, conditional queries included',
    (rows, cols, w, th, tw) => {
      const banded = createBandedDensity({
        density: 0,
        tensorShape: [rows, cols],
        params: { band_width: w },
      })
      const measured = createActualDataDensity({
        density: 0,
        tensorShape: [rows, cols],
        params: { mask: bandMask(rows, cols, w) },
      })
      const tile = { shape: [th, tw] }
      expect(banded.distribution(tile)).toEqual(measured.distribution(tile))
      expect(checkDensityLaws(banded, tile)).toEqual([])
      const parent = [Math.min(rows, th * 2), Math.min(cols, tw * 2)]
      const pd = banded.distribution({ shape: parent })
      for (const k of pd.occupancies) {
        const q = { shape: [th, tw], constraint: { shape: parent, occupancy: k } }
        expect(banded.distribution(q)).toEqual(measured.distribution(q))
      }
      expect(banded.expectedOccupancy({ shape: [th, tw], origin: [th, 0] })).toBe(
        measured.expectedOccupancy({ shape: [th, tw], origin: [th, 0] })
      )
    }
  )

  it('scales to 4096 × 4096 with small tiles (only band tiles are counted)', () => {
    const model = createBandedDensity({
      density: 0,
      tensorShape: [4096, 4096],
      params: { bandWidth: 2 },
    })
    expect(checkDensityLaws(model, { shape: [1, 16] })).toEqual([])
    expect(model.probabilityEmpty({ shape: [4, 4] })).toBeCloseTo(
      1 - (1024 * 3 - 2) / (1024 * 1024),
      12
    )
  })

  it('rejects a negative band width and non-2-D tensors', () => {
    for (const [shape, params, path] of [
      [[4, 4], { bandWidth: -1 }, ['params', 'bandWidth']],
      [[4, 4, 4], { bandWidth: 1 }, ['tensorShape']],
    ] as const) {
      try {
        createBandedDensity({ density: 0.5, tensorShape: shape, params })
        expect.unreachable()
      } catch (error) {
        expect(isSnipSnapError(error) && error.path).toEqual(path)
      }
    }
  })
})

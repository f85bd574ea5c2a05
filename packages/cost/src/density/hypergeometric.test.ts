import { fc, test } from '@fast-check/vitest'
import { isSnipSnapError } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'

import { checkDensityLaws, createHypergeometricDensity } from './index'

describe('hypergeometric', () => {
  it('uses r = ceil(d·N) over the tensor size, as Timeloop', () => {
    const model = createHypergeometricDensity({ density: 0.5, tensorShape: [4, 5], params: {} })
    // N = 20, r = 10: P(empty) for a 2-element tile = C(10,2)/C(20,2) = 45/190
    expect(model.probabilityEmpty({ shape: [2] })).toBeCloseTo(45 / 190, 14)
    expect(model.maxOccupancy({ shape: [12] })).toBe(10) // min(n, r) at confidence 1
    expect(model.expectedOccupancy({ shape: [4, 5] })).toBe(10)
  })

  it('honours workloadTensorSize (and its Timeloop spelling)', () => {
    const a = createHypergeometricDensity({
      density: 0.5,
      tensorShape: [4, 5],
      params: { workloadTensorSize: 100 },
    })
    const b = createHypergeometricDensity({
      density: 0.5,
      tensorShape: [4, 5],
      params: { workload_tensor_size: 100 },
    })
    expect(a.probabilityEmpty({ shape: [2] })).toBeCloseTo((50 * 49) / (100 * 99), 14)
    expect(b.probabilityEmpty({ shape: [2] })).toBe(a.probabilityEmpty({ shape: [2] }))
  })

  it('handles LLM-sized tensors (4096 × 11008) and KV caches (~10^9) quickly and finitely', () => {
    const ffn = createHypergeometricDensity({
      density: 0.5,
      tensorShape: [4096, 11008],
      params: {},
    })
    const tile = { shape: [128, 256] }
    expect(checkDensityLaws(ffn, tile)).toEqual([])
    expect(ffn.expectedOccupancy(tile)).toBeCloseTo(128 * 256 * 0.5, 6)
    const kv = createHypergeometricDensity({
      density: 0.1,
      tensorShape: [32, 32, 8192, 128],
      params: {},
    })
    for (const shape of [[1], [16], [1, 1, 64, 128], [1, 32, 8192, 128]]) {
      expect(checkDensityLaws(kv, { shape })).toEqual([])
    }
  })

  test.prop([
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 1, max: 512 }),
    fc.integer({ min: 1, max: 512 }),
  ])('satisfies the density laws; E = n·d when d·N is an integer', (d, rows, n) => {
    const N = rows * 512
    const model = createHypergeometricDensity({ density: d, tensorShape: [rows, 512], params: {} })
    const tile = { shape: [Math.min(n, N)] }
    expect(checkDensityLaws(model, tile)).toEqual([])
    const r = Math.ceil(d * N)
    expect(model.expectedOccupancy(tile)).toBeCloseTo((tile.shape[0]! * r) / N, 9)
    const whole = createHypergeometricDensity({
      density: 0.25,
      tensorShape: [rows, 512],
      params: {},
    })
    expect(whole.expectedOccupancy(tile)).toBeCloseTo(tile.shape[0]! * 0.25, 9)
  })

  test.prop([
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 1, max: 4000 }),
    fc.integer({ min: 1, max: 4000 }),
  ])('P(empty) is non-increasing in tile size', (d, a, b) => {
    const model = createHypergeometricDensity({ density: d, tensorShape: [4000], params: {} })
    const [small, large] = a <= b ? [a, b] : [b, a]
    expect(model.probabilityEmpty({ shape: [large] })).toBeLessThanOrEqual(
      model.probabilityEmpty({ shape: [small] }) * (1 + 1e-12) + 1e-300
    )
  })

  test.prop([
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 1, max: 64 }),
    fc.integer({ min: 1, max: 64 }),
  ])(
    'conditional laws compose: Σ_k P(parent=k)·P(child=j | k) = P(child=j)',
    (d, parent, child) => {
      const model = createHypergeometricDensity({ density: d, tensorShape: [256], params: {} })
      const c = Math.min(child, parent)
      const parentDist = model.distribution({ shape: [parent] })
      const mixed = new Map<number, number>()
      let expectation = 0
      parentDist.occupancies.forEach((k, i) => {
        const pk = parentDist.probabilities[i] ?? 0
        const query = { shape: [c], constraint: { shape: [parent], occupancy: k } }
        expect(checkDensityLaws(model, query)).toEqual([])
        expectation += pk * model.expectedOccupancy(query)
        const cond = model.distribution(query)
        cond.occupancies.forEach((j, t) =>
          mixed.set(j, (mixed.get(j) ?? 0) + pk * (cond.probabilities[t] ?? 0))
        )
      })
      const direct = model.distribution({ shape: [c] })
      direct.occupancies.forEach((j, t) =>
        expect(mixed.get(j) ?? 0).toBeCloseTo(direct.probabilities[t] ?? 0, 10)
      )
      expect(expectation).toBeCloseTo(model.expectedOccupancy({ shape: [c] }), 9)
    }
  )

  it('quantiles at confidence < 1 follow the distribution', () => {
    const model = createHypergeometricDensity({ density: 0.5, tensorShape: [1000], params: {} })
    const q90 = model.maxOccupancy({ shape: [100] }, 0.9)
    const dist = model.distribution({ shape: [100] })
    let cdf = 0
    dist.occupancies.forEach((k, i) => {
      if (k <= q90) cdf += dist.probabilities[i] ?? 0
    })
    expect(cdf).toBeGreaterThanOrEqual(0.9 - 1e-12)
    expect(cdf - (dist.probabilities[dist.occupancies.indexOf(q90)] ?? 0)).toBeLessThan(0.9)
  })

  it('rejects a bad workloadTensorSize naming the field', () => {
    try {
      createHypergeometricDensity({
        density: 0.5,
        tensorShape: [4],
        params: { workloadTensorSize: -3 },
      })
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.path).toEqual(['params', 'workloadTensorSize'])
    }
  })
})

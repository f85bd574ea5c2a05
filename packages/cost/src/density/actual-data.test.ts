import { fc, test } from '@fast-check/vitest'
import { createRng, isSnipSnapError } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'

import { checkDensityLaws, createActualDataDensity } from './index'

// Brute-force occupancy of every aligned whole tile of a 2-D mask.
const bruteTiles = (
  mask: Uint8Array,
  shape: [number, number],
  tile: [number, number],
  within?: { origin: [number, number]; extent: [number, number] }
) => {
  const out: { origin: [number, number]; k: number }[] = []
  const [R, C] = within?.extent ?? shape
  const [or, oc] = within?.origin ?? [0, 0]
  for (let gr = 0; gr + tile[0] <= R; gr += tile[0]) {
    for (let gc = 0; gc + tile[1] <= C; gc += tile[1]) {
      let k = 0
      for (let r = 0; r < tile[0]; r++)
        for (let c = 0; c < tile[1]; c++) k += mask[(or + gr + r) * shape[1] + oc + gc + c] ?? 0
      out.push({ origin: [or + gr, oc + gc], k })
    }
  }
  return out
}
const histogramOf = (ks: readonly number[]) => {
  const h = new Map<number, number>()
  for (const k of ks) h.set(k, (h.get(k) ?? 0) + 1)
  return h
}
const expectDistribution = (
  dist: { occupancies: readonly number[]; probabilities: readonly number[] },
  hist: Map<number, number>
) => {
  const total = [...hist.values()].reduce((a, b) => a + b, 0)
  const keys = [...hist.keys()].sort((a, b) => a - b)
  expect(dist.occupancies).toEqual(keys)
  keys.forEach((k, i) => expect(dist.probabilities[i]).toBeCloseTo((hist.get(k) ?? 0) / total, 12))
}

const arbMask = fc
  .record({
    rows: fc.integer({ min: 1, max: 12 }),
    cols: fc.integer({ min: 1, max: 12 }),
    seed: fc.integer(),
    density: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ rows, cols, seed, density }) => {
    const rng = createRng(seed)
    const mask = new Uint8Array(rows * cols)
    for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < density ? 1 : 0
    return { shape: [rows, cols] as [number, number], mask }
  })

describe('actual-data', () => {
  test.prop([arbMask, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 })])(
    'matches brute-force counting on random masks',
    ({ shape, mask }, th, tw) => {
      const model = createActualDataDensity({ density: 0, tensorShape: shape, params: { mask } })
      const tile: [number, number] = [Math.min(th, shape[0]), Math.min(tw, shape[1])]
      const tiles = bruteTiles(mask, shape, tile)
      expectDistribution(model.distribution({ shape: tile }), histogramOf(tiles.map((t) => t.k)))
      expect(checkDensityLaws(model, { shape: tile })).toEqual([])
      const mean = tiles.reduce((a, t) => a + t.k, 0) / tiles.length
      expect(model.expectedOccupancy({ shape: tile })).toBeCloseTo(mean, 12)
      for (const t of tiles.slice(0, 5))
        expect(model.expectedOccupancy({ shape: tile, origin: t.origin })).toBe(t.k)
    }
  )

  test.prop([
    arbMask,
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
  ])(
    'conditional queries match brute force and the law of total expectation',
    ({ shape, mask }, pr, pc, dr, dc) => {
      const model = createActualDataDensity({ density: 0, tensorShape: shape, params: { mask } })
      const parent: [number, number] = [Math.min(pr * dr, shape[0]), Math.min(pc * dc, shape[1])]
      const child: [number, number] = [
        Math.max(1, Math.floor(parent[0] / dr)),
        Math.max(1, Math.floor(parent[1] / dc)),
      ]
      const parents = bruteTiles(mask, shape, parent)
      const byK = new Map<number, number[]>()
      for (const p of parents) {
        const ks = bruteTiles(mask, shape, child, { origin: p.origin, extent: parent }).map(
          (t) => t.k
        )
        byK.set(p.k, [...(byK.get(p.k) ?? []), ...ks])
      }
      let total = 0
      const parentDist = model.distribution({ shape: parent })
      for (const [k, ks] of byK) {
        const query = { shape: child, constraint: { shape: parent, occupancy: k } }
        expectDistribution(model.distribution(query), histogramOf(ks))
        total +=
          (parentDist.probabilities[parentDist.occupancies.indexOf(k)] ?? 0) *
          model.expectedOccupancy(query)
      }
      // Children tile their parents exactly here, so E[child] = Σ_k P(k)·E[child | k].
      if (
        parent[0] % child[0] === 0 &&
        parent[1] % child[1] === 0 &&
        shape[0] % parent[0] === 0 &&
        shape[1] % parent[1] === 0
      ) {
        expect(total).toBeCloseTo(model.expectedOccupancy({ shape: child }), 10)
      }
    }
  )

  it('accepts COO coordinates and n-D masks', () => {
    const coo = createActualDataDensity({
      density: 0,
      tensorShape: [4, 4],
      params: {
        shape: [4, 4],
        coordinates: [
          [0, 0],
          [1, 1],
          [1, 1],
          [3, 2],
        ],
      },
    })
    expect(coo.density).toBe(3 / 16)
    expect(coo.probabilityEmpty({ shape: [2, 2] })).toBeCloseTo(0.5, 12)
    const mask = new Uint8Array(2 * 3 * 4)
    mask[0] = 1
    mask[23] = 1
    const cube = createActualDataDensity({ density: 0, tensorShape: [2, 3, 4], params: { mask } })
    expect(cube.distribution({ shape: [1, 3, 4] })).toEqual({
      occupancies: [1],
      probabilities: [1],
    })
    expect(cube.expectedOccupancy({ shape: [1, 1, 2], origin: [1, 2, 2] })).toBe(1)
    expect(cube.probabilityEmpty({ shape: [1, 1, 2] })).toBeCloseTo(10 / 12, 12)
  })

  it('rejects a mask that does not fit the shape, naming the field', () => {
    const bad = [
      { params: { mask: [1, 0, 1] }, path: ['params', 'mask'] },
      { params: { shape: [3, 3], mask: [1, 0, 1, 0] }, path: ['params', 'shape'] },
      { params: { coordinates: [[0, 5]] }, path: ['params', 'coordinates', 0, 1] },
      { params: { mask: [1, 0, Number.NaN, 0] }, path: ['params', 'mask', 2] },
    ]
    for (const { params, path } of bad) {
      try {
        createActualDataDensity({ density: 0.5, tensorShape: [2, 2], params: params as never })
        expect.unreachable()
      } catch (error) {
        expect(isSnipSnapError(error) && error.code).toBe('INVALID_SPEC')
        expect(isSnipSnapError(error) && error.path).toEqual(path)
      }
    }
  })
})

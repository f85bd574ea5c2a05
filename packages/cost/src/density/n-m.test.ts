import { fc, test } from '@fast-check/vitest'
import { createRng, isSnipSnapError } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'

import { checkDensityLaws, createNmDensity } from './index'

// Occupancies of all aligned whole tiles of a 2-D mask.
const tileOccupancies = (
  mask: Uint8Array,
  [R, C]: readonly number[],
  [th, tw]: readonly number[]
): number[] => {
  const out: number[] = []
  for (let r0 = 0; r0 + th! <= R!; r0 += th!) {
    for (let c0 = 0; c0 + tw! <= C!; c0 += tw!) {
      let k = 0
      for (let r = 0; r < th!; r++)
        for (let c = 0; c < tw!; c++) k += mask[(r0 + r) * C! + c0 + c] ?? 0
      out.push(k)
    }
  }
  return out
}

// All n-subsets of 0..m-1 as bit lists.
const subsets = (m: number, n: number): number[][] => {
  const out: number[][] = []
  for (let bits = 0; bits < 1 << m; bits++) {
    const set = [...Array(m).keys()].map((i) => (bits >> i) & 1)
    if (set.reduce((a, b) => a + b, 0) === n) out.push(set)
  }
  return out
}

describe('n-m', () => {
  it('equals the exact average over every N:M mask of a small tensor (any tile shape)', () => {
    const [n, m] = [2, 4]
    const shape = [2, 8]
    const choices = subsets(m, n)
    const groups = (shape[0]! * shape[1]!) / m
    const model = createNmDensity({ density: 0.5, tensorShape: shape, params: { n, m } })
    for (const tile of [
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 3],
      [1, 4],
      [2, 5],
      [1, 6],
      [2, 8],
      [2, 1],
    ]) {
      const acc = new Map<number, number>()
      let masks = 0
      const pick = new Array<number>(groups).fill(0)
      for (;;) {
        const mask = new Uint8Array(shape[0]! * shape[1]!)
        pick.forEach((choice, g) => choices[choice]!.forEach((bit, i) => (mask[g * m + i] = bit)))
        const ks = tileOccupancies(mask, shape, tile)
        for (const k of ks) acc.set(k, (acc.get(k) ?? 0) + 1 / ks.length)
        masks++
        let g = 0
        while (g < groups && ++pick[g]! === choices.length) pick[g++] = 0
        if (g === groups) break
      }
      const dist = model.distribution({ shape: tile })
      const keys = [...acc.keys()].filter((k) => acc.get(k)! > 1e-15).sort((a, b) => a - b)
      expect(dist.occupancies).toEqual(keys)
      keys.forEach((k, i) => expect(dist.probabilities[i]).toBeCloseTo(acc.get(k)! / masks, 12))
      expect(model.probabilityEmpty({ shape: tile })).toBeCloseTo((acc.get(0) ?? 0) / masks, 12)
      expect(checkDensityLaws(model, { shape: tile })).toEqual([])
    }
  })

  test.prop([
    fc.constantFrom([1, 2], [2, 4], [4, 8], [1, 4], [3, 8], [0, 4], [4, 4]),
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer(),
  ])(
    'is exact on random N:M masks for group-aligned tiles',
    ([n, m], rows, groups, tileGroups, seed) => {
      const cols = m! * groups * tileGroups
      const rng = createRng(seed)
      const mask = new Uint8Array(rows * cols)
      for (let g = 0; g < (rows * cols) / m!; g++) {
        const positions = [...Array(m!).keys()]
        for (let i = 0; i < n!; i++) {
          const j = i + rng.int(m! - i)
          ;[positions[i], positions[j]] = [positions[j]!, positions[i]!]
          mask[g * m! + positions[i]!] = 1
        }
      }
      const tile = [Math.min(rows, 2), m! * tileGroups]
      const model = createNmDensity({
        density: n! / m!,
        tensorShape: [rows, cols],
        params: { n, m },
      })
      const expected = (tile[0]! * tile[1]! * n!) / m!
      for (const k of tileOccupancies(mask, [rows, cols], tile)) expect(k).toBe(expected)
      expect(model.distribution({ shape: tile })).toEqual({
        occupancies: [expected],
        probabilities: [1],
      })
      expect(model.probabilityEmpty({ shape: tile })).toBe(n === 0 ? 1 : 0)
    }
  )

  test.prop([fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 8 })])(
    'laws hold and P(empty) is non-increasing for nested tiles; conditionals on whole-group parents',
    (width, rows) => {
      const model = createNmDensity({
        density: 0.25,
        tensorShape: [64, 64],
        params: { n: 2, m: 8 },
      })
      expect(checkDensityLaws(model, { shape: [rows, width] })).toEqual([])
      expect(model.expectedOccupancy({ shape: [rows, width] })).toBeCloseTo((rows * width) / 4, 12)
      expect(model.probabilityEmpty({ shape: [rows, width * 2] })).toBeLessThanOrEqual(
        model.probabilityEmpty({ shape: [rows, width] }) + 1e-12
      )
      const parent = { shape: [rows, 16], occupancy: (rows * 16) / 4 }
      const child = { shape: [1, Math.min(width, 16)], constraint: parent }
      expect(checkDensityLaws(model, child)).toEqual([])
      expect(model.expectedOccupancy(child)).toBeCloseTo(Math.min(width, 16) / 4, 12)
    }
  )

  it('rejects n > m, a non-multiple grouped extent and a density other than n/m', () => {
    const cases = [
      [{ n: 5, m: 4 }, [4, 8], 1.25, ['density']],
      [{ n: 5, m: 4 }, [4, 8], 0.5, ['params', 'n']],
      [{ n: 2, m: 4 }, [4, 6], 0.5, ['tensorShape', 1]],
      [{ n: 2, m: 4 }, [4, 8], 0.4, ['density']],
      [{ n: 2, m: 0 }, [4, 8], 0.5, ['params', 'm']],
    ] as const
    for (const [params, shape, density, path] of cases) {
      try {
        createNmDensity({ density, tensorShape: shape, params })
        expect.unreachable()
      } catch (error) {
        expect(isSnipSnapError(error) && error.path).toEqual(path)
      }
    }
  })
})

describe('n-m along an outer rank', () => {
  it('grouping rank 0 of [R, C] equals grouping rank 1 of the transpose', () => {
    const outer = createNmDensity({
      density: 0.5,
      tensorShape: [8, 6],
      params: { n: 2, m: 4, rank: 0 },
    })
    const inner = createNmDensity({ density: 0.5, tensorShape: [6, 8], params: { n: 2, m: 4 } })
    for (const [a, b] of [
      [1, 1],
      [3, 1],
      [4, 2],
      [5, 3],
      [8, 6],
      [2, 5],
    ] as const) {
      expect(outer.distribution({ shape: [a, b] })).toEqual(inner.distribution({ shape: [b, a] }))
      expect(outer.probabilityEmpty({ shape: [a, b] })).toBe(
        inner.probabilityEmpty({ shape: [b, a] })
      )
    }
  })
})

import { fc, test } from '@fast-check/vitest'
import { isSnipSnapError } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'

import { checkDensityLaws, createBlockDensity } from './index'

const combinations = (n: number, r: number): number[][] => {
  const out: number[][] = []
  const walk = (start: number, acc: number[]): void => {
    if (acc.length === r) {
      out.push([...acc])
      return
    }
    for (let i = start; i < n; i++) walk(i + 1, [...acc, i])
  }
  walk(0, [])
  return out
}

describe('block', () => {
  it('equals the exact average over every block placement (nested and straddling tiles)', () => {
    const shape = [4, 6]
    const blockShape = [2, 2]
    const blocksPerRow = 3
    for (const density of [1 / 6, 0.5, 0.8]) {
      const model = createBlockDensity({ density, tensorShape: shape, params: { blockShape } })
      const dense = Math.ceil(density * 6)
      const placements = combinations(6, dense)
      for (const tile of [
        [1, 1],
        [2, 2],
        [4, 6],
        [1, 3],
        [3, 4],
        [2, 3],
        [3, 1],
        [4, 4],
      ]) {
        const acc = new Map<number, number>()
        for (const chosen of placements) {
          const ks: number[] = []
          for (let r0 = 0; r0 + tile[0]! <= shape[0]!; r0 += tile[0]!) {
            for (let c0 = 0; c0 + tile[1]! <= shape[1]!; c0 += tile[1]!) {
              let k = 0
              for (let r = r0; r < r0 + tile[0]!; r++) {
                for (let c = c0; c < c0 + tile[1]!; c++) {
                  if (chosen.includes(Math.floor(r / 2) * blocksPerRow + Math.floor(c / 2))) k++
                }
              }
              ks.push(k)
            }
          }
          for (const k of ks) acc.set(k, (acc.get(k) ?? 0) + 1 / ks.length / placements.length)
        }
        const dist = model.distribution({ shape: tile })
        const keys = [...acc.keys()].filter((k) => acc.get(k)! > 1e-15).sort((a, b) => a - b)
        expect(dist.occupancies).toEqual(keys)
        keys.forEach((k, i) => expect(dist.probabilities[i]).toBeCloseTo(acc.get(k)!, 12))
        expect(model.probabilityEmpty({ shape: tile })).toBeCloseTo(acc.get(0) ?? 0, 12)
        expect(checkDensityLaws(model, { shape: tile })).toEqual([])
      }
    }
  })

  test.prop([
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 1, max: 4 }),
  ])(
    'conditional queries on block-aligned parents obey the law of total expectation',
    (d, pr, pc) => {
      const model = createBlockDensity({
        density: d,
        tensorShape: [32, 32],
        params: { blockShape: [4, 4] },
      })
      const parent = [4 * pr, 4 * pc]
      for (const child of [
        [4, 4],
        [2, 2],
        [4, 2 * pc],
      ]) {
        const pd = model.distribution({ shape: parent })
        let total = 0
        pd.occupancies.forEach((k, i) => {
          const q = { shape: child, constraint: { shape: parent, occupancy: k } }
          expect(checkDensityLaws(model, q)).toEqual([])
          total += (pd.probabilities[i] ?? 0) * model.expectedOccupancy(q)
        })
        expect(total).toBeCloseTo(model.expectedOccupancy({ shape: child }), 9)
      }
    }
  )

  it('rejects a block extent that does not divide the tensor', () => {
    try {
      createBlockDensity({ density: 0.5, tensorShape: [8, 6], params: { blockShape: [4, 4] } })
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.path).toEqual(['params', 'blockShape', 1])
    }
  })
})

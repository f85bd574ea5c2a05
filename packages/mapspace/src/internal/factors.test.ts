import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { divisors, factorVectors, FREE, nthPermutation, permutationRank, primeFactors } from './factors'

describe('primeFactors / divisors', () => {
  it('factorises', () => {
    expect(primeFactors(360)).toEqual([2, 2, 2, 3, 3, 5])
    expect(primeFactors(1)).toEqual([])
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12])
  })
  test.prop([fc.integer({ min: 1, max: 5000 })])('prime factors multiply back', (n) => {
    expect(primeFactors(n).reduce((a, b) => a * b, 1)).toBe(n)
  })
})

describe('factorVectors', () => {
  it('counts ordered factorisations over free slots', () => {
    // 12 = 2²·3 over 3 slots: C(4,2)·C(3,2) = 18.
    expect(factorVectors(12, [FREE, FREE, FREE])).toHaveLength(18)
    for (const v of factorVectors(12, [FREE, FREE, FREE])) expect(v[0]! * v[1]! * v[2]!).toBe(12)
  })
  it('honours exact, max and rest rules', () => {
    const exact = { exact: 4, max: null, rest: false }
    expect(factorVectors(16, [FREE, exact, FREE]).every((v) => v[1] === 4)).toBe(true)
    const max = { exact: null, max: 2, rest: false }
    const sorted = (vs: number[][]) => [...vs].sort((a, b) => a.join(',').localeCompare(b.join(',')))
    expect(sorted(factorVectors(8, [FREE, max, max]))).toEqual([
      [2, 2, 2],
      [4, 1, 2],
      [4, 2, 1],
      [8, 1, 1],
    ])
    // D=0 at the middle slot: it takes what the inner slot leaves, the outer slot gets 1.
    const rest = { exact: null, max: null, rest: true }
    expect(sorted(factorVectors(8, [FREE, rest, FREE]))).toEqual([
      [1, 1, 8],
      [1, 2, 4],
      [1, 4, 2],
      [1, 8, 1],
    ])
  })
  it('is empty when the rules contradict the bound', () => {
    expect(factorVectors(8, [{ exact: 4, max: null, rest: false }, { exact: 4, max: null, rest: false }])).toEqual([])
    expect(factorVectors(9, [{ exact: 2, max: null, rest: false }, FREE])).toEqual([])
  })
})

describe('permutation ranks', () => {
  test.prop([fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D', 'E'), { minLength: 0, maxLength: 5 }), fc.nat()])(
    'nthPermutation and permutationRank are inverse',
    (items, seed) => {
      const n = items.reduce((f, _, i) => f * (i + 1), 1)
      const index = seed % n
      const order = nthPermutation(items, index)
      expect([...order].sort()).toEqual([...items].sort())
      expect(permutationRank(items, order)).toBe(index)
    },
  )
})

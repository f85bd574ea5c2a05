import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { createTupleCache } from '@snipsnap/core'

// Small numbers so that keys repeat; some non-integers, large and negative ones, and -0.
const arbNumber = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-0, 0.5, 1e-9, 2 ** 40, -7, 2 ** 31, 1 / 3))
const arbKey = fc.array(arbNumber, { maxLength: 4 })
const textOf = (key: readonly number[]): string => `${key.length}|${key.join(',')}`

describe('createTupleCache', () => {
  test.prop([fc.array(fc.tuple(arbKey, fc.integer()), { maxLength: 60 })])('answers as a Map keyed by the key text', (ops) => {
    const cache = createTupleCache<number>({ limit: 1_000 })
    const model = new Map<string, number>()
    for (const [key, value] of ops) {
      expect(cache.get(key)).toBe(model.get(textOf(key)))
      cache.set(key, value)
      model.set(textOf(key), value)
      expect(cache.get(key)).toBe(value)
      expect(cache.size).toBe(model.size)
    }
  })
  it('reads a prefix of a reused array and keeps a copy of stored keys', () => {
    const cache = createTupleCache<string>({ limit: 10 })
    const scratch = [1, 2, 3, 99]
    cache.set(scratch, 'a', 3)
    scratch[3] = 5
    expect(cache.get(scratch, 3)).toBe('a')
    expect(cache.get([1, 2, 3])).toBe('a')
    expect(cache.get(scratch)).toBeUndefined()
    scratch[0] = 7
    expect(cache.get([1, 2, 3])).toBe('a')
    expect(cache.get([1, 2])).toBeUndefined()
  })
  it('empties when it holds `limit` keys', () => {
    const cache = createTupleCache<number>({ limit: 3 })
    for (let i = 0; i < 3; i++) cache.set([i], i)
    expect(cache.size).toBe(3)
    cache.set([3], 3)
    expect(cache.size).toBe(1)
    expect(cache.get([0])).toBeUndefined()
    expect(cache.get([3])).toBe(3)
  })
})

import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { objectArray, smi, smiArray } from './shapes'

// The builders only choose how V8 stores the values: every value must come out unchanged, and the
// callbacks must run in index order (genome builders draw random numbers in them).
describe('shapes', () => {
  test.prop([fc.double()])('smi never changes a value (NaN, -0, fractions and huge ranks included)', (v) => {
    expect(Object.is(smi(v), v)).toBe(true)
  })

  test.prop([fc.array(fc.oneof(fc.integer(), fc.double()))])('smiArray equals the mapped values, built in index order', (xs) => {
    const seen: number[] = []
    const out = smiArray(xs.length, (i) => {
      seen.push(i)
      return xs[i] as number
    })
    expect(seen).toEqual(xs.map((_, i) => i))
    expect(out.length).toBe(xs.length)
    out.forEach((v, i) => expect(Object.is(v, xs[i])).toBe(true))
  })

  test.prop([fc.array(fc.array(fc.nat()))])('objectArray equals the mapped values, built in index order', (xs) => {
    const seen: number[] = []
    const out = objectArray(xs.length, (i) => {
      seen.push(i)
      return xs[i] as number[]
    })
    expect(seen).toEqual(xs.map((_, i) => i))
    out.forEach((v, i) => expect(v).toBe(xs[i]))
  })
})

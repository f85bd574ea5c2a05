// nmGroupOffsets, the group walk every N:M codec shares: each group of m stores n in-group offsets,
// its non-zeros merged with the lowest free offsets as padding; a group over n is refused by name.
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { nmGroupOffsets } from './format'

const walk = (size: number, coords: readonly number[], n: number, m: number) => {
  const groups: [number, number[]][] = []
  const error = nmGroupOffsets({ size, coords }, n, m, (base, offsets, count) => groups.push([base, offsets.slice(0, count)]))
  return { groups, error }
}

describe('nmGroupOffsets', () => {
  it('pads each group with its lowest free offsets, in order', () => {
    expect(walk(8, [1, 6], 2, 4)).toEqual({ groups: [[0, [0, 1]], [4, [0, 2]]], error: undefined })
    expect(walk(8, [2, 3, 4, 5], 2, 4)).toEqual({ groups: [[0, [2, 3]], [4, [0, 1]]], error: undefined })
    expect(walk(4, [], 1, 2)).toEqual({ groups: [[0, [0]], [2, [0]]], error: undefined })
  })

  it('refuses the first group holding more than n non-zeros, after visiting the groups before it', () => {
    expect(walk(8, [0, 5, 6, 7], 2, 4)).toEqual({ groups: [[0, [0, 1]]], error: 'group at 4 holds 3 non-zeros, more than n = 2' })
  })

  // Random N:M fibers: per group, a random subset of at most n of its m offsets.
  const arbNmFiber = fc
    .record({ m: fc.integer({ min: 1, max: 8 }), groups: fc.integer({ min: 1, max: 6 }) })
    .chain(({ m, groups }) =>
      fc.record({
        m: fc.constant(m),
        n: fc.integer({ min: 1, max: m }),
        picks: fc.array(fc.subarray(Array.from({ length: m }, (_, i) => i)), { minLength: groups, maxLength: groups }),
      }),
    )
    .filter(({ n, picks }) => picks.every((p) => p.length <= n))

  test.prop([arbNmFiber])('stores n strictly increasing offsets: the non-zeros and the lowest free ones', ({ m, n, picks }) => {
    const coords = picks.flatMap((p, g) => p.map((offset) => g * m + offset))
    const { groups, error } = walk(picks.length * m, coords, n, m)
    expect(error).toBeUndefined()
    expect(groups.map(([base]) => base)).toEqual(picks.map((_, g) => g * m))
    groups.forEach(([, offsets], g) => {
      const nonZeros = picks[g] ?? []
      const free = Array.from({ length: m }, (_, i) => i).filter((i) => !nonZeros.includes(i))
      expect(offsets).toEqual([...nonZeros, ...free.slice(0, n - nonZeros.length)].sort((a, b) => a - b))
    })
  })
})

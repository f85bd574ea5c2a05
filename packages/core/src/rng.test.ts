import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { createRng, rngFromState, shuffled } from '@snipsnap/core'

describe('createRng', () => {
  test.prop([fc.integer()])('the same seed replays the same stream', (seed) => {
    const a = createRng(seed)
    const b = createRng(seed)
    for (let i = 0; i < 20; i++) expect(a.next()).toBe(b.next())
  })

  test.prop([fc.integer(), fc.integer({ min: 1, max: 1000 })])('int(n) stays in [0, n)', (seed, n) => {
    const rng = createRng(seed)
    for (let i = 0; i < 50; i++) {
      const value = rng.int(n)
      expect(Number.isInteger(value) && value >= 0 && value < n).toBe(true)
    }
  })

  test.prop([fc.integer()])('state() resumes the stream exactly', (seed) => {
    const rng = createRng(seed)
    rng.next()
    const resumed = rngFromState(rng.state())
    expect(resumed.next()).toBe(rng.next())
  })

  test.prop([fc.integer()])('fork is deterministic, independent and does not advance the parent', (seed) => {
    const a = createRng(seed)
    const b = createRng(seed)
    const forkA = a.fork('worker-1')
    const forkB = b.fork('worker-1')
    expect(forkA.next()).toBe(forkB.next())
    expect(a.next()).toBe(b.next())
    expect(createRng(seed).fork('x').next()).not.toBe(createRng(seed).fork('y').next())
  })

  test.prop([fc.array(fc.integer()), fc.integer()])('shuffled is a permutation', (items, seed) => {
    expect([...shuffled(items, createRng(seed))].sort()).toEqual([...items].sort())
  })

  test.prop([fc.integer()])('next() is roughly uniform', (seed) => {
    const rng = createRng(seed)
    let sum = 0
    for (let i = 0; i < 2000; i++) sum += rng.next()
    expect(Math.abs(sum / 2000 - 0.5)).toBeLessThan(0.05)
  })
})

import { describe, expect, it } from 'vitest'
import { bindRanks } from './bind-ranks'

const loop = (dim: string, bound: number) => ({ dim, bound })

describe('bindRanks (Timeloop ApplyRanks*)', () => {
  it('gives each rank one non-trivial loop and skips trivial ones', () => {
    const b = bindRanks([loop('K', 4), loop('N', 1), loop('M', 2)], [null, null, null])
    expect(b.ranks).toEqual([{ kind: 'took', from: 0, to: 1 }, { kind: 'took', from: 2, to: 3 }, { kind: 'unused' }])
    expect(b.leftover).toBe(0)
  })
  it('lets a flattening rule absorb the following loops of its dims (and trivial ones)', () => {
    const b = bindRanks([loop('M', 2), loop('N', 1), loop('K', 4), loop('P', 3)], [['M', 'K'], null])
    expect(b.ranks).toEqual([{ kind: 'took', from: 0, to: 3 }, { kind: 'took', from: 3, to: 4 }])
  })
  it('leaves a rank empty when its rule does not name the next loop', () => {
    const b = bindRanks([loop('K', 4)], [['M'], null])
    expect(b.ranks).toEqual([{ kind: 'skipped' }, { kind: 'took', from: 0, to: 1 }])
  })
  it('counts the non-trivial loops no rank took', () => {
    expect(bindRanks([loop('K', 4), loop('M', 2), loop('N', 1), loop('P', 5)], [null]).leftover).toBe(2)
  })
})

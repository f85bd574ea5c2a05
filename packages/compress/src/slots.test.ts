import { describe, expect, it } from 'vitest'
import { deriveTensorChains } from '@snipsnap/compress'
import { SnipSnapError } from '@snipsnap/core'
import { fig1Design } from './internal/fig1-fixture'

const query = () => {
  const d = fig1Design()
  return { arch: d.arch, problem: d.problem, mapping: d.mapping!, sparseOptimizations: d.sparseOptimizations, energyTable: d.energyTable }
}
const ranks = (chainTensor: string, level: string) => {
  const chain = deriveTensorChains(query()).find((c) => c.tensor === chainTensor)!
  const slot = chain.slots.find((s) => s.level === level)!
  return { slot, text: slot.ranks.map((r) => `${r.dim}${r.fiberShape}`).join(',') }
}

describe('deriveTensorChains on Sparseloop Fig.1', () => {
  it('gives one rank per non-trivial loop over the tensor dims at and below the level', () => {
    expect(ranks('A', 'BackingStorage').text).toBe('M128,K128')
    expect(ranks('A', 'Buffer').text).toBe('K128')
    expect(ranks('B', 'BackingStorage').text).toBe('N128,K128')
    expect(ranks('B', 'Buffer').text).toBe('K128')
    // Permutation MNK is innermost first, so N is the outer loop of Z at BackingStorage.
    expect(ranks('Z', 'BackingStorage').text).toBe('N128,M128')
    expect(ranks('Z', 'Reg').text).toBe('')
  })

  it('splits a slot into own ranks and the child slot (a suffix)', () => {
    const { slot } = ranks('A', 'BackingStorage')
    expect(slot.ownRanks).toBe(1)
    expect(slot.childLevel).toBe('Buffer')
    expect(slot.tileElements).toBe(128 * 128)
    const chain = deriveTensorChains(query()).find((c) => c.tensor === 'A')!
    expect(chain.slots.map((s) => s.level)).toEqual(['BackingStorage', 'Buffer'])
    expect(chain.slots[1]!.parentLevel).toBe('BackingStorage')
  })

  it('rejects a mapping whose factors do not multiply to the bounds, naming the dim', () => {
    const q = query()
    const bad = { ...q, mapping: { levels: q.mapping.levels.map((l) => (l.target === 'Reg' ? { ...l, temporalFactors: { K: 64 } } : l)) } }
    expect(() => deriveTensorChains(bad)).toThrowError(SnipSnapError)
    expect(() => deriveTensorChains(bad)).toThrowError(/K multiply to 64.*128/)
  })

  it('rejects a mapping naming an unknown level', () => {
    const q = query()
    const bad = { ...q, mapping: { levels: [...q.mapping.levels, { ...q.mapping.levels[0]!, target: 'GLB', temporalFactors: {} }] } }
    try {
      deriveTensorChains(bad)
      expect.unreachable()
    } catch (e) {
      expect((e as SnipSnapError).path).toEqual(['mapping', 'levels', 3, 'target'])
    }
  })
})

import { describe, expect, it } from 'vitest'
import { closestNames, editDistance, unknownKeysMessage } from './names'

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('read_bandwith', 'read_bandwidth')).toBe(1)
    expect(editDistance('datawdith', 'datawidth')).toBe(1)
    expect(editDistance('depth', 'width')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
  })
})

describe('closestNames', () => {
  const storage = ['read_bandwidth', 'write_bandwidth', 'data_storage_depth', 'datawidth', 'meshX', 'meshY', 'block_size', 'metadata_storage_depth', 'depth', 'width']
  it.each([
    ['read_bandwith', ['read_bandwidth']],
    ['data_storage_dept', ['data_storage_depth']],
    ['datawdith', ['datawidth']],
    ['meshx', ['meshX']],
    ['blocksize', ['block_size']],
    ['block-siz', ['block_size']],
    ['metadata_storage_dept', ['metadata_storage_depth']],
    ['meshZ', ['meshX', 'meshY']],
  ])('%s → %j', (name, expected) => {
    expect(closestNames(name, storage)).toEqual(expected)
  })

  it.each(['technology', 'n_rdwr_ports', 'type', 'metadata_counter_width', 'n_banks_extra', 'latency'])('%s is not a misspelling of a storage key', (name) => {
    expect(closestNames(name, storage)).toEqual([])
  })

  it('a key is not a misspelling of itself', () => {
    expect(closestNames('depth', storage)).toEqual([])
  })
})

describe('unknownKeysMessage', () => {
  it('names near misses of absent keys, a unit-less spelling too, and lists the rest', () => {
    const known = ['readBandwidthWordsPerCycle', 'capacityWords', 'name']
    expect(unknownKeysMessage(['readBandwidth', 'capacityWord', 'colour'], known, { name: 'x', readBandwidth: 1 })).toBe(
      '`readBandwidth`: did you mean `readBandwidthWordsPerCycle`?; `capacityWord`: did you mean `capacityWords`?; unknown key `colour` (known keys: readBandwidthWordsPerCycle, capacityWords, name)',
    )
  })
})

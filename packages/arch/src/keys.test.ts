// SnipSnap's own accelerator specs: an unknown key is an error, a misspelled one names the field
// it was meant to be, and a model setting written into the free-form `attributes` is refused
// (it would be kept for estimators and never reach the model).
import { describe, expect, it } from 'vitest'
import { normalizeArch } from '@snipsnap/arch'

const base = { storage: [{ name: 'DRAM', className: 'DRAM' }, { name: 'Buffer', capacityWords: 1024 }], compute: { name: 'MAC', instances: 4 } }
const messages = (input: unknown): string[] => {
  const result = normalizeArch(input)
  return result.ok ? [] : result.error.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('own arch specs: misspelled and unknown keys', () => {
  it('a misspelled field names the field it was meant to be', () => {
    const input = { ...base, storage: [{ name: 'DRAM', className: 'DRAM' }, { name: 'Buffer', capacityWord: 1024 }] }
    expect(messages(input)).toEqual([expect.stringMatching(/^storage\.1: `capacityWord`: did you mean `capacityWords`\?/)])
  })

  it('a field written without its unit suffix is named too', () => {
    const input = { ...base, storage: [{ name: 'DRAM', className: 'DRAM', readBandwidth: 4 }, base.storage[1]] }
    expect(messages(input)).toEqual([expect.stringMatching(/`readBandwidth`: did you mean `readBandwidthWordsPerCycle`\?/)])
  })

  it('a Timeloop model attribute in `attributes` is refused, naming the field to set', () => {
    const input = { ...base, storage: [{ name: 'DRAM', className: 'DRAM', attributes: { read_bandwidth: 4, technology: '45nm' } }, base.storage[1]] }
    expect(messages(input)).toEqual(['storage.0.attributes.read_bandwidth: the model does not read attributes; set readBandwidthWordsPerCycle of DRAM instead'])
  })

  it('a misspelled one too', () => {
    const input = { ...base, compute: { name: 'MAC', instances: 4, attributes: { datawdith: 8 } } }
    expect(messages(input)).toEqual(['compute.attributes.datawdith: `datawdith`: did you mean `datawidth`? the model does not read attributes; set wordBits of MAC instead'])
  })

  it('estimator attributes stay allowed', () => {
    const input = { ...base, storage: [{ name: 'DRAM', className: 'DRAM', attributes: { technology: '45nm', type: 'LPDDR4', n_rdwr_ports: 2 } }, base.storage[1]] }
    expect(messages(input)).toEqual([])
  })
})

// Hardware axes: lists and ranges expand in order, a point changes only what it names, PE-array
// reshaping rewrites instances, meshes and paths, and bad axes fail with the axis named.
import { describe, expect, it } from 'vitest'
import { applyHardwarePoint, expandHardwareAxes, getArchPreset, hardwareDiff, hardwarePointOf, parseHardwareAxisText, peakPowerMW, estimateArchTables, tableEstimator } from './index'

const preset = getArchPreset('llm-default')

describe('hardware axes', () => {
  it('expands lists and ranges (step and factor)', () => {
    const axes = expandHardwareAxes({
      glbKiB: parseHardwareAxisText('glbKiB', '128:1024:x2'),
      peBufferWords: parseHardwareAxisText('peBufferWords', '256:1024:256'),
      peArray: parseHardwareAxisText('peArray', '8x16,16x16'),
    })
    expect(axes).toEqual([
      { name: 'glbKiB', values: [128, 256, 512, 1024] },
      { name: 'peBufferWords', values: [256, 512, 768, 1024] },
      { name: 'peArray', values: ['8x16', '16x16'] },
    ])
  })

  it('names the bad axis', () => {
    expect(() => expandHardwareAxes({ glbKiB: { from: 512, to: 128, step: 1 } })).toThrow(/glbKiB: range goes from 512 down to 128/)
    expect(() => expandHardwareAxes({ peArray: ['8by16'] })).toThrow(/axes.peArray.0: a PE array shape is written XxY/)
    expect(() => expandHardwareAxes({ cacheKiB: [1] })).toThrow(/invalid hardware axes/)
    expect(() => parseHardwareAxisText('glbKiB', '1,two')).toThrow(/"two" is not a number/)
  })

  it('reads the preset point and applies a point without touching the rest', () => {
    const own = hardwarePointOf(preset.arch)
    expect(own).toMatchObject({ glbKiB: 512, peBufferWords: 1024, peArray: '8x16', dramBandwidth: 32, glbCompression: 'both', peBufferCompression: 'decompress' })
    const same = applyHardwarePoint(preset.arch, own)
    expect(same.ok && same.value).toEqual(preset.arch)
    const r = applyHardwarePoint(preset.arch, { glbKiB: 256, peArray: '16x16', peBufferCompression: 'none' })
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    const [, glb, buf] = r.value.storage
    expect(glb?.capacityWords).toBe(131072)
    expect(buf).toMatchObject({ instances: 256, meshX: 16, meshY: 16, path: 'system.PE[0..255].Buffer', decompressionSupported: false })
    expect(r.value.compute).toMatchObject({ instances: 256, path: 'system.PE[0..255].MAC' })
    expect(hardwareDiff(preset.arch, { ...own, glbKiB: 256 })).toEqual({ glbKiB: 256 })
  })

  it('changes word widths everywhere, keeping the global buffer\'s KiB', () => {
    const r = applyHardwarePoint(preset.arch, { wordBits: 8, glbBlockWords: 32 })
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    expect(r.value.compute.wordBits).toBe(8)
    expect(r.value.storage[1]).toMatchObject({ wordBits: 8, blockSize: 32, capacityWords: 524288 })
  })

  it('bounds peak power by bandwidth × access energy', () => {
    const t = estimateArchTables({ arch: preset.arch, estimator: tableEstimator })
    const base = peakPowerMW({ arch: preset.arch, energyTable: t.energyTable, clockGHz: 1 })
    const wide = applyHardwarePoint(preset.arch, { dramBandwidth: 64 })
    if (!wide.ok) throw new Error('infeasible')
    const more = peakPowerMW({ arch: wide.value, energyTable: estimateArchTables({ arch: wide.value, estimator: tableEstimator }).energyTable, clockGHz: 1 })
    // DRAM: 32 words/cycle = 8 vectors of 64 b each way at 249.6 pJ → +3993.6 mW when doubled.
    expect(more - base).toBeCloseTo(2 * 8 * 249.6, 6)
  })
})

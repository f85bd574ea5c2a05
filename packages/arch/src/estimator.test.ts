// The table-based estimator: published rows come back as published, queries off the table are
// flagged as extrapolated, bad queries get precise errors, and whole-accelerator tables carry
// every level with its provenance.
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { SnipSnapError } from '@snipsnap/core'
import { createTableEstimator, estimateArchTables, getArchPreset, SRAM_TABLE_45NM, tableEstimator } from './index'

const sram = (depth: number, widthBits: number, technologyNM = 45) => tableEstimator.estimate({ kind: 'sram', depth, widthBits, banks: 1, technologyNM })

describe('tableEstimator', () => {
  it('returns a published CACTI row unchanged', () => {
    const row = SRAM_TABLE_45NM.find((r) => r.depth === 16384 && r.widthBits === 256)
    const e = sram(16384, 256)
    expect(e.energyPJ.read).toBeCloseTo(row?.readPJ ?? Number.NaN, 9)
    expect(e.extrapolated).toBe(false)
  })

  it('prices small arrays as Aladdin register files (Eyeriss v2 iact_spad: 16 × 8 b = 0.13003 pJ)', () => {
    expect(sram(16, 8).energyPJ.read).toBeCloseTo(0.13003, 5)
  })

  it('flags sizes and nodes beyond its tables', () => {
    const big = sram(1 << 20, 64)
    expect(big.extrapolated).toBe(true)
    expect(big.notes.join(' ')).toContain('EXTRAPOLATED')
    expect(sram(2048, 64, 7).extrapolated).toBe(true)
    expect(tableEstimator.estimate({ kind: 'mac', datawidthBits: 64, technologyNM: 45 }).extrapolated).toBe(true)
    expect(sram(4096, 64).extrapolated).toBe(false)
  })

  test.prop([fc.integer({ min: 1, max: 1 << 20 }), fc.integer({ min: 1, max: 1024 })])('gives finite positive numbers for any size', (depth, width) => {
    const e = sram(depth, width)
    for (const v of [e.energyPJ.read, e.energyPJ.write, e.energyPJ.idle, e.areaUM2]) expect(Number.isFinite(v) && (v ?? 0) > 0).toBe(true)
  })

  it('rejects bad queries with a precise error', () => {
    expect(() => sram(Number.NaN, 8)).toThrow(SnipSnapError)
    expect(() => sram(0, 8)).toThrow(/depth/)
    expect(() => tableEstimator.estimate({ kind: 'adder', datawidthBits: -1, technologyNM: 45 })).toThrow(/datawidthBits/)
    expect(tableEstimator.supports({ kind: 'dram', dramType: 'DDR9', widthBits: 64 })).toBe(false)
    expect(() => tableEstimator.estimate({ kind: 'dram', dramType: 'DDR9', widthBits: 64 })).toThrow(/DDR9.*known: LPDDR4/)
  })

  it('leaves a row out when built without it', () => {
    const without = createTableEstimator({ sram: SRAM_TABLE_45NM.filter((r) => r.depth !== 1024) })
    const e = without.estimate({ kind: 'sram', depth: 1024, widthBits: 16, banks: 1, technologyNM: 45 })
    expect(e.energyPJ.read).not.toBeCloseTo(1.96991, 3)
    expect(e.notes.join(' ')).toContain('nearest rows')
  })
})

describe('estimateArchTables', () => {
  it('reproduces the llm-default preset ERT (its energies are the Fig.13 DSTC arrays)', () => {
    const preset = getArchPreset('llm-default')
    const t = estimateArchTables({ arch: preset.arch, estimator: tableEstimator })
    for (const entry of preset.energyTable.entries) {
      const mine = t.energyTable.entries.find((e) => e.name === entry.name)
      for (const a of entry.actions) {
        const got = mine?.actions.find((x) => x.name === a.name)?.energyPJ ?? Number.NaN
        expect(Math.abs(got - a.energyPJ) / a.energyPJ, `${entry.name} ${a.name}`).toBeLessThan(0.01)
      }
    }
    expect(t.extrapolated).toBe(false)
    expect(t.areaTable.entries.map((e) => e.name)).toEqual(preset.areaTable.entries.map((e) => e.name))
  })

  it('says when a level lies beyond the tables', () => {
    const preset = getArchPreset('llm-default')
    const glb = preset.arch.storage[1]
    if (glb === undefined) throw new Error('preset changed')
    const huge = { ...preset.arch, storage: preset.arch.storage.map((l) => (l === glb ? { ...glb, capacityWords: 1 << 26 } : l)) }
    const t = estimateArchTables({ arch: huge, estimator: tableEstimator })
    expect(t.extrapolated).toBe(true)
    expect(t.notes[0]).toMatch(/^GLB data: .*EXTRAPOLATED/)
  })

  it('builds an Eyeriss smartbuffer with its two address generators (gated access = one idle generator)', () => {
    const preset = getArchPreset('eyeriss-like')
    const spad = preset.arch.storage.find((l) => l.name === 'psum_spad')
    if (spad === undefined) throw new Error('preset changed')
    const asSram = { ...preset.arch, storage: preset.arch.storage.map((l) => (l === spad ? { ...l, className: 'storage', subclassName: 'SRAM' } : l)) }
    const smart = estimateArchTables({ arch: preset.arch, estimator: tableEstimator })
    const plain = estimateArchTables({ arch: asSram, estimator: tableEstimator })
    const adder = tableEstimator.estimate({ kind: 'adder', datawidthBits: 16, technologyNM: 45 })
    const area = (t: typeof smart) => t.areaTable.entries.find((e) => e.name === spad.path)?.areaUM2 ?? Number.NaN
    const gated = (t: typeof smart) => t.energyTable.entries.find((e) => e.name === spad.path)?.actions.find((a) => a.name === 'gated_read')?.energyPJ
    expect(adder.energyPJ.idle).toBeCloseTo(0.0119 / 2, 9)
    expect(area(smart) - area(plain)).toBeCloseTo(2 * adder.areaUM2, 6)
    expect(gated(smart)).toBe(adder.energyPJ.idle)
    const idle = (t: typeof smart) => t.energyTable.entries.find((e) => e.name === spad.path)?.actions.find((a) => a.name === 'idle')?.energyPJ ?? Number.NaN
    expect(idle(smart)).toBeCloseTo(idle(plain) + (adder.energyPJ.idle ?? Number.NaN), 12)
    expect(gated(plain)).not.toBe(adder.energyPJ.idle)
    expect(smart.primitives.filter((p) => p.level === 'psum_spad').map((p) => p.role)).toEqual(['data', 'address-generator'])
  })

  it('lists idle (Timeloop\'s fallback for gated DRAM accesses) and zero-cost metadata actions where there is no metadata array', () => {
    const { arch } = getArchPreset('stc-like')
    const t = estimateArchTables({ arch, estimator: tableEstimator })
    const actions = (level: string) => new Map(t.energyTable.entries.find((e) => e.name.endsWith(level))?.actions.map((a) => [a.name, a.energyPJ]))
    expect(actions('DRAM').get('idle')).toBe(0)
    const rf = actions('RF') // 2048 × 8 b, no metadata array
    expect(['metadata_read', 'metadata_write', 'gated_metadata_read', 'gated_metadata_write'].map((n) => rf.get(n))).toEqual([0, 0, 0, 0])
    expect(rf.get('idle')).toBe(rf.get('gated_read'))
    const smem = actions('SMEM') // data + metadata arrays: the compound idle is both arrays idle
    expect(smem.get('idle')).toBeCloseTo((smem.get('gated_read') ?? Number.NaN) + (smem.get('gated_metadata_read') ?? Number.NaN), 12)
    const mac = actions('MAC')
    expect(mac.get('idle')).toBeGreaterThan(0)
  })

  it('refuses an on-chip level without capacity', () => {
    const preset = getArchPreset('llm-default')
    const arch = { ...preset.arch, storage: preset.arch.storage.map((l, i) => (i === 2 ? { ...l, capacityWords: null } : l)) }
    expect(() => estimateArchTables({ arch, estimator: tableEstimator })).toThrow(/Buffer is on chip but has no capacity/)
  })
})

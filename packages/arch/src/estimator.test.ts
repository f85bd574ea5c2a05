// The table-based estimator: published rows come back as published, queries off the table are
// flagged as extrapolated, bad queries get precise errors, and whole-accelerator tables carry
// every level with its provenance.
import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { SnipSnapError } from '@snipsnap/core'
import { CACTI_SCALING, createTableEstimator, estimateArchTables, getArchPreset, SRAM_TABLE_45NM, tableEstimator } from './index'

const sram = (depth: number, widthBits: number, technologyNM = 45, banks = 1) => tableEstimator.estimate({ kind: 'sram', depth, widthBits, banks, technologyNM })

describe('tableEstimator', () => {
  it('returns a published CACTI row unchanged', () => {
    const row = SRAM_TABLE_45NM.find((r) => r.depth === 16384 && r.widthBits === 256)
    // The row is the DSTC GLB, declared with n_banks 2: the same query has the same bank count.
    expect(row?.banks).toBe(2)
    const e = sram(16384, 256, 45, 2)
    expect(e.energyPJ.read).toBeCloseTo(row?.readPJ ?? Number.NaN, 9)
    expect(e.areaUM2).toBeCloseTo(row?.areaUM2 ?? Number.NaN, 6)
    expect(e.extrapolated).toBe(false)
  })

  it('models b banks as b arrays of depth d/b: one bank plus whole-array routing per access, every bank idles ([CBANK])', () => {
    // The STC RF row (2048 × 8 b, n_banks 16) alone, so the expectations follow from the rule.
    const row = SRAM_TABLE_45NM.find((r) => r.source === 'sl22-stc-rf')
    if (row?.readPJ === undefined || row.idlePJ === undefined || row.areaUM2 === undefined) throw new Error('table changed')
    const only = createTableEstimator({ sram: [row], neighbours: 1 })
    const at = (banks: number) => only.estimate({ kind: 'sram', depth: 2048, widthBits: 8, banks, technologyNM: 45 })
    expect(at(16).energyPJ.read).toBe(row.readPJ)
    const depthFactor = (banks: number) => (2048 / banks / (2048 / 16)) ** (1.56 / 2)
    // Same total depth: the routing share does not change, the bank's share scales with d/b.
    const route = CACTI_SCALING.bankRouteShare
    expect(route).toBeGreaterThan(0)
    expect(route).toBeLessThan(1)
    for (const banks of [1, 2, 4, 32]) {
      const e = at(banks)
      expect(e.energyPJ.read, `read, ${banks} banks`).toBeCloseTo(row.readPJ * (route + (1 - route) * depthFactor(banks)), 9)
      expect(e.energyPJ.idle, `idle, ${banks} banks`).toBeCloseTo(banks * (row.idlePJ / 16) * depthFactor(banks), 12)
      // b × area(d/b) with area linear in bits: the banked area is the unbanked one.
      expect(e.areaUM2, `area, ${banks} banks`).toBeCloseTo(row.areaUM2, 6)
    }
    // Fewer banks: deeper banks, dearer accesses.
    expect(at(1).energyPJ.read).toBeGreaterThan(at(2).energyPJ.read ?? Number.NaN)
    expect(at(2).energyPJ.read).toBeGreaterThan(at(16).energyPJ.read ?? Number.NaN)
    // With every row: a different bank count gives a different estimate, the row's own the row.
    expect(sram(2048, 8, 45, 16).energyPJ.read).toBe(row.readPJ)
    expect(sram(2048, 8, 45, 1).energyPJ.read).not.toBeCloseTo(row.readPJ, 2)
    // Non-powers of two are rounded up as the CACTI plug-in does.
    expect(at(3).energyPJ.read).toBe(at(4).energyPJ.read)
    expect(at(3).notes.join(' ')).toContain('banks 3 → 4')
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
    expect(() => sram(1024, 8, 45, 0)).toThrow(/banks/)
    expect(() => sram(1024, 8, 45, 1.5)).toThrow(/banks/)
    expect(() => sram(4, 8, 45, 8)).toThrow(/banks must be an integer from 1 to depth 4/)
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

  it('asks for the declared n_banks (numBanks, data) and metadata_n_banks (metadata), 1 when undeclared', () => {
    const { arch } = getArchPreset('stc-like')
    const smem = arch.storage.find((l) => l.name === 'SMEM')
    if (smem === undefined) throw new Error('preset changed')
    const banksAsked = (level: typeof smem) => {
      const t = estimateArchTables({ arch: { ...arch, storage: arch.storage.map((l) => (l === smem ? level : l)) }, estimator: tableEstimator })
      const q = (role: string) => t.primitives.find((p) => p.level === 'SMEM' && p.role === role)?.query
      const banks = (role: string) => { const x = q(role); return x?.kind === 'sram' ? x.banks : undefined }
      return { data: banks('data'), metadata: banks('metadata'), tables: t }
    }
    expect(banksAsked(smem)).toMatchObject({ data: 2, metadata: 1 })
    // Undeclared: Accelergy's 1, not Timeloop's 2.
    const { numBanks: _, ...undeclared } = smem
    expect(banksAsked(undeclared)).toMatchObject({ data: 1, metadata: 1 })
    const declared = banksAsked({ ...smem, numBanks: 8, attributes: { ...smem.attributes, metadata_n_banks: 4 } })
    expect(declared).toMatchObject({ data: 8, metadata: 4 })
    // And the energies follow: more banks, shallower banks, cheaper reads.
    const read = (t: ReturnType<typeof banksAsked>, name: string) => t.tables.energyTable.entries.find((e) => e.name === smem.path)?.actions.find((a) => a.name === name)?.energyPJ ?? Number.NaN
    expect(read(declared, 'read')).toBeLessThan(read(banksAsked(smem), 'read'))
    expect(read(declared, 'metadata_read')).toBeLessThan(read(banksAsked(smem), 'metadata_read'))
    expect(() => banksAsked({ ...smem, attributes: { ...smem.attributes, metadata_n_banks: 'two' } })).toThrow(/SMEM: attributes.metadata_n_banks must be a positive integer/)
  })

  it('refuses an on-chip level without capacity', () => {
    const preset = getArchPreset('llm-default')
    const arch = { ...preset.arch, storage: preset.arch.storage.map((l, i) => (i === 2 ? { ...l, capacityWords: null } : l)) }
    expect(() => estimateArchTables({ arch, estimator: tableEstimator })).toThrow(/Buffer is on chip but has no capacity/)
  })
})

// Estimators as plug-ins: the built-in registry holds `table`, and chooseEstimator applies
// Accelergy's rule (the most accurate estimator supporting a primitive answers it).
import { describe, expect, it } from 'vitest'
import { SnipSnapError, type EnergyAreaEstimator } from '@snipsnap/core'
import { chooseEstimator, createEstimatorRegistry, estimateArchTables, getArchPreset, tableEstimator } from './index'

// A plug-in that knows SRAMs only, at twice the table's area, and claims more accuracy.
const sramOnly: EnergyAreaEstimator = {
  id: 'sram-only',
  accuracy: 90,
  supports: (q) => q.kind === 'sram',
  estimate: (q) => {
    const e = tableEstimator.estimate(q)
    return { ...e, areaUM2: 2 * e.areaUM2 }
  },
}

describe('estimator plug-ins', () => {
  it('registers the table estimator by default and refuses duplicates', () => {
    const registry = createEstimatorRegistry()
    expect(registry.list().map((e) => e.id)).toEqual(['table'])
    expect(() => registry.register(tableEstimator)).toThrow(/already registered/)
    expect(() => registry.get('cacti')).toThrow(/unknown estimator "cacti"; known: table/)
  })

  it('asks the most accurate supporting estimator for each primitive', () => {
    const { arch } = getArchPreset('llm-default')
    const chosen = chooseEstimator([tableEstimator, sramOnly])
    const mixed = estimateArchTables({ arch, estimator: chosen })
    const plain = estimateArchTables({ arch, estimator: tableEstimator })
    const area = (t: typeof plain, name: string) => t.areaTable.entries.find((e) => e.name.endsWith(name))?.areaUM2 ?? Number.NaN
    expect(area(mixed, 'GLB')).toBeCloseTo(2 * area(plain, 'GLB'), 3)
    expect(area(mixed, 'MAC')).toBe(area(plain, 'MAC'))
    expect(mixed.primitives.find((p) => p.level === 'GLB')?.estimate.notes[0]).toBe('estimator sram-only')
    expect(mixed.primitives.find((p) => p.role === 'compute')?.estimate.notes[0]).toBe('estimator table')
    // Less accurate than the table: never asked.
    const worse = chooseEstimator([{ ...sramOnly, accuracy: 10 }, tableEstimator])
    expect(estimateArchTables({ arch, estimator: worse }).areaTable).toEqual(plain.areaTable)
  })

  it('names a primitive no estimator supports, and an empty list', () => {
    const only = chooseEstimator([sramOnly, { ...sramOnly, id: 'sram-two' }])
    expect(only.supports({ kind: 'mac', datawidthBits: 8, technologyNM: 45 })).toBe(false)
    expect(() => only.estimate({ kind: 'mac', datawidthBits: 8, technologyNM: 45 })).toThrow(/no estimator \(sram-only, sram-two\) supports/)
    expect(() => chooseEstimator([])).toThrow(SnipSnapError)
  })
})

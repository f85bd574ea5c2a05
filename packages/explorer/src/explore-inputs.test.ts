// exploreModel beyond a zoo model on a preset: GEMMs given per phase (`layers`), sparsity presets
// given as objects (densities per tensor role), and an architecture given with its tables
// (`archSpec`, a null table estimated). Tiny GEMMs, explicit budgets: deterministic and quick.
import { describe, expect, it } from 'vitest'
import { getArchPreset } from '@snipsnap/arch'
import { createExplorer, type ExploreModelOptions, type GivenLayer } from '@snipsnap/explorer'
import { linearGemm, type SparsityPreset } from '@snipsnap/workloads'

const explorer = createExplorer()
const preset = getArchPreset('llm-default')
const layers = {
  prefill: [linearGemm({ name: 'up', M: 8, K: 32, N: 64, count: 3 }, 'test')],
  decode: [linearGemm({ name: 'up', M: 1, K: 32, N: 64, count: 3 }, 'test'), linearGemm({ name: 'down', M: 1, K: 64, N: 32 }, 'test')],
}
const activations: SparsityPreset = { id: 'test-activations', description: 'activations at 0.25', source: 'test', rules: [{ roles: ['activation'], phases: ['prefill', 'decode'], distribution: 'hypergeometric', density: 0.25 }] }
const base: ExploreModelOptions = { model: 'test GEMMs', layers, sparsity: ['unstructured-50', activations], phase: 'all', dataflowEvaluations: 4, seed: 1 }

describe('exploreModel with GEMMs, preset objects and an architecture', () => {
  it('searches the GEMMs of each phase given, with the presets\' densities, named as given', async () => {
    const result = await explorer.exploreModel(base)
    expect(result.model).toBe('test GEMMs')
    expect(result.phases.map((p) => [p.phase, p.layers.map((l) => [l.names, l.count, l.shape, l.densities])])).toEqual([
      ['prefill', [[['up'], 3, '8×32×64', { A: 0.25, B: 0.5 }]]],
      ['decode', [[['up'], 3, '1×32×64', { A: 0.25, B: 0.5 }], [['down'], 1, '1×64×32', { A: 0.25, B: 0.5 }]]],
    ])
    expect(result.totalEnergyPJ).toBeGreaterThan(0)
    // A layer's own densities replace the presets' on its operands (here B), only on that layer.
    const own = { ...layers.decode[1], densities: { B: { distribution: 'fixed-structured', density: 0.125, params: {} } } } as GivenLayer
    const decodeOnly = await explorer.exploreModel({ ...base, layers: { decode: [layers.decode[0] as GivenLayer, own] } })
    expect(decodeOnly.phases.map((p) => p.phase)).toEqual(['decode'])
    expect(decodeOnly.layers.map((l) => l.densities)).toEqual([{ A: 0.25, B: 0.5 }, { A: 0.25, B: 0.125 }])
    await expect(explorer.exploreModel({ ...base, layers: { decode: layers.decode }, phase: 'prefill' })).rejects.toThrow(/test GEMMs has no GEMM in phase prefill/)
  }, 120_000)

  it('an archSpec with its tables is the preset; without tables they are estimated, as for a hardware point', async () => {
    const byPreset = await explorer.exploreModel({ ...base, phase: 'decode' })
    const given = await explorer.exploreModel({ ...base, phase: 'decode', arch: 'files', archSpec: { arch: preset.arch, energyTable: preset.energyTable, areaTable: preset.areaTable } })
    expect(given.arch).toBe('files')
    expect(given.totalEnergyPJ).toBe(byPreset.totalEnergyPJ)
    expect(given.areaUM2).toBe(byPreset.areaUM2)
    const estimated = await explorer.exploreModel({ ...base, phase: 'decode', archSpec: { arch: preset.arch, energyTable: null, areaTable: null } })
    const hardwarePoint = await explorer.exploreModel({ ...base, phase: 'decode', hardware: {} })
    expect(estimated.totalEnergyPJ).toBe(hardwarePoint.totalEnergyPJ)
    expect(estimated.areaUM2).toBe(hardwarePoint.areaUM2)
    expect(estimated.totalEnergyPJ).not.toBe(byPreset.totalEnergyPJ)
  }, 120_000)
})

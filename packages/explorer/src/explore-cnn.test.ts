// CNN layers reach the explorer as native convolutions: the zoo's layers are grouped with their
// conv shape, the co-search maps all seven conv dimensions and chooses formats over the conv
// tensors' ranks, and `lowering: 'im2col'` gives the GEMMs back.
import { describe, expect, it } from 'vitest'
import { designFromPreset } from '@snipsnap/arch'
import { createExplorer, groupModelLayers } from '@snipsnap/explorer'
import { layerToProblem } from '@snipsnap/workloads'

const sparsity = ['unstructured-50', 'relu-50']

describe('native convolutions through the explorer', () => {
  it('groups the zoo layers with their conv shape; im2col has none', () => {
    const native = groupModelLayers({ model: 'resnet-50', sparsity })
    const conv2 = native.groups.find((g) => g.names.includes('layer4.0.conv2'))
    expect(conv2?.layer.conv).toMatchObject({ C: 512, M: 512, R: 3, S: 3, P: 7, Q: 7, Hstride: 2 })
    expect(native.groups.filter((g) => g.layer.conv !== undefined)).toHaveLength(native.groups.length - 1) // fc stays a GEMM
    const im2col = groupModelLayers({ model: 'resnet-50', sparsity, lowering: 'im2col' })
    expect(im2col.groups.every((g) => g.layer.conv === undefined)).toBe(true)
    // im2col forgets the stride: the strided layer4.0.conv2 and the unstrided layer4.x.conv2 are
    // both 49×4608×512 and merge into one GEMM; natively they are two problems.
    const merged = im2col.groups.find((g) => g.names.includes('layer4.0.conv2'))
    expect(merged?.names).toContain('layer4.x.conv2')
    expect(native.groups.find((g) => g.names.includes('layer4.x.conv2'))?.names).toEqual(['layer4.x.conv2'])
    expect(im2col.groups.length).toBeLessThan(native.groups.length)
  })

  // ResNet-50's layer1.x.conv2 (P = Q = 56) gives tiles of many loops per level: its Inputs slots
  // have up to ten own ranks, which the compression engine must bound (it ran out of memory).
  it.each([
    ['alexnet', 'conv3'],
    ['resnet-50', 'layer1.x.conv2'],
  ])('co-searches %s %s: every one of the seven dims fully mapped, formats on conv tensors', async (model, name) => {
    const group = groupModelLayers({ model, sparsity }).groups.find((g) => g.names.includes(name))
    if (group === undefined) throw new Error(`no ${name}`)
    const problem = layerToProblem(group.layer, group.densities)
    expect(problem.densities['Inputs']?.density).toBe(0.5)
    expect(problem.densities['Weights']?.density).toBe(0.5)
    const result = await createExplorer().coSearch(
      designFromPreset('eyeriss-like', problem),
      { dataflowEvaluations: 8, topM: 1, maxRounds: 1, seed: 1, formatsOnlyBaseline: false },
    )
    const best = result.best
    if (best === null) throw new Error(result.reason ?? 'no design')
    expect(best.energyPJ).toBeGreaterThan(0)
    for (const dim of ['C', 'M', 'R', 'S', 'N', 'P', 'Q']) {
      const product = best.mapping.levels.reduce((p, level) => p * (level.temporalFactors[dim] ?? 1) * (level.spatialFactors[dim] ?? 1), 1)
      expect(product, dim).toBe(problem.bounds[dim])
    }
    expect(best.mappingYaml).toMatch(/R=3/)
    for (const f of best.formats) expect(['Inputs', 'Weights', 'Outputs']).toContain(f.tensor)
    expect(best.formats.length).toBeGreaterThan(0)
  }, 240_000)
})

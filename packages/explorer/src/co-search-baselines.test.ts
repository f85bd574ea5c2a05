// The fixed-format baselines of the co-search take their primitives and their cost model from the
// registries handed to the explorer (one vocabulary): a registry lacking a baseline's primitive
// cannot offer that baseline (a clear error before any search), and the baseline is costed by the
// cost model the co-search uses, not by a hard-wired one.
import { describe, expect, it } from 'vitest'
import { designFromPreset } from '@snipsnap/arch'
import { createRegistry, createRng, defineCostModel, SnipSnapError, type CostModelContext, type DesignSpec } from '@snipsnap/core'
import { createDensityRegistry, sparseloopCostModel } from '@snipsnap/cost'
import { createExplorer, createFixedFormatEngine, fixedFormatsOf } from '@snipsnap/explorer'
import { BUILTIN_PRIMITIVES, createFormatRegistry } from '@snipsnap/format'
import { applySparsity, gemmToProblem, type GemmLayer } from '@snipsnap/workloads'

const layer: GemmLayer = { name: 'proj', op: 'linear', M: 16, K: 1024, N: 1024, count: 1, tensors: { A: 'activation', B: 'weight', Z: 'output' }, source: 'test' }
const design: DesignSpec = designFromPreset('llm-default', gemmToProblem(layer, applySparsity({ phase: 'prefill', layers: [layer] }, 'unstructured-50')[0]?.densities ?? {}))
const withoutRle = createRegistry('format-primitive', BUILTIN_PRIMITIVES.filter((p) => p.symbol !== 'RLE'))

describe('fixed-format baselines from the explorer registries', () => {
  it('offers the fixed formats the format registry can build', () => {
    expect(fixedFormatsOf(createFormatRegistry())).toEqual(['bitmap', 'csr', 'coo', 'rle'])
    expect(fixedFormatsOf(withoutRle)).toEqual(['bitmap', 'csr', 'coo'])
  })

  it('rejects a baseline whose primitive is not registered before searching, naming it', async () => {
    const explorer = createExplorer({ formats: withoutRle })
    const run = explorer.coSearch(design, { objective: 'energy', dataflowEvaluations: 8, maxRounds: 1, seed: 1, matchedBaselines: ['rle'] })
    await expect(run).rejects.toBeInstanceOf(SnipSnapError)
    await expect(run).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND', message: expect.stringContaining('"rle" needs format primitive(s) RLE') })
  })

  it('costs a fixed-format baseline with the co-search\'s cost model', () => {
    let calls = 0
    const counting = defineCostModel<CostModelContext | undefined>({
      id: 'counting',
      description: 'the Sparseloop model, counting its calls',
      accuracy: 90,
      supports: () => true,
      evaluate: (query, options) => {
        calls++
        return sparseloopCostModel.evaluate(query, options)
      },
    })
    const densityModels = createDensityRegistry()
    const formats = createFormatRegistry()
    const cost = { model: counting, context: { densityModels, formats } }
    const explorer = createExplorer()
    const mapping = explorer.mapspace(design).sample(createRng(1))
    const engine = createFixedFormatEngine('bitmap', densityModels, formats, cost)
    engine.selectFormats({ ...design, mapping })
    expect(calls).toBeGreaterThan(0)
  })
})

// The README's plug-in vocabulary example, kept runnable: a cost-model plug-in bundled with
// definePlugin, read back with parsePlugin, registered with registerPlugin and prepared with
// prepareCostModel's fallback; an unknown id is a PLUGIN_NOT_FOUND error naming the known ones.
import { describe, expect, it } from 'vitest'
import { createRegistry, defineCostModel, definePlugin, parsePlugin, prepareCostModel, registerPlugin, SnipSnapError, type CostModel, type CostQuery } from '@snipsnap/core'

const flat = defineCostModel({
  id: 'flat',
  description: 'every MAC costs 1 pJ and 1 cycle',
  supports: () => true,
  evaluate: ({ problem }) => {
    const macs = problem.dimensions.reduce((n, d) => n * (problem.bounds[d] ?? 1), 1)
    return { valid: true, cycles: macs, energyPJ: macs, computes: { actual: macs, gated: 0, skipped: 0 }, levels: {} }
  },
})
const plugin = definePlugin({ id: 'flat-cost', costModels: [flat] })

const design: Omit<CostQuery, 'mapping'> = {
  arch: { name: 'a', storage: [], compute: { kind: 'compute', name: 'MAC', className: 'intmac', path: 'MAC', instances: 1, meshX: 1, meshY: 1, wordBits: 8, attributes: {} } },
  problem: { name: 'mm', dimensions: ['M', 'K'], bounds: { M: 4, K: 8 }, coefficients: {}, dataSpaces: [], densities: {} },
  sparseOptimizations: { targets: [] },
  energyTable: { entries: [] },
}

describe('README: the plug-in vocabulary', () => {
  it('registers a plug-in cost model and evaluates with it', () => {
    const costModels = createRegistry<CostModel<unknown>>('cost-model')
    registerPlugin(parsePlugin({ default: plugin }, 'flat-cost'), { costModels })
    const cost = prepareCostModel(costModels.get('flat'), design, undefined)
    expect(cost({ levels: [] })).toMatchObject({ valid: true, cycles: 32, energyPJ: 32 })
    expect(() => costModels.get('roofline')).toThrow(SnipSnapError)
    expect(() => costModels.get('roofline')).toThrow(/unknown cost-model "roofline"; known: flat/)
    expect(() => registerPlugin(plugin, { costModels })).toThrow(/already registered/)
  })
})

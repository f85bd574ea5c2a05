// Whole-model exploration (issue 13): budget-matched baselines (on a dense model the co-search and
// dataflow-only are the very same search, so their results are equal), fixed-format baselines that
// really use their format, the stopping rule, several phases with summed totals, a shared stage 1,
// and a stop signal that keeps the best so far. Small budgets on LLaMA-2-7B decode GEMMs.
import { describe, expect, it } from 'vitest'
import { designFromPreset } from '@snipsnap/arch'
import type { DesignSpec } from '@snipsnap/core'
import { createExplorer, inFormatSpace, summarizeMapping } from '@snipsnap/explorer'
import { applySparsity, gemmToProblem, type GemmLayer } from '@snipsnap/workloads'

const explorer = createExplorer()
const layer: GemmLayer = { name: 'proj', op: 'linear', M: 16, K: 1024, N: 1024, count: 1, tensors: { A: 'activation', B: 'weight', Z: 'output' }, source: 'test' }
const designFor = (sparsity: string): DesignSpec =>
  designFromPreset('llm-default', gemmToProblem(layer, applySparsity({ phase: 'prefill', layers: [layer] }, sparsity)[0]?.densities ?? {}))

describe('coSearchDesign with budget-matched baselines', () => {
  it('equals dataflow-only exactly on a dense layer (the same search, formats cannot help)', async () => {
    const result = await explorer.coSearch(designFor('dense'), { objective: 'energy', dataflowEvaluations: 400, patience: 48, topM: 2, maxRounds: 1, seed: 3, matchedBaselines: ['dataflow-only'] })
    const dataflowOnly = result.baselines.find((b) => b.name === 'dataflow-only')
    expect(result.best).not.toBeNull()
    expect(dataflowOnly?.best?.energyPJ).toBe(result.best?.energyPJ)
    expect(dataflowOnly?.best?.cycles).toBe(result.best?.cycles)
  }, 60_000)

  it('runs each fixed format through the same search, with that format in its design', async () => {
    const options = { objective: 'energy', dataflowEvaluations: 96, patience: 32, topM: 2, maxRounds: 1, seed: 1, matchedBaselines: ['dataflow-only', 'formats-only', 'bitmap', 'csr', 'coo', 'rle'] } as const
    const result = await explorer.coSearch(designFor('unstructured-50'), options)
    expect(result.baselines.map((b) => b.name)).toEqual(['dataflow-only', 'formats-only', 'bitmap', 'csr', 'coo', 'rle'])
    const stage1 = result.stages[0]?.evaluated ?? 0
    expect(stage1).toBeGreaterThan(0)
    const primitive = { bitmap: 'B', csr: 'CP', coo: 'CP', rle: 'RLE' } as const
    for (const b of result.baselines) {
      expect(b.best).not.toBeNull()
      // Stage 1 is shared: every searched baseline counts it, and adds its own refinement search.
      if (b.name !== 'formats-only') expect(b.evaluated).toBeGreaterThan(stage1)
      const name = b.name
      if (name === 'bitmap' || name === 'csr' || name === 'coo' || name === 'rle') {
        expect(b.applied).toBe(true)
        const weight = b.best?.formats.filter((f) => f.tensor === 'B') ?? []
        expect(weight.length).toBeGreaterThan(0)
        expect(weight.some((f) => f.format.split('-').some((r) => r.startsWith(primitive[name])))).toBe(true)
      }
    }
    // Dataflow-only keeps the defaults; formats-only is the engine on dataflow-only's mapping.
    expect(result.baselines[0]?.best?.formats).toEqual([])
    expect(result.baselines[1]?.best?.mappingYaml).toBe(result.baselines[0]?.best?.mappingYaml)
    expect(await explorer.coSearch(designFor('unstructured-50'), options)).toEqual(result)
  }, 120_000)

  it('never loses to a baseline in its own space: their designs are its candidates too', async () => {
    const all = ['dataflow-only', 'formats-only', 'bitmap', 'csr', 'coo', 'rle'] as const
    let adopted = 0
    // Seeds where a baseline's run (its refinement search under its own formats) beats the
    // co-search's own stages: without adopting their designs the co-search would lose to them.
    for (const seed of [2, 3, 5]) {
      const result = await explorer.coSearch(designFor('unstructured-50'), { objective: 'energy', dataflowEvaluations: 96, patience: 32, topM: 2, maxRounds: 1, seed, matchedBaselines: all })
      const best = result.best?.energyPJ ?? Number.POSITIVE_INFINITY
      for (const b of result.baselines) expect(best).toBeLessThanOrEqual(b.best?.energyPJ ?? Number.POSITIVE_INFINITY)
      const own = Math.min(...result.stages.map((st) => st.bestMetrics?.['energy'] ?? Number.POSITIVE_INFINITY))
      if (result.bestFrom === 'co-search') expect(best).toBe(own)
      else {
        expect(best).toBeLessThan(own)
        adopted++
      }
    }
    expect(adopted).toBeGreaterThan(0)
  }, 180_000)

  it('counts a fixed format as in its space only when its primitives can build it', () => {
    expect(inFormatSpace('dataflow-only', { primitives: ['U'] })).toBe(true)
    expect(inFormatSpace('formats-only', undefined)).toBe(true)
    expect(inFormatSpace('formats-only', undefined, true)).toBe(false)
    expect(inFormatSpace('bitmap', { primitives: ['U', 'B'] })).toBe(true)
    expect(inFormatSpace('csr', { primitives: ['U', 'B'] })).toBe(false)
    expect(inFormatSpace('rle', undefined)).toBe(true)
    expect(inFormatSpace('rle', undefined, true)).toBe(false)
  })

  it('stops each dataflow search by its stopping rule before the cap', async () => {
    const result = await explorer.coSearch(designFor('unstructured-50'), { objective: 'energy', dataflowEvaluations: 100_000, patience: 16, maxRounds: 1, seed: 2 })
    const searches = result.stages.filter((s) => s.stage.endsWith('dataflow'))
    expect(searches.length).toBeGreaterThan(0)
    for (const s of searches) {
      expect(s.stoppedBy).toBe('converged')
      expect(s.evaluated).toBeLessThan(100_000)
    }
  }, 60_000)

  it('polishes each dataflow search within its cap and warm-starts refinement: never worse than without, deterministic', async () => {
    const run = (polish: boolean) =>
      explorer.coSearch(designFor('unstructured-50'), { objective: 'energy', dataflowEvaluations: 400, patience: 16, maxRounds: 1, seed: 2, polish, warmStart: polish })
    const [plain, polished, again] = [await run(false), await run(true), await run(true)]
    expect(polished).toEqual(again)
    for (const s of polished.stages.filter((st) => st.stage.endsWith('dataflow'))) expect(s.evaluated).toBeLessThanOrEqual(400)
    // Stage 1 is the same genetic search, then the descent: its best can only improve.
    const stage1 = (r: typeof plain): number => r.stages[0]?.bestMetrics?.['energy'] ?? Number.NaN
    expect(stage1(polished)).toBeLessThanOrEqual(stage1(plain))
    expect(polished.stages[0]?.evaluated).toBeGreaterThan(plain.stages[0]?.evaluated ?? 0)
  }, 120_000)
})

describe('exploreModel', () => {
  it('explores both phases; the model totals are the sums of the phase totals', async () => {
    const result = await explorer.exploreModel({ model: 'llama-2-7b', sparsity: 'unstructured-50', phase: ['prefill', 'decode'], dataflowEvaluations: 8, baselines: ['dataflow-only'] })
    expect(result.phases.map((p) => p.phase)).toEqual(['prefill', 'decode'])
    // Without a costModel option the result names the default it was priced with.
    expect(result.costModel).toBe('sparseloop')
    expect(result.layers.length).toBe(result.phases[0]!.layers.length + result.phases[1]!.layers.length)
    expect(result.totalEnergyPJ).toBe(result.phases[0]!.totalEnergyPJ + result.phases[1]!.totalEnergyPJ)
    expect(result.dataflowOnlyTotalEnergyPJ).toBe(result.phases[0]!.dataflowOnlyTotalEnergyPJ + result.phases[1]!.dataflowOnlyTotalEnergyPJ)
    for (const p of result.phases) {
      const sum = p.layers.reduce((s, l) => s + l.count * (l.energyPJ ?? 0), 0)
      expect(p.totalEnergyPJ).toBeCloseTo(sum, 3)
      for (const l of p.layers) {
        expect(l.phase).toBe(p.phase)
        // The split by level adds up to the layer's energy.
        expect(l.energyByLevel.reduce((s, e) => s + e.energyPJ, 0)).toBeCloseTo(l.energyPJ ?? 0, 3)
        expect(l.mapping?.pesUsed).toBeGreaterThanOrEqual(1)
        expect(l.mapping?.pesUsed).toBeLessThanOrEqual(l.mapping?.pesTotal ?? 0)
        expect(l.convergence.at(-1)?.bestEnergyPJ).toBeLessThanOrEqual(l.energyPJ ?? 0)
      }
    }
    // lm_head (1×4096×32000) is the same GEMM in both phases: searched once, reported in each.
    const heads = result.layers.filter((l) => l.names.includes('lm_head'))
    expect(heads.length).toBe(2)
    expect(heads[0]?.energyPJ).toBe(heads[1]?.energyPJ)
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  }, 120_000)

  it('a stop signal keeps the best so far and marks the layers not reached', async () => {
    let stopped = false
    const signal = { get aborted() { return stopped } }
    const result = await explorer.exploreModel({
      model: 'llama-2-7b',
      sparsity: 'unstructured-50',
      phase: 'decode',
      dataflowEvaluations: 8,
      baselines: [],
      signal,
      onLayer: () => {
        stopped = true
      },
    })
    expect(result.interrupted).toBe(true)
    expect(result.layers[0]?.energyPJ).toBeGreaterThan(0)
    expect(result.layers.slice(1).every((l) => l.energyPJ === null && l.interrupted && /interrupted/.test(l.reason ?? ''))).toBe(true)
    expect(result.totalEnergyPJ).toBe(result.layers[0]!.count * result.layers[0]!.energyPJ!)
  }, 60_000)

  it("phase 'all' is prefill and decode for a decoder, prefill alone for a CNN", async () => {
    const cnn = await explorer.exploreModel({ model: 'alexnet', sparsity: 'dense', phase: 'all', dataflowEvaluations: 2, topM: 1, maxRounds: 0 })
    expect(cnn.phases.map((p) => p.phase)).toEqual(['prefill'])
    expect(cnn.layers.some((l) => l.conv !== null)).toBe(true)
  }, 120_000)

  it('gives the smallest layers (at most minorShare of the MACs) a plain stage 1, under the stopping rule only', async () => {
    const gemm = (name: string, M: number): GemmLayer => ({ ...layer, name, M, K: 256, N: 256 })
    // 64 : 1 : 1 MACs: the two small layers are 2/66 ≈ 3 % of the model, each 1.5 %.
    const layers = { prefill: [gemm('big', 64), gemm('small', 1), { ...gemm('other', 1), N: 128, count: 2 }] }
    const run = (options: { minorShare?: number; dataflowEvaluations?: number; patience?: number }) =>
      explorer.exploreModel({ model: 'toy', layers, sparsity: 'dense', phase: 'prefill', topM: 1, maxRounds: 0, ...options })
    const stopping = { dataflowEvaluations: 64, patience: 8 }
    const [none, one, both, exact] = [await run({ ...stopping, minorShare: 0 }), await run({ ...stopping, minorShare: 0.02 }), await run({ ...stopping, minorShare: 0.05 }), await run({ dataflowEvaluations: 8, minorShare: 0.05 })]
    expect([none, one, both, exact].map((r) => r.search.minorLayers)).toEqual([0, 1, 2, 0])
    // A minor layer's stage 1 is one plain search: fewer evaluations than screening every stratum.
    const stage1 = (r: typeof none, name: string) => r.layers.find((l) => l.names[0] === name)?.stages[0]?.evaluated ?? 0
    expect(stage1(both, 'small')).toBeLessThan(stage1(none, 'small'))
    expect(stage1(both, 'big')).toBe(stage1(none, 'big'))
    await expect(run({ ...stopping, minorShare: 1 })).rejects.toThrow(/minorShare/)
  }, 120_000)

  it('rejects a bad budget or strategy naming the field', async () => {
    await expect(explorer.exploreModel({ model: 'llama-2-7b', sparsity: 'dense', budgetMs: 0, clock: () => 0 })).rejects.toThrow(/budgetMs/)
    await expect(explorer.exploreModel({ model: 'llama-2-7b', sparsity: 'dense', budgetMs: 1000 })).rejects.toThrow(/clock/)
    await expect(explorer.exploreModel({ model: 'llama-2-7b', sparsity: 'dense', strategy: 'magic' })).rejects.toThrow(/magic/)
    await expect(explorer.exploreModel({ model: 'llama-2-7b', sparsity: 'dense', costModel: 'magic-cost' })).rejects.toThrow(/magic-cost/)
    // Strategy options reach every dataflow search (checked by the strategy itself).
    await expect(explorer.exploreModel({ model: 'llama-2-7b', sparsity: 'dense', phase: 'decode', dataflowEvaluations: 4, strategy: 'simulated-annealing', strategyOptions: { coolingRate: 2 } })).rejects.toThrow(/coolingRate/)
  })
})

describe('summarizeMapping', () => {
  it('lists loops > 1 per level outer to inner, the spatial fan-out, and the PEs it uses', () => {
    const level = (target: string, temporal: Record<string, number>, permutation: string[], spatial: Record<string, number> = {}) => ({
      target,
      temporalFactors: temporal,
      temporalPermutation: permutation,
      spatialFactors: spatial,
      spatialPermutation: Object.keys(spatial),
      spatialSplit: Object.keys(spatial).length,
      keep: [],
      bypass: [],
      stream: [],
    })
    const summary = summarizeMapping({ levels: [level('DRAM', { M: 1, K: 4, N: 8 }, ['M', 'K', 'N']), level('GLB', { M: 2, K: 1, N: 1 }, ['M', 'K', 'N'], { N: 16, K: 2 })] }, 128)
    expect(summary.text).toBe('DRAM[N8 K4] GLB[M2] ‖[N16 K2]')
    expect(summary.pesUsed).toBe(32)
    expect(summary.pesTotal).toBe(128)
  })
})

// Progressive co-search on an LLM projection (128×1024×1024, weights 50% unstructured) on the
// llm-default accelerator: the joint result is strictly better than dataflow-only search (stage 1,
// uncompressed defaults) and formats-only search (the engine on a fixed, seeded valid dataflow), and
// never worse than the sequential "dataflow, then formats" result of stage 2. Seeded: replays exactly.
import { describe, expect, it } from 'vitest'
import { designFromPreset } from '@snipsnap/arch'
import type { DesignSpec } from '@snipsnap/core'
import { createExplorer } from '@snipsnap/explorer'
import { applySparsity, gemmToProblem, type GemmLayer } from '@snipsnap/workloads'

const layer: GemmLayer = { name: 'proj', op: 'linear', M: 128, K: 1024, N: 1024, count: 1, tensors: { A: 'activation', B: 'weight', Z: 'output' }, source: 'test' }
const densities = applySparsity({ phase: 'prefill', layers: [layer] }, 'unstructured-50')[0]?.densities ?? {}
const design: DesignSpec = designFromPreset('llm-default', gemmToProblem(layer, densities))

describe('progressive co-search on an LLM layer', () => {
  it('beats dataflow-only and formats-only search, and replays from its seed', async () => {
    const explorer = createExplorer()
    const options = { objective: 'energy', dataflowEvaluations: 64, topM: 2, maxRounds: 2, seed: 1 } as const
    const result = await explorer.coSearch(design, options)
    const { best, dataflowOnly, formatsOnly } = result
    expect(densities.B?.density).toBe(0.5)
    expect(best).not.toBeNull()
    expect(formatsOnly?.referenceMapping).toBe('sample')
    expect(best?.energyPJ).toBeLessThan(dataflowOnly?.energyPJ ?? 0)
    expect(best?.energyPJ).toBeLessThan(formatsOnly?.energyPJ ?? 0)
    const sequential = result.stages.find((s) => s.stage === 'formats')?.bestMetrics?.['energy']
    expect(best?.energyPJ).toBeLessThanOrEqual(sequential ?? 0)
    expect(best?.formats.some((f) => f.tensor === 'B')).toBe(true)
    expect(await explorer.coSearch(design, options)).toEqual(result)
  }, 60_000)
})

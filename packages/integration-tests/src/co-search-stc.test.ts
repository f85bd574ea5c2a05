// Progressive co-search on the first shared Sparseloop mapper case (STC GEMM M512-K1024-N256, 2:4
// weights): the joint (dataflow, formats) result beats dataflow-only search (the case's own formats)
// and is never worse than formats-only search (the compression engine on the artifact's mapping —
// which is that space's optimal dataflow, so formats-only can tie), and the joint design, written
// back as Timeloop YAML, re-evaluates to the same numbers. The strict gain over both one-sided
// searches is shown on an LLM layer in co-search-llm.test.ts.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluateSparseloop } from '@snipsnap/cost'
import { createExplorer, type CoSearchDesignResult } from '@snipsnap/explorer'
import { parseTimeloopYaml, writeTimeloopYaml } from '@snipsnap/timeloop'

const dir = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const design = parseTimeloopYaml(
  ['input.yaml', 'constraints.yaml', 'ERT.yaml', 'ART.yaml', 'artifact_offline.map.yaml'].map((f) => ({ fileName: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })),
)

describe('progressive co-search on the STC mapper case', () => {
  let result: CoSearchDesignResult
  it('runs the three stages, beats dataflow-only and is never worse than formats-only', async () => {
    result = await createExplorer().coSearch(design, { objective: 'energy', strategy: 'exhaustive', dataflowEvaluations: 2000, maxRounds: 1, topM: 4, seed: 1 })
    const { best, dataflowOnly, formatsOnly } = result
    expect(best).not.toBeNull()
    expect(dataflowOnly).not.toBeNull()
    expect(formatsOnly?.referenceMapping).toBe('design')
    expect(result.stages[0]?.stage).toBe('dataflow')
    expect(result.stages[1]?.stage).toBe('formats')
    expect(best?.energyPJ).toBeLessThan(dataflowOnly?.energyPJ ?? 0)
    expect(best?.energyPJ).toBeLessThanOrEqual(formatsOnly?.energyPJ ?? 0)
    // The case's own formats are kept by dataflow-only search; the joint result changes some.
    expect(best?.formats).not.toEqual(dataflowOnly?.formats)
  }, 120_000)

  it('the joint design re-evaluates to the same numbers from its Timeloop YAML', () => {
    const best = result.best
    if (best === null) throw new Error('no result')
    const text = writeTimeloopYaml({ ...design, mapping: best.mapping, sparseOptimizations: best.sparseOptimizations })
    // The written YAML carries the design's ERT: adding ERT.yaml would define it twice.
    const reparsed = parseTimeloopYaml([{ fileName: 'joint.yaml', text }])
    const report = evaluateSparseloop({ arch: reparsed.arch, problem: reparsed.problem, mapping: reparsed.mapping ?? best.mapping, sparseOptimizations: reparsed.sparseOptimizations, energyTable: reparsed.energyTable })
    expect(report.valid).toBe(true)
    if (!report.valid) return
    expect(report.cycles).toBe(best.cycles)
    expect(Math.abs(report.energyPJ - best.energyPJ)).toBeLessThan(1e-9 * best.energyPJ)
  })
})

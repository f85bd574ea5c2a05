// searchDesign on the first shared Sparseloop mapper case with small budgets: seeded strategies
// replay exactly, results are plain JSON data, the emitted mapping re-evaluates to the same
// numbers, and bad budgets are rejected with the field named.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MappingSpec } from '@snipsnap/core'
import { createEvaluator, createExplorer } from '@snipsnap/explorer'
import { parseTimeloopMapping, parseTimeloopYaml } from '@snipsnap/timeloop'

const dir = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const design = parseTimeloopYaml(['input.yaml', 'constraints.yaml', 'ERT.yaml'].map((f) => ({ fileName: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })))
const explorer = createExplorer()

describe('searchDesign', () => {
  it.each(['genetic', 'simulated-annealing'])('%s replays exactly from its seed', async (strategy) => {
    const run = () => explorer.searchDesign(design, { objective: 'cycles,energy', strategy, budget: { evaluations: 48 }, seed: 5 })
    const [a, b] = [await run(), await run()]
    expect(a.best).not.toBeNull()
    expect(a).toEqual(b)
    expect(JSON.parse(JSON.stringify(a))).toEqual(a)
  })

  it('gives the same result through an executor (as on worker threads) as in-process', async () => {
    // The worker module's entry point, run asynchronously in batches: what the worker pool does.
    const evaluate = await createEvaluator({ design: structuredClone(design) })
    const executor = { concurrency: 2, evaluate: async (designs: readonly MappingSpec[]) => Promise.all(designs.map(async (m) => evaluate(m))) }
    const options = { objective: 'energy', strategy: 'genetic', budget: { evaluations: 64 }, seed: 3 } as const
    const [a, b] = [await explorer.searchDesign(design, options), await explorer.searchDesign(design, { ...options, executor })]
    expect(b).toEqual(a)
  })

  it('defaults to the mapper objective and exhaustive search on a small space', async () => {
    const withMapper = parseTimeloopYaml(['input.yaml', 'constraints.yaml', 'ERT.yaml', 'mapper.yaml'].map((f) => ({ fileName: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })))
    const result = await explorer.searchDesign(withMapper, { budget: { evaluations: 16 } })
    expect(result.objective).toEqual(['cycles', 'energy'])
    expect(result.strategy).toBe('exhaustive')
    expect(result.evaluated).toBe(16)
  })

  it('its mapping YAML re-evaluates to the same energy and cycles', async () => {
    const result = await explorer.searchDesign(design, { objective: 'energy', strategy: 'genetic', budget: { evaluations: 32 }, seed: 2 })
    const best = result.best
    if (best === null) throw new Error(result.reason ?? 'no result')
    const report = explorer.evaluator(design)(parseTimeloopMapping(best.mappingYaml, design.problem, design.arch))
    expect(report.valid && report.energyPJ).toBe(best.energyPJ)
    expect(report.valid && report.cycles).toBe(best.cycles)
  })

  it('rejects zero and missing budgets naming the field', async () => {
    await expect(explorer.searchDesign(design, { budget: { evaluations: 0 } })).rejects.toThrow(/budget\.evaluations must be > 0/)
    await expect(explorer.searchDesign(design, { budget: { wallTimeMs: 0 }, clock: () => 0 })).rejects.toThrow(/budget\.wallTimeMs/)
    await expect(explorer.searchDesign(design, { budget: {} })).rejects.toThrow(/give a budget/)
    await expect(explorer.searchDesign(design, { budget: { wallTimeMs: 100 } })).rejects.toThrow(/needs a clock/)
  })
})

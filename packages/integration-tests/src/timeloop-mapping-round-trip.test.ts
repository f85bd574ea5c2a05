// What we write, Sparseloop must read: a mapping written by writeTimeloopMapping (and so every
// `mappingYaml` that search and explore print) is read by timeloop-model as it is (no error, no
// warning, per mapping/parser.cpp) and, read back, costs exactly the same. Checked on the files
// themselves: every shared case's mapping and the mappings a search finds on shared designs.
import { describe, expect, it } from 'vitest'
import type { DesignSpec, MappingSpec } from '@snipsnap/core'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import { createExplorer } from '@snipsnap/explorer'
import { parseTimeloopMapping, writeTimeloopMapping } from '@snipsnap/timeloop'
import { timeloopMappingDiagnostics } from '@snipsnap/timeloop/testing'
import { listCases, loadCase, loadRandomDesign } from './sparseloop-reference'

const readsAsTimeloop = (text: string, design: DesignSpec): void => {
  expect(timeloopMappingDiagnostics(text, design.arch, design.problem.dimensions)).toEqual({ errors: [], warnings: [] })
}

const sameNumbers = (design: DesignSpec, mapping: MappingSpec): void => {
  const text = writeTimeloopMapping(mapping, design)
  readsAsTimeloop(text, design)
  const again = parseTimeloopMapping(text, design.problem, design.arch)
  const evaluator = createSparseloopEvaluator(design)
  expect(evaluator.evaluate(again)).toEqual(evaluator.evaluate(mapping))
}

describe('written Timeloop mappings', () => {
  it.each(listCases())('%s: the case mapping, written and read back, costs the same', (name) => {
    const { design } = loadCase(name)
    sameNumbers(design, design.mapping!)
  })

  it.each(['fig15-STC-M512-K1024-N256-w0.5', 'table7-eyeriss-conv3-sparse'])(
    '%s: the mappings a search prints read back to the numbers it reports',
    async (name) => {
      const { design } = loadRandomDesign(name)
      const result = await createExplorer().searchDesign(design, { objective: ['energy', 'cycles'], budget: { evaluations: 300 }, seed: 3 })
      expect(result.best).not.toBeNull()
      const evaluator = createSparseloopEvaluator(design)
      for (const yaml of [result.best!.mappingYaml, ...result.pareto.map((p) => p.mappingYaml)]) {
        readsAsTimeloop(yaml, design)
        const report = evaluator.evaluate(parseTimeloopMapping(yaml, design.problem, design.arch))
        expect(report.valid).toBe(true)
      }
      const best = evaluator.evaluate(parseTimeloopMapping(result.best!.mappingYaml, design.problem, design.arch))
      expect(best.valid && best.energyPJ).toBe(result.best!.energyPJ)
      expect(best.valid && best.cycles).toBe(result.best!.cycles)
      sameNumbers(design, result.best!.mapping)
    },
  )
})

// The zoo's AlexNet against the shared Table 7 cases (Sparseloop artifact, Eyeriss v1, AlexNet
// conv1 and conv3): the native convolution the zoo builds (batch 4, the cases' densities given
// as A/B/Z = Inputs/Weights/Outputs) is the cases' problem — same dimensions, bounds, strides,
// dilations and tensors — and, evaluated on each case's design and mapping, reproduces the
// oracle's numbers within the golden tolerances (cycles 0.1%, energy 1%, every count 1%).
import { describe, expect, it } from 'vitest'
import { evaluateSparseloop } from '@snipsnap/cost'
import { buildWorkload, layerToProblem, type GemmTensorName } from '@snipsnap/workloads'
import { TOLERANCE, compareReport, listCases, loadCase } from './sparseloop-reference'

// Every shared Table 7 Eyeriss case, with the AlexNet layer its folder names (table7-eyeriss-<layer>-<variant>).
const CASES = listCases().flatMap((name) => {
  const layer = /^table7-eyeriss-(conv\d+)-/.exec(name)?.[1]
  return layer === undefined ? [] : [[name, layer] as const]
})

describe('AlexNet from the zoo on the Table 7 Eyeriss cases', () => {
  it('finds shared Table 7 cases of conv1 and of conv3', () => {
    expect(CASES.map(([, layer]) => layer)).toEqual(expect.arrayContaining(['conv1', 'conv3']))
  })

  it.each(CASES)('%s: the zoo\'s %s is the case\'s problem and costs what the case says', (caseName, layerName) => {
    const { design, expected } = loadCase(caseName)
    if (design.mapping === null) throw new Error(`${caseName} has no mapping`)
    const batch = design.problem.bounds['N'] ?? 1
    const layer = buildWorkload({ model: 'alexnet', phase: 'prefill', batch }).layers.find((l) => l.name === layerName)
    if (layer?.conv === undefined) throw new Error(`the zoo's alexnet ${layerName} is not a native convolution`)
    const caseDensities = design.problem.densities
    const densities: Partial<Record<GemmTensorName, (typeof caseDensities)[string]>> = {}
    for (const [operand, tensor] of [['A', 'Inputs'], ['B', 'Weights'], ['Z', 'Outputs']] as const) {
      const spec = caseDensities[tensor]
      if (spec !== undefined) densities[operand] = spec
    }
    const problem = layerToProblem(layer, densities)

    // Dimensions, extents, strides/dilations and tensor projections are the case's.
    expect(problem.dimensions).toEqual(design.problem.dimensions)
    expect(problem.bounds).toEqual(design.problem.bounds)
    expect(problem.coefficients).toEqual(design.problem.coefficients)
    expect(problem.dataSpaces).toEqual(design.problem.dataSpaces)
    expect(problem.densities).toEqual(design.problem.densities)

    // On the case's design and mapping, the zoo's problem gives the oracle's numbers.
    const report = evaluateSparseloop({ ...design, problem, mapping: design.mapping })
    expect(report.valid, report.valid ? '' : report.reason).toBe(true)
    const c = compareReport(report, expected)
    expect(c.cyclesError, `cycles ${report.valid ? report.cycles : '-'} vs ${expected.cycles}`).toBeLessThanOrEqual(TOLERANCE.cycles)
    expect(c.energyError, `energy ${report.valid ? report.energyPJ : '-'} vs ${expected.energy_pJ}`).toBeLessThanOrEqual(TOLERANCE.energy)
    expect(c.countFailures, c.countFailures.join('\n')).toEqual([])
  })
})

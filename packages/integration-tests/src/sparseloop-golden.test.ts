// Golden tests: every case folder of ../shared/reference/sparseloop evaluated with the Sparseloop
// model must reproduce the oracle (timeloop-model ee66b62): cycles within 0.1%, total energy
// within 1%, every level's per-tensor reads/fills/updates (actual/gated/skipped) within 1%.
import { describe, expect, it } from 'vitest'
import { evaluateSparseloop } from '@snipsnap/cost'
import { TOLERANCE, compareReport, listCases, loadCase } from './sparseloop-reference'

const cases = listCases()

describe('Sparseloop golden cases', () => {
  it('finds the shared reference cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12)
  })

  it.each(cases)('%s matches the oracle', (name) => {
    const { design, expected } = loadCase(name)
    if (design.mapping === null) throw new Error(`${name} has no mapping`)
    const report = evaluateSparseloop({ ...design, mapping: design.mapping })
    expect(report.valid, report.valid ? '' : report.reason).toBe(true)
    const c = compareReport(report, expected)
    expect(c.cyclesError, `cycles ${report.valid ? report.cycles : '-'} vs ${expected.cycles}`).toBeLessThanOrEqual(TOLERANCE.cycles)
    expect(c.energyError, `energy ${report.valid ? report.energyPJ : '-'} vs ${expected.energy_pJ}`).toBeLessThanOrEqual(TOLERANCE.energy)
    expect(c.countFailures, c.countFailures.join('\n')).toEqual([])
  })
})

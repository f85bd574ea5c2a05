// Differential tests over ../shared/reference/sparseloop-random: for every random mapping the
// Sparseloop model must give the oracle's numbers (same tolerances as the golden cases) for
// valid rows, and reject the same rows with the same kind of error.
import { describe, expect, it } from 'vitest'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import {
  TOLERANCE,
  compareReport,
  listRandomDesigns,
  loadRandomDesign,
  oracleErrorKind,
  parseRowMapping,
} from './sparseloop-reference'

// Known gaps, measured with `pnpm validate` (see packages/cost/VALIDATION.md): these rows are
// expected to fail until the model matches; `it.fails` turns red as soon as one starts passing.
// None at present: every valid row of every design matches.
const KNOWN_GAPS: Readonly<Record<string, Readonly<Record<number, string>>>> = {}

const designs = listRandomDesigns()

describe('Sparseloop random mappings', () => {
  it('finds the shared random-mapping designs', () => {
    expect(designs.length).toBeGreaterThanOrEqual(6)
  })

  describe.each(designs)('%s', (name) => {
    const { design, rows } = loadRandomDesign(name)
    const evaluator = createSparseloopEvaluator(design)
    const valid = rows.filter((r) => r.valid)
    const invalid = rows.filter((r) => !r.valid)

    const gaps = KNOWN_GAPS[name] ?? {}
    const check = (row: (typeof valid)[number]) => {
      const report = evaluator.evaluate(parseRowMapping(design, row))
      expect(report.valid, report.valid ? '' : report.reason).toBe(true)
      const c = compareReport(report, row.expected!)
      expect(c.cyclesError).toBeLessThanOrEqual(TOLERANCE.cycles)
      expect(c.energyError).toBeLessThanOrEqual(TOLERANCE.energy)
      expect(c.countFailures, c.countFailures.join('\n')).toEqual([])
    }
    for (const row of valid) {
      const gap = gaps[row.id]
      if (gap === undefined) it(`row ${row.id}: same numbers`, () => check(row))
      else it.fails(`row ${row.id}: same numbers — known gap: ${gap}`, () => check(row))
    }

    it.each(invalid.map((r) => [r.id, r] as const))('row %i: rejected the same way', (_, row) => {
      const report = evaluator.evaluate(parseRowMapping(design, row))
      expect(report.valid).toBe(false)
      // Same kind of rejection (capacity, metadata capacity, fan-out, format ranks), and the
      // same message naming the same level: checks run in Sparseloop's order.
      if (!report.valid) {
        expect(report.kind).toBe(oracleErrorKind(row.error!))
        expect(`ERROR: ${report.reason}`).toBe(row.error)
      }
    })
  })
})

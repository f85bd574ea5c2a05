// Golden test of the table-based energy/area estimator against the shared Sparseloop ERT/ART
// files: every number describing the same component is within 10%; each documented mismatch is
// still out of tolerance (the list hides nothing that passes); the README table is current.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ESTIMATOR_TOLERANCE,
  KNOWN_MISMATCHES,
  README_MARKERS,
  compareEstimatorWithReferences,
  knownMismatchOf,
  renderEstimatorComparison,
} from './estimator-reference'
import { listCases, repoRoot } from './sparseloop-reference'

const hasCases = listCases().length > 0

describe.skipIf(!hasCases)('table estimator vs shared ERT/ART', () => {
  const { rows } = compareEstimatorWithReferences()

  it('compares a number from every reference table set', () => {
    expect(new Set(rows.map((r) => r.cases)).size).toBeGreaterThanOrEqual(5)
    expect(rows.length).toBeGreaterThan(100)
  })

  it(`matches every same-component number within ${ESTIMATOR_TOLERANCE * 100}%`, () => {
    const bad = rows.filter((r) => knownMismatchOf(r) === undefined && !(r.error <= ESTIMATOR_TOLERANCE))
    expect(bad.map((r) => `${r.cases} ${r.component} ${r.quantity}: ${r.estimate} vs ${r.reference}`)).toEqual([])
  })

  it('documents only real mismatches', () => {
    for (const rule of KNOWN_MISMATCHES) {
      const covered = rows.filter((r) => knownMismatchOf(r) === rule)
      expect(covered.length, `${rule.cases} ${rule.components.join(',')}`).toBeGreaterThan(0)
      const passing = covered.filter((r) => r.error <= ESTIMATOR_TOLERANCE)
      // TC's DRAM rows agree; the rule names only the components whose tables differ.
      expect(passing.map((r) => `${r.cases} ${r.component} ${r.quantity}`)).toEqual([])
    }
  })

  it('packages/arch/README.md carries the current comparison', () => {
    const readme = readFileSync(path.join(repoRoot, 'packages', 'arch', 'README.md'), 'utf8')
    const begin = readme.indexOf(README_MARKERS.begin) + README_MARKERS.begin.length
    const end = readme.indexOf(README_MARKERS.end)
    expect(readme.slice(begin, end).trim()).toBe(renderEstimatorComparison().trim())
  })
})

// The compression engine's guarantee under the real Sparseloop-accurate cost model: on random GEMM
// designs (random tilings over DRAM → GLB → PE, densities, capacities, bypasses), its choice is
// never worse than any feasible fixed baseline, and the energy it reports is the model's energy
// for the formats it returns.
import { test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { selectFormats } from '@snipsnap/compress'
import { arbGemmDesign } from '@snipsnap/compress/testing'
import { createDensityRegistry, sparseloopCostModel } from '@snipsnap/cost'
import type { CostReportValid } from '@snipsnap/core'

const densityModels = createDensityRegistry()
const memoryEnergyPJ = (report: CostReportValid): number =>
  Object.values(report.levels).reduce((s, l) => s + (l.kind === 'storage' ? l.energyPJ : 0), 0)

describe('compress with the Sparseloop-accurate cost model', () => {
  // 25 runs rather than 100: each run makes ~20 full Sparseloop evaluations (the unit suite runs 100
  // with the test cost model).
  test.prop([arbGemmDesign()], { numRuns: 25 })('is never worse than any feasible fixed baseline', (design) => {
    const query = {
      arch: design.arch, problem: design.problem, mapping: design.mapping!, sparseOptimizations: design.sparseOptimizations, energyTable: design.energyTable,
    }
    const r = selectFormats({ query, costModel: sparseloopCostModel, densityModels }, { maxPasses: 1, topK: 2 })
    if (!r.valid) {
      expect(r.baselines.every((b) => !b.feasible)).toBe(true)
      return
    }
    for (const b of r.baselines) if (b.feasible) expect(r.memoryEnergyPJ).toBeLessThanOrEqual(b.memoryEnergyPJ!)
    const again = sparseloopCostModel.evaluate({ ...query, sparseOptimizations: r.sparseOptimizations }, undefined)
    expect(again.valid).toBe(true)
    if (again.valid) expect(memoryEnergyPJ(again)).toBeCloseTo(r.memoryEnergyPJ, 3)
  })
})

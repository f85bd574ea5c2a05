// The compression engine with the real Sparseloop-accurate cost model on the shared Fig.1 case
// (bitmask + gating, d = 0.1): its choice must never be worse, under that same model, than the
// case's own formats or than any fixed format applied everywhere, and it must sit at the optimum
// of its (small, exhaustively costed) candidate space.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { optimizeFormats, type FormatSelectionValid } from '@snipsnap/compress'
import { createDensityRegistry, sparseloopCostModel } from '@snipsnap/cost'
import type { CostReportValid, DesignSpec } from '@snipsnap/core'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import { casesRoot } from './sparseloop-reference'

const caseDir = path.join(casesRoot, 'fig1-bitmask-d0.1')

const load = (): DesignSpec =>
  parseTimeloopYaml(['input.yaml', 'ERT.yaml'].map((f) => ({ fileName: f, text: readFileSync(path.join(caseDir, f), 'utf8') })))

const memoryEnergyPJ = (report: CostReportValid): number =>
  Object.values(report.levels).reduce((s, l) => s + (l.kind === 'storage' ? l.energyPJ : 0), 0)

describe.runIf(existsSync(caseDir))('compress on Sparseloop Fig.1 (bitmask, d=0.1) with the real cost model', () => {
  const design = load()
  const query = {
    arch: design.arch, problem: design.problem, mapping: design.mapping!, sparseOptimizations: design.sparseOptimizations, energyTable: design.energyTable,
  }
  const result = optimizeFormats({
    design,
    costModel: sparseloopCostModel,
    densityModels: createDensityRegistry(),
    options: { exhaustive: true, exhaustiveCap: 2000 },
  })

  it('finds a feasible choice for A and B at BackingStorage and Buffer', () => {
    expect(result.valid).toBe(true)
    const r = result as FormatSelectionValid
    expect(r.choices.map((c) => `${c.tensor}@${c.level}`)).toEqual(['A@BackingStorage', 'A@Buffer', 'B@BackingStorage', 'B@Buffer'])
  })

  it("is never worse than the case's given formats (costed independently)", () => {
    const r = result as FormatSelectionValid
    const given = sparseloopCostModel.evaluate(query, undefined)
    expect(given.valid).toBe(true)
    if (!given.valid) return
    expect(r.memoryEnergyPJ).toBeLessThanOrEqual(memoryEnergyPJ(given))
    expect(r.given?.feasible).toBe(true)
    expect(r.given?.memoryEnergyPJ).toBeCloseTo(memoryEnergyPJ(given), 3)
  })

  it('is never worse than any fixed format applied everywhere, and reports what it costed', () => {
    const r = result as FormatSelectionValid
    expect(r.baselines.map((b) => b.name)).toEqual(['uncompressed', 'bitmap', 'csr', 'coo', 'rle'])
    for (const b of r.baselines.filter((x) => x.feasible)) expect(r.memoryEnergyPJ).toBeLessThanOrEqual(b.memoryEnergyPJ!)
    const again = sparseloopCostModel.evaluate({ ...query, sparseOptimizations: r.sparseOptimizations }, undefined)
    expect(again.valid && memoryEnergyPJ(again)).toBeCloseTo(r.memoryEnergyPJ, 3)
    expect(r.candidatesCosted).toBeGreaterThan(0)
  })

  it('reaches the exhaustive optimum of its candidate space while costing under 5% of it', () => {
    const r = result as FormatSelectionValid
    expect(r.exhaustiveOptimumPJ).not.toBeNull()
    expect(r.memoryEnergyPJ).toBeLessThanOrEqual(r.exhaustiveOptimumPJ! * 1.01)
    expect(r.candidatesCosted).toBeLessThanOrEqual(0.05 * r.exhaustiveCandidates!)
  })
})

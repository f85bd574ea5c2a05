// Re-checks a codesign result with a larger per-design budget and other seeds: the preset and the
// run's best point at no more area are both co-searched again (64 evaluations per dataflow search,
// 2 refinement rounds, seeds 101…103) and their EDPs compared. A small per-design budget leaves
// each point's co-search far from converged, so part of a point's advantage in the run can be
// search luck; this separates it from what the hardware change buys.
//   tsx bench/codesign-confirm.ts run.json
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { applyHardwarePoint, estimateArchTables, getArchPreset, tableEstimator } from '@snipsnap/arch'
import { codesignProblems, createExplorer, groupModelLayers } from '@snipsnap/explorer'

interface Run { model: string; phase: 'prefill' | 'decode'; arch: string; bestEdpAtBaselineArea: { hardware: Record<string, number | string> } | null }
const run = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Run
if (run.bestEdpAtBaselineArea === null) throw new Error('the run has no point beating the preset')
const explorer = createExplorer()
const base = getArchPreset(run.arch).arch
const opts = { model: run.model, sparsity: 'unstructured-50', phase: run.phase }
const problems = codesignProblems(opts)
const { groups } = groupModelLayers(opts)

const edpOf = async (hardware: Record<string, number | string>, seed: number): Promise<{ energyPJ: number; cycles: number }> => {
  const applied = applyHardwarePoint(base, hardware)
  if (!applied.ok) throw new Error(JSON.stringify(applied.error))
  const arch = applied.value
  const t = estimateArchTables({ arch, estimator: tableEstimator })
  let energyPJ = 0
  let cycles = 0
  for (const [i, problem] of problems.entries()) {
    const r = await explorer.coSearch(
      { arch, problem, mapping: null, sparseOptimizations: { targets: [] }, energyTable: t.energyTable, areaTable: t.areaTable, constraints: [], mapper: null },
      { objective: 'edp', dataflowEvaluations: 64, maxRounds: 2, seed: seed + i, formatsOnlyBaseline: false },
    )
    if (r.best === null) throw new Error(`no design for layer ${i}`)
    energyPJ += (groups[i]?.count ?? 1) * r.best.energyPJ
    cycles += (groups[i]?.count ?? 1) * r.best.cycles
  }
  return { energyPJ, cycles }
}

const t0 = performance.now()
for (const seed of [101, 102, 103]) {
  const p = await edpOf({}, seed)
  const q = await edpOf(run.bestEdpAtBaselineArea.hardware, seed)
  console.log(`seed ${seed}: preset EDP ${(p.energyPJ * p.cycles).toExponential(4)}, point EDP ${(q.energyPJ * q.cycles).toExponential(4)}, ratio ${((q.energyPJ * q.cycles) / (p.energyPJ * p.cycles)).toFixed(3)} (energy ×${(q.energyPJ / p.energyPJ).toFixed(3)}, cycles ×${(q.cycles / p.cycles).toFixed(3)})`)
}
console.log(`hardware ${JSON.stringify(run.bestEdpAtBaselineArea.hardware)}; ${((performance.now() - t0) / 1000).toFixed(0)} s`)

// Issue 13's convergence check (`pnpm bench`): `exploreModel` as `snipsnap explore --model
// llama-2-7b --sparsity unstructured-50` runs it (prefill + decode, llm-default, every
// budget-matched baseline), once with the default stopping rule and once with `--evaluations 3072`
// (each dataflow search runs exactly 3,072 evaluations); prints both whole-model totals, their
// ratio (goal: within 1%), wall and CPU time and the machine's load (the goal of ≤ 20 s is for an
// idle 2-core machine; under load, CPU time is the steadier figure).
// Optional: SNIPSNAP_BENCH_TENFOLD=1 adds a run with patience and cap × 10 (several minutes).
// Run: pnpm bench, or pnpm --filter @snipsnap/explorer exec tsx --conditions=@snipsnap/source bench/explore-convergence.bench.ts
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { createExplorer, EXPLORE_DEFAULTS, MATCHED_BASELINES, type ExploreModelOptions } from '@snipsnap/explorer'

const explorer = createExplorer()
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ')

interface Run {
  readonly label: string
  readonly totalEnergyPJ: number
  readonly wallS: number
  readonly cpuS: number
}

const run = async (label: string, budget: Pick<ExploreModelOptions, 'dataflowEvaluations' | 'patience'>): Promise<Run> => {
  const loadBefore = load()
  const cpu = process.cpuUsage()
  const start = performance.now()
  const result = await explorer.exploreModel({
    model: 'llama-2-7b',
    sparsity: 'unstructured-50',
    phase: 'all',
    baselines: MATCHED_BASELINES,
    seed: 1,
    ...budget,
  })
  const wallS = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const cpuS = (used.user + used.system) / 1e6
  const phases = result.phases.map((p) => `${p.phase} ${fmt(p.totalEnergyPJ / 1e12, 3)} J`).join(', ')
  console.log(
    `  ${label.padEnd(30)} ${fmt(result.totalEnergyPJ / 1e12, 3)} J (${phases}); ${fmt(result.evaluated)} evaluations; ` +
      `${fmt(wallS, 1)} s wall, ${fmt(cpuS, 1)} s CPU; load ${loadBefore} → ${load()}`,
  )
  return { label, totalEnergyPJ: result.totalEnergyPJ, wallS, cpuS }
}

console.log(`explore convergence: llama-2-7b, unstructured-50, llm-default, prefill + decode, all baselines (${os.cpus().length} cores)`)
const base = await run('default (stopping rule)', {})
const fixed = await run('--evaluations 3072', { dataflowEvaluations: 3072 })
const ratio = base.totalEnergyPJ / fixed.totalEnergyPJ
console.log(`  default / --evaluations 3072: ${ratio.toFixed(4)} (goal: within 1%, i.e. 0.99–1.01: ${Math.abs(ratio - 1) <= 0.01 ? 'met' : 'NOT met'})`)
console.log(`  default wall time ${fmt(base.wallS, 1)} s (goal ≤ 20 s on an idle machine: ${base.wallS <= 20 ? 'met' : 'not met here'}); CPU ${fmt(base.cpuS, 1)} s`)
if (process.env['SNIPSNAP_BENCH_TENFOLD'] === '1') {
  const tenfold = await run('10× (patience and cap × 10)', { patience: EXPLORE_DEFAULTS.patience * 10, dataflowEvaluations: EXPLORE_DEFAULTS.dataflowEvaluations * 10 })
  console.log(`  default / 10×: ${(base.totalEnergyPJ / tenfold.totalEnergyPJ).toFixed(4)}`)
}

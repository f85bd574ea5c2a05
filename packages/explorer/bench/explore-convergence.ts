// Issue 13's convergence check: `exploreModel` on LLaMA-2-7B (unstructured-50, llm-default,
// prefill + decode, co-search only) with the default stopping rule, with `--evaluations 3072`, and
// with a 10× larger budget (patience and cap × 10); prints each total, its wall time and the ratios.
// Run: pnpm --filter @snipsnap/explorer exec tsx --conditions=@snipsnap/source bench/explore-convergence.ts
// (several minutes: the 10× run alone takes ~5 min on a loaded 2-core machine).
import { performance } from 'node:perf_hooks'
import { createExplorer, EXPLORE_DEFAULTS } from '@snipsnap/explorer'

const explorer = createExplorer()
const run = async (label: string, budget: { dataflowEvaluations?: number; patience?: number }) => {
  const start = performance.now()
  const result = await explorer.exploreModel({ model: 'llama-2-7b', sparsity: 'unstructured-50', phase: ['prefill', 'decode'], ...budget, seed: 1, clock: () => performance.now() })
  const s = (performance.now() - start) / 1000
  console.log(`${label.padEnd(34)} ${(result.totalEnergyPJ / 1e12).toFixed(4)} J  ${result.evaluated} evaluations  ${s.toFixed(1)} s`)
  return result.totalEnergyPJ
}
const base = await run('default (stopping rule)', {})
const fixed = await run('--evaluations 3072', { dataflowEvaluations: 3072 })
const tenfold = await run('10× (patience, cap × 10)', { patience: EXPLORE_DEFAULTS.patience * 10, dataflowEvaluations: EXPLORE_DEFAULTS.dataflowEvaluations * 10 })
console.log(`default / 3072: ${(base / fixed).toFixed(4)} (goal ≤ 1.01); default / 10×: ${(base / tenfold).toFixed(4)} (goal ≤ 1.01)`)

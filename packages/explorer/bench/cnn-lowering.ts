// Native convolutions against im2col GEMMs, whole model, same search budget: one exploreModel run
// per (model, arch, lowering), written as JSON next to this script (cnn-lowering-runs/), with the
// wall time, the process's CPU time and the machine's load average at start and end (wall times on
// a loaded machine are not comparable; CPU times are less affected). The search settings actually
// used are in the result's `search`. Each layer's mapping YAML and evaluated points, and the
// phases' copies of the layers, are left out (size). The workloads README's tables are read from
// these files.
//   tsx --conditions=@snipsnap/source bench/cnn-lowering.ts resnet-50 eyeriss-like native [fixed-48 | defaults]
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createExplorer } from '@snipsnap/explorer'

const [model = 'resnet-50', arch = 'eyeriss-like', lowering = 'native', budgetName = 'fixed-48'] = process.argv.slice(2)
if (lowering !== 'native' && lowering !== 'im2col') throw new Error(`lowering must be native or im2col, got ${lowering}`)
/**
 * The budgets, each identical for both lowerings: `fixed-48` runs exactly 48 evaluations per
 * dataflow search (top 2 dataflows, 1 refinement round); `defaults` is `snipsnap explore`'s
 * stopping rule (EXPLORE_DEFAULTS), without baselines.
 */
const BUDGETS = {
  'fixed-48': { sparsity: ['unstructured-50', 'relu-50'], dataflowEvaluations: 48, topM: 2, maxRounds: 1, seed: 1 },
  defaults: { sparsity: ['unstructured-50', 'relu-50'], seed: 1 },
} as const
if (!(budgetName in BUDGETS)) throw new Error(`budget must be one of ${Object.keys(BUDGETS).join(', ')}, got ${budgetName}`)
const BUDGET = BUDGETS[budgetName as keyof typeof BUDGETS]
const start = performance.now()
const loadAtStart = loadavg()
const result = await createExplorer().exploreModel({
  model,
  arch,
  lowering,
  phase: 'prefill',
  ...BUDGET,
  sparsity: [...BUDGET.sparsity],
  clock: () => performance.now(),
  onLayer: (done, total, layer) =>
    process.stderr.write(`[${model} ${arch} ${lowering}] ${done}/${total} ${layer.names[0]} ${layer.shape} ${((performance.now() - start) / 1000).toFixed(0)} s\n`),
})
const out = join(dirname(fileURLToPath(import.meta.url)), 'cnn-lowering-runs')
mkdirSync(out, { recursive: true })
const file = join(out, `${model}-${arch}-${lowering}${budgetName === 'fixed-48' ? '' : `-${budgetName}`}.json`)
const cpu = process.cpuUsage()
const cpuS = (cpu.user + cpu.system) / 1e6
writeFileSync(file, `${JSON.stringify({ budgetName, budget: BUDGET, elapsedS: (performance.now() - start) / 1000, cpuS, loadAverage1m: { start: loadAtStart[0], end: loadavg()[0] }, ...result, layers: result.layers.map(({ mappingYaml: _m, points: _p, ...l }) => l), phases: result.phases.map(({ layers: _l, ...phase }) => phase) }, null, 1)}\n`)
process.stderr.write(`wrote ${file}: ${(result.totalEnergyPJ / 1e6).toFixed(1)} µJ, ${result.totalCycles} cycles, ${result.failedLayers} failed\n`)

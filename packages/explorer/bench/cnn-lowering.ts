// Native convolutions against im2col GEMMs, whole model, same search budget: one exploreModel run
// per (model, arch, lowering), written as JSON next to this script (cnn-lowering-runs/), with the
// wall time. The workloads README's comparison table is read from these files.
//   tsx --conditions=@snipsnap/source bench/cnn-lowering.ts resnet-50 eyeriss-like native
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createExplorer } from '@snipsnap/explorer'

const [model = 'resnet-50', arch = 'eyeriss-like', lowering = 'native'] = process.argv.slice(2)
if (lowering !== 'native' && lowering !== 'im2col') throw new Error(`lowering must be native or im2col, got ${lowering}`)
/** The budget, identical for both lowerings. */
const BUDGET = { sparsity: ['unstructured-50', 'relu-50'], dataflowEvaluations: 48, topM: 2, maxRounds: 1, seed: 1 } as const
const start = performance.now()
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
const file = join(out, `${model}-${arch}-${lowering}.json`)
writeFileSync(file, `${JSON.stringify({ budget: BUDGET, elapsedS: (performance.now() - start) / 1000, ...result, layers: result.layers.map(({ mappingYaml: _m, ...l }) => l) }, null, 1)}\n`)
process.stderr.write(`wrote ${file}: ${(result.totalEnergyPJ / 1e6).toFixed(1)} µJ, ${result.totalCycles} cycles, ${result.failedLayers} failed\n`)

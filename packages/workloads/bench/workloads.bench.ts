/// <reference types="node" />
// Throughput of the tensor readers and pruning on the real stories260K checkpoint, printed as
// rates and as ratios against a baseline measured in the same run (a plain Float32Array copy of
// the same bytes), so the numbers are comparable across machines.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { applySparsity, buildWorkload, gemmToProblem, listModels, pruneMagnitude, pruneNM, readTensors } from '@snipsnap/workloads'

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'data')
const bytes = new Uint8Array(readFileSync(path.join(dataDir, 'stories260K.bin')))

const time = async (label: string, repeats: number, fn: () => unknown | Promise<unknown>): Promise<number> => {
  await fn()
  const start = performance.now()
  for (let i = 0; i < repeats; i++) await fn()
  const ms = (performance.now() - start) / repeats
  console.log(`${label.padEnd(44)} ${ms.toFixed(3).padStart(9)} ms`)
  return ms
}

const baseline = await time('baseline: Float32Array copy of 1 MB', 50, () =>
  new Float32Array(bytes.buffer.slice(28, 28 + 4 * 260_032)),
)
const read = await time('readTensors(stories260K.bin)', 20, () => readTensors(bytes, { fileName: 'stories260K.bin' }))
const tensors = await readTensors(bytes, { fileName: 'stories260K.bin' })
const embedding = tensors.find((t) => t.name === 'token_embedding')
if (embedding === undefined) throw new Error('token_embedding missing')
const magnitude = await time('pruneMagnitude 50% (512×64)', 50, () => pruneMagnitude(embedding, { sparsity: 0.5 }))
const nm = await time('pruneNM 2:4 (512×64)', 50, () => pruneNM(embedding, { n: 2, m: 4 }))
const mb = bytes.length / 2 ** 20
console.log(`read rate ${(mb / (read / 1000)).toFixed(1)} MB/s, ${(read / baseline).toFixed(1)}× the copy baseline`)
console.log(`magnitude pruning ${((embedding.data.length / magnitude) * 1000 / 1e6).toFixed(2)} M elements/s; 2:4 ${((embedding.data.length / nm) * 1000 / 1e6).toFixed(2)} M elements/s`)

// Workload zoo: every model in both phases, with presets applied and converted to ProblemSpecs.
const zoo = await time('buildWorkload+applySparsity+gemmToProblem, all', 20, () => {
  for (const model of listModels()) {
    for (const phase of ['prefill', 'decode'] as const) {
      let workload
      try {
        workload = buildWorkload({ model, phase })
      } catch {
        continue // encoders and CNNs have no decode phase
      }
      const sparsity = applySparsity(workload, ['nm-2-4', 'activation-50'])
      workload.layers.forEach((layer, i) => gemmToProblem(layer, sparsity[i]?.densities))
    }
  }
})
console.log(`zoo: ${listModels().length} models × 2 phases in ${zoo.toFixed(2)} ms (${(zoo / baseline).toFixed(2)}× the copy baseline)`)

// An LLM-sized weight (1024 × 4096, deterministic pseudo-random values) for pruning throughput.
let state = 12345
const big = { name: 'big', shape: [1024, 4096], data: new Float32Array(1024 * 4096).map(() => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5) }
const bigMagnitude = await time('pruneMagnitude 50% (1024×4096)', 3, () => pruneMagnitude(big, { sparsity: 0.5 }))
const bigNm = await time('pruneNM 2:4 (1024×4096)', 3, () => pruneNM(big, { n: 2, m: 4 }))
console.log(`large: magnitude ${((big.data.length / bigMagnitude) * 1000 / 1e6).toFixed(1)} M elements/s, 2:4 ${((big.data.length / bigNm) * 1000 / 1e6).toFixed(1)} M elements/s`)

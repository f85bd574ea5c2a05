/// <reference types="node" />
// Benchmark of the compression engine: formats for every layer of LLaMA-2-7B (32 decoder layers ×
// q/k/v/o/gate/up/down projections + the two attention GEMMs; all tensors, all levels), prefill
// and decode, on the three-level test accelerator of `@snipsnap/compress/testing`. Runs with the
// package's test cost model and, when @snipsnap/cost is available, the Sparseloop-accurate model.
// Prints wall time, candidates costed and the ratio against running every layer without the cache.
import { performance } from 'node:perf_hooks'
import type { CostModel, CostQuery } from '@snipsnap/core'
import { createSelectionCache, selectFormats } from '@snipsnap/compress'
import { createTrafficCostModel, gemmDesign } from '@snipsnap/compress/testing'

const LAYERS = 32
const HIDDEN = 4096
const FFN = 11008
const HEADS = 32
const HEAD_DIM = 128

interface Gemm {
  readonly name: string
  readonly M: number
  readonly N: number
  readonly K: number
  readonly count: number
}

/** GEMMs of one decoder layer as Z[M][N] = A[M][K]·B[N][K] (A = activations, B = weights/keys). */
const layerGemms = (tokens: number, context: number): Gemm[] => [
  { name: 'q_proj', M: tokens, N: HIDDEN, K: HIDDEN, count: 1 },
  { name: 'k_proj', M: tokens, N: HIDDEN, K: HIDDEN, count: 1 },
  { name: 'v_proj', M: tokens, N: HIDDEN, K: HIDDEN, count: 1 },
  { name: 'o_proj', M: tokens, N: HIDDEN, K: HIDDEN, count: 1 },
  { name: 'gate_proj', M: tokens, N: FFN, K: HIDDEN, count: 1 },
  { name: 'up_proj', M: tokens, N: FFN, K: HIDDEN, count: 1 },
  { name: 'down_proj', M: tokens, N: HIDDEN, K: FFN, count: 1 },
  { name: 'attn_qk', M: tokens, N: context, K: HEAD_DIM, count: HEADS },
  { name: 'attn_av', M: tokens, N: HEAD_DIM, K: context, count: HEADS },
]

const pow2Divisor = (n: number, cap: number): number => {
  let d = 1
  while (d * 2 <= cap && n % (d * 2) === 0) d *= 2
  return d
}

/** A fixed default mapping: PE holds a K strip, the GLB an (M, N, K) tile, DRAM the rest. */
const queryFor = (g: Gemm, layer: number, densityA: number, densityB: number): CostQuery => {
  const peK = pow2Divisor(g.K, 32)
  const glbK = pow2Divisor(g.K / peK, 8)
  const glbM = pow2Divisor(g.M, 64)
  const glbN = pow2Divisor(g.N, 64)
  const design = gemmDesign({
    M: g.M, N: g.N, K: g.K, densityA, densityB,
    factors: {
      DRAM: { M: g.M / glbM, N: g.N / glbN, K: g.K / (peK * glbK) },
      GLB: { M: glbM, N: glbN, K: glbK },
      PE: { K: peK },
    },
  })
  return {
    arch: design.arch,
    problem: { ...design.problem, name: `layer${layer}.${g.name}` },
    mapping: design.mapping!,
    sparseOptimizations: design.sparseOptimizations,
    energyTable: design.energyTable,
  }
}

const run = (label: string, costModel: CostModel<unknown>, useCache: boolean) => {
  const phases = [
    { phase: 'prefill', gemms: layerGemms(2048, 2048) },
    { phase: 'decode', gemms: layerGemms(1, 2048) },
  ]
  const cache = useCache ? createSelectionCache() : undefined
  let costed = 0
  let selections = 0
  // A cache hit returns the very same result object: its candidates were costed once.
  const counted = new Set<object>()
  let infeasible = 0
  const start = performance.now()
  const cpu0 = process.cpuUsage()
  for (const { gemms } of phases) {
    for (let layer = 0; layer < LAYERS; layer++) {
      for (const g of gemms) {
        // Weights 50% unstructured (Wanda/SparseGPT), activations 50% (TEAL-like).
        const r = selectFormats({ query: queryFor(g, layer, 0.5, 0.5), costModel, ...(cache ? { cache } : {}) }, { maxPasses: 1 })
        selections++
        if (!counted.has(r)) costed += r.candidatesCosted
        counted.add(r)
        if (!r.valid) infeasible++
      }
    }
  }
  const ms = performance.now() - start
  const cpu = process.cpuUsage(cpu0)
  // CPU time is what one core spends; wall time also counts waiting for a core on a busy machine.
  const cpuMs = (cpu.user + cpu.system) / 1000
  console.log(
    `${label.padEnd(44)} ${selections} selections (${LAYERS} layers × 9 GEMMs × prefill+decode) in ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU; ` +
      `cost-model evaluations ${costed}${useCache ? ` (${counted.size} distinct GEMM shapes selected, the rest from the cache)` : ''}; infeasible ${infeasible}`,
  )
  return { ms, cpuMs }
}

const main = async () => {
  const test = createTrafficCostModel() as CostModel<unknown>
  console.log('@snipsnap/compress bench: LLaMA-2-7B, all layers, all tensors, all levels (DRAM → GLB → PE), 1 core')
  const cached = run('test cost model (compress-test-traffic), cache', test, true)
  const uncached = run('test cost model (compress-test-traffic), no cache', test, false)
  console.log(
    `  cache speed-up ×${(uncached.ms / cached.ms).toFixed(1)}; goal < 2000 ms on one core: ${cached.cpuMs < 2000 ? 'met' : 'NOT met'} (CPU ${cached.cpuMs.toFixed(0)} ms, wall ${cached.ms.toFixed(0)} ms)`,
  )
  try {
    const cost = (await import('@snipsnap/cost')) as { sparseloopCostModel?: CostModel<unknown> }
    if (cost.sparseloopCostModel !== undefined) {
      const real = run('Sparseloop-accurate model (@snipsnap/cost), cache', cost.sparseloopCostModel, true)
      console.log(
        `  goal < 2000 ms on one core with the real cost model: ${real.cpuMs < 2000 ? 'met' : 'NOT met'} (CPU ${real.cpuMs.toFixed(0)} ms, wall ${real.ms.toFixed(0)} ms)`,
      )
    }
  } catch (error) {
    console.log(`  Sparseloop-accurate model not available (${(error as Error).message.split('\n')[0]}); test model only`)
  }
}

await main()

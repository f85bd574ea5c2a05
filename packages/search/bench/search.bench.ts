// Benchmark of @snipsnap/search (`pnpm bench`): (1) driver + strategy overhead per candidate for
// each built-in strategy on a trivial evaluator, against a baseline loop that only samples, keys
// and evaluates; (2) parallel speedup of the worker-pool executor on a CPU-bound evaluator,
// 1 vs 2 threads (and in-process), checking that all three give the same result.
import { createStrategyRegistry, runSearch, type Evaluation } from '@snipsnap/search'
import { createWorkerPool, loadEvaluator, nodeClock } from '@snipsnap/search/node'
import { createGridSpace, type GridPoint } from '@snipsnap/search/testing'
import { createRng } from '@snipsnap/core'

const space = createGridSpace({ dimensions: 6, levels: 16 })
// Trivial but rugged (a hash of the design): a smooth one lets annealing and the GA converge onto
// already-seen designs, and the benchmark would then time cache hits rather than candidates.
const trivial = (design: GridPoint): Evaluation => {
  let h = 0
  for (const x of design) h = Math.imul(h ^ x, 0x9e3779b1) >>> 0
  return { ok: true, metrics: { cost: h % 1000 } }
}

const time = async <T>(run: () => Promise<T> | T): Promise<{ ms: number; value: T }> => {
  const start = nodeClock()
  const value = await run()
  return { ms: nodeClock() - start, value }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

// (1) Overhead per candidate.
const N = 100_000
// Warm-up so the JIT has compiled the hot paths before anything is timed.
for (const strategy of createStrategyRegistry().list()) {
  await runSearch({ space, strategy, evaluate: trivial, objectives: 'cost', budget: { evaluations: 20_000 }, seed: 2 })
}
const baseline = await time(() => {
  const rng = createRng(1)
  let acc = 0
  for (let i = 0; i < N; i++) {
    const design = space.sample(rng)
    acc += space.key(design).length
    const result = trivial(design)
    if (result.ok) acc += result.metrics['cost'] as number
  }
  return acc
})
const baselinePerS = (N / baseline.ms) * 1000
console.log(`search: ask/tell overhead on a trivial evaluator (6-D grid, batch 16, ${fmt(N)} evaluations)`)
console.log(`  baseline loop (sample + key + evaluate, no driver): ${fmt(baselinePerS)} candidates/s`)
for (const strategy of createStrategyRegistry().list()) {
  const { ms, value } = await time(() =>
    runSearch({ space, strategy, evaluate: trivial, objectives: 'cost', budget: { evaluations: N }, seed: 1 }),
  )
  const perS = (value.asked / ms) * 1000
  const overheadUs = ((ms - (value.asked / baselinePerS) * 1000) / value.asked) * 1000
  console.log(
    `  ${strategy.id.padEnd(20)} ${fmt(perS).padStart(10)} candidates/s  (${fmt(value.asked)} asked, ${fmt(value.cacheHits)} cache hits; ` +
      `${fmt(perS / baselinePerS, 2)}× baseline rate, ≈${fmt(overheadUs, 2)} µs driver+strategy overhead per candidate)`,
  )
}

// (2) Worker-pool speedup on a CPU-bound evaluator.
const fixture = new URL('../fixtures/quadratic-evaluator.mjs', import.meta.url)
const options = { target: [3, 11, 7, 0, 15, 9], work: 40_000 }
const budget = { evaluations: 1_200 }
// A generation as large as the batch, so every batch is full (a GA asks at most one generation).
const base = {
  space, strategy: createStrategyRegistry().get('genetic'), strategyOptions: { populationSize: 64 },
  objectives: 'cost', budget, seed: 7, batchSize: 64,
} as const
const REPEATS = 5
const evaluate = await loadEvaluator<GridPoint>(fixture, options)
const pool1 = await createWorkerPool<GridPoint>({ module: fixture, threads: 1, options })
const pool2 = await createWorkerPool<GridPoint>({ module: fixture, threads: 2, options })
// The machine is shared: the three set-ups are interleaved round by round and each keeps its
// fastest round, the least disturbed timing.
type Timed = Awaited<ReturnType<typeof time<Awaited<ReturnType<typeof runSearch<GridPoint, unknown, unknown>>>>>>
const fastest = (a: Timed | undefined, b: Timed): Timed => (a === undefined || b.ms < a.ms ? b : a)
let inProcess: Timed | undefined
let one: Timed | undefined
let two: Timed | undefined
try {
  for (let round = 0; round < REPEATS; round++) {
    inProcess = fastest(inProcess, await time(() => runSearch({ ...base, evaluate })))
    one = fastest(one, await time(() => runSearch({ ...base, executor: pool1 })))
    two = fastest(two, await time(() => runSearch({ ...base, executor: pool2 })))
  }
} finally {
  await Promise.all([pool1.close(), pool2.close()])
}
if (inProcess === undefined || one === undefined || two === undefined) throw new Error('no rounds ran')
const same = JSON.stringify(one.value) === JSON.stringify(inProcess.value) && JSON.stringify(two.value) === JSON.stringify(inProcess.value)
const perEvalMs = inProcess.ms / inProcess.value.evaluated
console.log(`search: worker-pool executor, genetic (population 64), ${fmt(budget.evaluations)} evaluations of a CPU-bound evaluator (≈${fmt(perEvalMs, 3)} ms each), batch 64, fastest of ${REPEATS} interleaved rounds`)
console.log(`  in-process       ${fmt(inProcess.ms)} ms`)
console.log(`  worker pool, 1   ${fmt(one.ms)} ms`)
console.log(`  worker pool, 2   ${fmt(two.ms)} ms`)
console.log(`  speedup 2 vs 1 thread: ${fmt(one.ms / two.ms, 2)}×   (2 threads vs in-process: ${fmt(inProcess.ms / two.ms, 2)}×)`)
console.log(`  identical results (in-process, 1 thread, 2 threads): ${same ? 'yes' : 'NO'}`)
if (!same) process.exitCode = 1

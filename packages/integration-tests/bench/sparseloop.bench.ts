// `pnpm bench`: full sparse evaluations per second of the Sparseloop model over the random
// mappings of fig15-STC-M512-K1024-N256-w0.5 (one core), against Sparseloop's ~22 evaluations/s
// (45 ms each, shared/docs/sparseloop-model.md §11) and, measured in the same run, against
// re-preparing the design for every mapping. Also prints resident memory.
import { createSparseloopEvaluator } from '@snipsnap/cost'
import type { MappingSpec } from '@snipsnap/core'
import { loadRandomDesign, parseRowMapping } from '../src/sparseloop-reference'

const DESIGN = 'fig15-STC-M512-K1024-N256-w0.5'
const SPARSELOOP_PER_SECOND = 22
const TARGET_PER_SECOND = 20_000

const { design, rows } = loadRandomDesign(DESIGN)
const mappings: MappingSpec[] = rows.map((row) => parseRowMapping(design, row))

/**
 * Runs `fn` over the mappings for about `seconds` of this process's CPU time and returns
 * evaluations per CPU-second (one core). CPU time, not wall time, so that other processes on a
 * shared machine do not distort the rate; the wall-clock rate is returned too.
 */
const measure = (seconds: number, fn: (m: MappingSpec) => unknown): { cpu: number; wall: number } => {
  let count = 0
  let sink = 0
  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  let cpuSeconds = 0
  while (cpuSeconds < seconds) {
    for (let round = 0; round < 10; round++) {
      for (const mapping of mappings) {
        const report = fn(mapping) as { valid: boolean }
        sink += report.valid ? 1 : 0
        count++
      }
    }
    const used = process.cpuUsage(cpuStart)
    cpuSeconds = (used.user + used.system) / 1e6
  }
  if (sink < 0) throw new Error('unreachable')
  return { cpu: count / cpuSeconds, wall: count / ((performance.now() - wallStart) / 1000) }
}

const evaluator = createSparseloopEvaluator(design)
measure(0.5, (m) => evaluator.evaluate(m)) // warm-up (JIT)
const rate = measure(3, (m) => evaluator.evaluate(m))
const unprepared = measure(1.5, (m) => createSparseloopEvaluator(design).evaluate(m))
const rssMB = process.memoryUsage().rss / (1024 * 1024)

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 })
process.stdout.write(
  [
    `sparseloop model, ${DESIGN}: ${mappings.length} random mappings (${rows.filter((r) => r.valid).length} valid)`,
    `  prepared design:   ${fmt(rate.cpu)} evaluations per CPU-second (${(1e6 / rate.cpu).toFixed(1)} µs each; wall clock ${fmt(rate.wall)}/s)`,
    `  ratio to Sparseloop (${SPARSELOOP_PER_SECOND}/s): ${fmt(rate.cpu / SPARSELOOP_PER_SECOND)}x`,
    `  baseline, same run (re-prepare per mapping): ${fmt(unprepared.cpu)} evaluations per CPU-second (prepared is ${(rate.cpu / unprepared.cpu).toFixed(1)}x faster)`,
    `  target ${fmt(TARGET_PER_SECOND)}/s: ${rate.cpu >= TARGET_PER_SECOND ? 'met' : 'NOT met'}`,
    `  resident memory: ${rssMB.toFixed(0)} MB (target < 300 MB): ${rssMB < 300 ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
)

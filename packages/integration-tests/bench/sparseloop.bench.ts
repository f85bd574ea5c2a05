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

/** Runs `fn` over the mappings for about `seconds`, returns evaluations per second. */
const measure = (seconds: number, fn: (m: MappingSpec) => unknown): number => {
  let count = 0
  let sink = 0
  const start = performance.now()
  let now = start
  while (now - start < seconds * 1000) {
    for (const mapping of mappings) {
      const report = fn(mapping) as { valid: boolean }
      sink += report.valid ? 1 : 0
      count++
    }
    now = performance.now()
  }
  if (sink < 0) throw new Error('unreachable')
  return count / ((now - start) / 1000)
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
    `  prepared design:   ${fmt(rate)} evaluations/s (${(1e6 / rate).toFixed(1)} µs each)`,
    `  ratio to Sparseloop (${SPARSELOOP_PER_SECOND}/s): ${fmt(rate / SPARSELOOP_PER_SECOND)}x`,
    `  baseline, same run (re-prepare per mapping): ${fmt(unprepared)} evaluations/s (prepared is ${(rate / unprepared).toFixed(1)}x faster)`,
    `  target ${fmt(TARGET_PER_SECOND)}/s: ${rate >= TARGET_PER_SECOND ? 'met' : 'NOT met'}`,
    `  resident memory: ${rssMB.toFixed(0)} MB (target < 300 MB): ${rssMB < 300 ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
)

import { readFileSync } from 'node:fs'
import { PerformanceObserver } from 'node:perf_hooks'
let gcMs = 0
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration }).observe({ entryTypes: ['gc'] })
import { parseTimeloopDesign, parseTimeloopMapping } from '@snipsnap/timeloop'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import { mappingTextOf } from './src/mapping-rows'
import { reportJsonText } from './src/actions/evaluate'
const dir = '/work/shared/reference/sparseloop-random/fig15-STC-M512-K1024-N256-w0.5/'
const design = parseTimeloopDesign([{ fileName: 'base.yaml', text: readFileSync(dir + 'base.yaml', 'utf8') }]).design as any
const buf = readFileSync(process.argv[2] ?? '/tmp/b12/d40.jsonl')
const spans: [number, number][] = []
let s = 0
for (let i = 0; i < buf.length; i++) if (buf[i] === 10) { spans.push([s, i]); s = i + 1 }
const ev = createSparseloopEvaluator(design)
const N = spans.length
const texts: string[] = new Array(N), maps: any[] = new Array(N), reps: any[] = new Array(N)

for (const pass of [0, 1, 2]) {
const per: string[] = []
const ev = createSparseloopEvaluator(design)
for (let c = 0; c < 12; c++) {
  const a = performance.now()
  for (let i = c * 150; i < (c + 1) * 150; i++) {
    const tx = mappingTextOf(buf, spans[i]![0], spans[i]![1])!
    const m = parseTimeloopMapping(tx, design.problem, design.arch, { fileName: 'x' })
    reportJsonText(ev.evaluate(m))
  }
  per.push(((performance.now() - a) * 1000 / 150).toFixed(0) + '/' + (gcMs * 1000 / 150).toFixed(0) + '/' + (process.memoryUsage().heapUsed / 1048576).toFixed(0)); gcMs = 0
}
console.log('pass', pass, 'fresh evaluator; µs/row per copy of 150:', per.join(' '))
}

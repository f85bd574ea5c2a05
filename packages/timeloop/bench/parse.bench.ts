// Benchmarks of @snipsnap/timeloop (run by `pnpm bench`; not timed tests): mapping rows parsed
// per second over the fig15 STC random mappings (the CLI's `--mappings` path), and full design
// parses per second, each against the bare YAML parse of the same text measured in the same run.
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { parseTimeloopMapping, parseTimeloopYaml } from '@snipsnap/timeloop'

const shared = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference')
const dir = path.join(shared, 'sparseloop-random', 'fig15-STC-M512-K1024-N256-w0.5')
const base = fs.readFileSync(path.join(dir, 'base.yaml'), 'utf8')
const rows = fs.readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { mapping: string }).mapping)
const design = parseTimeloopYaml([{ fileName: 'base.yaml', text: base }])

const rate = (label: string, fn: () => void, minMs = 1500): number => {
  for (let i = 0; i < 50; i++) fn()
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < minMs) {
    fn()
    n++
  }
  const perSecond = (n * 1000) / (performance.now() - t0)
  return perSecond
}

let i = 0
const rowParse = rate('rows', () => {
  parseTimeloopMapping(rows[i++ % rows.length] ?? '', design.problem, design.arch)
})
i = 0
const rowYaml = rate('yaml', () => {
  parse(rows[i++ % rows.length] ?? '')
})
console.log(`@snipsnap/timeloop benchmarks (${rows.length} fig15 STC random mappings)`)
console.log(`  parseTimeloopMapping: ${rowParse.toFixed(0)} rows/s; bare YAML parse: ${rowYaml.toFixed(0)} rows/s; ratio ${(rowParse / rowYaml).toFixed(2)} (overhead of validation and normalisation)`)

const caseText = fs.readFileSync(path.join(shared, 'sparseloop', 'fig15-STC-M512-K1024-N256-w0.5', 'input.yaml'), 'utf8')
const full = rate('design', () => {
  parseTimeloopYaml([{ fileName: 'input.yaml', text: caseText }])
}, 1000)
const fullYaml = rate('design-yaml', () => {
  parse(caseText)
}, 1000)
console.log(`  parseTimeloopYaml (fig15 STC input.yaml, ${caseText.length} chars): ${full.toFixed(0)} designs/s; bare YAML parse: ${fullYaml.toFixed(0)}/s; ratio ${(full / fullYaml).toFixed(2)}`)

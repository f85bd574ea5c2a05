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

// Rates are per CPU second (process.cpuUsage), so a busy shared machine skews them less than
// wall time would; both are printed.
const rate = (fn: () => void, minMs = 1500): { cpu: number; wall: number } => {
  for (let i = 0; i < 200; i++) fn()
  let n = 0
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  while (performance.now() - t0 < minMs) {
    fn()
    n++
  }
  const wallMs = performance.now() - t0
  const c = process.cpuUsage(c0)
  const cpuMs = (c.user + c.system) / 1000
  return { cpu: (n * 1000) / cpuMs, wall: (n * 1000) / wallMs }
}
const fmt = (r: { cpu: number; wall: number }): string => `${r.cpu.toFixed(0)}/CPU-s (${r.wall.toFixed(0)}/wall-s)`

let i = 0
const rowParse = rate(() => {
  parseTimeloopMapping(rows[i++ % rows.length] ?? '', design.problem, design.arch)
})
i = 0
const rowYaml = rate(() => {
  parse(rows[i++ % rows.length] ?? '')
})
console.log(`@snipsnap/timeloop benchmarks (${rows.length} fig15 STC random mappings)`)
console.log(`  parseTimeloopMapping: ${fmt(rowParse)} rows; bare \`yaml\` parse of the same rows: ${fmt(rowYaml)}; ratio ${(rowParse.cpu / rowYaml.cpu).toFixed(2)} (> 1 thanks to the row scanner, validation included)`)

const caseText = fs.readFileSync(path.join(shared, 'sparseloop', 'fig15-STC-M512-K1024-N256-w0.5', 'input.yaml'), 'utf8')
const full = rate(() => {
  parseTimeloopYaml([{ fileName: 'input.yaml', text: caseText }])
}, 1000)
const fullYaml = rate(() => {
  parse(caseText)
}, 1000)
console.log(`  parseTimeloopYaml (fig15 STC input.yaml, ${caseText.length} chars): ${fmt(full)} designs; bare \`yaml\` parse: ${fmt(fullYaml)}; ratio ${(full.cpu / fullYaml.cpu).toFixed(2)}`)

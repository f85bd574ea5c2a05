// Writes the (a)/(b)/(c) comparison of the explorer README from real `snipsnap codesign --json`
// runs, one per mode, on the same budget:
//   tsx bench/codesign-compare.ts joint.json dataflow-only.json dataflow-then-formats.json
// (a) hardware then dataflow with a fixed format = mode dataflow-only; (b) hardware then dataflow
// then formats = dataflow-then-formats; (c) the joint search = joint. Numbers are read from the
// runs' output, never typed in.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

interface Point { energyPJ: number; cycles: number; edp: number; areaUM2: number; foundAtS: number | null; hardware: Record<string, unknown>; layers: { formats: unknown[] }[] }
interface Run { mode: string; seed: number; baseline: Point; pareto: Point[]; evaluatedPoints: number; rejected: Record<string, number>; reusedLayers: number; stoppedBy: string; elapsedS: number; axes: { name: string; values: unknown[] }[] }

const label: Record<string, string> = {
  'dataflow-only': '(a) hardware → dataflow, fixed (uncompressed) formats',
  'dataflow-then-formats': '(b) hardware → dataflow → formats',
  joint: '(c) joint (formats co-searched at every point)',
}
const order = ['dataflow-only', 'dataflow-then-formats', 'joint']
const e = (v: number, d = 3): string => v.toExponential(d).replace(/e\+?(-?\d+)/, ' · 10^$1')
const hw = (p: Point): string => (Object.keys(p.hardware).length === 0 ? 'preset' : Object.entries(p.hardware).map(([k, v]) => `${k}=${String(v)}`).join(', '))
const BANDWIDTH = new Set(['dramBandwidth', 'glbBandwidth', 'peBufferBandwidth'])

const hasBandwidthAxes = (r: Run): boolean => r.axes.some((a) => BANDWIDTH.has(a.name))
const runs = process.argv
  .slice(2)
  .map((f) => JSON.parse(readFileSync(f, 'utf8')) as Run)
  .sort((a, b) => order.indexOf(a.mode) - order.indexOf(b.mode) || Number(hasBandwidthAxes(b)) - Number(hasBandwidthAxes(a)))
if (runs.length === 0) throw new Error('usage: codesign-compare.ts <run.json>…')
const reference = runs.find((r) => r.mode === 'joint' && hasBandwidthAxes(r))?.baseline ?? runs[0]?.baseline
if (reference === undefined) throw new Error('no baseline')
const lines = [
  `Measured on this 2-core shared machine, \`snipsnap codesign --model llama-2-7b --sparsity unstructured-50 --phase prefill --arch llm-default --budget-s 300 --mode <mode> --json\` (seed ${runs[0]?.seed ?? 1}, default axes or, where marked, the default axes without the three bandwidth axes (an \`--axes\` file: bench/codesign-runs/axes-nobw.yaml), 16 evaluations per dataflow search, objective edp). EDP ratios are against the joint run's baseline (the preset with co-searched formats: ${e(reference.edp)} pJ·cycles, ${(reference.areaUM2 / 1e6).toFixed(3)} mm²). Regenerate with \`tsx bench/codesign-compare.ts <runs>.json\`.`,
  '',
  '| search | points | Pareto | own baseline EDP | best EDP at ≤ preset area (× ref, area ×, found at) | its hardware | best point at ≤ preset area that changes no bandwidth |',
  '|---|---:|---:|---:|---|---|---|',
]
for (const r of runs) {
  const cands = r.pareto.filter((p) => p.areaUM2 <= r.baseline.areaUM2 && Object.keys(p.hardware).length > 0)
  const best = [...cands].sort((a, b) => a.edp - b.edp)[0]
  const nonBw = [...cands].filter((p) => !Object.keys(p.hardware).some((k) => BANDWIDTH.has(k))).sort((a, b) => a.edp - b.edp)[0]
  const cell = (p: Point | undefined) => (p === undefined ? '—' : `${(p.edp / reference.edp).toFixed(3)} ×, area ${(p.areaUM2 / r.baseline.areaUM2).toFixed(3)} ×${p.foundAtS !== null ? `, ${p.foundAtS.toFixed(0)} s` : ''}`)
  lines.push(
    `| ${label[r.mode] ?? r.mode}${hasBandwidthAxes(r) ? '' : ', bandwidth axes removed'} | ${r.evaluatedPoints} | ${new Set(r.pareto.map((p) => `${p.energyPJ}/${p.cycles}/${p.areaUM2}`)).size} | ${(r.baseline.edp / reference.edp).toFixed(3)} × | ${cell(best)} | ${best === undefined ? '—' : hw(best)} | ${nonBw === undefined ? '—' : `${cell(nonBw)}: ${hw(nonBw)}`} |`,
  )
}
lines.push('', `Reuse across neighbours (per-layer designs taken over from an evaluated neighbour): ${runs.map((r) => `${r.mode}${hasBandwidthAxes(r) ? '' : ' (no bandwidth axes)'} ${r.reusedLayers}`).join(', ')}. Stopped by: ${runs.map((r) => `${r.mode}${hasBandwidthAxes(r) ? '' : ' (no bandwidth axes)'} ${r.stoppedBy} after ${r.elapsedS.toFixed(0)} s`).join(', ')}.`)
const readme = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md')
const text = readFileSync(readme, 'utf8')
const begin = '<!-- codesign-comparison -->'
const end = '<!-- /codesign-comparison -->'
const at = text.indexOf(begin)
if (at < 0) throw new Error(`${readme}: no ${begin} marker`)
const stop = text.indexOf(end, at)
const next = `${text.slice(0, at)}${begin}\n${lines.join('\n')}\n${end}${stop < 0 ? text.slice(at + begin.length) : text.slice(stop + end.length)}`
writeFileSync(readme, next)
console.log(lines.join('\n'))

// The workloads README's native-vs-im2col tables are read from the saved runs
// (packages/explorer/bench/cnn-lowering-runs): every row's energies, ratio, cycles, layer counts
// and evaluations match its two JSON files, and every run used the same search settings for both
// lowerings. A rerun that changes a file without updating the README (or the reverse) fails here.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './sparseloop-reference'

interface RunJson {
  readonly lowering: string
  readonly totalEnergyPJ: number
  readonly totalCycles: number
  readonly evaluated: number
  readonly failedLayers: number
  readonly layers: readonly unknown[]
  readonly search: Readonly<Record<string, unknown>>
}

const runsDir = path.join(repoRoot, 'packages', 'explorer', 'bench', 'cnn-lowering-runs')
const readme = readFileSync(path.join(repoRoot, 'packages', 'workloads', 'README.md'), 'utf8')

/** The data rows of the table that follows `title` in the README, as cells. */
const tableAfter = (title: string): string[][] => {
  const at = readme.indexOf(title)
  if (at < 0) throw new Error(`the workloads README has no '${title}'`)
  const lines = readme.slice(at).split('\n').slice(1)
  const start = lines.findIndex((l) => l.startsWith('|'))
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'))
  return lines
    .slice(start + 2, end)
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()))
}

const int = (text: string | undefined): number => Number((text ?? '').replace(/,/g, ''))
const pair = (text: string | undefined): number[] => (text ?? '').split('/').map((t) => int(t.trim()))

const TABLES = [
  ['**Stopping rule (explore\'s defaults)**', '-defaults'],
  ['**48 evaluations per dataflow search**', ''],
] as const

describe('workloads README: native vs im2col tables', () => {
  it.each(TABLES)('%s: every row is its two saved runs', (title, suffix) => {
    const rows = tableAfter(title)
    expect(rows.map((r) => `${r[0]} ${r[1]}`)).toEqual(['resnet-50 eyeriss-like', 'resnet-50 llm-default', 'vgg-16 eyeriss-like', 'vgg-16 llm-default'])
    for (const row of rows) {
      const [model, arch] = row
      const run = (lowering: string): RunJson => {
        const file = path.join(runsDir, `${model}-${arch}-${lowering}${suffix}.json`)
        expect(existsSync(file), file).toBe(true)
        return JSON.parse(readFileSync(file, 'utf8')) as RunJson
      }
      const native = run('native')
      const im2col = run('im2col')
      expect([native.lowering, im2col.lowering]).toEqual(['native', 'im2col'])
      // Same budget for both lowerings.
      expect(native.search).toEqual(im2col.search)
      const label = `${model} ${arch}`
      expect(int(row[2]), label).toBe(Math.round(native.totalEnergyPJ / 1e6))
      expect(int(row[3]), label).toBe(Math.round(im2col.totalEnergyPJ / 1e6))
      expect(row[4], label).toBe((native.totalEnergyPJ / im2col.totalEnergyPJ).toFixed(2))
      expect([int(row[5]), int(row[6])], label).toEqual([native.totalCycles, im2col.totalCycles])
      expect(pair(row[7]), label).toEqual([native.layers.length, im2col.layers.length])
      expect(pair(row[8]), label).toEqual([native.evaluated, im2col.evaluated])
      // The text says every layer got a design in every run.
      expect([native.failedLayers, im2col.failedLayers], label).toEqual([0, 0])
    }
  })
})

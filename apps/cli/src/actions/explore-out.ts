// `snipsnap explore --out <dir>`: the run's files. `results.json` is exactly the `--json` object,
// `layers.csv` one row per layer and phase, `report.html` the self-contained report of
// @snipsnap/report (plots inlined as SVG, nothing loaded from the network). Reads only the
// printed result object; no domain logic here.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SnipSnapError } from '@snipsnap/core'
import type { ExploreReportLayer } from '@snipsnap/report'

/** The parts of a layer of the `--json` object the files use (later fields are optional). */
interface LayerJson {
  readonly names: readonly string[]
  readonly M: number
  readonly K: number
  readonly N: number
  /** `M×K×N`, or a native convolution's `N… C… M… R… S… P… Q… s…` (results of older versions may lack it). */
  readonly shape?: string
  readonly count: number
  readonly densities: Readonly<Record<string, number>>
  readonly energyPJ: number | null
  readonly cycles: number | null
  readonly dataflowOnlyEnergyPJ: number | null
  readonly formats: readonly { readonly level: string; readonly tensor: string; readonly format: string }[]
  readonly evaluated: number
  readonly reason: string | null
  readonly energyByLevel?: readonly { readonly level: string; readonly energyPJ: number }[]
  readonly points?: readonly { readonly energyPJ: number; readonly cycles: number; readonly stage?: string }[]
  readonly convergence?: readonly { readonly evaluated: number; readonly bestEnergyPJ: number }[]
  readonly baselines?: readonly { readonly name: string; readonly energyPJ: number | null }[]
  readonly mapping?: { readonly text: string; readonly pesUsed: number; readonly pesTotal: number } | null
  readonly interrupted?: boolean
}

/** One phase's result (the whole object when the run had one phase). */
interface PhaseJson {
  readonly phase: string
  readonly layers: readonly LayerJson[]
  readonly totalEnergyPJ: number
  readonly totalCycles: number
  readonly dataflowOnlyTotalEnergyPJ: number
  readonly baselineTotals?: readonly { readonly name: string; readonly energyPJ: number; readonly cycles: number }[]
}

/** What `snipsnap explore --json` prints, as far as the files read it. */
export interface ExploreJson extends PhaseJson {
  readonly model: string
  readonly arch: string
  readonly objective: readonly string[]
  readonly evaluated: number
  readonly failedLayers: number
  readonly elapsedS: number
  readonly phases?: readonly PhaseJson[]
  /** The search settings every layer's co-search and baselines used. */
  readonly search?: { readonly patience: number | null; readonly dataflowEvaluations: number; readonly strategy: string; readonly seed: number; readonly baselines: readonly string[] }
  readonly interrupted?: boolean
}

const phasesOf = (result: ExploreJson): readonly PhaseJson[] => (result.phases !== undefined && result.phases.length > 0 ? result.phases : [result])

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The layer's shape as the table prints it: a convolution's own, not its GEMM-equivalent M×K×N. */
const shapeText = (layer: LayerJson): string => layer.shape ?? `${layer.M}×${layer.K}×${layer.N}`

const formatsText = (layer: LayerJson): string => (layer.formats.length === 0 ? 'uncompressed' : layer.formats.map((f) => `${f.tensor}@${f.level}:${f.format}`).join(' '))

/** `layers.csv`: one row per layer and phase; energies in pJ of one run, baselines as columns. */
export const layersCsv = (result: ExploreJson): string => {
  const phases = phasesOf(result)
  const all = phases.flatMap((p) => p.layers)
  const tensors = [...new Set(all.flatMap((l) => Object.keys(l.densities)))]
  const levels = [...new Set(all.flatMap((l) => (l.energyByLevel ?? []).map((e) => e.level)))]
  const baselines = [...new Set(all.flatMap((l) => (l.baselines ?? []).map((b) => b.name)).filter((n) => n !== 'dataflow-only'))]
  const header = [
    'phase', 'layers', 'shape', 'M', 'K', 'N', 'count', ...tensors.map((t) => `density_${t}`), 'energy_pJ', 'cycles', ...levels.map((l) => `energy_${l}_pJ`),
    'dataflow_only_energy_pJ', ...baselines.map((b) => `${b}_energy_pJ`), 'evaluated', 'pes_used', 'pes_total', 'mapping', 'formats', 'interrupted', 'reason',
  ]
  const rows = phases.flatMap((p) =>
    p.layers.map((l) => [
      p.phase, l.names.join(' '), shapeText(l), l.M, l.K, l.N, l.count, ...tensors.map((t) => l.densities[t] ?? null), l.energyPJ, l.cycles,
      ...levels.map((lv) => l.energyByLevel?.find((e) => e.level === lv)?.energyPJ ?? null),
      l.dataflowOnlyEnergyPJ, ...baselines.map((b) => l.baselines?.find((x) => x.name === b)?.energyPJ ?? null), l.evaluated,
      l.mapping?.pesUsed ?? null, l.mapping?.pesTotal ?? null, l.mapping?.text ?? null,
      l.energyPJ === null ? '' : formatsText(l), l.interrupted === true ? 'true' : l.interrupted === false ? 'false' : null, l.reason,
    ]),
  )
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\n')}\n`
}

/** The report's layers: named by phase when there are several; dataflow-only is a baseline. */
const reportLayers = (result: ExploreJson): ExploreReportLayer[] => {
  const phases = phasesOf(result)
  return phases.flatMap((p) =>
    p.layers.map((l): ExploreReportLayer => {
      const baselines = [
        ...(l.dataflowOnlyEnergyPJ !== null && !(l.baselines ?? []).some((b) => b.name === 'dataflow-only') ? [{ name: 'dataflow-only', energyPJ: l.dataflowOnlyEnergyPJ }] : []),
        ...(l.baselines ?? []),
      ]
      return {
        name: `${phases.length > 1 ? `${p.phase} · ` : ''}${l.names.join(', ')}`,
        shape: shapeText(l),
        count: l.count,
        energyPJ: l.energyPJ,
        cycles: l.cycles,
        formats: l.energyPJ === null ? (l.reason ?? '') : formatsText(l),
        ...(l.mapping !== undefined && l.mapping !== null ? { mapping: `${l.mapping.text} (${l.mapping.pesUsed}/${l.mapping.pesTotal} PEs)` } : {}),
        ...(l.energyByLevel !== undefined ? { energyByLevel: l.energyByLevel } : {}),
        ...(l.points !== undefined ? { points: l.points } : {}),
        ...(l.convergence !== undefined ? { convergence: l.convergence } : {}),
        baselines,
      }
    }),
  )
}

const comparedText = (result: ExploreJson): string[] => {
  const phases = phasesOf(result)
  const layers = phases.reduce((s, p) => s + p.layers.length, 0)
  return [
    `For each of the ${layers} distinct layers of ${result.model} (${phases.map((p) => p.phase).join(' and ')}) on the ${result.arch} accelerator, SnipSnap co-searched the dataflow (mapping) and the compression format of every tensor at every storage level, minimising ${result.objective.join(', then ')}. Layers that share a shape and densities are searched once and counted as often as the model runs them.`,
    'Dataflow-only is the same dataflow search with the default formats: the difference is what choosing formats adds. Formats-only, where present, chooses formats on a fixed reference dataflow; a fixed-format baseline (bitmap, csr, coo, rle) uses that one format for every sparse tensor.',
    ...(result.search === undefined
      ? []
      : [
          `Search: ${result.search.patience === null ? `${result.search.dataflowEvaluations.toLocaleString('en-US')} evaluations per dataflow search` : `each dataflow search stops after ${result.search.patience} evaluations without improvement (at most ${result.search.dataflowEvaluations.toLocaleString('en-US')})`}, strategy ${result.search.strategy}, seed ${result.search.seed}.${result.search.baselines.length > 0 ? ` Every baseline (${result.search.baselines.join(', ')}) ran the same search with the same budget, only the format choice changed, so a saving shown is the format choice, not extra search.` : ''}`,
        ]),
    ...(result.interrupted === true ? ['The run was interrupted: layers hold the best found so far.'] : []),
    `${result.evaluated.toLocaleString('en-US')} cost-model evaluations in ${result.elapsedS.toFixed(1)} s${result.failedLayers > 0 ? `; ${result.failedLayers} layer(s) without a valid design are left out of the totals` : ''}. Energies are of one run of a layer, or of one forward pass for the model; results.json holds every figure and each layer's mapping.`,
  ]
}

/** Writes results.json, layers.csv and report.html into `dir` (created if missing). */
export const writeExploreOut = async (dir: string, result: ExploreJson): Promise<void> => {
  // Loaded only with --out: the plotting library is most of the report's code.
  const { exploreReportHtml } = await import('@snipsnap/report')
  const write = (file: string, text: string): void => {
    try {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, file), text)
    } catch (cause) {
      throw new SnipSnapError('IO_ERROR', `--out ${dir}: cannot write ${file}: ${(cause as Error).message}`, { path: ['--out'], cause })
    }
  }
  write('results.json', `${JSON.stringify(result, null, 2)}\n`)
  write('layers.csv', layersCsv(result))
  const phases = phasesOf(result)
  const totals = [
    ...(phases.length > 1 ? phases.flatMap((p) => [{ label: `${p.phase}`, energyPJ: p.totalEnergyPJ, cycles: p.totalCycles }]) : []),
    { label: phases.length > 1 ? 'model (all phases)' : `model (${result.phase})`, energyPJ: result.totalEnergyPJ, cycles: result.totalCycles },
    ...(result.baselineTotals !== undefined && result.baselineTotals.length > 0
      ? result.baselineTotals.map((b) => ({ label: `baseline: ${b.name}`, energyPJ: b.energyPJ, cycles: b.cycles, note: result.totalEnergyPJ > 0 && b.energyPJ > 0 ? `co-search uses ${((1 - result.totalEnergyPJ / b.energyPJ) * 100).toFixed(1)}% less energy` : '' }))
      : result.dataflowOnlyTotalEnergyPJ > 0
        ? [{ label: 'dataflow-only', energyPJ: result.dataflowOnlyTotalEnergyPJ, note: 'same search, default formats' }]
        : []),
  ]
  const html = exploreReportHtml({
    title: `${result.model} on ${result.arch}: co-searched dataflow and formats`,
    compared: comparedText(result),
    layers: reportLayers(result),
    totals,
    footer: `snipsnap explore, ${new Date().toISOString().slice(0, 10)}`,
  })
  write('report.html', html)
}

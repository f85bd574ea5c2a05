/// <reference lib="dom" />
// The design-space report of a co-search over a model's layers (`snipsnap explore --out`, the web
// app's results): where the energy goes per layer and level, the points each search visited, each
// search's convergence, the chosen formats against fixed-format baselines, and what was compared.
// Plain data in (no import of the explorer: any result shaped like this renders).
import { SnipSnapError } from '@snipsnap/core'
import { barPlot, linePlot, scatterPlot, type BarRow, type PlotFrame, type ScatterPoint } from './plots'
import { reportHtml, type ReportSection } from './html'

/** The unit that keeps the largest value readable: `{ scale, unit }` with value / scale in unit. */
export const energyUnit = (maxPJ: number): { readonly scale: number; readonly unit: string } => {
  for (const [scale, unit] of [[1e12, 'J'], [1e9, 'mJ'], [1e6, 'µJ'], [1e3, 'nJ']] as const) if (maxPJ >= scale) return { scale, unit }
  return { scale: 1, unit: 'pJ' }
}

/** An energy in the unit that suits it, e.g. `1.23 mJ`. */
export const formatEnergy = (pJ: number): string => {
  const { scale, unit } = energyUnit(Math.abs(pJ))
  return `${(pJ / scale).toPrecision(4)} ${unit}`
}

/** Energy of one layer at one level (a storage level or the compute). */
export interface LevelEnergyRow {
  readonly layer: string
  readonly level: string
  readonly energyPJ: number
}

/** Energy of each layer stacked by level. */
export const energyByLevelPlot = (rows: readonly LevelEnergyRow[], options: PlotFrame & { readonly what?: string } = {}): Element => {
  const totals = new Map<string, number>()
  for (const r of rows) totals.set(r.layer, (totals.get(r.layer) ?? 0) + r.energyPJ)
  const { scale, unit } = energyUnit(Math.max(0, ...totals.values()))
  return barPlot(
    rows.map((r): BarRow => ({ category: r.layer, value: r.energyPJ / scale, stack: r.level })),
    { ...options, valueLabel: `${options.what ?? 'energy'} (${unit}) →`, stackLabel: 'level' },
  )
}

/** A design a search evaluated (valid ones only). */
export interface SearchPointRow {
  readonly layer: string
  readonly energyPJ: number
  readonly cycles: number
  /** e.g. `dataflow`, `refine-dataflow`. */
  readonly stage?: string
}

/** Every (cycles, energy) point the searches visited, with each layer's chosen design as a star. */
export const searchPointsPlot = (points: readonly SearchPointRow[], chosen: readonly SearchPointRow[], options: PlotFrame = {}): Element => {
  // A log axis spans decades: take the unit of the smallest value so no tick reads "0.0006".
  const { scale, unit } = energyUnit(Math.min(...points.map((p) => p.energyPJ), ...chosen.map((p) => p.energyPJ)))
  const point = (p: SearchPointRow, marked: boolean): ScatterPoint => ({
    x: p.cycles,
    y: p.energyPJ / scale,
    series: p.layer,
    ...(!marked && p.stage !== undefined ? { symbol: p.stage } : {}),
    marked,
    label: marked ? `${p.layer}` : `${p.layer}${p.stage !== undefined ? ` (${p.stage})` : ''}: ${p.cycles.toLocaleString('en-US')} cycles, ${(p.energyPJ / scale).toPrecision(4)} ${unit}`,
  })
  return scatterPlot([...points.map((p) => point(p, false)), ...chosen.map((p) => point(p, true))], {
    ...options,
    x: { label: 'cycles (log) →', log: true },
    y: { label: `↑ energy of one run (${unit}, log)`, log: true },
    seriesLabel: 'layer',
    symbolLabel: 'stage',
  })
}

/** A layer's best energy after a number of evaluations. */
export interface ConvergenceRow {
  readonly layer: string
  readonly evaluated: number
  readonly bestEnergyPJ: number
}

/** Each layer's best energy so far against the evaluations spent, relative to its final best. */
export const convergencePlot = (rows: readonly ConvergenceRow[], options: PlotFrame = {}): Element => {
  const finals = new Map<string, number>()
  for (const r of rows) finals.set(r.layer, Math.min(finals.get(r.layer) ?? Number.POSITIVE_INFINITY, r.bestEnergyPJ))
  return linePlot(
    rows.map((r) => ({ x: Math.max(1, r.evaluated), y: r.bestEnergyPJ / (finals.get(r.layer) ?? 1), series: r.layer })),
    { ...options, x: { label: 'evaluations (log) →', log: true }, y: { label: '↑ best energy so far / final best' }, seriesLabel: 'layer' },
  )
}

/** One layer's energy with one design choice: the chosen one, or a baseline. */
export interface BaselineRow {
  readonly layer: string
  /** `chosen (co-search)`, a fixed format's name, `dataflow-only` … */
  readonly name: string
  readonly energyPJ: number
  readonly chosen: boolean
}

/**
 * For each layer, each baseline's energy relative to the chosen design (1 = the co-searched
 * design; 1.4 = the baseline spends 40% more), one panel per layer: layers whose energies differ by
 * orders of magnitude stay readable on one axis.
 */
export const baselinesPlot = (rows: readonly BaselineRow[], options: PlotFrame = {}): Element => {
  const chosen = new Map(rows.filter((r) => r.chosen).map((r) => [r.layer, r.energyPJ]))
  for (const r of rows) {
    const reference = chosen.get(r.layer)
    if (reference === undefined || !(reference > 0)) throw new SnipSnapError('INVALID_SPEC', `baselinesPlot: layer "${r.layer}" needs a chosen row with energyPJ > 0`, { path: ['baselinesPlot', r.layer] })
  }
  return barPlot(
    rows.map((r): BarRow => ({ category: r.name, value: r.energyPJ / (chosen.get(r.layer) ?? 1), group: r.layer, highlight: r.chosen })),
    { ...options, valueLabel: 'energy of one run, relative to the co-searched design (= 1) →' },
  )
}

/** One distinct layer of an explore result. */
export interface ExploreReportLayer {
  /** Unique among the layers (prefix the phase when there are several). */
  readonly name: string
  /** e.g. `4096×4096×2048`. */
  readonly shape?: string
  /** Runs per forward pass. */
  readonly count: number
  /** One run; null when the search found no valid design. */
  readonly energyPJ: number | null
  readonly cycles: number | null
  /** The chosen formats, as text. */
  readonly formats?: string
  readonly mapping?: string
  /** One run of the chosen design, by level (compute and each storage level). */
  readonly energyByLevel?: readonly { readonly level: string; readonly energyPJ: number }[]
  readonly points?: readonly { readonly energyPJ: number; readonly cycles: number; readonly stage?: string }[]
  readonly convergence?: readonly { readonly evaluated: number; readonly bestEnergyPJ: number }[]
  /** The same layer under each baseline (null: that baseline has no valid design). */
  readonly baselines?: readonly { readonly name: string; readonly energyPJ: number | null }[]
}

/** What {@link exploreReportHtml} renders. */
export interface ExploreReportInput {
  readonly title: string
  /** What was compared, how, with which budget: paragraphs. */
  readonly compared: readonly string[]
  readonly layers: readonly ExploreReportLayer[]
  /** Whole-model lines (e.g. per phase and total), shown as a table. */
  readonly totals?: readonly { readonly label: string; readonly energyPJ: number; readonly cycles?: number; readonly note?: string }[]
  readonly footer?: string
  readonly document?: Document
}

const has = <T>(list: readonly T[] | undefined): list is readonly T[] => list !== undefined && list.length > 0

/** Plot ids in the report (`data-plot` attributes), in order; only those with data appear. */
export const EXPLORE_REPORT_PLOTS = ['energy-by-level', 'search-points', 'convergence', 'baselines'] as const

/**
 * Where each report plot's marks are in the rendered page, as CSS selectors under its `data-plot`
 * element (Observable Plot labels each mark group with `aria-label`). For checking a rendered report.
 */
export const EXPLORE_REPORT_MARKS: Readonly<Record<(typeof EXPLORE_REPORT_PLOTS)[number], string>> = {
  'energy-by-level': 'g[aria-label=bar] rect',
  'search-points': 'g[aria-label=dot] > *',
  convergence: 'g[aria-label=line] path',
  baselines: 'g[aria-label=bar] rect',
}

/** The whole report as one self-contained HTML document. */
export const exploreReportHtml = (input: ExploreReportInput): string => {
  const frame: PlotFrame = input.document !== undefined ? { document: input.document, width: 900 } : { width: 900 }
  const layers = input.layers
  const valid = layers.filter((l) => l.energyPJ !== null && l.cycles !== null)
  const sections: ReportSection[] = [{ id: 'compared', heading: 'What was compared', text: input.compared }]
  if (has(input.totals)) {
    sections.push({
      id: 'totals',
      heading: 'Whole model',
      table: {
        columns: ['', 'energy', 'cycles', ''],
        numeric: [1, 2],
        rows: input.totals.map((t) => [t.label, formatEnergy(t.energyPJ), t.cycles === undefined ? '' : Math.round(t.cycles).toLocaleString('en-US'), t.note ?? '']),
      },
    })
  }
  const baselineNames = [...new Set(layers.flatMap((l) => (l.baselines ?? []).map((b) => b.name)))]
  const withMapping = layers.some((l) => l.mapping !== undefined)
  sections.push({
    id: 'layers',
    heading: 'Layers',
    table: {
      columns: ['layer', 'M×K×N', 'count', 'energy (one run)', 'cycles', ...baselineNames.map((n) => `vs ${n}`), 'formats', ...(withMapping ? ['dataflow'] : [])],
      numeric: [2, 3, 4, ...baselineNames.map((_, i) => 5 + i)],
      rows: layers.map((l) => [
        l.name,
        l.shape ?? '',
        String(l.count),
        l.energyPJ === null ? '—' : formatEnergy(l.energyPJ),
        l.cycles === null ? '—' : Math.round(l.cycles).toLocaleString('en-US'),
        ...baselineNames.map((n) => {
          const b = l.baselines?.find((x) => x.name === n)?.energyPJ
          return b === undefined || b === null || l.energyPJ === null || b <= 0 ? '—' : `${((1 - l.energyPJ / b) * 100).toFixed(1)}% less`
        }),
        l.formats ?? '',
        ...(withMapping ? [l.mapping ?? ''] : []),
      ]),
    },
  })
  const levelRows = valid.flatMap((l) => (l.energyByLevel ?? []).map((e) => ({ layer: l.name, level: e.level, energyPJ: e.energyPJ * l.count })))
  if (levelRows.length > 0) {
    sections.push({
      id: 'energy-by-level',
      heading: 'Energy per layer, by level',
      text: ['Each layer’s share of one forward pass (energy of one run × the number of runs), split into the compute and each storage level.'],
      plot: energyByLevelPlot(levelRows, { ...frame, what: 'energy over the forward pass' }),
    })
  }
  const points = valid.flatMap((l) => (l.points ?? []).map((p) => ({ layer: l.name, energyPJ: p.energyPJ, cycles: p.cycles, ...(p.stage !== undefined ? { stage: p.stage } : {}) })))
  if (points.length > 0) {
    const chosen = valid.map((l) => ({ layer: l.name, energyPJ: l.energyPJ ?? 0, cycles: l.cycles ?? 0 }))
    sections.push({
      id: 'search-points',
      heading: 'Designs the searches evaluated',
      text: ['Every valid design each layer’s search evaluated (energy and cycles of one run); the star is the design chosen.'],
      plot: searchPointsPlot(points, chosen, frame),
    })
  }
  const convergence = valid.flatMap((l) => (l.convergence ?? []).map((c) => ({ layer: l.name, evaluated: c.evaluated, bestEnergyPJ: c.bestEnergyPJ })))
  if (convergence.length > 0) {
    sections.push({
      id: 'convergence',
      heading: 'Convergence',
      text: ['Each layer’s best energy so far against the evaluations spent, relative to the best it ended with (1 = converged).'],
      plot: convergencePlot(convergence, frame),
    })
  }
  const baselineRows = valid.flatMap((l) =>
    has(l.baselines) && (l.energyPJ ?? 0) > 0
      ? [
          { layer: l.name, name: 'chosen (co-search)', energyPJ: l.energyPJ ?? 0, chosen: true },
          ...l.baselines.flatMap((b) => (b.energyPJ === null ? [] : [{ layer: l.name, name: b.name, energyPJ: b.energyPJ, chosen: false }])),
        ]
      : [],
  )
  if (baselineRows.length > 0) {
    sections.push({
      id: 'baselines',
      heading: 'Chosen design against the baselines',
      text: ['Energy of one run of each layer with each baseline, relative to the co-searched design (green, = 1): 1.40 means the baseline spends 40% more.'],
      plot: baselinesPlot(baselineRows, frame),
    })
  }
  return reportHtml({ title: input.title, sections, ...(input.footer !== undefined ? { footer: input.footer } : {}) })
}

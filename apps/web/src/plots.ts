// The result plots, drawn with Observable Plot (the library @snipsnap/report draws the CLI's
// report with, same catalog version). Builders take plain result data and a `document` and return
// an element; they know nothing of the page. They stay here rather than in @snipsnap/report
// because they are interactive (Plot's tips), while the report's builders draw static markup.
import * as Plot from '@observablehq/plot'

/** The unit that keeps the largest value readable, for an axis label. */
const energyScale = (maxPJ: number): { readonly scale: number; readonly unit: string } => {
  for (const [scale, unit] of [[1e12, 'J'], [1e9, 'mJ'], [1e6, 'µJ'], [1e3, 'nJ']] as const) if (maxPJ >= scale) return { scale, unit }
  return { scale: 1, unit: 'pJ' }
}

export interface LevelEnergyRow {
  readonly layer: string
  readonly level: string
  readonly energyPJ: number
}

/** Energy of one run of each layer, stacked by storage level (and compute). */
export const energyByLevelPlot = (rows: readonly LevelEnergyRow[], document: Document): Element => {
  const totals = new Map<string, number>()
  for (const r of rows) totals.set(r.layer, (totals.get(r.layer) ?? 0) + r.energyPJ)
  const { scale, unit } = energyScale(Math.max(0, ...totals.values()))
  return Plot.plot({
    document,
    marginLeft: 150,
    height: 40 + 34 * totals.size,
    x: { label: `energy of one run (${unit}) →`, grid: true },
    y: { label: null },
    color: { legend: true, label: 'level' },
    marks: [Plot.barX(rows, { y: 'layer', x: (d: LevelEnergyRow) => d.energyPJ / scale, fill: 'level', tip: true }), Plot.ruleX([0])],
  })
}

export interface PointRow {
  readonly layer: string
  readonly energyPJ: number
  readonly cycles: number
  readonly stage: string
}

/** Every valid (cycles, energy) point the searches evaluated, with each layer's chosen design marked. */
export const searchPointsPlot = (points: readonly PointRow[], chosen: readonly PointRow[], document: Document): Element => {
  // A log axis spans decades: take the unit of the smallest value so no tick reads "600m".
  const { scale, unit } = energyScale(Math.min(...points.map((p) => p.energyPJ), ...chosen.map((p) => p.energyPJ)))
  return Plot.plot({
    document,
    height: 320,
    grid: true,
    x: { type: 'log', label: 'cycles (log) →' },
    y: { type: 'log', label: `↑ energy of one run (${unit}, log)` },
    color: { legend: true, label: 'layer' },
    symbol: { legend: true },
    marks: [
      Plot.dot(points, { x: 'cycles', y: (d: PointRow) => d.energyPJ / scale, stroke: 'layer', symbol: 'stage', r: 2.5, opacity: 0.6 }),
      Plot.dot(chosen, { x: 'cycles', y: (d: PointRow) => d.energyPJ / scale, fill: 'layer', stroke: 'black', r: 7, symbol: 'star', tip: true, title: (d: PointRow) => `${d.layer}: chosen design` }),
    ],
  })
}

export interface BaselineRow {
  readonly layer: string
  /** `chosen (co-search)` or a fixed format name. */
  readonly format: string
  readonly energyPJ: number
  readonly chosen: boolean
}

/** The chosen formats against each fixed format, every one on the chosen mapping. */
export const baselinesPlot = (rows: readonly BaselineRow[], document: Document): Element => {
  const { scale, unit } = energyScale(Math.max(0, ...rows.map((r) => r.energyPJ)))
  const layers = new Set(rows.map((r) => r.layer)).size
  return Plot.plot({
    document,
    marginLeft: 130,
    height: 30 + layers * 150,
    x: { label: `energy of one run (${unit}) →`, grid: true },
    y: { label: null },
    fy: { label: null },
    color: { domain: [true, false], range: ['#2a9d8f', '#b0b7c3'], legend: false },
    marks: [
      Plot.barX(rows, { fy: 'layer', y: 'format', x: (d: BaselineRow) => d.energyPJ / scale, fill: 'chosen', tip: true, sort: { y: 'x' } }),
      Plot.text(rows, { fy: 'layer', y: 'format', x: (d: BaselineRow) => d.energyPJ / scale, text: (d: BaselineRow) => (d.energyPJ / scale).toPrecision(4), dx: 4, textAnchor: 'start' }),
      Plot.ruleX([0]),
    ],
  })
}

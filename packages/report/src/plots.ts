/// <reference lib="dom" />
// Generic plot builders over Observable Plot: plain rows in, a DOM element out (an <svg>, or a
// <figure> when the plot has a title or a legend). They draw into the `document` given (a
// browser's, or createDocument()'s outside one) and use no interaction, so the element serialises
// to static markup: tooltips are native SVG <title>s. Units are the caller's: pass values already
// in the unit the axis label names (see energyUnit).
import * as Plot from '@observablehq/plot'
import { SnipSnapError } from '@snipsnap/core'
import { createDocument } from './document'

/** What every builder accepts besides its data. */
export interface PlotFrame {
  /** Where to create elements; default a fresh createDocument(). */
  readonly document?: Document
  readonly title?: string
  readonly subtitle?: string
  readonly caption?: string
  /** Outer width in px (default 640). */
  readonly width?: number
  readonly height?: number
}

/** One axis of a scatter or line plot. */
export interface AxisOptions {
  readonly label: string
  /** Logarithmic axis (every value must be > 0). */
  readonly log?: boolean
}

const frame = (options: PlotFrame) => ({
  document: options.document ?? createDocument(),
  ...(options.title !== undefined ? { title: options.title } : {}),
  ...(options.subtitle !== undefined ? { subtitle: options.subtitle } : {}),
  ...(options.caption !== undefined ? { caption: options.caption } : {}),
  width: options.width ?? 640,
  ...(options.height !== undefined ? { height: options.height } : {}),
  style: { fontSize: '11px', background: 'white', overflow: 'visible' },
})

const axis = (a: AxisOptions) => ({ label: a.label, ...(a.log === true ? { type: 'log' as const } : {}) })

const checkFinite = (what: string, values: Iterable<number>, log: boolean | undefined): void => {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new SnipSnapError('INVALID_SPEC', `${what}: every value must be a finite number, got ${v}`, { path: [what] })
    if (log === true && v <= 0) throw new SnipSnapError('INVALID_SPEC', `${what}: a log axis needs values > 0, got ${v}`, { path: [what] })
  }
}

/** A point of {@link scatterPlot}. */
export interface ScatterPoint {
  readonly x: number
  readonly y: number
  /** A category: colour (e.g. the layer); with `value` absent. */
  readonly series?: string
  /** A number on a continuous colour scale (e.g. energy-delay product). */
  readonly value?: number
  /** A category drawn as the symbol (e.g. the search stage). */
  readonly symbol?: string
  /** Drawn large and outlined, with its label beside it (a chosen design, a preset). */
  readonly marked?: boolean
  /** Tooltip, and the text beside a marked point. */
  readonly label?: string
}

/** Options of {@link scatterPlot}. */
export interface ScatterOptions extends PlotFrame {
  readonly x: AxisOptions
  readonly y: AxisOptions
  /** Legend title of `series` (default none: the legend shows the names). */
  readonly seriesLabel?: string
  /** Legend title of `value`'s colour ramp, and whether the ramp is logarithmic. */
  readonly value?: { readonly label: string; readonly log?: boolean }
  readonly symbolLabel?: string
}

/**
 * Points on two axes (energy vs cycles, energy vs area …), coloured by a series or a value, with
 * marked points (chosen designs, baselines) drawn as outlined stars labelled beside them.
 */
export const scatterPlot = (points: readonly ScatterPoint[], options: ScatterOptions): Element => {
  checkFinite('scatterPlot x', points.map((p) => p.x), options.x.log)
  checkFinite('scatterPlot y', points.map((p) => p.y), options.y.log)
  const byValue = points.some((p) => p.value !== undefined)
  if (byValue) checkFinite('scatterPlot value', points.map((p) => p.value ?? 1), options.value?.log)
  const bySeries = !byValue && points.some((p) => p.series !== undefined)
  const bySymbol = points.some((p) => p.symbol !== undefined)
  const fill = byValue ? (p: ScatterPoint) => p.value : bySeries ? (p: ScatterPoint) => p.series ?? '' : () => '#4269d0'
  const plain = points.filter((p) => p.marked !== true)
  const marked = points.filter((p) => p.marked === true)
  const title = (p: ScatterPoint) => p.label ?? `${p.x}, ${p.y}`
  return Plot.plot({
    ...frame(options),
    height: options.height ?? 380,
    marginLeft: 60,
    marginRight: marked.length > 0 ? 80 : 20,
    // Points at the extremes stay clear of the frame.
    inset: 10,
    grid: true,
    x: axis(options.x),
    y: axis(options.y),
    ...(byValue
      ? { color: { type: options.value?.log === true ? ('log' as const) : ('linear' as const), scheme: 'viridis' as const, legend: true, label: options.value?.label ?? null } }
      : bySeries
        ? { color: { type: 'categorical' as const, domain: [...new Set(points.flatMap((p) => (p.series === undefined ? [] : [p.series])))], legend: true, label: options.seriesLabel ?? null } }
        : {}),
    ...(bySymbol ? { symbol: { domain: [...new Set(points.flatMap((p) => (p.symbol === undefined ? [] : [p.symbol])))], legend: true, label: options.symbolLabel ?? null } } : {}),
    marks: [
      Plot.dot(plain, { x: 'x', y: 'y', fill, ...(bySymbol ? { symbol: 'symbol' } : {}), r: 3, fillOpacity: 0.7, title }),
      Plot.dot(marked, { x: 'x', y: 'y', fill, symbol: 'star', r: 8, stroke: 'black', strokeWidth: 1.2, title }),
      Plot.text(marked, { x: 'x', y: 'y', text: (p: ScatterPoint) => p.label ?? '', dx: 10, textAnchor: 'start', fontWeight: 'bold' }),
    ],
  })
}

/** A bar (or a segment of a stacked bar) of {@link barPlot}. */
export interface BarRow {
  /** The bar's name on the category axis (e.g. a layer, a format). */
  readonly category: string
  readonly value: number
  /** Segments of one bar stacked by this key, coloured with a legend (e.g. the memory level). */
  readonly stack?: string
  /** One panel per group, stacked vertically (e.g. a layer, when categories are formats). */
  readonly group?: string
  /** Drawn in the accent colour (e.g. the chosen design among baselines). */
  readonly highlight?: boolean
}

/** Options of {@link barPlot}. */
export interface BarOptions extends PlotFrame {
  /** Label of the value axis, with its unit. */
  readonly valueLabel: string
  readonly stackLabel?: string
  /** Print each bar's value at its end (unstacked bars only; default true). */
  readonly showValues?: boolean
  /** Order categories by value, smallest first (default: as given). */
  readonly sortByValue?: boolean
  /** Left margin for long category names (default from the longest name). */
  readonly marginLeft?: number
}

const short = (v: number): string => (Math.abs(v) >= 1000 || v === 0 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3))

/**
 * Horizontal bars: one per category, stacked by `stack` (legend), highlighted ones in the accent
 * colour, one panel per `group`.
 */
export const barPlot = (rows: readonly BarRow[], options: BarOptions): Element => {
  checkFinite('barPlot value', rows.map((r) => r.value), false)
  const stacked = rows.some((r) => r.stack !== undefined)
  const grouped = rows.some((r) => r.group !== undefined)
  const highlighted = rows.some((r) => r.highlight === true)
  const categories = new Set(rows.map((r) => r.category))
  const groups = new Set(rows.map((r) => r.group ?? ''))
  const longest = Math.max(0, ...[...categories].map((c) => c.length))
  const longestGroup = grouped ? Math.max(0, ...[...groups].map((g) => g.length)) : 0
  const values = !stacked && options.showValues !== false
  const barsPerPanel = categories.size
  const sort = options.sortByValue === true ? { sort: { y: 'x' as const } } : {}
  const order = options.sortByValue === true ? {} : { domain: [...categories] }
  const fill = stacked ? 'stack' : highlighted ? (r: BarRow) => (r.highlight === true ? 'highlight' : 'other') : () => '#4269d0'
  const fy = grouped ? { fy: 'group' as const } : {}
  return Plot.plot({
    ...frame(options),
    height: options.height ?? 40 + groups.size * (barsPerPanel * 24 + 24),
    marginLeft: options.marginLeft ?? Math.min(260, 12 + longest * 6.5),
    // Panel names sit right of the panels.
    marginRight: grouped ? Math.min(260, 16 + longestGroup * 6.5) : 20,
    // Room for the printed values at the bars' ends.
    x: { label: options.valueLabel, grid: true, ...(values ? { insetRight: 44 } : {}) },
    y: { label: null, ...order },
    ...(grouped ? { fy: { label: null, domain: [...groups] } } : {}),
    ...(stacked
      ? { color: { type: 'categorical' as const, domain: [...new Set(rows.map((r) => r.stack ?? ''))], legend: true, label: options.stackLabel ?? null } }
      : highlighted
        ? { color: { domain: ['highlight', 'other'], range: ['#2a9d8f', '#b0b7c3'] } }
        : {}),
    marks: [
      Plot.barX(rows, { y: 'category', x: 'value', fill, ...fy, ...sort, title: (r: BarRow) => `${r.category}${r.stack !== undefined ? ` · ${r.stack}` : ''}: ${short(r.value)}` }),
      ...(values ? [Plot.text(rows, { y: 'category', x: 'value', ...fy, text: (r: BarRow) => short(r.value), dx: 4, textAnchor: 'start' })] : []),
      Plot.ruleX([0]),
    ],
  })
}

/** A point of a series of {@link linePlot}. */
export interface LinePoint {
  readonly x: number
  readonly y: number
  readonly series: string
}

/** Options of {@link linePlot}. */
export interface LineOptions extends PlotFrame {
  readonly x: AxisOptions
  readonly y: AxisOptions
  readonly seriesLabel?: string
}

/** One line per series (e.g. each layer's best energy so far against evaluations), as steps. */
export const linePlot = (points: readonly LinePoint[], options: LineOptions): Element => {
  checkFinite('linePlot x', points.map((p) => p.x), options.x.log)
  checkFinite('linePlot y', points.map((p) => p.y), options.y.log)
  return Plot.plot({
    ...frame(options),
    height: options.height ?? 320,
    grid: true,
    x: axis(options.x),
    y: axis(options.y),
    color: { type: 'categorical', domain: [...new Set(points.map((p) => p.series))], legend: true, label: options.seriesLabel ?? null },
    marks: [
      Plot.line(points, { x: 'x', y: 'y', stroke: 'series', curve: 'step-after', title: 'series' }),
      Plot.dot(points, Plot.selectLast({ x: 'x', y: 'y', fill: 'series', r: 3, z: 'series' })),
    ],
  })
}

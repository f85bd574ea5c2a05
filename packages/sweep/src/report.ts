// The sweep report (report.html): energy against area across the sweep and the sensitivity of
// energy to each axis, drawn with @snipsnap/report (Observable Plot), plus failed jobs.
import { barPlot, formatEnergy, reportHtml, scatterPlot, type BarRow, type ReportSection, type ScatterPoint } from '@snipsnap/report'
import type { SweepSummary } from './summary'

/** Axes the scatter colours by, first multi-valued one wins. */
const SERIES_AXES = ['formatSpace', 'sparsity', 'phase', 'model', 'arch']

/** The sweep report as one self-contained HTML document. */
export const sweepReportHtml = (summary: SweepSummary): string => {
  const ok = summary.rows.filter((r) => r.status === 'ok' && r.totalEnergyPJ !== null && r.totalEnergyPJ > 0 && r.areaUM2 !== null && r.areaUM2 > 0)
  const varying = new Set(summary.axes.filter((a) => a.values.length > 1).map((a) => a.name))
  const seriesAxis = SERIES_AXES.find((a) => varying.has(a))
  const sections: ReportSection[] = []
  if (ok.length > 0) {
    const points: ScatterPoint[] = ok.map((r) => ({
      x: r.areaUM2 as number,
      y: r.totalEnergyPJ as number,
      ...(seriesAxis === undefined ? {} : { series: String(r.axes[seriesAxis]) }),
      label: `${Object.entries(r.axes).filter(([n]) => varying.has(n)).map(([n, v]) => `${n}=${v}`).join(' ')} (${r.key})`,
    }))
    sections.push({
      id: 'energy-vs-area',
      heading: 'Energy against area',
      text: [`Whole-model energy of each job against the area of its accelerator${seriesAxis === undefined ? '' : `, coloured by ${seriesAxis}`}.`],
      plot: scatterPlot(points, {
        x: { label: 'area µm² →', log: true },
        y: { label: '↑ energy pJ', log: true },
        ...(seriesAxis === undefined ? {} : { seriesLabel: seriesAxis }),
      }),
    })
  }
  for (const s of summary.sensitivity) {
    const known = s.values.filter((v) => v.relativeEnergy !== null)
    const best = Math.min(...known.map((v) => v.relativeEnergy as number))
    const bars: BarRow[] = known.map((v) => ({ category: String(v.value), value: v.relativeEnergy as number, highlight: v.relativeEnergy === best }))
    if (bars.length === 0) continue
    sections.push({
      id: `sensitivity-${s.axis}`,
      heading: `Sensitivity to ${s.axis}`,
      text: [`Energy of each ${s.axis} value over the best one among jobs equal on every other axis (geometric mean; 1 = best).`],
      plot: barPlot(bars, { valueLabel: `energy / best ${s.axis} →`, height: 40 + 28 * bars.length }),
    })
  }
  const axisNames = summary.axes.filter((a) => varying.has(a.name)).map((a) => a.name)
  sections.push({
    id: 'jobs',
    heading: 'Jobs',
    table: {
      columns: ['key', ...axisNames, 'status', 'energy', 'area mm²', 'error'],
      rows: summary.rows.map((r) => [
        r.key,
        ...axisNames.map((n) => String(r.axes[n] ?? '')),
        r.status,
        r.totalEnergyPJ === null ? '' : formatEnergy(r.totalEnergyPJ),
        r.areaUM2 === null ? '' : (r.areaUM2 / 1e6).toFixed(3),
        r.error ?? '',
      ]),
      numeric: [axisNames.length + 2, axisNames.length + 3],
    },
  })
  return reportHtml({
    title: `Sweep ${summary.name}`,
    intro: [`${summary.jobs} jobs: ${summary.ok} ok, ${summary.failed} failed${summary.missing > 0 ? `, ${summary.missing} not computed yet` : ''}.`],
    sections,
  })
}

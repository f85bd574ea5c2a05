// Pareto scatter plots of a codesign run as standalone SVG (energy vs area, cycles vs area,
// coloured by EDP on a log scale). Presentation only; to be replaced by @snipsnap/report's
// Observable Plot builders once that package is available.
export interface PlotPoint {
  readonly x: number
  readonly y: number
  readonly edp: number
  readonly baseline: boolean
  readonly label: string
}

const W = 640
const H = 420
const M = { left: 90, right: 150, top: 30, bottom: 50 }

const log10 = (v: number): number => Math.log10(Math.max(v, Number.MIN_VALUE))
/** Five ticks evenly spaced in log space (ranges here often span less than a decade). */
const ticks = (lo: number, hi: number): number[] => [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo))
const tickLabel = (t: number): string => (10 ** t).toExponential(2)
// Viridis-like ramp (5 stops), low EDP = dark purple, high = yellow.
const RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725']
const colour = (t: number): string => RAMP[Math.min(RAMP.length - 1, Math.max(0, Math.round(t * (RAMP.length - 1))))] ?? RAMP[0] ?? '#000'
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/** One log–log scatter: x and y on log axes, colour = log EDP, the baseline as a ring. */
export const scatterSvg = (options: { readonly title: string; readonly xLabel: string; readonly yLabel: string; readonly points: readonly PlotPoint[] }): string => {
  const { points } = options
  const xs = points.map((p) => log10(p.x))
  const ys = points.map((p) => log10(p.y))
  const es = points.map((p) => log10(p.edp))
  const pad = (lo: number, hi: number): [number, number] => (hi - lo < 1e-9 ? [lo - 0.05, hi + 0.05] : [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05])
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs))
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys))
  const [e0, e1] = [Math.min(...es), Math.max(...es)]
  const sx = (v: number) => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right)
  const sy = (v: number) => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(options.title)}</text>`,
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">${esc(options.xLabel)} (log)</text>`,
    `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)} (log)</text>`,
  ]
  for (const t of ticks(x0, x1)) parts.push(`<text x="${sx(t)}" y="${H - M.bottom + 15}" text-anchor="middle">${tickLabel(t)}</text>`)
  for (const t of ticks(y0, y1)) parts.push(`<text x="${M.left - 6}" y="${sy(t) + 4}" text-anchor="end">${tickLabel(t)}</text>`)
  points.forEach((p, i) => {
    const t = e1 - e0 < 1e-12 ? 0 : ((es[i] ?? 0) - e0) / (e1 - e0)
    const cx = sx(xs[i] ?? 0).toFixed(1)
    const cy = sy(ys[i] ?? 0).toFixed(1)
    parts.push(`<circle cx="${cx}" cy="${cy}" r="5" fill="${colour(t)}"><title>${esc(p.label)}</title></circle>`)
    if (p.baseline) parts.push(`<circle cx="${cx}" cy="${cy}" r="9" fill="none" stroke="red" stroke-width="1.5"/><text x="${Number(cx) + 11}" y="${Number(cy) + 4}" fill="red">preset</text>`)
  })
  RAMP.forEach((c, i) => parts.push(`<rect x="${W - M.right + 30}" y="${M.top + 20 + i * 18}" width="14" height="18" fill="${c}"/>`))
  parts.push(`<text x="${W - M.right + 30}" y="${M.top + 12}">EDP (pJ·cycles)</text>`)
  parts.push(`<text x="${W - M.right + 48}" y="${M.top + 32}">${tickLabel(e0)}</text>`)
  parts.push(`<text x="${W - M.right + 48}" y="${M.top + 20 + RAMP.length * 18}">${tickLabel(e1)}</text>`)
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

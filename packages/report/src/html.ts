/// <reference lib="dom" />
// A self-contained HTML report: inline CSS, plots inlined as SVG (and Plot's HTML legends), no
// script and no URL to load, so it opens from disk, offline, in any browser.
import { escapeXml } from './svg'

/** A table in a report section: header cells and rows of text (numbers formatted by the caller). */
export interface ReportTable {
  readonly columns: readonly string[]
  readonly rows: readonly (readonly string[])[]
  /** Columns to right-align (numbers). */
  readonly numeric?: readonly number[]
}

/** One section of a report. */
export interface ReportSection {
  /** Anchor id, also `data-plot` on the plot's container (what tests and links find). */
  readonly id: string
  readonly heading: string
  /** Paragraphs of plain text. */
  readonly text?: readonly string[]
  /** A plot element, or markup already serialised. */
  readonly plot?: Element | string
  readonly table?: ReportTable
}

/** What {@link reportHtml} writes. */
export interface ReportOptions {
  readonly title: string
  /** Paragraphs under the title. */
  readonly intro?: readonly string[]
  readonly sections: readonly ReportSection[]
  /** A line at the bottom (e.g. the tool's version and the date). */
  readonly footer?: string
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1f24; margin: 0 auto; padding: 24px; max-width: 1000px; background: #fafafa; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
nav a { margin-right: 12px; }
.plot { background: white; border: 1px solid #e3e3e3; padding: 8px; overflow-x: auto; }
.plot figure { margin: 0; }
table { border-collapse: collapse; font-size: 12px; background: white; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 32px; color: #666; font-size: 12px; }
`

const paragraphs = (text: readonly string[] | undefined): string => (text ?? []).map((t) => `<p>${escapeXml(t)}</p>`).join('\n')

const tableHtml = (table: ReportTable): string => {
  const numeric = new Set(table.numeric ?? [])
  const head = `<tr>${table.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>`
  const body = table.rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${escapeXml(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`
}

const plotHtml = (plot: Element | string): string => {
  if (typeof plot === 'string') return plot
  const copy = plot.cloneNode(true) as Element
  // An inline <svg> in HTML needs no namespace; Plot's xmlns attribute is harmless but dropped for size.
  return copy.outerHTML
}

/** The report as one HTML document (a string to write to `report.html`). */
export const reportHtml = (options: ReportOptions): string => {
  const nav = options.sections.length > 1 ? `<nav>${options.sections.map((s) => `<a href="#${escapeXml(s.id)}">${escapeXml(s.heading)}</a>`).join('')}</nav>` : ''
  const sections = options.sections.map((s) =>
    [
      `<section id="${escapeXml(s.id)}">`,
      `<h2>${escapeXml(s.heading)}</h2>`,
      paragraphs(s.text),
      s.plot !== undefined ? `<div class="plot" data-plot="${escapeXml(s.id)}">${plotHtml(s.plot)}</div>` : '',
      s.table !== undefined ? tableHtml(s.table) : '',
      '</section>',
    ]
      .filter((x) => x !== '')
      .join('\n'),
  )
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network: nothing may be fetched, not even a favicon.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<link rel="icon" href="data:,">',
    `<title>${escapeXml(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeXml(options.title)}</h1>`,
    paragraphs(options.intro),
    nav,
    ...sections,
    options.footer !== undefined ? `<footer>${escapeXml(options.footer)}</footer>` : '',
    '</body>',
    '</html>',
    '',
  ]
    .filter((x) => x !== '')
    .join('\n')
}

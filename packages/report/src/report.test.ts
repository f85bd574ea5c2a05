import { SnipSnapError } from '@snipsnap/core'
import { parseHTML } from 'linkedom'
import { describe, expect, it } from 'vitest'
import { exploreFixture } from '../test/fixture'
import { barPlot, createDocument, EXPLORE_REPORT_PLOTS, exploreReportHtml, linePlot, plotToSvg, reportHtml, scatterPlot } from './index'

const parseSvg = (text: string): Document => {
  const { DOMParser } = parseHTML('<!doctype html><html></html>') as unknown as { DOMParser: typeof globalThis.DOMParser }
  return new DOMParser().parseFromString(text, 'image/svg+xml')
}

describe('scatterPlot', () => {
  const points = Array.from({ length: 12 }, (_, i) => ({ x: 10 + i, y: 2 ** (i / 3), value: 10 ** (i / 4), label: `p${i}`, marked: i === 3 }))

  it('draws one dot per point, the marked one as a labelled star, and a self-contained colour ramp', () => {
    const plot = scatterPlot(points, { x: { label: 'area µm²', log: true }, y: { label: 'energy pJ', log: true }, value: { label: 'EDP', log: true }, title: 'energy vs area' })
    expect(plot.tagName.toLowerCase()).toBe('figure')
    const dots = plot.querySelectorAll('g[aria-label=dot] > *')
    expect(dots.length).toBe(points.length)
    expect(plot.querySelector('g[aria-label=text]')?.textContent).toBe('p3')
    const ramp = plot.querySelector('image')
    expect(ramp?.getAttribute('xlink:href') ?? ramp?.getAttribute('href')).toMatch(/^data:image\/svg\+xml,/)
  })

  it('serialises to one standalone SVG document holding the title, the legend and the dots', () => {
    const svg = plotToSvg(scatterPlot(points, { x: { label: 'x' }, y: { label: 'y' }, value: { label: 'EDP' }, title: 'T<&>' }))
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg).toContain('T&lt;&amp;&gt;')
    const doc = parseSvg(svg)
    expect(doc.querySelectorAll('g[aria-label=dot] > *').length).toBe(points.length)
    expect(doc.querySelectorAll('svg').length).toBeGreaterThanOrEqual(3) // outer, legend, plot
  })

  it('draws series with swatches that survive as SVG', () => {
    const plot = scatterPlot(
      points.map((p, i) => ({ x: p.x, y: p.y, series: i % 2 === 0 ? 'even' : 'odd' })),
      { x: { label: 'x' }, y: { label: 'y' }, seriesLabel: 'parity' },
    )
    const svg = parseSvg(plotToSvg(plot))
    const labels = Array.from(svg.querySelectorAll('text')).map((t) => t.textContent)
    expect(labels).toEqual(expect.arrayContaining(['even', 'odd']))
  })

  it('rejects a non-finite value or a non-positive one on a log axis, naming the field', () => {
    expect(() => scatterPlot([{ x: Number.NaN, y: 1 }], { x: { label: 'x' }, y: { label: 'y' } })).toThrowError(/scatterPlot x: every value must be a finite number, got NaN/)
    try {
      scatterPlot([{ x: 1, y: 0 }], { x: { label: 'x' }, y: { label: 'y', log: true } })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(SnipSnapError)
      expect((e as SnipSnapError).message).toContain('scatterPlot y: a log axis needs values > 0, got 0')
    }
  })

  it('renders the same markup for the same data', () => {
    const a = plotToSvg(scatterPlot(points, { x: { label: 'x' }, y: { label: 'y' } }))
    const b = plotToSvg(scatterPlot(points, { x: { label: 'x' }, y: { label: 'y' }, document: createDocument() }))
    expect(a).toBe(b)
  })
})

describe('barPlot and linePlot', () => {
  it('stacks segments with a legend, one rect per row', () => {
    const rows = ['a', 'b', 'c'].flatMap((category) => ['DRAM', 'GLB'].map((stack, i) => ({ category, stack, value: i + 1 })))
    const plot = barPlot(rows, { valueLabel: 'energy µJ' })
    expect(plot.querySelectorAll('g[aria-label=bar] rect').length).toBe(rows.length)
    expect(plot.textContent).toContain('DRAM')
  })

  it('panels per group, highlights and prints values', () => {
    const rows = [
      { group: 'L1', category: 'chosen', value: 1, highlight: true },
      { group: 'L1', category: 'csr', value: 2 },
      { group: 'L2', category: 'chosen', value: 3, highlight: true },
      { group: 'L2', category: 'csr', value: 4 },
    ]
    const plot = barPlot(rows, { valueLabel: 'energy' })
    const fills = Array.from(plot.querySelectorAll('g[aria-label=bar] rect')).map((r) => r.getAttribute('fill'))
    expect(fills.filter((f) => f === '#2a9d8f').length).toBe(2)
    expect(Array.from(plot.querySelectorAll('g[aria-label=text] text')).map((t) => t.textContent)).toEqual(expect.arrayContaining(['1.00', '4.00']))
  })

  it('draws one line per series', () => {
    const plot = linePlot(
      [1, 2, 3].flatMap((x) => ['a', 'b'].map((series) => ({ x, y: x * (series === 'a' ? 1 : 2), series }))),
      { x: { label: 'n' }, y: { label: 'best' } },
    )
    expect(plot.querySelectorAll('g[aria-label=line] path').length).toBe(2)
  })
})

describe('exploreReportHtml', () => {
  const html = exploreReportHtml(exploreFixture)

  it('holds every plot with marks, the tables and the comparison text', () => {
    const { document } = parseHTML(html)
    for (const id of EXPLORE_REPORT_PLOTS) expect(document.querySelector(`[data-plot=${id}] svg`), id).not.toBeNull()
    expect(document.querySelectorAll('[data-plot=energy-by-level] g[aria-label=bar] rect').length).toBe(3 * 4)
    expect(document.querySelectorAll('[data-plot=search-points] g[aria-label=dot] > *').length).toBe(3 * 40 + 3)
    expect(document.querySelectorAll('[data-plot=convergence] g[aria-label=line] path').length).toBe(3)
    // Per layer: chosen, dataflow-only, bitmap (csr has no valid design).
    expect(document.querySelectorAll('[data-plot=baselines] g[aria-label=bar] rect').length).toBe(3 * 3)
    // Relative to the chosen design: the fixture's dataflow-only is 1.3×, bitmap 1.1× in every layer.
    const values = Array.from(document.querySelectorAll('[data-plot=baselines] g[aria-label=text] text')).map((t) => t.textContent)
    expect(values).toEqual(['1.00', '1.30', '1.10', '1.00', '1.30', '1.10', '1.00', '1.30', '1.10'])
    expect(document.querySelector('#compared')?.textContent).toContain('same budget')
    expect(document.querySelectorAll('#layers tbody tr').length).toBe(3)
    expect(document.querySelector('#layers thead')?.textContent).toContain('vs dataflow-only')
    expect(document.querySelector('#layers thead')?.textContent).not.toContain('dataflow ') // no mapping given: no column
    const mapped = parseHTML(exploreReportHtml({ ...exploreFixture, layers: exploreFixture.layers.map((l) => ({ ...l, mapping: 'DRAM[K4] | PE×16[N16]' })) })).document
    expect(mapped.querySelector('#layers tbody tr')?.textContent).toContain('PE×16[N16]')
  })

  it('loads nothing: no script, no external URL', () => {
    expect(html).not.toMatch(/<script/i)
    const urls = html.match(/(?:href|src)="(?!#|data:)[^"]*"/g) ?? []
    expect(urls).toEqual([])
    expect(html.replace(/xmlns(:xlink)?="http[^"]*"/g, '')).not.toMatch(/https?:\/\//)
  })

  it('leaves out a plot without data', () => {
    const bare = exploreReportHtml({ ...exploreFixture, layers: exploreFixture.layers.map(({ name, count, energyPJ, cycles }) => ({ name, count, energyPJ, cycles })) })
    expect(bare).not.toContain('data-plot=')
    expect(bare).toContain('What was compared')
  })
})

describe('reportHtml', () => {
  it('escapes text and keeps sections in order', () => {
    const html = reportHtml({ title: 'a <b>', sections: [{ id: 's1', heading: 'one', text: ['x & y'] }, { id: 's2', heading: 'two', table: { columns: ['c'], rows: [['<i>']] } }] })
    expect(html).toContain('<title>a &lt;b&gt;</title>')
    expect(html).toContain('x &amp; y')
    expect(html.indexOf('id="s1"')).toBeLessThan(html.indexOf('id="s2"'))
    expect(html).toContain('<td>&lt;i&gt;</td>')
  })
})

/// <reference lib="dom" />
// One standalone SVG file from a plot element. Plot returns a bare <svg>, or a <figure> holding a
// title (h2), subtitle (h3), legends (an <svg> colour ramp, or HTML swatches) and the plot's <svg>,
// and a caption. The figure is laid out top to bottom in one <svg>: headings and captions become
// <text>, swatch legends become rows of squares and names, each <svg> is nested at its offset.

const SVG_NS = 'http://www.w3.org/2000/svg'

/** Escapes text for XML content and attribute values. */
export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const numberAttr = (element: Element, name: string, fallback: number): number => {
  const value = Number.parseFloat(element.getAttribute(name) ?? '')
  return Number.isFinite(value) ? value : fallback
}

/** An <svg> element's markup with the SVG namespace declared (nested SVG needs none). */
const svgMarkup = (svg: Element, attributes: Record<string, string | number> = {}): string => {
  const copy = svg.cloneNode(true) as Element
  if (!copy.hasAttribute('xmlns')) copy.setAttribute('xmlns', SVG_NS)
  for (const [k, v] of Object.entries(attributes)) copy.setAttribute(k, String(v))
  return copy.outerHTML
}

/** Rough text width for layout (Plot estimates the same way without a canvas). */
const textWidth = (text: string, fontSize: number): number => text.length * fontSize * 0.6

const children = (element: Element): Element[] => Array.from(element.children)

/**
 * The standalone SVG document of a plot element (from {@link scatterPlot}, {@link barPlot},
 * {@link linePlot} or any Observable Plot figure): opens on its own in a browser or an editor.
 */
export const plotToSvg = (plot: Element): string => {
  if (plot.tagName.toLowerCase() === 'svg') return `${svgMarkup(plot)}\n`
  const parts: string[] = []
  let y = 0
  let width = 0
  const text = (content: string, fontSize: number, weight = 'normal'): void => {
    y += fontSize + 6
    parts.push(`<text x="0" y="${y}" font-size="${fontSize}" font-weight="${weight}">${escapeXml(content)}</text>`)
    width = Math.max(width, textWidth(content, fontSize))
    y += 4
  }
  const swatches = (legend: Element): void => {
    let x = 0
    const rowHeight = 18
    const rowTop = y + 4
    let row = 0
    for (const swatch of Array.from(legend.querySelectorAll('.plot-swatch, span'))) {
      const icon = swatch.querySelector('svg')
      if (icon === null) continue
      const label = (swatch.textContent ?? '').trim()
      const itemWidth = 15 + 4 + textWidth(label, 11) + 14
      if (x > 0 && x + itemWidth > 640) {
        x = 0
        row++
      }
      const top = rowTop + row * rowHeight
      parts.push(`<g transform="translate(${x} ${top})">${svgMarkup(icon, { x: 0, y: 0 })}<text x="19" y="12" font-size="11">${escapeXml(label)}</text></g>`)
      x += itemWidth
      width = Math.max(width, x)
    }
    y = rowTop + (row + 1) * rowHeight + 4
  }
  for (const child of children(plot)) {
    const tag = child.tagName.toLowerCase()
    if (tag === 'h2') text(child.textContent ?? '', 16, 'bold')
    else if (tag === 'h3') text(child.textContent ?? '', 12)
    else if (tag === 'figcaption') text(child.textContent ?? '', 11)
    else if (tag === 'svg') {
      const w = numberAttr(child, 'width', 640)
      const h = numberAttr(child, 'height', 400)
      parts.push(svgMarkup(child, { x: 0, y }).replace(` xmlns="${SVG_NS}"`, ''))
      y += h + 4
      width = Math.max(width, w)
    } else if (tag === 'div' || tag === 'style') {
      if (tag === 'div') swatches(child)
    }
  }
  const w = Math.ceil(width)
  const h = Math.ceil(y)
  return `<svg xmlns="${SVG_NS}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="system-ui, sans-serif"><rect width="${w}" height="${h}" fill="white"/>${parts.join('')}</svg>\n`
}

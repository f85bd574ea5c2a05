/// <reference lib="dom" />
// A DOM document for Observable Plot outside the browser, from linkedom (pure JavaScript: no Node
// built-in, no native module). linkedom's <canvas> draws nothing, and Plot paints a continuous
// colour legend on a canvas; the canvas here records the colours painted and turns them into an
// SVG gradient image, so a ramp legend stays self-contained vector graphics.
import { parseHTML } from 'linkedom'

interface RecordingContext {
  fillStyle: string
  fillRect(x: number, y: number, width: number, height: number): void
}

/** Every `step`-th painted column as a gradient stop (the ramp is 256 columns of smooth colour). */
const gradientDataUrl = (columns: readonly string[], step = 8): string => {
  const stops: string[] = []
  const last = columns.length - 1
  for (let i = 0; i <= last; i += step) stops.push(`<stop offset="${(i / Math.max(1, last)).toFixed(4)}" stop-color="${columns[i]}"/>`)
  if (last % step !== 0) stops.push(`<stop offset="1" stop-color="${columns[last]}"/>`)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${columns.length}" height="1" viewBox="0 0 ${columns.length} 1" preserveAspectRatio="none"><linearGradient id="g">${stops.join('')}</linearGradient><rect width="${columns.length}" height="1" fill="url(#g)"/></svg>`
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

/** Gives a linkedom canvas element a 2D context that records fillRect colours, and toDataURL an SVG. */
const recordingCanvas = (canvas: HTMLCanvasElement): HTMLCanvasElement => {
  const columns: string[] = []
  const context: RecordingContext = {
    fillStyle: '#000',
    fillRect(x) {
      columns[Math.max(0, Math.round(x))] = String(this.fillStyle)
    },
  }
  Object.defineProperty(canvas, 'getContext', { value: () => context })
  Object.defineProperty(canvas, 'toDataURL', { value: () => (columns.length === 0 ? '' : gradientDataUrl(columns.map((c) => c ?? '#000'))) })
  return canvas
}

/**
 * A standalone HTML document to draw plots into (Node, workers, tests; in a browser pass
 * `window.document` instead).
 */
export const createDocument = (): Document => {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>') as unknown as { document: Document }
  const createElement = document.createElement.bind(document)
  Object.defineProperty(document, 'createElement', {
    value: (name: string, options?: ElementCreationOptions) => {
      const element = createElement(name, options)
      return name.toLowerCase() === 'canvas' ? recordingCanvas(element as HTMLCanvasElement) : element
    },
  })
  return document
}

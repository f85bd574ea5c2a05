// Debian's chromium for the browser tests, driven by playwright-core. `.ci/run` installs it with
// apt-get; without it the browser tests are skipped locally and fail under CI=true.
import { existsSync, mkdirSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Whether the browser tests run here: chromium present, or CI (where its absence must fail). */
export const browserTestsEnabled = (): boolean => existsSync(CHROMIUM) || process.env['CI'] === 'true'

/** Starts headless chromium; `artifacts` (screenshots, timings) is created first. */
export const launchChromium = async (artifacts: string): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`)
  mkdirSync(artifacts, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export type { Browser, Page } from 'playwright-core'

/** A page opened on a local file, with what it reported while loading. */
export interface FilePage {
  readonly page: Page
  /** Script errors and console errors. */
  readonly errors: string[]
  /** Requests for anything but the file itself and inline `data:` URLs (a self-contained page makes none). */
  readonly externalRequests: () => string[]
}

/** Opens a file from disk (as a user double-clicking a report would) and records errors and requests. */
export const openFilePage = async (browser: Browser, file: string, viewport = { width: 1100, height: 900 }): Promise<FilePage> => {
  const page = await browser.newPage({ viewport })
  const errors: string[] = []
  const requests: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('request', (r) => requests.push(r.url()))
  const url = pathToFileURL(file).href
  await page.goto(url)
  return { page, errors, externalRequests: () => requests.filter((r) => r !== url && !r.startsWith('data:')) }
}

/** How one plot (`[data-plot=<id>]`) rendered: its mark count, its size and its first mark's size. */
export interface PlotDrawing {
  readonly id: string
  readonly marks: number
  readonly widthPx: number
  readonly heightPx: number
  readonly firstMarkWidthPlusHeightPx: number
}

/** Measures each plot of a report page, given each plot's mark selector. */
export const measurePlots = async (page: Page, marksByPlot: Readonly<Record<string, string>>): Promise<PlotDrawing[]> => {
  const drawings: PlotDrawing[] = []
  for (const [id, selector] of Object.entries(marksByPlot)) {
    const marks = page.locator(`[data-plot=${id}] ${selector}`)
    const count = await marks.count()
    const plot = await page.locator(`[data-plot=${id}] svg`).last().boundingBox()
    const mark = count > 0 ? await marks.first().boundingBox() : null
    drawings.push({ id, marks: count, widthPx: plot?.width ?? 0, heightPx: plot?.height ?? 0, firstMarkWidthPlusHeightPx: (mark?.width ?? 0) + (mark?.height ?? 0) })
  }
  return drawings
}

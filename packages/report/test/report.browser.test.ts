// The explore report opened from disk in headless chromium (Debian's, through playwright-core):
// every plot draws its marks at a visible size, nothing is fetched, no script error; the
// screenshot is kept in test-artifacts/report.png.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { browserTestsEnabled, launchChromium, type Browser } from '@snipsnap/browser-test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPLORE_REPORT_PLOTS, exploreReportHtml } from '../src/index'
import { exploreFixture } from './fixture'

const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'test-artifacts')

/** Marks of each plot: Plot labels each mark's group (`g[aria-label=bar]` …). */
const MARKS: Record<(typeof EXPLORE_REPORT_PLOTS)[number], string> = {
  'energy-by-level': 'g[aria-label=bar] rect',
  'search-points': 'g[aria-label=dot] > *',
  convergence: 'g[aria-label=line] path',
  baselines: 'g[aria-label=bar] rect',
}

describe.skipIf(!browserTestsEnabled())('report.html in chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium(ARTIFACTS)
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('opens from disk and every plot draws its marks', async () => {
    const file = path.join(ARTIFACTS, 'report.html')
    writeFileSync(file, exploreReportHtml(exploreFixture))
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    const errors: string[] = []
    const requests: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    page.on('request', (r) => requests.push(r.url()))
    const url = pathToFileURL(file).href
    await page.goto(url)
    for (const id of EXPLORE_REPORT_PLOTS) {
      const marks = page.locator(`[data-plot=${id}] ${MARKS[id]}`)
      expect(await marks.count(), id).toBeGreaterThan(0)
      // Drawn, not only present: the plot and its first mark have an area on the page.
      const plot = await page.locator(`[data-plot=${id}] svg`).last().boundingBox()
      expect(plot?.width ?? 0, id).toBeGreaterThan(300)
      expect(plot?.height ?? 0, id).toBeGreaterThan(100)
      const mark = await marks.first().boundingBox()
      expect((mark?.width ?? 0) + (mark?.height ?? 0), `${id} first mark`).toBeGreaterThan(0)
    }
    // The colour ramp and swatch legends render too (the points plot has swatches).
    expect(await page.locator('[data-plot=search-points] .plot-swatch, [data-plot=search-points] [class$=-swatch]').count()).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true })
    expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})

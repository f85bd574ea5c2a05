// The explore report opened from disk in headless chromium (Debian's, through playwright-core):
// every plot draws its marks at a visible size, nothing is fetched, no script error; the
// screenshot is kept in test-artifacts/report.png.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { browserTestsEnabled, launchChromium, measurePlots, openFilePage, type Browser } from '@snipsnap/browser-test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPLORE_REPORT_MARKS, exploreReportHtml } from '../src/index'
import { exploreFixture } from './fixture'

const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'test-artifacts')

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
    const { page, errors, externalRequests } = await openFilePage(browser, file)
    for (const plot of await measurePlots(page, EXPLORE_REPORT_MARKS)) {
      expect(plot.marks, plot.id).toBeGreaterThan(0)
      // Drawn, not only present: the plot and its first mark have an area on the page.
      expect(plot.widthPx, plot.id).toBeGreaterThan(300)
      expect(plot.heightPx, plot.id).toBeGreaterThan(100)
      expect(plot.firstMarkWidthPlusHeightPx, `${plot.id} first mark`).toBeGreaterThan(0)
    }
    // The colour ramp and swatch legends render too (the points plot has swatches).
    expect(await page.locator('[data-plot=search-points] .plot-swatch, [data-plot=search-points] [class$=-swatch]').count()).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true })
    expect(externalRequests()).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})

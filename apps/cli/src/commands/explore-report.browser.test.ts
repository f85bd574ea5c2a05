// The report.html of a real `snipsnap explore --out` run (LLaMA-2-7B decode, small budget) opened
// from disk in headless chromium (Debian's, through playwright-core): each plot draws its marks at a
// visible size, nothing is fetched, no script error. Screenshot: apps/cli/test-artifacts/explore-report.png.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { browserTestsEnabled, launchChromium, measurePlots, openFilePage, type Browser } from '@snipsnap/browser-test'
import { EXPLORE_REPORT_MARKS } from '@snipsnap/report'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../testing/run-cli'

const ARTIFACTS = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts')
const out = mkdtempSync(path.join(tmpdir(), 'snipsnap-explore-report-'))

describe.skipIf(!browserTestsEnabled())('explore --out report.html in chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium(ARTIFACTS)
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(out, { recursive: true, force: true })
  })

  it('every plot of a real run draws its marks', async () => {
    const run = await runCli(['explore', '--model', 'llama-2-7b', '--sparsity', 'unstructured-50', '--phase', 'decode', '--evaluations', '8', '--baselines', 'dataflow-only,bitmap', '--out', out, '--json'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const { page, errors, externalRequests } = await openFilePage(browser, path.join(out, 'report.html'))
    for (const plot of await measurePlots(page, EXPLORE_REPORT_MARKS)) {
      expect(plot.marks, plot.id).toBeGreaterThan(0)
      expect(plot.widthPx, plot.id).toBeGreaterThan(300)
      expect(plot.heightPx, plot.id).toBeGreaterThan(100)
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'explore-report.png'), fullPage: true })
    expect(externalRequests()).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  }, 300_000)
})

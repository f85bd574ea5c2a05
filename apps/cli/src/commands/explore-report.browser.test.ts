// The report.html of a real `snipsnap explore --out` run (LLaMA-2-7B decode, small budget) opened
// from disk in headless chromium (Debian's, through playwright-core): each plot draws its marks at a
// visible size, nothing is fetched, no script error. Screenshot: apps/cli/test-artifacts/explore-report.png.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { browserTestsEnabled, launchChromium, type Browser } from '@snipsnap/browser-test'
import { EXPLORE_REPORT_PLOTS } from '@snipsnap/report'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../testing/run-cli'

const ARTIFACTS = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts')
const out = mkdtempSync(path.join(tmpdir(), 'snipsnap-explore-report-'))

/** Each plot's marks, as Observable Plot labels their groups. */
const MARKS: Record<(typeof EXPLORE_REPORT_PLOTS)[number], string> = {
  'energy-by-level': 'g[aria-label=bar] rect',
  'search-points': 'g[aria-label=dot] > *',
  convergence: 'g[aria-label=line] path',
  baselines: 'g[aria-label=bar] rect',
}

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
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    const errors: string[] = []
    const requests: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    page.on('request', (r) => requests.push(r.url()))
    const url = pathToFileURL(path.join(out, 'report.html')).href
    await page.goto(url)
    for (const id of EXPLORE_REPORT_PLOTS) {
      const marks = page.locator(`[data-plot=${id}] ${MARKS[id]}`)
      expect(await marks.count(), id).toBeGreaterThan(0)
      const plot = await page.locator(`[data-plot=${id}] svg`).last().boundingBox()
      expect(plot?.width ?? 0, id).toBeGreaterThan(300)
      expect(plot?.height ?? 0, id).toBeGreaterThan(100)
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'explore-report.png'), fullPage: true })
    expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  }, 300_000)
})

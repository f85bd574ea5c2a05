// Debian's chromium for the browser tests, driven by playwright-core. `.ci/run` installs it with
// apt-get; without it the browser tests are skipped locally and fail under CI=true.
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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

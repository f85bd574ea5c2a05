// Debian's chromium for the browser tests (the shared helper in tooling/browser-test); this app's
// screenshots and timings go to test-artifacts/.
import path from 'node:path'
import { launchChromium as launch, type Browser } from '@snipsnap/browser-test'

export { CHROMIUM, browserTestsEnabled } from '@snipsnap/browser-test'
export const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'test-artifacts')

export const launchChromium = (): Promise<Browser> => launch(ARTIFACTS)

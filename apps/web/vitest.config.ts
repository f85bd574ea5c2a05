import { packageProject } from '../../vitest.shared.ts'

// Unit tests run in Node; the browser tests (test/*.browser.test.ts) build the site and drive
// Debian's chromium, see test/site.ts.
export default packageProject('web', { test: { globalSetup: ['test/global-setup.ts'] } })

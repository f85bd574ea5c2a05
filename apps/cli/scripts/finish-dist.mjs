// After tsup (package `build`): dist/*.js are the CommonJS build and dist/*.mjs the ES module
// build (tsup.config.ts says why), whatever the package's own `"type": "module"`, so dist/ gets a
// package.json of its own, and the library's declarations (emitted as main.d.ts, which under
// that package.json would declare a CommonJS module) become main.d.mts, next to main.mjs.
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const dist = join(import.meta.dirname, '..', 'dist')
writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`)
renameSync(join(dist, 'main.d.ts'), join(dist, 'main.d.mts'))

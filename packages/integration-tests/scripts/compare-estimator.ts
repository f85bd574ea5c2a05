// `pnpm --filter @snipsnap/integration-tests estimator:compare`: compares the table-based
// energy/area estimator of @snipsnap/arch with every shared reference ERT/ART and writes the
// table into packages/arch/README.md between the estimator-comparison markers. Numbers are
// computed here, never copied.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { README_MARKERS, renderEstimatorComparison } from '../src/estimator-reference'
import { repoRoot } from '../src/sparseloop-reference'

const readme = path.join(repoRoot, 'packages', 'arch', 'README.md')
const text = readFileSync(readme, 'utf8')
const begin = text.indexOf(README_MARKERS.begin)
const end = text.indexOf(README_MARKERS.end)
if (begin < 0 || end < begin) throw new Error(`${readme}: missing ${README_MARKERS.begin} … ${README_MARKERS.end}`)
const next = `${text.slice(0, begin + README_MARKERS.begin.length)}\n${renderEstimatorComparison()}\n${text.slice(end)}`
writeFileSync(readme, next)
console.log(`wrote ${path.relative(repoRoot, readme)}`)

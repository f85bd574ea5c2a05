// The roofline example passes the same conformance suite as the built-in Sparseloop model.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeCostModelConformance } from '@snipsnap/cost/testing'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import { rooflineCostModel } from './index'

const cases = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..', 'shared', 'reference', 'sparseloop')
const names = existsSync(cases) ? readdirSync(cases).filter((d) => existsSync(join(cases, d, 'expected.json'))).sort() : []

describeCostModelConformance(
  rooflineCostModel,
  names.map((name) => {
    const design = parseTimeloopYaml(
      ['input.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => ({ fileName: f, text: readFileSync(join(cases, name, f), 'utf8') })),
    )
    if (design.mapping === null) throw new Error(`${name} has no mapping`)
    return { name, query: { ...design, mapping: design.mapping } }
  }),
)

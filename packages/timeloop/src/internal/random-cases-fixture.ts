// Test support (imported by tests only): the shared Sparseloop random-mapping sets, each read once
// as its design, the mapping context of that design and the mapping texts of its rows.
import fs from 'node:fs'
import path from 'node:path'
import type { DesignSpec } from '@snipsnap/core'
import { parseTimeloopYaml } from '../parse'
import { mappingContext, type MappingContext } from './mapping'

/** ../shared/reference of the repository's checkout. */
export const sharedReference = path.resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'reference')
const random = path.join(sharedReference, 'sparseloop-random')
/** A file as a Timeloop reader source. */
export const readSource = (file: string) => ({ fileName: path.basename(file), text: fs.readFileSync(file, 'utf8') })

export interface RandomMappingCase {
  readonly name: string
  readonly design: DesignSpec
  readonly context: MappingContext
  readonly texts: readonly string[]
}

/** Every shared random set with a `mappings.jsonl`: its design and its rows' mapping texts. */
export const readRandomMappingCases = (): RandomMappingCase[] =>
  fs
    .readdirSync(random)
    .filter((d) => fs.existsSync(path.join(random, d, 'mappings.jsonl')))
    .map((name) => {
      const dir = path.join(random, name)
      const design = parseTimeloopYaml(['base.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => readSource(path.join(dir, f))))
      const texts = fs
        .readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { mapping: string }).mapping)
      return { name, design, context: mappingContext(design.problem, design.arch), texts }
    })

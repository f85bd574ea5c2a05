// Writers: every shared case and every random-mapping row survives parse → write → parse.
import fs from 'node:fs'
import path from 'node:path'
import { test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { parseTimeloopMapping, parseTimeloopYaml, writeTimeloopMapping, writeTimeloopYaml } from '@snipsnap/timeloop'
import { arbTimeloopDesign, SMALL_DESIGN_YAML } from '@snipsnap/timeloop/testing'

const shared = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference')
const dirs = (family: string): string[] =>
  fs.readdirSync(path.join(shared, family)).map((n) => path.join(shared, family, n)).filter((d) => fs.statSync(d).isDirectory())
const src = (file: string) => ({ fileName: path.basename(file), text: fs.readFileSync(file, 'utf8') })

describe('round trip of the shared cases', () => {
  for (const dir of dirs('sparseloop')) {
    it(path.basename(dir), () => {
      const design = parseTimeloopYaml(['input.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => src(path.join(dir, f))))
      const again = parseTimeloopYaml([{ fileName: 'written.yaml', text: writeTimeloopYaml(design) }])
      expect(again).toEqual(design)
    })
  }
  for (const dir of dirs('sparseloop-mapper')) {
    it(path.basename(dir), () => {
      const design = parseTimeloopYaml(['input.yaml', 'constraints.yaml', 'mapper.yaml', 'ERT.yaml'].map((f) => src(path.join(dir, f))))
      const again = parseTimeloopYaml([{ fileName: 'written.yaml', text: writeTimeloopYaml(design) }])
      expect(again).toEqual(design)
    })
  }
  it('every random-mapping row', () => {
    for (const dir of dirs('sparseloop-random')) {
      const design = parseTimeloopYaml([src(path.join(dir, 'base.yaml'))])
      for (const line of fs.readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8').trim().split('\n')) {
        const row = JSON.parse(line) as { mapping: string }
        const mapping = parseTimeloopMapping(row.mapping, design.problem, design.arch)
        expect(parseTimeloopMapping(writeTimeloopMapping(mapping), design.problem, design.arch)).toEqual(mapping)
      }
    }
  })
})

describe('round trip of random designs', () => {
  const arch = parseTimeloopYaml([{ fileName: 'small.yaml', text: SMALL_DESIGN_YAML }]).arch
  test.prop([arbTimeloopDesign(arch)])('parse(write(design)) equals design', (design) => {
    expect(parseTimeloopYaml([{ fileName: 'written.yaml', text: writeTimeloopYaml(design) }])).toEqual(design)
    const mapping = design.mapping
    if (mapping !== null) expect(parseTimeloopMapping(writeTimeloopMapping(mapping), design.problem, design.arch)).toEqual(mapping)
  })
})

// Every shared Timeloop/Sparseloop input (../shared/reference) parses: the single-mapping cases,
// the random-mapping designs with each row's mapping, and the mapper cases with constraints.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseTimeloopMapping, parseTimeloopSections, parseTimeloopYaml } from '@snipsnap/timeloop'

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..')
const shared = path.resolve(repoRoot, '..', 'shared', 'reference')
const caseDirs = (family: string): string[] => {
  const dir = path.join(shared, family)
  return fs.readdirSync(dir).filter((name) => fs.statSync(path.join(dir, name)).isDirectory()).map((name) => path.join(dir, name))
}
const source = (file: string) => ({ fileName: path.basename(file), text: fs.readFileSync(file, 'utf8') })

describe('sparseloop cases', () => {
  for (const dir of caseDirs('sparseloop')) {
    it(`parses ${path.basename(dir)}`, () => {
      const design = parseTimeloopYaml(['input.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => source(path.join(dir, f))))
      expect(design.mapping).not.toBeNull()
      expect(design.energyTable?.entries.length).toBeGreaterThan(0)
      expect(design.areaTable?.entries.length).toBeGreaterThan(0)
    })
  }
})

describe('sparseloop-random designs', () => {
  for (const dir of caseDirs('sparseloop-random')) {
    it(`parses ${path.basename(dir)} and every row's mapping`, () => {
      const design = parseTimeloopYaml(['base.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => source(path.join(dir, f))))
      expect(design.mapping).toBeNull()
      const rows = fs.readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8').trim().split('\n')
      for (const line of rows) {
        const row = JSON.parse(line) as { id: number; mapping: string }
        const mapping = parseTimeloopMapping(row.mapping, design.problem, design.arch, { fileName: `row ${row.id}` })
        expect(mapping.levels).toHaveLength(design.arch.storage.length)
      }
    })
  }
})

describe('sparseloop-mapper cases', () => {
  for (const dir of caseDirs('sparseloop-mapper')) {
    it(`parses ${path.basename(dir)}`, () => {
      const design = parseTimeloopYaml(['input.yaml', 'constraints.yaml', 'mapper.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => source(path.join(dir, f))))
      expect(design.constraints.length).toBeGreaterThan(0)
      expect(design.mapper?.algorithm).toBe('linear-pruned')
      for (const map of ['best.map.yaml', 'artifact_offline.map.yaml']) {
        const mapping = parseTimeloopMapping(fs.readFileSync(path.join(dir, map), 'utf8'), design.problem, design.arch, { fileName: map })
        expect(mapping.levels).toHaveLength(design.arch.storage.length)
      }
    })
  }
  it('parses ERT.yaml and ART.yaml on their own', () => {
    const dir = caseDirs('sparseloop-mapper')[0] ?? ''
    const sections = parseTimeloopSections([source(path.join(dir, 'ERT.yaml')), source(path.join(dir, 'ART.yaml'))])
    expect(sections.energyTable?.entries.length).toBeGreaterThan(0)
    expect(sections.arch).toBeUndefined()
  })
})

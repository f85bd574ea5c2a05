// Writers: every shared case and every random-mapping row survives parse → write → parse.
import fs from 'node:fs'
import path from 'node:path'
import { test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { parseTimeloopMapping, parseTimeloopYaml, writeTimeloopMapping, writeTimeloopYaml } from '@snipsnap/timeloop'
import { arbTimeloopDesign, SMALL_DESIGN_YAML, timeloopMappingDiagnostics } from '@snipsnap/timeloop/testing'

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
  it('every random-mapping row, written as Timeloop reads it without a warning', () => {
    for (const dir of dirs('sparseloop-random')) {
      const design = parseTimeloopYaml([src(path.join(dir, 'base.yaml'))])
      for (const line of fs.readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8').trim().split('\n')) {
        const row = JSON.parse(line) as { mapping: string }
        const mapping = parseTimeloopMapping(row.mapping, design.problem, design.arch)
        const written = writeTimeloopMapping(mapping, design)
        expect(parseTimeloopMapping(written, design.problem, design.arch)).toEqual(mapping)
        const directives = (parseYaml(written) as { mapping: Record<string, unknown>[] }).mapping
        expect(timeloopMappingDiagnostics(directives, design.arch, design.problem.dimensions)).toEqual({ errors: [], warnings: [] })
      }
    }
  })

  it('every shared case: the written mapping keeps every directive Timeloop was given and adds no warning', () => {
    for (const dir of dirs('sparseloop')) {
      const text = fs.readFileSync(path.join(dir, 'input.yaml'), 'utf8')
      const design = parseTimeloopYaml(['input.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => src(path.join(dir, f))))
      const original = (parseYaml(text) as { mapping: Record<string, unknown>[] }).mapping
      // Timeloop accepted the case's own mapping: the checker agrees (no error).
      expect(timeloopMappingDiagnostics(original, design.arch, design.problem.dimensions).errors).toEqual([])
      const written = (parseYaml(writeTimeloopMapping(design.mapping!, design)) as { mapping: Record<string, unknown>[] }).mapping
      expect(timeloopMappingDiagnostics(written, design.arch, design.problem.dimensions)).toEqual({ errors: [], warnings: [] })
      const kinds = (ds: Record<string, unknown>[]) =>
        new Set(ds.filter((d) => d.type === 'temporal' || d.type === 'spatial').map((d) => `${String(d.type)}:${String(d.target)}`))
      for (const k of kinds(original)) expect(kinds(written), path.basename(dir)).toContain(k)
    }
  })
})

describe("Timeloop's mapping syntax (fixture)", () => {
  const fixture = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'timeloop-mapping.yaml'), 'utf8')
  const design = parseTimeloopYaml([{ fileName: 'timeloop-mapping.yaml', text: fixture }])
  const directives = (parseYaml(fixture) as { mapping: Record<string, unknown>[] }).mapping

  it('reads the fixture, which Timeloop reads without a warning', () => {
    expect(timeloopMappingDiagnostics(directives, design.arch, design.problem.dimensions)).toEqual({ errors: [], warnings: [] })
    expect(design.mapping?.levels.map((l) => l.spatialFactors)).toEqual([{ M: 4, N: 1, K: 1 }, { M: 1, N: 1, K: 1 }])
  })

  it('writes the same directives back (block style aside)', () => {
    const written = (parseYaml(writeTimeloopMapping(design.mapping!, design)) as { mapping: Record<string, unknown>[] }).mapping
    const norm = (ds: Record<string, unknown>[]) =>
      ds
        .filter((d) => d.type !== 'datatype' && d.type !== 'bypass')
        .map((d) => ({ target: d.target, type: d.type, factors: d.factors, permutation: d.permutation, ...(d.split === undefined ? {} : { split: d.split }) }))
        .sort((a, b) => `${String(a.target)}${String(a.type)}`.localeCompare(`${String(b.target)}${String(b.type)}`))
    expect(norm(written)).toEqual(norm(directives))
  })

  it('refuses a spatial directive at a level without fan-out, as timeloop-model does', () => {
    const bad = fixture.replace('- {target: Buffer, type: temporal,', '- {target: Buffer, type: spatial, factors: M=1 N=1 K=1, permutation: MNK, split: 3}\n  - {target: Buffer, type: temporal,')
    expect(bad).not.toBe(fixture)
    expect(() => parseTimeloopYaml([{ fileName: 'bad.yaml', text: bad }])).toThrow(/cannot find spatial tiling level associated with storage level Buffer/)
    const written = (parseYaml(bad.replace(/^[\s\S]*?\nmapping:/, 'mapping:')) as { mapping: Record<string, unknown>[] }).mapping
    expect(timeloopMappingDiagnostics(written, design.arch, design.problem.dimensions).errors).toEqual([
      'cannot find spatial tiling level associated with storage level Buffer',
    ])
  })

  it('warns as Timeloop does when factors or a spatial directive are missing', () => {
    const partial = directives.filter((d) => d.type !== 'spatial').map((d) => (d.target === 'Buffer' && d.type === 'temporal' ? { ...d, factors: 'K=128' } : d))
    expect(timeloopMappingDiagnostics(partial, design.arch, design.problem.dimensions).warnings).toEqual([
      'permutation not found for spatial level BackingStorage',
      'factors not found for spatial level BackingStorage',
      'split not found for spatial level BackingStorage',
      'factors not provided for all dimensions at temporal level Buffer',
    ])
  })
})

describe('round trip of random designs', () => {
  const arch = parseTimeloopYaml([{ fileName: 'small.yaml', text: SMALL_DESIGN_YAML }]).arch
  test.prop([arbTimeloopDesign(arch)])('parse(write(design)) equals design', (design) => {
    expect(parseTimeloopYaml([{ fileName: 'written.yaml', text: writeTimeloopYaml(design) }])).toEqual(design)
    const mapping = design.mapping
    if (mapping !== null) expect(parseTimeloopMapping(writeTimeloopMapping(mapping, design), design.problem, design.arch)).toEqual(mapping)
  })
})

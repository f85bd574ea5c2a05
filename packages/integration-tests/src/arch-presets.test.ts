// Architecture presets ↔ Timeloop: every preset writes as Timeloop YAML that @snipsnap/timeloop
// parses back to the same accelerator and tables; the Eyeriss-like and STC-like presets equal
// what the parser reads from the shared case files they were transcribed from; random
// accelerators round-trip through the writer too.
import fs from 'node:fs'
import path from 'node:path'
import { test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { ARCH_PRESET_IDS, designFromPreset, getArchPreset } from '@snipsnap/arch'
import { arbArchSpec } from '@snipsnap/arch/testing'
import type { DesignSpec, ProblemSpec } from '@snipsnap/core'
import { parseTimeloopSections, parseTimeloopYaml, writeTimeloopYaml } from '@snipsnap/timeloop'

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..')
const cases = path.resolve(repoRoot, '..', 'shared', 'reference', 'sparseloop')

// A tiny GEMM so a preset forms a complete design the writer can emit.
const GEMM: ProblemSpec = {
  name: 'gemm',
  dimensions: ['M', 'N', 'K'],
  bounds: { M: 64, N: 64, K: 64 },
  coefficients: {},
  dataSpaces: [
    { name: 'A', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
    { name: 'B', projection: [[{ dim: 'N', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
    { name: 'Z', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'N', coefficient: null }]], readWrite: true },
  ],
  densities: { A: { distribution: 'fixed-structured', density: 0.5, params: {} } },
}

describe('arch presets as Timeloop YAML', () => {
  for (const id of ARCH_PRESET_IDS) {
    it(`${id} writes and parses back unchanged`, () => {
      const design = designFromPreset(id, GEMM)
      expect(parseTimeloopYaml([{ fileName: `${id}.yaml`, text: writeTimeloopYaml(design) }])).toEqual(design)
    })
  }

  const transcribed = { 'eyeriss-like': 'table7-eyeriss-conv1-sparse', 'stc-like': 'fig15-STC-M512-K1024-N256-w0.5' } as const
  for (const [id, folder] of Object.entries(transcribed)) {
    it(`${id} equals the parsed ${folder} inputs`, () => {
      const read = (file: string) => ({ fileName: file, text: fs.readFileSync(path.join(cases, folder, file), 'utf8') })
      const sections = parseTimeloopSections([read('input.yaml'), read('ERT.yaml'), read('ART.yaml')])
      const preset = getArchPreset(id)
      expect(preset.arch).toEqual(sections.arch)
      expect(preset.energyTable).toEqual(sections.energyTable)
      expect(preset.areaTable).toEqual(sections.areaTable)
    })
  }

  test.prop([arbArchSpec()])('random accelerators round-trip through Timeloop YAML', (arch) => {
    const d: DesignSpec = { ...designFromPreset('llm-default', GEMM), arch, energyTable: null, areaTable: null }
    expect(parseTimeloopYaml([{ fileName: 'random.yaml', text: writeTimeloopYaml(d) }])).toEqual(d)
  })
})

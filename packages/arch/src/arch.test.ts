import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { isSnipSnapError, type ProblemSpec } from '@snipsnap/core'
import {
  ARCH_PRESET_IDS,
  archArea,
  componentName,
  designFromPreset,
  fanoutBelow,
  getArchPreset,
  levelCapacities,
  levelFanouts,
  listArchPresets,
  normalizeArch,
  parseArchSpec,
  totalCapacityBits,
  validateArch,
} from '@snipsnap/arch'
import { arbArchSpec } from '@snipsnap/arch/testing'

const small = {
  storage: [
    { name: 'DRAM', className: 'DRAM' },
    { name: 'GLB', capacityWords: 1024, blockSize: 4 },
    { name: 'Buf', capacityWords: 16, instances: 8, meshX: 4 },
  ],
  compute: { name: 'MAC', instances: 32, meshX: 8 },
}

describe('normalizeArch', () => {
  it('fills Timeloop defaults', () => {
    const arch = parseArchSpec(small)
    const dram = arch.storage[0]
    expect(dram?.technology).toBe('DRAM')
    expect(dram?.capacityWords).toBeNull()
    expect(dram?.wordBits).toBe(16)
    expect(arch.storage[2]).toMatchObject({ meshX: 4, meshY: 2, numPorts: 2, multipleBuffering: 1 })
    // Undeclared banks stay undeclared: Timeloop's default is 2, Accelergy's 1.
    expect(arch.storage[2]?.numBanks).toBeUndefined()
    expect(arch.compute).toMatchObject({ instances: 32, meshX: 8, meshY: 4 })
    // Paths open a subtree where the fan-out grows, as Accelergy names components.
    expect(arch.storage.map((s) => s.path)).toEqual(['system.DRAM', 'system.GLB', 'system.Buf_array[0..7].Buf'])
    expect(arch.compute.path).toBe('system.Buf_array[0..7].MAC_array[0..3].MAC')
  })

  it('reports every issue with its path', () => {
    const result = normalizeArch({ storage: [{ name: 'A', instances: 3 }, { name: 'A', instances: 4, wordBits: 0 }], compute: { name: 'M', instances: 6 } })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.map((i) => i.path.join('.'))).toContain('storage.1.wordBits')
    const rules = normalizeArch({ storage: [{ name: 'A', instances: 3 }, { name: 'A', instances: 4 }], compute: { name: 'M', instances: 6 } })
    expect(rules.ok).toBe(false)
    if (!rules.ok) {
      const codes = rules.error.map((i) => i.code)
      expect(codes).toContain('unique-level-names')
      expect(codes).toContain('instances-divisible')
    }
  })

  it('throws INVALID_SPEC from parseArchSpec', () => {
    try {
      parseArchSpec({ storage: [], compute: { name: 'M' } })
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.code).toBe('INVALID_SPEC')
    }
  })

  it('rejects a technology contradicting the class', () => {
    const result = normalizeArch({ storage: [{ name: 'D', className: 'SRAM', technology: 'DRAM' }], compute: { name: 'M' } })
    expect(result.ok).toBe(false)
  })

  test.prop([arbArchSpec()])('random accelerators satisfy every rule and are idempotent', (arch) => {
    expect(validateArch(arch)).toEqual([])
    expect(parseArchSpec(arch)).toEqual(arch)
  })
})

describe('topology', () => {
  it('fan-outs and capacities of the STC preset', () => {
    const { arch } = getArchPreset('stc-like')
    expect(levelFanouts(arch)).toEqual([
      { level: 'DRAM', child: 'SMEM', fanout: 1, fanoutX: 1, fanoutY: 1 },
      { level: 'SMEM', child: 'RF', fanout: 4, fanoutX: 1, fanoutY: 4 },
      { level: 'RF', child: 'LRF', fanout: 256, fanoutX: 16, fanoutY: 16 },
      { level: 'LRF', child: 'MAC', fanout: 1, fanoutX: 1, fanoutY: 1 },
    ])
    expect(fanoutBelow(arch, 'SMEM').fanout).toBe(4)
    expect(() => fanoutBelow(arch, 'GLB')).toThrow(/no storage level named "GLB"/)
    const smem = levelCapacities(arch).find((c) => c.level === 'SMEM')
    expect(smem).toEqual({ level: 'SMEM', wordsPerInstance: 262144, totalWords: 262144, totalBits: 262144 * 8, metadataTotalBits: 8192 * 64 })
    // SMEM 2 Mibit + RF 4 × 2048 × 8 b + LRF 1024 × 8 b; DRAM is unbounded.
    expect(totalCapacityBits(arch)).toBe(262144 * 8 + 4 * 2048 * 8 + 1024 * 8)
  })
})

describe('area', () => {
  it('sums ART entries per instance', () => {
    const { arch, areaTable } = getArchPreset('stc-like')
    const area = archArea(arch, areaTable)
    expect(area.missing).toEqual([])
    expect(area.totalUM2).toBeCloseTo(2604256 + 4 * 23384 + 1024 * 95.68 + 1024 * 332.25, 6)
  })
  it('lists levels without an entry', () => {
    const { arch } = getArchPreset('llm-default')
    expect(archArea(arch, { entries: [] }).missing).toEqual(['DRAM', 'GLB', 'Buffer', 'MAC'])
  })
  it('matches by the last path element without its range', () => {
    expect(componentName('system.SM.Subpartition[0..3].PE[0..255].LRF')).toBe('LRF')
    expect(componentName('eyeriss_168.DummyBuffer[0..13]')).toBe('DummyBuffer')
  })
})

describe('presets', () => {
  it('every preset is valid and has tables for each level', () => {
    for (const { id } of listArchPresets()) {
      const preset = getArchPreset(id)
      expect(validateArch(preset.arch)).toEqual([])
      expect(archArea(preset.arch, preset.areaTable).missing).toEqual([])
      const ertNames = new Set(preset.energyTable.entries.map((e) => componentName(e.name)))
      for (const level of [...preset.arch.storage, preset.arch.compute]) expect(ertNames.has(level.name)).toBe(true)
    }
    expect(ARCH_PRESET_IDS).toEqual(['eyeriss-like', 'stc-like', 'llm-default'])
  })
  it('unknown ids are PLUGIN_NOT_FOUND listing the ids', () => {
    try {
      getArchPreset('tpu')
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.code).toBe('PLUGIN_NOT_FOUND')
      expect(String(error)).toMatch(/eyeriss-like, stc-like, llm-default/)
    }
  })
  it('returns fresh objects', () => {
    const a = getArchPreset('llm-default')
    const b = getArchPreset('llm-default')
    expect(a).toEqual(b)
    expect(a.arch).not.toBe(b.arch)
  })
  test.prop([fc.constantFrom(...ARCH_PRESET_IDS)])('presets are JSON-serialisable plain data', (id) => {
    const preset = getArchPreset(id)
    expect(JSON.parse(JSON.stringify(preset))).toEqual(preset)
  })
})

describe('designFromPreset', () => {
  const gemm: ProblemSpec = {
    name: 'gemm',
    dimensions: ['M', 'N', 'K'],
    bounds: { M: 8, N: 4, K: 16 },
    coefficients: {},
    dataSpaces: [
      { name: 'A', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
      { name: 'B', projection: [[{ dim: 'N', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
      { name: 'Z', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'N', coefficient: null }]], readWrite: true },
    ],
    densities: { B: { distribution: 'fixed-structured', density: 0.5, params: {} } },
  }

  test.prop([fc.constantFrom(...ARCH_PRESET_IDS)])('is the preset\'s accelerator and tables around the problem, the rest empty', (id) => {
    const preset = getArchPreset(id)
    const design = designFromPreset(id, gemm)
    expect(design).toStrictEqual({
      arch: preset.arch,
      problem: gemm,
      mapping: null,
      sparseOptimizations: { targets: [] },
      energyTable: preset.energyTable,
      areaTable: preset.areaTable,
      constraints: [],
      mapper: null,
    })
    expect(design.problem).toBe(gemm)
  })

  it('uses the mapping, sparse optimizations, constraints and mapper it is given', () => {
    const mapping = { levels: [] }
    const sparseOptimizations = { targets: [{ level: 'GLB', formats: [], actionOptimizations: [], computeOptimizations: [] }] }
    const constraints = [{ target: 'GLB', type: 'bypass', factors: {}, permutation: null, split: null, keep: [], bypass: ['A'], raw: {} }] as const
    const mapper = { algorithm: 'random', threads: 1, optimizationMetrics: ['energy'], searchSize: 10, timeout: null, victoryCondition: null, raw: {} }
    const design = designFromPreset('llm-default', gemm, { mapping, sparseOptimizations, constraints, mapper })
    expect(design.mapping).toBe(mapping)
    expect(design.sparseOptimizations).toBe(sparseOptimizations)
    expect(design.constraints).toBe(constraints)
    expect(design.mapper).toBe(mapper)
    expect(design.arch).toEqual(getArchPreset('llm-default').arch)
  })

  it('returns fresh preset objects on every call', () => {
    const a = designFromPreset('stc-like', gemm)
    const b = designFromPreset('stc-like', gemm)
    expect(a).toEqual(b)
    expect(a.arch).not.toBe(b.arch)
    expect(a.energyTable).not.toBe(b.energyTable)
  })

  it('rejects an unknown preset id as PLUGIN_NOT_FOUND listing the ids', () => {
    expect(() => designFromPreset('tpu', gemm)).toThrow(/unknown architecture preset "tpu" \(known: eyeriss-like, stc-like, llm-default\)/)
    try {
      designFromPreset('tpu', gemm)
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.code).toBe('PLUGIN_NOT_FOUND')
    }
  })
})

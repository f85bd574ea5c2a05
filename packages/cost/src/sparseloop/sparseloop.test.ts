// Unit tests of the Sparseloop model on a hand-built Fig.1 design (shared/docs/sparseloop-model.md
// §10: bitmask + gating, d = 13/128), plus the PAT fallback, ERT matching and infeasibility.
import { describe, expect, it } from 'vitest'
import { SPARSELOOP_RANK_FORMATS, SnipSnapError, type CostQuery, type RankFormat, type StorageLevelSpec } from '@snipsnap/core'
import { componentLeafName, evaluateSparseloop, patVectorAccessEnergyPJ } from '@snipsnap/cost'

const storage = (name: string, over: Partial<StorageLevelSpec>): StorageLevelSpec => ({
  kind: 'storage', name, className: 'storage', path: `system.${name}`, instances: 1, meshX: 1, meshY: 1, wordBits: 8,
  blockSize: 1, clusterSize: 1, capacityWords: null, metadataStorageWidthBits: null, metadataStorageDepth: null,
  metadataWordBits: null, metadataBlockSize: null, readBandwidthWordsPerCycle: null, writeBandwidthWordsPerCycle: null,
  sharedBandwidthWordsPerCycle: null, multipleBuffering: 1, minUtilization: 0, numPorts: 2, numBanks: 1,
  allowOverbooking: false, compressionSupported: false, decompressionSupported: false, vectorAccessEnergyPJ: null,
  addrGenEnergyPJ: null, attributes: {}, ...over,
})
const level = (target: string, temporal: Record<string, number>, perm: string[], keep: string[], bypass: string[]) => ({
  target, temporalFactors: temporal, temporalPermutation: perm, spatialFactors: {}, spatialPermutation: [], spatialSplit: 0, keep, bypass, stream: [],
})
const act = (name: string, energyPJ: number) => ({ name, arguments: null, energyPJ })
const d = 13 / 128
const fig1: CostQuery = {
  arch: {
    name: 'fig1',
    storage: [
      storage('BackingStorage', { capacityWords: 131072, blockSize: 8, metadataStorageWidthBits: 28, metadataStorageDepth: 16384, readBandwidthWordsPerCycle: 8 }),
      storage('Buffer', { capacityWords: 512, metadataStorageWidthBits: 28, metadataStorageDepth: 256, readBandwidthWordsPerCycle: 2, writeBandwidthWordsPerCycle: 2 }),
      storage('Reg', { capacityWords: 1, readBandwidthWordsPerCycle: 1, writeBandwidthWordsPerCycle: 1 }),
    ],
    compute: { kind: 'compute', name: 'MAC', className: 'intmac', path: 'system.MAC', instances: 1, meshX: 1, meshY: 1, wordBits: 8, attributes: {} },
  },
  problem: {
    name: 'mm', dimensions: ['M', 'N', 'K'], bounds: { M: 128, N: 128, K: 128 }, coefficients: {},
    dataSpaces: [
      { name: 'A', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
      { name: 'B', projection: [[{ dim: 'N', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
      { name: 'Z', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'N', coefficient: null }]], readWrite: true },
    ],
    densities: { A: { distribution: 'fixed-structured', density: d, params: {} }, B: { distribution: 'fixed-structured', density: d, params: {} } },
  },
  mapping: {
    levels: [
      level('BackingStorage', { M: 128, N: 128 }, ['M', 'N', 'K'], ['A', 'B', 'Z'], []),
      level('Buffer', {}, ['M', 'N', 'K'], ['A', 'B'], ['Z']),
      level('Reg', { K: 128 }, ['K', 'M', 'N'], ['Z'], ['A', 'B']),
    ],
  },
  sparseOptimizations: {
    targets: [
      { level: 'BackingStorage', actionOptimizations: [], computeOptimizations: [], formats: [
        { tensor: 'A', rankApplicationOrder: 'inner-to-outer', ranks: [{ format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null }, { format: 'B', metadataWordBits: null, payloadWordBits: null, flattenedRankIds: null }] },
        { tensor: 'B', rankApplicationOrder: 'inner-to-outer', ranks: [{ format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null }, { format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null }, { format: 'B', metadataWordBits: null, payloadWordBits: null, flattenedRankIds: null }] },
      ] },
      { level: 'Buffer', computeOptimizations: [],
        formats: [
          { tensor: 'A', rankApplicationOrder: 'outer-to-inner', ranks: [{ format: 'B', metadataWordBits: null, payloadWordBits: null, flattenedRankIds: null }] },
          { tensor: 'B', rankApplicationOrder: 'outer-to-inner', ranks: [{ format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null }, { format: 'B', metadataWordBits: null, payloadWordBits: null, flattenedRankIds: null }] },
        ],
        actionOptimizations: [{ type: 'gating', options: [{ target: 'A', conditionOn: ['B'] }] }, { type: 'gating', options: [{ target: 'B', conditionOn: ['A'] }] }] },
      { level: 'Reg', formats: [], computeOptimizations: [], actionOptimizations: [{ type: 'gating', options: [{ target: 'Z', conditionOn: ['A', 'B'] }] }] },
    ],
  },
  energyTable: {
    entries: [
      { name: 'system.PE.Reg', actions: [act('access', 0.009)] },
      { name: 'system.PE.MAC', actions: [act('mac_random', 0.5608), act('mac_gated', 0.03642)] },
      { name: 'system.PE.Buffer', actions: [act('write', 0.58331), act('read', 0.42568), act('gated_write', 1e-5), act('gated_read', 1e-5), act('metadata_read', 0.7383), act('metadata_write', 1.42366), act('gated_metadata_read', 2e-5), act('gated_metadata_write', 2e-5)] },
      { name: 'system.BackingStorage', actions: [act('write', 26.065), act('read', 32.2859), act('gated_write', 0.00552), act('gated_read', 0.00552), act('metadata_read', 14.0361), act('metadata_write', 10.2583), act('gated_metadata_read', 0.00199), act('gated_metadata_write', 0.00199)] },
    ],
  },
}

describe('evaluateSparseloop on Fig.1 bitmask + gating (d = 13/128)', () => {
  const report = evaluateSparseloop(fig1)
  it('reproduces the published cycles, MACs and gated accesses', () => {
    if (!report.valid) throw new Error(report.reason)
    expect(report.cycles).toBe(2_113_536)
    expect(report.computes).toEqual({ actual: 21_632, gated: 0, skipped: 0 })
    expect(report.levels['Reg']?.tensors['Z']?.reads).toEqual({ actual: 21_463, gated: 2_059_305, skipped: 0 })
    expect(report.levels['Buffer']?.tensors['A']?.reads).toEqual({ actual: 21_632, gated: 191_360, skipped: 0 })
    expect(report.levels['Buffer']?.tensors['A']?.fills.actual).toBe(212_992)
    // Sparseloop's total for this design (shared/reference/sparseloop/fig1-bitmask-d0.1).
    expect(Math.abs(report.energyPJ - 2_276_196.10106) / 2_276_196.10106).toBeLessThan(1e-4)
  })
  it('charges Reg accesses at the PAT estimate (its ERT only has `access`)', () => {
    expect(patVectorAccessEnergyPJ(fig1.arch.storage[2]!)).toBeCloseTo(0.4875, 4)
    expect(report.valid && report.levels['Reg']?.energyPJ).toBeCloseTo(28_993.74, 1)
  })
  it('reports a capacity overflow as a value', () => {
    const big = { ...fig1, mapping: { levels: [level('BackingStorage', { M: 128, N: 128 }, ['M', 'N', 'K'], ['A', 'B', 'Z'], []), level('Buffer', {}, ['M', 'N', 'K'], ['A', 'B'], ['Z']), level('Reg', { K: 128 }, ['K', 'M', 'N'], ['Z', 'A'], ['B'])] } }
    const r = evaluateSparseloop(big)
    expect(r.valid).toBe(false)
    if (!r.valid) expect(r.kind).toBe('capacity')
  })
  it('matches ERT components by their last path element without ranges', () => {
    expect(componentLeafName('system.SM.Subpartition[0..3].PE[0..255].LRF')).toBe('LRF')
  })
})

describe('rank formats are priced through their primitive', () => {
  // Fig.1 with every `B` rank renamed to `sym`.
  const withSymbol = (sym: string): CostQuery => ({
    ...fig1,
    sparseOptimizations: {
      targets: fig1.sparseOptimizations.targets.map((t) => ({
        ...t,
        formats: t.formats.map((f) => ({ ...f, ranks: f.ranks.map((r) => (r.format === 'B' ? { ...r, format: sym } : r)) })),
      })),
    },
  })
  const fails = (run: () => unknown): SnipSnapError => {
    try {
      run()
    } catch (error) {
      if (error instanceof SnipSnapError) return error
      throw error
    }
    throw new Error('expected a SnipSnapError')
  }

  it('rejects an unregistered symbol with a precise error instead of pricing it at 0', () => {
    const error = fails(() => evaluateSparseloop(withSymbol('NMX')))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('"NMX"')
    expect(error.message).toContain('UOP, CP, B, RLE, UB')
    expect(error.path.at(-1)).toBe('format')
  })

  it('rejects a registered primitive without Sparseloop pricing', () => {
    const bare: RankFormat = { symbol: 'BARE', compressed: true }
    const error = fails(() => evaluateSparseloop(withSymbol('BARE'), { formats: [...Object.values(SPARSELOOP_RANK_FORMATS), bare] }))
    expect(error.code).toBe('UNSUPPORTED_QUERY')
    expect(error.message).toContain('BARE')
  })

  it('prices a registered primitive with its own contract (a renamed B gives B\'s numbers)', () => {
    const renamed: RankFormat = { ...SPARSELOOP_RANK_FORMATS.B, symbol: 'BX' }
    const formats = [...Object.values(SPARSELOOP_RANK_FORMATS), renamed]
    expect(evaluateSparseloop(withSymbol('BX'), { formats })).toEqual(evaluateSparseloop(fig1))
    // Half the metadata of a bitmask: metadata energy falls, nothing else moves.
    const half: RankFormat = {
      symbol: 'HALF',
      compressed: true,
      sparseloop: {
        defaultMetadataWordBits: 1,
        metadataUnits: (r) => (r.fibers * r.fiberShape) / 2,
        payloadUnits: (r) => SPARSELOOP_RANK_FORMATS.B.sparseloop.payloadUnits(r),
      },
    }
    const cheaper = evaluateSparseloop(withSymbol('HALF'), { formats: [...formats, half] })
    const base = evaluateSparseloop(fig1)
    if (!cheaper.valid || !base.valid) throw new Error('expected valid reports')
    expect(cheaper.energyPJ).toBeLessThan(base.energyPJ)
    expect(cheaper.computes).toEqual(base.computes)
  })
})

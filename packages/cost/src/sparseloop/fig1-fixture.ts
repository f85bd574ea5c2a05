// The Fig.1 design of shared/docs/sparseloop-model.md §10 (bitmask + gating, d = 13/128), built by
// hand: the fixture of the model's unit tests (not exported from the package).
import type { CostQuery, StorageLevelSpec } from '@snipsnap/core'

export const storage = (name: string, over: Partial<StorageLevelSpec>): StorageLevelSpec => ({
  kind: 'storage', name, className: 'storage', path: `system.${name}`, instances: 1, meshX: 1, meshY: 1, wordBits: 8,
  blockSize: 1, clusterSize: 1, capacityWords: null, metadataStorageWidthBits: null, metadataStorageDepth: null,
  metadataWordBits: null, metadataBlockSize: null, readBandwidthWordsPerCycle: null, writeBandwidthWordsPerCycle: null,
  sharedBandwidthWordsPerCycle: null, multipleBuffering: 1, minUtilization: 0, numPorts: 2, numBanks: 1,
  allowOverbooking: false, compressionSupported: false, decompressionSupported: false, vectorAccessEnergyPJ: null,
  addrGenEnergyPJ: null, attributes: {}, ...over,
})
export const level = (target: string, temporal: Record<string, number>, perm: string[], keep: string[], bypass: string[]) => ({
  target, temporalFactors: temporal, temporalPermutation: perm, spatialFactors: {}, spatialPermutation: [], spatialSplit: 0, keep, bypass, stream: [],
})
const act = (name: string, energyPJ: number) => ({ name, arguments: null, energyPJ })
const d = 13 / 128
export const fig1: CostQuery = {
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

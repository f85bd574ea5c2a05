// The Sparseloop Fig.1 design (SpMSpM 128×128×128, BackingStorage → Buffer → Reg → MAC, the artifact
// mapper's mapping) written as core data, so unit tests can check slot derivation and format
// binding without the YAML parser. Values copied from shared/reference/sparseloop/fig1-bitmask-d0.1.
import type { ArchSpec, DesignSpec, LevelMappingSpec, StorageLevelSpec } from '@snipsnap/core'

const storage = (name: string, over: Partial<StorageLevelSpec>): StorageLevelSpec => ({
  kind: 'storage', name, className: 'storage', path: name === 'BackingStorage' ? 'system.BackingStorage' : `system.PE.${name}`,
  instances: 1, meshX: 1, meshY: 1, wordBits: 8, blockSize: 1, clusterSize: 1, capacityWords: null,
  metadataStorageWidthBits: null, metadataStorageDepth: null, metadataWordBits: null, metadataBlockSize: null,
  readBandwidthWordsPerCycle: null, writeBandwidthWordsPerCycle: null, sharedBandwidthWordsPerCycle: null,
  multipleBuffering: 1, minUtilization: 0, numPorts: 2, numBanks: 1, allowOverbooking: false,
  compressionSupported: false, decompressionSupported: false, vectorAccessEnergyPJ: null, addrGenEnergyPJ: null,
  attributes: {}, ...over,
})

const arch: ArchSpec = {
  name: 'fig1',
  storage: [
    storage('BackingStorage', { capacityWords: 131072, metadataStorageDepth: 16384, metadataStorageWidthBits: 28 }),
    storage('Buffer', { capacityWords: 512, metadataStorageDepth: 256, metadataStorageWidthBits: 28 }),
    storage('Reg', { capacityWords: 1 }),
  ],
  compute: { kind: 'compute', name: 'MAC', className: 'compute', path: 'system.PE.MAC', instances: 1, meshX: 1, meshY: 1, wordBits: 8, attributes: {} },
}

const level = (target: string, factors: Record<string, number>, perm: string[], keep: string[], bypass: string[]): LevelMappingSpec => ({
  target, temporalFactors: factors, temporalPermutation: perm, spatialFactors: {}, spatialPermutation: [], spatialSplit: 0, keep, bypass, stream: [],
})

/** Fig.1 at density d with no formats (set `sparseOptimizations` per test). */
export const fig1Design = (density = 0.1015625): DesignSpec => ({
  arch,
  problem: {
    name: 'MatrixMultiply',
    dimensions: ['M', 'N', 'K'],
    bounds: { M: 128, N: 128, K: 128 },
    coefficients: {},
    dataSpaces: [
      { name: 'A', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
      { name: 'B', projection: [[{ dim: 'N', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
      { name: 'Z', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'N', coefficient: null }]], readWrite: true },
    ],
    densities: {
      A: { distribution: 'fixed-structured', density, params: {} },
      B: { distribution: 'fixed-structured', density, params: {} },
    },
  },
  mapping: {
    levels: [
      level('BackingStorage', { M: 128, N: 128, K: 1 }, ['M', 'N', 'K'], ['A', 'B', 'Z'], []),
      level('Buffer', { M: 1, N: 1, K: 1 }, ['M', 'N', 'K'], ['A', 'B'], ['Z']),
      level('Reg', { M: 1, N: 1, K: 128 }, ['K', 'M', 'N'], ['Z'], ['A', 'B']),
    ],
  },
  sparseOptimizations: { targets: [] },
  energyTable: {
    entries: [
      { name: 'system.PE.Reg', actions: [{ name: 'access', arguments: null, energyPJ: 0.009 }] },
      { name: 'system.PE.MAC', actions: [{ name: 'mac_random', arguments: null, energyPJ: 0.5608 }] },
      { name: 'system.PE.Buffer', actions: [
        { name: 'write', arguments: null, energyPJ: 0.58331 }, { name: 'read', arguments: null, energyPJ: 0.42568 },
        { name: 'metadata_read', arguments: null, energyPJ: 0.7383 }, { name: 'metadata_write', arguments: null, energyPJ: 1.42366 } ] },
      { name: 'system.BackingStorage', actions: [
        { name: 'write', arguments: null, energyPJ: 26.065 }, { name: 'read', arguments: null, energyPJ: 32.2859 },
        { name: 'metadata_read', arguments: null, energyPJ: 14.0361 }, { name: 'metadata_write', arguments: null, energyPJ: 10.2583 } ] },
    ],
  },
  areaTable: null,
  constraints: [],
  mapper: null,
})

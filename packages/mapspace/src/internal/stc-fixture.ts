// The Fig. 15 sparse-tensor-core (STC) mapper case of the shared reference set
// (shared/reference/sparseloop-mapper/stc-M512-K1024-N256-w0.5) written out as core specs, so unit
// tests and the benchmark run without the YAML importer. Not exported from the package.
import type {
  ArchSpec,
  ConstraintSpec,
  FactorConstraintSpec,
  ProblemSpec,
  SparseOptimizationsSpec,
  StorageLevelSpec,
} from '@snipsnap/core'

const storage = (
  name: string,
  instances: number,
  meshX: number,
  meshY: number,
  capacityWords: number | null,
): StorageLevelSpec => ({
  kind: 'storage',
  name,
  className: name === 'DRAM' ? 'DRAM' : 'storage',
  path: name,
  instances,
  meshX,
  meshY,
  wordBits: 8,
  blockSize: 1,
  clusterSize: 1,
  capacityWords,
  metadataStorageWidthBits: null,
  metadataStorageDepth: null,
  metadataWordBits: null,
  metadataBlockSize: null,
  readBandwidthWordsPerCycle: null,
  writeBandwidthWordsPerCycle: null,
  sharedBandwidthWordsPerCycle: null,
  multipleBuffering: 1,
  minUtilization: 0,
  numPorts: 2,
  numBanks: 2,
  allowOverbooking: false,
  compressionSupported: false,
  decompressionSupported: false,
  vectorAccessEnergyPJ: null,
  addrGenEnergyPJ: null,
  attributes: {},
})

export const stcArch: ArchSpec = {
  name: 'stc',
  storage: [
    storage('DRAM', 1, 1, 1, null),
    storage('SMEM', 1, 1, 1, 4096 * 64),
    storage('RF', 4, 1, 4, 2048),
    storage('LRF', 1024, 16, 64, 1),
  ],
  compute: { kind: 'compute', name: 'MAC', className: 'compute', path: 'MAC', instances: 1024, meshX: 16, meshY: 64, wordBits: 8, attributes: {} },
}

export const stcProblem: ProblemSpec = {
  name: 'gemm-ABZ',
  dimensions: ['M', 'N', 'K'],
  bounds: { M: 512, N: 256, K: 1024 },
  coefficients: {},
  dataSpaces: [
    { name: 'A', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
    { name: 'B', projection: [[{ dim: 'N', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
    { name: 'Z', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'N', coefficient: null }]], readWrite: true },
  ],
  densities: {
    A: { distribution: 'fixed-structured', density: 0.5, params: {} },
    B: { distribution: 'fixed-structured', density: 1, params: {} },
  },
}

const uop = { format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null }
const cp = { format: 'CP', metadataWordBits: 2, payloadWordBits: null, flattenedRankIds: null }

export const stcSparse: SparseOptimizationsSpec = {
  targets: [
    { level: 'DRAM', formats: [{ tensor: 'A', rankApplicationOrder: 'inner-to-outer', ranks: [uop, uop, uop, uop, uop, uop, cp] }], actionOptimizations: [], computeOptimizations: [] },
    { level: 'SMEM', formats: [{ tensor: 'A', rankApplicationOrder: 'inner-to-outer', ranks: [uop, uop, uop, uop, cp] }], actionOptimizations: [], computeOptimizations: [] },
    {
      level: 'RF',
      formats: [],
      actionOptimizations: [
        { type: 'skipping-spatial', options: [{ target: 'B', conditionOn: ['A'] }] },
        { type: 'skipping-spatial', options: [{ target: 'Z', conditionOn: ['A'] }] },
      ],
      computeOptimizations: [],
    },
    { level: 'LRF', formats: [{ tensor: 'A', rankApplicationOrder: 'outer-to-inner', ranks: [cp] }], actionOptimizations: [], computeOptimizations: [] },
  ],
}

const parseFactors = (text: string): Record<string, FactorConstraintSpec> => {
  const out: Record<string, FactorConstraintSpec> = {}
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z]+)(<=|=)(\d+)$/.exec(token)
    if (m === null) throw new Error(`bad factor ${token}`)
    out[m[1] as string] = m[2] === '<=' ? { exact: null, max: Number(m[3]) } : { exact: Number(m[3]), max: null }
  }
  return out
}

const c = (
  target: string,
  type: ConstraintSpec['type'],
  extra: { factors?: string; permutation?: string; split?: number; keep?: string[]; bypass?: string[] },
): ConstraintSpec => ({
  target,
  type,
  factors: parseFactors(extra.factors ?? ''),
  permutation: extra.permutation === undefined ? null : [...extra.permutation],
  split: extra.split ?? null,
  keep: extra.keep ?? [],
  bypass: extra.bypass ?? [],
  raw: {},
})

/** `raw` = the constraints as shipped (RF spatial K<=64, LRF N<=64); else the artifact's post-processed ones. */
export const stcConstraints = (raw: boolean): ConstraintSpec[] => [
  c('DRAM', 'temporal', { factors: 'K=1', permutation: 'K' }),
  c('SMEM', 'temporal', { factors: 'K=1 M<=8 N<=8', permutation: 'K' }),
  c('SMEM', 'spatial', { factors: 'K=1 N=1 M<=4', permutation: 'NKM', split: 0 }),
  c('SMEM', 'bypass', { keep: ['A', 'B'], bypass: ['Z'] }),
  c('RF', 'temporal', { factors: 'M=1 N=1', permutation: 'NKM' }),
  c('RF', 'bypass', { keep: ['Z'], bypass: ['A', 'B'] }),
  c('RF', 'spatial', { factors: raw ? 'K<=64 M=16 N=1' : 'K=32 M=16 N=1', permutation: 'KMN', split: 1 }),
  c('LRF', 'temporal', { factors: raw ? 'K=1 M=1 N<=64' : 'K=1 M=1 N<=128', permutation: 'NKM' }),
  c('LRF', 'bypass', { keep: ['A'], bypass: ['B', 'Z'] }),
]

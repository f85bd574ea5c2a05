// Test helpers of @snipsnap/compress, exported as `./testing`: a small deterministic cost model
// (memory traffic × per-access energy with Sparseloop's format unit formulas), a GEMM design
// builder on a three-level accelerator, and fast-check arbitraries of such designs. The test cost
// model is deliberately simple and independent of @snipsnap/cost; it is NOT Sparseloop-accurate.
import { createRankFormatTable, defineCostModel, type RankFormatSource } from '@snipsnap/core'
import type {
  ArchSpec,
  CostModel,
  CostQuery,
  CostReport,
  DesignSpec,
  LevelReport,
  StorageLevelSpec,
  TensorFormatSpec,
  TensorLevelReport,
} from '@snipsnap/core'
import fc from 'fast-check'
import { levelEnergies, denseTraffic } from './estimate'
import { bindSlotFormat } from './formats'
import { deriveTensorChains } from './slots'

/**
 * A deterministic cost model for tests and benchmarks. Per storage level and kept tensor:
 * dense reads/fills/updates from a simple reuse estimate; compressed data (any compressed rank)
 * moves `density ×` the words; metadata bits per tile follow each rank format's Sparseloop units
 * (resolved through `formats`, default core's `SPARSELOOP_RANK_FORMATS`; an unregistered symbol
 * throws PLUGIN_NOT_FOUND) with a uniform P(empty) = (1 − d)^n; energy = data vector accesses × ERT read/write +
 * metadata words × ERT metadata_read/metadata_write. Infeasible (a value, not a throw) when a
 * format does not bind to the tile's ranks, breaks the compressed-inner rule, overflows the data or
 * metadata capacity, or a compressed level feeds an uncompressed child that cannot decompress.
 * Compute energy is 1 pJ (or the ERT's `mac_random`) per MAC, dense.
 */
export const createTrafficCostModel = (formats?: RankFormatSource): CostModel => {
  const table = createRankFormatTable(formats)
  const derivedByMapping = new WeakMap<
    object,
    { arch: ArchSpec; problem: CostQuery['problem']; chains: ReturnType<typeof deriveTensorChains>; traffic: ReturnType<typeof denseTraffic> }
  >()
  return defineCostModel({
    id: 'compress-test-traffic',
    description: 'memory traffic × per-access energy with Sparseloop format units (tests only)',
    accuracy: 1,
    supports: () => true,
    evaluate: (query: CostQuery): CostReport => {
      const { arch, problem } = query
      // Slots and dense traffic depend only on the mapping object, which callers reuse across
      // format candidates; caching them keeps property tests fast.
      let derived = derivedByMapping.get(query.mapping)
      if (derived === undefined || derived.problem !== problem || derived.arch !== arch) {
        derived = { arch, problem, chains: deriveTensorChains(query), traffic: denseTraffic(query) }
        derivedByMapping.set(query.mapping, derived)
      }
      const { chains, traffic } = derived
      const levels: Record<string, LevelReport> = {}
      const formatOf = (level: string, tensor: string): TensorFormatSpec | null =>
        query.sparseOptimizations.targets.find((t) => t.level === level)?.formats.find((f) => f.tensor === tensor) ?? null
      const usedWords = new Map<string, number>()
      const usedMetadataBits = new Map<string, number>()
      const tensorReports = new Map<string, Record<string, TensorLevelReport>>()
      for (const chain of chains) {
        const density = problem.densities[chain.tensor]?.density ?? 1
        const compressedAt: boolean[] = []
        for (const slot of chain.slots) {
          const level = arch.storage[slot.levelIndex] as StorageLevelSpec
          const spec = formatOf(slot.level, chain.tensor)
          let metadataBitsPerTile = 0
          let compressed = false
          if (spec !== null) {
            const bound = bindSlotFormat(slot, spec)
            if (!bound.ok) return { valid: false, kind: 'format-ranks', reason: bound.reason, level: slot.level }
            let seenCompressed = false
            let fibers = 1
            const shapes = slot.ranks.map((r) => r.fiberShape)
            const below = (end: number): number => shapes.slice(end).reduce((p, s) => p * s, 1)
            for (const [q, rank] of bound.ranks.entries()) {
              const format = table.resolve(rank.format)
              const isCompressed = format.compressed
              if (seenCompressed && !isCompressed) {
                return { valid: false, kind: 'format-order', reason: `${slot.level}: ${chain.tensor} has an uncompressed rank below a compressed one`, level: slot.level }
              }
              seenCompressed ||= isCompressed
              const S = shapes.slice(rank.start, rank.end).reduce((p, s) => p * s, 1)
              const peCur = (1 - density) ** (S * below(rank.end))
              const peNext = (1 - density) ** below(rank.end)
              const nf = fibers * (1 - peCur)
              const occupied = S * (1 - peNext)
              const mdBits = rank.metadataWordBits ?? format.sparseloop?.defaultMetadataWordBits ?? (level.metadataWordBits ?? 8)
              const plBits = rank.payloadWordBits ?? (level.metadataWordBits ?? 8)
              const unitsInput = { maxFibers: fibers, fibers: nf, fiberShape: S, occupiedPerFiber: occupied, options: rank.options ?? {}, ceilPerFiber: true }
              if (format.sparseloop === undefined) {
                return { valid: false, kind: 'format-ranks', reason: `${slot.level}: rank format ${format.symbol} has no Sparseloop pricing`, level: slot.level }
              }
              const units = [format.sparseloop.metadataUnits(unitsInput), format.sparseloop.payloadUnits(unitsInput)]
              const innermost = q === bound.ranks.length - 1
              metadataBitsPerTile += (units[0] ?? 0) * mdBits + (innermost ? 0 : (units[1] ?? 0) * plBits)
              fibers *= S
            }
            compressed = seenCompressed
          }
          compressedAt.push(compressed)
          const tile = Math.max(1, slot.tileElements)
          const dataWords = compressed ? tile * density : tile
          usedWords.set(slot.level, (usedWords.get(slot.level) ?? 0) + dataWords)
          usedMetadataBits.set(slot.level, (usedMetadataBits.get(slot.level) ?? 0) + metadataBitsPerTile)
          const t = traffic[slot.level]?.[chain.tensor] ?? { reads: 0, fills: 0, updates: 0 }
          const scale = compressed ? density : 1
          const e = levelEnergies(query.energyTable, level)
          const block = Math.max(1, level.blockSize)
          const mdWidth = level.metadataStorageWidthBits && level.metadataStorageWidthBits > 0 ? level.metadataStorageWidthBits : level.wordBits
          const mdReads = (t.reads / tile) * metadataBitsPerTile / mdWidth
          const mdWrites = ((t.fills + t.updates) / tile) * metadataBitsPerTile / mdWidth
          const energyPJ =
            ((t.reads * scale) / block) * e.readPJ +
            (((t.fills + t.updates) * scale) / block) * e.writePJ +
            mdReads * e.metadataReadPJ +
            mdWrites * e.metadataWritePJ
          const counts = (n: number) => ({ actual: n * scale, gated: 0, skipped: n - n * scale })
          const reports = tensorReports.get(slot.level) ?? {}
          reports[chain.tensor] = {
            reads: counts(t.reads),
            fills: counts(t.fills),
            updates: counts(t.updates),
            metadataReads: mdReads,
            energyPJ,
          }
          tensorReports.set(slot.level, reports)
        }
        for (let j = 0; j + 1 < chain.slots.length; j++) {
          const child = chain.slots[j + 1]
          const level = child === undefined ? undefined : arch.storage[child.levelIndex]
          if (compressedAt[j] === true && compressedAt[j + 1] === false && level !== undefined && !level.decompressionSupported) {
            return { valid: false, kind: 'unsupported', reason: `${level.name} cannot decompress ${chain.tensor}`, level: level.name }
          }
        }
      }
      for (const level of arch.storage) {
        const mdCap =
          level.metadataStorageDepth !== null && level.metadataStorageWidthBits !== null && level.metadataStorageWidthBits > 0
            ? level.metadataStorageDepth * level.metadataStorageWidthBits
            : null
        const words = (usedWords.get(level.name) ?? 0) + (mdCap === null ? (usedMetadataBits.get(level.name) ?? 0) / level.wordBits : 0)
        if (level.capacityWords !== null && words > level.capacityWords) {
          return { valid: false, kind: 'capacity', reason: `${level.name}: ${words.toFixed(1)} words do not fit ${level.capacityWords}`, level: level.name }
        }
        if (mdCap !== null && (usedMetadataBits.get(level.name) ?? 0) > mdCap) {
          return { valid: false, kind: 'metadata-capacity', reason: `${level.name}: metadata overflows ${mdCap} bits`, level: level.name }
        }
        const tensors = tensorReports.get(level.name) ?? {}
        levels[level.name] = {
          kind: 'storage',
          energyPJ: Object.values(tensors).reduce((s, t) => s + t.energyPJ, 0),
          cycles: 0,
          tensors,
        }
      }
      const macs = problem.dimensions.reduce((p, d) => p * (problem.bounds[d] ?? 1), 1)
      const macEntry = query.energyTable?.entries.find((e) => e.name.split('.').at(-1) === arch.compute.name)
      const macPJ = macEntry?.actions.find((a) => a.name === 'mac_random')?.energyPJ ?? 1
      levels[arch.compute.name] = { kind: 'compute', energyPJ: macs * macPJ, cycles: macs, tensors: {} }
      const energyPJ = Object.values(levels).reduce((s, l) => s + l.energyPJ, 0)
      return { valid: true, cycles: macs, energyPJ, computes: { actual: macs, gated: 0, skipped: 0 }, levels }
    },
  })
}

const storageLevel = (input: {
  name: string
  capacityWords: number | null
  metadataStorageDepth: number | null
  metadataStorageWidthBits: number | null
  decompressionSupported: boolean
}): StorageLevelSpec => ({
  kind: 'storage',
  name: input.name,
  className: input.capacityWords === null ? 'DRAM' : 'SRAM',
  path: `system.${input.name}`,
  instances: 1,
  meshX: 1,
  meshY: 1,
  wordBits: 16,
  blockSize: 1,
  clusterSize: 1,
  capacityWords: input.capacityWords,
  metadataStorageWidthBits: input.metadataStorageWidthBits,
  metadataStorageDepth: input.metadataStorageDepth,
  metadataWordBits: 8,
  metadataBlockSize: null,
  readBandwidthWordsPerCycle: null,
  writeBandwidthWordsPerCycle: null,
  sharedBandwidthWordsPerCycle: null,
  multipleBuffering: 1,
  minUtilization: 0,
  numPorts: 2,
  numBanks: 1,
  allowOverbooking: false,
  compressionSupported: input.decompressionSupported,
  decompressionSupported: input.decompressionSupported,
  vectorAccessEnergyPJ: null,
  addrGenEnergyPJ: null,
  attributes: {},
})

/** Loop factors of one level of {@link gemmDesign}. */
export interface GemmLevelFactors {
  readonly M?: number
  readonly N?: number
  readonly K?: number
}

/** Inputs of {@link gemmDesign}: Z[M][N] += A[M][K] · B[N][K] on DRAM → GLB → PE buffer → MAC. */
export interface GemmDesignInput {
  readonly M: number
  readonly N: number
  readonly K: number
  readonly densityA: number
  readonly densityB: number
  readonly distribution?: string
  /** Factors per level (DRAM, GLB, PE); defaults put everything at DRAM except K at PE. */
  readonly factors?: { readonly DRAM?: GemmLevelFactors; readonly GLB?: GemmLevelFactors; readonly PE?: GemmLevelFactors }
  /** Temporal permutations (innermost first) per level; default `K M N` everywhere. */
  readonly permutation?: readonly string[]
  readonly glbCapacityWords?: number | null
  readonly peCapacityWords?: number | null
  readonly decompressionSupported?: boolean
  /** Level at which A and B are bypassed (not kept), if any. */
  readonly bypassInputsAt?: 'GLB' | 'PE' | null
}

/**
 * A GEMM design on a three-level accelerator (16-bit words; DRAM 200/200 pJ, metadata 60/60 pJ;
 * GLB 6/7 pJ, metadata 2/2.5 pJ; PE 0.5/0.6 pJ, metadata 0.3/0.35 pJ per access), for tests and benches.
 */
export const gemmDesign = (input: GemmDesignInput): DesignSpec => {
  const { M, N, K } = input
  const f = input.factors ?? { PE: { K } , DRAM: { M, N } }
  const perm = input.permutation ?? ['K', 'M', 'N']
  const decompress = input.decompressionSupported ?? true
  const arch: ArchSpec = {
    name: 'gemm-3level',
    storage: [
      storageLevel({ name: 'DRAM', capacityWords: null, metadataStorageDepth: null, metadataStorageWidthBits: 64, decompressionSupported: decompress }),
      storageLevel({ name: 'GLB', capacityWords: input.glbCapacityWords ?? 65536, metadataStorageDepth: 8192, metadataStorageWidthBits: 64, decompressionSupported: decompress }),
      storageLevel({ name: 'PE', capacityWords: input.peCapacityWords ?? 1024, metadataStorageDepth: 512, metadataStorageWidthBits: 16, decompressionSupported: decompress }),
    ],
    compute: { kind: 'compute', name: 'MAC', className: 'intmac', path: 'system.MAC', instances: 1, meshX: 1, meshY: 1, wordBits: 16, attributes: {} },
  }
  const level = (target: 'DRAM' | 'GLB' | 'PE') => {
    const factors = f[target] ?? {}
    const bypass = input.bypassInputsAt === target ? ['A', 'B'] : []
    return {
      target,
      temporalFactors: { M: factors.M ?? 1, N: factors.N ?? 1, K: factors.K ?? 1 },
      temporalPermutation: perm,
      spatialFactors: {},
      spatialPermutation: [],
      spatialSplit: 0,
      keep: [],
      bypass,
      stream: [],
    }
  }
  const dist = input.distribution ?? 'hypergeometric'
  return {
    arch,
    problem: {
      name: `gemm-M${M}-N${N}-K${K}`,
      dimensions: ['M', 'N', 'K'],
      bounds: { M, N, K },
      coefficients: {},
      dataSpaces: [
        { name: 'A', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
        { name: 'B', projection: [[{ dim: 'N', coefficient: null }], [{ dim: 'K', coefficient: null }]], readWrite: false },
        { name: 'Z', projection: [[{ dim: 'M', coefficient: null }], [{ dim: 'N', coefficient: null }]], readWrite: true },
      ],
      densities: {
        A: { distribution: dist, density: input.densityA, params: {} },
        B: { distribution: dist, density: input.densityB, params: {} },
      },
    },
    mapping: { levels: [level('DRAM'), level('GLB'), level('PE')] },
    sparseOptimizations: { targets: [] },
    energyTable: {
      entries: [
        { name: 'system.DRAM', actions: [
          { name: 'read', arguments: null, energyPJ: 200 }, { name: 'write', arguments: null, energyPJ: 200 },
          { name: 'metadata_read', arguments: null, energyPJ: 60 }, { name: 'metadata_write', arguments: null, energyPJ: 60 } ] },
        { name: 'system.GLB', actions: [
          { name: 'read', arguments: null, energyPJ: 6 }, { name: 'write', arguments: null, energyPJ: 7 },
          { name: 'metadata_read', arguments: null, energyPJ: 2 }, { name: 'metadata_write', arguments: null, energyPJ: 2.5 } ] },
        { name: 'system.PE', actions: [
          { name: 'read', arguments: null, energyPJ: 0.5 }, { name: 'write', arguments: null, energyPJ: 0.6 },
          { name: 'metadata_read', arguments: null, energyPJ: 0.3 }, { name: 'metadata_write', arguments: null, energyPJ: 0.35 } ] },
        { name: 'system.MAC', actions: [{ name: 'mac_random', arguments: null, energyPJ: 1 }] },
      ],
    },
    areaTable: null,
    constraints: [],
    mapper: null,
  }
}

/** Splits `n` (a power of two) into three power-of-two factors. */
const arbSplit3 = (log2: number): fc.Arbitrary<[number, number, number]> =>
  fc.tuple(fc.integer({ min: 0, max: log2 }), fc.integer({ min: 0, max: log2 })).map(([a, b]) => {
    const lo = Math.min(a, b)
    const hi = Math.max(a, b)
    return [2 ** lo, 2 ** (hi - lo), 2 ** (log2 - hi)]
  })

/**
 * Arbitrary small GEMM designs for property tests: power-of-two shapes up to 64, random tilings
 * over the three levels, densities in [0.02, 1], random capacities (some infeasible) and
 * decompression support.
 */
export const arbGemmDesign = (): fc.Arbitrary<DesignSpec> =>
  fc
    .record({
      m: fc.integer({ min: 1, max: 6 }),
      n: fc.integer({ min: 1, max: 6 }),
      k: fc.integer({ min: 1, max: 6 }),
      densityA: fc.double({ min: 0.02, max: 1, noNaN: true }),
      densityB: fc.double({ min: 0.02, max: 1, noNaN: true }),
      distribution: fc.constantFrom('hypergeometric', 'fixed-structured'),
      permutation: fc.constantFrom(['K', 'M', 'N'], ['M', 'N', 'K'], ['N', 'K', 'M']),
      peCapacityWords: fc.constantFrom(64, 256, 4096),
      decompressionSupported: fc.boolean(),
      bypassInputsAt: fc.constantFrom(null, 'GLB' as const),
    })
    .chain((r) =>
      fc.tuple(arbSplit3(r.m), arbSplit3(r.n), arbSplit3(r.k)).map(([ms, ns, ks]) =>
        gemmDesign({
          M: 2 ** r.m,
          N: 2 ** r.n,
          K: 2 ** r.k,
          densityA: r.densityA,
          densityB: r.densityB,
          distribution: r.distribution,
          permutation: r.permutation,
          peCapacityWords: r.peCapacityWords,
          decompressionSupported: r.decompressionSupported,
          bypassInputsAt: r.bypassInputsAt,
          factors: {
            DRAM: { M: ms[0], N: ns[0], K: ks[0] },
            GLB: { M: ms[1], N: ns[1], K: ks[1] },
            PE: { M: ms[2], N: ns[2], K: ks[2] },
          },
        }),
      ),
    )

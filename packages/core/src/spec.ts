// Domain types shared by every stage: the accelerator, the workload (problem), the mapping,
// the sparse-acceleration features and the energy/area tables. They mirror Timeloop/Sparseloop's
// *normalised* inputs (see shared/docs/sparseloop-model.md §12) as plain readonly data, so the
// Timeloop importer, the arch presets, the cost models and the search all speak one language.
// Conventions: storage levels are listed from the outermost (DRAM) to the innermost; loop
// permutations are listed innermost first (Timeloop's order); every unit sits in the field name.

/** A dimension name of the problem, e.g. `M`, `K`, `N`, `C`, `R`. */
export type DimName = string
/** A tensor (data-space) name, e.g. `A`, `B`, `Z`, `Weights`. */
export type TensorName = string

// ---------------------------------------------------------------- architecture

/** One storage level (DRAM, global buffer, register file…) of the accelerator. */
export interface StorageLevelSpec {
  readonly kind: 'storage'
  /** Level name as used by mappings and sparse optimizations (last path element, no `[0..N]`). */
  readonly name: string
  /** Accelergy class, e.g. `DRAM`, `SRAM`, `regfile`, `storage`, `smartbuffer_SRAM`. */
  readonly className: string
  /** Full Accelergy path, e.g. `system.PE[0..255].Buffer`; used to match ERT entries. */
  readonly path: string
  /** Total number of instances of this level in the system. */
  readonly instances: number
  readonly meshX: number
  readonly meshY: number
  /** Bits per data word (`datawidth` / `word-bits`). */
  readonly wordBits: number
  /** Words per vector access (`block_size`); `width / datawidth` when not given. */
  readonly blockSize: number
  readonly clusterSize: number
  /** Data capacity in words per instance, or `null` when unbounded (DRAM). */
  readonly capacityWords: number | null
  /** Metadata storage width in bits (0 or null = metadata is free / not stored separately). */
  readonly metadataStorageWidthBits: number | null
  /** Metadata storage depth in entries, or null when unbounded. */
  readonly metadataStorageDepth: number | null
  /** Default metadata word width in bits (`metadata_datawidth`). */
  readonly metadataWordBits: number | null
  readonly metadataBlockSize: number | null
  /** Words per cycle per instance, or null when unlimited. */
  readonly readBandwidthWordsPerCycle: number | null
  readonly writeBandwidthWordsPerCycle: number | null
  readonly sharedBandwidthWordsPerCycle: number | null
  readonly multipleBuffering: number
  readonly minUtilization: number
  readonly numPorts: number
  readonly numBanks: number
  readonly allowOverbooking: boolean
  readonly compressionSupported: boolean
  readonly decompressionSupported: boolean
  /** Overrides of per-access energies given as attributes (rare). */
  readonly vectorAccessEnergyPJ: number | null
  readonly addrGenEnergyPJ: number | null
  /** Network word widths etc. that some models use; raw attributes are kept for round trips. */
  readonly attributes: Readonly<Record<string, unknown>>
}

/** The arithmetic (MAC) level. */
export interface ComputeLevelSpec {
  readonly kind: 'compute'
  readonly name: string
  readonly className: string
  readonly path: string
  readonly instances: number
  readonly meshX: number
  readonly meshY: number
  readonly wordBits: number
  readonly attributes: Readonly<Record<string, unknown>>
}

/** A whole accelerator: storage hierarchy (outermost first) and the compute level. */
export interface ArchSpec {
  readonly name: string
  readonly storage: readonly StorageLevelSpec[]
  readonly compute: ComputeLevelSpec
}

// ---------------------------------------------------------------- problem (workload)

/** One term `coefficient × dim` of a projection; coefficient null means 1. */
export interface ProjectionTerm {
  readonly dim: DimName
  readonly coefficient: string | null
}

export interface DataSpaceSpec {
  readonly name: TensorName
  /** Per tensor rank (outermost first), a sum of products, e.g. H = P*Wstride + R*Wdilation. */
  readonly projection: readonly (readonly ProjectionTerm[])[]
  /** True for the output (read-modify-write) tensor. */
  readonly readWrite: boolean
}

/** Density (sparsity) of one tensor: a density-model id plus its parameters. */
export interface DensitySpec {
  /** Density-model plug-in id: `fixed-structured`, `hypergeometric`, `banded`, `n-m`, `block`, `actual-data`… */
  readonly distribution: string
  /** Fraction of non-zeros in [0, 1]. */
  readonly density: number
  /** Model-specific parameters (e.g. `bandWidth`, `n`, `m`, `workloadTensorSize`). */
  readonly params: Readonly<Record<string, unknown>>
}

export interface ProblemSpec {
  readonly name: string
  readonly dimensions: readonly DimName[]
  readonly bounds: Readonly<Record<DimName, number>>
  readonly coefficients: Readonly<Record<string, number>>
  readonly dataSpaces: readonly DataSpaceSpec[]
  /** Densities per tensor; a tensor not listed is dense (density 1). */
  readonly densities: Readonly<Record<TensorName, DensitySpec>>
}

// ---------------------------------------------------------------- mapping

/** The loops a mapping places at one storage level. */
export interface LevelMappingSpec {
  /** Storage level name. */
  readonly target: string
  /** Temporal loop bounds per dimension (absent = 1). */
  readonly temporalFactors: Readonly<Record<DimName, number>>
  /** Temporal loop order, innermost first; dims absent from the list are placed innermost. */
  readonly temporalPermutation: readonly DimName[]
  /** Spatial fan-out below this level per dimension (absent = 1). */
  readonly spatialFactors: Readonly<Record<DimName, number>>
  /** Spatial loop order, innermost first. */
  readonly spatialPermutation: readonly DimName[]
  /** The first `spatialSplit` dims of `spatialPermutation` map to the X axis, the rest to Y. */
  readonly spatialSplit: number
  /** Tensors kept (stored) at this level; tensors neither kept nor bypassed are kept. */
  readonly keep: readonly TensorName[]
  readonly bypass: readonly TensorName[]
  /** Tensors listed in a `stream:` directive (artifact-only energy term; kept for round trips). */
  readonly stream: readonly TensorName[]
}

/** A complete mapping: one entry per storage level, outermost first. */
export interface MappingSpec {
  readonly levels: readonly LevelMappingSpec[]
}

// ---------------------------------------------------------------- sparse optimizations

/** One rank of a per-level tensor format (Sparseloop representation format). */
export interface RankFormatSpec {
  /** Primitive id: `UOP`, `CP`, `B`, `RLE`, `UB`, or a user-defined primitive id. */
  readonly format: string
  readonly metadataWordBits: number | null
  readonly payloadWordBits: number | null
  /** Groups of dims flattened into this rank, e.g. [['M', 'K']]. */
  readonly flattenedRankIds: readonly (readonly DimName[])[] | null
}

export interface TensorFormatSpec {
  readonly tensor: TensorName
  readonly rankApplicationOrder: 'inner-to-outer' | 'outer-to-inner'
  /** Ranks from the top (outermost) rank to the innermost, as written in YAML. */
  readonly ranks: readonly RankFormatSpec[]
}

export interface ActionOptimizationOption {
  readonly target: TensorName
  readonly conditionOn: readonly TensorName[]
}

export interface ActionOptimizationSpec {
  readonly type: 'gating' | 'skipping' | 'skipping-spatial' | 'position-skipping'
  /** One or more alternatives; Sparseloop picks the most beneficial. */
  readonly options: readonly ActionOptimizationOption[]
}

export interface ComputeOptimizationSpec {
  readonly type: 'gating' | 'skipping'
}

export interface SparseOptimizationTargetSpec {
  /** Level name (storage or compute). */
  readonly level: string
  readonly formats: readonly TensorFormatSpec[]
  readonly actionOptimizations: readonly ActionOptimizationSpec[]
  readonly computeOptimizations: readonly ComputeOptimizationSpec[]
}

export interface SparseOptimizationsSpec {
  readonly targets: readonly SparseOptimizationTargetSpec[]
}

// ---------------------------------------------------------------- energy and area tables

export interface EnergyActionSpec {
  readonly name: string
  readonly arguments: Readonly<Record<string, unknown>> | null
  readonly energyPJ: number
}

export interface EnergyTableEntrySpec {
  /** Component path, e.g. `system.PE[0..255].Buffer`. */
  readonly name: string
  readonly actions: readonly EnergyActionSpec[]
}

/** Accelergy energy reference table (ERT). */
export interface EnergyTableSpec {
  readonly entries: readonly EnergyTableEntrySpec[]
}

export interface AreaTableEntrySpec {
  readonly name: string
  readonly areaUM2: number
}

/** Accelergy area reference table (ART). */
export interface AreaTableSpec {
  readonly entries: readonly AreaTableEntrySpec[]
}

// ---------------------------------------------------------------- constraints and mapper

/** A factor bound in a constraint: exact value, or upper bound (`M<=8`). */
export interface FactorConstraintSpec {
  readonly exact: number | null
  readonly max: number | null
}

export interface ConstraintSpec {
  readonly target: string
  readonly type: 'temporal' | 'spatial' | 'bypass' | 'datatype' | 'utilization'
  readonly factors: Readonly<Record<DimName, FactorConstraintSpec>>
  /** Required loop order, innermost first; partial orders keep only the listed dims' relative order. */
  readonly permutation: readonly DimName[] | null
  readonly split: number | null
  readonly keep: readonly TensorName[]
  readonly bypass: readonly TensorName[]
  readonly raw: Readonly<Record<string, unknown>>
}

export interface MapperSettingsSpec {
  readonly algorithm: string
  readonly threads: number | null
  readonly optimizationMetrics: readonly string[]
  readonly searchSize: number | null
  readonly timeout: number | null
  readonly victoryCondition: number | null
  readonly raw: Readonly<Record<string, unknown>>
}

/** Everything a Timeloop/Sparseloop run reads, normalised. */
export interface DesignSpec {
  readonly arch: ArchSpec
  readonly problem: ProblemSpec
  readonly mapping: MappingSpec | null
  readonly sparseOptimizations: SparseOptimizationsSpec
  readonly energyTable: EnergyTableSpec | null
  readonly areaTable: AreaTableSpec | null
  readonly constraints: readonly ConstraintSpec[]
  readonly mapper: MapperSettingsSpec | null
}

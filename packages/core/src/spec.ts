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
  /** Total number of instances of this level in the system (count, ≥ 1). */
  readonly instances: number
  /** Instances along the X axis of the mesh (count); `instances` when not given. */
  readonly meshX: number
  /** Instances along the Y axis (count); `meshX · meshY = instances`. */
  readonly meshY: number
  /** Bits per data word (`datawidth` / `word-bits`; Timeloop's default 16). */
  readonly wordBits: number
  /**
   * Words per vector access (`block_size`, count). When only `width` is given, Timeloop sets it to
   * `width / datawidth` (cluster size 1); with `cluster-size` it is `width / cluster / datawidth`.
   */
  readonly blockSize: number
  /** Vector accesses ganged into one physical access (`cluster-size`, count, default 1). */
  readonly clusterSize: number
  /**
   * Data capacity in words per instance: `entries`, or `depth × blockSize`, or
   * `sizeKB · 8192 / wordBits`; `null` when no size is given (unbounded, e.g. DRAM).
   * Not divided by `multipleBuffering` (Timeloop's effective size is `floor(capacity / multipleBuffering)`).
   */
  readonly capacityWords: number | null
  /** Metadata storage width in bits per metadata access (`metadata_storage_width`; 0 = metadata costs no energy). */
  readonly metadataStorageWidthBits: number | null
  /** Metadata storage depth in entries (`metadata_storage_depth`), or null when not given. */
  readonly metadataStorageDepth: number | null
  /** Default metadata word width in bits (`metadata_datawidth`; Timeloop's default 0). */
  readonly metadataWordBits: number | null
  /** Metadata words per metadata entry (`metadata_block_size`, count, default 1). */
  readonly metadataBlockSize: number | null
  /** Words per cycle per instance, or null when unlimited (`read_bandwidth`, or `bandwidth / 2`). */
  readonly readBandwidthWordsPerCycle: number | null
  /** Words per cycle per instance, or null when unlimited (`write_bandwidth`, or `bandwidth / 2`). */
  readonly writeBandwidthWordsPerCycle: number | null
  /** Read + write words per cycle per instance, or null when unlimited (`shared_bandwidth`). */
  readonly sharedBandwidthWordsPerCycle: number | null
  /** Multiple-buffering factor (dimensionless, default 1; 2 = double buffering). */
  readonly multipleBuffering: number
  /** Minimum fraction of the effective capacity a mapping must use (dimensionless, default 0). */
  readonly minUtilization: number
  /** SRAM ports, 1 or 2 (`num-ports`, default 2); used by the PAT fallback energy model. */
  readonly numPorts: number
  /**
   * SRAM banks of the data array as declared (`n_banks` / `num-banks`), absent when undeclared.
   * Absent means Timeloop's default (2) to Timeloop and Accelergy's default (1) to an energy/area
   * estimator, so it is kept absent rather than filled with either. The metadata array's bank
   * count is Accelergy's `metadata_n_banks` attribute (in `attributes`).
   */
  readonly numBanks?: number | undefined
  readonly allowOverbooking: boolean
  readonly compressionSupported: boolean
  readonly decompressionSupported: boolean
  /** Overrides of per-access energies given as attributes (rare), pJ per vector access. */
  readonly vectorAccessEnergyPJ: number | null
  /** Address-generation energy override, pJ per address generation. */
  readonly addrGenEnergyPJ: number | null
  /**
   * Attributes not interpreted above (Accelergy's `technology`, `n_rdwr_ports`, `type`, network
   * latencies…), including those inherited from enclosing subtrees; kept verbatim for round trips.
   */
  readonly attributes: Readonly<Record<string, unknown>>
  /**
   * Timeloop's memory technology: `DRAM` when the class name contains `DRAM` or the
   * `technology` attribute is `DRAM`, else `SRAM`. Selects the PAT fallback energy model
   * (used for `random_*` actions missing from the ERT). Absent = derive from `className`.
   */
  readonly technology?: 'DRAM' | 'SRAM'
  /** Accelergy compound subclass (`subclass:`), e.g. `SRAM_MD`; absent when not given. */
  readonly subclassName?: string
}

/** The arithmetic (MAC) level. */
export interface ComputeLevelSpec {
  readonly kind: 'compute'
  readonly name: string
  readonly className: string
  readonly path: string
  /** Number of MAC units (count). */
  readonly instances: number
  /** MAC units along X (count); `instances` when not given. */
  readonly meshX: number
  /** MAC units along Y (count). */
  readonly meshY: number
  /** Operand width in bits (`datawidth` / `word-bits`, default 16). */
  readonly wordBits: number
  /** Attributes not interpreted above, kept verbatim for round trips. */
  readonly attributes: Readonly<Record<string, unknown>>
  /** Accelergy compound subclass (`subclass:`), e.g. `intmac`; absent when not given. */
  readonly subclassName?: string
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
  /**
   * Temporal loop order, innermost first. The Timeloop parser always lists every dimension once:
   * dims missing from the YAML are appended (outermost) in problem order, as Timeloop pads them.
   */
  readonly temporalPermutation: readonly DimName[]
  /** Spatial fan-out below this level per dimension (absent = 1). */
  readonly spatialFactors: Readonly<Record<DimName, number>>
  /** Spatial loop order, innermost first (complete after Timeloop parsing, like the temporal one). */
  readonly spatialPermutation: readonly DimName[]
  /**
   * The first `spatialSplit` dims of `spatialPermutation` map to the X axis, the rest to Y
   * (Timeloop's default when not given: every dim on X).
   */
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
  /** Primitive symbol: `UOP`, `CP`, `B`, `RLE`, `UB`, or a registered primitive's symbol. */
  readonly format: string
  readonly metadataWordBits: number | null
  readonly payloadWordBits: number | null
  /** Groups of dims flattened into this rank, e.g. [['M', 'K']]. */
  readonly flattenedRankIds: readonly (readonly DimName[])[] | null
  /** Integer options of the rank's primitive (e.g. `{ n: 2, m: 4 }`); parameter defaults fill the rest. */
  readonly options?: Readonly<Record<string, number>>
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
  /** Which Timeloop section the constraint came from (absent = `architecture`). */
  readonly source?: 'architecture' | 'mapspace'
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
  /**
   * Top-level sections Timeloop ignores but tools around it use (Accelergy's `compound_components`),
   * kept verbatim so a written design still feeds Accelergy. Absent when none were given.
   */
  readonly passthrough?: Readonly<Record<string, unknown>>
}

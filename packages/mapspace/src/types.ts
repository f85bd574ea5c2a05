// Public types of @snipsnap/mapspace: the inputs of createMapspace, the genome and the verdict of
// the cheap validity check.
import type {
  ArchSpec,
  ConstraintSpec,
  DesignTree,
  DensityModel,
  DensityModelInstance,
  MappingSpec,
  RankFormatSource,
  Registry,
  ProblemSpec,
  Rng,
  Space,
  SparseOptimizationsSpec,
  TensorName,
} from '@snipsnap/core'

/** Why a mapping is rejected before any costing. */
export type CheckFailureKind = 'capacity' | 'metadata-capacity' | 'fanout' | 'format-ranks' | 'constraint'

/** Verdict of {@link Mapspace.check}: valid, or the first failure found (level = level name). */
export type CheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: CheckFailureKind; readonly level: string; readonly reason: string }

/** Query of the metadata-size hook: one kept tensor's tile at one level. */
export interface TileMetadataQuery {
  readonly level: string
  readonly tensor: TensorName
  /** Tile extent per tensor rank (outermost first), words. */
  readonly tileShape: readonly number[]
}

/** Tuning of the space; every field is optional. */
export interface MapspaceOptions {
  /**
   * Enumerate loop orders at the innermost storage level too. Timeloop treats that level's order
   * as irrelevant (one canonical order); default false, to match its mapspace.
   */
  readonly permuteInnermost?: boolean
  /**
   * Metadata bits of a tile (the cost model's format size model); with it the capacity check also
   * compares metadata against `metadataStorageDepth × metadataStorageWidthBits`.
   */
  readonly tileMetadataBits?: (query: TileMetadataQuery) => number
  /**
   * Density instances per tensor (from the cost package's density models). Tensors without one use
   * a built-in fixed-structured or hypergeometric instance built from `problem.densities`.
   */
  readonly densityModels?: Readonly<Record<TensorName, DensityModelInstance>>
  /**
   * Density model registry that `problem.densities` ids resolve through (the one the cost model
   * uses). Without it only `fixed-structured` and `hypergeometric` (and their aliases) are known;
   * any other id is a PLUGIN_NOT_FOUND error.
   */
  readonly densities?: Registry<DensityModel>
  /**
   * Format primitives the design's rank symbols resolve through (a `Registry<FormatPrimitive>`);
   * defaults to Sparseloop's. An unknown symbol is a PLUGIN_NOT_FOUND error.
   */
  readonly formats?: RankFormatSource
  /** Attempts `sample` makes to find a mapping that passes {@link Mapspace.check} (default 64). */
  readonly sampleAttempts?: number
}

/** Everything createMapspace reads. */
export interface MapspaceInput {
  readonly arch: ArchSpec
  readonly problem: ProblemSpec
  readonly constraints: readonly ConstraintSpec[]
  readonly sparseOptimizations?: SparseOptimizationsSpec
  readonly options?: MapspaceOptions
}

/**
 * A compact, JSON-serialisable index of one mapping: one integer per sub-space choice. Any array
 * of non-negative integers of the right lengths decodes (indices are reduced modulo the choice count).
 */
export interface MapspaceGenome {
  /** Per problem dimension (problem order): index into that dimension's factorisations. */
  readonly factors: readonly number[]
  /** Per permuted slot ({@link Mapspace.layout}): rank of the order of its free non-trivial loops. */
  readonly permutations: readonly number[]
  /** Per spatial slot with a free X/Y split: number of non-trivial loops on X. */
  readonly splits: readonly number[]
  /** Per free (level, tensor) choice: 1 keep, 0 bypass. */
  readonly bypass: readonly number[]
}

/** Shape of the genome: what each position of each array stands for. */
export interface MapspaceLayout {
  readonly dimensions: readonly string[]
  /** Slots over which each dimension is factorised, outermost first. */
  readonly slots: readonly { readonly level: string; readonly kind: 'temporal' | 'spatial' }[]
  /** Number of factorisations per dimension. */
  readonly factorizations: readonly number[]
  readonly permutations: readonly { readonly level: string; readonly kind: 'temporal' | 'spatial' }[]
  readonly splits: readonly { readonly level: string }[]
  readonly bypass: readonly { readonly level: string; readonly tensor: string }[]
}

/** Sizes of the sub-spaces and of the whole space. */
export interface MapspaceSize {
  /** Distinct mappings (equivalent orders of trivial loops counted once). */
  readonly total: bigint
  /** Joint factorisations of all dimensions. */
  readonly factorizations: bigint
  /**
   * Factorisations with their loop orders and X/Y splits (Σ over factorisations of the order and
   * split choices, which depend on which loops are non-trivial); `total = orderings × bypass`.
   */
  readonly orderings: bigint
  /** Keep/bypass combinations (independent of the tiling). */
  readonly bypass: bigint
}

/** The mapping space of one workload on one accelerator. */
export interface Mapspace extends Space<MappingSpec> {
  readonly layout: MapspaceLayout
  /** Whether dense fan-out limits filter the space (false when spatial skipping is present, as in Timeloop). */
  readonly filtersFanout: boolean
  /**
   * The space as a decision tree (factorisations, bypass, splits, spatial orders, temporal orders):
   * `admits` rejects a subtree once the decisions that can change the cheap check are made, so
   * exhaustive search skips every loop order of a failing factorisation (Timeloop's linear-pruned).
   */
  readonly tree: DesignTree<MappingSpec>
  /** Exact size (bigint) by sub-space. */
  size(): MapspaceSize
  /** Every mapping lazily, factorisation-major (Timeloop's linear order). */
  enumerate(): Generator<MappingSpec>
  /** Every genome lazily, in the same order as {@link enumerate}. */
  genomes(): Generator<MapspaceGenome>
  /** A random mapping; tries up to `sampleAttempts` for one that passes `check`. @throws INVALID_SPEC when the space is empty. */
  sample(rng: Rng): MappingSpec
  /** A random mapping that passes `check`, or why none was found within `attempts`. */
  sampleValid(
    rng: Rng,
    attempts?: number,
  ): { readonly ok: true; readonly mapping: MappingSpec } | { readonly ok: false; readonly reason: string }
  /** A neighbour: one prime factor moved between two slots, two loops swapped, a split or a bypass flipped. */
  mutate(design: MappingSpec, rng: Rng): MappingSpec
  /** A child taking each dimension's tiling, each level's orders and each bypass bit from a or b. */
  crossover(a: MappingSpec, b: MappingSpec, rng: Rng): MappingSpec
  /**
   * Every mapping of the space one small change away (a prime factor moved between two tiling
   * slots, two loops of a level swapped, another X/Y split, a keep/bypass flipped), each once,
   * in a fixed order; not filtered by `check`.
   */
  neighbours(design: MappingSpec): MappingSpec[]
  /** Canonical key: trivial loops dropped, so equivalent mappings share it. */
  key(design: MappingSpec): string
  /**
   * One sub-space per combination of the free keep/bypass choices of the innermost storage level
   * that has any (2^n for n free tensors there, in `layout.bypass` order read as bits, keep = 1),
   * each this space with that level's choices fixed by a bypass constraint; none when no level
   * has a free choice. The smallest level's keep set decides which tilings fit, so a search rarely
   * crosses between these families by itself. Built lazily, once.
   */
  strata(): Mapspace[]
  decode(genome: MapspaceGenome): MappingSpec
  encode(
    mapping: MappingSpec,
  ): { readonly ok: true; readonly genome: MapspaceGenome } | { readonly ok: false; readonly reason: string }
  /** Cheap validity: constraints, fan-out, capacity (data, and metadata with the hook), format ranks. */
  check(mapping: MappingSpec): CheckResult
}

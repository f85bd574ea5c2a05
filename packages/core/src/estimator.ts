// Contract of an energy/area estimator (Accelergy's primitive-estimator plug-ins): given one
// hardware primitive (an SRAM, a register file, a DRAM channel, a MAC) and its attributes, say
// how much energy each of its actions costs and how much area it occupies. Resizing a buffer
// changes both, so hardware search asks an estimator instead of reading a fixed ERT/ART.
// Pure, synchronous and deterministic; the estimator says when it extrapolates beyond its data.
import type { PluginMeta } from './registry'

/** An on-chip memory array (SRAM macro or register file), one instance. */
export interface MemoryPrimitiveQuery {
  readonly kind: 'sram'
  /** Rows (entries), ≥ 1. */
  readonly depth: number
  /** Bits per row (one physical access), ≥ 1. */
  readonly widthBits: number
  /**
   * Banks (integer count, 1 ≤ banks ≤ depth) in Accelergy's sense: the component's `n_banks` for a
   * data array, `metadata_n_banks` for a metadata array, 1 when undeclared (Accelergy's default).
   */
  readonly banks: number
  /** Process node in nm, e.g. 45. */
  readonly technologyNM: number
}

/** An off-chip DRAM interface: energy per access of `widthBits`. */
export interface DramPrimitiveQuery {
  readonly kind: 'dram'
  /** DRAM type, e.g. `LPDDR4`, `HBM2`, `DDR3`, `GDDR5`. */
  readonly dramType: string
  /** Bits per access. */
  readonly widthBits: number
}

/** An integer multiply-accumulate unit. */
export interface MacPrimitiveQuery {
  readonly kind: 'mac'
  /** Operand width in bits. */
  readonly datawidthBits: number
  readonly technologyNM: number
  /**
   * Accelergy class semantics of the gated action: `compound` (multiplier and adder both idle,
   * as Accelergy's `Imac`/`mac` compound classes) or `primitive` (the `intmac` primitive, whose
   * gated multiply leaves the adder switching). Default `compound`.
   */
  readonly gating?: 'compound' | 'primitive'
}

/**
 * An integer adder, one instance: e.g. the address generators of Accelergy's Eyeriss
 * `smartbuffer` compound. Actions `add` and `idle`.
 */
export interface AdderPrimitiveQuery {
  readonly kind: 'adder'
  /** Operand width in bits. */
  readonly datawidthBits: number
  readonly technologyNM: number
}

/** One hardware primitive to estimate. */
export type PrimitiveQuery = MemoryPrimitiveQuery | DramPrimitiveQuery | MacPrimitiveQuery | AdderPrimitiveQuery

/** What an estimator says about one primitive. */
export interface PrimitiveEstimate {
  /**
   * Energy per action in pJ. Memories: `read`, `write`, `idle` (a gated access); DRAM: `read`,
   * `write`, `idle`; MACs: `mac_random`, `mac_reused`, `mac_gated`, `mac_skipped`, `idle`; adders: `add`, `idle`.
   */
  readonly energyPJ: Readonly<Record<string, number>>
  /** Area of one instance, µm². */
  readonly areaUM2: number
  /** True when the query lies outside the data the estimator was built from. */
  readonly extrapolated: boolean
  /** Where the numbers come from and how they were derived (one line each). */
  readonly notes: readonly string[]
}

/** An energy/area estimator plug-in. */
export interface EnergyAreaEstimator extends PluginMeta {
  /** 0–100: when several estimators support a primitive, the most accurate wins (Accelergy's rule). */
  readonly accuracy?: number
  /** Cheap capability check. */
  supports(query: PrimitiveQuery): boolean
  /**
   * Pure, synchronous, deterministic.
   * @throws {SnipSnapError} UNSUPPORTED_QUERY when `supports(query)` is false.
   */
  estimate(query: PrimitiveQuery): PrimitiveEstimate
}

/** Identity helper that types an estimator plug-in. */
export const defineEnergyAreaEstimator = (estimator: EnergyAreaEstimator): EnergyAreaEstimator =>
  estimator

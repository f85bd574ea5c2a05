// Types of the built-in density models: every built-in instance gives the full distribution and
// the max occupancy at a confidence, so callers never need the contract's fallbacks for them.
import type { DensityModelInstance, OccupancyDistribution, TileQuery } from '@snipsnap/core'

/** A {@link DensityModelInstance} whose optional queries are all implemented. */
export interface FullDensityModelInstance extends DensityModelInstance {
  /** Id of the model that built the instance (`hypergeometric`, `banded`, …). */
  readonly modelId: string
  distribution(tile: TileQuery): OccupancyDistribution
  /**
   * Occupancy at a confidence level (Timeloop's `GetMaxTileOccupancyByConfidence`); confidence 1
   * (the default) is the largest possible occupancy.
   */
  maxOccupancy(tile: TileQuery, confidence?: number): number
}

/** The input every density model's `create` receives, before validation. */
export interface DensityModelInput<TParams> {
  readonly density: number
  readonly tensorShape: readonly number[]
  readonly params: TParams
}

// Public API of @snipsnap/compress: the adaptive compression engine (format slots, candidate space,
// fixed baselines, importance-pruned selection under any CostModel).
export {
  selectFormats,
  optimizeFormats,
  createSelectionCache,
  type FormatChoice,
  type FormatSelection,
  type FormatSelectionValid,
  type FormatSelectionInvalid,
  type BaselineOutcome,
  type SelectionCache,
  type SelectFormatsInput,
  type OptimizeFormatsInput,
} from './select'
export { resolveSelectOptions, selectOptionsSchema, type SelectFormatsOptions, type ResolvedSelectOptions } from './schema'
export {
  deriveTensorChains,
  assertMappingMatches,
  type FormatSlot,
  type SlotRank,
  type TensorChain,
} from './slots'
export {
  PRIMITIVES,
  BASELINES,
  baselineGroups,
  enumerateGroupFormats,
  toTensorFormatSpec,
  formatText,
  specText,
  boundSpecText,
  bindFormat,
  specToGroups,
  rankWordBits,
  wordBitsFromPrimitives,
  type WordBitsRule,
  type GroupGeometry,
  type PrimitiveId,
  type BaselineName,
  type RankGroup,
  type GroupFormat,
  type Segments,
  type BoundRank,
} from './formats'
export { BASELINE_NEEDS, resolveEnginePrimitives, type EnginePrimitives } from './primitives'
export {
  createEmptinessEstimator,
  estimateTileBits,
  levelEnergies,
  denseTraffic,
  type DensityModelSource,
  type EmptinessEstimator,
  type TileBits,
  type LevelEnergies,
  type Traffic,
} from './estimate'

// Public API of @snipsnap/format: hierarchical compression format encoding (paper.md §3).
export { bitmask } from './primitives/bitmask'
export { coordinatePayload } from './primitives/coordinate-payload'
export { nOfM } from './primitives/nm'
// The N:M placement rule lives in core (plug-ins depending on core alone share it); re-exported here as before.
export { nmPlacementOptions } from '@snipsnap/core'
export { expectedRunPadding, runLength } from './primitives/run-length'
export { uncompressed, uncompressedBitmask, uncompressedOffsetPairs } from './primitives/uncompressed'
export { BUILTIN_PRIMITIVES, createFormatRegistry } from './registry'
export { formatCompPat, parseCompPat, type CompPat, type RankPart, type RankSpec } from './comp-pat'
export { CompPatSchema, RankPartSchema, RankSpecSchema, type CompPatInput } from './schema'
export {
  assertShape,
  bindFormat,
  defaultDimNames,
  type BindFormatOptions,
  type BoundFormat,
  type BoundPart,
  type BoundRank,
} from './bind'
export {
  decodeTensor,
  encodeTensor,
  type CooTensorInput,
  type DecodedTensor,
  type DenseTensorInput,
  type EncodedRank,
  type EncodedTensor,
  type EncodeResult,
  type EncodeTensorOptions,
  type FormatSizes,
  type PackedWords,
  type RankSizes,
  type TensorInput,
} from './codec'
export { createUniformDensity, uniformDensityModel } from './density'
export { createSizeEstimator, estimateFormatSize, type SizeEstimator } from './size-model'
export {
  countFormatSpace,
  enumerateFormatSpace,
  formatSpaceSizes,
  LLAMA2_7B_WEIGHT_SHAPES,
  type FormatSpaceOptions,
  type FormatSpaceSize,
} from './space'
export { FORMAT_PRESETS, presetPattern, presetText, type FormatPreset } from './presets'
export { rankFormats, type FormatCandidate, type FormatRanking, type FormatRankingReport } from './rank'

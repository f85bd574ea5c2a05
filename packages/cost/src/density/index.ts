// Public API of the density models of @snipsnap/cost: the built-in plug-ins, their registry and
// aliases, uniform queries over any instance, and the numerics the format and cost code reuse.
export { actualDataDensityModel, createActualDataDensity, createMaskPattern } from './actual-data'
export type { ActualDataParams } from './actual-data'
export { bandedDensityModel, createBandPattern, createBandedDensity } from './banded'
export type { BandedParams } from './banded'
export { blockDensityModel, createBlockDensity } from './block'
export type { BlockParams } from './block'
export {
  createFixedStructuredDensity,
  fixedStructuredDensityModel,
  fixedStructuredDistribution,
} from './fixed-structured'
export type { FixedStructuredParams } from './fixed-structured'
export {
  createHypergeometricDensity,
  hypergeometricDensityModel,
  hypergeometricLawOf,
} from './hypergeometric'
export type { HypergeometricParams } from './hypergeometric'
export {
  convolve,
  expectationOf,
  hypergeometricDistribution,
  hypergeometricProbabilityZero,
  logChoose,
  logGamma,
  logGammaRatio,
  maxOf,
  mixture,
  probabilityZeroOf,
  quantileOf,
  TAIL_MASS,
} from './math'
export type { HypergeometricLaw } from './math'
export { createNmDensity, nmDensityModel } from './n-m'
export type { NmParams } from './n-m'
export { createPatternInstance, patternHistogram } from './pattern'
export type { TilePattern } from './pattern'
export {
  distributionOf,
  expectedOccupancyOf,
  expectOver,
  maxOccupancyOf,
  probabilityEmptyOf,
} from './queries'
export {
  builtinDensityModels,
  createDensityInstance,
  createDensityRegistry,
  DENSITY_MODEL_ALIASES,
  resolveDensityModelId,
} from './registry'
export { checkDensityLaws } from './laws'
export type { DensityModelInput, FullDensityModelInstance } from './types'

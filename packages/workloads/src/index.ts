// Public API of @snipsnap/workloads: real-tensor readers and pruning, the LLM/CNN workload zoo
// (per-layer GEMMs and native convolutions) and the sparsity presets.
export type { DenseTensor } from './tensor'
export { numelOf } from './tensor'
export { readTensors, detectTensorFormat, type ReadTensorsOptions, type TensorFileFormat } from './read-tensors'
export { readNpy } from './npy'
export { readMatrixMarket } from './matrix-market'
export { readSafetensors } from './safetensors'
export { readGguf, readGgufHeader, type GgufHeader } from './gguf'
export { readLlama2c, readLlama2cConfig, llama2cLayout, type Llama2cConfig } from './llama2c'
export {
  pruneMagnitude,
  pruneNM,
  maskOf,
  densityOf,
  sparsityStats,
  type PruneMagnitudeOptions,
  type PruneNMOptions,
  type SparsityStats,
} from './prune'
export {
  MODELS,
  type ModelSpec,
  type TransformerModelSpec,
  type CnnModelSpec,
  type TransformerHyperParams,
  type TransformerFamily,
  type ConvLayerSpec,
} from './zoo'
export {
  listModels,
  linearGemm,
  TENSOR_ROLES,
  getModel,
  buildWorkload,
  gemmToProblem,
  convToProblem,
  layerToProblem,
  layerShapeText,
  CONV_TENSOR_NAMES,
  gemmMacs,
  workloadMacs,
  kvCacheBytesPerToken,
  type BuildWorkloadOptions,
  type Workload,
  type GemmLayer,
  type ConvShape,
  type ConvLowering,
  type GemmTensorName,
  type TensorRole,
} from './workload'
export {
  SPARSITY_PRESETS,
  listSparsityPresets,
  getSparsityPreset,
  defineSparsityPreset,
  applySparsity,
  measuredDensity,
  measuredWeightSparsity,
  LLAMA2C_WEIGHT_NAMES,
  type MeasuredWeightSparsityOptions,
  type SparsityPreset,
  type SparsityRule,
  type LayerSparsity,
  type MeasuredDensityOptions,
  type Phase,
} from './sparsity'
export { readTfjsWeights, type ReadTfjsWeightsOptions } from './tfjs'

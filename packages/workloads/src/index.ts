// Public API of @snipsnap/workloads: real-tensor readers and pruning (the workload zoo and the
// sparsity presets are added beside them).
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

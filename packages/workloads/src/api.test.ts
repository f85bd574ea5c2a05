// The public surface of @snipsnap/workloads: a change here is an API change to review.
import { expect, it } from 'vitest'

it('exports exactly this runtime API', async () => {
  expect(Object.keys(await import('@snipsnap/workloads')).sort()).toEqual(
    [
      'MODELS',
      'SPARSITY_PRESETS',
      'applySparsity',
      'buildWorkload',
      'defineSparsityPreset',
      'densityOf',
      'detectTensorFormat',
      'gemmMacs',
      'gemmToProblem',
      'getModel',
      'getSparsityPreset',
      'kvCacheBytesPerToken',
      'listModels',
      'listSparsityPresets',
      'llama2cLayout',
      'maskOf',
      'measuredDensity',
      'measuredWeightSparsity',
      'LLAMA2C_WEIGHT_NAMES',
      'numelOf',
      'pruneMagnitude',
      'pruneNM',
      'readGguf',
      'readGgufHeader',
      'readLlama2c',
      'readLlama2cConfig',
      'readMatrixMarket',
      'readNpy',
      'readSafetensors',
      'readTensors',
      'readTfjsWeights',
      'sparsityStats',
      'workloadMacs',
    ].sort(),
  )
})

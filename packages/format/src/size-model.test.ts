import { createRng, type DensityModelInstance } from '@snipsnap/core'
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bindFormat,
  createFormatRegistry,
  createSizeEstimator,
  createUniformDensity,
  encodeTensor,
  estimateFormatSize,
  expectedRunPadding,
  presetText,
  type BoundFormat,
  type FormatSizes,
} from '@snipsnap/format'
import { arbCompPat, arbShape } from '@snipsnap/format/testing'

const registry = createFormatRegistry()

const exactSizes = (format: BoundFormat, data: Float32Array): FormatSizes => {
  const result = encodeTensor({ format, tensor: { shape: format.shape, data } })
  if (!result.ok) throw new Error(result.reason)
  return result.encoded.sizes
}

const bernoulli = (size: number, density: number, seed: number): Float32Array => {
  const rng = createRng(seed)
  const data = new Float32Array(size)
  for (let i = 0; i < size; i++) if (rng.next() < density) data[i] = 1
  return data
}

const tensorCache = new Map<string, Float32Array>()
const tensorSample = (density: number, s: number): Float32Array => {
  const key = `${density}:${s}`
  let data = tensorCache.get(key)
  if (data === undefined) {
    data = bernoulli(256 * 256, density, 1000 * s + Math.round(density * 100))
    tensorCache.set(key, data)
  }
  return data
}

describe('analytic size model', () => {
  test.prop([arbShape({ maxOrder: 3, maxDim: 10 }).chain((shape) => fc.tuple(fc.constant(shape), arbCompPat({ shape }))), fc.constantFrom(0, 1)])(
    'equals the exact codec on empty and full tensors (deterministic structure)',
    (patternCase, density) => {
      const [shape, pattern] = patternCase
      const format = bindFormat({ pattern, shape, registry })
      const data = new Float32Array(format.tensorSize).fill(density)
      const exact = exactSizes(format, data)
      const analytic = estimateFormatSize({ format, density: createUniformDensity({ density }) })
      expect(analytic).toEqual(exact)
    },
  )

  it('equals the exact codec on 2:4-structured tensors for CSR, bitmap and N:M', () => {
    const shape = [32, 64]
    const rng = createRng(3)
    const data = new Float32Array(32 * 64)
    for (let g = 0; g < data.length; g += 4) {
      const a = rng.int(4)
      const b = (a + 1 + rng.int(3)) % 4
      data[g + a] = 1
      data[g + b] = 2
    }
    // Only first moments matter for these formats: each element is non-zero with probability 1/2
    // and every row is non-empty, which the uniform model at density 0.5 states exactly.
    for (const preset of ['csr', 'csc', 'coo', 'bitmap', 'nm-2-4', 'dense']) {
      const format = bindFormat({ pattern: presetText(preset, shape), shape, registry })
      const analytic = estimateFormatSize({ format, density: createUniformDensity({ density: 0.5 }) })
      const exact = exactSizes(format, data)
      expect(analytic.metadataBits, preset).toBeCloseTo(exact.metadataBits, 6)
      expect(analytic.payloadBits, preset).toBeCloseTo(exact.payloadBits, 6)
      expect(analytic.dataBits, preset).toBeCloseTo(exact.dataBits, 6)
    }
  })

  const patterns = [
    ...['csr', 'csc', 'coo', 'dcsr', 'bitmap', 'bitmap2', 'rle', 'bcsr'].map((id) => presetText(id, [256, 256])),
    'B(K:8)-CP(K:32)-U(M)',
    'UOP(M:16)-B(M:16,K:16)-RLE(K:16)[mb=2]',
    'UB(M)-RLE(K)[mb=3]',
    'CP(M:64)-UOP(K:4)-B(M:4,K:64)',
  ]
  it.each(patterns)('is within 2%% of the mean exact size over random tensors: %s', (text) => {
    const shape = [256, 256]
    const format = bindFormat({ pattern: text, shape, registry })
    const estimator = createSizeEstimator(format)
    for (const density of [0.05, 0.2, 0.5, 0.9]) {
      // 10 tensors of 65,536 elements keep the standard error of the mean under ~0.6% at d = 0.05.
      const samples = 10
      const mean = { metadataBits: 0, payloadBits: 0, dataBits: 0, totalBits: 0 }
      for (let s = 0; s < samples; s++) {
        const exact = exactSizes(format, tensorSample(density, s))
        for (const key of Object.keys(mean) as (keyof typeof mean)[]) mean[key] += exact[key] / samples
      }
      const analytic = estimator.estimate(createUniformDensity({ density }))
      for (const key of Object.keys(mean) as (keyof typeof mean)[]) {
        const error = Math.abs(analytic[key] - mean[key])
        expect(error, `${text} d=${density} ${key}: analytic ${analytic[key]} vs mean ${mean[key]}`).toBeLessThanOrEqual(
          0.02 * mean[key] + 1,
        )
      }
      expect(estimator.totalBits(createUniformDensity({ density }))).toBeCloseTo(analytic.totalBits, 6)
    }
  })

  it('computes RLE padding in closed form equal to the direct sum', () => {
    const direct = (F: number, q: number, w: number): number => {
      const M = 2 ** w - 1
      let sum = 0
      for (let i = 0; i < F; i++) for (let t = 1; t * M <= i; t++) sum += (1 - q) * q ** (t * M)
      return sum
    }
    for (const [F, q, w] of [
      [4096, 0.9, 2],
      [4096, 0.999, 3],
      [64, 0.5, 1],
      [10_000, 0.99999, 2],
      [4096, 0.3, 4],
      [100, 0.97, 3],
    ] as const) {
      expect(expectedRunPadding(F, q, w)).toBeCloseTo(direct(F, q, w), 6)
    }
    expect(expectedRunPadding(4096, 0.5, 13)).toBe(0)
  })

  it('passes tile shapes in tensor dimensions to the density model', () => {
    const seen: number[][] = []
    const spy: DensityModelInstance = {
      density: 0.5,
      expectedOccupancy: () => 0,
      probabilityEmpty: (tile) => {
        seen.push([...tile.shape])
        return 0.5
      },
    }
    const format = bindFormat({ pattern: 'B(K:8)-CP(M:4)-U(M:2,K:16)', shape: [8, 128], registry })
    createSizeEstimator(format).totalBits(spy)
    expect(seen).toEqual([
      [8, 16],
      [2, 16],
      [1, 1],
    ])
  })

  it('rejects densities outside [0, 1]', () => {
    for (const density of [Number.NaN, -0.1, 1.5]) expect(() => createUniformDensity({ density })).toThrow(/density must be/)
  })
})

import { BUILTIN_DENSITY_MODELS, isSnipSnapError } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'

import {
  checkDensityLaws,
  createDensityInstance,
  createDensityRegistry,
  distributionOf,
  expectOver,
  maxOccupancyOf,
  resolveDensityModelId,
} from './index'

describe('density registry', () => {
  it('holds every built-in model under its id, each registry independent', () => {
    const registry = createDensityRegistry()
    expect(registry.list().map((m) => m.id)).toEqual([
      'fixed-structured',
      'hypergeometric',
      'banded',
      'n-m',
      'block',
      'actual-data',
    ])
    expect(createDensityRegistry()).not.toBe(registry)
  })

  it('holds exactly the built-in ids core names (one vocabulary for stages without a registry)', () => {
    expect(createDensityRegistry().list().map((m) => m.id)).toEqual(Object.keys(BUILTIN_DENSITY_MODELS))
  })

  it('resolves aliases used by Sparseloop specs', () => {
    expect(resolveDensityModelId('fixed')).toBe('fixed-structured')
    expect(resolveDensityModelId('diagonal')).toBe('banded')
    expect(resolveDensityModelId('uniform')).toBe('hypergeometric')
    expect(resolveDensityModelId('hypergeometric')).toBe('hypergeometric')
    const instance = createDensityInstance({
      registry: createDensityRegistry(),
      spec: { distribution: 'fixed', density: 0.5, params: {} },
      tensorShape: [8, 8],
    })
    expect(instance.expectedOccupancy({ shape: [3] })).toBe(1.5)
  })

  it('instantiates every built-in model and each satisfies the laws', () => {
    const registry = createDensityRegistry()
    const mask = new Uint8Array(64).map((_, i) => (i % 3 === 0 ? 1 : 0))
    const specs = [
      { distribution: 'fixed-structured', density: 0.3, params: {} },
      { distribution: 'hypergeometric', density: 0.3, params: {} },
      { distribution: 'banded', density: 0, params: { bandWidth: 1 } },
      { distribution: 'n-m', density: 0.5, params: { n: 2, m: 4 } },
      { distribution: 'block', density: 0.3, params: { blockShape: [2, 2] } },
      { distribution: 'actual-data', density: 0, params: { mask } },
    ]
    for (const spec of specs) {
      const model = createDensityInstance({ registry, spec, tensorShape: [8, 8] })
      for (const shape of [
        [1, 1],
        [2, 4],
        [4, 4],
        [8, 8],
        [3, 5],
      ]) {
        expect(checkDensityLaws(model, { shape }), `${spec.distribution} ${shape}`).toEqual([])
      }
      // Nested aligned tiles: a larger tile is empty only if all its sub-tiles are.
      const chain = [
        [1, 1],
        [1, 2],
        [2, 2],
        [2, 4],
        [4, 4],
        [4, 8],
        [8, 8],
      ]
      for (let i = 1; i < chain.length; i++) {
        expect(model.probabilityEmpty({ shape: chain[i]! })).toBeLessThanOrEqual(
          model.probabilityEmpty({ shape: chain[i - 1]! }) + 1e-12
        )
      }
      const q = { shape: [1, 4], constraint: { shape: [2, 8], occupancy: 4 } }
      expect(checkDensityLaws(model, q), `${spec.distribution} conditional`).toEqual([])
      expect(Number.isFinite(expectOver(model, { shape: [4, 4] }, (k) => Math.ceil(k / 4)))).toBe(
        true
      )
    }
  })

  it('gives third-party models without a distribution a consistent fallback', () => {
    const plain = { density: 0.4, expectedOccupancy: () => 2.4, probabilityEmpty: () => 0.2 }
    const dist = distributionOf(plain, { shape: [6] })
    expect(dist.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(checkDensityLaws({ ...plain, distribution: () => dist }, { shape: [6] })).toEqual([])
    expect(maxOccupancyOf(plain, { shape: [6] })).toBe(3)
  })

  it('reports unknown models with the known ids', () => {
    try {
      createDensityInstance({
        registry: createDensityRegistry(),
        spec: { distribution: 'zipf', density: 0.5, params: {} },
        tensorShape: [4],
      })
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.code).toBe('PLUGIN_NOT_FOUND')
      expect(String(error)).toContain('hypergeometric')
    }
  })
})

describe('tile shapes', () => {
  it('reads a shape that overflows the tensor as a flattened row-major tile', async () => {
    const { flattenToBox } = await import('./tile')
    expect(flattenToBox(256, [64, 64])).toEqual([4, 64])
    expect(flattenToBox(8, [64, 64])).toEqual([1, 8])
    expect(flattenToBox(4096, [64, 64])).toEqual([64, 64])
    const mask = new Uint8Array(64 * 64).map((_, i) => (i % 2 === 0 ? 1 : 0))
    const model = createDensityInstance({
      registry: createDensityRegistry(),
      spec: { distribution: 'actual-data', density: 0.5, params: { mask } },
      tensorShape: [64, 64],
    })
    // [256, 1] overflows rank 0 (64): the same 256 elements as [4, 64], i.e. 128 non-zeros.
    expect(model.expectedOccupancy({ shape: [256, 1] })).toBe(128)
    expect(model.expectedOccupancy({ shape: [256] })).toBe(128)
  })
})

describe('edge densities', () => {
  it('density 0 gives empty tiles and density 1 full tiles for the random models', () => {
    const registry = createDensityRegistry()
    for (const distribution of ['fixed-structured', 'hypergeometric', 'block']) {
      const params = distribution === 'block' ? { blockShape: [2, 2] } : {}
      const none = createDensityInstance({
        registry,
        spec: { distribution, density: 0, params },
        tensorShape: [8, 8],
      })
      const full = createDensityInstance({
        registry,
        spec: { distribution, density: 1, params },
        tensorShape: [8, 8],
      })
      for (const shape of [
        [1, 1],
        [2, 3],
        [8, 8],
      ]) {
        const size = shape[0]! * shape[1]!
        expect(none.probabilityEmpty({ shape })).toBe(1)
        expect(none.expectedOccupancy({ shape })).toBe(0)
        expect(full.probabilityEmpty({ shape })).toBe(0)
        expect(full.expectedOccupancy({ shape })).toBeCloseTo(size, 12)
        expect(full.maxOccupancy?.({ shape })).toBe(size)
      }
    }
  })

  it('clamps tiles larger than the tensor to the tensor', () => {
    const model = createDensityInstance({
      registry: createDensityRegistry(),
      spec: { distribution: 'hypergeometric', density: 0.25, params: {} },
      tensorShape: [4, 4],
    })
    expect(model.distribution?.({ shape: [100] })).toEqual({ occupancies: [4], probabilities: [1] })
  })
})

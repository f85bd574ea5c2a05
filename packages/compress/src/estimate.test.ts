// The emptiness estimate without density models: a distribution id resolves through core's
// built-in density models to the approximation it is ranked by.
import { describe, expect, it } from 'vitest'
import { createEmptinessEstimator } from '@snipsnap/compress'
import { gemmDesign } from '@snipsnap/compress/testing'
import { BUILTIN_DENSITY_MODELS, DENSITY_MODEL_ALIASES, emptinessApproximationOf } from '@snipsnap/core'

const problem = gemmDesign({ M: 8, N: 8, K: 8, densityA: 0.5, densityB: 0.5, factors: {} }).problem
const space = problem.dataSpaces[0]!
const estimatorOf = (distribution: string, density = 0.5) =>
  createEmptinessEstimator({ problem, space, spec: { distribution, density, params: {} }, densityModels: undefined })

describe('createEmptinessEstimator without density models', () => {
  it('ranks the structured built-ins (and their aliases) by the fixed-structured rule', () => {
    for (const id of ['fixed-structured', 'fixed', 'n-m', 'nm', 'structured']) {
      const e = estimatorOf(id)
      expect(e.source).toMatch(/\(built-in fixed-structured approximation\)$/)
      expect(e.probabilityEmpty({ shape: [1] })).toBeCloseTo(0.5, 12)
      expect(e.probabilityEmpty({ shape: [2, 2] })).toBe(0)
    }
  })

  it('ranks the other built-ins and an id that is not built in by the uniform rule', () => {
    for (const id of ['hypergeometric', 'uniform', 'banded', 'block', 'actual-data', 'row-clustered']) {
      const e = estimatorOf(id)
      expect(e.source).toMatch(/\(built-in uniform approximation\)$/)
      expect(e.probabilityEmpty({ shape: [2, 2] })).toBeCloseTo(0.0625, 12)
    }
  })

  it('follows core’s table for every built-in id and alias', () => {
    for (const id of [...Object.keys(BUILTIN_DENSITY_MODELS), ...Object.keys(DENSITY_MODEL_ALIASES)]) {
      expect(estimatorOf(id).source.endsWith(`(built-in ${emptinessApproximationOf(id)} approximation)`)).toBe(true)
    }
  })
})

// A validity rejection Sparseloop would not make is a wrong answer too: on every shared design,
// the mapspace's cheap check and the Sparseloop cost model agree on every mapping a search
// visits (samples, mutations and crossovers of the mapspace, from random seeds). Both accept, or
// both reject with the same kind at the same level. The one allowed difference: the mapspace
// without the cost model's metadata-size hook cannot see a metadata-capacity overflow.
import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { createRng, type DesignSpec, type MappingSpec } from '@snipsnap/core'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import { createMapspace } from '@snipsnap/mapspace'
import { listCases, listRandomDesigns, loadCase, loadRandomDesign } from './sparseloop-reference'

const designs: [string, DesignSpec][] = [
  ...listCases().map((name): [string, DesignSpec] => [name, loadCase(name).design]),
  ...listRandomDesigns().map((name): [string, DesignSpec] => [`random/${name}`, loadRandomDesign(name).design]),
]

// Designs with spatial skipping get more walks: their per-data-space expansions are where the two
// checks could part (one disagreement in ~7,000 mappings before both used one rule).
const hasSpatialSkipping = (design: DesignSpec): boolean =>
  design.sparseOptimizations.targets.some((t) => t.actionOptimizations.some((a) => a.type === 'skipping-spatial'))

describe.each(designs)('%s: mapspace validity equals cost-model validity', (_, design) => {
  // No constraints: a constraint narrows the search, it is not a reason the model rejects.
  const space = createMapspace({ arch: design.arch, problem: design.problem, constraints: [], sparseOptimizations: design.sparseOptimizations })
  const cost = createSparseloopEvaluator(design)
  const numRuns = hasSpatialSkipping(design) ? 36 : 12

  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns, seed: 17 })('on a search-like walk from a random seed (fixed fast-check seed, reproducible)', (seed) => {
    const rng = createRng(seed)
    let current: MappingSpec = space.sample(rng)
    let other: MappingSpec = space.sample(rng)
    const disagreements: string[] = []
    for (let step = 0; step < 16; step++) {
      const r = rng.next()
      const mapping = r < 0.2 ? space.sample(rng) : r < 0.35 ? space.crossover(current, other, rng) : space.mutate(current, rng)
      other = current
      current = mapping
      const verdict = space.check(mapping)
      const report = cost.evaluate(mapping)
      const mine = verdict.ok ? 'valid' : `${verdict.kind} at ${verdict.level}`
      const model = report.valid ? 'valid' : `${report.kind} at ${report.level ?? '?'}`
      if (verdict.ok && !report.valid && report.kind === 'metadata-capacity') continue
      if (mine !== model) disagreements.push(`step ${step}: mapspace ${mine}${verdict.ok ? '' : ` (${verdict.reason})`}, cost model ${model}${report.valid ? '' : ` (${report.reason})`}`)
    }
    expect(disagreements).toEqual([])
  })
})

describe('spatial skipping: a storage level checks the largest per-data-space expansion', () => {
  // Found by a walk (seed 156): RF's 64 X-axis instances shrink to LRF's mesh X of 16 for every
  // data space (A by its own RLE metadata at DRAM, B and Z by skipping on A), so LRF fits. The
  // cost model used to shrink only the innermost condition loop and rejected it at LRF.
  const name = 'fig15-STC_flexible-RLE-M512-K256-N1024-w0.25'
  const design = loadRandomDesign(name).design
  const level = (target: string, temporal: Record<string, number>, tp: string[], spatial: Record<string, number>, sp: string[], split: number, keep: string[], bypass: string[]) => ({
    target,
    temporalFactors: temporal,
    temporalPermutation: tp,
    spatialFactors: spatial,
    spatialPermutation: sp,
    spatialSplit: split,
    keep,
    bypass,
    stream: [],
  })
  const mapping = {
    levels: [
      level('DRAM', { M: 16, N: 8, K: 8 }, ['K', 'M', 'N'], {}, ['M', 'N', 'K'], 0, ['A', 'B', 'Z'], []),
      level('SMEM', { M: 4, N: 8, K: 8 }, ['K', 'M', 'N'], { N: 2 }, ['N', 'M', 'K'], 0, ['B', 'Z'], ['A']),
      level('RF', { K: 2 }, ['K', 'M', 'N'], { M: 8, N: 4, K: 2 }, ['N', 'K', 'M'], 3, ['B', 'Z'], ['A']),
      level('LRF', { N: 2 }, ['N', 'M', 'K'], {}, ['M', 'N', 'K'], 0, ['A'], ['B', 'Z']),
    ],
  } as MappingSpec

  test(`${name}: the mapspace and the cost model both accept it`, () => {
    const space = createMapspace({ arch: design.arch, problem: design.problem, constraints: [], sparseOptimizations: design.sparseOptimizations })
    const verdict = space.check(mapping)
    const report = createSparseloopEvaluator(design).evaluate(mapping)
    expect(verdict.ok ? 'valid' : verdict.reason).toBe('valid')
    expect(report.valid ? 'valid' : report.reason).toBe('valid')
  })
})

// The `clustered` density plug-in, registered once, reaches the mapspace and the cost model: they
// agree on the validity of every mapping a search draws on the STC mapper case, and an
// unregistered id is a precise error from both.
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createRegistry, createRng, type DensityModel, type DesignSpec } from '@snipsnap/core'
import { builtinDensityModels, createSparseloopEvaluator } from '@snipsnap/cost'
import { createMapspace } from '@snipsnap/mapspace'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import plugin, { clusteredDensityModel, createClusteredDensity } from './index'

const caseDir = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const design = parseTimeloopYaml(
  readdirSync(caseDir).filter((f) => f.endsWith('.yaml')).map((f) => ({ fileName: f, text: readFileSync(join(caseDir, f), 'utf8') })),
  { ignore: ['mapping'] },
)
// The weights become row-clustered at the same density: half of their rows hold every non-zero.
const clustered: DesignSpec = {
  ...design,
  problem: {
    ...design.problem,
    densities: Object.fromEntries(
      Object.entries(design.problem.densities).map(([t, d]) => [t, d.density < 1 ? { ...d, distribution: 'clustered', params: { activeRowFraction: Math.min(1, 2 * d.density) } } : d]),
    ),
  },
}
const densities = createRegistry<DensityModel>('density-model', [...builtinDensityModels, clusteredDensityModel as DensityModel])

describe('clustered density model', () => {
  it('is a plug-in bundle', () => {
    expect(plugin.densityModels?.map((m) => m.id)).toEqual(['clustered'])
  })

  it('keeps the expectation and is emptier than uniform for row-sized tiles', () => {
    const instance = createClusteredDensity({ density: 0.25, tensorShape: [64, 64], params: { activeRowFraction: 0.5 } })
    expect(instance.expectedOccupancy({ shape: [64] })).toBe(16)
    // A whole row is empty with probability 1 − 0.5 plus the active row's all-zero chance.
    expect(instance.probabilityEmpty({ shape: [64] })).toBeCloseTo(0.5 + 0.5 * 0.5 ** 64, 12)
    expect(() => createClusteredDensity({ density: 0.6, tensorShape: [8], params: { activeRowFraction: 0.5 } })).toThrow(/density 0.6/)
    expect(() => createClusteredDensity({ density: 0.1, tensorShape: [8], params: {} })).toThrow(/activeRowFraction/)
  })

  it('the mapspace and the cost model agree on every mapping a search draws', () => {
    const space = createMapspace({ arch: clustered.arch, problem: clustered.problem, constraints: clustered.constraints, sparseOptimizations: clustered.sparseOptimizations, options: { densities } })
    const cost = createSparseloopEvaluator(clustered, { densityModels: densities })
    const rng = createRng(7)
    let accepted = 0
    for (let i = 0; i < 200; i++) {
      const mapping = space.sample(rng)
      const verdict = space.check(mapping)
      const report = cost.evaluate(mapping)
      expect(report.valid, `mapping ${i}: mapspace ${verdict.ok ? 'accepts' : verdict.reason}, cost ${report.valid ? 'valid' : report.reason}`).toBe(verdict.ok)
      if (verdict.ok) accepted++
    }
    expect(accepted).toBeGreaterThan(0)
  })

  it('is an error naming the id in both stages when not registered', () => {
    expect(() => createMapspace({ arch: clustered.arch, problem: clustered.problem, constraints: [], sparseOptimizations: clustered.sparseOptimizations })).toThrow(/"clustered"/)
    expect(() => createSparseloopEvaluator(clustered)).toThrow(/unknown density model "clustered"/)
  })
})

// codesignModel: the preset is the first point (the baseline, same per-design budget), points over
// the area cap are never evaluated, per-point tables come from the estimator, totals are count-
// weighted sums, the dataflow-only mode keeps the default formats, and bad options are named.
import { describe, expect, it } from 'vitest'
import type { EnergyAreaEstimator } from '@snipsnap/core'
import { createEstimatorRegistry, tableEstimator } from '@snipsnap/arch'
import { codesignProblems } from './codesign'
import { createExplorer } from './explorer'

const explorer = createExplorer()
// The default estimator, counting its queries (proves each point's tables come from it).
const createEnergyAreaEstimatorSpy = (): { estimator: EnergyAreaEstimator; queries: () => number } => {
  let n = 0
  return { estimator: { ...tableEstimator, id: 'table-spy', estimate: (q) => { n++; return tableEstimator.estimate(q) } }, queries: () => n }
}
const small = { model: 'gpt-2', sparsity: 'unstructured-50', phase: 'decode' as const, dataflowEvaluations: 2, maxRounds: 0, seed: 2 }

describe('codesignModel', () => {
  it('starts at the preset, screens by area before evaluating and totals layers', async () => {
    const spy = createEnergyAreaEstimatorSpy()
    const r = await explorer.codesignModel({ ...small, axes: { glbKiB: [256, 512, 2048], peArray: ['8x16', '16x16'] }, maxPoints: 3, maxAreaUM2: 3.5e6, estimator: spy.estimator })
    expect(r.baseline?.hardware).toEqual({})
    expect(r.evaluatedPoints).toBeLessThanOrEqual(3)
    expect(spy.queries()).toBeGreaterThan(0)
    for (const p of [r.baseline, ...r.pareto]) {
      if (p === null) continue
      expect(p.areaUM2).toBeLessThanOrEqual(3.5e6)
      expect(p.energyPJ).toBeCloseTo(p.layers.reduce((s, l) => s + l.count * l.energyPJ, 0), 3)
      expect(p.edp).toBeCloseTo(p.energyPJ * p.cycles, -10)
    }
    expect((r.rejected['area'] ?? 0) + r.evaluatedPoints).toBeGreaterThan(1)
  }, 120_000)

  it('rejects points over the power cap before evaluating any', async () => {
    const spy = createEnergyAreaEstimatorSpy()
    const r = await explorer.codesignModel({ ...small, axes: { glbKiB: [256, 512] }, maxPoints: 2, maxPowerMW: 1e-3, estimator: spy.estimator })
    expect(r.evaluatedPoints).toBe(0)
    expect(r.baseline).toBeNull()
    expect(r.rejected).toEqual({ power: 2 })
    expect(r.stoppedBy).toBe('exhausted')
  }, 120_000)

  it('keeps the default formats in dataflow-only mode', async () => {
    const r = await explorer.codesignModel({ ...small, mode: 'dataflow-only', axes: { glbKiB: [256, 512] }, maxPoints: 2 })
    for (const p of r.pareto) for (const l of p.layers) expect(l.formats).toEqual([])
  }, 120_000)

  it('takes a CNN as native convolutions: each layer names its conv shape, and its problems are the conv problems', async () => {
    const cnn = { model: 'alexnet', sparsity: ['unstructured-50', 'relu-50'], phase: 'prefill' as const }
    const r = await explorer.codesignModel({ ...cnn, dataflowEvaluations: 4, maxRounds: 0, seed: 2, maxPoints: 1 })
    const point = r.baseline
    if (point === null) throw new Error(`the preset point was rejected: ${JSON.stringify(r.rejected)}`)
    const conv3 = point.layers.find((l) => l.names.includes('conv3'))
    expect(conv3?.shape).toBe('N1 C256 M384 R3 S3 P13 Q13 s1')
    expect(conv3?.conv).toMatchObject({ C: 256, M: 384, R: 3, S: 3, P: 13, Q: 13 })
    expect(point.layers.find((l) => l.names.includes('fc6'))).toMatchObject({ shape: '1×9216×4096', conv: null })
    const problems = codesignProblems(cnn)
    expect(problems.map((p) => p.dimensions.length)).toEqual(point.layers.map((l) => (l.conv === null ? 3 : l.conv.G > 1 ? 8 : 7)))
    expect(codesignProblems({ ...cnn, lowering: 'im2col' }).every((p) => p.dimensions.join() === 'M,K,N')).toBe(true)
  }, 300_000)

  it('builds every point from the estimator named by id, by default the most accurate registered one', async () => {
    const estimators = createEstimatorRegistry()
    // A plug-in as `--plugin` would register it: twice the table's areas, claiming more accuracy.
    // It also says it extrapolates for MACs: the point must say so, naming the level.
    const doubleArea = (q: Parameters<EnergyAreaEstimator['estimate']>[0]) => {
      const e = tableEstimator.estimate(q)
      return q.kind === 'mac' ? { ...e, areaUM2: 2 * e.areaUM2, extrapolated: true, notes: ['MAC width beyond the data, EXTRAPOLATED'] } : { ...e, areaUM2: 2 * e.areaUM2 }
    }
    estimators.register({ ...tableEstimator, id: 'double-area', accuracy: 99, estimate: doubleArea })
    const plugged = createExplorer({ estimators })
    const one = { ...small, axes: { glbKiB: [512] }, maxPoints: 1 }
    const table = await plugged.codesignModel({ ...one, estimator: 'table' })
    const doubled = await plugged.codesignModel({ ...one, estimator: 'double-area' })
    const auto = await plugged.codesignModel(one)
    expect(table.estimator).toBe('table')
    expect(doubled.baseline?.areaUM2).toBeCloseTo(2 * (table.baseline?.areaUM2 ?? Number.NaN), 0)
    expect([table.baseline?.extrapolated, table.baseline?.extrapolations]).toEqual([false, []])
    expect([doubled.baseline?.extrapolated, doubled.baseline?.extrapolations]).toEqual([true, ['MAC compute: MAC width beyond the data, EXTRAPOLATED']])
    expect(auto.estimator).toBe('most-accurate')
    expect(auto.baseline?.areaUM2).toBe(doubled.baseline?.areaUM2)
    await expect(plugged.codesignModel({ ...one, estimator: 'cacti' })).rejects.toThrow(/unknown estimator "cacti"; known: table, double-area/)
  }, 300_000)

  it('names bad options', async () => {
    await expect(explorer.codesignModel({ ...small })).rejects.toThrow(/needs a budget/)
    await expect(explorer.codesignModel({ ...small, budgetS: 10 })).rejects.toThrow(/needs a clock/)
    await expect(explorer.codesignModel({ ...small, maxPoints: 1, mode: 'magic' as never })).rejects.toThrow(/mode must be one of/)
    await expect(explorer.codesignModel({ ...small, maxPoints: 1, axes: { glbKiB: [] } })).rejects.toThrow(/glbKiB/)
    await expect(explorer.codesignModel({ ...small, maxPoints: 1, arch: 'tpu' })).rejects.toThrow(/unknown architecture preset/)
  })
})

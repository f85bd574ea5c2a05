// One vocabulary: a rank symbol or a density id that nobody registered is a precise error from
// every stage (importer, cost model, mapspace, compression engine), naming it and the registered
// ones — never a silent 0 — and a registered one is accepted everywhere.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { SPARSELOOP_RANK_FORMATS, type CostQuery, type DesignSpec, type RankFormat } from '@snipsnap/core'
import { errorOf } from '@snipsnap/core/testing'
import { optimizeFormats } from '@snipsnap/compress'
import { createDensityRegistry, evaluateSparseloop, sparseloopCostModel } from '@snipsnap/cost'
import { coordinatePayload, createFormatRegistry } from '@snipsnap/format'
import { createMapspace } from '@snipsnap/mapspace'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import { casesRoot } from './sparseloop-reference'

const dir = path.join(casesRoot, 'fig1-coordlist-d0.1')
const read = (file: string, edit: (text: string) => string = (t) => t) => ({
  fileName: file,
  text: edit(fs.readFileSync(path.join(dir, file), 'utf8')),
})
const sources = (edit?: (text: string) => string) => [read('input.yaml', edit), read('ERT.yaml'), read('ART.yaml')]
const withNmx = (text: string) => text.replaceAll('format: CP', 'format: NMX')
// A registered primitive priced like CP (the point is the plumbing, not the numbers).
const nmx: RankFormat = { ...SPARSELOOP_RANK_FORMATS.CP, symbol: 'NMX' }
const formats = [...Object.values(SPARSELOOP_RANK_FORMATS), nmx]

const query = (design: DesignSpec): CostQuery => {
  if (design.mapping === null) throw new Error('the case has a mapping')
  return { ...design, mapping: design.mapping, energyTable: design.energyTable ?? null }
}
const renameSymbol = (design: DesignSpec, from: string, to: string): DesignSpec => ({
  ...design,
  sparseOptimizations: {
    targets: design.sparseOptimizations.targets.map((t) => ({
      ...t,
      formats: t.formats.map((f) => ({ ...f, ranks: f.ranks.map((r) => (r.format === from ? { ...r, format: to } : r)) })),
    })),
  },
})
const withDistribution = (design: DesignSpec, id: string): DesignSpec => ({
  ...design,
  problem: {
    ...design.problem,
    densities: Object.fromEntries(Object.entries(design.problem.densities).map(([k, v]) => [k, { ...v, distribution: id }])),
  },
})

describe('an unknown rank symbol', () => {
  const design = parseTimeloopYaml(sources())
  const unknown = renameSymbol(design, 'CP', 'NMX')

  it('is rejected by the Timeloop importer, which accepts it once registered', () => {
    const error = errorOf(() => parseTimeloopYaml(sources(withNmx)))
    expect(error.message).toContain('NMX')
    expect(error.message).toContain('UOP, CP, B, RLE, UB')
    const imported = parseTimeloopYaml(sources(withNmx), { formats })
    expect(JSON.stringify(imported.sparseOptimizations)).toContain('"NMX"')
  })

  it('is a PLUGIN_NOT_FOUND error from the cost model, priced through its primitive once registered', () => {
    const error = errorOf(() => evaluateSparseloop(query(unknown)))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('"NMX"')
    expect(evaluateSparseloop(query(unknown), { formats })).toEqual(evaluateSparseloop(query(design)))
  })

  it('is a PLUGIN_NOT_FOUND error from the mapspace, accepted once registered', () => {
    const input = { arch: unknown.arch, problem: unknown.problem, constraints: [], sparseOptimizations: unknown.sparseOptimizations }
    const error = errorOf(() => createMapspace(input))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('"NMX"')
    expect(() => createMapspace({ ...input, options: { formats } })).not.toThrow()
  })

  it('is a PLUGIN_NOT_FOUND error from the compression engine, which takes the design once registered', () => {
    const densityModels = createDensityRegistry()
    const run = (formatPrimitives?: ReturnType<ReturnType<typeof createFormatRegistry>['list']>) =>
      optimizeFormats({
        design: unknown,
        costModel: sparseloopCostModel,
        costModelOptions: { densityModels, ...(formatPrimitives === undefined ? {} : { formats: formatPrimitives }) },
        densityModels,
        ...(formatPrimitives === undefined ? {} : { formatPrimitives }),
      })
    for (const formatPrimitives of [undefined, createFormatRegistry().list()]) {
      const error = errorOf(() => run(formatPrimitives))
      expect(error.code).toBe('PLUGIN_NOT_FOUND')
      expect(error.message).toContain('"NMX"')
      expect(error.message).toContain('UOP, CP, B, RLE, UB')
    }
    // Registered as a format primitive (CP's contract under the NMX symbol), the design is a candidate like any other.
    const registered = [...createFormatRegistry().list(), { ...coordinatePayload, id: 'nmx', symbol: 'NMX' }]
    const selection = run(registered)
    expect(selection.valid).toBe(true)
    expect(selection.valid && selection.given?.feasible).toBe(true)
  })
})

describe('an unknown density id', () => {
  const design = withDistribution(parseTimeloopYaml(sources()), 'clustered')

  it('is a PLUGIN_NOT_FOUND error from the cost model naming it and the registered ones', () => {
    const error = errorOf(() => evaluateSparseloop(query(design)))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('"clustered"')
    expect(error.message).toContain('hypergeometric')
    expect(error.path).toContain('distribution')
  })

  it('is a PLUGIN_NOT_FOUND error from the mapspace, with or without a registry', () => {
    const input = { arch: design.arch, problem: design.problem, constraints: [], sparseOptimizations: design.sparseOptimizations }
    for (const options of [{}, { densities: createDensityRegistry() }]) {
      const error = errorOf(() => createMapspace({ ...input, options }))
      expect(error.code).toBe('PLUGIN_NOT_FOUND')
      expect(error.message).toContain('"clustered"')
    }
  })

  it('is a PLUGIN_NOT_FOUND error from the compression engine given density models', () => {
    const densityModels = createDensityRegistry()
    const error = errorOf(() => optimizeFormats({ design, costModel: sparseloopCostModel, costModelOptions: { densityModels }, densityModels }))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('"clustered"')
    expect(error.message).toContain('hypergeometric')
    expect(error.path).toContain('distribution')
  })
})

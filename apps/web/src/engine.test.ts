import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createExplorer } from '@snipsnap/explorer'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import { createEngine, encodeTile, parseGemmList, patternToFormatSpec, unpackWords } from './engine'
import { readDroppedSpec } from './spec'
import { DEFAULT_STUDY, type Study } from './study'

const study: Study = { ...DEFAULT_STUDY, workload: { kind: 'gemms', text: 'proj 64 256 256 4\n' }, evaluations: 12 }

describe('engine', () => {
  it('outlines a GEMM list with its tensors and levels', () => {
    const outline = createEngine().outline(study)
    expect(outline.layers).toHaveLength(1)
    expect(outline.archName).toBe('llm-default') // as the page's menu names it, not the arch's top level
    const layer = outline.layers[0]
    expect(layer?.shapeText).toBe('64×256×256')
    expect(layer?.tensors.find((t) => t.name === 'B')).toMatchObject({ dims: ['K', 'N'], shape: [256, 256], density: 0.5 })
    expect(layer?.levels.length).toBeGreaterThan(1)
  })

  it('searches a layer, reporting points and progress, and prices an edited format on the result', async () => {
    const engine = createEngine()
    const events: number[] = []
    let t = 0
    const result = await engine.searchLayer(study, 0, { now: () => (t += 1), onProgress: (e) => events.push(e.evaluated), progressEveryMs: 5 })
    expect(result.energyPJ).toBeGreaterThan(0)
    expect(result.points.length).toBeGreaterThan(0)
    expect(events.length).toBeGreaterThan(1)
    expect(result.levels.reduce((s, l) => s + l.energyPJ, 0)).toBeCloseTo(result.energyPJ ?? 0, 0)
    expect(result.baselines.map((b) => b.name)).toContain('bitmap')
    expect(result.designYaml).toContain('sparse_optimizations')
    // The downloaded Timeloop YAML is the chosen design: read back and evaluated, it costs the same.
    const design = parseTimeloopYaml([{ fileName: 'design.yaml', text: result.designYaml ?? '' }])
    const report = createExplorer().evaluator(design)(design.mapping ?? result.chosen!.mapping)
    expect(report.valid && report.energyPJ).toBeCloseTo(result.energyPJ ?? 0, 3)
    expect(report.valid && report.cycles).toBe(result.cycles)
    // Each chosen format, written in the editor's notation and priced back, costs what the search chose.
    expect(result.formats.length).toBeGreaterThan(0)
    expect(result.formats.some((f) => f.pattern !== null)).toBe(true)
    for (const f of result.formats.filter((x) => x.pattern !== null)) {
      const back = engine.evaluateFormat(study, { layer: 0, tensor: f.tensor, level: f.level, pattern: f.pattern ?? '' }, result.chosen)
      expect(back.ok && back.energyPJ, `${f.tensor}@${f.level} ${f.pattern}`).toBeCloseTo(result.energyPJ ?? 0, 3)
    }
    const level = engine.outline(study).layers[0]?.levels[0] ?? ''
    const edited = engine.evaluateFormat(study, { layer: 0, tensor: 'B', level, pattern: 'UOP(K)-CP(N)' }, result.chosen)
    expect(edited.ok).toBe(true)
    if (edited.ok) {
      expect(edited.mappingSource).toBe('search')
      expect(edited.bits.metadataBits).toBeGreaterThan(0)
      expect(edited.bits.metadataShare).toBeGreaterThan(0)
      expect(edited.bits.metadataShare).toBeLessThan(1)
    }
  })

  it('prices a format before any search on a reference mapping, and names a bad pattern', () => {
    const engine = createEngine()
    const level = engine.outline(study).layers[0]?.levels[0] ?? ''
    const ok = engine.evaluateFormat(study, { layer: 0, tensor: 'B', level, pattern: 'B(K)-CP(N)' })
    expect(ok.ok && ok.mappingSource).toBe('reference')
    const bad = engine.evaluateFormat(study, { layer: 0, tensor: 'B', level, pattern: 'UOP(K)-CP(Q)' })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.message).toMatch(/Q/)
  })

  it("gives each layer the same design as the explorer's exploreModel (what `snipsnap explore` runs)", async () => {
    const zoo: Study = { ...DEFAULT_STUDY, workload: { kind: 'zoo', model: 'stories-260k', phase: 'prefill' }, evaluations: 8 }
    const engine = createEngine()
    const reference = await createExplorer().exploreModel({ model: 'stories-260k', sparsity: 'unstructured-50', phase: 'prefill', dataflowEvaluations: 8, seed: 1 })
    const layers = engine.outline(zoo).layers
    expect(layers.map((l) => l.names)).toEqual(reference.layers.map((l) => l.names))
    for (const layer of layers.slice(0, 3)) {
      const ours = await engine.searchLayer(zoo, layer.index, { now: () => 0, onProgress: () => {} })
      const theirs = reference.layers[layer.index]
      expect([ours.energyPJ, ours.cycles], layer.names[0]).toEqual([theirs?.energyPJ, theirs?.cycles])
    }
  })

  it('rejects a malformed GEMM line naming it', () => {
    expect(() => parseGemmList('a 1 2\n')).toThrow(/line 1/)
    expect(() => parseGemmList('a 1 2 x0\n')).toThrow(/line 1/)
  })

  it('turns a pattern into a Sparseloop format, U as UOP without payload', () => {
    const spec = patternToFormatSpec('B', 'U(K)-U(N:4)-CP(N:2)[mb=4]')
    expect(spec.ranks).toEqual([
      { format: 'UOP', metadataWordBits: 0, payloadWordBits: 0, flattenedRankIds: [['K']] },
      { format: 'UOP', metadataWordBits: 0, payloadWordBits: 0, flattenedRankIds: null },
      { format: 'CP', metadataWordBits: 4, payloadWordBits: null, flattenedRankIds: null },
    ])
  })

  it('encodes a tile: CSR coordinates are the non-zero columns, values the non-zeros', () => {
    const tile = { shape: [2, 4], values: [1, 0, 2, 0, 0, 0, 0, 3] }
    const encoded = encodeTile('UOP(M)-CP(K)', ['M', 'K'], tile)
    expect(encoded.ok).toBe(true)
    expect(encoded.ranks[1]?.metadata).toEqual([0, 2, 3])
    expect(encoded.ranks[0]?.payload).toEqual([0, 2, 3])
    expect(encoded.values).toEqual([1, 2, 3])
    expect(unpackWords({ wordBits: 3, count: 3, data: Uint32Array.of(0b110_011_101) })).toEqual([5, 3, 6])
  })

  it("draws a level's pattern on the small tile: innermost rank per dimension, U over a dimension it leaves out", () => {
    // A decode layer's activations at DRAM: 1×4096, walked only by loops over K.
    const tile = { shape: [2, 4], values: [1, 0, 2, 0, 0, 0, 0, 3] }
    const encoded = encodeTile('U(K:8)-U(K:64)-B(K:4)', ['M', 'K'], tile)
    expect(encoded).toMatchObject({ ok: true, pattern: 'U(M)-B(K)' })
    expect(encoded.ranks[1]?.metadata).toEqual([1, 0, 1, 0, 0, 0, 0, 1])
    expect(encoded.values).toEqual([1, 2, 3])
  })
  it("searches a dropped spec whose densities Timeloop cannot express (examples/studies/gemms.yaml: N:M activations): a result, and a note instead of the YAML", async () => {
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'studies')
    const files = ['gemms.yaml', 'arch/llm-default.arch.yaml', 'arch/llm-default.ERT.yaml', 'arch/llm-default.ART.yaml'].map((f) => ({ fileName: path.basename(f), text: readFileSync(path.join(dir, f), 'utf8') }))
    const reading = readDroppedSpec(files, DEFAULT_STUDY)
    if (reading === null || !reading.ok) throw new Error(`spec not read: ${JSON.stringify(reading)}`)
    let t = 0
    const result = await createEngine().searchLayer({ ...reading.study, evaluations: 12 }, 0, { now: () => (t += 1), onProgress: () => {} })
    expect(result.energyPJ).toBeGreaterThan(0)
    expect(result.designYaml).toBeNull()
    expect(result.designYamlNote).toMatch(/no Timeloop YAML: .*n-m/)
  })
})

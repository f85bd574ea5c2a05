// `snipsnap explore --out <dir>`: results.json is the --json object, layers.csv one row per layer
// (and phase) with the same figures, report.html self-contained; a folder that cannot be written is
// a precise error. layersCsv is also checked on the multi-phase shape with every optional field.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { layersCsv, type ExploreJson } from '../actions/explore-out'
import { runCli as run } from '../testing/run-cli'

const out = mkdtempSync(join(tmpdir(), 'snipsnap-explore-out-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(field), (field = '')
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '')
    else field += c
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row)
  return rows
}

describe('snipsnap explore --out', () => {
  it('writes results.json (the --json object), layers.csv and a self-contained report.html', async () => {
    const dir = join(out, 'run')
    const { code, stdout, stderr } = await run(['explore', '--model', 'llama-2-7b', '--sparsity', 'unstructured-50', '--phase', 'decode', '--evaluations', '8', '--json', '--out', dir])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const printed = JSON.parse(stdout) as ExploreJson
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(printed)
    const [header, ...rows] = parseCsv(readFileSync(join(dir, 'layers.csv'), 'utf8'))
    const layers = printed.phases?.flatMap((p) => p.layers) ?? printed.layers
    expect(rows.length).toBe(layers.length)
    const col = (name: string): number => header?.indexOf(name) ?? -1
    rows.forEach((row, i) => {
      const layer = layers[i]
      expect(row[col('layers')]).toBe(layer?.names.join(' '))
      expect(Number(row[col('count')])).toBe(layer?.count)
      expect(Number(row[col('energy_pJ')])).toBe(layer?.energyPJ)
      expect(Number(row[col('cycles')])).toBe(layer?.cycles)
    })
    const html = readFileSync(join(dir, 'report.html'), 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).not.toMatch(/<script/i)
    expect(html.replace(/xmlns(:xlink)?="http[^"]*"/g, '')).not.toMatch(/https?:\/\//)
    expect(html).toContain('What was compared')
    for (const layer of layers) expect(html).toContain(layer.names.join(', '))
  }, 120_000)

  it('names the folder it cannot write', async () => {
    const file = join(out, 'a-file')
    writeFileSync(file, '')
    const { code, stderr } = await run(['explore', '--model', 'llama-2-7b', '--phase', 'decode', '--evaluations', '2', '--out', join(file, 'sub')])
    expect(code).not.toBe(0)
    expect(stderr).toMatch(/--out .*a-file\/sub: cannot write results\.json/)
  }, 120_000)
})

describe('layersCsv', () => {
  const layer = (names: string[], energyPJ: number | null) => ({
    names,
    M: 4096,
    K: 4096,
    N: 1,
    count: 32,
    densities: { A: 1, B: 0.5 },
    energyPJ,
    cycles: energyPJ === null ? null : 1000,
    dataflowOnlyEnergyPJ: energyPJ === null ? null : energyPJ * 1.2,
    formats: [{ tensor: 'B', level: 'DRAM', format: 'U-CP' }],
    evaluated: 10,
    reason: energyPJ === null ? 'no valid mapping, "really"' : null,
    energyByLevel: [{ level: 'DRAM', energyPJ: 1 }, { level: 'compute', energyPJ: 2 }],
    baselines: [{ name: 'dataflow-only', energyPJ: 3 }, { name: 'bitmap', energyPJ: 4 }],
    mapping: energyPJ === null ? null : { text: 'DRAM[K4] | PE×16[N16], GLB[M2]', pesUsed: 16, pesTotal: 128 },
    interrupted: false,
  })
  const phase = (p: string) => ({ phase: p, layers: [layer(['q_proj', 'k_proj'], 5), layer(['lm_head'], null)], totalEnergyPJ: 160, totalCycles: 32000, dataflowOnlyTotalEnergyPJ: 192 })
  const result: ExploreJson = { ...phase('prefill'), model: 'm', arch: 'a', objective: ['energy'], evaluated: 40, failedLayers: 2, elapsedS: 1, phases: [phase('prefill'), phase('decode')] }

  it('has one row per layer and phase, a column per level and baseline, and quotes what needs it', () => {
    const [header, ...rows] = parseCsv(layersCsv(result))
    expect(header).toEqual(['phase', 'layers', 'shape', 'M', 'K', 'N', 'count', 'density_A', 'density_B', 'energy_pJ', 'cycles', 'energy_DRAM_pJ', 'energy_compute_pJ', 'dataflow_only_energy_pJ', 'bitmap_energy_pJ', 'evaluated', 'pes_used', 'pes_total', 'mapping', 'formats', 'interrupted', 'reason'])
    expect(rows.map((r) => [r[0], r[1]])).toEqual([['prefill', 'q_proj k_proj'], ['prefill', 'lm_head'], ['decode', 'q_proj k_proj'], ['decode', 'lm_head']])
    expect(rows[0]).toEqual(['prefill', 'q_proj k_proj', '4096×4096×1', '4096', '4096', '1', '32', '1', '0.5', '5', '1000', '1', '2', '6', '4', '10', '16', '128', 'DRAM[K4] | PE×16[N16], GLB[M2]', 'B@DRAM:U-CP', 'false', ''])
    expect(rows[1]?.[21]).toBe('no valid mapping, "really"')
    expect(rows[1]?.[18]).toBe('')
    expect(rows[1]?.[9]).toBe('')
  })

  it('names a native convolution by its conv shape, not its GEMM-equivalent M×K×N', () => {
    const conv = { ...layer(['conv3'], 5), M: 169, K: 2304, N: 384, shape: 'N1 C256 M384 R3 S3 P13 Q13 s1' }
    const { phases: _phases, ...onePhase } = result
    const [header, row] = parseCsv(layersCsv({ ...onePhase, layers: [conv] }))
    expect(row?.[header?.indexOf('shape') ?? -1]).toBe('N1 C256 M384 R3 S3 P13 Q13 s1')
    expect(row?.[header?.indexOf('M') ?? -1]).toBe('169')
  })
})

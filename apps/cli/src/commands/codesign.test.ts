// `snipsnap codesign …` in-process: `{ baseline, pareto, … }` on a small budget, the --out folder
// (plots, per-point Timeloop YAML) and — the acceptance test — every exported design
// re-evaluates with `snipsnap evaluate` to the energy and cycles codesign reported for it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli as run } from '../testing/run-cli'

interface PointJson {
  energyPJ: number
  edp: number
  cycles: number
  areaUM2: number
  hardware: Record<string, unknown>
  layers: { names: string[]; M: number; K: number; N: number; shape: string; conv: unknown; count: number; energyPJ: number; cycles: number; mapping: string }[]
}
interface CodesignJson {
  baseline: PointJson | null
  pareto: PointJson[]
  evaluatedPoints: number
  rejected: Record<string, number>
}

const out = mkdtempSync(join(tmpdir(), 'snipsnap-codesign-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

// The point budget binds, never the wall clock (a day): the outcome is the same on a loaded machine.
const args = ['codesign', '--model', 'gpt-2', '--sparsity', 'unstructured-50', '--phase', 'decode', '--budget-s', '86400', '--max-points', '3', '--evaluations', '4', '--glb-kib', '256,512', '--pe-array', '8x8,8x16', '--seed', '3']

describe('snipsnap codesign', () => {
  it('prints { baseline, pareto, … } and exports designs that re-evaluate to the same energy and cycles', async () => {
    const { code, stdout, stderr } = await run([...args, '--json', '--out', out])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as CodesignJson
    expect(json.evaluatedPoints).toBe(3)
    expect(json.baseline?.hardware).toEqual({})
    expect(json.pareto.length).toBeGreaterThan(0)
    for (const p of [json.baseline, ...json.pareto]) {
      if (p === null) continue
      expect(p.energyPJ).toBeCloseTo(p.layers.reduce((s, l) => s + l.count * l.energyPJ, 0), 0)
      expect(p.areaUM2).toBeGreaterThan(0)
      // GEMMs are named by their shape (a CNN's layers by their conv shape: explorer's codesign test).
      for (const l of p.layers) expect([l.shape, l.conv]).toEqual([`${l.M}×${l.K}×${l.N}`, null])
    }
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['codesign.json', 'pareto-energy-area.svg', 'pareto-cycles-area.svg', 'report.md', 'report.html', 'designs']))
    const folders = readdirSync(join(out, 'designs')).sort()
    expect(folders[0]).toBe('baseline')
    expect(folders.length).toBe(1 + json.pareto.length)
    const points = [json.baseline, ...json.pareto]
    for (const [i, folder] of folders.entries()) {
      const files = readdirSync(join(out, 'designs', folder)).sort()
      const point = points[i] as PointJson
      expect(files.length).toBe(point.layers.length)
      for (const [j, file] of files.entries()) {
        const r = await run(['evaluate', join(out, 'designs', folder, file), '--json'])
        // Exported designs carry Accelergy estimator attributes (`technology`, DRAM `type`) that the
        // model lists as unused: warnings, never errors.
        expect(r.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('snipsnap: warning: '))).toEqual([])
        const evaluated = JSON.parse(r.stdout) as { valid: boolean; energyPJ: number; cycles: number }
        const layer = point.layers[j]
        expect(evaluated.valid).toBe(true)
        expect(Math.abs(evaluated.energyPJ - (layer?.energyPJ ?? 0)) / (layer?.energyPJ ?? 1), `${folder}/${file} energy`).toBeLessThan(1e-9)
        expect(evaluated.cycles, `${folder}/${file} cycles`).toBe(layer?.cycles)
      }
    }
    // Observable Plot's scatter (@snipsnap/report): one dot per point, the preset a labelled star.
    for (const file of ['pareto-energy-area.svg', 'pareto-cycles-area.svg']) {
      const svg = readFileSync(join(out, file), 'utf8')
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>[\s\S]*preset/)
      expect(svg.match(/<g[^>]*aria-label="dot"[^>]*>[\s\S]*?<\/g>/g)?.join('').match(/<(circle|path)\b/g)?.length).toBe(points.filter((p) => p !== null).length)
      // Coloured by EDP: a legend for it, and points of different EDP in different colours.
      expect(svg).toContain('EDP (pJ·cycles, log)')
      const fills = new Set(svg.match(/<g[^>]*aria-label="dot"[^>]*>[\s\S]*?<\/g>/g)?.join('').match(/fill="[^"]+"/g) ?? [])
      if (new Set(points.map((p) => p?.edp)).size > 1) expect(fills.size).toBeGreaterThan(1)
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<div class="plot" data-plot="energy-area"><figure[\s\S]*aria-label="dot"/)
  }, 300_000)

  it('replays exactly for a seed (point budget)', async () => {
    const short = [...args.slice(0, args.indexOf('--max-points')), '--max-points', '2', '--evaluations', '2', ...args.slice(args.indexOf('--glb-kib')), '--json']
    // Everything but the clock readings (elapsedS, each point's foundAtS) must be identical:
    // points, totals, per-layer formats and mappings, rejections, reuse counts.
    const timeless = (stdout: string): unknown => JSON.parse(stdout, (key: string, value: unknown) => (key === 'elapsedS' || key === 'foundAtS' ? undefined : value))
    const a = timeless((await run(short)).stdout) as CodesignJson
    const b = timeless((await run(short)).stdout) as CodesignJson
    expect(a.evaluatedPoints).toBe(2)
    expect(a.pareto.length).toBeGreaterThan(0)
    expect(b).toEqual(a)
  }, 300_000)

  it('takes an energy/area estimator from a --plugin module (--estimator <id>)', async () => {
    // A plug-in module as a user would write one (no imports): 1 pJ per action, 1000 µm² per primitive.
    const file = join(out, 'flat-estimator.mjs')
    writeFileSync(file, [
      "const estimate = () => ({ energyPJ: { read: 1, write: 1, idle: 0, add: 1, mac_random: 1, mac_reused: 1, mac_gated: 0, mac_skipped: 0 }, areaUM2: 1000, extrapolated: false, notes: [] })",
      "export default { id: 'flat-bundle', estimators: [{ id: 'flat', accuracy: 1, supports: () => true, estimate }] }",
    ].join('\n'))
    const one = ['codesign', '--model', 'gpt-2', '--sparsity', 'unstructured-50', '--phase', 'decode', '--budget-s', '86400', '--max-points', '1', '--evaluations', '2', '--glb-kib', '512', '--json']
    const table = JSON.parse((await run(one)).stdout) as CodesignJson & { estimator: string }
    const plugged = await run([...one, '--plugin', file, '--estimator', 'flat'])
    expect(plugged.stderr).toBe('')
    const flat = JSON.parse(plugged.stdout) as CodesignJson & { estimator: string }
    expect([table.estimator, flat.estimator]).toEqual(['table', 'flat'])
    // Σ instances × 1000 µm², nothing like the table's areas.
    expect((flat.baseline?.areaUM2 ?? Number.NaN) % 1000).toBe(0)
    expect(flat.baseline?.areaUM2).not.toBe(table.baseline?.areaUM2)
  }, 300_000)

  it('names bad options and axes', async () => {
    expect((await run(['codesign', '--model', 'gpt-2', '--budget-s', '0'])).stderr).toMatch(/--budget-s must be a number > 0/)
    expect((await run(['codesign', '--model', 'gpt-2', '--pe-array', '8by8'])).stderr).toMatch(/peArray.*XxY/)
    expect((await run(['codesign', '--model', 'gpt-2', '--glb-kib', '512:128:1'])).stderr).toMatch(/glbKiB: range goes from 512 down to 128/)
    expect((await run(['codesign', '--model', 'gpt-2', '--mode', 'magic'])).stderr).toMatch(/mode must be one of joint/)
    expect((await run(['codesign', '--model', 'gpt-2', '--axes', join(out, 'missing.yaml')])).stderr).toMatch(/cannot read/)
    expect((await run(['codesign', '--model', 'gpt-2', '--estimator', 'cacti'])).stderr).toMatch(/unknown estimator "cacti"; known: table/)
  })
})

// `--plugin <module>` and `--cost-model <id>`: the roofline example (examples/custom-cost-model)
// loaded from its package folder runs the whole-model exploration and `evaluate`; the NMX format
// primitive (examples/format-plugin) joins `formats optimize`'s engine space; `search --threads`
// loads the plug-in in its worker threads; unknown ids and modules are precise errors.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli as run, SHARED_DIR } from '../testing/run-cli'

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..')
const roofline = resolve(repoRoot, 'examples', 'custom-cost-model')
const fig1 = resolve(SHARED_DIR, 'reference', 'sparseloop', 'fig1-bitmask-d0.1')
const mapperCase = resolve(SHARED_DIR, 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const mapperFiles = ['input.yaml', 'constraints.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => resolve(mapperCase, f))
const warningFree = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('snipsnap: warning: '))

describe('--plugin and --cost-model', () => {
  it('explore runs the whole model on a plug-in cost model', async () => {
    const args = ['explore', '--model', 'llama-2-7b', '--sparsity', 'unstructured-50', '--phase', 'decode', '--evaluations', '4', '--json']
    const plugged = await run([...args, '--plugin', roofline, '--cost-model', 'roofline'])
    expect(plugged.stderr).toBe('')
    expect(plugged.code).toBe(0)
    const json = JSON.parse(plugged.stdout) as { costModel: string; layers: { energyPJ: number | null; energyByLevel: { energyPJ: number }[] }[]; totalEnergyPJ: number }
    // The output names the cost model it was priced with.
    expect(json.costModel).toBe('roofline')
    expect(json.layers.length).toBeGreaterThan(2)
    for (const l of json.layers) {
      expect(l.energyPJ).toBeGreaterThan(0)
      // The split by level is the plug-in's too: it adds up to the layer's energy.
      const split = l.energyByLevel.reduce((sum, e) => sum + e.energyPJ, 0)
      expect(Math.abs(split - l.energyPJ!)).toBeLessThanOrEqual(1e-9 * l.energyPJ!)
    }
  }, 300_000)

  it('evaluate prices a case with the plug-in model', async () => {
    const sparseloop = await run(['evaluate', fig1, '--json'])
    const plugged = await run(['evaluate', fig1, '--json', '--plugin', roofline, '--cost-model', 'roofline'])
    expect(warningFree(plugged.stderr)).toEqual([])
    expect(plugged.code).toBe(0)
    const a = JSON.parse(sparseloop.stdout) as { valid: boolean; energyPJ: number }
    const b = JSON.parse(plugged.stdout) as { valid: boolean; energyPJ: number }
    expect(b.valid).toBe(true)
    expect(b.energyPJ).toBeGreaterThan(0)
    expect(b.energyPJ).not.toBeCloseTo(a.energyPJ, 0)
    // The default model through the plug-in path gives the built-in path's report.
    expect((await run(['evaluate', fig1, '--json', '--plugin', roofline])).stdout).toBe(sparseloop.stdout)
  })

  it('search --threads 2 loads the plug-in in its workers and gives the --threads 1 result', async () => {
    const args = ['search', ...mapperFiles, '--objective', 'energy', '--budget-s', '120', '--plugin', roofline, '--cost-model', 'roofline', '--json']
    const one = await run([...args, '--threads', '1'])
    const two = await run([...args, '--threads', '2'])
    expect(one.code).toBe(0)
    expect(two.code).toBe(0)
    // A worker that could not load the plug-in would say so (and the search would run in this thread).
    expect(two.stderr).not.toMatch(/worker threads cannot load/)
    const a = JSON.parse(one.stdout) as { best: { energyPJ: number; mapping: string } | null; evaluated: number }
    const b = JSON.parse(two.stdout) as typeof a
    expect(b.best).toEqual(a.best)
    expect(b.evaluated).toBe(a.evaluated)
    // Priced by the plug-in: the built-in model gives the best mapping another energy.
    const sparseloop = JSON.parse((await run(['search', ...mapperFiles, '--objective', 'energy', '--budget-s', '120', '--json'])).stdout) as typeof a
    expect(b.best?.energyPJ).not.toBe(sparseloop.best?.energyPJ)
  }, 400_000)

  it('formats optimize puts a plug-in format primitive (examples/format-plugin, NMX) in the engine space and chooses it where it is cheaper', async () => {
    const nmx = resolve(repoRoot, 'examples', 'format-plugin')
    const r = await run(['formats', 'optimize', '--plugin', nmx, '--model', 'llama-2-7b', '--sparsity', 'nm-2-4', '--phase', 'decode', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout) as {
      formatSpace: { primitives: string[] }
      layers: { op: string; densities: Record<string, number>; baselines: Record<string, number | null>; memoryEnergyPJ: number; choices: { tensor: string; format: string }[] }[]
      summary: { bestFixedFormat: string | null; savingVsBestFixedPct: number | null; memoryEnergyPJ: number; baselines: Record<string, number | null> }
    }
    expect(json.formatSpace.primitives).toContain('NMX')
    expect(json.formatSpace.primitives).toContain('NM')
    // On the 2:4 weights (B, density 0.5) NMX's 3-bit group codes beat the bitmap's 4 bits: chosen on every one,
    // as the innermost rank over K; the dense attention GEMMs keep no format.
    const sparse = json.layers.filter((l) => l.densities['B'] === 0.5)
    expect(sparse.length).toBeGreaterThan(0)
    for (const l of sparse) {
      expect(l.choices.map((c) => c.format)).toEqual([expect.stringMatching(/-NMX\(K\d*\)\[m=4,n=2\]$/)])
      const fixed = Object.values(l.baselines).filter((e): e is number => e !== null)
      expect(l.memoryEnergyPJ).toBeLessThan(Math.min(...fixed))
    }
    // The saving against the best fixed format is reported and is the summary's own arithmetic.
    const best = json.summary.bestFixedFormat as string
    expect(best).toBe('bitmap')
    const reference = json.summary.baselines[best] as number
    expect(json.summary.savingVsBestFixedPct).toBeGreaterThan(0)
    expect(json.summary.savingVsBestFixedPct).toBeCloseTo((100 * (reference - json.summary.memoryEnergyPJ)) / reference, 9)
    // Without the plug-in the same command has no NMX and no saving over the bitmap (NM ties it).
    const plain = JSON.parse((await run(['formats', 'optimize', '--model', 'llama-2-7b', '--sparsity', 'nm-2-4', '--phase', 'decode', '--json'])).stdout) as typeof json
    expect(plain.formatSpace.primitives).not.toContain('NMX')
    expect(plain.summary.baselines).toEqual(json.summary.baselines)
    expect(plain.summary.memoryEnergyPJ).toBeGreaterThan(json.summary.memoryEnergyPJ)
  }, 300_000)

  it('names an unknown cost model, and a missing plug-in module', async () => {
    const unknown = await run(['evaluate', fig1, '--json', '--cost-model', 'roofline'])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toMatch(/unknown cost-model "roofline"; known: sparseloop/)
    const missing = await run(['evaluate', fig1, '--plugin', resolve(repoRoot, 'examples', 'no-such-plugin')])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toMatch(/--plugin .*no-such-plugin: no such file or folder/)
  })
})

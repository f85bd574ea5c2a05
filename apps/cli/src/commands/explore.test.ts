// `snipsnap explore …` in-process through main(): the whole-model JSON (per-layer results whose
// count-weighted sum is the total) on a small budget, both phases with summed totals, budget-matched
// baselines (dense: co-search = dataflow-only), the table, Ctrl-C, and bad options.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { runCli as run } from '../testing/run-cli'

interface ExploreJson {
  layers: { phase: string; names: string[]; count: number; energyPJ: number | null; cycles: number | null; formats: unknown[]; baselines: { name: string }[] }[]
  phases: { phase: string; totalEnergyPJ: number; dataflowOnlyTotalEnergyPJ: number }[]
  totalEnergyPJ: number
  dataflowOnlyTotalEnergyPJ: number
  totalCycles: number
  elapsedS: number
  interrupted: boolean
}

describe('snipsnap explore', () => {
  it('co-searches every distinct layer of llama-2-7b (decode) and totals them', async () => {
    const { code, stdout, stderr } = await run(['explore', '--model', 'llama-2-7b', '--sparsity', 'unstructured-50', '--phase', 'decode', '--evaluations', '8', '--baselines', 'none', '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as ExploreJson
    expect(json.layers.length).toBeGreaterThan(2)
    const names = json.layers.flatMap((l) => l.names)
    expect(new Set(names).size).toBe(names.length)
    for (const l of json.layers) {
      expect(l.energyPJ).toBeGreaterThan(0)
      expect(l.cycles).toBeGreaterThan(0)
    }
    const sum = json.layers.reduce((s, l) => s + l.count * (l.energyPJ ?? 0), 0)
    expect(json.totalEnergyPJ).toBeCloseTo(sum, 0)
    expect(json.elapsedS).toBeGreaterThan(0)
    expect(json.interrupted).toBe(false)
  }, 60_000)

  it('on a dense model the co-search and the budget-matched dataflow-only agree, in both phases', async () => {
    const { code, stdout } = await run(['explore', '--model', 'llama-2-7b', '--sparsity', 'dense', '--evaluations', '8', '--baselines', 'dataflow-only', '--json'])
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as ExploreJson
    expect(json.phases.map((p) => p.phase)).toEqual(['prefill', 'decode'])
    expect(json.totalEnergyPJ).toBe(json.phases[0]!.totalEnergyPJ + json.phases[1]!.totalEnergyPJ)
    for (const p of json.phases) expect(p.dataflowOnlyTotalEnergyPJ).toBe(p.totalEnergyPJ)
    expect(json.dataflowOnlyTotalEnergyPJ).toBe(json.totalEnergyPJ)
  }, 120_000)

  it('prints a table with the dataflow, PE use, formats with dimensions, baselines and a legend', async () => {
    const { code, stdout } = await run(['explore', '--model', 'llama-2-7b', '--phase', 'decode', '--evaluations', '8', '--baselines', 'dataflow-only,bitmap'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/attn\.q_proj/)
    expect(stdout).toMatch(/PEs used/)
    expect(stdout).toMatch(/ \d+\/128 /)
    expect(stdout).toMatch(/ \(\d+\.\d%\) /)
    expect(stdout).toMatch(/B@DRAM: [^\n]*\([MNK](,[MNK])*\)/)
    expect(stdout).toMatch(/bitmap \(fixed format, dataflow searched\)/)
    expect(stdout).toMatch(/Every baseline ran this same search per layer/)
    expect(stdout).toMatch(/^Formats: tensor@level/m)
    expect(stdout).toMatch(/decode whole pass \(Σ count × layer\): [\d.,]+ (mJ|J|µJ)/)
    // No colour codes when stdout is not a terminal.
    expect(stdout).not.toMatch(/\u001b\[/)
  }, 60_000)

  it('explores a CNN as native convolutions: the table, the JSON and --out name the conv shape; --lowering im2col gives the GEMMs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snipsnap-explore-cnn-'))
    try {
      const args = ['explore', '--model', 'alexnet', '--sparsity', 'unstructured-50,relu-50', '--evaluations', '2', '--baselines', 'none']
      const native = await run([...args, '--out', dir])
      expect(native.stderr).not.toMatch(/error/i)
      expect(native.code).toBe(0)
      expect(native.stdout).toMatch(/^alexnet \(native convolutions\) on llm-default/)
      // The table wraps cells at word boundaries: read its second column back as one text.
      const shapes = native.stdout.split('\n').filter((line) => line.startsWith('│')).map((line) => line.split('│')[2]?.trim() ?? '').filter((c) => c !== '').join(' ')
      expect(shapes).toContain('shape ×count (conv: N C M R S P Q stride)')
      expect(shapes).toContain('N1 C256 M384 R3 S3 P13 Q13 s1 ×1')
      expect(shapes).toContain('G2 N1 C48 M128 R5 S5 P27 Q27 s1 ×1')
      expect(shapes).toContain('1×9216×4096 ×1')
      const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { lowering: string; layers: { names: string[]; shape: string; conv: Record<string, number> | null; densities: Record<string, number> }[] }
      expect(json.lowering).toBe('native')
      const conv1 = json.layers.find((l) => l.names.includes('conv1'))
      expect(conv1?.conv).toMatchObject({ N: 1, C: 3, M: 96, R: 11, S: 11, P: 56, Q: 56, Hstride: 4, Wstride: 4, G: 1 })
      expect(conv1?.shape).toBe('N1 C3 M96 R11 S11 P56 Q56 s4')
      expect(conv1?.densities['Weights']).toBe(0.5)
      expect(json.layers.find((l) => l.names.includes('fc6'))?.conv).toBeNull()
      expect(readFileSync(join(dir, 'layers.csv'), 'utf8')).toContain('N1 C3 M96 R11 S11 P56 Q56 s4')
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('N1 C3 M96 R11 S11 P56 Q56 s4')

      const im2col = await run([...args, '--lowering', 'im2col', '--json'])
      expect(im2col.code).toBe(0)
      const lowered = JSON.parse(im2col.stdout) as typeof json
      expect(lowered.lowering).toBe('im2col')
      expect(lowered.layers.every((l) => l.conv === null)).toBe(true)
      expect(lowered.layers.find((l) => l.names.includes('conv3'))?.shape).toBe('169×2304×384')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 600_000)

  it('Ctrl-C prints the best so far as JSON with "interrupted": true and exits 130', async () => {
    // A budget far beyond what finishes in 1.5 s on an idle machine, so Ctrl-C always lands mid-run.
    const { code, stdout, stderr } = await run(['explore', '--model', 'llama-2-7b', '--phase', 'decode', '--evaluations', '4096', '--json'], {
      onStart: (interrupt) => setTimeout(interrupt, 1500),
    })
    expect(code).toBe(130)
    const json = JSON.parse(stdout) as ExploreJson
    expect(json.interrupted).toBe(true)
    expect(json.layers.length).toBeGreaterThan(2)
    expect(stderr).not.toMatch(/error/i)
  }, 60_000)

  it('--budget-s bounds the run: it ends by the layers\' shares or the deadline, says which, and reports its time', async () => {
    // Far more evaluations than 2 s allow: the budget, not the stopping rule, ends the searches.
    const started = performance.now()
    const { code, stdout, stderr } = await run(['explore', '--model', 'llama-2-7b', '--phase', 'decode', '--evaluations', '100000', '--baselines', 'none', '--budget-s', '2', '--json'])
    const wallS = (performance.now() - started) / 1000
    expect(code, stderr).toBe(0)
    const json = JSON.parse(stdout) as ExploreJson & { stoppedBy: string | null }
    // The reported time is the run's own, inside the call that the test measured.
    expect(json.elapsedS).toBeLessThanOrEqual(wallS)
    if (json.stoppedBy === 'budget') {
      // A loaded machine: the deadline stopped the run; the layers it did not reach are marked.
      expect(json.interrupted).toBe(true)
      expect(stderr).toMatch(/the 2 s budget ran out before every layer was searched \(\d+ of \d+ layers have a design; the totals cover those only\)/)
    } else {
      expect(json.stoppedBy).toBeNull()
      expect(json.interrupted).toBe(false)
      for (const l of json.layers) expect(l.energyPJ).toBeGreaterThan(0)
    }
    // Bounded: catches a run that ignores its budget (it took 51 s for --budget-s 3), not load.
    expect(json.elapsedS).toBeLessThan(2 * 5)
  }, 120_000)

  it('--budget-s spent before any layer is searched is an error naming the option, not totals of nothing', async () => {
    const { code, stdout, stderr } = await run(['explore', '--model', 'llama-2-7b', '--phase', 'decode', '--budget-s', '0.001', '--json'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/--budget-s: the 0\.001 s budget ran out before any layer was searched; give a larger --budget-s/)
  })

  it('rejects an unknown model, phase, baseline and architecture with the field named', async () => {
    expect((await run(['explore', '--model', 'llama-99'])).stderr).toMatch(/llama-99/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--phase', 'train'])).stderr).toMatch(/--phase must be prefill, decode or prefill,decode/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--arch', 'tpu'])).stderr).toMatch(/unknown architecture preset "tpu"/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--evaluations', '0'])).stderr).toMatch(/--evaluations must be an integer ≥ 1/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--baselines', 'zip'])).stderr).toMatch(/--baselines: unknown baseline "zip"/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--budget-s', '0'])).stderr).toMatch(/--budget-s must be a positive number/)
    expect((await run(['explore', '--model', 'resnet-50', '--lowering', 'gemm'])).stderr).toMatch(/--lowering must be native or im2col/)
  })
})

// `snipsnap explore …` in-process through main(): the whole-model JSON (per-layer results whose
// count-weighted sum is the total) on a small budget, the table, and bad options.
import { describe, expect, it } from 'vitest'
import { runCli as run } from '../testing/run-cli'

interface ExploreJson {
  layers: { names: string[]; count: number; energyPJ: number | null; cycles: number | null; formats: unknown[] }[]
  totalEnergyPJ: number
  totalCycles: number
  elapsedS: number
}

describe('snipsnap explore', () => {
  it('co-searches every distinct layer of llama-2-7b (decode) and totals them', async () => {
    const { code, stdout, stderr } = await run(['explore', '--model', 'llama-2-7b', '--sparsity', 'unstructured-50', '--phase', 'decode', '--evaluations', '8', '--json'])
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
  }, 60_000)

  it('rejects an unknown model, phase and architecture with the field named', async () => {
    expect((await run(['explore', '--model', 'llama-99'])).stderr).toMatch(/llama-99/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--phase', 'train'])).stderr).toMatch(/--phase must be prefill or decode/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--arch', 'tpu'])).stderr).toMatch(/unknown architecture preset "tpu"/)
    expect((await run(['explore', '--model', 'llama-2-7b', '--evaluations', '0'])).stderr).toMatch(/--evaluations must be an integer ≥ 1/)
    expect((await run(['explore', '--model', 'resnet-50', '--lowering', 'gemm'])).stderr).toMatch(/--lowering must be native or im2col/)
  })
})

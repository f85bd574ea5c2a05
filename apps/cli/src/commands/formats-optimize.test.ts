// `snipsnap formats optimize` run in-process through main() with a fake io: the --json shape, the
// readable table, the measured-data path and one-line errors for bad inputs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli as run, SHARED_DATA } from '../testing/run-cli'

const DATA = SHARED_DATA
const dir = mkdtempSync(join(tmpdir(), 'snipsnap-optimize-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const BASELINES = ['uncompressed', 'bitmap', 'csr', 'coo', 'rle']

interface Summary {
  memoryEnergyPJ: number
  baselines: Record<string, number | null>
  bestFixedFormat: string | null
  savingVsBestFixedPct: number | null
  candidatesCosted: number
  exhaustiveOptimumPJ?: number | null
  exhaustiveCandidates?: number
}

describe('snipsnap formats optimize', () => {
  it('--json prints one object whose summary has the engine, every baseline, the best one and the saving', async () => {
    const { code, stdout, stderr } = await run(['formats', 'optimize', '--model', 'stories-260k', '--sparsity', 'unstructured-50', '--phase', 'decode', '--kv-len', '32', '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout.trim().split('\n')).toHaveLength(1)
    const result = JSON.parse(stdout) as { model: string; phase: string; layers: unknown[]; summary: Summary }
    expect(result.model).toBe('stories-260k')
    expect(result.phase).toBe('decode')
    const s = result.summary
    expect(Object.keys(s.baselines).sort()).toEqual([...BASELINES].sort())
    expect(BASELINES).toContain(s.bestFixedFormat)
    expect(s.memoryEnergyPJ).toBeGreaterThan(0)
    expect(s.memoryEnergyPJ).toBeLessThanOrEqual((s.baselines[s.bestFixedFormat as string] as number) * (1 + 1e-9))
    expect(typeof s.savingVsBestFixedPct).toBe('number')
    expect(s.candidatesCosted).toBeGreaterThan(0)
    expect(s).not.toHaveProperty('exhaustiveOptimumPJ')
  })

  it('--exhaustive adds the exhaustive optimum and its candidate count', async () => {
    const { code, stdout } = await run(['formats', 'optimize', '--model', 'stories-260k', '--sparsity', 'nm-2-4,activation-50', '--phase', 'decode', '--kv-len', '32', '--exhaustive', '--json'])
    expect(code).toBe(0)
    const { summary } = JSON.parse(stdout) as { summary: Summary }
    expect(summary.exhaustiveOptimumPJ).toBeGreaterThan(0)
    expect(summary.exhaustiveOptimumPJ as number).toBeLessThanOrEqual(summary.memoryEnergyPJ * (1 + 1e-9))
    expect(summary.exhaustiveCandidates).toBeGreaterThan(summary.candidatesCosted)
  })

  it('prints a per-layer table and a summary', async () => {
    const { code, stdout } = await run(['formats', 'optimize', '--model', 'stories-260k', '--sparsity', 'weights=0.1', '--phase', 'decode', '--kv-len', '32'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^stories-260k decode/)
    expect(stdout).toMatch(/attn\.q_proj\s+1×64×64/)
    expect(stdout).toMatch(/best fixed format: (bitmap|csr|coo|rle)/)
    expect(stdout).toMatch(/uncompressed\s+\S+\s+engine saves \d+\.\d+%/)
    // Layers, not GEMMs: the same text serves CNNs' native convolutions.
    expect(stdout).toMatch(/candidates costed: \d+ over \d+ distinct layers \(of \d+\)/)
  })

  it('real data: --tensor stories260K.bin --prune magnitude:0.5 uses the measured masks', async () => {
    const { code, stdout, stderr } = await run([
      'formats', 'optimize', '--model', 'stories-260k', '--phase', 'decode', '--kv-len', '32',
      '--tensor', `${DATA}/stories260K.bin`, '--prune', 'magnitude:0.5', '--json',
    ])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as { sparsity: string[]; layers: { op: string; densities: Record<string, number> }[]; summary: Summary }
    expect(result.sparsity).toEqual(['measured'])
    for (const layer of result.layers.filter((l) => l.op === 'linear')) expect(layer.densities.B).toBeCloseTo(0.5, 2)
    expect(result.summary.memoryEnergyPJ).toBeLessThan(result.summary.baselines.uncompressed as number)
  })

  const truncated = join(dir, 'stories-truncated.bin')
  writeFileSync(truncated, readFileSync(`${DATA}/stories260K.bin`).subarray(0, 1000))

  it.each([
    ['an unknown model', ['--model', 'llama-9b', '--sparsity', 'unstructured-50'], /llama-9b/],
    ['an unknown preset', ['--model', 'opt-125m', '--sparsity', 'unstructured-55'], /unstructured-55/],
    ['a density above 1', ['--model', 'opt-125m', '--sparsity', 'weights=1.5'], /--sparsity.*\[0, 1\]/],
    ['a negative density', ['--model', 'opt-125m', '--sparsity', 'activations=-0.1'], /\[0, 1\]/],
    ['a bad phase', ['--model', 'opt-125m', '--sparsity', 'dense', '--phase', 'training'], /--phase/],
    ['a bad arch', ['--model', 'opt-125m', '--sparsity', 'dense', '--arch', 'tpu-v9'], /tpu-v9/],
    ['no sparsity', ['--model', 'opt-125m'], /--sparsity/],
    ['a truncated tensor file', ['--model', 'stories-260k', '--tensor', truncated], /stories-truncated\.bin/],
  ])('%s gives a one-line error and exit code 1', async (_what, args, message) => {
    const { code, stdout, stderr } = await run(['formats', 'optimize', ...args])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(message)
  })
})

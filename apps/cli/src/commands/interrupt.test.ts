// Ctrl-C in the long commands other than search (see search-bounds.test.ts), explore
// (explore.test.ts) and sweep (sweep.test.ts): `evaluate --mappings`, `formats rank`,
// `formats optimize` and `codesign` print what they have, say they were interrupted, and exit 130.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, runCliInterruptedAfterFirstOutput as interruptAfterFirstOutput, SHARED_DATA, SHARED_DIR } from '../testing/run-cli'

describe('Ctrl-C prints what is done and exits 130', () => {
  it('evaluate --mappings: the lines evaluated so far', async () => {
    const dir = join(SHARED_DIR, 'reference', 'sparseloop-random', 'fig1-bitmask-d0.1')
    const { code, stdout, stderr } = await interruptAfterFirstOutput(['evaluate', join(dir, 'base.yaml'), join(dir, 'ERT.yaml'), '--mappings', join(dir, 'mappings.jsonl')])
    expect(code).toBe(130)
    const lines = stdout.trim().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(1)
    expect(lines.length).toBeLessThan(61)
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('valid')
    expect(stderr).toMatch(/snipsnap: interrupted after \d+ of \d+ mappings\n$/)
  })

  it('formats rank over many tensors: the tensors ranked so far', async () => {
    const { code, stdout, stderr } = await runCli(['formats', 'rank', '--tensor', join(SHARED_DATA, 'stories260K.bin'), '--name', 'layers.*', '--json'], {
      onStart: (interrupt) => setTimeout(interrupt, 50),
    })
    expect(code).toBe(130)
    const report = JSON.parse(stdout) as { tensors: unknown[] }
    expect(stderr).toMatch(new RegExp(`interrupted after ${report.tensors.length} of \\d+ tensors`))
  })

  it('codesign: the hardware points evaluated so far (or, before the first, just that it was interrupted)', async () => {
    // Far more points than finish in 2 s: Ctrl-C, not the budget or the point cap, ends the run.
    const { code, stdout, stderr } = await runCli(['codesign', '--model', 'gpt-2', '--phase', 'decode', '--evaluations', '4', '--max-points', '200', '--budget-s', '600', '--glb-kib', '64:2048:x2', '--pe-array', '4x4,8x8,8x16,16x16', '--json'], {
      onStart: (interrupt) => setTimeout(interrupt, 2000),
    })
    expect(code).toBe(130)
    if (stdout === '') {
      expect(stderr).toMatch(/snipsnap: interrupted\n$/)
    } else {
      const json = JSON.parse(stdout) as { interrupted: boolean; evaluatedPoints: number }
      expect(json.interrupted).toBe(true)
      expect(json.evaluatedPoints).toBeLessThan(200)
    }
  }, 120_000)

  it('formats optimize: the GEMMs done so far, marked interrupted in the table', async () => {
    const { code, stdout, stderr } = await runCli(['formats', 'optimize', '--model', 'llama-2-7b', '--sparsity', 'unstructured-50'], {
      onStart: (interrupt) => setTimeout(interrupt, 300),
    })
    expect(code).toBe(130)
    expect(stdout).toMatch(/^INTERRUPTED after \d+ of \d+ GEMMs: the table and the totals cover those only\n/)
    expect(stderr).toMatch(/snipsnap: interrupted after \d+ of \d+ GEMMs/)
  }, 60_000)
})

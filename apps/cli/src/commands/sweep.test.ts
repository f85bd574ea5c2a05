// `snipsnap sweep` in-process: the records, summary files and printed summary; Ctrl-C keeps what
// is stored (exit 130) and the same command again computes only what is missing.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../testing/run-cli'

const dir = mkdtempSync(join(tmpdir(), 'snipsnap-cli-sweep-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Three quick jobs: GPT-2 decode at three seeds, two evaluations per layer search.
const spec = join(dir, 'tiny.yaml')
writeFileSync(spec, 'version: 1\nname: tiny\naxes:\n  model: [gpt-2]\n  phase: [decode]\n  evaluations: [2]\n  seed: [1, 2, 3]\n')
const records = (out: string): string[] => readdirSync(out).filter((f) => /^[0-9a-f]{20}\.json$/.test(f))

describe('snipsnap sweep', { timeout: 240_000 }, () => {
  it('Ctrl-C keeps the stored jobs and exits 130; the rerun computes only the missing ones and writes the summaries', async () => {
    const out = join(dir, 'out')
    let poll: ReturnType<typeof setInterval> | undefined
    const first = await runCli(['sweep', spec, '--out', out, '--threads', '1'], {
      onStart: (interrupt) => {
        poll = setInterval(() => {
          let stored = 0
          try {
            stored = records(out).length
          } catch {
            // not created yet
          }
          if (stored >= 1) {
            clearInterval(poll)
            interrupt()
          }
        }, 20)
      },
    })
    clearInterval(poll)
    expect(first.code).toBe(130)
    expect(first.stderr).toMatch(/snipsnap: interrupted; \d job\(s\) stored this run, [12] missing; rerun the same command/)
    const stored = records(out)
    expect(stored.length).toBeGreaterThanOrEqual(1)
    expect(stored.length).toBeLessThan(3)
    const before = Object.fromEntries(stored.map((f) => [f, readFileSync(join(out, f), 'utf8')]))

    const second = await runCli(['sweep', spec, '--out', out, '--threads', '2', '--json'])
    expect(second.stderr).toBe('')
    expect(second.code).toBe(0)
    const summary = JSON.parse(second.stdout)
    expect(summary).toMatchObject({ name: 'tiny', jobs: 3, ok: 3, failed: 0, missing: 0, run: { skipped: stored.length, done: 3 - stored.length, interrupted: false } })
    for (const f of stored) expect(readFileSync(join(out, f), 'utf8')).toBe(before[f])
    expect(records(out)).toHaveLength(3)
    const onDisk = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    expect(onDisk.rows).toEqual(summary.rows)
    for (const row of summary.rows) {
      const record = JSON.parse(readFileSync(join(out, `${row.key}.json`), 'utf8'))
      expect(record).toMatchObject({ key: row.key, axes: row.axes, status: 'ok' })
      expect(record.result.totalEnergyPJ).toBe(row.totalEnergyPJ)
    }
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n')).toHaveLength(4)

    const table = await runCli(['sweep', spec, '--out', out])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^tiny: 3 jobs, 3 ok, 0 failed \(0 computed in [\d.]+ s, 3 already stored\)/)
    expect(table.stdout).toMatch(/sensitivity \(energy over the best value of the axis.*\n  seed: 1 ×[\d.]+, 2 ×[\d.]+, 3 ×[\d.]+\n/)
    const report = readFileSync(join(out, 'report.html'), 'utf8')
    expect(report).toMatch(/data-plot="energy-vs-area"/)
    expect(report).toMatch(/data-plot="sensitivity-seed"/)
  })

  it('refuses a bad spec naming the field, and a bad --threads', async () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'version: 1\naxes:\n  model: [gpt-9]\n')
    const result = await runCli(['sweep', bad, '--out', join(dir, 'bad')])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^snipsnap: INVALID_SPEC axes\.model\[0\]: unknown model "gpt-9"/)
    const threads = await runCli(['sweep', spec, '--out', join(dir, 'bad'), '--threads', '0'])
    expect(threads.stderr).toMatch(/--threads must be an integer ≥ 1/)
    const missing = await runCli(['sweep', join(dir, 'none.yaml'), '--out', join(dir, 'bad')])
    expect(missing.stderr).toMatch(/IO_ERROR .*cannot read the sweep spec/)
  })
})

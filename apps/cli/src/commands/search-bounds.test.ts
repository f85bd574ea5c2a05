// Bounded `snipsnap search` runs: threads capped at the cores (said once), the wall-time budget
// counted from the run's start (worker start-up included) and ending the run, and Ctrl-C
// printing the best mapping so far with exit code 130. Load-proof: the test checks the mechanism
// (the run stops by its budget, not earlier, and reports the time it measured itself, start-up
// included); how close to the budget a run ends on an idle machine (within 10%) is measured by
// `pnpm bench` (bench/budget.bench.ts), since on a machine loaded 20× any wall-time figure is.
// (deadline.test.ts checks where the deadline falls inside the budget.)
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { runCli, SHARED_DIR } from '../testing/run-cli'

const caseDir = join(SHARED_DIR, 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const designFiles = ['input.yaml', 'constraints.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => join(caseDir, f))

interface SearchJson {
  best: { energyPJ: number; cycles: number } | null
  evaluated: number
  elapsedS: number
  stoppedBy: string
  interrupted: boolean
}

describe('snipsnap search runs are bounded', () => {
  it('--threads beyond the cores is capped (warned once) and the budget, worker start-up included, ends the run', async () => {
    const budgetS = 10
    const start = performance.now()
    const { code, stdout, stderr } = await runCli(['search', ...designFiles, '--strategy', 'genetic', '--threads', '256', '--budget-s', String(budgetS), '--json'], { cores: 2 })
    const wallS = (performance.now() - start) / 1000
    expect(code, stderr).toBe(0)
    expect(stderr.split('\n').filter((line) => line.includes('--threads 256 is more than the 2 cores of this machine; using 2'))).toHaveLength(1)
    const json = JSON.parse(stdout) as SearchJson
    expect(json.best).not.toBeNull()
    expect(json.stoppedBy).toBe('budget')
    // The work stops at the deadline (budget − 50 ms − 5%), never earlier, whatever the load...
    expect(json.elapsedS).toBeGreaterThanOrEqual(budgetS * 0.95 - 0.05 - 1e-3)
    // ...and the time reported is the run's own, counted from its start: inside the call measured
    // here, and with the workers' start-up and shutdown in it (nothing of the run is left out).
    expect(json.elapsedS).toBeLessThanOrEqual(wallS)
    expect(wallS - json.elapsedS).toBeLessThan(Math.max(0.5, 0.5 * budgetS))
    // Bounded: catches a run that ignores its budget (65 s for --budget-s 3), not machine load.
    expect(json.elapsedS).toBeLessThan(budgetS * 3)
  }, 120_000)

  it('Ctrl-C prints the best mapping found so far and exits 130', async () => {
    const start = performance.now()
    const { code, stdout } = await runCli(['search', ...designFiles, '--strategy', 'genetic', '--budget-s', '120', '--json'], {
      onStart: (interrupt) => setTimeout(interrupt, 1500),
    })
    expect(code).toBe(130)
    const json = JSON.parse(stdout) as SearchJson
    expect(json.interrupted).toBe(true)
    expect(json.best).not.toBeNull()
    expect(json.evaluated).toBeGreaterThan(0)
    expect((performance.now() - start) / 1000).toBeLessThan(30)
  }, 60_000)

  it('Ctrl-C with the text report says it was interrupted', async () => {
    const { code, stdout, stderr } = await runCli(['search', ...designFiles, '--strategy', 'genetic', '--budget-s', '120'], {
      onStart: (interrupt) => setTimeout(interrupt, 1000),
    })
    expect(code).toBe(130)
    expect(stderr).toMatch(/\nsnipsnap: interrupted; best mapping after [\d,]+ evaluations:\n$/)
    expect(stdout).toMatch(/^best \(energy\): /)
  }, 60_000)
})

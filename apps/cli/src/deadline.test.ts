// The wall-time budget's mechanism without timing anything: where the deadline falls inside the
// budget (counted from the run's start, so start-up and worker threads are inside it), that a
// spent budget reads as aborted at once (no timer needed, so a busy synchronous loop stops too),
// and that Ctrl-C is told apart from the budget.
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { startDeadline } from './deadline'
import { startRun } from './run-control'

const quiet = { write: () => true }
const runStartedAt = (startedAtMs: number, interrupts?: { subscribe(listener: () => void): () => void }) =>
  startRun({ stdout: quiet, stderr: quiet, startedAtMs, ...(interrupts === undefined ? {} : { interrupts }) }, { debug: false })

describe('startDeadline', () => {
  it('stops the work inside the budget: 50 ms + 5% before its end, at most 10% of it', () => {
    const run = runStartedAt(1000)
    for (const [budgetMs, windDownMs] of [[10_000, 550], [3000, 200], [100, 10]] as const) {
      const deadline = startDeadline(run, budgetMs)
      expect(deadline.atMs).toBeCloseTo(1000 + budgetMs - windDownMs, 6)
      deadline.dispose()
    }
  })

  it('a budget spent since the run started reads as aborted and expired at once, and is not an interrupt', () => {
    const run = runStartedAt(performance.now() - 5000)
    const deadline = startDeadline(run, 3000)
    expect(deadline.signal.aborted).toBe(true)
    expect(deadline.expired()).toBe(true)
    expect(deadline.remainingMs()).toBe(0)
    expect(run.stopCause).toBeNull()
    deadline.dispose()
  })

  it('a budget not yet spent runs on; Ctrl-C aborts it without expiring it', () => {
    let press: () => void = () => undefined
    const run = runStartedAt(performance.now(), { subscribe: (listener) => ((press = listener), () => undefined) })
    const deadline = startDeadline(run, 3_600_000)
    expect(deadline.signal.aborted).toBe(false)
    expect(deadline.remainingMs()).toBeGreaterThan(3_000_000)
    press()
    expect(deadline.signal.aborted).toBe(true)
    expect(deadline.expired()).toBe(false)
    expect(run.stopCause).toBe('interrupt')
    deadline.dispose()
  })
})

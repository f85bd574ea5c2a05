// Benchmark of bounded runs of the built `snipsnap` (run by `pnpm bench`; not a timed test),
// issue 11: `search --budget-s 3` at 1, 2 and 256 threads (256 is capped at the cores) and
// `explore --budget-s 3`, each as a whole process. Per run: the process's wall time (Node's
// start-up and exit included), the time the run reports (`elapsedS`, counted from the process
// start), the overshoot of each over the budget (the goal is ≤ 10% on an idle machine), peak
// memory (GNU time's max RSS: it should not grow with the thread count) and the load average,
// which decides whether a figure means anything (2 cores: a load above 2 stretches every one).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

const root = resolve(import.meta.dirname, '..', '..', '..')
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js')
const mapper = resolve(root, '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const designFiles = ['input.yaml', 'constraints.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => join(mapper, f))
const BUDGET_S = 3
const GNU_TIME = '/usr/bin/time'
const hasGnuTime = existsSync(GNU_TIME)

const build = spawnSync(process.execPath, [join(root, 'scripts', 'snipsnap.mjs'), '--version'], { stdio: ['ignore', 'ignore', 'inherit'] })
if (build.status !== 0) throw new Error('snipsnap: the CLI did not build or run')

const runs: Record<string, readonly string[]> = {
  'search --threads 1': ['search', ...designFiles, '--threads', '1', '--budget-s', String(BUDGET_S), '--json'],
  'search --threads 2': ['search', ...designFiles, '--threads', '2', '--budget-s', String(BUDGET_S), '--json'],
  'search --threads 256': ['search', ...designFiles, '--threads', '256', '--budget-s', String(BUDGET_S), '--json'],
  'explore llama-2-7b decode': ['explore', '--model', 'llama-2-7b', '--phase', 'decode', '--evaluations', '4096', '--budget-s', String(BUDGET_S), '--json'],
}

const percent = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`
console.log(`@snipsnap/cli bounded runs (--budget-s ${BUDGET_S}; goal: within 10%, memory flat in the thread count)`)
for (const [name, args] of Object.entries(runs)) {
  const load = loadavg()[0] ?? Number.NaN
  const command = hasGnuTime ? GNU_TIME : process.execPath
  const argv = hasGnuTime ? ['-f', '%M', process.execPath, bin, ...args] : [bin, ...args]
  const t0 = performance.now()
  const run = spawnSync(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 })
  const wallS = (performance.now() - t0) / 1000
  const rssKiB = hasGnuTime ? Number(run.stderr.trim().split('\n').at(-1)) : Number.NaN
  let reported = Number.NaN
  let stoppedBy = '?'
  try {
    const json = JSON.parse(run.stdout) as { elapsedS: number; stoppedBy: string | null }
    reported = json.elapsedS
    stoppedBy = String(json.stoppedBy)
  } catch {
    stoppedBy = `exit ${run.status}: ${run.stderr.split('\n').find((l) => l.startsWith('snipsnap: ') && !l.includes('warning')) ?? ''}`
  }
  console.log(
    `  ${name.padEnd(28)} wall ${wallS.toFixed(2)} s (${percent(wallS / BUDGET_S - 1)}), reported ${reported.toFixed(2)} s (${percent(reported / BUDGET_S - 1)}), ` +
      `stopped by ${stoppedBy}${hasGnuTime ? `, peak ${(rssKiB / 1024).toFixed(1)} MiB` : ''}, load ${load.toFixed(1)}`,
  )
}

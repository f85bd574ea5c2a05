// Per-job CPU of the sweep's jobs run one after another in this thread, split by OS thread
// (Linux /proc/self/task): `main` is the JS thread, the other threads are V8's helpers (TurboFan's
// concurrent compiler, the parallel GC). Shows how a fresh isolate's warm-up decays over its first
// jobs. Run from packages/sweep (add V8 flags such as --trace-opt --trace-deopt to count tier-ups):
//   EV=2048 N=3 node --import tsx --conditions=@snipsnap/source bench/thread-cpu.ts
// EV: evaluations per layer search (default: the spec's); N: jobs (default 4); REPEAT=1: the first
// job N times.
import { readFileSync, readdirSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { expandSweep } from '../src/index'
import { codeVersion, runJob } from '../src/node/index'
const spec = new URL('../../../examples/sweeps/small.yaml', import.meta.url)
const written = parseYaml(readFileSync(spec, 'utf8')) as { axes: Record<string, unknown> }
if (process.env['EV'] !== undefined) written.axes['evaluations'] = [Number(process.env['EV'])]
const sweep = expandSweep(written, { codeVersion: codeVersion() })

/** CPU ms per OS thread of this process (the JS thread as `main`). */
const tasks = (): Map<string, number> => {
  const m = new Map<string, number>()
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8')
      const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'))
      const f = s.slice(s.lastIndexOf(') ') + 2).split(' ')
      const ms = ((Number(f[11]) + Number(f[12])) * 1000) / 100
      m.set(t === String(process.pid) ? 'main' : comm + t, ms)
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return m
}

const n = Number(process.env['N'] ?? 4)
let prev = tasks()
const first = sweep.jobs[0]
const list = process.env['REPEAT'] !== undefined && first !== undefined ? Array.from({ length: n }, () => first) : sweep.jobs.slice(0, n)
for (const job of list) {
  const o = await runJob(job.inputs)
  const now = tasks()
  const d = [...now].map(([k, v]) => `${k}=${(v - (prev.get(k) ?? 0)).toFixed(0)}`).join(' ')
  console.log(job.key.slice(0, 8), o.status, o.status === 'ok' ? o.result.totalEnergyPJ : '', `${o.elapsedMs.toFixed(0)}ms`, d)
  prev = now
}

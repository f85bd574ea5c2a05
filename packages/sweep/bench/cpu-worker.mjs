// Task module of the benchmark's pool threads (from sources, like src/source-worker.mjs): the
// sweep's own job runner, plus what a job cost its thread, posted on a BroadcastChannel to the
// benchmark: the thread's CPU time (Linux: /proc/thread-self/stat; null elsewhere) and its GC
// pauses. The thread's start-up (module loading) is posted once, before the first job.
import { readFileSync } from 'node:fs'
import { register } from 'node:module'
import { PerformanceObserver, performance } from 'node:perf_hooks'
import { BroadcastChannel, threadId } from 'node:worker_threads'

/** CPU ms of the calling thread (user + system), or null where /proc/thread-self is missing. */
const threadCpuMs = () => {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return null
  }
}

const channel = new BroadcastChannel('snipsnap-sweep-bench')
channel.unref()
let gcMs = 0
// GC entries arrive asynchronously: a job's are counted after it (see below).
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration
})
gcObserver.observe({ entryTypes: ['gc'] })

const loadStart = performance.now()
register('tsx/esm', { parentURL: import.meta.url, data: { active: true } })
const { runJob } = await import('../src/node/job.ts')
channel.postMessage({ kind: 'start', threadId, cpuMs: threadCpuMs(), wallMs: performance.now() - loadStart })

/** A short name of a job for the benchmark's per-job table: its phase, hardware point and format space. */
const labelOf = (inputs) =>
  [inputs.phase, ...Object.entries(inputs.hardware ?? {}).map(([k, v]) => `${k}=${v}`), `formats:${inputs.formatSpace?.primitives?.join('+') ?? 'all'}${inputs.formatSpace?.flatten === false ? ',no-flatten' : ''}`, `ev${inputs.evaluations}`].join(' ')

export default async (inputs) => {
  const cpu = threadCpuMs()
  const gc = gcMs
  const outcome = await runJob(inputs)
  const after = threadCpuMs()
  await new Promise((resolve) => setImmediate(resolve))
  channel.postMessage({ kind: 'job', threadId, label: labelOf(inputs), cpuMs: cpu === null || after === null ? null : after - cpu, gcMs: gcMs - gc, elapsedMs: outcome.elapsedMs })
  return outcome
}

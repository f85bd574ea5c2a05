// Benchmark of the sweep pools on examples/sweeps/small.yaml, every figure measured in this run:
// the local pool with 1 thread (the baseline) and with one per core, and — when
// SNIPSNAP_TEST_REDIS_URL names a Redis — the queue with an in-process worker of as many threads.
// Prints wall times, the speed-up against 1 thread and the queue's overhead per job, with the
// machine's load average and the CPU time per job (on a shared machine the wall times mean little).
// The pool threads run bench/cpu-worker.mjs (the sweep's job runner, measured), so it also splits
// the CPU per job by who spent it: the pool threads' JS threads (their jobs and their start-up),
// this thread, and V8's helper threads (TurboFan's concurrent compiler, the parallel and
// concurrent GC; the module loader's thread when run from sources). One pool thread gets its
// helpers' work done on the other core for free; with one thread per core they compete, so with
// helper CPU h × the JS threads' job CPU, N threads are at most about N/(1+h) × as fast as 1.
// It also prints how long the first job of each thread took against the median of the others:
// every pool thread is a new V8 isolate that loads the modules and JIT-compiles the cost model
// again. It prints each job's JS-thread CPU and, from those CPU times, what the two runs would take
// on an idle machine (1 thread: its JS thread; N threads: all CPU / N or the jobs' makespan under
// the pool's in-order hand-out, whichever is larger), since on a shared machine the same-run wall
// ratio mostly measures the other load. The queue run is bounded (SNIPSNAP_BENCH_QUEUE_TIMEOUT_S,
// default 3 × the local pool's time, at least 120 s) and always stops its worker and clears the queue.
// SNIPSNAP_BENCH_EVALUATIONS=N runs the same jobs with N evaluations per layer search.
// SNIPSNAP_BENCH_ONLY=N runs only the local pool with N threads (its CPU per job, no ratio): on a
// loaded machine the full bench can take longer than a shared lock should be held.
// SNIPSNAP_BENCH_GC=v8-default keeps V8's parallel scavenger in every run (the pool's default turns
// it off when the pool has a thread per core), for comparing the two.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { BroadcastChannel } from 'node:worker_threads'
import { parse as parseYaml } from 'yaml'
import { expandSweep, type JobRecord } from '../src/index'
import { codeVersion, openResultStore, runSweepLocal } from '../src/node/index'

const spec = new URL('../../../examples/sweeps/small.yaml', import.meta.url)
// SNIPSNAP_BENCH_EVALUATIONS=N runs the same jobs with N evaluations per layer search (bigger jobs).
const evaluations = process.env['SNIPSNAP_BENCH_EVALUATIONS']
const written = parseYaml(readFileSync(spec, 'utf8')) as { axes: Record<string, unknown> }
if (evaluations !== undefined) written.axes['evaluations'] = [Number(evaluations)]
const sweep = expandSweep(written, { codeVersion: codeVersion() })
const cores = availableParallelism()
const gc = process.env['SNIPSNAP_BENCH_GC'] === 'v8-default' ? 'v8-default' : 'auto'
const dirs: string[] = []
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-'))
  dirs.push(dir)
  return openResultStore(dir)
}

// CPU seconds of the process (every thread) per wall second: how many threads ran at once on
// average. On a machine shared with other work the wall times mean little; this still shows
// whether the pool's threads ran in parallel.
const cpuPerWall = (cpu: NodeJS.CpuUsage, wallS: number): string => ((cpu.user + cpu.system) / 1e6 / wallS).toFixed(2)

const load = (): string => loadavg()[0]?.toFixed(1) ?? '?'
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/** CPU ms of the calling thread (Linux: /proc/thread-self/stat), or null elsewhere. */
const threadCpuMs = (): number | null => {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return null
  }
}

/** What the pool threads post (bench/cpu-worker.mjs): each thread's start-up, each job's thread CPU and GC pauses. */
type ThreadReport = { kind: 'start'; threadId: number; cpuMs: number | null; wallMs: number } | { kind: 'job'; threadId: number; label: string; cpuMs: number | null; gcMs: number; elapsedMs: number }
const channel = new BroadcastChannel('snipsnap-sweep-bench')
let reports: ThreadReport[] = []
channel.onmessage = (event) => void reports.push((event as { data: ThreadReport }).data)
const cpuWorker = new URL('./cpu-worker.mjs', import.meta.url).href
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0)
const s2 = (ms: number): string => (ms / 1000).toFixed(2)

/** Per-job CPU of one run, split by who spent it (for comparing 1 thread with N). */
interface RunCpu {
  readonly perJobS: number
  readonly jsJobS: number
  readonly helperS: number
  /** Each job's CPU on its pool thread's JS thread, s, by job label (in completion order). */
  readonly jobs: readonly { readonly label: string; readonly threadId: number; readonly cpuS: number }[]
  /** CPU s of the pool threads' start-up (module loading), all threads together. */
  readonly startS: number
}

/**
 * Wall time of `costs` (s, in the order the pool hands them out) on `threads` threads that each
 * take the next job when free (the pool's FIFO list scheduling): the makespan on an idle machine.
 */
const makespanS = (costs: readonly number[], threads: number): number => {
  const free = Array.from({ length: threads }, () => 0)
  for (const c of costs) {
    const i = free.indexOf(Math.min(...free))
    free[i] = (free[i] ?? 0) + c
  }
  return Math.max(...free)
}

const timeLocal = async (threads: number): Promise<{ wallS: number; cpu: RunCpu | null }> => {
  reports = []
  const loadBefore = load()
  const start = performance.now()
  const cpu = process.cpuUsage()
  const mainCpu = threadCpuMs()
  const records: JobRecord[] = []
  const run = await runSweepLocal({ jobs: sweep.jobs, store: fresh(), threads, workerModule: cpuWorker, gc, onProgress: (_p, record) => void (record !== null && records.push(record)) })
  if (run.done !== sweep.jobs.length || run.failed > 0) throw new Error(`local run with ${threads} thread(s) did ${run.done} jobs, ${run.failed} failed`)
  const wallS = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const mainAfter = threadCpuMs()
  const cpuS = (used.user + used.system) / 1e6
  const n = sweep.jobs.length
  // The first `threads` records to arrive ran first on their threads (fresh isolates).
  const firsts = records.slice(0, threads).map((r) => r.elapsedMs)
  const rest = records.slice(threads).map((r) => r.elapsedMs)
  console.log(
    `  ${threads} thread(s): load ${loadBefore}→${load()}, ${cpuPerWall(used, wallS)} CPU s per wall s, ${(cpuS / n).toFixed(2)} CPU s per job; ` +
      `first job per thread ${(median(firsts) / 1000).toFixed(2)} s, median of the others ${(median(rest) / 1000).toFixed(2)} s`,
  )
  // Reports travel on a channel of their own: wait (briefly) for every job's.
  for (let i = 0; i < 50 && reports.filter((r) => r.kind === 'job').length < n; i++) await new Promise((r) => setTimeout(r, 100))
  const jobs = reports.filter((r) => r.kind === 'job')
  const starts = reports.filter((r) => r.kind === 'start')
  if (jobs.length < n || jobs.some((r) => r.cpuMs === null) || starts.some((r) => r.cpuMs === null) || mainCpu === null || mainAfter === null) {
    console.log('    (no per-thread CPU: needs Linux /proc/thread-self)')
    return { wallS, cpu: null }
  }
  const jobCpu = jobs.map((r) => r.cpuMs ?? 0)
  const startCpu = sum(starts.map((r) => r.cpuMs ?? 0))
  const mainMs = mainAfter - mainCpu
  // Process CPU not spent on a JS thread: V8's helper threads (TurboFan's concurrent compiler,
  // the parallel scavenger and concurrent marker) and the module loader's hooks thread.
  const helperMs = cpuS * 1000 - sum(jobCpu) - startCpu - mainMs
  const byThread = new Map<number, number[]>()
  for (const r of jobs) byThread.set(r.threadId, [...(byThread.get(r.threadId) ?? []), r.cpuMs ?? 0])
  const firstCpu = [...byThread.values()].map((xs) => xs[0] ?? 0)
  const restCpu = [...byThread.values()].flatMap((xs) => xs.slice(1))
  console.log(
    `    CPU per job: ${s2(sum(jobCpu) / n)} s on the pool threads' JS threads (first job of a thread ${s2(median(firstCpu))} s, median of the others ${s2(median(restCpu))} s), ` +
      `${s2(startCpu / n)} s their start-up, ${s2(mainMs / n)} s this thread, ${s2(helperMs / n)} s V8 helper threads (JIT compiler, GC); ` +
      `GC pauses ${(sum(jobs.map((r) => (r.kind === 'job' ? r.gcMs : 0))) / n).toFixed(0)} ms per job`,
  )
  const perJob = jobs.map((r) => ({ label: r.kind === 'job' ? r.label : '', threadId: r.threadId, cpuS: (r.cpuMs ?? 0) / 1000 }))
  const byLabel = [...perJob].sort((a, b) => a.label.localeCompare(b.label))
  console.log(`    JS-thread CPU per job, s: ${byLabel.map((j) => `${j.label} ${j.cpuS.toFixed(1)}${j.threadId === perJob[0]?.threadId ? '' : '*'}`).join('; ')}`)
  return { wallS, cpu: { perJobS: cpuS / n, jsJobS: sum(jobCpu) / 1000 / n, helperS: helperMs / 1000 / n, jobs: perJob, startS: startCpu / 1000 } }
}

try {
  console.log(`sweep ${sweep.name}: ${sweep.jobs.length} jobs, ${sweep.jobs[0]?.inputs.evaluations} evaluations per layer search, ${cores} cores, GC ${gc}`)
  const only = process.env['SNIPSNAP_BENCH_ONLY']
  if (only !== undefined) {
    const run = await timeLocal(Number(only))
    console.log(`local pool, ${only} thread(s): ${run.wallS.toFixed(1)} s`)
    channel.close()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    process.exit(0)
  }
  const oneRun = await timeLocal(1)
  const one = oneRun.wallS
  console.log(`local pool, 1 thread:     ${one.toFixed(1)} s`)
  const allRun = await timeLocal(cores)
  const all = allRun.wallS
  console.log(`local pool, ${cores} threads:    ${all.toFixed(1)} s  (×${(one / all).toFixed(2)} against 1 thread; target ≥ 1.6 on 2 cores)`)
  if (oneRun.cpu !== null && allRun.cpu !== null) {
    const [a, b] = [oneRun.cpu, allRun.cpu]
    console.log(
      `  ${cores} threads against 1, CPU per job: all ×${(b.perJobS / a.perJobS).toFixed(2)}, JS threads' jobs ×${(b.jsJobS / a.jsJobS).toFixed(2)}, V8 helper threads ×${(b.helperS / a.helperS).toFixed(2)}; ` +
        `1 thread's helpers add ${((a.helperS / a.jsJobS) * 100).toFixed(0)}% to its JS thread's job CPU (with that share h, ${cores} threads are at most ${cores}/(1+h) × as fast as 1 when CPU-bound)`,
    )
    // What the same CPU would take on an idle machine: 1 thread is bound by its JS thread (its
    // helpers run on the spare cores, while they fit there); N threads by the larger of all CPU / cores and the makespan
    // of their jobs (each job's JS CPU with its share of the helpers'), handed out in order.
    const n = sweep.jobs.length
    const idle1 = Math.max(sum(a.jobs.map((j) => j.cpuS)) + a.startS, (a.perJobS * n) / cores)
    const share = 1 + b.helperS / b.jsJobS
    const byLabel = new Map(b.jobs.map((j) => [j.label, j.cpuS * share]))
    // The same label as bench/cpu-worker.mjs gives each job.
    const labels = sweep.jobs.map((job) => [job.inputs.phase, ...Object.entries(job.inputs.hardware ?? {}).map(([k, v]) => `${k}=${v}`), `formats:${job.inputs.formatSpace?.primitives?.join('+') ?? 'all'}${job.inputs.formatSpace?.flatten === false ? ',no-flatten' : ''}`, `ev${job.inputs.evaluations}`].join(' '))
    const costs = labels.map((l) => byLabel.get(l) ?? (b.jsJobS * share))
    const idleN = Math.max((b.perJobS * n) / cores, makespanS(costs, cores) + b.startS / cores)
    console.log(
      `  idle-machine estimate from these CPU times: 1 thread ${idle1.toFixed(0)} s (its JS thread, or all CPU / ${cores}), ${cores} threads ${idleN.toFixed(0)} s ` +
        `(max of all CPU / ${cores} = ${((b.perJobS * n) / cores).toFixed(0)} s and the jobs' makespan = ${makespanS(costs, cores).toFixed(0)} s): ×${(idle1 / idleN).toFixed(2)}`,
    )
  }
  const url = process.env['SNIPSNAP_TEST_REDIS_URL']
  if (url !== undefined) {
    const { clearSweepQueue, runQueueWorker, runSweepOnQueue } = await import('../src/node/queue')
    // Bounded: a queue run that has not finished after 3 × the local pool's time (at least 2 min;
    // SNIPSNAP_BENCH_QUEUE_TIMEOUT_S overrides) is reported as timed out, and its worker stopped
    // and the queue cleared either way, so the bench never hangs on Redis or leaves jobs behind.
    const timeoutS = Number(process.env['SNIPSNAP_BENCH_QUEUE_TIMEOUT_S'] ?? Math.max(120, 3 * all))
    await clearSweepQueue(url)
    const stop = new AbortController()
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(), timeoutS * 1000)
    // The worker runs the same task module as the local runs (per-job CPU reports on the channel).
    reports = []
    const worker = runQueueWorker({ url, threads: cores, signal: stop.signal, workerModule: cpuWorker })
    try {
      const loadBefore = load()
      const start = performance.now()
      const cpu = process.cpuUsage()
      const run = await runSweepOnQueue({ url, sweep, store: fresh(), signal: deadline.signal })
      const queued = (performance.now() - start) / 1000
      const used = process.cpuUsage(cpu)
      const cpuPerJobS = (used.user + used.system) / 1e6 / sweep.jobs.length
      if (run.interrupted) console.log(`queue: timed out after ${timeoutS.toFixed(0)} s with ${run.done} of ${sweep.jobs.length} jobs done (load ${loadBefore}→${load()})`)
      else if (run.done !== sweep.jobs.length) throw new Error(`queue run did ${run.done} jobs`)
      else {
        const jsJobS = sum(reports.flatMap((r) => (r.kind === 'job' ? [(r.cpuMs ?? 0) / 1000] : []))) / sweep.jobs.length
        console.log(
          `queue, 1 worker × ${cores} threads: ${queued.toFixed(1)} s  (${(((queued - all) / all) * 100).toFixed(1)}% against the local pool, same run; target < 10%; load ${loadBefore}→${load()}); ` +
            `${cpuPerJobS.toFixed(2)} CPU s per job${allRun.cpu === null ? '' : ` (${(((cpuPerJobS - allRun.cpu.perJobS) / allRun.cpu.perJobS) * 100).toFixed(1)}% against the local pool's), of which ${jsJobS.toFixed(2)} s on the pool threads' JS threads (local ${allRun.cpu.jsJobS.toFixed(2)} s)`}`,
        )
      }
    } finally {
      clearTimeout(timer)
      stop.abort()
      await worker.catch((error: unknown) => console.log(`queue worker: ${(error as Error).message}`))
      await clearSweepQueue(url).catch(() => undefined)
    }
  } else console.log('queue: skipped (set SNIPSNAP_TEST_REDIS_URL=redis://host:port)')
} finally {
  channel.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}

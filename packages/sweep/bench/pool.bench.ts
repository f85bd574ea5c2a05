// Benchmark of the sweep pools on examples/sweeps/small.yaml, every figure measured in this run:
// the local pool with 1 thread (the baseline) and with one per core, and — when
// SNIPSNAP_TEST_REDIS_URL names a Redis — the queue with an in-process worker of as many threads.
// Prints wall times, the speed-up against 1 thread and the queue's overhead per job, with the
// machine's load average and the CPU time per job (on a shared machine the wall times mean little).
// It also prints how long the first job of each thread took against the median of the others:
// every pool thread is a new V8 isolate that loads the modules and JIT-compiles the cost model
// again, and on small jobs that start-up is most of a thread's work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openResultStore, parseSweepSpec, runSweepLocal, type JobRecord } from '../src/index'

const spec = new URL('../../../examples/sweeps/small.yaml', import.meta.url)
const sweep = parseSweepSpec(readFileSync(spec, 'utf8'), 'small.yaml')
const cores = availableParallelism()
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

const timeLocal = async (threads: number): Promise<number> => {
  const loadBefore = load()
  const start = performance.now()
  const cpu = process.cpuUsage()
  const records: JobRecord[] = []
  const run = await runSweepLocal({ jobs: sweep.jobs, store: fresh(), threads, onProgress: (_p, record) => void (record !== null && records.push(record)) })
  if (run.done !== sweep.jobs.length || run.failed > 0) throw new Error(`local run with ${threads} thread(s) did ${run.done} jobs, ${run.failed} failed`)
  const wallS = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const cpuS = (used.user + used.system) / 1e6
  // The first `threads` records to arrive ran first on their threads (fresh isolates).
  const firsts = records.slice(0, threads).map((r) => r.elapsedMs)
  const rest = records.slice(threads).map((r) => r.elapsedMs)
  console.log(
    `  ${threads} thread(s): load ${loadBefore}→${load()}, ${cpuPerWall(used, wallS)} CPU s per wall s, ${(cpuS / sweep.jobs.length).toFixed(2)} CPU s per job; ` +
      `first job per thread ${(median(firsts) / 1000).toFixed(2)} s, median of the others ${(median(rest) / 1000).toFixed(2)} s`,
  )
  return wallS
}

try {
  console.log(`sweep ${sweep.name}: ${sweep.jobs.length} jobs, ${cores} cores`)
  const one = await timeLocal(1)
  console.log(`local pool, 1 thread:     ${one.toFixed(1)} s`)
  const all = await timeLocal(cores)
  console.log(`local pool, ${cores} threads:    ${all.toFixed(1)} s  (×${(one / all).toFixed(2)} against 1 thread; target ≥ 1.6 on 2 cores)`)
  const url = process.env['SNIPSNAP_TEST_REDIS_URL']
  if (url !== undefined) {
    const { clearSweepQueue, runQueueWorker, runSweepOnQueue } = await import('../src/queue')
    await clearSweepQueue(url)
    const stop = new AbortController()
    const worker = runQueueWorker({ url, threads: cores, signal: stop.signal })
    const loadBefore = load()
    const start = performance.now()
    const run = await runSweepOnQueue({ url, sweep, store: fresh() })
    const queued = (performance.now() - start) / 1000
    stop.abort()
    await worker
    await clearSweepQueue(url)
    if (run.done !== sweep.jobs.length) throw new Error(`queue run did ${run.done} jobs`)
    console.log(`queue, 1 worker × ${cores} threads: ${queued.toFixed(1)} s  (${(((queued - all) / all) * 100).toFixed(1)}% against the local pool; target < 10%; load ${loadBefore}→${load()})`)
  } else console.log('queue: skipped (set SNIPSNAP_TEST_REDIS_URL=redis://host:port)')
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}

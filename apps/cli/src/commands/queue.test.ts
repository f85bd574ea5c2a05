// The sweep queue with the real components: Redis (SNIPSNAP_TEST_REDIS_URL; .ci/run starts one),
// BullMQ, `snipsnap sweep --queue` and two `snipsnap worker` processes, one SIGKILLed mid-job and
// replaced. Every job's result must be stored exactly once and equal the local pool's result.
// A worker stops on Ctrl-C with its stop line; a worker refuses jobs keyed by another code version.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { expandSweep } from '@snipsnap/sweep'
import { openResultStore } from '@snipsnap/sweep/node'
import { clearSweepQueue, inspectSweepQueue, runQueueWorker, runSweepOnQueue } from '@snipsnap/sweep/queue'
import { runCli } from '../testing/run-cli'

const url = process.env['SNIPSNAP_TEST_REDIS_URL']
const root = resolve(import.meta.dirname, '../../../..')
const small = join(root, 'examples', 'sweeps', 'small.yaml')
const bin = join(root, 'apps', 'cli', 'src', 'bin.ts')

/** Whether a Redis answers PING at `url` within 2 s. */
const pings = (address: string | undefined): Promise<boolean> =>
  new Promise((done) => {
    if (address === undefined) return done(false)
    const { hostname, port } = new URL(address)
    const socket = createConnection({ host: hostname, port: Number(port || 6379) })
    const finish = (ok: boolean): void => {
      socket.destroy()
      done(ok)
    }
    socket.setTimeout(2000, () => finish(false))
    socket.on('error', () => finish(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (data) => finish(data.toString().startsWith('+PONG')))
  })
const reachable = await pings(url)

// In CI a missing Redis is a failure, never a skipped test.
describe.runIf(process.env['CI'] === 'true' && !reachable)('the queue tests in CI', () => {
  it('have a Redis to run against', () => {
    expect.fail(`SNIPSNAP_TEST_REDIS_URL=${url ?? '(unset)'} does not answer PING: .ci/run must start redis-server`)
  })
})

const dir = mkdtempSync(join(tmpdir(), 'snipsnap-queue-'))
const workers: ChildProcess[] = []
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL')
  if (reachable && url !== undefined) await clearSweepQueue(url)
  rmSync(dir, { recursive: true, force: true })
})

/** Starts `snipsnap worker` (from sources) and resolves once it listens. */
const startWorker = (queue: string): Promise<ChildProcess> =>
  new Promise((ready, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@snipsnap/source', bin, 'worker', '--queue', queue, '--threads', '1', '--lock-ms', '8000'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    workers.push(child)
    let stderr = ''
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString()
      if (stderr.includes('waiting for jobs')) ready(child)
    })
    child.on('exit', (code) => fail(new Error(`worker exited (${code}) before listening: ${stderr}`)))
  })

const records = (out: string): Map<string, { key: string; status: string; result: unknown }> =>
  new Map(
    readdirSync(out)
      .filter((f) => /^[0-9a-f]{20}\.json$/.test(f))
      .map((f) => {
        const record = JSON.parse(readFileSync(join(out, f), 'utf8'))
        return [f.slice(0, -5), record]
      }),
  )

// The small sweep's 12 jobs are real co-searches (about a minute of CPU for the sweep on an idle
// machine) and this runs them twice: the timeout leaves room for a CI machine at load 10–20.
describe.runIf(reachable)('snipsnap sweep --queue with snipsnap worker processes', { timeout: 1_800_000 }, () => {
  it('stores every job exactly once, equal to the local run, after a worker is SIGKILLed mid-job and replaced', async () => {
    const queue = url as string
    await clearSweepQueue(queue)
    const localOut = join(dir, 'local')
    const local = await runCli(['sweep', small, '--out', localOut, '--threads', '2', '--json'])
    expect(local.code, local.stderr).toBe(0)

    const [first, second] = await Promise.all([startWorker(queue), startWorker(queue)])
    const queuedOut = join(dir, 'queued')
    const sweep = runCli(['sweep', small, '--out', queuedOut, '--queue', queue, '--json'])
    // Both workers busy (one thread each): each holds a job. Kill the first mid-job, start another.
    let killed: string | null = null
    for (let i = 0; i < 600 && killed === null; i++) {
      const { jobs } = await inspectSweepQueue(queue)
      if (jobs.filter((j) => j.state === 'active').length >= 2) {
        first?.kill('SIGKILL')
        killed = String(first?.pid)
      } else await new Promise((r) => setTimeout(r, 250))
    }
    expect(killed).not.toBeNull()
    await startWorker(queue)
    const queued = await sweep
    expect(queued.code, queued.stderr).toBe(0)
    const summary = JSON.parse(queued.stdout)
    expect(summary).toMatchObject({ jobs: 12, ok: 12, failed: 0, missing: 0 })

    // Exactly once: one record per key, one queue job per key, all completed.
    const expected = records(localOut)
    const got = records(queuedOut)
    expect(expected.size).toBe(12)
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort())
    const { jobs } = await inspectSweepQueue(queue)
    expect(jobs.map((j) => j.key).sort()).toEqual([...expected.keys()].sort())
    expect(jobs.every((j) => j.state === 'completed')).toBe(true)
    // The killed worker's job went back to the queue (its lock expired) and another worker did it.
    expect(jobs.some((j) => j.stalledCounter > 0 || j.attemptsMade > 0)).toBe(true)
    expect(jobs.every((j) => j.processedBy !== null && !j.processedBy.endsWith(`:${killed}`))).toBe(true)
    // Deterministic for its key: the queue's result equals the local pool's.
    for (const [key, record] of got) expect(record.result).toEqual(expected.get(key)?.result)

    // A rerun through the queue computes nothing: every result is stored.
    const again = await runCli(['sweep', small, '--out', queuedOut, '--queue', queue, '--json'])
    expect(JSON.parse(again.stdout).run).toMatchObject({ skipped: 12, done: 0 })
    second?.kill('SIGINT')
  })

  it('a worker stops on Ctrl-C with its stop line and exit code 130', async () => {
    await clearSweepQueue(url as string)
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@snipsnap/source', bin, 'worker', '--queue', url as string, '--threads', '1'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
    workers.push(child)
    let stderr = ''
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    await new Promise<void>((listening, fail) => {
      child.stderr?.on('data', (data: Buffer) => {
        stderr += data.toString()
        if (stderr.includes('waiting for jobs')) listening()
      })
      void exited.then((code) => fail(new Error(`worker exited (${code}) before listening: ${stderr}`)))
    })
    expect(stderr).toMatch(/code version src-[0-9a-f]{16}/)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toMatch(/snipsnap worker: stopped after 0 job\(s\)\n$/)
  })

  it('a worker refuses a job keyed by another code version, and the sweep records why', async () => {
    const queue = url as string
    // Worker processes of the tests before (same code version) must not take the job.
    await Promise.all(
      workers
        .filter((w) => w.exitCode === null && w.signalCode === null)
        .map((w) => new Promise((gone) => (w.once('exit', gone), w.kill('SIGKILL')))),
    )
    await clearSweepQueue(queue)
    const other = expandSweep({ version: 1, axes: { model: ['gpt-2'], phase: ['decode'], evaluations: [2] } }, { codeVersion: 'src-0000000000000000' })
    const stop = new AbortController()
    const worker = runQueueWorker({ url: queue, threads: 1, signal: stop.signal })
    try {
      const store = openResultStore(join(dir, 'other-code'))
      const run = await runSweepOnQueue({ url: queue, sweep: other, store })
      expect(run).toMatchObject({ done: 1, failed: 1 })
      const record = store.read(other.jobs[0]?.key as string)
      expect(record?.status).toBe('failed')
      expect(record?.retry).toBe(true)
      expect(record?.error?.message).toMatch(/the sweep runs code version src-0{16}, this worker src-[0-9a-f]{16}/)
    } finally {
      stop.abort()
      expect((await worker).processed).toBe(0)
      await clearSweepQueue(queue)
    }
  })

  it('refuses a URL that is not Redis, naming --queue', async () => {
    const bad = await runCli(['worker', '--queue', 'http://127.0.0.1:1'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/INVALID_SPEC --queue: --queue must be a redis:\/\/ or rediss:\/\/ URL/)
  })
})

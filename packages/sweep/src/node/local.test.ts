import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runJob } from './job'
import { runSweepLocal, type SweepProgress } from './local'
import { recordOf } from '../records'
import { expandSweep, jobKey, type SweepJob } from '../spec'
import { summarizeSweep, summaryCsv } from '../summary'
import { codeVersion } from './code-version'
import { openResultStore } from './store'

const dirs: string[] = []
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'snipsnap-sweep-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

// Four quick jobs: GPT-2 decode, two format spaces × two seeds, two evaluations per layer search.
const sweep = expandSweep({
  version: 1,
  name: 'tiny',
  axes: { model: ['gpt-2'], phase: ['decode'], formatSpace: [{ name: 'full' }, { name: 'bitmap', primitives: ['U', 'B'] }], evaluations: [2], seed: [1, 2] },
}, { codeVersion: codeVersion() })

describe('the result store', () => {
  it('writes whole records by key, reads back only valid records of that key, and counts machinery failures as missing', async () => {
    const store = openResultStore(join(tempDir(), 'nested', 'out'))
    const job = sweep.jobs[0] as SweepJob
    expect(store.read(job.key)).toBeNull()
    const failed = recordOf(job, { status: 'failed', error: { code: 'INTERNAL', message: 'the worker thread failed' }, elapsedMs: 1 }, true)
    store.write(failed)
    expect(store.read(job.key)).toEqual(failed)
    expect(store.has(job.key)).toBe(false)
    const done = recordOf(job, { status: 'failed', error: { code: 'INVALID_SPEC', message: 'bad' }, elapsedMs: 1 })
    store.write(done)
    store.write(done)
    expect(store.has(job.key)).toBe(true)
    expect(store.keys()).toEqual([job.key])
    expect(() => store.write({ ...done, key: '../x' })).toThrow(/not a job key/)
  })
})

describe('a job', () => {
  it('records a throwing search as a failed outcome with its error', async () => {
    const outcome = await runJob({ ...(sweep.jobs[0] as SweepJob).inputs, model: 'no-such-model' })
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'PLUGIN_NOT_FOUND', message: expect.stringMatching(/no-such-model/) } })
  })
})

describe('the local pool', { timeout: 240_000 }, () => {
  it('runs every job on worker threads with the in-thread result, records a throwing job, and a rerun computes nothing', async () => {
    const dir = tempDir()
    const store = openResultStore(dir)
    const bad: SweepJob = (() => {
      const inputs = { ...(sweep.jobs[0] as SweepJob).inputs, model: 'no-such-model' }
      return { key: jobKey(inputs, sweep.codeVersion), index: sweep.jobs.length, axes: { model: 'no-such-model' }, inputs, codeVersion: sweep.codeVersion }
    })()
    const jobs = [...sweep.jobs, bad]
    const seen: SweepProgress[] = []
    const run = await runSweepLocal({ jobs, store, threads: 2, onProgress: (p) => seen.push(p) })
    expect(run).toMatchObject({ total: 5, skipped: 0, done: 5, failed: 1, pending: 5, interrupted: false })
    expect(seen.at(-1)).toMatchObject({ done: 5, failed: 1 })
    expect(store.read(bad.key)).toMatchObject({ status: 'failed', retry: false, result: null, error: { code: 'PLUGIN_NOT_FOUND' } })
    const first = sweep.jobs[0] as SweepJob
    const stored = store.read(first.key)
    expect(stored).toMatchObject({ key: first.key, axes: first.axes, status: 'ok', error: null })
    expect(stored?.result?.totalEnergyPJ).toBeGreaterThan(0)
    // Deterministic for its key: the worker thread's result equals a run in this thread.
    const here = await runJob(first.inputs)
    expect(here.status === 'ok' ? here.result : here).toEqual(stored?.result)

    // The bitmap format space limits the engine to U and B.
    const bitmap = sweep.jobs.find((j) => j.axes['formatSpace'] === 'bitmap') as SweepJob
    const formats = store.read(bitmap.key)?.result?.layers.flatMap((l) => l.formats.map((f) => f.format)) ?? []
    expect(formats.length).toBeGreaterThan(0)
    for (const format of formats) expect(format.split('-').every((p) => p === 'U' || p === 'B')).toBe(true)

    const mtimes = jobs.map((j) => statSync(join(dir, `${j.key}.json`)).mtimeMs)
    const again = await runSweepLocal({ jobs, store, threads: 2 })
    expect(again).toMatchObject({ total: 5, skipped: 5, done: 0, pending: 0, interrupted: false })
    expect(jobs.map((j) => statSync(join(dir, `${j.key}.json`)).mtimeMs)).toEqual(mtimes)

    const summary = summarizeSweep(sweep, store.read)
    expect(summary).toMatchObject({ name: 'tiny', jobs: 4, ok: 4, failed: 0, missing: 0 })
    expect(summary.sensitivity.map((s) => s.axis)).toEqual(['formatSpace', 'seed'])
    // Relative energy: within each pair equal on the other axes, over the pair's least.
    const full = summary.sensitivity[0]?.values ?? []
    const energyOf = (space: string, seed: number): number => summary.rows.find((r) => r.axes['formatSpace'] === space && r.axes['seed'] === seed)?.totalEnergyPJ as number
    const ratios = [1, 2].map((seed) => energyOf('bitmap', seed) / Math.min(energyOf('bitmap', seed), energyOf('full', seed)))
    expect(full.find((v) => v.value === 'bitmap')?.relativeEnergy).toBeCloseTo(Math.sqrt((ratios[0] as number) * (ratios[1] as number)), 12)
    expect(Math.min(...full.map((v) => v.relativeEnergy as number))).toBeGreaterThanOrEqual(1)
    const csv = summaryCsv(summary).trim().split('\n')
    expect(csv[0]).toBe('key,model,phase,sparsity,arch,formatSpace,evaluations,seed,status,totalEnergyPJ,totalCycles,areaUM2,error')
    expect(csv).toHaveLength(5)
    expect(csv[1]).toContain(`${first.key},gpt-2,decode,unstructured-50,llm-default,full,2,1,ok,${stored?.result?.totalEnergyPJ}`)
  })

  it('stops on its signal keeping what is stored, and the rerun computes only what is missing', async () => {
    const dir = tempDir()
    const store = openResultStore(dir)
    const controller = new AbortController()
    const first = await runSweepLocal({
      jobs: sweep.jobs,
      store,
      threads: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 1) controller.abort()
      },
    })
    expect(first.interrupted).toBe(true)
    expect(first.done).toBeGreaterThanOrEqual(1)
    expect(first.done).toBeLessThan(sweep.jobs.length)
    const storedKeys = store.keys()
    expect(storedKeys).toHaveLength(first.done)
    const before = Object.fromEntries(storedKeys.map((k) => [k, readFileSync(join(dir, `${k}.json`), 'utf8')]))
    const computed: string[] = []
    const second = await runSweepLocal({ jobs: sweep.jobs, store, threads: 2, onProgress: (_p, record) => record !== null && computed.push(record.key) })
    expect(second).toMatchObject({ skipped: first.done, done: sweep.jobs.length - first.done, interrupted: false })
    expect(computed.filter((k) => storedKeys.includes(k))).toEqual([])
    expect(computed.sort()).toEqual(sweep.jobs.map((j) => j.key).filter((k) => !storedKeys.includes(k)).sort())
    for (const k of storedKeys) expect(readFileSync(join(dir, `${k}.json`), 'utf8')).toBe(before[k])
  })
})

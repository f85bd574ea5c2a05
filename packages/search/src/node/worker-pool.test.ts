import { genetic, random, runSearch, simulatedAnnealing } from '@snipsnap/search'
import { createWorkerPool, loadEvaluator, resolveModuleUrl } from '@snipsnap/search/node'
import { createGridSpace, type GridPoint } from '@snipsnap/search/testing'
import { fileURLToPath } from 'node:url'
import { relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// A plain .mjs module: workers import it directly, with no TypeScript loader.
const fixture = new URL('../../fixtures/quadratic-evaluator.mjs', import.meta.url)
const options = { target: [1, 6, 3, 2, 5] }
const space = createGridSpace({ dimensions: 5, levels: 8 })
const pools: { close(): Promise<void> }[] = []

describe('worker pool executor', () => {
  let one: Awaited<ReturnType<typeof createWorkerPool<GridPoint>>>
  let two: Awaited<ReturnType<typeof createWorkerPool<GridPoint>>>
  beforeAll(async () => {
    one = await createWorkerPool<GridPoint>({ module: fixture, threads: 1, options })
    // A relative path works too (resolved against the current directory).
    two = await createWorkerPool<GridPoint>({ module: relative(process.cwd(), fileURLToPath(fixture)), threads: 2, options })
    pools.push(one, two)
  })
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()))
  })

  it.each([random, genetic, simulatedAnnealing])('gives the in-process result with 1 and 2 threads ($id)', async (strategy) => {
    const evaluate = await loadEvaluator<GridPoint>(fixture, options)
    const base = { space, strategy, objectives: ['cost', 'l1'], budget: { evaluations: 300 }, seed: 11, batchSize: 24, trace: true } as const
    const inProcess = await runSearch({ ...base, evaluate })
    const threaded1 = await runSearch({ ...base, executor: one })
    const threaded2 = await runSearch({ ...base, executor: two })
    expect(inProcess.evaluated).toBe(300)
    expect(threaded1).toEqual(inProcess)
    expect(threaded2).toEqual(inProcess)
  })

  it('loads a TypeScript evaluator module in the workers (tsx hooks) with the in-process result', async () => {
    const typed = new URL('../../fixtures/typed-evaluator.ts', import.meta.url)
    const pool = await createWorkerPool<GridPoint>({ module: typed, threads: 2, options })
    pools.push(pool)
    const base = { space, strategy: random, objectives: 'cost', budget: { evaluations: 48 }, seed: 5 } as const
    const threaded = await runSearch({ ...base, executor: pool })
    const inProcess = await runSearch({ ...base, evaluate: await loadEvaluator<GridPoint>(typed, options) })
    expect(threaded.evaluated).toBe(48)
    expect(threaded).toEqual(inProcess)
    await expect(createWorkerPool({ module: typed, threads: 1, options, typescriptLoader: { specifier: 'no-such-loader' } })).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringMatching(/loader hooks "no-such-loader"/),
    })
  })

  it('reports a throwing evaluator as a SnipSnapError naming the design, and stays usable', async () => {
    const pool = await createWorkerPool<GridPoint>({ module: fixture, threads: 2, options: { ...options, throwOn: '0,0,0,0,0' } })
    pools.push(pool)
    const tiny = createGridSpace({ dimensions: 5, levels: 1 })
    await expect(
      runSearch({ space: tiny, strategy: random, executor: pool, objectives: 'cost', budget: { evaluations: 5 }, seed: 1 }),
    ).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/evaluate threw on design "0,0,0,0,0": refusing/) })
    const ok = await pool.evaluate([[2, 2, 2, 2, 2]], {})
    expect(ok).toEqual([{ ok: true, metrics: { cost: 1 + 16 + 1 + 0 + 9, l1: 1 + 4 + 1 + 0 + 3, noise: 0 } }])
  })

  it('stops promptly on abort', async () => {
    const controller = new AbortController()
    const result = await runSearch({
      space, strategy: random, executor: two, objectives: 'cost', budget: { evaluations: 10_000 }, seed: 3, signal: controller.signal,
      onProgress: (p) => {
        if (p.evaluated >= 64) controller.abort()
      },
    })
    expect(result.stoppedBy).toBe('abort')
    expect(result.evaluated).toBeGreaterThanOrEqual(64)
    expect(result.evaluated).toBeLessThan(10_000)
  })

  it('settles a batch in flight at once on abort, and ignores its late results', async () => {
    const pool = await createWorkerPool<GridPoint>({ module: fixture, threads: 2, options: { ...options, work: 5_000_000 } })
    pools.push(pool)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 5)
    const result = await runSearch({ space, strategy: random, executor: pool, objectives: 'cost', budget: { evaluations: 64 }, seed: 3, signal: controller.signal })
    // 16 designs of ≥ 5 M square roots each cannot finish in 5 ms: the first batch was abandoned.
    expect(result).toMatchObject({ stoppedBy: 'abort', evaluated: 0, best: null })
    const after = await pool.evaluate([[0, 6, 3, 2, 5], [1, 6, 3, 2, 5]], {})
    expect(after).toMatchObject([{ ok: true, metrics: { cost: 1 } }, { ok: false }])
  })

  it('rejects a module of the wrong shape and bad options at creation', async () => {
    await expect(createWorkerPool({ module: new URL('../../fixtures/broken-evaluator.mjs', import.meta.url), threads: 1 })).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringMatching(/exports neither createEvaluator\(options\) nor evaluate\(design\)/),
    })
    await expect(createWorkerPool({ module: new URL('../../fixtures/missing.mjs', import.meta.url), threads: 1 })).rejects.toMatchObject({ code: 'INVALID_SPEC' })
    await expect(createWorkerPool({ module: fixture, threads: 0 })).rejects.toMatchObject({ code: 'INVALID_SPEC', path: ['threads'] })
    expect(resolveModuleUrl('/tmp/x.mjs')).toBe('file:///tmp/x.mjs')
    await expect(loadEvaluator(new URL('../../fixtures/broken-evaluator.mjs', import.meta.url))).rejects.toMatchObject({ code: 'INVALID_SPEC' })
  })
})

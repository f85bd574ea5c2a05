// Plug-ins reach worker threads: the worker module (@snipsnap/explorer/evaluator) is given the
// plug-in modules' URLs, imports and registers them, and evaluates with the plug-in cost model
// and density model. A threaded search over such a design gives the in-process result, and the
// plug-in cost model's numbers (not the Sparseloop model's).
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { DesignSpec, MappingSpec } from '@snipsnap/core'
import { createExplorer, loadPluginRegistries } from '@snipsnap/explorer'
import { createStrategyRegistry } from '@snipsnap/search'
import { createWorkerPool, type WorkerPool } from '@snipsnap/search/node'
import { parseTimeloopYaml } from '@snipsnap/timeloop'

const repo = path.resolve(import.meta.dirname, '..', '..', '..')
const dir = path.resolve(repo, '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const parsed = parseTimeloopYaml(['input.yaml', 'constraints.yaml', 'ERT.yaml'].map((f) => ({ fileName: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })))
// Every sparse tensor row-clustered (the density plug-in's `clustered`, which the built-ins lack).
const design: DesignSpec = {
  ...parsed,
  problem: {
    ...parsed.problem,
    densities: Object.fromEntries(
      Object.entries(parsed.problem.densities).map(([t, d]) => [t, d.density < 1 ? { ...d, distribution: 'clustered', params: { activeRowFraction: Math.min(1, 2 * d.density) } } : d]),
    ),
  },
}
const plugins = [
  pathToFileURL(path.join(repo, 'examples', 'custom-cost-model', 'src', 'index.ts')).href,
  pathToFileURL(path.join(repo, 'examples', 'density-plugin', 'src', 'index.ts')).href,
]
const pools: WorkerPool<MappingSpec>[] = []
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()))
})

describe('plug-ins in worker threads', () => {
  it('a threaded search with a plug-in cost model and density model gives the in-process result', async () => {
    const registries = await loadPluginRegistries(plugins)
    const explorer = createExplorer({ ...registries, strategies: createStrategyRegistry() })
    const pool = await createWorkerPool<MappingSpec>({
      module: new URL('./evaluator.ts', import.meta.url),
      threads: 2,
      conditions: ['@snipsnap/source'],
      options: { design, plugins, costModel: 'roofline' },
    })
    pools.push(pool)
    const options = { objective: 'energy', strategy: 'random', budget: { evaluations: 48 }, seed: 4, costModel: 'roofline' } as const
    const threaded = await explorer.searchDesign(design, { ...options, executor: pool })
    const inProcess = await explorer.searchDesign(design, options)
    expect(threaded.best).not.toBeNull()
    expect(threaded).toEqual(inProcess)
    // The workers priced with the plug-in model: its energy of the best mapping, not Sparseloop's.
    const best = threaded.best!
    const roofline = explorer.evaluator(design, 'roofline')(best.mapping)
    const sparseloop = explorer.evaluator(design, 'sparseloop')(best.mapping)
    if (!roofline.valid || !sparseloop.valid) throw new Error('expected the best mapping to be valid under both models')
    expect(best.energyPJ).toBe(roofline.energyPJ)
    expect(best.energyPJ).not.toBe(sparseloop.energyPJ)
  }, 300_000)

  it('a worker without the plug-ins cannot price the design (the test above needs them)', async () => {
    await expect(
      createWorkerPool<MappingSpec>({ module: new URL('./evaluator.ts', import.meta.url), threads: 1, conditions: ['@snipsnap/source'], options: { design, costModel: 'roofline' } }).then((pool) => {
        pools.push(pool)
        return pool
      }),
    ).rejects.toThrow(/roofline|clustered/)
  }, 300_000)
})

// The mapping space driven by @snipsnap/search: exhaustive search over its decision tree skips every
// factorisation that fails the cheap check (Timeloop's linear-pruned), and the stochastic
// strategies replay exactly from a seed. The evaluator here is a stand-in for the cost model:
// the cheap check plus a proxy objective (outer-level iterations), enough to exercise the driver.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MappingSpec } from '@snipsnap/core'
import { createMapspace } from '@snipsnap/mapspace'
import { exhaustive, genetic, runSearch, simulatedAnnealing, type Evaluation } from '@snipsnap/search'
import { parseTimeloopYaml } from '@snipsnap/timeloop'

const dir = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const design = parseTimeloopYaml(['input.yaml', 'constraints.yaml'].map((f) => ({ fileName: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })))
const space = createMapspace({ arch: design.arch, problem: design.problem, constraints: design.constraints, sparseOptimizations: design.sparseOptimizations })

const evaluate = (m: MappingSpec): Evaluation => {
  const verdict = space.check(m)
  if (!verdict.ok) return { ok: false, reason: verdict.reason }
  const outer = Object.values(m.levels[0]?.temporalFactors ?? {}).reduce((a, b) => a * b, 1)
  return { ok: true, metrics: { outerIterations: outer } }
}

describe('mapspace under runSearch', () => {
  it('exhaustive search evaluates only the 860 valid mappings (failing factorisations pruned)', async () => {
    const result = await runSearch({ space, strategy: exhaustive, evaluate, objectives: 'outerIterations', budget: { evaluations: Number.POSITIVE_INFINITY }, seed: 1 })
    expect(result.evaluated).toBe(860)
    expect(result.valid).toBe(860)
    expect(result.stoppedBy).toBe('exhausted')
  })

  it.each([
    ['genetic', genetic],
    ['simulated-annealing', simulatedAnnealing],
  ] as const)('%s replays from its seed over the mapspace', async (_, strategy) => {
    const run = () => runSearch({ space, strategy, evaluate, objectives: 'outerIterations', budget: { evaluations: 200 }, seed: 42 })
    const [a, b] = [await run(), await run()]
    expect(a.best).not.toBeNull()
    expect(space.key(a.best?.design as MappingSpec)).toBe(space.key(b.best?.design as MappingSpec))
    expect(a.evaluated).toBe(b.evaluated)
  })
})

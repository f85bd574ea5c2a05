// The race (issue 6): time-to-quality of `searchDesign` on the two shared Sparseloop mapper cases,
// on one core (in-process evaluation), against Sparseloop's mapper times recorded in the cases'
// expected.json / exhaustive.json. Both Sparseloop's objective (lexicographic cycles, then energy,
// from mapper.yaml) and energy alone; each strategy cold (first run of that case in this process,
// parsing, mapspace and evaluator preparation included) and warm (again, JIT-compiled).
// Run: pnpm bench (or pnpm --filter @snipsnap/explorer bench).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import { createExplorer, type MetricName } from '@snipsnap/explorer'

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-mapper')
const explorer = createExplorer()

interface Target {
  readonly label: string
  readonly sparseloopS: number
  /** Issue 6's end-to-end target on one core, seconds (wall, from reading the YAML). */
  readonly targetS?: number
  readonly reached: (energyPJ: number, cycles: number) => boolean
}

interface Case {
  readonly name: string
  readonly targets: readonly Target[]
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
const num = (value: unknown): number => {
  if (typeof value !== 'number') throw new Error(`expected a number, got ${String(value)}`)
  return value
}

// Thresholds come from the reference files, never from this code; 1e-9 relative slack absorbs
// float summation order.
const within = (value: number, target: number): boolean => value <= target * (1 + 1e-9)
const case1 = readJson(path.join(root, 'stc-M512-K1024-N256-w0.5', 'expected.json'))
const case2 = readJson(path.join(root, 'stc-M512-K1024-N256-w0.5-rawconstraints', 'expected.json'))
const case2x = readJson(path.join(root, 'stc-M512-K1024-N256-w0.5-rawconstraints', 'exhaustive.json'))
const case2BestEnergy = num(case2x['best_energy_pJ'] ?? case2x['energy_pJ'])
const case2BestCycles = num(case2x['best_cycles'] ?? case2x['cycles'])
const case2ExhaustS = num(case2x['wall_s'])

const cases: readonly Case[] = [
  {
    name: 'stc-M512-K1024-N256-w0.5',
    targets: [
      {
        label: `optimum ${(num(case1['best_energy_pJ']) / 1e6).toFixed(2)} µJ / ${num(case1['best_cycles'])} cycles`,
        sparseloopS: num(case1['wall_s']),
        targetS: 0.1,
        reached: (e, c) => within(e, num(case1['best_energy_pJ'])) && c <= num(case1['best_cycles']),
      },
    ],
  },
  {
    name: 'stc-M512-K1024-N256-w0.5-rawconstraints',
    targets: [
      { label: `beat ${(num(case2['best_energy_pJ']) / 1e6).toFixed(2)} µJ`, sparseloopS: num(case2['wall_s']), targetS: 1, reached: (e) => e < num(case2['best_energy_pJ']) },
      {
        label: `space best ${(case2BestEnergy / 1e6).toFixed(2)} µJ / ${case2BestCycles} cycles`,
        sparseloopS: case2ExhaustS,
        targetS: 2,
        reached: (e, c) => within(e, case2BestEnergy) && c <= case2BestCycles,
      },
    ],
  },
]

const objectives: readonly (readonly MetricName[])[] = [['cycles', 'energy'], ['energy']]
const strategies = ['exhaustive', 'genetic', 'simulated-annealing'] as const
const BUDGET_MS = 5_000

const fmtS = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(3)} s`)

console.log(`race: time-to-quality on one core (in-process), budget ${BUDGET_MS / 1000} s per run (stopped once every target is reached), seed 1`)
console.log('Sparseloop times: timeloop-mapper linear-pruned, 1 thread (expected.json / exhaustive.json)')
console.log('wall and CPU time include YAML parsing, mapspace and evaluator preparation; "search alone" is the driver clock')
console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times inflate under load; CPU time does not)\n`)
for (const c of cases) {
  const dir = path.join(root, c.name)
  let cold = true
  for (const objective of objectives) {
    for (const strategy of strategies) {
      for (const pass of ['cold', 'warm'] as const) {
        if (pass === 'cold' && !cold) continue
        const start = performance.now()
        const cpuStart = process.cpuUsage()
        const cpuMs = (): number => {
          const u = process.cpuUsage(cpuStart)
          return (u.user + u.system) / 1000
        }
        const design = parseTimeloopYaml(['input.yaml', 'constraints.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => ({ fileName: f, text: fs.readFileSync(path.join(dir, f), 'utf8') })))
        const parseMs = performance.now() - start
        const reachedAt: ({ wallMs: number; cpuMs: number; searchMs: number } | null)[] = c.targets.map(() => null)
        // Stochastic strategies never finish by themselves: stop once every target is reached.
        const stop = new AbortController()
        const result = await explorer.searchDesign(design, {
          objective,
          strategy,
          budget: { wallTimeMs: BUDGET_MS },
          seed: 1,
          signal: stop.signal,
          clock: () => performance.now(),
          onProgress: (p) => {
            if (p.bestEnergyPJ === null || p.bestCycles === null) return
            const at = { wallMs: performance.now() - start, cpuMs: cpuMs(), searchMs: p.elapsedMs ?? 0 }
            c.targets.forEach((t, i) => {
              if (reachedAt[i] === null && t.reached(p.bestEnergyPJ ?? Infinity, p.bestCycles ?? Infinity)) reachedAt[i] = at
            })
            if (reachedAt.every((t) => t !== null)) stop.abort()
          },
        })
        const total = performance.now() - start
        cold = false
        const head = `${c.name.padEnd(40)} ${objective.join(',').padEnd(13)} ${strategy.padEnd(19)} ${pass}`
        console.log(`${head}  best ${((result.best?.energyPJ ?? NaN) / 1e6).toFixed(2)} µJ / ${result.best?.cycles ?? '—'} cycles, ${result.evaluated} evaluated in ${fmtS(total)} (${result.stoppedBy})`)
        c.targets.forEach((t, i) => {
          const at = reachedAt[i] ?? null
          const verdict =
            at === null
              ? 'NOT reached'
              : `reached: wall ${fmtS(at.wallMs)} (search alone ${fmtS(at.searchMs)}), CPU ${fmtS(at.cpuMs)}; Sparseloop ${t.sparseloopS} s = ${(t.sparseloopS / (at.wallMs / 1000)).toFixed(0)}× wall, ${(t.sparseloopS / (at.cpuMs / 1000)).toFixed(0)}× CPU`
          console.log(`    ${t.label.padEnd(40)} ${verdict}`)
          // The split of the wall time to this target, and issue 6's end-to-end target when it has one.
          if (at !== null) {
            const prepareMs = result.prepareMs ?? 0
            const goal = t.targetS === undefined ? '' : `; target < ${t.targetS} s end to end ${at.wallMs / 1000 < t.targetS ? 'MET' : 'NOT met'}`
            console.log(`    ${''.padEnd(40)} split: parse ${fmtS(parseMs)} + prepare ${fmtS(prepareMs)} + search ${fmtS(at.searchMs)} (+ other ${fmtS(at.wallMs - parseMs - prepareMs - at.searchMs)}) = total ${fmtS(at.wallMs)}${goal}`)
          }
        })
      }
    }
  }
}

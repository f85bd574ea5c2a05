// What `snipsnap search <case-folder | files…> [--objective …] [--budget-s N] [--seed N]
// [--threads N] [--json]` runs (declared in ../commands/search.ts, imported only when the command
// runs): read a Timeloop-style design (mapping ignored), search its mapping space with the
// Sparseloop model, print the best mapping (Timeloop YAML) or one JSON object. Ctrl-C prints the
// best so far (exit 130); the budget includes start-up; threads are capped at the cores.
// argv → file reading → library calls → printed report; no domain logic here.
import { performance } from 'node:perf_hooks'
import cliProgress from 'cli-progress'
import { integerProblem, SnipSnapError, type DesignSpec } from '@snipsnap/core'
import { createExplorer, type ExplorerProgress, type SearchDesignResult } from '@snipsnap/explorer'
import { loadRegistries, type PluginCliOptions } from '../plugins'
import { startDeadline } from '../deadline'
import { readDesign } from '../design-files'
import { startThreadedExecutor } from '../threaded-executor'
import type { CliRun } from '../run-control'

/** Options of `snipsnap search`, as commander parses them. */
export interface SearchOptions extends PluginCliOptions {
  readonly objective?: string
  readonly budgetS: string
  readonly seed: string
  readonly threads: string
  readonly strategy: string
  readonly json?: boolean
  readonly strict?: boolean
}


const parseNumber = (text: string, option: string, { min, integer }: { min: number; integer: boolean }): number => {
  const value = text.trim() === '' ? Number.NaN : Number(text)
  const problem = integer
    ? integerProblem(value, { min })
    : Number.isNaN(value) ? 'not a number' : !Number.isFinite(value) ? 'not finite' : value < min ? `below ${min}` : null
  if (problem !== null) {
    throw new SnipSnapError('INVALID_SPEC', `${option} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got "${text}": ${problem}`, { path: [option] })
  }
  return value
}

const fmt = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 })

/** The issue-6 JSON shape. */
export const searchResultToJson = (result: SearchDesignResult, elapsedS = (result.elapsedMs ?? 0) / 1000): Record<string, unknown> => ({
  best:
    result.best === null
      ? null
      : { energyPJ: result.best.energyPJ, cycles: result.best.cycles, mapping: result.best.mappingYaml, formats: result.best.formats },
  evaluated: result.evaluated,
  valid: result.valid,
  elapsedS,
  objective: result.objective,
  strategy: result.strategy,
  stoppedBy: result.stoppedBy,
  spaceSize: result.spaceSize,
  pareto: result.pareto,
})

const summary = (result: SearchDesignResult, elapsedS: number): string => {
  const best = result.best
  if (best === null) return ''
  const lines = [
    `best (${result.objective.join(', then ')}): ${fmt(best.energyPJ)} pJ (${fmt(best.energyPJ / 1e6)} µJ), ${fmt(best.cycles)} cycles`,
    `searched ${fmt(result.evaluated)} mappings (${fmt(result.valid)} valid) of ${fmt(result.spaceSize)} with ${result.strategy} in ${elapsedS.toFixed(2)} s (${result.stoppedBy})`,
    `pareto (energy pJ, cycles): ${result.pareto.map((p) => `(${fmt(p.energyPJ)}, ${fmt(p.cycles)})`).join(' ')}`,
    '',
    best.mappingYaml.trimEnd(),
  ]
  return `${lines.join('\n')}\n`
}

/** Runs `snipsnap search`. */
export const runSearch = async (inputs: readonly string[], options: SearchOptions, io: CliRun): Promise<void> => {
  // The budget covers the whole run: start-up, reading, worker start-up, preparation, search.
  const started = io.startedAtMs
  const budgetS = parseNumber(options.budgetS, '--budget-s', { min: 0, integer: false })
  if (budgetS === 0) throw new SnipSnapError('INVALID_SPEC', '--budget-s is 0: a zero budget cannot find a mapping; give a positive number of seconds', { path: ['--budget-s'] })
  const seed = parseNumber(options.seed, '--seed', { min: 0, integer: true })
  const threads = io.capThreads(parseNumber(options.threads, '--threads', { min: 1, integer: true }))
  // The mapping is searched, so any `mapping:` in the files is not read (mapper folders hold two).
  const registries = await loadRegistries(options.plugin)
  const design: DesignSpec = readDesign(io, inputs, { ignore: ['mapping'], formats: registries.formats, ...(options.strict === true ? { strict: true } : {}) })
  const explorer = createExplorer(registries)
  const budgetMs = budgetS * 1000
  const deadline = startDeadline(io, budgetMs)
  const bar = io.stderr.isTTY === true && options.json !== true
    ? new cliProgress.SingleBar(
        { stream: io.stderr as NodeJS.WritableStream, format: 'search [{bar}] {percentage}% | {evaluated} evaluated, {valid} valid | best {best}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null
  const onProgress = (p: ExplorerProgress): void => {
    // Progress is the larger of time used and space covered (exhaustive runs end early).
    const fraction = Math.max((performance.now() - started) / budgetMs, p.evaluated / Math.max(1, p.spaceSize))
    bar?.update(Math.min(100, Math.round(fraction * 100)), {
      evaluated: p.evaluated,
      valid: p.valid,
      best: p.bestEnergyPJ === null ? '–' : `${fmt(p.bestEnergyPJ / 1e6)} µJ / ${fmt(p.bestCycles ?? 0)} cycles`,
    })
  }
  // Worker threads load the same plug-ins and cost model as this thread.
  const threaded =
    threads > 1
      ? startThreadedExecutor(io, threads, design, deadline.signal, {
          registries,
          pluginModules: registries.pluginModules,
          ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
        })
      : null
  let result: SearchDesignResult
  try {
    bar?.start(100, 0, { evaluated: 0, valid: 0, best: '–' })
    result = await explorer.searchDesign(design, {
      signal: deadline.signal,
      ...(threaded !== null ? { executor: threaded.executor } : {}),
      ...(options.objective !== undefined ? { objective: options.objective } : {}),
      budget: { wallTimeMs: Math.max(1, deadline.remainingMs()) },
      seed,
      strategy: options.strategy,
      ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
      clock: () => performance.now(),
      onProgress,
    })
  } finally {
    deadline.dispose()
    bar?.stop()
    await threaded?.close()
  }
  // The deadline stops a run as an abort; report it as the budget it is.
  if (result.stoppedBy === 'abort' && deadline.expired()) result = { ...result, stoppedBy: 'budget' }
  const elapsedS = (performance.now() - started) / 1000
  if (result.best === null) {
    if (io.signal.aborted) throw new SnipSnapError('ABORTED', 'search interrupted before any valid mapping was found')
    if (result.stoppedBy === 'budget') {
      throw new SnipSnapError('INVALID_SPEC', `the ${budgetS} s budget ran out before a valid mapping was found (${result.evaluated} evaluated); give a larger --budget-s`, { path: ['--budget-s'] })
    }
    throw new SnipSnapError('INVALID_SPEC', `no valid mapping found: ${result.reason ?? 'unknown reason'}`, { path: ['mapping'] })
  }
  if (io.stopCause === 'interrupt' && options.json !== true) io.stderr.write(`snipsnap: interrupted; best mapping after ${fmt(result.evaluated)} evaluations:\n`)
  io.stdout.write(options.json === true ? `${JSON.stringify({ ...searchResultToJson(result, elapsedS), interrupted: io.stopCause === 'interrupt' })}\n` : summary(result, elapsedS))
}

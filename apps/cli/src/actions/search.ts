// What `snipsnap search <case-folder | files…> [--objective …] [--budget-s N] [--seed N]
// [--threads N] [--json]` runs (declared in ../commands/search.ts, imported only when the command
// runs): read a Timeloop-style design (mapping ignored), search its mapping space with the
// Sparseloop model, print the best mapping (Timeloop YAML) or one JSON object.
// argv → file reading → library calls → printed report; no domain logic here.
import { performance } from 'node:perf_hooks'
import cliProgress from 'cli-progress'
import { SnipSnapError, type DesignSpec, type MappingSpec } from '@snipsnap/core'
import { createExplorer, type ExplorerProgress, type SearchDesignResult } from '@snipsnap/explorer'
import { createWorkerPool, type WorkerPool } from '@snipsnap/search/node'
import { parseTimeloopYaml } from '@snipsnap/timeloop'
import { collectDesignSources } from '../design-files'
import type { CliIo } from '../io'

/** Options of `snipsnap search`, as commander parses them. */
export interface SearchOptions {
  readonly objective?: string
  readonly budgetS: string
  readonly seed: string
  readonly threads: string
  readonly strategy: string
  readonly json?: boolean
}


const parseNumber = (text: string, option: string, { min, integer }: { min: number; integer: boolean }): number => {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value)) || value < min) {
    throw new SnipSnapError('INVALID_SPEC', `${option} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got "${text}"`, { path: [option] })
  }
  return value
}

const fmt = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 })

/** The issue-6 JSON shape. */
export const searchResultToJson = (result: SearchDesignResult): Record<string, unknown> => ({
  best:
    result.best === null
      ? null
      : { energyPJ: result.best.energyPJ, cycles: result.best.cycles, mapping: result.best.mappingYaml, formats: result.best.formats },
  evaluated: result.evaluated,
  valid: result.valid,
  elapsedS: (result.elapsedMs ?? 0) / 1000,
  objective: result.objective,
  strategy: result.strategy,
  stoppedBy: result.stoppedBy,
  spaceSize: result.spaceSize,
  pareto: result.pareto,
})

const summary = (result: SearchDesignResult): string => {
  const best = result.best
  if (best === null) return ''
  const lines = [
    `best (${result.objective.join(', then ')}): ${fmt(best.energyPJ)} pJ (${fmt(best.energyPJ / 1e6)} µJ), ${fmt(best.cycles)} cycles`,
    `searched ${fmt(result.evaluated)} mappings (${fmt(result.valid)} valid) of ${fmt(result.spaceSize)} with ${result.strategy} in ${((result.elapsedMs ?? 0) / 1000).toFixed(2)} s (${result.stoppedBy})`,
    `pareto (energy pJ, cycles): ${result.pareto.map((p) => `(${fmt(p.energyPJ)}, ${fmt(p.cycles)})`).join(' ')}`,
    '',
    best.mappingYaml.trimEnd(),
  ]
  return `${lines.join('\n')}\n`
}

/** Runs `snipsnap search`. */
export const runSearch = async (inputs: readonly string[], options: SearchOptions, io: CliIo): Promise<void> => {
  const budgetS = parseNumber(options.budgetS, '--budget-s', { min: 0, integer: false })
  if (budgetS === 0) throw new SnipSnapError('INVALID_SPEC', '--budget-s is 0: a zero budget cannot find a mapping; give a positive number of seconds', { path: ['--budget-s'] })
  const seed = parseNumber(options.seed, '--seed', { min: 0, integer: true })
  const threads = parseNumber(options.threads, '--threads', { min: 1, integer: true })
  const design: DesignSpec = parseTimeloopYaml(collectDesignSources(inputs))
  const explorer = createExplorer()
  const bar = io.stderr.isTTY === true && options.json !== true
    ? new cliProgress.SingleBar(
        { stream: io.stderr as NodeJS.WritableStream, format: 'search [{bar}] {percentage}% | {evaluated} evaluated, {valid} valid | best {best}', hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null
  bar?.start(100, 0, { evaluated: 0, valid: 0, best: '–' })
  const onProgress = (p: ExplorerProgress): void => {
    // Progress is the larger of time used and space covered (exhaustive runs end early).
    const fraction = Math.max((p.elapsedMs ?? 0) / (budgetS * 1000), p.evaluated / Math.max(1, p.spaceSize))
    bar?.update(Math.min(100, Math.round(fraction * 100)), {
      evaluated: p.evaluated,
      valid: p.valid,
      best: p.bestEnergyPJ === null ? '–' : `${fmt(p.bestEnergyPJ / 1e6)} µJ / ${fmt(p.bestCycles ?? 0)} cycles`,
    })
  }
  // Worker threads import the explorer's evaluator module; the result does not depend on them.
  let pool: WorkerPool<MappingSpec> | null = null
  if (threads > 1) {
    let module: string
    try {
      module = import.meta.resolve('@snipsnap/explorer/evaluator')
    } catch (cause) {
      throw new SnipSnapError('INVALID_SPEC', `--threads ${threads}: cannot locate the worker evaluator module (@snipsnap/explorer/evaluator); use --threads 1`, { path: ['--threads'], cause })
    }
    try {
      // From sources (tsx, vitest) the module is TypeScript: the pool registers tsx in each
      // worker, and the source condition makes its imports resolve to sources as well.
      const fromSources = /\.[cm]?ts$/.test(module)
      pool = await createWorkerPool<MappingSpec>({ module, threads, options: { design }, ...(fromSources ? { conditions: ['@snipsnap/source'] } : {}) })
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause)
      throw new SnipSnapError('INVALID_SPEC', `--threads ${threads}: worker threads cannot load the evaluator (${message}); use --threads 1`, { path: ['--threads'], cause })
    }
  }
  // Ctrl-C stops the search and prints the best mapping found so far.
  const stop = new AbortController()
  const onSigint = (): void => stop.abort()
  process.once('SIGINT', onSigint)
  let result: SearchDesignResult
  try {
    result = await explorer.searchDesign(design, {
      signal: stop.signal,
      ...(pool !== null ? { executor: pool } : {}),
      ...(options.objective !== undefined ? { objective: options.objective } : {}),
      budget: { wallTimeMs: budgetS * 1000 },
      seed,
      strategy: options.strategy,
      clock: () => performance.now(),
      onProgress,
    })
  } finally {
    process.off('SIGINT', onSigint)
    bar?.stop()
    await pool?.close()
  }
  if (result.best === null) throw new SnipSnapError('INVALID_SPEC', `no valid mapping found: ${result.reason ?? 'unknown reason'}`, { path: ['mapping'] })
  io.stdout.write(options.json === true ? `${JSON.stringify(searchResultToJson(result))}\n` : summary(result))
}

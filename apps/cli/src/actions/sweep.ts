// What `snipsnap sweep <spec> --out <dir> [--threads N] [--queue redis://…] [--json]` runs
// (declared in ../commands/sweep.ts, imported only when the command runs): read the sweep spec,
// run its missing jobs on the local worker-thread pool (or through the queue), write the records,
// summary.json, summary.csv and the report, print the summary. Ctrl-C stops the pool and keeps
// what is stored (exit 130); the same command again computes only what is missing.
// argv → file reading → library calls → files and printed report; no domain logic here.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import cliProgress from 'cli-progress'
import { SnipSnapError } from '@snipsnap/core'
import { parseSweepSpec, type SweepSummary } from '@snipsnap/sweep'
import { codeVersion, openResultStore, runSweepLocal, writeSweepOutputs, type SweepProgress, type SweepRunResult } from '@snipsnap/sweep/node'
import type { CliRun } from '../run-control'
import { parseIntegerOption } from '../option-values'

/** Options of `snipsnap sweep`, as commander parses them. */
export interface SweepCliOptions {
  readonly out: string
  readonly threads?: string
  readonly queue?: string
  readonly json?: boolean
}

const readSpec = (path: string) => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new SnipSnapError('IO_ERROR', `cannot read the sweep spec ${path}: ${(cause as Error).message}`, { path: ['<spec>'], cause })
  }
  return parseSweepSpec(text, path, { codeVersion: codeVersion() })
}

const fmt = (value: number, digits = 2): string => value.toLocaleString('en-US', { maximumFractionDigits: digits })

const table = (summary: SweepSummary, run: SweepRunResult, elapsedS: number, out: string): string => {
  const axisNames = summary.axes.filter((a) => a.values.length > 1).map((a) => a.name)
  const lines = [
    `${summary.name}: ${summary.jobs} jobs, ${summary.ok} ok, ${summary.failed} failed${summary.missing > 0 ? `, ${summary.missing} missing` : ''} (${run.done} computed in ${elapsedS.toFixed(1)} s, ${run.skipped} already stored)`,
    '',
    [...axisNames.map((n) => n.padEnd(14)), 'energy µJ'.padStart(14), 'cycles'.padStart(16), 'area mm²'.padStart(10), '  key'].join(' '),
  ]
  for (const row of summary.rows) {
    lines.push(
      [
        ...axisNames.map((n) => String(row.axes[n] ?? '').slice(0, 14).padEnd(14)),
        (row.totalEnergyPJ === null ? row.status : fmt(row.totalEnergyPJ / 1e6)).padStart(14),
        (row.totalCycles === null ? '' : fmt(row.totalCycles, 0)).padStart(16),
        (row.areaUM2 === null ? '' : fmt(row.areaUM2 / 1e6, 3)).padStart(10),
        `  ${row.key}${row.error === null ? '' : `  ${row.error}`}`,
      ].join(' '),
    )
  }
  if (summary.sensitivity.length > 0) {
    lines.push('', 'sensitivity (energy over the best value of the axis, among jobs equal on every other axis):')
    for (const s of summary.sensitivity) {
      const values = s.values.map((v) => `${v.value} ${v.relativeEnergy === null ? '–' : `×${v.relativeEnergy.toFixed(3)}`}`).join(', ')
      lines.push(`  ${s.axis}: ${values}`)
    }
  }
  lines.push('', `results in ${out}: <key>.json per job, summary.json, summary.csv, report.html (keys of code version ${summary.codeVersion})`)
  return `${lines.join('\n')}\n`
}

/** Runs `snipsnap sweep`. */
export const runSweep = async (specPath: string, options: SweepCliOptions, io: CliRun): Promise<void> => {
  const started = performance.now()
  const sweep = readSpec(specPath)
  const threads = io.capThreads(options.threads === undefined ? io.cores ?? availableParallelism() : parseIntegerOption(options.threads, '--threads', 1))
  const store = openResultStore(options.out)
  const bar = io.stderr.isTTY === true && options.json !== true
    ? new cliProgress.SingleBar(
        { stream: io.stderr as NodeJS.WritableStream, format: 'sweep [{bar}] {value}/{total} jobs | {failed} failed | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true, etaBuffer: 4 },
        cliProgress.Presets.shades_classic,
      )
    : null
  const onProgress = (p: SweepProgress): void => {
    if (bar === null) return
    if (bar.getTotal() !== p.pending) bar.start(p.pending, p.done, { failed: p.failed })
    else bar.update(p.done, { failed: p.failed })
  }
  let run: SweepRunResult
  try {
    if (options.queue !== undefined) {
      const { runSweepOnQueue } = await import('@snipsnap/sweep/queue')
      run = await runSweepOnQueue({ url: options.queue, sweep, store, signal: io.signal, onProgress })
    } else {
      run = await runSweepLocal({ jobs: sweep.jobs, store, threads, signal: io.signal, onProgress })
    }
  } finally {
    bar?.stop()
  }
  const summary = writeSweepOutputs(sweep, store)
  const elapsedS = (performance.now() - started) / 1000
  if (run.failed > 0 && options.json !== true) io.warn(`${run.failed} job(s) failed; their errors are in their <key>.json and in summary.csv`)
  if (io.stopCause === 'interrupt' && options.json !== true) io.stderr.write(`snipsnap: interrupted; ${run.done} job(s) stored this run, ${summary.missing} missing; rerun the same command to compute only those\n`)
  io.stdout.write(options.json === true ? `${JSON.stringify({ ...summary, run: { ...run, elapsedS }, out: options.out })}\n` : table(summary, run, elapsedS, options.out))
}

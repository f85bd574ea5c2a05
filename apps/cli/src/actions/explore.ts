// What `snipsnap explore --model <id> --sparsity <preset> [--phase prefill|decode] [--arch <preset>]
// [--json]` runs (declared in ../commands/explore.ts, imported only when the command runs):
// co-search dataflow and formats for every distinct layer of a zoo model on an accelerator preset;
// print per-layer and whole-model energy, cycles and chosen formats.
// argv → library calls → printed report; no domain logic here.
import { performance } from 'node:perf_hooks'
import { SnipSnapError } from '@snipsnap/core'
import { createExplorer, type ExploreModelResult, type ExploredLayer } from '@snipsnap/explorer'
import { loadRegistries, type PluginCliOptions } from '../plugins'
import type { CliIo } from '../io'
import { writeExploreOut } from './explore-out'

/** Options of `snipsnap explore`, as commander parses them. */
export interface ExploreOptions extends PluginCliOptions {
  readonly model: string
  readonly sparsity: string
  readonly phase: string
  readonly arch: string
  readonly objective: string
  readonly evaluations: string
  readonly seed: string
  readonly lowering?: string
  readonly json?: boolean
  /** Folder for results.json, layers.csv and report.html. */
  readonly out?: string
  /** Study spec file (applied by ../study/apply.ts before the action runs). */
  readonly spec?: string
}

const parseInteger = (text: string, option: string, min: number): number => {
  const value = Number(text)
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new SnipSnapError('INVALID_SPEC', `${option} must be an integer ≥ ${min}, got "${text}"`, { path: [option] })
  }
  return value
}

const fmt = (value: number, digits = 2): string => value.toLocaleString('en-US', { maximumFractionDigits: digits })
const formatsText = (layer: ExploredLayer): string =>
  layer.formats.length === 0 ? 'uncompressed' : layer.formats.map((f) => `${f.tensor}@${f.level}:${f.format}`).join(' ')

const table = (result: ExploreModelResult, elapsedS: number): string => {
  const lines = [
    `${result.model} ${result.phase}${result.layers.some((l) => l.conv !== null) || result.lowering === 'im2col' ? ` (${result.lowering} convolutions)` : ''} on ${result.arch}, objective ${result.objective.join(', then ')}: ${result.layers.length} distinct layers co-searched`,
    '',
    `${'layer'.padEnd(44)} ${(result.layers.some((l) => l.conv !== null) ? 'shape (conv: N C M R S P Q stride)' : 'M×K×N').padEnd(18)} ${'count'.padStart(5)} ${'energy µJ'.padStart(12)} ${'cycles'.padStart(14)} ${'vs dataflow-only'.padStart(16)}  formats`,
  ]
  for (const l of result.layers) {
    const gain = l.energyPJ !== null && l.dataflowOnlyEnergyPJ !== null && l.dataflowOnlyEnergyPJ > 0 ? `${fmt((1 - l.energyPJ / l.dataflowOnlyEnergyPJ) * 100, 1)}% less` : '—'
    lines.push(
      `${l.names.join(',').slice(0, 44).padEnd(44)} ${l.shape.padEnd(18)} ${String(l.count).padStart(5)} ${(l.energyPJ === null ? '—' : fmt(l.energyPJ / 1e6)).padStart(12)} ${(l.cycles === null ? '—' : fmt(l.cycles, 0)).padStart(14)} ${gain.padStart(16)}  ${l.reason ?? formatsText(l)}`,
    )
  }
  lines.push(
    '',
    `whole model (Σ count × layer): ${fmt(result.totalEnergyPJ / 1e6)} µJ, ${fmt(result.totalCycles, 0)} cycles` +
      (result.dataflowOnlyTotalEnergyPJ > 0 ? ` (dataflow-only with default formats: ${fmt(result.dataflowOnlyTotalEnergyPJ / 1e6)} µJ)` : ''),
    `${fmt(result.evaluated, 0)} cost-model evaluations in ${elapsedS.toFixed(2)} s${result.failedLayers > 0 ? `; ${result.failedLayers} layer(s) without a valid design (excluded from the totals)` : ''}`,
  )
  return `${lines.join('\n')}\n`
}

/** Runs `snipsnap explore`. */
export const runExplore = async (options: ExploreOptions, io: CliIo): Promise<void> => {
  if (options.phase !== 'prefill' && options.phase !== 'decode') {
    throw new SnipSnapError('INVALID_SPEC', `--phase must be prefill or decode, got "${options.phase}"`, { path: ['--phase'] })
  }
  const evaluations = parseInteger(options.evaluations, '--evaluations', 1)
  const seed = parseInteger(options.seed, '--seed', 0)
  const lowering = options.lowering ?? 'native'
  if (lowering !== 'native' && lowering !== 'im2col') {
    throw new SnipSnapError('INVALID_SPEC', `--lowering must be native or im2col, got "${lowering}"`, { path: ['--lowering'] })
  }
  const start = performance.now()
  const progress = io.stderr.isTTY === true && options.json !== true
  const registries = await loadRegistries(options.plugin)
  const result = await createExplorer(registries).exploreModel({
    ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
    model: options.model,
    sparsity: options.sparsity.split(',').map((s) => s.trim()),
    phase: options.phase,
    arch: options.arch,
    lowering,
    objective: options.objective,
    dataflowEvaluations: evaluations,
    seed,
    clock: () => performance.now(),
    onLayer: (done, total, layer) => {
      if (progress) io.stderr.write(`\r[${done}/${total}] ${layer.names[0] ?? ''} done in ${((performance.now() - start) / 1000).toFixed(1)} s   `)
    },
  })
  if (progress) io.stderr.write('\n')
  const elapsedS = (performance.now() - start) / 1000
  if (result.layers.every((l) => l.energyPJ === null)) {
    throw new SnipSnapError('INVALID_SPEC', `no layer of ${result.model} has a valid design on ${result.arch}: ${result.layers[0]?.reason ?? 'no layers'}`, { path: ['--arch'] })
  }
  const json = { ...result, elapsedS }
  if (options.out !== undefined) await writeExploreOut(options.out, json)
  io.stdout.write(options.json === true ? `${JSON.stringify(json)}\n` : table(result, elapsedS))
}

// What `snipsnap codesign` runs (declared in ../commands/codesign.ts): read the hardware axes
// (file and flags), run @snipsnap/explorer's codesignModel with a wall-clock budget, print
// `{ baseline, pareto, … }` or a table, and with --out write the result, the Pareto plots and each
// point's Timeloop YAML. argv → library calls → files and printed report; no domain logic here.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { SnipSnapError } from '@snipsnap/core'
import { readYamlValue } from '@snipsnap/core/yaml'
import {
  HARDWARE_AXIS_NAMES,
  parseHardwareAxisText,
  type HardwareAxisName,
  codesignPointYaml, codesignProblems, createExplorer, type CodesignMode, type CodesignPoint, type CodesignResult } from '@snipsnap/explorer'
import { loadRegistries, type PluginCliOptions } from '../plugins'
import { readText } from '../design-files'
import type { CliRun } from '../run-control'

/** Options of `snipsnap codesign`, as commander parses them. */
export interface CodesignCliOptions extends PluginCliOptions {
  readonly model: string
  readonly sparsity: string
  readonly phase: string
  readonly arch: string
  readonly budgetS: string
  readonly maxPoints?: string
  readonly evaluations: string
  readonly objective: string
  readonly mode: string
  readonly axes?: string
  readonly maxAreaUm2?: string
  readonly maxPowerMw?: string
  readonly clockGhz: string
  readonly seed: string
  readonly estimator?: string
  readonly lowering?: string
  readonly out?: string
  readonly json?: boolean
  readonly [axisFlag: string]: unknown
}

const parseNumber = (text: string, option: string, { integer = false, min = 0 } = {}): number => {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value <= min || (integer && !Number.isSafeInteger(value))) {
    throw new SnipSnapError('INVALID_SPEC', `${option} must be ${integer ? 'an integer' : 'a number'} > ${min}, got "${text}"`, { path: [option] })
  }
  return value
}

// commander camel-cases `--glb-kib` as `glbKib`.
const optionKeyOf = (name: HardwareAxisName): string => name.replace('KiB', 'Kib')

/** Written axes: the --axes file, then every axis flag given (a flag replaces that axis). */
const readAxes = (options: CodesignCliOptions): Record<string, unknown> | undefined => {
  let axes: Record<string, unknown> | undefined
  if (options.axes !== undefined) {
    const parsed = readYamlValue(readText(options.axes), options.axes, { code: 'INVALID_SPEC', path: ['--axes'] })
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SnipSnapError('INVALID_SPEC', `${options.axes}: expected an object of axes`, { path: ['--axes'] })
    axes = { ...(parsed as Record<string, unknown>) }
  }
  for (const name of HARDWARE_AXIS_NAMES) {
    const text = options[optionKeyOf(name)]
    if (typeof text !== 'string') continue
    axes = { ...(axes ?? {}), [name]: parseHardwareAxisText(name, text) }
  }
  return axes
}

const layerJson = (p: CodesignPoint) =>
  p.layers.map((l) => ({ names: l.names, M: l.M, K: l.K, N: l.N, shape: l.shape, conv: l.conv, count: l.count, energyPJ: l.energyPJ, cycles: l.cycles, formats: l.formats, mapping: l.mappingYaml, reusedFromNeighbour: l.reusedFromNeighbour }))
const pointJson = (p: CodesignPoint) => ({
  energyPJ: p.energyPJ,
  cycles: p.cycles,
  edp: p.edp,
  areaUM2: p.areaUM2,
  peakPowerMW: p.peakPowerMW,
  extrapolated: p.extrapolated,
  extrapolations: p.extrapolations,
  foundAtS: p.foundAtS,
  hardware: p.hardware,
  layers: layerJson(p),
})

const resultJson = (result: CodesignResult, elapsedS: number, seed: number) => {
  const b = result.baseline
  const best = result.bestEdpAtBaselineArea
  return {
    model: result.model,
    phase: result.phase,
    arch: result.arch,
    mode: result.mode,
    objective: result.objective,
    estimator: result.estimator,
    seed,
    baseline: b === null ? null : pointJson(b),
    pareto: result.pareto.map(pointJson),
    bestEdpAtBaselineArea: best === null ? null : pointJson(best),
    beatsBaseline: best !== null,
    edpRatio: best !== null && b !== null ? best.edp / b.edp : null,
    areaRatio: best !== null && b !== null ? best.areaUM2 / b.areaUM2 : null,
    evaluatedPoints: result.evaluatedPoints,
    rejected: result.rejected,
    reusedLayers: result.reusedLayers,
    stoppedBy: result.stoppedBy,
    axes: result.axes,
    elapsedS,
  }
}

const fmt = (v: number, digits = 3): string => (Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(digits) : v.toLocaleString('en-US', { maximumFractionDigits: digits }))
const hwText = (p: CodesignPoint): string => (Object.keys(p.hardware).length === 0 ? '(preset)' : Object.entries(p.hardware).map(([k, v]) => `${k}=${String(v)}`).join(' '))

const table = (result: CodesignResult, elapsedS: number): string => {
  const lines = [`${result.model} ${result.phase}, hardware around ${result.arch}, mode ${result.mode}: ${result.evaluatedPoints} points in ${elapsedS.toFixed(1)} s (stopped by ${result.stoppedBy}); rejected ${JSON.stringify(result.rejected)}`, '']
  const row = (tag: string, p: CodesignPoint) =>
    `${tag.padEnd(9)} ${fmt(p.energyPJ / 1e6).padStart(12)} ${fmt(p.cycles).padStart(12)} ${fmt(p.edp).padStart(12)} ${fmt(p.areaUM2 / 1e6).padStart(8)}${p.extrapolated ? '*' : ' '} ${hwText(p)}`
  lines.push(`${''.padEnd(9)} ${'energy µJ'.padStart(12)} ${'cycles'.padStart(12)} ${'EDP pJ·cyc'.padStart(12)} ${'mm²'.padStart(8)}  hardware`)
  if (result.baseline !== null) lines.push(row('baseline', result.baseline))
  result.pareto.forEach((p, i) => lines.push(row(`pareto ${i + 1}`, p)))
  const best = result.bestEdpAtBaselineArea
  lines.push('', best !== null && result.baseline !== null
    ? `best EDP at no more area than the preset: ${fmt(best.edp / result.baseline.edp)} × the preset's EDP, ${fmt(best.areaUM2 / result.baseline.areaUM2)} × its area (${hwText(best)})`
    : 'no evaluated point beats the preset\'s EDP at no more area')
  lines.push('* the estimator extrapolated beyond its tables for this design')
  return `${lines.join('\n')}\n`
}

const writeOut = async (dir: string, result: CodesignResult, json: unknown, options: CodesignCliOptions, sparsity: string[]): Promise<void> => {
  // Loaded only with --out: the plotting library is most of the report's code.
  const { plotToSvg, reportHtml, scatterPlot } = await import('@snipsnap/report')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'codesign.json'), `${JSON.stringify(json, null, 2)}\n`)
  const points = [...(result.baseline !== null ? [{ tag: 'baseline', p: result.baseline }] : []), ...result.pareto.map((p, i) => ({ tag: `pareto-${String(i + 1).padStart(2, '0')}`, p }))]
  // Energy or cycles against area on log axes, coloured by EDP (log), the preset as a labelled star.
  const pareto = (title: string, yLabel: string, y: (p: CodesignPoint) => number) =>
    scatterPlot(
      points.map(({ tag, p }) => ({ x: p.areaUM2, y: y(p), value: p.edp, marked: tag === 'baseline', label: tag === 'baseline' ? 'preset' : `${tag}: ${hwText(p)}` })),
      { title, x: { label: 'area (µm², log) →', log: true }, y: { label: `↑ ${yLabel}`, log: true }, value: { label: 'EDP (pJ·cycles, log)', log: true } },
    )
  const energyPlot = pareto('Energy vs area (Pareto set and preset)', 'energy of one forward pass (pJ, log)', (p) => p.energyPJ)
  const cyclesPlot = pareto('Cycles vs area (Pareto set and preset)', 'cycles of one forward pass (log)', (p) => p.cycles)
  writeFileSync(join(dir, 'pareto-energy-area.svg'), plotToSvg(energyPlot))
  writeFileSync(join(dir, 'pareto-cycles-area.svg'), plotToSvg(cyclesPlot))
  const problems = codesignProblems({ model: options.model, sparsity, phase: options.phase as 'prefill' | 'decode', lowering: loweringOf(options) })
  for (const { tag, p } of points) {
    const folder = join(dir, 'designs', tag)
    mkdirSync(folder, { recursive: true })
    codesignPointYaml(p, problems).forEach(({ layer, yaml }, i) => writeFileSync(join(folder, `${String(i + 1).padStart(2, '0')}-${layer.replace(/[^\w.-]+/g, '_')}.yaml`), yaml))
  }
  const title = `codesign ${result.model} ${result.phase} around ${result.arch} (${result.mode})`
  const designs = 'Each folder of `designs/` holds one Timeloop YAML per distinct layer (arch, ERT, ART, sparse optimizations, mapping, problem); `snipsnap evaluate <file>` re-evaluates it.'
  const report = [`# ${title}`, '', '![energy vs area](pareto-energy-area.svg)', '![cycles vs area](pareto-cycles-area.svg)', '', designs, ''].join('\n')
  writeFileSync(join(dir, 'report.md'), report)
  writeFileSync(
    join(dir, 'report.html'),
    reportHtml({
      title,
      sections: [
        { id: 'energy-area', heading: 'Energy vs area', plot: energyPlot },
        { id: 'cycles-area', heading: 'Cycles vs area', plot: cyclesPlot },
        { id: 'designs', heading: 'Designs', text: [designs] },
      ],
    }),
  )
}

const loweringOf = (options: CodesignCliOptions): 'native' | 'im2col' => {
  const lowering = options.lowering ?? 'native'
  if (lowering !== 'native' && lowering !== 'im2col') {
    throw new SnipSnapError('INVALID_SPEC', `--lowering must be native or im2col, got "${lowering}"`, { path: ['--lowering'] })
  }
  return lowering
}

/** Runs `snipsnap codesign`. */
export const runCodesign = async (options: CodesignCliOptions, io: CliRun): Promise<void> => {
  if (options.phase !== 'prefill' && options.phase !== 'decode') {
    throw new SnipSnapError('INVALID_SPEC', `--phase must be prefill or decode, got "${options.phase}"`, { path: ['--phase'] })
  }
  const budgetS = parseNumber(options.budgetS, '--budget-s')
  const seed = Number(options.seed)
  if (!/^\d+$/.test(options.seed.trim())) throw new SnipSnapError('INVALID_SPEC', `--seed must be an integer ≥ 0, got "${options.seed}"`, { path: ['--seed'] })
  const axes = readAxes(options)
  const sparsity = options.sparsity.split(',').map((s) => s.trim())
  const start = performance.now()
  const progress = io.stderr.isTTY === true && options.json !== true
  const registries = await loadRegistries(options.plugin)
  const result = await createExplorer(registries).codesignModel({
    ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
    ...(options.estimator !== undefined ? { estimator: options.estimator } : {}),
    model: options.model,
    sparsity,
    phase: options.phase,
    arch: options.arch,
    lowering: loweringOf(options),
    ...(axes !== undefined ? { axes } : {}),
    budgetS,
    ...(options.maxPoints !== undefined ? { maxPoints: parseNumber(options.maxPoints, '--max-points', { integer: true }) } : {}),
    dataflowEvaluations: parseNumber(options.evaluations, '--evaluations', { integer: true }),
    objective: options.objective,
    mode: options.mode as CodesignMode,
    ...(options.maxAreaUm2 !== undefined ? { maxAreaUM2: parseNumber(options.maxAreaUm2, '--max-area-um2') } : {}),
    ...(options.maxPowerMw !== undefined ? { maxPowerMW: parseNumber(options.maxPowerMw, '--max-power-mw') } : {}),
    clockGHz: parseNumber(options.clockGhz, '--clock-ghz'),
    seed,
    clock: () => performance.now(),
    // Ctrl-C stops the search: the points evaluated so far are reported (exit 130).
    signal: io.signal,
    onPoint: (p, n) => {
      if (progress) io.stderr.write(`\r[${n}] ${((performance.now() - start) / 1000).toFixed(0)} s ${hwText(p).slice(0, 60).padEnd(60)}`)
    },
  })
  if (progress) io.stderr.write('\n')
  const elapsedS = (performance.now() - start) / 1000
  const interrupted = io.stopCause === 'interrupt'
  if (interrupted && result.baseline === null && result.pareto.length === 0) {
    throw new SnipSnapError('ABORTED', 'codesign interrupted before any hardware point was evaluated')
  }
  if (interrupted && options.json !== true) io.stderr.write('snipsnap: interrupted; printing the hardware points evaluated so far\n')
  const json = { ...resultJson(result, elapsedS, seed), interrupted }
  if (options.out !== undefined) await writeOut(options.out, result, json, options, sparsity)
  io.stdout.write(options.json === true ? `${JSON.stringify(json)}\n` : table(result, elapsedS))
}

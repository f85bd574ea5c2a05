// What `snipsnap explore --model <id> --sparsity <preset> [--phase prefill,decode] [--arch <preset>]
// [--budget-s N] [--json]` runs (declared in ../commands/explore.ts, imported only when the command
// runs): co-search dataflow and formats for every distinct layer of a zoo model on an accelerator
// preset, with budget-matched baselines; print per-layer and whole-model results.
// argv → library calls → printed report; no domain logic here. Ctrl-C and the budget stop the
// search; what was found so far is printed (JSON `"interrupted": true`) and Ctrl-C exits 130.
import { performance } from 'node:perf_hooks'
import { styleText } from 'node:util'
import Table from 'cli-table3'
import { resolveDensityModel, SnipSnapError } from '@snipsnap/core'
import {
  createExplorer,
  MATCHED_BASELINES,
  type ExploredLayer,
  type ExploreModelResult,
  type ExplorePhaseResult,
  type InferencePhase,
  type MatchedBaselineName,
} from '@snipsnap/explorer'
import { loadRegistries, type PluginCliOptions } from '../plugins'
import { startDeadline } from '../deadline'
import type { CliRun } from '../run-control'
import { locateStudyError, type StudyExtras } from '../study/apply'
import { writeExploreOut } from './explore-out'
import { parseIntegerOption } from '../option-values'

/** Options of `snipsnap explore`, as commander parses them. */
export interface ExploreOptions extends PluginCliOptions {
  readonly model: string
  readonly sparsity: string
  /** Comma-separated phases; absent: every phase the model has (prefill and decode for decoders). */
  readonly phase?: string
  readonly arch: string
  readonly lowering?: string
  readonly objective: string
  readonly evaluations?: string
  readonly patience?: string
  readonly budgetS?: string
  readonly baselines: string
  readonly seed: string
  readonly json?: boolean
  /** Folder for results.json, layers.csv and report.html. */
  readonly out?: string
  /** Study spec file (applied by ../study/apply.ts before the action runs). */
  readonly spec?: string
  /** The spec's settings that have no flag. */
  readonly study?: StudyExtras
}

const PHASES: readonly InferencePhase[] = ['prefill', 'decode']

const parsePhases = (text: string): InferencePhase[] => {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
  for (const p of list) {
    if (!(PHASES as readonly string[]).includes(p)) throw new SnipSnapError('INVALID_SPEC', `--phase must be prefill, decode or prefill,decode, got "${text}"`, { path: ['--phase'] })
  }
  if (list.length === 0) throw new SnipSnapError('INVALID_SPEC', '--phase must name at least one phase (prefill, decode)', { path: ['--phase'] })
  return PHASES.filter((p) => list.includes(p))
}

const parseBaselines = (text: string): MatchedBaselineName[] => {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (list.length === 1 && list[0] === 'all') return [...MATCHED_BASELINES]
  if (list.length === 1 && list[0] === 'none') return []
  for (const b of list) {
    if (!(MATCHED_BASELINES as readonly string[]).includes(b)) {
      throw new SnipSnapError('INVALID_SPEC', `--baselines: unknown baseline "${b}"; known: ${MATCHED_BASELINES.join(', ')}, all, none`, { path: ['--baselines'] })
    }
  }
  if (list.includes('formats-only') && !list.includes('dataflow-only')) {
    throw new SnipSnapError('INVALID_SPEC', '--baselines: formats-only uses the dataflow-only result\'s mapping; add dataflow-only', { path: ['--baselines'] })
  }
  return MATCHED_BASELINES.filter((b) => list.includes(b))
}

/** Share of --budget-s kept between the layers' fair shares and the deadline, so runs on a normal machine end by their shares. */
const SHARE_MARGIN = 0.05

const parseSeconds = (text: string, option: string): number => {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new SnipSnapError('INVALID_SPEC', `${option} must be a positive number of seconds, got "${text}"`, { path: [option] })
  }
  return value
}

// ---------------------------------------------------------------- formatting

const group = (value: number, digits: number): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** Energy in the unit that fits its magnitude (pJ … J), 3–4 significant digits. */
export const formatEnergy = (pJ: number): string => {
  const units: readonly [string, number][] = [['J', 1e12], ['mJ', 1e9], ['µJ', 1e6], ['nJ', 1e3], ['pJ', 1]]
  const abs = Math.abs(pJ)
  const [unit, scale] = units.find(([, s]) => abs >= s) ?? ['pJ', 1]
  const v = pJ / scale
  return `${group(v, Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 10 ? 2 : 3)} ${unit}`
}

/** Cycles with a metric prefix beyond a million (e.g. `1.08 G`). */
export const formatCycles = (cycles: number): string => {
  if (cycles < 1e6) return group(cycles, 0)
  const units: readonly [string, number][] = [['T', 1e12], ['G', 1e9], ['M', 1e6]]
  const [unit, scale] = units.find(([, s]) => cycles >= s) ?? ['M', 1e6]
  return `${group(cycles / scale, 2)} ${unit}`
}

/** Every percentage the same way: one decimal. */
const pct = (fraction: number): string => `${group(100 * fraction, 1)}%`

/** The co-search's saving against a baseline, e.g. `12.3%` (negative when the baseline is lower). */
const saving = (value: number | null, baseline: number | null): string =>
  value === null || baseline === null || !(baseline > 0) ? '—' : pct(1 - value / baseline)

const BASELINE_TEXT: Readonly<Record<MatchedBaselineName, string>> = {
  'dataflow-only': 'dataflow-only (formats fixed uncompressed, dataflow searched)',
  'formats-only': "formats-only (the engine's formats on dataflow-only's mapping)",
  bitmap: 'bitmap (fixed format, dataflow searched)',
  csr: 'CSR (fixed format, dataflow searched)',
  coo: 'COO (fixed format, dataflow searched)',
  rle: 'RLE (fixed format, dataflow searched)',
}

const LEGEND =
  'Formats: tensor@level, ranks outer → inner, each with the loop dimensions it covers at that level: ' +
  'U uncompressed · UOP offsets (CSR row pointers) · CP coordinates · B bitmask · RLE zero-run lengths · UB uncompressed + bitmask; ' +
  'U×3(N,K) is three U ranks in a row over N and K loops, (1) a rank of fiber shape 1. ' +
  'Dataflow: per storage level (outer → inner) its temporal loops, outer → inner, and ‖[…] its spatial fan-out.'

const energySplit = (layer: ExploredLayer): string => {
  const total = layer.energyPJ ?? 0
  if (!(total > 0)) return ''
  return layer.energyByLevel
    .filter((l) => l.energyPJ / total >= 0.0005)
    .sort((a, b) => b.energyPJ - a.energyPJ)
    .map((l) => `${l.level} ${pct(l.energyPJ / total)}`)
    .join(', ')
}

/** `U(N)-U(K)-U(N)-B(K)` → `U×3(N,K)-B(K)`: runs of one primitive shown once with their count. */
export const compactFormat = (text: string): string => {
  const ranks = text.split('-').map((r) => /^([A-Za-z]+)(?:\((.*)\))?$/.exec(r))
  if (ranks.some((r) => r === null)) return text
  const runs: { prim: string; dims: string[]; count: number }[] = []
  for (const r of ranks as RegExpExecArray[]) {
    const prim = r[1] as string
    const dims = r[2] === undefined ? [] : r[2].split(',')
    const last = runs.at(-1)
    if (last !== undefined && last.prim === prim) {
      last.count++
      for (const d of dims) if (!last.dims.includes(d)) last.dims.push(d)
    } else runs.push({ prim, dims: [...dims], count: 1 })
  }
  return runs.map((r) => `${r.prim}${r.count > 1 ? `×${r.count}` : ''}${r.dims.length > 0 ? `(${r.dims.join(',')})` : ''}`).join('-')
}

const formatsCell = (layer: ExploredLayer): string =>
  layer.formats.length === 0 ? 'uncompressed' : layer.formats.map((f) => `${f.tensor}@${f.level}: ${compactFormat(f.formatWithDims ?? f.format)}`).join('\n')

const bestFixed = (layer: ExploredLayer): { name: string; energyPJ: number } | null => {
  let best: { name: string; energyPJ: number } | null = null
  for (const b of layer.baselines) {
    if (b.name === 'dataflow-only' || b.name === 'formats-only' || !b.applied || b.energyPJ === null) continue
    if (best === null || b.energyPJ < best.energyPJ) best = { name: b.name, energyPJ: b.energyPJ }
  }
  return best
}

interface Paint {
  head(text: string): string
  good(text: string): string
}

const paintFor = (io: CliRun): Paint => {
  const colour = io.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === ''
  return colour
    ? { head: (t) => styleText('bold', t), good: (t) => styleText('green', t) }
    : { head: (t) => t, good: (t) => t }
}

const tableStyle = { head: [] as string[], border: [] as string[] }

const phaseTable = (phase: ExplorePhaseResult, paint: Paint): string => {
  const hasDfo = phase.layers.some((l) => l.dataflowOnlyEnergyPJ !== null)
  const hasFixed = phase.layers.some((l) => bestFixed(l) !== null)
  const conv = phase.layers.some((l) => l.conv !== null)
  const head = ['layer', conv ? 'shape ×count (conv: N C M R S P Q stride)' : 'M×K×N ×count', 'dataflow', 'PEs used', 'formats', 'energy / run', 'split', 'cycles / run', ...(hasDfo ? ['saving vs\ndataflow-only'] : []), ...(hasFixed ? ['saving vs best\nfixed format'] : [])]
  const table = new Table({ head: head.map(paint.head), style: tableStyle, wordWrap: true, wrapOnWordBoundary: true, colWidths: [22, 18, 34, 10, 34, 12, 22, 12, ...(hasDfo ? [15] : []), ...(hasFixed ? [16] : [])] })
  for (const l of phase.layers) {
    const fixed = bestFixed(l)
    table.push([
      l.names.join(', '),
      `${l.shape} ×${l.count}`,
      l.mapping?.text ?? (l.reason ?? '—'),
      l.mapping === null ? '—' : `${l.mapping.pesUsed}/${l.mapping.pesTotal} (${pct(l.mapping.pesUsed / l.mapping.pesTotal)})`,
      l.energyPJ === null ? '—' : formatsCell(l),
      l.energyPJ === null ? '—' : formatEnergy(l.energyPJ),
      energySplit(l),
      l.cycles === null ? '—' : formatCycles(l.cycles),
      ...(hasDfo ? [saving(l.energyPJ, l.dataflowOnlyEnergyPJ)] : []),
      ...(hasFixed ? [fixed === null ? 'n/a (dense)' : `${saving(l.energyPJ, fixed.energyPJ)} (${fixed.name})`] : []),
    ])
  }
  return table.toString()
}

const baselineTable = (totals: { totalEnergyPJ: number; totalCycles: number; baselineTotals: ExploreModelResult['baselineTotals'] }, layerCount: number, paint: Paint): string => {
  const table = new Table({ head: ['design', 'energy', 'cycles', 'co-search saving'].map(paint.head), style: tableStyle })
  table.push([paint.good('co-search (dataflow + formats)'), paint.good(formatEnergy(totals.totalEnergyPJ)), formatCycles(totals.totalCycles), '—'])
  for (const b of totals.baselineTotals) {
    const fixed = b.name !== 'dataflow-only' && b.name !== 'formats-only'
    const note = fixed && b.layersApplied < layerCount ? ` [applies to ${b.layersApplied} of ${layerCount} layers; others uncompressed]` : ''
    table.push([`${BASELINE_TEXT[b.name]}${note}`, formatEnergy(b.energyPJ), formatCycles(b.cycles), saving(totals.totalEnergyPJ, b.energyPJ)])
  }
  return table.toString()
}

const searchSentence = (result: ExploreModelResult): string => {
  const s = result.search
  const rule = s.patience === null ? `exactly ${group(s.dataflowEvaluations, 0)} evaluations` : `until ${s.patience} evaluations in a row bring no improvement (at most ${group(s.dataflowEvaluations, 0)})`
  const compared = s.baselines.length === 0 ? 'No baselines were computed (--baselines none).' : `Every baseline ran this same search per layer (same stage 1, budget, stopping rule, rounds and seed${result.interrupted ? '' : ''}); only the format choice differs. The co-search also considers each baseline's design (and the engine's formats on its mapping) when its format space holds it, so it never reports more than such a baseline.`
  return `Search per layer: ${s.strategy} dataflow search (stage 1${s.stage1Starts > 1 ? `: ${s.stage1Starts} independent starts, their best dataflows pooled` : ''}), the compression engine on the top ${s.topM} dataflows, ${s.maxRounds} refinement round(s); each dataflow search runs ${rule}, seed ${s.seed}. ${compared}`
}

const report = (result: ExploreModelResult, elapsedS: number, paint: Paint): string => {
  const out: string[] = []
  const lowered = result.layers.some((l) => l.conv !== null) || result.lowering === 'im2col' ? ` (${result.lowering} convolutions)` : ''
  out.push(`${result.model}${lowered} on ${result.arch}, objective ${result.objective.join(', then ')}: ${result.phases.map((p) => `${p.phase} ${p.layers.length} distinct layers`).join(', ')}`)
  if (result.interrupted) out.push('INTERRUPTED: layers hold the best found so far; layers not reached are marked.')
  for (const phase of result.phases) {
    out.push('', paint.head(`${phase.phase}`), phaseTable(phase, paint))
    out.push(`${phase.phase} whole pass (Σ count × layer): ${formatEnergy(phase.totalEnergyPJ)}, ${formatCycles(phase.totalCycles)} cycles`)
    if (phase.baselineTotals.length > 0) out.push(baselineTable(phase, phase.layers.length, paint))
  }
  if (result.phases.length > 1) {
    out.push('', paint.head(`model (${result.phases.map((p) => p.phase).join(' + ')})`))
    out.push(baselineTable(result, result.layers.length, paint))
  }
  out.push('', searchSentence(result), LEGEND)
  out.push(`${group(result.evaluated, 0)} cost-model evaluations in ${elapsedS.toFixed(1)} s${result.failedLayers > 0 ? `; ${result.failedLayers} layer(s) without a valid design (excluded from the totals)` : ''}`)
  return `${out.join('\n')}\n`
}

/** Runs `snipsnap explore`; an error about a setting of the --spec file names its line. */
export const runExplore = async (options: ExploreOptions, io: CliRun): Promise<void> => {
  try {
    await explore(options, io)
  } catch (error) {
    throw locateStudyError(error, options.study?.located)
  }
}

const explore = async (options: ExploreOptions, io: CliRun): Promise<void> => {
  const phases = options.phase === undefined ? ('all' as const) : parsePhases(options.phase)
  const lowering = options.lowering ?? 'native'
  if (lowering !== 'native' && lowering !== 'im2col') {
    throw new SnipSnapError('INVALID_SPEC', `--lowering must be native or im2col, got "${lowering}"`, { path: ['--lowering'] })
  }
  const evaluations = options.evaluations === undefined ? undefined : parseIntegerOption(options.evaluations, '--evaluations', 1)
  const patience = options.patience === undefined ? undefined : parseIntegerOption(options.patience, '--patience', 1)
  const budgetS = options.budgetS === undefined ? undefined : parseSeconds(options.budgetS, '--budget-s')
  const baselines = parseBaselines(options.baselines)
  const seed = parseIntegerOption(options.seed, '--seed', 0)
  const start = performance.now()
  const json = options.json === true
  const bar = io.stderr.isTTY === true && !json
  let lastBeat = start
  const registries = await loadRegistries(options.plugin)
  // A --spec's settings without a flag (hardware point, format space, seqLen, batch, a GEMM list,
  // densities per tensor, Timeloop architecture files); density model ids are checked here, where
  // the registry (plug-ins included) is known, and named with the spec's line.
  const { densityModels, warnings, sparsity, located: _located, ...study } = options.study ?? {}
  for (const { id, where } of densityModels ?? []) {
    try {
      resolveDensityModel(registries.densityModels, id)
    } catch (error) {
      if (error instanceof SnipSnapError) throw new SnipSnapError('INVALID_SPEC', `${where}: ${error.message}`, { path: [], issues: error.issues, cause: error })
      throw error
    }
  }
  for (const warning of warnings ?? []) io.warn(warning)
  // The budget is shared among the layers (each search gets a fair part of what is left), which
  // cannot bound the work around the searches (format selection, baselines) on a loaded machine:
  // the deadline stops the run like Ctrl-C at the budget's end, so --budget-s always holds.
  const deadline = budgetS === undefined ? undefined : startDeadline(io, budgetS * 1000)
  const shareMs = deadline === undefined || budgetS === undefined ? undefined : Math.max(1, deadline.remainingMs() - budgetS * 1000 * SHARE_MARGIN)
  const result = await createExplorer(registries).exploreModel({
    ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
    model: options.model,
    sparsity: sparsity ?? options.sparsity.split(',').map((s) => s.trim()),
    phase: phases,
    arch: options.arch,
    ...study,
    lowering,
    objective: options.objective,
    ...(evaluations !== undefined ? { dataflowEvaluations: evaluations } : {}),
    ...(patience !== undefined ? { patience } : {}),
    ...(shareMs !== undefined ? { budgetMs: shareMs } : {}),
    baselines,
    seed,
    clock: () => performance.now(),
    signal: deadline?.signal ?? io.signal,
    onLayer: (done, total, layer) => {
      const now = performance.now()
      const line = `[${done}/${total}] ${layer.phase} ${layer.names[0] ?? ''} done in ${((now - start) / 1000).toFixed(1)} s`
      if (bar) io.stderr.write(`\r${line}   `)
      else if (!json && now - lastBeat >= 5000) {
        // Not a terminal: a heartbeat line every few seconds instead of a progress bar.
        lastBeat = now
        io.stderr.write(`${line}\n`)
      }
    },
  }).finally(() => deadline?.dispose())
  if (bar) io.stderr.write('\n')
  const elapsedS = (performance.now() - start) / 1000
  const budgetRanOut = deadline?.expired() === true && result.interrupted
  if (budgetRanOut) {
    const done = result.layers.filter((l) => l.energyPJ !== null).length
    if (done === 0) {
      throw new SnipSnapError('INVALID_SPEC', `the ${budgetS} s budget ran out before any layer was searched; give a larger --budget-s`, { path: ['--budget-s'] })
    }
    io.warn(`the ${budgetS} s budget ran out before every layer was searched (${done} of ${result.layers.length} layers have a design; the totals cover those only): give a larger --budget-s`)
  }
  if (!result.interrupted && result.layers.every((l) => l.energyPJ === null)) {
    throw new SnipSnapError('INVALID_SPEC', `no layer of ${result.model} has a valid design on ${result.arch}: ${result.layers[0]?.reason ?? 'no layers'}`, { path: ['--arch'] })
  }
  if (io.stopCause === 'interrupt' && !json) io.stderr.write('snipsnap: interrupted; printing the best found so far\n')
  const object = { ...result, elapsedS, stoppedBy: io.stopCause === 'interrupt' ? 'interrupt' : budgetRanOut ? 'budget' : null }
  // --out: the one call site of explore-out.ts (helper 13b's module).
  if (options.out !== undefined) await writeExploreOut(options.out, object)
  io.stdout.write(json ? `${JSON.stringify(object)}\n` : report(result, elapsedS, paintFor(io)))
}

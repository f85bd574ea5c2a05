// What `snipsnap formats rank|space|presets|optimize` run (declared in ../commands/formats.ts,
// imported only when one of them runs): rank compression formats for a real tensor, size the
// format space, list the presets, optimise a model's formats.
// argv → file reading → library calls → printed report; no domain logic here.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { integerProblem, SnipSnapError } from '@snipsnap/core'
import {
  countFormatSpace,
  createFormatRegistry,
  FORMAT_PRESETS,
  LLAMA2_7B_WEIGHT_SHAPES,
  presetText,
  rankFormats,
  type FormatCandidate,
  type FormatRanking,
  type FormatRankingReport,
  type FormatSpaceSize,
} from '@snipsnap/format'
import { optimizeModelFormatsAsync, type ModelFormatsResult } from '@snipsnap/explorer'
import { costModelOf, loadRegistries, type PluginCliOptions } from '../plugins'
import {
  applySparsity,
  buildWorkload,
  defineSparsityPreset,
  measuredWeightSparsity,
  pruneMagnitude,
  pruneNM,
  readTensors,
  type DenseTensor,
  type SparsityPreset,
} from '@snipsnap/workloads'
import type { CliRun } from '../run-control'

const invalid = (option: string, message: string): SnipSnapError =>
  new SnipSnapError('INVALID_SPEC', message, { path: [option] })

/** `4096x4096`, `4096×11008` or `4,4096` → [4096, 4096]. */
const parseShape = (text: string, option = '--shape'): number[] => {
  const parts = text.split(/[x×,]/i)
  return parts.map((part, i) => {
    const value = Number(part.trim())
    const problem = part.trim() === '' ? 'empty' : integerProblem(value, { min: 1 })
    if (problem !== null) {
      throw new SnipSnapError('INVALID_SPEC', `dimension "${part}" of "${text}" must be a positive integer: ${problem}`, { path: [option, i] })
    }
    return value
  })
}

const parseInteger = (text: string, option: string, min: number, max: number): number => {
  const value = text.trim() === '' ? Number.NaN : Number(text)
  const problem = integerProblem(value, { min, max })
  if (problem !== null) throw invalid(option, `expected an integer in [${min}, ${max}], got "${text}": ${problem}`)
  return value
}

/** `*` and `?` wildcards, anchored. */
const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`)

type Prune = { readonly kind: 'magnitude'; readonly sparsity: number } | { readonly kind: 'nm'; readonly n: number; readonly m: number }

const parsePrune = (text: string): Prune => {
  const magnitude = /^magnitude:(.+)$/.exec(text)
  if (magnitude !== null) {
    const sparsity = Number(magnitude[1])
    if (!(sparsity >= 0 && sparsity <= 1)) throw invalid('--prune', `sparsity must be a number in [0, 1], got "${magnitude[1]}"`)
    return { kind: 'magnitude', sparsity }
  }
  const nm = /^(\d+):(\d+)$/.exec(text)
  if (nm !== null) {
    const n = Number(nm[1])
    const m = Number(nm[2])
    if (!(m >= 1 && n <= m)) throw invalid('--prune', `N:M needs 0 ≤ N ≤ M and M ≥ 1, got "${text}"`)
    return { kind: 'nm', n, m }
  }
  throw invalid('--prune', `expected magnitude:<sparsity> (e.g. magnitude:0.5) or N:M (e.g. 2:4), got "${text}"`)
}

const loadTensors = async (file: string): Promise<DenseTensor[]> => {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(readFileSync(file))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new SnipSnapError('IO_ERROR', `cannot read ${file} (${code})`, { path: ['--tensor'], cause: error })
  }
  return readTensors(bytes, { fileName: basename(file) })
}

const selectTensors = (tensors: readonly DenseTensor[], name: string | undefined, file: string): DenseTensor[] => {
  const withData = tensors.filter((t) => t.shape.length > 0)
  if (name === undefined) {
    if (withData.length === 1) return withData
    const sample = withData.slice(0, 8).map((t) => t.name).join(', ')
    throw invalid('--name', `${file} holds ${withData.length} tensors; pick some with --name (a name or glob), e.g. ${sample}`)
  }
  const pattern = globToRegExp(name)
  const picked = withData.filter((t) => pattern.test(t.name))
  if (picked.length === 0) {
    const sample = withData.slice(0, 8).map((t) => t.name).join(', ')
    throw invalid('--name', `no tensor of ${file} matches "${name}"; names include ${sample}`)
  }
  return picked
}

/**
 * The formats to try on a tensor of `shape`: the given presets (all that apply by default) and
 * patterns. Presets are optional candidates: one that cannot hold this tensor is listed as not
 * applicable, with the reason, and the others are ranked. A pattern written by hand must fit.
 */
const candidatesFor = (
  shape: readonly number[],
  patterns: readonly string[] | undefined,
  presets: string | undefined,
): { candidates: FormatCandidate[]; inapplicable: FormatRanking[] } => {
  const candidates: FormatCandidate[] = []
  const inapplicable: FormatRanking[] = []
  const ids = presets === undefined ? [] : presets.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  for (const id of ids) {
    const preset = FORMAT_PRESETS.find((p) => p.id === id)
    if (preset !== undefined && !preset.orders.includes(shape.length)) {
      const reason = `preset ${id} applies to ${preset.orders.join('/')}-D tensors, not a ${shape.length}-D shape [${shape.join(', ')}]`
      inapplicable.push({ label: id, pattern: '—', ok: false, applicable: false, reason })
      continue
    }
    candidates.push({ label: id, pattern: presetText(id, shape), optional: true })
  }
  for (const pattern of patterns ?? []) candidates.push({ label: 'custom', pattern })
  if (ids.length === 0 && (patterns ?? []).length === 0) {
    // Neither given: every preset that applies to this tensor's order.
    for (const preset of FORMAT_PRESETS) {
      if (preset.orders.includes(shape.length)) candidates.push({ label: preset.id, pattern: preset.pattern(shape), optional: true })
    }
  }
  return { candidates, inapplicable }
}

const formatNumber = (value: number | null, digits = 2): string =>
  value === null ? '—' : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(digits)

/** Renders rows as an aligned text table (columns from `rightFrom` on right-aligned). */
const table = (header: readonly string[], rows: readonly (readonly string[])[], rightFrom = 2): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i < rightFrom ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

interface TensorReport extends FormatRankingReport {
  readonly name: string
  readonly prune: string | null
}

/** JSON rows say `"status": "ranked"` or `"status": "not applicable: <reason>"`, like the table. */
const withStatus = (report: TensorReport): TensorReport & { results: readonly (FormatRanking & { status: string })[] } => ({
  ...report,
  results: report.results.map((r) => ({ ...r, status: r.ok ? 'ranked' : `not applicable: ${r.reason}` })),
})

const renderRanking = (report: TensorReport): string => {
  const head =
    `${report.name} [${report.shape.join('×')}]: ${report.nnz.toLocaleString('en-US')} non-zeros (density ${report.density.toFixed(4)})` +
    `${report.prune === null ? '' : `, pruned ${report.prune}`}; ${report.valueBits}-bit values, dense ${report.denseBits.toLocaleString('en-US')} bits`
  const feasible = report.results.flatMap((r) => (r.ok ? [r] : []))
  const rows = feasible.map((r, i) => [
    `${i + 1}. ${r.label}`,
    r.pattern,
    formatNumber(r.metadataBits),
    formatNumber(r.payloadBits),
    formatNumber(r.dataBits),
    formatNumber(r.totalBits),
    r.bitsPerNonzero === null ? '—' : r.bitsPerNonzero.toFixed(2),
    r.compressionRatio === null ? '—' : `${r.compressionRatio.toFixed(3)}×`,
  ])
  const notes = report.results.flatMap((r) => (r.ok ? [] : [`not applicable: ${r.label} ${r.pattern}: ${r.reason}\n`]))
  return (
    `${head}\n${table(['format', 'pattern', 'metadata bits', 'payload bits', 'data bits', 'total bits', 'bits/nnz', 'vs dense'], rows)}\n` +
    notes.join('')
  )
}

const renderSpace = (sizes: readonly FormatSpaceSize[]): string =>
  sizes
    .map((size) => {
      const rows = size.byRanks.map((r) => [String(r.ranks), '', formatNumber(r.allocations), formatNumber(r.patterns), formatNumber(r.formats)])
      return (
        `format space of [${size.shape.join('×')}] up to ${size.depth} rank${size.depth === 1 ? '' : 's'}: ${size.total.toLocaleString('en-US')} formats\n` +
        `${table(['ranks', '', 'allocations', 'patterns', 'formats'], rows)}\n`
      )
    })
    .join('\n')

/** Options of `snipsnap formats rank`. */
export interface RankOptions {
  readonly tensor: string
  readonly name?: string
  readonly pattern?: string[]
  readonly preset?: string
  readonly prune?: string
  readonly valueBits: string
  readonly json?: boolean
}

/**
 * `--sparsity` items: preset ids, or `weights=<density>` / `activations=<density>` for a custom
 * hypergeometric preset (density checked here, at the edge).
 */
const parseSparsity = (text: string): (string | SparsityPreset)[] => {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  if (items.length === 0) throw invalid('--sparsity', 'expected a preset id such as unstructured-50, or weights=<density>')
  return items.map((item) => {
    const custom = /^(weights|activations)=(.*)$/.exec(item)
    if (custom === null) return item
    const density = Number(custom[2])
    if (custom[2]?.trim() === '' || !Number.isFinite(density) || density < 0 || density > 1) {
      throw invalid('--sparsity', `density of ${custom[1]} must be a number in [0, 1], got "${custom[2]}"`)
    }
    return defineSparsityPreset({
      id: `${custom[1]}-density-${density}`,
      description: `custom: every ${custom[1] === 'weights' ? 'linear weight' : 'block-linear input'} at density ${density}`,
      source: 'command line',
      rules: [
        custom[1] === 'weights'
          ? { roles: ['weight'], phases: ['prefill', 'decode'], distribution: 'hypergeometric', density }
          : { roles: ['activation', 'ffn-activation', 'feature-map'], phases: ['prefill', 'decode'], ops: ['linear', 'conv', 'fc'], distribution: 'hypergeometric', density },
      ],
    })
  })
}

const parseLowering = (text: string): 'native' | 'im2col' => {
  if (text !== 'native' && text !== 'im2col') throw invalid('--lowering', `expected native or im2col, got "${text}"`)
  return text
}

const pctText = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined ? '—' : `${value.toFixed(digits)}%`)
const pj = (value: number | null | undefined): string => (value === null || value === undefined ? 'infeasible' : value.toExponential(4))

const renderOptimize = (r: ModelFormatsResult): string => {
  const names = ['uncompressed', 'bitmap', 'csr', 'coo', 'rle'] as const
  const rows = r.layers.map((l) => [
    l.name,
    l.shape,
    String(l.count),
    Object.entries(l.densities).filter(([, d]) => d < 1).map(([t, d]) => `${t} ${Number(d.toFixed(4))}`).join(', ') || 'dense',
    ...names.map((n) => pj(l.baselines[n])),
    pj(l.memoryEnergyPJ),
    l.bestFixedFormat ?? '—',
    pctText(l.savingVsBestFixedPct, 3),
    ...(l.exhaustiveOptimumPJ === undefined ? [] : [pj(l.exhaustiveOptimumPJ)]),
  ])
  const formats = r.layers
    .filter((l) => !l.reused)
    .map((l) => `  ${l.name}: ${l.choices.map((c) => `${c.tensor}@${c.level} ${c.format}`).join('; ') || 'uncompressed (no sparse tensor)'}`)
  const exhaustive = r.summary.exhaustiveOptimumPJ !== undefined
  const header = ['layer', r.layers.some((l) => l.conv !== null) ? 'shape' : 'M×K×N', 'count', 'sparse', ...names.map((n) => `${n} pJ`), 'engine pJ', 'best fixed', 'saving', ...(exhaustive ? ['exhaustive pJ'] : [])]
  const s = r.summary
  const lines = [
    ...(r.interrupted === undefined ? [] : [`INTERRUPTED after ${r.interrupted.layersDone} of ${r.interrupted.layersTotal} GEMMs: the table and the totals cover those only`]),
    `${r.model} ${r.phase} (${r.seqLen === null ? '' : `seqLen ${r.seqLen}, `}batch ${r.batch}${r.kvLen === null ? '' : `, kvLen ${r.kvLen}`}${r.layers.some((l) => l.conv !== null) || r.lowering === 'im2col' ? `, ${r.lowering} convolutions` : ''}), sparsity ${r.sparsity.join(' + ')}, arch ${r.arch}, cost model ${r.costModel}`,
    `mapping: ${r.mappingPolicy}`,
    `format space: per-rank primitives ${r.formatSpace.primitives.join(', ')} from the format registry${r.formatSpace.notes.length === 0 ? '' : ` (${r.formatSpace.notes.join('; ')})`}`,
    'memory energy per single run of each layer (a GEMM or a convolution; storage levels, data + metadata):',
    table(header, rows, 2),
    'engine formats (identical layers share them; levels not listed keep the tensor uncompressed):',
    ...formats,
    '',
    `summary (Σ energy × count, pJ per forward pass): engine ${pj(s.memoryEnergyPJ)}`,
    ...names.map((n) => `  ${n.padEnd(12)} ${pj(s.baselines[n]).padStart(12)}   engine saves ${pctText(s.savingVsBaselinesPct[n])}`),
    `  best fixed format: ${s.bestFixedFormat ?? '—'}; saving vs best fixed ${pctText(s.savingVsBestFixedPct, 3)}`,
    `  candidates costed: ${s.candidatesCosted} over ${s.distinctLayers} distinct layers (of ${s.layers})`,
  ]
  if (exhaustive) {
    lines.push(
      `  exhaustive (${s.exhaustiveMode}): optimum ${pj(s.exhaustiveOptimumPJ)}, ${s.exhaustiveCandidates} candidates; engine gap ${pctText(s.gapToExhaustivePct, 4)}, ` +
        `costed ${pctText(s.costedShareOfExhaustivePct)} of them (${s.candidatesSkipped} skipped)`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** Options of `snipsnap formats optimize`. */
export interface OptimizeOptions extends PluginCliOptions {
  readonly model: string
  readonly sparsity?: string
  readonly phase: string
  readonly arch: string
  readonly seqLen?: string
  readonly batch?: string
  readonly kvLen?: string
  readonly lowering?: string
  readonly tensor?: string
  readonly prune?: string
  readonly exhaustive?: boolean
  readonly json?: boolean
}

/** Options of `snipsnap formats space`. */
export interface SpaceOptions {
  readonly shape?: string
  readonly depth: string
  readonly orderRule: string
  readonly json?: boolean
}

/** Options of `snipsnap formats presets`. */
export interface PresetsOptions {
  readonly shape: string
  readonly json?: boolean
}

/** Runs `snipsnap formats rank`; Ctrl-C between tensors prints those ranked so far. */
export const runFormatsRank = async (options: RankOptions, io: CliRun): Promise<void> => {
  const valueBits = parseInteger(options.valueBits, '--value-bits', 1, 64)
  const prune = options.prune === undefined ? undefined : parsePrune(options.prune)
  const tensors = selectTensors(await loadTensors(options.tensor), options.name, options.tensor)
  const registry = createFormatRegistry()
  // Ctrl-C between tensors: the tensors ranked so far are printed, exit 130.
  const reports: TensorReport[] = []
  for (const loaded of tensors) {
    await io.yieldIfDue()
    if (io.signal.aborted) {
      if (io.stopCause === 'interrupt') io.stderr.write(`snipsnap: interrupted after ${reports.length} of ${tensors.length} tensors\n`)
      break
    }
    let tensor = loaded
    if (prune?.kind === 'magnitude') tensor = pruneMagnitude(loaded, { sparsity: prune.sparsity })
    else if (prune?.kind === 'nm') tensor = pruneNM(loaded, { n: prune.n, m: prune.m })
    const { candidates, inapplicable } = candidatesFor(tensor.shape, options.pattern, options.preset)
    const report = rankFormats({ tensor, formats: candidates, registry, valueBits })
    reports.push({ name: tensor.name, prune: options.prune ?? null, ...report, results: [...report.results, ...inapplicable] })
  }
  if (options.json === true) io.stdout.write(`${JSON.stringify({ file: options.tensor, tensors: reports.map(withStatus) }, null, 2)}\n`)
  else io.stdout.write(reports.map(renderRanking).join('\n'))
}

/** Runs `snipsnap formats space`. */
export const runFormatsSpace = (options: SpaceOptions, io: CliRun): void => {
  const depth = parseInteger(options.depth, '--depth', 1, 8)
  if (options.orderRule !== 'compressed-inner' && options.orderRule !== 'any') {
    throw invalid('--order-rule', `expected compressed-inner or any, got "${options.orderRule}"`)
  }
  const orderRule = options.orderRule
  const shapes = options.shape === undefined ? LLAMA2_7B_WEIGHT_SHAPES : [parseShape(options.shape)]
  const sizes = shapes.map((shape) => countFormatSpace({ shape, depth, orderRule }))
  if (options.json === true) io.stdout.write(`${JSON.stringify({ spaces: sizes }, null, 2)}\n`)
  else io.stdout.write(renderSpace(sizes))
}

/** Runs `snipsnap formats presets`. */
export const runFormatsPresets = (options: PresetsOptions, io: CliRun): void => {
  const shape = parseShape(options.shape)
  const rows = FORMAT_PRESETS.map((preset) => ({
    id: preset.id,
    description: preset.description,
    orders: preset.orders,
    pattern: preset.orders.includes(shape.length) ? presetText(preset.id, shape) : null,
  }))
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ shape, presets: rows }, null, 2)}\n`)
    return
  }
  io.stdout.write(
    `presets for [${shape.join('×')}]\n` +
      `${table(
        ['id', 'pattern', 'description'],
        rows.map((r) => [r.id, r.pattern ?? `(${r.orders.join('/')}-D only)`, r.description]),
        3,
      )}\n`,
  )
}

/** Runs `snipsnap formats optimize`; Ctrl-C between GEMMs prints those done, marked interrupted. */
export const runFormatsOptimize = async (options: OptimizeOptions, io: CliRun): Promise<void> => {
  if (options.phase !== 'prefill' && options.phase !== 'decode') {
    throw invalid('--phase', `expected prefill or decode, got "${options.phase}"`)
  }
  const phase = options.phase
  const lengths = {
    ...(options.seqLen === undefined ? {} : { seqLen: parseInteger(options.seqLen, '--seq-len', 1, 1 << 20) }),
    ...(options.batch === undefined ? {} : { batch: parseInteger(options.batch, '--batch', 1, 1 << 20) }),
    ...(options.kvLen === undefined ? {} : { kvLen: parseInteger(options.kvLen, '--kv-len', 1, 1 << 20) }),
    ...(options.lowering === undefined ? {} : { lowering: parseLowering(options.lowering) }),
  }
  if (options.prune !== undefined && options.tensor === undefined) throw invalid('--prune', '--prune needs --tensor')
  let layerSparsity
  if (options.tensor !== undefined) {
    const prune = options.prune === undefined ? undefined : parsePrune(options.prune)
    const tensors = (await loadTensors(options.tensor)).map((t) =>
      prune === undefined || t.shape.length !== 2
        ? t
        : prune.kind === 'magnitude'
          ? pruneMagnitude(t, { sparsity: prune.sparsity })
          : pruneNM(t, { n: prune.n, m: prune.m }),
    )
    const workload = buildWorkload({ model: options.model, phase, ...lengths })
    // --sparsity still gives every operand the tensors do not measure (activations).
    const base = options.sparsity === undefined ? undefined : applySparsity(workload, parseSparsity(options.sparsity))
    layerSparsity = measuredWeightSparsity(workload, { tensors, ...(base === undefined ? {} : { base }) })
  } else if (options.sparsity === undefined) {
    throw invalid('--sparsity', 'give --sparsity <preset> (e.g. unstructured-50) or --tensor <file>')
  }
  const registries = await loadRegistries(options.plugin)
  const cost = costModelOf(registries, options.costModel)
  const result = await optimizeModelFormatsAsync({
    costModel: cost.model,
    costModelOptions: cost.context,
    densityModels: registries.densityModels,
    formats: registries.formats,
    signal: io.signal,
    model: options.model,
    phase,
    arch: options.arch,
    ...lengths,
    ...(layerSparsity === undefined ? { sparsity: parseSparsity(options.sparsity ?? '') } : { layerSparsity }),
    exhaustive: options.exhaustive === true,
  })
  if (result.interrupted !== undefined && io.stopCause === 'interrupt') {
    io.stderr.write(`snipsnap: interrupted after ${result.interrupted.layersDone} of ${result.interrupted.layersTotal} GEMMs: the table and the totals cover those only\n`)
  }
  if (io.signal.aborted && io.stopCause !== 'interrupt') return
  if (options.json === true) io.stdout.write(`${JSON.stringify(result)}\n`)
  else io.stdout.write(renderOptimize(result))
}

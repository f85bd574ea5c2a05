// Whole-model format optimisation (`snipsnap formats optimize`): for every distinct GEMM (or CNN
// layer's native convolution) of a zoo workload under a sparsity preset, find one default mapping (a quick seeded dataflow search for the
// *uncompressed* design), then cost the five fixed baselines and the compression engine's choice on
// that same mapping with the same cost model, and weight the per-layer memory energies by how often
// each GEMM runs. This is the composition of workloads → arch → mapspace → compress → cost, so it
// lives in the composition root.
import { createRng, SnipSnapError } from '@snipsnap/core'
import type {
  ArchSpec,
  CostModel,
  CostReportValid,
  DensityModel,
  EnergyTableSpec,
  FormatPrimitive,
  MappingSpec,
  ProblemSpec,
  Registry,
} from '@snipsnap/core'
import { getArchPreset } from '@snipsnap/arch'
import {
  BASELINES,
  createSelectionCache,
  optimizeFormats,
  resolveEnginePrimitives,
  type BaselineName,
  type FormatSelectionValid,
  type SelectFormatsOptions,
} from '@snipsnap/compress'
import { createDensityRegistry, sparseloopCostModel, type EvaluateSparseloopOptions } from '@snipsnap/cost'
import { createFormatRegistry } from '@snipsnap/format'
import { createMapspace } from '@snipsnap/mapspace'
import { type AbortSignalLike, yieldToEventLoop } from '@snipsnap/search'
import {
  applySparsity,
  buildWorkload,
  layerShapeText,
  layerToProblem,
  type ConvLowering,
  type ConvShape,
  type GemmLayer,
  type LayerSparsity,
  type SparsityPreset,
} from '@snipsnap/workloads'

/** How the per-layer default mapping is searched (seeded, deterministic). */
export interface MappingSearchOptions {
  /** Random valid mappings drawn from the mapspace (default 48). */
  readonly samples?: number
  /** Single-move mutations of the best mapping tried afterwards, accepted when cheaper (default 96). */
  readonly mutations?: number
  /** Seed of the search's random stream (default 1). */
  readonly seed?: number
}

/** Inputs of {@link optimizeModelFormats}. */
export interface OptimizeModelFormatsInput<TOptions = EvaluateSparseloopOptions | undefined> {
  /** Zoo model id, e.g. `llama-2-7b`, `opt-6.7b`, `stories-260k`. */
  readonly model: string
  /**
   * Sparsity preset id(s) or custom presets (later ones override earlier ones on the same operand),
   * e.g. `'unstructured-50'` or `['nm-2-4', 'activation-50']`. Ignored when `layerSparsity` is given.
   */
  readonly sparsity?: string | SparsityPreset | readonly (string | SparsityPreset)[]
  /** Per-GEMM densities (e.g. `measuredWeightSparsity` of real pruned tensors), same order as the workload's layers. */
  readonly layerSparsity?: readonly LayerSparsity[]
  /** Default `prefill`. */
  readonly phase?: 'prefill' | 'decode'
  /** Prefill sequence length, decode batch and KV length (workload defaults otherwise). */
  readonly seqLen?: number
  readonly batch?: number
  readonly kvLen?: number
  /** CNN convolutions as native convolutions (default) or im2col GEMMs (for comparison). */
  readonly lowering?: ConvLowering
  /** Architecture preset id (default `llm-default`) or an explicit arch with its energy table. */
  readonly arch?: string | { readonly arch: ArchSpec; readonly energyTable: EnergyTableSpec }
  /** Also cost every candidate of the engine's format space (per tensor, see `exhaustiveMode`). */
  readonly exhaustive?: boolean
  /** Largest per-tensor exhaustive space accepted (default 300 000 options). */
  readonly exhaustiveCap?: number
  /** Cost model for every compared option (default `@snipsnap/cost`'s Sparseloop-accurate model). */
  readonly costModel?: CostModel<TOptions>
  readonly costModelOptions?: TOptions
  /** Density models used for the engine's ranking (default `@snipsnap/cost`'s built-in registry). */
  readonly densityModels?: Registry<DensityModel>
  /**
   * Format primitives the engine's candidates are built from and the cost model prices (default
   * `@snipsnap/format`'s registry; plug-in primitives such as `NMX` join the space through it).
   */
  readonly formats?: Registry<FormatPrimitive>
  readonly mappingSearch?: MappingSearchOptions
  /** Extra engine options (objective stays memory energy unless overridden). */
  readonly selectOptions?: SelectFormatsOptions
  /**
   * Clock in ms from any origin (e.g. `() => performance.now()`); when given, the result carries
   * `timing` (the library never reads the time itself).
   */
  readonly clock?: () => number
  /** Called after each distinct layer is done (for progress bars); `done` counts distinct layers. */
  readonly onLayer?: (progress: { readonly done: number; readonly total: number; readonly layer: string }) => void
  /**
   * {@link optimizeModelFormatsAsync} only: stops between two GEMMs once aborted; the result then
   * holds the GEMMs done so far and says so in `interrupted`.
   */
  readonly signal?: AbortSignalLike
}

/** One GEMM of the model with its comparison. Energies are per single execution of the GEMM. */
export interface LayerFormatsResult {
  readonly name: string
  readonly op: GemmLayer['op']
  readonly M: number
  readonly K: number
  readonly N: number
  /** The shape as text: `M×K×N`, or a native convolution's `N… C… M… R… S… P… Q… s…`. */
  readonly shape: string
  /** The native convolution (its tensors Inputs/Weights/Outputs), or null for a GEMM. */
  readonly conv: ConvShape | null
  /** How many times the GEMM runs per forward pass (the weight of its energies in the summary). */
  readonly count: number
  /** Density per operand (1 = dense). */
  readonly densities: Readonly<Record<string, number>>
  /** The default mapping used for every compared option (Timeloop-like one-line summary). */
  readonly mapping: string
  /** Engine's memory energy (storage levels: data + metadata), pJ. */
  readonly memoryEnergyPJ: number
  /** Memory energy of each fixed baseline, null when infeasible on this layer. */
  readonly baselines: Readonly<Record<BaselineName, number | null>>
  /** Why a fixed baseline is infeasible on this layer (only the infeasible ones). */
  readonly infeasibleBaselines: Readonly<Partial<Record<BaselineName, string>>>
  readonly bestFixedFormat: BaselineName | null
  readonly savingVsBestFixedPct: number | null
  /** Distinct cost-model evaluations of the engine (baselines included), 0 when reused from an identical layer. */
  readonly candidatesCosted: number
  /** True when an identical GEMM earlier in the model was selected already (nothing costed again). */
  readonly reused: boolean
  readonly choices: readonly { readonly tensor: string; readonly level: string; readonly format: string; readonly reason: string }[]
  readonly exhaustiveOptimumPJ?: number | null
  readonly exhaustiveCandidates?: number
}

/** Model-level totals: every energy is Σ over GEMMs of (energy × count), pJ per forward pass. */
export interface ModelFormatsSummary {
  readonly memoryEnergyPJ: number
  /** Per fixed baseline; null when it is infeasible on some layer. */
  readonly baselines: Readonly<Record<BaselineName, number | null>>
  readonly bestFixedFormat: BaselineName | null
  readonly savingVsBestFixedPct: number | null
  /** Saving of the engine against each feasible baseline, percent. */
  readonly savingVsBaselinesPct: Readonly<Record<BaselineName, number | null>>
  /** Distinct cost-model evaluations over the distinct layers (identical layers are selected once). */
  readonly candidatesCosted: number
  readonly layers: number
  readonly distinctLayers: number
  readonly exhaustiveOptimumPJ?: number | null
  /** Σ over distinct layers of the exhaustive search's costed candidates. */
  readonly exhaustiveCandidates?: number
  /** Exhaustive candidates the engine did not cost (exhaustiveCandidates − candidatesCosted). */
  readonly candidatesSkipped?: number
  /** (engine − exhaustive optimum) / exhaustive optimum, percent. */
  readonly gapToExhaustivePct?: number | null
  /** candidatesCosted / exhaustiveCandidates, percent. */
  readonly costedShareOfExhaustivePct?: number | null
  readonly exhaustiveMode?: 'per-tensor'
}

/** Result of {@link optimizeModelFormats}: plain JSON. */
export interface ModelFormatsResult {
  readonly model: string
  readonly phase: 'prefill' | 'decode'
  readonly sparsity: readonly string[]
  readonly arch: string
  readonly costModel: string
  readonly seqLen: number | null
  readonly batch: number
  readonly kvLen: number | null
  /** How CNN convolutions were lowered (`native` for Transformers). */
  readonly lowering: ConvLowering
  /** How the default mapping was chosen (same mapping for every compared option). */
  readonly mappingPolicy: string
  /**
   * The engine's candidate space: the primitives it places on ranks (taken from the format
   * registry, with their word widths) and why any registry primitive is left out.
   */
  readonly formatSpace: { readonly primitives: readonly string[]; readonly notes: readonly string[] }
  readonly layers: readonly LayerFormatsResult[]
  readonly summary: ModelFormatsSummary
  /** With `clock`: time spent searching default mappings and selecting formats (exhaustive included), ms. */
  readonly timing?: { readonly mappingSearchMs: number; readonly selectionMs: number }
  /**
   * Present when {@link optimizeModelFormatsAsync} was stopped by its signal: `layers` and the
   * summary cover only the first `layersDone` of `layersTotal` GEMMs.
   */
  readonly interrupted?: { readonly layersDone: number; readonly layersTotal: number }
}

const memoryEnergy = (report: CostReportValid): number =>
  Object.values(report.levels).reduce((sum, level) => sum + (level.kind === 'storage' ? level.energyPJ : 0), 0)

const mappingText = (mapping: MappingSpec): string =>
  mapping.levels
    .map((level) => {
      const loops = Object.entries(level.temporalFactors).filter(([, f]) => f > 1)
      const spatial = Object.entries(level.spatialFactors).filter(([, f]) => f > 1)
      const t = level.temporalPermutation
        .filter((d) => (level.temporalFactors[d] ?? 1) > 1)
        .reverse()
        .map((d) => `${d}${level.temporalFactors[d]}`)
        .join(' ')
      const s = spatial.map(([d, f]) => `${d}${f}`).join(' ')
      const bypass = level.bypass.length > 0 ? ` bypass ${level.bypass.join(',')}` : ''
      return `${level.target}[${loops.length === 0 ? '-' : t}${s === '' ? '' : ` | spatial ${s}`}${bypass}]`
    })
    .join(' ')

const positiveInt = (value: number | undefined, fallback: number, path: string, min = 0): number => {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < min) {
    throw new SnipSnapError('INVALID_SPEC', `${path} must be an integer ≥ ${min} (got ${value})`, { path: [path] })
  }
  return value
}

/**
 * The default mapping of one GEMM: a seeded search (random valid samples, then single-move
 * mutations of the best) minimising the memory energy of the *uncompressed* design. It depends
 * only on the shape, the arch and the cost model, never on densities or formats, so every
 * compared format option — and every sparsity preset — sees the same dataflow.
 */
const searchDefaultMapping = <TOptions>(input: {
  readonly arch: ArchSpec
  readonly energyTable: EnergyTableSpec
  readonly problem: ProblemSpec
  readonly costModel: CostModel<TOptions>
  readonly costModelOptions: TOptions
  readonly samples: number
  readonly mutations: number
  readonly seed: number
}): MappingSpec => {
  const dense: ProblemSpec = { ...input.problem, densities: {} }
  const space = createMapspace({ arch: input.arch, problem: dense, constraints: [] })
  const rng = createRng(input.seed)
  const cost = (mapping: MappingSpec): number => {
    const report = input.costModel.evaluate(
      { arch: input.arch, problem: dense, mapping, sparseOptimizations: { targets: [] }, energyTable: input.energyTable },
      input.costModelOptions,
    )
    return report.valid ? memoryEnergy(report) : Infinity
  }
  let best: MappingSpec | null = null
  let bestPJ = Infinity
  let lastReason = 'no sample drawn'
  for (let i = 0; i < Math.max(1, input.samples); i++) {
    const drawn = space.sampleValid(rng, 64)
    if (!drawn.ok) {
      lastReason = drawn.reason
      continue
    }
    const pj = cost(drawn.mapping)
    if (pj < bestPJ) {
      best = drawn.mapping
      bestPJ = pj
    }
  }
  if (best === null || !Number.isFinite(bestPJ)) {
    throw new SnipSnapError('UNSUPPORTED_QUERY', `no valid mapping of ${input.problem.name} found on ${input.arch.name} (${lastReason})`, {
      path: ['layers', input.problem.name],
    })
  }
  for (let i = 0; i < input.mutations; i++) {
    const next = space.mutate(best, rng)
    if (!space.check(next).ok) continue
    const pj = cost(next)
    if (pj < bestPJ) {
      best = next
      bestPJ = pj
    }
  }
  return best
}

const pctSaving = (engine: number, reference: number | null): number | null =>
  reference === null || reference <= 0 ? null : (100 * (reference - engine)) / reference

/**
 * Compares format choices over a whole model: per distinct GEMM, the memory energy (all storage
 * levels' data and metadata accesses) of each fixed baseline (`uncompressed`, `bitmap`, `csr`,
 * `coo`, `rle`, each applied to every sparse tensor at every level) and of the compression engine's
 * choice, all under one default mapping per GEMM and one cost model; then weighted by each GEMM's
 * count. With `exhaustive`, every candidate of the engine's format space is costed too (per tensor,
 * the others fixed, until nothing changes: exact when memory energy is separable across tensors,
 * which it is without SAFs and capacity coupling).
 *
 * The mapping policy: one default mapping per GEMM shape, found once by a seeded search for the
 * uncompressed design (see README), so the comparison isolates the format choice.
 *
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unknown model, sparsity or arch preset;
 *   INVALID_SPEC naming the field for a bad phase, length, density (outside [0, 1]) or option;
 *   UNSUPPORTED_QUERY when a layer has no valid mapping or the exhaustive space is above the cap.
 * @example
 * const r = optimizeModelFormats({ model: 'opt-125m', sparsity: 'unstructured-50', phase: 'decode' })
 * console.log(r.summary.bestFixedFormat, r.summary.savingVsBestFixedPct)
 * @see paper.md §4, §10.11 (fixed-format baseline)
 */
export const optimizeModelFormats = <TOptions = EvaluateSparseloopOptions | undefined>(
  input: OptimizeModelFormatsInput<TOptions>,
): ModelFormatsResult => {
  const plan = planModelFormats(input)
  return plan.finish(plan.layers.map((_, i) => plan.runLayer(i)), false)
}

/**
 * {@link optimizeModelFormats} that hands control back between GEMMs, so `signal` (Ctrl-C, a
 * deadline) can stop it: the result then holds the GEMMs done so far, marked `interrupted`.
 * @example const result = await optimizeModelFormatsAsync({ model: 'llama-2-7b', sparsity: 'unstructured-50', signal })
 */
export const optimizeModelFormatsAsync = async <TOptions = EvaluateSparseloopOptions | undefined>(
  input: OptimizeModelFormatsInput<TOptions>,
): Promise<ModelFormatsResult> => {
  const plan = planModelFormats(input)
  const layers: LayerFormatsResult[] = []
  for (let i = 0; i < plan.layers.length; i++) {
    await yieldToEventLoop()
    if (input.signal?.aborted === true) return plan.finish(layers, true)
    layers.push(plan.runLayer(i))
  }
  return plan.finish(layers, false)
}

/** The shared preparation of both drivers: validated inputs, then one step per GEMM and the assembly. */
const planModelFormats = <TOptions>(input: OptimizeModelFormatsInput<TOptions>) => {
  const phase = input.phase ?? 'prefill'
  if (phase !== 'prefill' && phase !== 'decode') {
    throw new SnipSnapError('INVALID_SPEC', `phase must be 'prefill' or 'decode' (got ${JSON.stringify(phase)})`, { path: ['phase'] })
  }
  const archInput = input.arch ?? 'llm-default'
  const preset = typeof archInput === 'string' ? getArchPreset(archInput) : null
  const arch = preset?.arch ?? (archInput as { arch: ArchSpec }).arch
  const energyTable = preset?.energyTable ?? (archInput as { energyTable: EnergyTableSpec }).energyTable
  const archName = preset?.id ?? arch.name
  const workload = buildWorkload({
    model: input.model,
    phase,
    ...(input.seqLen === undefined ? {} : { seqLen: input.seqLen }),
    ...(input.batch === undefined ? {} : { batch: input.batch }),
    ...(input.kvLen === undefined ? {} : { kvLen: input.kvLen }),
    ...(input.lowering === undefined ? {} : { lowering: input.lowering }),
  })
  let sparsityIds: string[]
  let layerSparsity: readonly LayerSparsity[]
  if (input.layerSparsity !== undefined) {
    if (input.layerSparsity.length !== workload.layers.length) {
      throw new SnipSnapError(
        'INVALID_SPEC',
        `layerSparsity has ${input.layerSparsity.length} entries but ${workload.model} ${phase} has ${workload.layers.length} GEMMs`,
        { path: ['layerSparsity'] },
      )
    }
    layerSparsity = input.layerSparsity
    sparsityIds = ['measured']
  } else {
    if (input.sparsity === undefined) {
      throw new SnipSnapError('INVALID_SPEC', 'give a sparsity preset (e.g. unstructured-50) or layerSparsity', { path: ['sparsity'] })
    }
    const list = (Array.isArray(input.sparsity) ? input.sparsity : [input.sparsity]) as readonly (string | SparsityPreset)[]
    layerSparsity = applySparsity(workload, list)
    sparsityIds = list.map((p) => (typeof p === 'string' ? p : p.id))
  }
  const costModel = (input.costModel ?? sparseloopCostModel) as CostModel<TOptions>
  const densityModels = input.densityModels ?? createDensityRegistry()
  // One registry for the engine's candidates and the cost model that prices them.
  const formats = input.formats ?? createFormatRegistry()
  const formatPrimitives = formats.list()
  const costModelOptions = (
    input.costModelOptions ?? (input.costModel === undefined ? ({ densityModels, formats } as EvaluateSparseloopOptions) : undefined)
  ) as TOptions
  const search = input.mappingSearch ?? {}
  const samples = positiveInt(search.samples, 48, 'mappingSearch.samples', 1)
  const mutations = positiveInt(search.mutations, 96, 'mappingSearch.mutations')
  const seed = positiveInt(search.seed, 1, 'mappingSearch.seed')
  const exhaustive = input.exhaustive === true
  const options: SelectFormatsOptions = {
    ...(input.selectOptions ?? {}),
    ...(exhaustive ? { exhaustive: true, exhaustiveMode: 'per-tensor' as const, exhaustiveCap: input.exhaustiveCap ?? 300_000 } : {}),
  }
  // Resolved once up front: a primitive set the engine cannot use fails before any mapping search.
  const formatSpace = resolveEnginePrimitives(options.primitives, options.baselines ?? BASELINES, formatPrimitives)

  const problems = workload.layers.map((layer, i) => layerToProblem(layer, layerSparsity[i]?.densities ?? {}))
  const mappings = new Map<string, MappingSpec>()
  const cache = createSelectionCache()
  const seen = new Set<object>()
  const distinctKeys = new Set<string>()
  workload.layers.forEach((layer, i) => {
    distinctKeys.add(JSON.stringify([layer.M, layer.K, layer.N, layer.conv ?? null, (problems[i] as ProblemSpec).densities]))
  })
  const total = distinctKeys.size
  let done = 0
  const doneKeys = new Set<string>()
  const clock = input.clock
  let mappingSearchMs = 0
  let selectionMs = 0

  const runLayer = (i: number): LayerFormatsResult => {
    const layer = workload.layers[i] as GemmLayer
    const problem = problems[i] as ProblemSpec
    const shapeKey = JSON.stringify([layer.M, layer.K, layer.N, layer.conv ?? null])
    let mapping = mappings.get(shapeKey)
    if (mapping === undefined) {
      const t0 = clock?.() ?? 0
      mapping = searchDefaultMapping({ arch, energyTable, problem, costModel, costModelOptions, samples, mutations, seed })
      mappingSearchMs += (clock?.() ?? 0) - t0
      mappings.set(shapeKey, mapping)
    }
    const t1 = clock?.() ?? 0
    const selection = optimizeFormats({
      design: { arch, problem, mapping, sparseOptimizations: { targets: [] }, energyTable },
      costModel,
      costModelOptions,
      densityModels,
      formatPrimitives,
      options,
      cache,
    })
    selectionMs += (clock?.() ?? 0) - t1
    if (!selection.valid) {
      throw new SnipSnapError('UNSUPPORTED_QUERY', `${layer.name}: ${selection.reason}`, { path: ['layers', layer.name] })
    }
    const reused = seen.has(selection)
    seen.add(selection)
    const key = JSON.stringify([layer.M, layer.K, layer.N, layer.conv ?? null, problem.densities])
    if (!doneKeys.has(key)) {
      doneKeys.add(key)
      done++
      input.onLayer?.({ done, total, layer: layer.name })
    }
    return layerResult(layer, problem, mapping, selection, reused, exhaustive)
  }
  const finish = (layers: readonly LayerFormatsResult[], interrupted: boolean): ModelFormatsResult => ({
    model: workload.model,
    phase,
    sparsity: sparsityIds,
    arch: archName,
    costModel: costModel.id,
    seqLen: workload.seqLen,
    batch: workload.batch,
    kvLen: workload.kvLen,
    lowering: workload.lowering,
    mappingPolicy:
      `one default mapping per GEMM shape: best of ${samples} seeded random valid mappings + ${mutations} mutations (seed ${seed}) ` +
      `by the uncompressed design's memory energy under ${costModel.id}; shared by every baseline and the engine`,
    formatSpace: { primitives: formatSpace.alphabet, notes: formatSpace.notes },
    layers,
    summary: summarize(layers, exhaustive),
    ...(clock === undefined ? {} : { timing: { mappingSearchMs, selectionMs } }),
    ...(interrupted ? { interrupted: { layersDone: layers.length, layersTotal: workload.layers.length } } : {}),
  })
  return { layers: workload.layers, runLayer, finish }
}

const layerResult = (
  layer: GemmLayer,
  problem: ProblemSpec,
  mapping: MappingSpec,
  selection: FormatSelectionValid,
  reused: boolean,
  exhaustive: boolean,
): LayerFormatsResult => {
  const baselines = Object.fromEntries(
    BASELINES.map((name) => [name, selection.baselines.find((b) => b.name === name)?.memoryEnergyPJ ?? null]),
  ) as Record<BaselineName, number | null>
  const densities = Object.fromEntries(problem.dataSpaces.map((s) => [s.name, problem.densities[s.name]?.density ?? 1]))
  return {
    name: layer.name,
    op: layer.op,
    M: layer.M,
    K: layer.K,
    N: layer.N,
    shape: layerShapeText(layer),
    conv: layer.conv ?? null,
    count: layer.count,
    densities,
    mapping: mappingText(mapping),
    memoryEnergyPJ: selection.memoryEnergyPJ,
    baselines,
    infeasibleBaselines: Object.fromEntries(
      selection.baselines.flatMap((b) => (b.feasible || b.name === 'given' ? [] : [[b.name, b.reason ?? 'infeasible']])),
    ),
    bestFixedFormat: selection.bestFixedFormat,
    savingVsBestFixedPct: selection.savingVsBestFixedPct,
    candidatesCosted: reused ? 0 : selection.candidatesCosted,
    reused,
    choices: selection.choices
      .filter((c) => c.format !== null)
      .map((c) => ({ tensor: c.tensor, level: c.level, format: c.text, reason: c.reason })),
    ...(exhaustive
      ? { exhaustiveOptimumPJ: selection.exhaustiveOptimumPJ ?? null, exhaustiveCandidates: reused ? 0 : (selection.exhaustiveCandidates ?? 0) }
      : {}),
  }
}

const summarize = (layers: readonly LayerFormatsResult[], exhaustive: boolean): ModelFormatsSummary => {
  const memoryEnergyPJ = layers.reduce((sum, l) => sum + l.memoryEnergyPJ * l.count, 0)
  const baselines = Object.fromEntries(
    BASELINES.map((name) => {
      let sum = 0
      for (const l of layers) {
        const e = l.baselines[name]
        if (e === null) return [name, null]
        sum += e * l.count
      }
      return [name, sum]
    }),
  ) as Record<BaselineName, number | null>
  let bestFixedFormat: BaselineName | null = null
  for (const name of BASELINES) {
    const e = baselines[name]
    if (e !== null && (bestFixedFormat === null || e < (baselines[bestFixedFormat] ?? Infinity))) bestFixedFormat = name
  }
  const savingVsBaselinesPct = Object.fromEntries(BASELINES.map((name) => [name, pctSaving(memoryEnergyPJ, baselines[name])])) as Record<
    BaselineName,
    number | null
  >
  const candidatesCosted = layers.reduce((sum, l) => sum + l.candidatesCosted, 0)
  const base: ModelFormatsSummary = {
    memoryEnergyPJ,
    baselines,
    bestFixedFormat,
    savingVsBestFixedPct: bestFixedFormat === null ? null : pctSaving(memoryEnergyPJ, baselines[bestFixedFormat]),
    savingVsBaselinesPct,
    candidatesCosted,
    layers: layers.length,
    distinctLayers: layers.filter((l) => !l.reused).length,
  }
  if (!exhaustive) return base
  let optimum: number | null = 0
  for (const l of layers) {
    if (l.exhaustiveOptimumPJ === null || l.exhaustiveOptimumPJ === undefined || optimum === null) optimum = null
    else optimum += l.exhaustiveOptimumPJ * l.count
  }
  const exhaustiveCandidates = layers.reduce((sum, l) => sum + (l.exhaustiveCandidates ?? 0), 0)
  return {
    ...base,
    exhaustiveOptimumPJ: optimum,
    exhaustiveCandidates,
    candidatesSkipped: Math.max(0, exhaustiveCandidates - candidatesCosted),
    gapToExhaustivePct: optimum === null || optimum <= 0 ? null : (100 * (memoryEnergyPJ - optimum)) / optimum,
    costedShareOfExhaustivePct: exhaustiveCandidates === 0 ? null : (100 * candidatesCosted) / exhaustiveCandidates,
    exhaustiveMode: 'per-tensor',
  }
}

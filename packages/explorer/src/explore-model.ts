// Whole-model exploration: every distinct layer of a zoo model (a GEMM, or a CNN layer's native
// convolution; same shape and densities = one search) co-searched on an accelerator preset, then
// totalled over the forward pass (each layer's energy and cycles × its count; layers run one
// after another).
import type { AbortSignalLike } from '@snipsnap/search'
import { prepareCostModel, SnipSnapError, type ArchSpec, type AreaTableSpec, type DensitySpec, type DesignSpec, type EnergyTableSpec, type MappingSpec } from '@snipsnap/core'
import { applyHardwarePoint, estimateArchTables, getArchPreset, hardwarePointOf, tableEstimator, totalAreaUM2, type EstimatedTables, type HardwarePoint } from '@snipsnap/arch'
import { applySparsity, buildWorkload, CONV_TENSOR_NAMES, layerShapeText, layerToProblem, type ConvLowering, type ConvShape, type GemmLayer, type GemmTensorName, type SparsityPreset } from '@snipsnap/workloads'
import { checkFormatSpace, coSearchDesign, resolveCostModel, type CoDesignSummary, type ExplorerRegistries, type FormatSpaceLimits, type MatchedBaselineName } from './co-search'
import type { TensorFormatChoice } from './formats-summary'
import { parseObjective, type ExplorerObjective, type MetricName } from './objectives'

/** A phase of inference: the prompt's forward pass, or one generated token. */
export type InferencePhase = 'prefill' | 'decode'

/** Default stopping rule of each layer's dataflow searches (see the README's convergence table). */
export const EXPLORE_DEFAULTS = {
  /** Fresh valid evaluations in a row without improvement that end a dataflow search. */
  patience: 256,
  /** Cap of each dataflow search (evaluations). */
  dataflowEvaluations: 4096,
  topM: 2,
  maxRounds: 1,
  /** Independent starts of stage 1 (pooled top-M). */
  stage1Starts: 2,
  /** Stage 1 screens every keep/bypass family of the mapping space's innermost level, then its starts go deep in the best ones. */
  stratify: true,
  /** Patience of each family's screening search. */
  strataPatience: 128,
  /**
   * Under the stopping rule (not with an exact `--evaluations` budget): the smallest layers that
   * together do at most this share of the model's MACs get a plain stage 1 (one start, no strata).
   */
  minorShare: 0.01,
  /** Refinement rounds start from the incumbent's and stage 1's mappings. */
  warmStart: true,
  /** Each dataflow search ends with a descent over the space's neighbours, within its cap. */
  polish: false,
  /** Strategy of every dataflow search, and its options. */
  strategy: 'genetic',
  strategyOptions: undefined as unknown,
} as const

/** A layer given instead of a zoo model's: its own densities, when given, replace the sparsity presets' on those operands. */
export type GivenLayer = GemmLayer & { readonly densities?: Readonly<Partial<Record<GemmTensorName, DensitySpec>>> }

/** Options of {@link exploreModel}. */
export interface ExploreModelOptions {
  /** Zoo model id, e.g. `llama-2-7b`; with `layers`, only the workload's name. */
  readonly model: string
  /**
   * Instead of a zoo model: the GEMMs of each phase (`@snipsnap/workloads` layers, e.g. a list of
   * GEMMs from a study spec); `phase: 'all'` then means the phases given here.
   */
  readonly layers?: Readonly<Partial<Record<InferencePhase, readonly GivenLayer[]>>>
  /** Sparsity preset id(s), e.g. `unstructured-50`, or presets (e.g. per-tensor rules); later ones override earlier ones. */
  readonly sparsity: string | SparsityPreset | readonly (string | SparsityPreset)[]
  /**
   * One phase or several, searched in this order (default `prefill`); `all`: prefill and decode,
   * or prefill alone for a model without a decode phase (an encoder, a CNN).
   */
  readonly phase?: InferencePhase | readonly InferencePhase[] | 'all'
  /** Architecture preset id (default `llm-default`); with `archSpec`, only the architecture's name. */
  readonly arch?: string
  /**
   * Instead of a preset: an architecture with its energy and area tables (e.g. read from Timeloop
   * files); a table given as null is estimated for the architecture (as for a hardware point).
   */
  readonly archSpec?: { readonly arch: ArchSpec; readonly energyTable: EnergyTableSpec | null; readonly areaTable: AreaTableSpec | null }
  /**
   * Hardware parameters applied to the preset (`@snipsnap/arch` hardware axes, e.g.
   * `{ glbKiB: 256, peArray: '8x8' }`). When given (even empty), the energy and area tables are
   * estimated for the resulting accelerator (as `codesign` does), so every point of a hardware
   * sweep is costed by the same estimator.
   */
  readonly hardware?: HardwarePoint
  /** Limits of the compression engine's format space (see `FormatSpaceLimits`). */
  readonly formatSpace?: FormatSpaceLimits
  readonly seqLen?: number
  readonly batch?: number
  /** CNN convolutions as native convolutions (default) or im2col GEMMs (for comparison). */
  readonly lowering?: ConvLowering
  readonly objective?: ExplorerObjective
  /**
   * Evaluations of each dataflow search of each layer. Without `patience`, each search runs
   * exactly this many (the explicit budget); with it, this is the cap. Default: the stopping rule
   * of {@link EXPLORE_DEFAULTS} (patience 256 under a cap of 4096).
   */
  readonly dataflowEvaluations?: number
  /** Stopping rule: see {@link EXPLORE_DEFAULTS}; default 256 unless `dataflowEvaluations` is given. */
  readonly patience?: number
  /**
   * Budget-matched baselines computed per layer (`MATCHED_BASELINES` lists them all; the CLI asks
   * for all). Each is the co-search's own search with only the format choice changed. Default none:
   * `dataflowOnlyEnergyPJ` is then the co-search's stage 1 (less search than the co-search).
   */
  readonly baselines?: readonly MatchedBaselineName[]
  readonly topM?: number
  readonly maxRounds?: number
  /** Independent starts of each layer's stage-1 dataflow search, pooled (default {@link EXPLORE_DEFAULTS}). */
  readonly stage1Starts?: number
  /** Stratified stage 1 (default {@link EXPLORE_DEFAULTS}; see `coSearchDesign`). */
  readonly stratify?: boolean
  /** Patience of each stratum's screening search (default {@link EXPLORE_DEFAULTS}). */
  readonly strataPatience?: number
  /**
   * Under the stopping rule only: the smallest distinct layers that together do at most this share
   * of the exploration's MACs (count × M·K·N over every phase) get a plain stage 1 — one start, no
   * strata (default {@link EXPLORE_DEFAULTS}; 0: none). Their share of the total is too small for
   * the screening to matter (LLaMA-2-7B: every decode GEMV and the LM head).
   */
  readonly minorShare?: number
  /** Warm-started refinement rounds (default {@link EXPLORE_DEFAULTS}; see `coSearchDesign`). */
  readonly warmStart?: boolean
  /** Polish each dataflow search with a neighbourhood descent within its cap (default {@link EXPLORE_DEFAULTS}). */
  readonly polish?: boolean
  /**
   * Strategy id of the dataflow searches (default {@link EXPLORE_DEFAULTS}' `strategy`, with its
   * `strategyOptions`).
   */
  readonly strategy?: string
  /** Options of the strategy (default: {@link EXPLORE_DEFAULTS}' for its strategy, else the strategy's own). */
  readonly strategyOptions?: unknown
  readonly seed?: number
  readonly clock?: () => number
  /**
   * Wall-clock budget of the whole exploration (ms, needs `clock`), shared fairly: each layer not yet
   * searched gets an equal part of what is left, split evenly among its dataflow searches (the
   * co-search's two and each baseline's own), on top of the stopping rule.
   */
  readonly budgetMs?: number
  /** Stops the exploration (Ctrl-C, a wall-clock budget): the result holds the best so far. */
  readonly signal?: AbortSignalLike
  /** Cost model id in the explorer's registry (default `sparseloop`). */
  readonly costModel?: string
  /** Called after each distinct layer is searched. */
  readonly onLayer?: (done: number, total: number, layer: ExploredLayer) => void
}

/** A budget-matched baseline of one layer (per run). */
export interface ExploredBaseline {
  readonly name: MatchedBaselineName
  readonly energyPJ: number | null
  readonly cycles: number | null
  /** For a fixed format: whether the baseline's best design uses it (else it stayed uncompressed). */
  readonly applied: boolean
  readonly formats: readonly TensorFormatChoice[]
  readonly evaluated: number
}

/** The chosen mapping in a few numbers, for tables and reports. */
export interface MappingSummary {
  /** Per storage level, outermost first: temporal loops (outer → inner) and spatial factors. */
  readonly levels: readonly { readonly level: string; readonly temporal: Readonly<Record<string, number>>; readonly spatial: Readonly<Record<string, number>>; readonly order: readonly string[] }[]
  /** One line, e.g. `DRAM[K4 N8] GLB[M16] | PE×128[N128] | RF[K8]`. */
  readonly text: string
  /** Compute units the mapping keeps busy (product of spatial factors), of `pesTotal`. */
  readonly pesUsed: number
  readonly pesTotal: number
}

/** One distinct GEMM's result. */
export interface ExploredLayer {
  readonly phase: InferencePhase
  /** Names of the model's layers sharing this shape and densities. */
  readonly names: readonly string[]
  /** GEMM shape; for a native convolution the GEMM-equivalent one (M·K·N = its MACs). */
  readonly M: number
  readonly K: number
  readonly N: number
  /** The shape as text: `M×K×N`, or the convolution's `N… C… M… R… S… P… Q… s…` (G… when grouped). */
  readonly shape: string
  /** The native convolution searched, or null for a GEMM. */
  readonly conv: ConvShape | null
  /** Runs per forward pass (sum of the counts of every GEMM in `names`). */
  readonly count: number
  readonly densities: Readonly<Record<string, number>>
  /**
   * Where the chosen design was found: the co-search's own stages, or a baseline's run (its design
   * or the engine's formats on its mapping; the co-search considers both, so it never loses to an
   * in-space baseline). Null when nothing was found.
   */
  readonly bestFrom: 'co-search' | MatchedBaselineName | null
  /** Per run; null when no valid mapping was found (`reason`). */
  readonly energyPJ: number | null
  readonly cycles: number | null
  /** Per run, by level (storage levels and the compute level), summing to `energyPJ`. */
  readonly energyByLevel: readonly { readonly level: string; readonly energyPJ: number }[]
  /** Valid designs the co-search evaluated (an even subsample of at most 300), for plots. */
  readonly points: readonly { readonly energyPJ: number; readonly cycles: number; readonly stage: string }[]
  /** The co-search's best energy after n cost-model evaluations (at each improvement and the end). */
  readonly convergence: readonly { readonly evaluated: number; readonly bestEnergyPJ: number }[]
  /** The budget-matched dataflow-only result (formats fixed to the defaults), per run. */
  readonly dataflowOnlyEnergyPJ: number | null
  readonly baselines: readonly ExploredBaseline[]
  readonly formats: readonly TensorFormatChoice[]
  readonly mapping: MappingSummary | null
  readonly mappingYaml: string | null
  /** Best objective after each co-search stage (for convergence plots). */
  readonly stages: readonly { readonly stage: string; readonly round: number; readonly evaluated: number; readonly energyPJ: number | null; readonly cycles: number | null; readonly stoppedBy: string | null }[]
  /** Cost-model evaluations of the co-search (baselines excluded). */
  readonly evaluated: number
  /** Cost-model evaluations including every baseline's own searches. */
  readonly evaluatedWithBaselines: number
  /** True when the exploration was stopped while (or before) this layer was searched. */
  readonly interrupted: boolean
  readonly reason: string | null
}

/** Totals of one phase (Σ count × per-run values over layers with a valid design). */
export interface ExplorePhaseResult {
  readonly phase: InferencePhase
  readonly layers: readonly ExploredLayer[]
  readonly totalEnergyPJ: number
  readonly totalCycles: number
  /** Same total with every layer at its budget-matched dataflow-only result. */
  readonly dataflowOnlyTotalEnergyPJ: number
  /** Per baseline: Σ count × its energy/cycles (a layer without a result counts at the co-search's). */
  readonly baselineTotals: readonly { readonly name: MatchedBaselineName; readonly energyPJ: number; readonly cycles: number; readonly layersApplied: number }[]
  readonly evaluated: number
  readonly failedLayers: number
}

/** The outcome of {@link exploreModel}. */
export interface ExploreModelResult {
  readonly model: string
  /** The first phase (single-phase callers); `phases` lists them all. */
  readonly phase: InferencePhase
  readonly arch: string
  /** Id of the cost model every layer's co-search and baselines were costed with (e.g. `sparseloop`). */
  readonly costModel: string
  /** How CNN convolutions were lowered (`native` for Transformers). */
  readonly lowering: ConvLowering
  /** Hardware parameters of the accelerator explored (the preset's own, with `hardware` applied). */
  readonly hardware: Readonly<Record<string, number | string>>
  /** Area of the accelerator explored, µm² (its area table × instances). */
  readonly areaUM2: number
  readonly objective: readonly MetricName[]
  /** Every phase's layers, phase after phase. */
  readonly layers: readonly ExploredLayer[]
  /** Sums over the phases (one prefill plus one decoded token when both are searched). */
  readonly totalEnergyPJ: number
  readonly totalCycles: number
  readonly dataflowOnlyTotalEnergyPJ: number
  readonly baselineTotals: ExplorePhaseResult['baselineTotals']
  readonly phases: readonly ExplorePhaseResult[]
  /** The search settings every layer's co-search and baselines used (so the output can say so). */
  readonly search: {
    readonly patience: number | null
    readonly dataflowEvaluations: number
    readonly stage1Starts: number
    readonly topM: number
    readonly maxRounds: number
    readonly strategy: string
    readonly seed: number
    readonly baselines: readonly MatchedBaselineName[]
    /** Distinct layers searched with a plain stage 1 (`minorShare`). */
    readonly minorLayers: number
  }
  readonly evaluated: number
  /** Layers without a valid design (excluded from the totals). */
  readonly failedLayers: number
  /** True when `signal` stopped the exploration: layers hold their best so far. */
  readonly interrupted: boolean
}

const keyOf = (layer: GemmLayer, densities: Readonly<Record<string, unknown>>): string => JSON.stringify([layer.M, layer.K, layer.N, layer.conv ?? null, densities])

/** A distinct GEMM of a model (same shape and densities), with every layer sharing it. */
export interface LayerGroup {
  readonly layer: GemmLayer
  readonly names: string[]
  count: number
  readonly densities: ReturnType<typeof applySparsity>[number]['densities']
}

/** The phases a zoo model has: prefill and decode, or prefill alone (encoders, CNNs). */
const availablePhases = (options: Pick<ExploreModelOptions, 'model' | 'layers' | 'seqLen' | 'batch' | 'lowering'>): InferencePhase[] => {
  const { layers } = options
  if (layers !== undefined) return (['prefill', 'decode'] as const).filter((p) => (layers[p]?.length ?? 0) > 0)
  try {
    buildWorkload({ model: options.model, phase: 'decode', ...(options.batch !== undefined ? { batch: options.batch } : {}) })
    return ['prefill', 'decode']
  } catch (error) {
    if (error instanceof SnipSnapError && error.path[0] === 'phase') return ['prefill']
    throw error
  }
}

/**
 * The distinct GEMMs of a zoo model under a sparsity preset, in model order.
 * @throws {SnipSnapError} for an unknown model, sparsity preset or phase, or a phase without GEMMs.
 */
export const groupModelLayers = (
  options: Pick<ExploreModelOptions, 'model' | 'layers' | 'sparsity' | 'seqLen' | 'batch' | 'lowering'> & { readonly phase?: InferencePhase },
): { workload: ReturnType<typeof buildWorkload>; groups: LayerGroup[] } => {
  const phase = options.phase ?? 'prefill'
  const workload =
    options.layers !== undefined
      ? { model: options.model, phase, seqLen: null, batch: 1, kvLen: null, lowering: 'native' as const, layers: options.layers[phase] ?? [] }
      : buildWorkload({
          model: options.model,
          phase,
          ...(options.seqLen !== undefined ? { seqLen: options.seqLen } : {}),
          ...(options.batch !== undefined ? { batch: options.batch } : {}),
          ...(options.lowering !== undefined ? { lowering: options.lowering } : {}),
        })
  const sparsity = applySparsity(workload, options.sparsity)
  const groups = new Map<string, LayerGroup>()
  workload.layers.forEach((layer: GivenLayer, i) => {
    const fromPresets = sparsity[i]?.densities ?? {}
    const own = layer.densities
    const densities: LayerGroup['densities'] =
      own === undefined
        ? fromPresets
        : Object.fromEntries((['A', 'B', 'Z'] as const).flatMap((t) => (own[t] ?? fromPresets[t] ?? null) === null ? [] : [[t, own[t] ?? fromPresets[t]]]))
    const key = keyOf(layer, densities)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, { layer, names: [layer.name], count: layer.count, densities })
    else {
      group.names.push(layer.name)
      group.count += layer.count
    }
  })
  if (groups.size === 0) throw new SnipSnapError('INVALID_SPEC', `${options.model} has no GEMM in phase ${phase}`, { path: ['model'] })
  return { workload, groups: [...groups.values()] }
}

const product = (factors: Readonly<Record<string, number>>): number => Object.values(factors).reduce((p, f) => p * f, 1)

/** The mapping in one line and its PE use (see {@link MappingSummary}). */
export const summarizeMapping = (mapping: MappingSpec, pesTotal: number): MappingSummary => {
  const levels = mapping.levels.map((l) => {
    // temporalPermutation is innermost first; show outer → inner, factors > 1 only.
    const order = [...l.temporalPermutation].reverse().filter((d) => (l.temporalFactors[d] ?? 1) > 1)
    const temporal = Object.fromEntries(order.map((d) => [d, l.temporalFactors[d] ?? 1]))
    const spatial = Object.fromEntries(Object.entries(l.spatialFactors).filter(([, f]) => f > 1))
    return { level: l.target, temporal, spatial, order }
  })
  const text = levels
    .map((l) => {
      const loops = l.order.map((d) => `${d}${l.temporal[d]}`).join(' ')
      const spatial = Object.entries(l.spatial).map(([d, f]) => `${d}${f}`).join(' ')
      return `${l.level}[${loops}]${spatial === '' ? '' : ` ‖[${spatial}]`}`
    })
    .join(' ')
  const pesUsed = mapping.levels.reduce((p, l) => p * product(l.spatialFactors), 1)
  return { levels, text, pesUsed, pesTotal }
}

const sumTotals = (layers: readonly ExploredLayer[], names: readonly MatchedBaselineName[]) => {
  const ok = layers.filter((l) => l.energyPJ !== null && l.cycles !== null)
  const baselineTotals = names.map((name) => {
    let energyPJ = 0
    let cycles = 0
    let layersApplied = 0
    for (const l of ok) {
      const b = l.baselines.find((x) => x.name === name)
      energyPJ += l.count * (b?.energyPJ ?? l.energyPJ ?? 0)
      cycles += l.count * (b?.cycles ?? l.cycles ?? 0)
      if (b?.applied === true) layersApplied++
    }
    return { name, energyPJ, cycles, layersApplied }
  })
  return {
    totalEnergyPJ: ok.reduce((s, l) => s + l.count * (l.energyPJ ?? 0), 0),
    totalCycles: ok.reduce((s, l) => s + l.count * (l.cycles ?? 0), 0),
    dataflowOnlyTotalEnergyPJ: ok.reduce((s, l) => s + l.count * (l.dataflowOnlyEnergyPJ ?? l.energyPJ ?? 0), 0),
    baselineTotals,
    evaluated: layers.reduce((s, l) => s + l.evaluatedWithBaselines, 0),
    failedLayers: layers.filter((l) => l.reason !== null).length,
  }
}

const DEFAULT_BASELINES: readonly MatchedBaselineName[] = []

/**
 * Co-searches every distinct layer of a model on an accelerator preset, phase after phase, with
 * budget-matched baselines. Each distinct GEMM (shape and densities) is searched once, also across
 * phases. A `signal` stops it with the best found so far (`interrupted: true`).
 * @throws {SnipSnapError} for an unknown model, sparsity preset, phase or architecture preset.
 */
export const exploreModel = async (
  options: ExploreModelOptions,
  registries: ExplorerRegistries,
): Promise<ExploreModelResult> => {
  const phases: readonly InferencePhase[] =
    options.phase === undefined ? ['prefill'] : options.phase === 'all' ? availablePhases(options) : typeof options.phase === 'string' ? [options.phase] : options.phase
  if (options.strategy !== undefined) registries.strategies.get(options.strategy) // fails early, naming the known ones
  // Fails early for an unknown id, naming the registered ones; the result names the model used.
  const cost = resolveCostModel(registries, options.costModel)
  const costModelId = cost.model.id
  if (phases.length === 0) throw new SnipSnapError('INVALID_SPEC', 'give at least one phase', { path: ['phase'] })
  const archId = options.arch ?? 'llm-default'
  const preset = options.archSpec ?? getArchPreset(archId)
  let { arch } = preset
  // A table not given (an architecture file without ERT/ART) is estimated, as for a hardware point.
  const estimated = preset.energyTable === null || preset.areaTable === null ? estimateArchTables({ arch, estimator: tableEstimator }) : null
  let energyTable = preset.energyTable ?? (estimated as EstimatedTables).energyTable
  let areaTable = preset.areaTable ?? (estimated as EstimatedTables).areaTable
  if (options.hardware !== undefined) {
    const applied = applyHardwarePoint(preset.arch, options.hardware)
    if (!applied.ok) {
      throw new SnipSnapError('INVALID_SPEC', `hardware ${JSON.stringify(options.hardware)} on ${archId}: ${applied.error.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { path: ['hardware'] })
    }
    arch = applied.value
    ;({ energyTable, areaTable } = estimateArchTables({ arch, estimator: tableEstimator }))
  }
  if (options.formatSpace !== undefined) checkFormatSpace(options.formatSpace, registries.formats)
  const objective = parseObjective(options.objective ?? 'energy')
  const explicit = options.dataflowEvaluations !== undefined && options.patience === undefined
  const patience = explicit ? null : (options.patience ?? EXPLORE_DEFAULTS.patience)
  const evaluations = options.dataflowEvaluations ?? EXPLORE_DEFAULTS.dataflowEvaluations
  const topM = options.topM ?? EXPLORE_DEFAULTS.topM
  const maxRounds = options.maxRounds ?? EXPLORE_DEFAULTS.maxRounds
  const seed = options.seed ?? 1
  const stage1Starts = options.stage1Starts ?? EXPLORE_DEFAULTS.stage1Starts
  const warmStart = options.warmStart ?? EXPLORE_DEFAULTS.warmStart
  const stratify = options.stratify ?? EXPLORE_DEFAULTS.stratify
  const strataPatience = options.strataPatience ?? EXPLORE_DEFAULTS.strataPatience
  const polish = options.polish ?? EXPLORE_DEFAULTS.polish
  const strategy = options.strategy ?? EXPLORE_DEFAULTS.strategy
  const strategyOptions = options.strategyOptions ?? (strategy === EXPLORE_DEFAULTS.strategy ? EXPLORE_DEFAULTS.strategyOptions : undefined)
  const baselineNames = options.baselines ?? DEFAULT_BASELINES
  if (options.budgetMs !== undefined && !(options.budgetMs > 0 && Number.isFinite(options.budgetMs))) {
    throw new SnipSnapError('INVALID_SPEC', `budgetMs must be a positive number of ms, got ${options.budgetMs}`, { path: ['budgetMs'] })
  }
  if (options.budgetMs !== undefined && options.clock === undefined) throw new SnipSnapError('INVALID_SPEC', 'a wall-clock budget needs a clock', { path: ['clock'] })
  const clock = options.clock
  const endMs = options.budgetMs !== undefined && clock !== undefined ? clock() + options.budgetMs : null
  // Dataflow searches per layer: the co-search's stage 1 and refinement rounds, one per baseline run.
  const searchesPerLayer = 1 + maxRounds + baselineNames.filter((b) => b !== 'formats-only').length * Math.max(1, maxRounds)
  const grouped = phases.map((phase) => ({ phase, ...groupModelLayers({ ...options, phase }) }))
  const minorShare = options.minorShare ?? EXPLORE_DEFAULTS.minorShare
  if (!(minorShare >= 0 && minorShare < 1)) throw new SnipSnapError('INVALID_SPEC', `minorShare must be in [0, 1), got ${minorShare}`, { path: ['minorShare'] })
  // Minor layers: the smallest by MACs (shared layers summed over phases) whose running sum stays within the share.
  const minor = new Set<string>()
  if (patience !== null && minorShare > 0) {
    const macs = new Map<string, number>()
    for (const g of grouped) for (const group of g.groups) {
      const key = keyOf(group.layer, group.densities)
      macs.set(key, (macs.get(key) ?? 0) + group.count * group.layer.M * group.layer.K * group.layer.N)
    }
    const total = [...macs.values()].reduce((a, b) => a + b, 0)
    let sum = 0
    for (const [key, m] of [...macs].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))) {
      if (sum + m > minorShare * total) break
      sum += m
      minor.add(key)
    }
  }
  const total = grouped.reduce((s, g) => s + g.groups.length, 0)
  const searched = new Map<string, ExploredLayer>()
  const aborted = (): boolean => options.signal?.aborted === true
  const phaseResults: ExplorePhaseResult[] = []
  let interrupted = false
  let done = 0
  const uniqueLeft = (): number => {
    // Distinct GEMMs still to search (shared ones across phases count once).
    const keys = new Set<string>()
    for (const g of grouped) for (const group of g.groups) keys.add(keyOf(group.layer, group.densities))
    return [...keys].filter((k) => !searched.has(k)).length
  }
  for (const { phase, groups } of grouped) {
    const layers: ExploredLayer[] = []
    for (const [index, group] of groups.entries()) {
      const base = {
        phase,
        names: group.names,
        M: group.layer.M,
        K: group.layer.K,
        N: group.layer.N,
        shape: layerShapeText(group.layer),
        conv: group.layer.conv ?? null,
        count: group.count,
        // Named as the problem's tensors: A/B/Z for a GEMM, Inputs/Weights/Outputs for a convolution.
        densities: Object.fromEntries(
          Object.entries(group.densities).map(([t, d]) => [group.layer.conv === undefined ? t : CONV_TENSOR_NAMES[t as GemmTensorName], d?.density ?? 1]),
        ),
      }
      const key = keyOf(group.layer, group.densities)
      const known = searched.get(key)
      let explored: ExploredLayer
      if (known !== undefined) {
        explored = { ...known, ...base }
      } else if (aborted()) {
        interrupted = true
        explored = { ...base, bestFrom: null, energyPJ: null, cycles: null, energyByLevel: [], points: [], convergence: [], dataflowOnlyEnergyPJ: null, baselines: [], formats: [], mapping: null, mappingYaml: null, stages: [], evaluated: 0, evaluatedWithBaselines: 0, interrupted: true, reason: 'interrupted before this layer was searched' }
      } else {
        const design: DesignSpec = {
          arch,
          problem: layerToProblem(group.layer, group.densities),
          mapping: null,
          sparseOptimizations: { targets: [] },
          energyTable,
          areaTable,
          constraints: [],
          mapper: null,
        }
        const result = await coSearchDesign(
          design,
          {
            objective,
            dataflowEvaluations: evaluations,
            ...(patience !== null ? { patience } : {}),
            ...(endMs !== null && clock !== undefined ? { dataflowWallTimeMs: Math.max(1, (endMs - clock()) / Math.max(1, uniqueLeft()) / searchesPerLayer) } : {}),
            // The seed depends on the layer's position in its phase only, so a phase replays alone.
            seed: seed + index,
            topM,
            maxRounds,
            stage1Starts: minor.has(key) ? 1 : stage1Starts,
            warmStart,
            stratify: stratify && !minor.has(key),
            strataPatience,
            polish,
            matchedBaselines: baselineNames,
            tracePoints: 300,
            strategy,
            ...(strategyOptions !== undefined ? { strategyOptions } : {}),
            ...(options.formatSpace !== undefined ? { formatSpace: options.formatSpace } : {}),
            ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
            ...(options.clock !== undefined ? { clock: options.clock } : {}),
            ...(options.signal !== undefined ? { signal: options.signal } : {}),
          },
          registries,
        )
        const stopped = aborted()
        if (stopped) interrupted = true
        const best: CoDesignSummary | null = result.best
        // The split by level comes from the cost model the layer was priced with (its prepare step when it has one).
        const report = best === null ? null : prepareCostModel(cost.model, { ...design, sparseOptimizations: best.sparseOptimizations }, cost.context)(best.mapping)
        const energyByLevel: { level: string; energyPJ: number }[] = []
        if (report !== null && report.valid) {
          for (const [level, r] of Object.entries(report.levels)) energyByLevel.push({ level, energyPJ: r.energyPJ })
          const rest = report.energyPJ - energyByLevel.reduce((a, b) => a + b.energyPJ, 0)
          if (Math.abs(rest) > 1e-9 * Math.max(1, report.energyPJ)) energyByLevel.push({ level: 'other', energyPJ: rest })
        }
        const dataflowOnly = result.baselines.find((b) => b.name === 'dataflow-only')
        explored = {
          ...base,
          bestFrom: best === null ? null : result.bestFrom,
          energyPJ: best?.energyPJ ?? null,
          cycles: best?.cycles ?? null,
          energyByLevel,
          points: result.trace?.points ?? [],
          convergence: result.trace?.convergence ?? [],
          dataflowOnlyEnergyPJ: dataflowOnly !== undefined ? (dataflowOnly.best?.energyPJ ?? null) : (result.dataflowOnly?.energyPJ ?? null),
          baselines: result.baselines.map((b) => ({ name: b.name, energyPJ: b.best?.energyPJ ?? null, cycles: b.best?.cycles ?? null, applied: b.applied, formats: b.best?.formats ?? [], evaluated: b.evaluated })),
          formats: best?.formats ?? [],
          mapping: best === null ? null : summarizeMapping(best.mapping, arch.compute.instances),
          mappingYaml: best?.mappingYaml ?? null,
          stages: result.stages.map((st) => ({ stage: st.stage, round: st.round, evaluated: st.evaluated, energyPJ: st.bestMetrics?.['energy'] ?? null, cycles: st.bestMetrics?.['cycles'] ?? null, stoppedBy: st.stoppedBy ?? null })),
          evaluated: result.evaluated,
          // Baselines share the co-search's stage 1: count only their own searches.
          evaluatedWithBaselines: result.evaluated + result.baselines.reduce((s, b) => s + (b.name === 'formats-only' ? 1 : b.evaluated - (result.stages[0]?.evaluated ?? 0)), 0),
          interrupted: stopped,
          reason: best === null ? (result.reason ?? 'no valid design found') : null,
        }
        if (!stopped) searched.set(key, explored)
      }
      layers.push(explored)
      done++
      options.onLayer?.(done, total, explored)
    }
    phaseResults.push({ phase, layers, ...sumTotals(layers, baselineNames) })
  }
  const layers = phaseResults.flatMap((p) => p.layers)
  // The model's totals are the sums of the phases' totals (one prefill plus one decoded token).
  const sum = (f: (p: ExplorePhaseResult) => number): number => phaseResults.reduce((s, p) => s + f(p), 0)
  return {
    model: grouped[0]?.workload.model ?? options.model,
    phase: phases[0] as InferencePhase,
    arch: archId,
    costModel: costModelId,
    lowering: grouped[0]?.workload.lowering ?? 'native',
    hardware: hardwarePointOf(arch),
    areaUM2: totalAreaUM2(arch, areaTable),
    objective,
    layers,
    totalEnergyPJ: sum((p) => p.totalEnergyPJ),
    totalCycles: sum((p) => p.totalCycles),
    dataflowOnlyTotalEnergyPJ: sum((p) => p.dataflowOnlyTotalEnergyPJ),
    baselineTotals: baselineNames.map((name) => {
      const of = (p: ExplorePhaseResult) => p.baselineTotals.find((b) => b.name === name)
      return { name, energyPJ: sum((p) => of(p)?.energyPJ ?? 0), cycles: sum((p) => of(p)?.cycles ?? 0), layersApplied: sum((p) => of(p)?.layersApplied ?? 0) }
    }),
    evaluated: sum((p) => p.evaluated),
    failedLayers: sum((p) => p.failedLayers),
    phases: phaseResults,
    search: { patience, dataflowEvaluations: evaluations, stage1Starts, topM, maxRounds, strategy, seed, baselines: baselineNames, minorLayers: minor.size },
    interrupted,
  }
}

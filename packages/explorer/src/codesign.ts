// Hardware co-design (issue 14): an outer search over hardware axes (@snipsnap/search's
// searchAxes) around the existing progressive co-search of dataflow and formats. Each hardware
// point is an accelerator built from a preset (@snipsnap/arch's applyHardwarePoint) whose energy
// and area tables come from an energy/area estimator, so resizing a buffer changes its cost.
// Points over the area or power cap are rejected before any evaluation; a point reuses its
// evaluated neighbours' per-layer designs as candidates; one wall-clock budget is shared.
// Phases: resolveCodesign → searchHardwarePoints → (mode b) addFormatsToFront → assembleResult.
import type { AbortSignalLike } from '@snipsnap/search'
import { searchAxes, type AxisEvaluated, type AxisPoint, type DiscreteAxis } from '@snipsnap/search'
import {
  SnipSnapError,
  prepareCostModel,
  type ArchSpec,
  type AreaTableSpec,
  type DesignSpec,
  type EnergyAreaEstimator,
  type EnergyTableSpec,
  type MappingSpec,
  type ProblemSpec,
  type SparseOptimizationsSpec,
} from '@snipsnap/core'
import {
  applyHardwarePoint,
  chooseEstimator,
  createEstimatorRegistry,
  estimateArchTables,
  expandHardwareAxes,
  getArchPreset,
  hardwareDiff,
  hardwarePointOf,
  peakPowerMW,
  totalAreaUM2,
  type HardwareAxis,
  type HardwarePoint,
} from '@snipsnap/arch'
import { layerShapeText, layerToProblem, type ConvShape } from '@snipsnap/workloads'
import { writeTimeloopYaml } from '@snipsnap/timeloop'
import { coSearchDesign, createCompressionEngine, resolveCostModel, type ExplorerRegistries } from './co-search'
import { groupModelLayers, type LayerGroup } from './explore-model'
import { formatsOf, type TensorFormatChoice } from './formats-summary'
import { parseObjective, type ExplorerObjective, type MetricName } from './objectives'

/**
 * How hardware, dataflow and formats are searched: `joint` co-searches dataflow and formats at
 * every hardware point; `dataflow-then-formats` searches hardware with fixed (design-default)
 * formats, then picks formats for the final front's dataflows; `dataflow-only` never changes formats.
 */
export type CodesignMode = 'joint' | 'dataflow-then-formats' | 'dataflow-only'
export const CODESIGN_MODES: readonly CodesignMode[] = ['joint', 'dataflow-then-formats', 'dataflow-only']

/** Options of {@link codesignModel}. */
export interface CodesignOptions {
  readonly model: string
  /** Cost model id in the explorer's registry (default `sparseloop`). */
  readonly costModel?: string
  readonly sparsity: string | readonly string[]
  readonly phase?: 'prefill' | 'decode'
  /** Architecture preset the hardware points are built from (default `llm-default`). */
  readonly arch?: string
  readonly seqLen?: number
  readonly batch?: number
  /** CNN convolutions as native convolutions (default) or im2col GEMMs. */
  readonly lowering?: 'native' | 'im2col'
  /** Written hardware axes (`HardwareAxesInput`); default {@link defaultHardwareAxes} of the preset. */
  readonly axes?: unknown
  /** Shared wall-clock budget of the whole run, seconds (needs `clock`). */
  readonly budgetS?: number
  /** Hardware points to evaluate at most (the baseline included). */
  readonly maxPoints?: number
  /** Evaluations of each dataflow search of each layer at each point (default 16). */
  readonly dataflowEvaluations?: number
  /** Refinement rounds of the joint co-search (default 1). */
  readonly maxRounds?: number
  /** Objective of the per-layer searches (default `edp`). */
  readonly objective?: ExplorerObjective
  readonly mode?: CodesignMode
  /** Reject points above this area before evaluating them, µm². */
  readonly maxAreaUM2?: number
  /** Reject points whose peak power bound exceeds this, mW. */
  readonly maxPowerMW?: number
  /** Clock of the power bound, GHz (default 1). */
  readonly clockGHz?: number
  /**
   * Energy/area estimator of every point's ERT/ART: an instance, or an id in the registries'
   * `estimators`. Default: of the registered estimators, the most accurate one supporting each
   * primitive (Accelergy's rule; with the built-ins alone, the `table` estimator).
   */
  readonly estimator?: EnergyAreaEstimator | string
  readonly seed?: number
  readonly clock?: () => number
  readonly signal?: AbortSignalLike
  readonly onPoint?: (point: CodesignPoint, evaluated: number) => void
}

/** One distinct layer's design at a hardware point (per run of the layer). */
export interface CodesignLayer {
  readonly names: readonly string[]
  /** GEMM shape; for a native convolution the GEMM-equivalent one (M·K·N = its MACs). */
  readonly M: number
  readonly K: number
  readonly N: number
  /** The shape as text: `M×K×N`, or the convolution's `N… C… M… R… S… P… Q… s…` (G… when grouped). */
  readonly shape: string
  /** The native convolution searched, or null for a GEMM. */
  readonly conv: ConvShape | null
  readonly count: number
  readonly energyPJ: number
  readonly cycles: number
  readonly formats: readonly TensorFormatChoice[]
  readonly mappingYaml: string
  readonly mapping: MappingSpec
  readonly sparseOptimizations: SparseOptimizationsSpec
  /** True when a neighbouring point's design, re-evaluated here, beat this point's own search. */
  readonly reusedFromNeighbour: boolean
}

/** An evaluated hardware point: whole-model totals (Σ count × layer) and its area. */
export interface CodesignPoint {
  readonly energyPJ: number
  readonly cycles: number
  /** Energy × cycles, pJ·cycles. */
  readonly edp: number
  readonly areaUM2: number
  readonly peakPowerMW: number
  /** Axis values that differ from the preset. */
  readonly hardware: HardwarePoint
  /** Every axis value. */
  readonly point: HardwarePoint
  /** True when the estimator extrapolated beyond its tables for this accelerator. */
  readonly extrapolated: boolean
  /** The estimator's `level role: note` lines saying where and how it extrapolated (empty if it did not). */
  readonly extrapolations: readonly string[]
  readonly layers: readonly CodesignLayer[]
  readonly arch: ArchSpec
  readonly energyTable: EnergyTableSpec
  readonly areaTable: AreaTableSpec
  /** Seconds into the hardware search when this point's evaluation finished (null without a clock). */
  readonly foundAtS: number | null
}

/** The outcome of {@link codesignModel}. */
export interface CodesignResult {
  readonly model: string
  readonly phase: 'prefill' | 'decode'
  readonly arch: string
  readonly mode: CodesignMode
  readonly objective: readonly MetricName[]
  readonly axes: readonly HardwareAxis[]
  /** Id of the estimator every point's ERT/ART came from (`most-accurate` when several were combined). */
  readonly estimator: string
  /** The preset itself, co-searched with the same per-design budget (null if its search failed). */
  readonly baseline: CodesignPoint | null
  /** Energy / cycles / area Pareto set of every evaluated point, by ascending area. */
  readonly pareto: readonly CodesignPoint[]
  /** Lowest-EDP point with no more area than the baseline (null when none beats it). */
  readonly bestEdpAtBaselineArea: CodesignPoint | null
  readonly evaluatedPoints: number
  /** Proposals turned away, by kind (`area`, `power`, `invalid`, `evaluation`). */
  readonly rejected: Readonly<Record<string, number>>
  /** Why the hardware search stopped (`time`, `points`, `exhausted`, `aborted`). */
  readonly stoppedBy: string
  /** Per-layer designs taken over from a neighbouring point, over all points. */
  readonly reusedLayers: number
}

const ratioValues = (own: number, ratios: readonly number[], integer = true): number[] =>
  [...new Set(ratios.map((r) => (integer ? Math.max(1, Math.round(own * r)) : own * r)))].sort((a, b) => a - b)

/**
 * Default axes around a preset: capacities ×¼…×2, PE array halved and doubled, bandwidths ×½…×2,
 * PE metadata ×½…×2, compression support at either buffer on or off.
 */
export const defaultHardwareAxes = (arch: ArchSpec): Record<string, unknown> => {
  const own = hardwarePointOf(arch)
  const [x, y] = String(own.peArray).split('x').map(Number) as [number, number]
  const axes: Record<string, unknown> = {
    glbKiB: ratioValues(Number(own.glbKiB), [0.25, 0.5, 1, 2]),
    peBufferWords: ratioValues(Number(own.peBufferWords), [0.25, 0.5, 1, 2]),
    peArray: [...new Set([`${x}x${Math.max(1, y / 2)}`, `${x}x${y}`, `${x * 2}x${y}`])],
    dramBandwidth: ratioValues(Number(own.dramBandwidth), [0.5, 1, 2]),
    glbBandwidth: ratioValues(Number(own.glbBandwidth), [0.5, 1, 2]),
    peBufferBandwidth: ratioValues(Number(own.peBufferBandwidth), [0.5, 1, 2]),
    glbCompression: [...new Set(['none', String(own.glbCompression)])],
    peBufferCompression: [...new Set(['none', String(own.peBufferCompression)])],
  }
  if (Number(own.peBufferMetadataDepth) > 0) axes.peBufferMetadataDepth = ratioValues(Number(own.peBufferMetadataDepth), [0.5, 1, 2])
  return axes
}

interface Resolved {
  readonly presetId: string
  readonly base: ArchSpec
  readonly groups: readonly LayerGroup[]
  readonly problems: readonly ProblemSpec[]
  readonly axes: readonly HardwareAxis[]
  readonly start: Required<HardwarePoint>
  readonly objective: readonly MetricName[]
  readonly mode: CodesignMode
  readonly estimator: EnergyAreaEstimator
  readonly evaluations: number
}

const positiveOption = (value: number | undefined, name: string): void => {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new SnipSnapError('INVALID_SPEC', `${name} must be a positive number (got ${String(value)})`, { path: [name] })
  }
}

/** The estimator `options.estimator` names (see {@link CodesignOptions.estimator}). */
const resolveEstimator = (estimator: EnergyAreaEstimator | string | undefined, registries: ExplorerRegistries): EnergyAreaEstimator => {
  if (typeof estimator === 'object') return estimator
  const registry = registries.estimators ?? createEstimatorRegistry()
  return estimator === undefined ? chooseEstimator(registry.list()) : registry.get(estimator)
}

/** Phase 1: workload, preset, axes (the preset's own values added to each), options checked. */
const resolveCodesign = (options: CodesignOptions, registries: ExplorerRegistries): Resolved => {
  const mode = options.mode ?? 'joint'
  if (!CODESIGN_MODES.includes(mode)) throw new SnipSnapError('INVALID_SPEC', `mode must be one of ${CODESIGN_MODES.join(', ')} (got ${String(mode)})`, { path: ['mode'] })
  positiveOption(options.budgetS, 'budgetS')
  positiveOption(options.maxAreaUM2, 'maxAreaUM2')
  positiveOption(options.maxPowerMW, 'maxPowerMW')
  positiveOption(options.clockGHz, 'clockGHz')
  if (options.budgetS === undefined && options.maxPoints === undefined) {
    throw new SnipSnapError('INVALID_SPEC', 'codesign needs a budget: budgetS and/or maxPoints', { path: ['budgetS'] })
  }
  if (options.budgetS !== undefined && options.clock === undefined) {
    throw new SnipSnapError('INVALID_SPEC', 'a budget in seconds needs a clock', { path: ['budgetS'] })
  }
  const evaluations = options.dataflowEvaluations ?? 16
  if (!(Number.isSafeInteger(evaluations) && evaluations >= 1)) throw new SnipSnapError('INVALID_SPEC', `dataflowEvaluations must be an integer ≥ 1 (got ${evaluations})`, { path: ['dataflowEvaluations'] })
  const presetId = options.arch ?? 'llm-default'
  const base = getArchPreset(presetId).arch
  const { groups } = groupModelLayers(options)
  const start = hardwarePointOf(base)
  const written = expandHardwareAxes(options.axes ?? defaultHardwareAxes(base))
  // The preset's own value joins every axis so the search starts at (and can return to) the preset.
  const axes = written.map((a) => {
    const own = start[a.name]
    const values = a.values.includes(own) ? a.values : [...a.values, own]
    return { name: a.name, values: typeof own === 'number' ? [...values].sort((p, q) => Number(p) - Number(q)) : values }
  })
  return {
    presetId,
    base,
    groups,
    problems: groups.map((g) => layerToProblem(g.layer, g.densities)),
    axes,
    start,
    objective: parseObjective(options.objective ?? 'edp'),
    mode,
    estimator: resolveEstimator(options.estimator, registries),
    evaluations,
  }
}

interface Built {
  readonly arch: ArchSpec
  readonly energyTable: EnergyTableSpec
  readonly areaTable: AreaTableSpec
  readonly areaUM2: number
  readonly peakPowerMW: number
  readonly extrapolated: boolean
  readonly extrapolations: readonly string[]
}

const buildPoint = (r: Resolved, point: HardwarePoint, clockGHz: number): { ok: true; built: Built } | { ok: false; reason: string } => {
  const applied = applyHardwarePoint(r.base, point)
  if (!applied.ok) return { ok: false, reason: applied.error.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }
  const arch = applied.value
  try {
    const tables = estimateArchTables({ arch, estimator: r.estimator })
    return {
      ok: true,
      built: {
        arch,
        energyTable: tables.energyTable,
        areaTable: tables.areaTable,
        areaUM2: totalAreaUM2(arch, tables.areaTable),
        peakPowerMW: peakPowerMW({ arch, energyTable: tables.energyTable, clockGHz }),
        extrapolated: tables.extrapolated,
        extrapolations: tables.notes.filter((n) => n.includes('EXTRAPOLATED')),
      },
    }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
}

const metricOf = (m: MetricName, e: number, c: number): number => (m === 'energy' ? e : m === 'cycles' ? c : e * c)
const lexLess = (objective: readonly MetricName[], a: { energyPJ: number; cycles: number }, b: { energyPJ: number; cycles: number }): boolean => {
  for (const m of objective) {
    const x = metricOf(m, a.energyPJ, a.cycles)
    const y = metricOf(m, b.energyPJ, b.cycles)
    if (x !== y) return x < y
  }
  return false
}

const designOf = (built: Built, problem: ProblemSpec, mapping: MappingSpec | null, sparseOptimizations: SparseOptimizationsSpec): DesignSpec => ({
  arch: built.arch,
  problem,
  mapping,
  sparseOptimizations,
  energyTable: built.energyTable,
  areaTable: built.areaTable,
  constraints: [],
  mapper: null,
})

/** Phase 2 (per point): every layer co-searched on the built accelerator, neighbours' designs as candidates. */
const evaluatePoint = async (
  r: Resolved,
  options: CodesignOptions,
  registries: ExplorerRegistries,
  built: Built,
  neighbours: readonly AxisEvaluated<CodesignPoint>[],
  signal: AbortSignalLike,
): Promise<{ ok: true; layers: CodesignLayer[] } | { ok: false; reason: string }> => {
  const layers: CodesignLayer[] = []
  const seed = options.seed ?? 1
  for (let i = 0; i < r.groups.length; i++) {
    const group = r.groups[i] as LayerGroup
    const problem = r.problems[i] as ProblemSpec
    const result = await coSearchDesign(
      designOf(built, problem, null, { targets: [] }),
      {
        objective: r.objective,
        dataflowEvaluations: r.evaluations,
        // The same seed per layer at every point: differences between points come from the hardware.
        seed: seed + i,
        topM: 2,
        maxRounds: options.maxRounds ?? 1,
        fixedFormats: r.mode !== 'joint',
        formatsOnlyBaseline: false,
        ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
        ...(options.clock !== undefined ? { clock: options.clock } : {}),
        signal,
      },
      registries,
    )
    if (signal.aborted) return { ok: false, reason: 'budget exhausted' }
    let best: Omit<CodesignLayer, 'names' | 'M' | 'K' | 'N' | 'shape' | 'conv' | 'count'> | null =
      result.best === null
        ? null
        : { energyPJ: result.best.energyPJ, cycles: result.best.cycles, formats: result.best.formats, mappingYaml: result.best.mappingYaml, mapping: result.best.mapping, sparseOptimizations: result.best.sparseOptimizations, reusedFromNeighbour: false }
    // Reuse: a neighbour's design for this layer, re-evaluated on this hardware, is one more candidate.
    for (const n of neighbours.slice(0, 2)) {
      const theirs = n.result.layers[i]
      if (theirs === undefined) continue
      const sparse = r.mode === 'joint' ? theirs.sparseOptimizations : { targets: [] }
      const cost = resolveCostModel(registries, options.costModel)
      const report = prepareCostModel(cost.model, { arch: built.arch, problem, sparseOptimizations: sparse, energyTable: built.energyTable }, cost.context)(theirs.mapping)
      if (!report.valid) continue
      const candidate = { energyPJ: report.energyPJ, cycles: report.cycles }
      if (best === null || lexLess(r.objective, candidate, best)) {
        best = { ...candidate, formats: formatsOf(sparse), mappingYaml: theirs.mappingYaml, mapping: theirs.mapping, sparseOptimizations: sparse, reusedFromNeighbour: true }
      }
    }
    if (best === null) return { ok: false, reason: `layer ${group.names.join(',')}: ${result.reason ?? 'no valid mapping'}` }
    layers.push({ names: group.names, M: group.layer.M, K: group.layer.K, N: group.layer.N, shape: layerShapeText(group.layer), conv: group.layer.conv ?? null, count: group.count, ...best })
  }
  return { ok: true, layers }
}

const toPoint = (r: Resolved, built: Built, point: HardwarePoint, layers: readonly CodesignLayer[]): CodesignPoint => {
  const energyPJ = layers.reduce((s, l) => s + l.count * l.energyPJ, 0)
  const cycles = layers.reduce((s, l) => s + l.count * l.cycles, 0)
  return {
    energyPJ,
    cycles,
    edp: energyPJ * cycles,
    areaUM2: built.areaUM2,
    peakPowerMW: built.peakPowerMW,
    hardware: hardwareDiff(r.base, point),
    point,
    extrapolated: built.extrapolated,
    extrapolations: built.extrapolations,
    layers,
    arch: built.arch,
    energyTable: built.energyTable,
    areaTable: built.areaTable,
    foundAtS: null,
  }
}

/** Phase 3 (mode b only): formats picked for each front point's per-layer dataflows, nothing re-searched. */
const addFormatsToFront = (r: Resolved, registries: ExplorerRegistries, points: readonly CodesignPoint[], outOfTime: () => boolean, costModel?: string): CodesignPoint[] => {
  const cost = resolveCostModel(registries, costModel)
  const engine = createCompressionEngine(registries.densityModels, registries.formats, {}, cost)
  return points.map((p) => {
    if (outOfTime()) return p
    const layers = p.layers.map((l, i) => {
      const problem = r.problems[i] as ProblemSpec
      const base = { arch: p.arch, problem, energyTable: p.energyTable }
      const choice = engine.selectFormats({ ...base, sparseOptimizations: l.sparseOptimizations, mapping: l.mapping })
      if (!choice.valid) return l
      const report = prepareCostModel(cost.model, { ...base, sparseOptimizations: choice.sparseOptimizations }, cost.context)(l.mapping)
      if (!report.valid || !lexLess(r.objective, report, l)) return l
      return { ...l, energyPJ: report.energyPJ, cycles: report.cycles, sparseOptimizations: choice.sparseOptimizations, formats: formatsOf(choice.sparseOptimizations) }
    })
    const energyPJ = layers.reduce((s, l) => s + l.count * l.energyPJ, 0)
    const cycles = layers.reduce((s, l) => s + l.count * l.cycles, 0)
    return { ...p, layers, energyPJ, cycles, edp: energyPJ * cycles }
  })
}

const dominatesPoint = (a: CodesignPoint, b: CodesignPoint): boolean =>
  a.energyPJ <= b.energyPJ && a.cycles <= b.cycles && a.areaUM2 <= b.areaUM2 && (a.energyPJ < b.energyPJ || a.cycles < b.cycles || a.areaUM2 < b.areaUM2)
const sameCost = (a: CodesignPoint, b: CodesignPoint): boolean => a.energyPJ === b.energyPJ && a.cycles === b.cycles && a.areaUM2 === b.areaUM2
/** Non-dominated points; of points with equal costs only the first evaluated (a change that changed nothing adds no row). */
const paretoOf = (points: readonly CodesignPoint[]): CodesignPoint[] =>
  points
    .filter((p, i) => !points.some((q, j) => (q !== p && dominatesPoint(q, p)) || (j < i && sameCost(q, p))))
    .sort((a, b) => a.areaUM2 - b.areaUM2 || a.edp - b.edp)

/**
 * Searches hardware, dataflow and formats for a zoo model: the preset first (the baseline, same
 * per-design budget), then hardware points around it until the shared budget runs out.
 * @throws {SnipSnapError} INVALID_SPEC for bad options or axes, PLUGIN_NOT_FOUND for an unknown preset.
 * @example await codesignModel({ model: 'llama-2-7b', sparsity: 'unstructured-50', budgetS: 300, clock: () => performance.now() }, registries)
 */
export const codesignModel = async (options: CodesignOptions, registries: ExplorerRegistries): Promise<CodesignResult> => {
  const r = resolveCodesign(options, registries)
  const clockGHz = options.clockGHz ?? 1
  const startedMs = options.clock?.() ?? 0
  const budgetMs = options.budgetS !== undefined ? options.budgetS * 1000 : undefined
  // Mode b keeps the last 15% of the budget for its formats pass.
  const searchBudgetMs = budgetMs !== undefined && r.mode === 'dataflow-then-formats' ? budgetMs * 0.85 : budgetMs
  const built = new Map<string, ReturnType<typeof buildPoint>>()
  const buildCached = (p: AxisPoint) => {
    const key = JSON.stringify(p)
    const hit = built.get(key)
    if (hit !== undefined) return hit
    const b = buildPoint(r, p as HardwarePoint, clockGHz)
    built.set(key, b)
    return b
  }
  let reusedLayers = 0
  const search = await searchAxes<CodesignPoint>({
    axes: r.axes as readonly DiscreteAxis[],
    start: r.start,
    objectives: ['energyPJ', 'cycles', 'areaUM2'],
    screen: (p) => {
      const b = buildCached(p)
      if (!b.ok) return { ok: false, kind: 'invalid', reason: b.reason }
      if (options.maxAreaUM2 !== undefined && b.built.areaUM2 > options.maxAreaUM2) return { ok: false, kind: 'area', reason: `area ${b.built.areaUM2.toFixed(0)} µm² > cap ${options.maxAreaUM2}` }
      if (options.maxPowerMW !== undefined && b.built.peakPowerMW > options.maxPowerMW) return { ok: false, kind: 'power', reason: `peak power ${b.built.peakPowerMW.toFixed(0)} mW > cap ${options.maxPowerMW}` }
      return { ok: true }
    },
    evaluate: async (p, ctx) => {
      const b = buildCached(p)
      if (!b.ok) return { ok: false, reason: b.reason }
      const outcome = await evaluatePoint(r, options, registries, b.built, ctx.neighbours, ctx.signal)
      if (!outcome.ok) return outcome
      reusedLayers += outcome.layers.filter((l) => l.reusedFromNeighbour).length
      const point = toPoint(r, b.built, p as HardwarePoint, outcome.layers)
      return { ok: true, objectives: [point.energyPJ, point.cycles, point.areaUM2], result: point }
    },
    budget: { ...(searchBudgetMs !== undefined ? { wallTimeMs: searchBudgetMs } : {}), ...(options.maxPoints !== undefined ? { points: options.maxPoints } : {}) },
    seed: options.seed ?? 1,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onPoint: (e) => options.onPoint?.(e.result, e.index + 1),
  })
  const startKey = JSON.stringify(r.start)
  let points = search.evaluated.map((e): CodesignPoint => ({ ...e.result, foundAtS: e.atMs === null ? null : e.atMs / 1000 }))
  const startIndex = search.evaluated.findIndex((e) => JSON.stringify(e.point) === startKey)
  let baseline = startIndex < 0 ? null : (points[startIndex] ?? null)
  if (r.mode === 'dataflow-then-formats') {
    const outOfTime = () => options.clock !== undefined && budgetMs !== undefined && options.clock() - startedMs >= budgetMs
    // Formats for the baseline first (so the comparison is like for like), then for the
    // hardware-then-dataflow front by ascending EDP, until the reserved time runs out.
    const front = [...new Set([...(baseline !== null ? [baseline] : []), ...paretoOf(points).sort((a, b) => a.edp - b.edp)])]
    const improved = addFormatsToFront(r, registries, front, outOfTime, options.costModel)
    const replaced = new Map(front.map((p, i) => [p, improved[i] as CodesignPoint]))
    points = points.map((p) => replaced.get(p) ?? p)
    if (baseline !== null) baseline = replaced.get(baseline) ?? baseline
  }
  const pareto = paretoOf(points)
  const baseArea = baseline?.areaUM2 ?? Infinity
  const candidates = points.filter((p) => p !== baseline && p.areaUM2 <= baseArea && (baseline === null || p.edp < baseline.edp))
  const bestEdpAtBaselineArea = candidates.reduce<CodesignPoint | null>((best, p) => (best === null || p.edp < best.edp ? p : best), null)
  const rejected: Record<string, number> = {}
  for (const x of search.rejected) rejected[x.kind] = (rejected[x.kind] ?? 0) + 1
  return {
    model: options.model,
    phase: options.phase ?? 'prefill',
    arch: r.presetId,
    mode: r.mode,
    objective: r.objective,
    axes: r.axes,
    estimator: r.estimator.id,
    baseline,
    pareto,
    bestEdpAtBaselineArea,
    evaluatedPoints: search.evaluated.length,
    rejected,
    stoppedBy: search.stoppedBy,
    reusedLayers,
  }
}

/**
 * Timeloop YAML of each layer of a point (arch, ERT, ART, sparse optimizations, mapping, problem),
 * one self-contained document per distinct layer, re-evaluable with `snipsnap evaluate`.
 */
export const codesignPointYaml = (point: CodesignPoint, problems: readonly ProblemSpec[]): { readonly layer: string; readonly yaml: string }[] =>
  point.layers.map((l, i) => {
    const problem = problems[i]
    if (problem === undefined) throw new SnipSnapError('INTERNAL', `no problem for layer ${i}`)
    const design = {
      arch: point.arch,
      problem,
      mapping: l.mapping,
      sparseOptimizations: l.sparseOptimizations,
      energyTable: point.energyTable,
      areaTable: point.areaTable,
      constraints: [],
      mapper: null,
    }
    return { layer: l.names[0] ?? `layer${i}`, yaml: writeTimeloopYaml(design) }
  })

/** The distinct layers' problems of a codesign run (same order as each point's `layers`). */
export const codesignProblems = (options: Pick<CodesignOptions, 'model' | 'sparsity' | 'phase' | 'seqLen' | 'batch' | 'lowering'>): ProblemSpec[] =>
  groupModelLayers(options).groups.map((g) => layerToProblem(g.layer, g.densities))


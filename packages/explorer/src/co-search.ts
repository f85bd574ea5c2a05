// Progressive co-search of one design (issue 6): `@snipsnap/search`'s progressiveCoSearch with the
// defaults wired in — the design's mapping space (`@snipsnap/mapspace`), the Sparseloop cost model
// (prepared once per formats) and the adaptive compression engine (`@snipsnap/compress`).
// Also computes the two one-sided baselines the joint result is compared with.
import type { AbortSignalLike } from '@snipsnap/search'
import { createRng, prepareCostModel, SnipSnapError, type CostModel, type CostModelContext, type CostQuery, type DensityModel, type DesignSpec, type EnergyAreaEstimator, type FormatPrimitive, type MappingSpec, type Registry, type SparseOptimizationsSpec } from '@snipsnap/core'
import { BASELINE_NEEDS, BASELINES, optimizeFormats, type PrimitiveId } from '@snipsnap/compress'
import { sparseloopCostModel } from '@snipsnap/cost'
import { createMapspace } from '@snipsnap/mapspace'
import { progressiveCoSearch, type AnySearchStrategy, type CoSearchStage1, type CoSearchStageReport, type CompressionEngine, type ProgressiveCoSearchResult } from '@snipsnap/search'
import { writeTimeloopMapping } from '@snipsnap/timeloop'
import { formatsOf, type TensorFormatChoice } from './formats-summary'
import { objectiveFromMapper, parseObjective, type ExplorerObjective, type MetricName } from './objectives'

/** Options of {@link coSearchDesign}. */
export interface CoSearchDesignOptions {
  readonly objective?: ExplorerObjective
  /** Evaluations of each dataflow search (stage 1 and every refinement round): its cap. */
  readonly dataflowEvaluations: number
  /**
   * Stopping rule of each dataflow search under the cap: stop after this many fresh valid
   * evaluations in a row without improvement. Default: none (each search runs to the cap).
   */
  readonly patience?: number
  /** Wall-time cap of each dataflow search (ms; needs `clock`): a budget in seconds, split fairly. */
  readonly dataflowWallTimeMs?: number
  /**
   * Budget-matched baselines to compute (default none): each runs the very same search as the
   * co-search (same stage 1, same budget, stopping rule, rounds and seeds) with only the format
   * choice changed — `dataflow-only`: formats fixed to the design's own; `bitmap`, `csr`, `coo`,
   * `rle`: that fixed format (per tensor and level, `@snipsnap/compress`'s baselines) for every
   * sparse tensor; `formats-only`: the compression engine on the dataflow-only result's mapping
   * (needs `dataflow-only`). With a dense design, `dataflow-only` equals the co-search exactly.
   */
  readonly matchedBaselines?: readonly MatchedBaselineName[]
  readonly seed?: number
  /** Strategy id for the dataflow searches (default `genetic`; `exhaustive` for small spaces). */
  readonly strategy?: string
  /** Options of that strategy (e.g. `@snipsnap/search`'s `AnnealingOptions`); its defaults when absent. */
  readonly strategyOptions?: unknown
  /** Independent starts of the stage-1 dataflow search, pooled (default 1; see `progressiveCoSearch`). */
  readonly stage1Starts?: number
  /** Stratified stage 1: every keep/bypass family screened, then the starts go deep in the best (see `progressiveCoSearch`; default false). */
  readonly stratify?: boolean
  /** Patience of each stratum's screening search (see `progressiveCoSearch`; default 32). */
  readonly strataPatience?: number
  /** Refinement rounds start from the incumbent's and stage 1's mappings (see `progressiveCoSearch`; default false). */
  readonly warmStart?: boolean
  /** Each dataflow search ends with a descent over the space's neighbours, within its cap (see `progressiveCoSearch`; default false). */
  readonly polish?: boolean
  readonly topM?: number
  readonly maxRounds?: number
  readonly epsilon?: number
  readonly clock?: () => number
  readonly signal?: AbortSignalLike
  readonly onStage?: (report: CoSearchStageReport) => void
  /**
   * Keep the design's own formats: only the dataflow is searched (no compression engine, no
   * refinement rounds). The formats-only baseline is skipped too.
   */
  readonly fixedFormats?: boolean
  /** Compute the formats-only baseline (default true; hardware search skips it to save time). */
  readonly formatsOnlyBaseline?: boolean
  /** Cost model id in the explorer's registry (default `sparseloop`). */
  readonly costModel?: string
  /**
   * Record the co-search's valid cost-model evaluations (`result.trace`): at most this many points
   * (an even subsample) and its best-so-far curve. Default 0: none.
   */
  readonly tracePoints?: number
  /** Limits of the compression engine's format space (default: every primitive, flattening allowed). */
  readonly formatSpace?: FormatSpaceLimits
}

/** What the co-search visited (for plots): a subsample of its valid points and its convergence. */
export interface CoSearchTrace {
  /** Valid evaluated designs (even subsample), in evaluation order, with the stage they belong to. */
  readonly points: readonly { readonly energyPJ: number; readonly cycles: number; readonly stage: string }[]
  /** Best first-objective energy so far after n cost-model evaluations, at each improvement and at the end. */
  readonly convergence: readonly { readonly evaluated: number; readonly bestEnergyPJ: number }[]
  /** Valid points before subsampling. */
  readonly validPoints: number
}

/**
 * Limits of the format space the compression engine searches: the primitives (by symbol, from the
 * format-primitive registry; `U` is required) and whether a level's ranks may be flattened. The
 * engine's fixed baselines are restricted to those the primitives can build.
 */
export interface FormatSpaceLimits {
  readonly primitives?: readonly string[]
  readonly flatten?: boolean
}

/**
 * Checks format-space limits against a format-primitive registry's symbols.
 * @throws {SnipSnapError} INVALID_SPEC naming the entry: an unknown symbol, a duplicate, or no `U`.
 */
export const checkFormatSpace = (limits: FormatSpaceLimits, formats: Registry<FormatPrimitive> | undefined, path: readonly (string | number)[] = ['formatSpace']): void => {
  if (limits.primitives === undefined) return
  const known = formats === undefined ? null : new Set(formats.list().map((p) => p.symbol))
  const seen = new Set<string>()
  limits.primitives.forEach((symbol, i) => {
    if (known !== null && !known.has(symbol)) {
      throw new SnipSnapError('INVALID_SPEC', `format primitive "${symbol}" is not in the format registry (known: ${[...known].join(', ')})`, { path: [...path, 'primitives', i] })
    }
    if (seen.has(symbol)) throw new SnipSnapError('INVALID_SPEC', `format primitive "${symbol}" is listed twice`, { path: [...path, 'primitives', i] })
    seen.add(symbol)
  })
  if (!seen.has('U')) throw new SnipSnapError('INVALID_SPEC', 'a format space needs the U primitive (outer ranks stay uncompressed with U)', { path: [...path, 'primitives'] })
}

/** A costed (mapping, formats) design, as plain data. */
export interface CoDesignSummary {
  readonly energyPJ: number
  readonly cycles: number
  readonly mappingYaml: string
  readonly mapping: MappingSpec
  readonly sparseOptimizations: SparseOptimizationsSpec
  readonly formats: readonly TensorFormatChoice[]
}

/** The budget-matched baselines {@link coSearchDesign} can compute. */
export type MatchedBaselineName = 'dataflow-only' | 'formats-only' | FixedFormatName
/** The fixed formats compared with the co-search (`@snipsnap/compress`'s baselines). */
export type FixedFormatName = 'bitmap' | 'csr' | 'coo' | 'rle'
export const FIXED_FORMATS: readonly FixedFormatName[] = ['bitmap', 'csr', 'coo', 'rle']
export const MATCHED_BASELINES: readonly MatchedBaselineName[] = ['dataflow-only', 'formats-only', ...FIXED_FORMATS]

/** One budget-matched baseline's outcome. */
export interface MatchedBaseline {
  readonly name: MatchedBaselineName
  /** Its best design (null when it found none). */
  readonly best: CoDesignSummary | null
  /**
   * For a fixed format: whether the best design uses it (false when the format fits no sparse
   * tensor of any searched dataflow, or the design has none: the best is then uncompressed).
   */
  readonly applied: boolean
  /** Cost-model evaluations of this baseline (the shared stage 1 included). */
  readonly evaluated: number
}

/** The outcome of {@link coSearchDesign}. */
export interface CoSearchDesignResult {
  readonly objective: readonly MetricName[]
  /**
   * Joint result (null when no valid mapping exists; `reason` says why). Never worse than a
   * baseline in the co-search's own space (dataflow-only, formats-only, each fixed format the
   * format space can build): their designs, and the engine's formats on their mappings, are
   * candidates too.
   */
  readonly best: CoDesignSummary | null
  /**
   * Where `best` was found: the co-search's own stages (`co-search`), or the run of the baseline
   * named (its design, or the engine's formats on its mapping).
   */
  readonly bestFrom: 'co-search' | MatchedBaselineName
  /** Dataflow-only: the best mapping under the design's own formats (stage 1). */
  readonly dataflowOnly: CoDesignSummary | null
  /**
   * Formats-only: the compression engine's formats for a fixed reference dataflow (the design's
   * own mapping when it has one, else a seeded valid sample of the space), nothing searched.
   */
  readonly formatsOnly: (CoDesignSummary & { readonly referenceMapping: 'design' | 'sample' }) | null
  /** With `tracePoints`: what the co-search visited. */
  readonly trace: CoSearchTrace | null
  /** The budget-matched baselines asked for (`matchedBaselines`), in that order. */
  readonly baselines: readonly MatchedBaseline[]
  readonly stages: readonly CoSearchStageReport[]
  readonly rounds: number
  readonly converged: boolean
  /** Cost-model evaluations of the co-search (baselines excluded). */
  readonly evaluated: number
  readonly reason: string | null
}

/** The registries the co-search and the whole-model exploration draw their plug-ins from. */
export interface ExplorerRegistries {
  readonly strategies: Registry<AnySearchStrategy>
  readonly densityModels: Registry<DensityModel>
  /** Format primitives the compression engine builds its candidates from; every stage resolves rank symbols through them. */
  readonly formats?: Registry<FormatPrimitive>
  /** Cost models, by id (default: the Sparseloop model alone). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly costModels?: Registry<CostModel<any>>
  /** Energy/area estimators hardware search builds ERT/ART from (default: the table estimator alone). */
  readonly estimators?: Registry<EnergyAreaEstimator>
}

/** A cost model chosen from the registries, with the context (registries) every model receives. */
export interface ResolvedCostModel {
  readonly model: CostModel<CostModelContext | undefined>
  readonly context: CostModelContext
}

/**
 * The cost model `id` (default `sparseloop`) from the registries, and the context it is called
 * with (the density and format registries).
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND naming the id and the registered models.
 */
export const resolveCostModel = (registries: ExplorerRegistries, id?: string): ResolvedCostModel => {
  const context: CostModelContext = { densityModels: registries.densityModels, ...(registries.formats === undefined ? {} : { formats: registries.formats }) }
  const wanted = id ?? 'sparseloop'
  if (registries.costModels === undefined) {
    if (wanted === sparseloopCostModel.id) return { model: sparseloopCostModel, context }
    throw new SnipSnapError('PLUGIN_NOT_FOUND', `unknown cost-model "${wanted}"; known: ${sparseloopCostModel.id}`, { path: ['costModel'] })
  }
  return { model: registries.costModels.get(wanted), context }
}

/**
 * The compression engine over the Sparseloop model, minimising total energy, with candidates built
 * from `formats` (a format-primitive registry such as `@snipsnap/format`'s) when given.
 */
export const createCompressionEngine = (
  densityModels: Registry<DensityModel>,
  formats?: Registry<FormatPrimitive>,
  limits: FormatSpaceLimits = {},
  cost: ResolvedCostModel = { model: sparseloopCostModel, context: { densityModels, ...(formats === undefined ? {} : { formats }) } },
): CompressionEngine => {
  const allowed = limits.primitives === undefined ? null : new Set(limits.primitives)
  const primitives = formats?.list().filter((p) => allowed === null || allowed.has(p.symbol))
  const engineOptions = {
    objective: 'energy' as const,
    ...(limits.flatten === undefined ? {} : { flatten: limits.flatten }),
    ...(allowed === null
      ? {}
      : {
          primitives: [...allowed] as PrimitiveId[],
          baselines: BASELINES.filter((b) => BASELINE_NEEDS[b].every((id) => allowed.has(id))),
        }),
  }
  return { selectFormats: (query) => selectWithEngine(query, cost, densityModels, primitives, engineOptions) }
}

/**
 * One run of the compression engine on a design, as a `CompressionEngine` answer: the selection,
 * or invalid with the reason (also when `check` rejects the selection). A design the engine cannot
 * handle (e.g. an unsupported SAF) is invalid with the engine's message, not a crash.
 */
const selectWithEngine = (
  query: CostQuery,
  cost: ResolvedCostModel,
  densityModels: Registry<DensityModel>,
  primitives: readonly FormatPrimitive[] | undefined,
  options: Parameters<typeof optimizeFormats>[0]['options'],
  check?: (selection: ReturnType<typeof optimizeFormats>) => string | null,
): ReturnType<CompressionEngine['selectFormats']> => {
  try {
    const selection = optimizeFormats({
      design: query,
      costModel: cost.model,
      costModelOptions: cost.context,
      densityModels,
      ...(primitives === undefined ? {} : { formatPrimitives: primitives }),
      ...(options === undefined ? {} : { options }),
    })
    const rejected = check?.(selection) ?? null
    if (rejected !== null) return { valid: false, reason: rejected }
    return selection.valid ? { valid: true, sparseOptimizations: selection.sparseOptimizations } : { valid: false, reason: selection.reason }
  } catch (error) {
    return { valid: false, reason: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * The fixed formats a format-primitive registry can build (each needs the primitives of
 * `@snipsnap/compress`'s baseline of that name, looked up by symbol); all four without a registry
 * (the engine's own primitives).
 */
export const fixedFormatsOf = (formats?: Registry<FormatPrimitive>): FixedFormatName[] => {
  if (formats === undefined) return [...FIXED_FORMATS]
  const symbols = new Set(formats.list().map((p) => p.symbol))
  return FIXED_FORMATS.filter((name) => BASELINE_NEEDS[name].every((symbol) => symbols.has(symbol)))
}

/**
 * An engine that applies one fixed format (`@snipsnap/compress`'s baseline of that name: bitmap,
 * CSR, COO or RLE over each sparse tensor's ranks at every level that keeps it) and nothing else,
 * built from the primitives of `formats` and costed by `cost` (default: the Sparseloop model with
 * the density and format registries), as the co-search itself is.
 * Invalid when the format is infeasible for the mapping (capacity, hardware rules).
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND when `formats` lacks a primitive the format needs.
 */
export const createFixedFormatEngine = (
  format: FixedFormatName,
  densityModels: Registry<DensityModel>,
  formats?: Registry<FormatPrimitive>,
  cost: ResolvedCostModel = { model: sparseloopCostModel, context: { densityModels, ...(formats === undefined ? {} : { formats }) } },
): CompressionEngine => {
  if (!fixedFormatsOf(formats).includes(format)) {
    const symbols = new Set(formats?.list().map((p) => p.symbol) ?? [])
    const missing = BASELINE_NEEDS[format].filter((symbol) => !symbols.has(symbol))
    throw new SnipSnapError(
      'PLUGIN_NOT_FOUND',
      `the fixed-format baseline "${format}" needs format primitive(s) ${missing.join(', ')}, which the format registry lacks (registered: ${[...symbols].join(', ')})`,
      { path: ['matchedBaselines'] },
    )
  }
  const primitives = formats?.list()
  return {
    selectFormats: (query) =>
      selectWithEngine(query, cost, densityModels, primitives, { objective: 'energy', baselines: [format], includeGiven: false, maxPasses: 0 }, (selection) => {
        const outcome = selection.baselines[0]
        return outcome === undefined || !outcome.feasible ? (outcome?.reason ?? `${format} is infeasible`) : null
      }),
  }
}

/**
 * Whether a baseline's designs lie in the co-search's own space: dataflow-only and formats-only
 * always; a fixed format when the format space's primitives can build it (never with fixed formats).
 */
export const inFormatSpace = (name: MatchedBaselineName, limits: FormatSpaceLimits | undefined, fixedFormats = false): boolean => {
  if (name === 'dataflow-only') return true
  if (fixedFormats) return false
  if (name === 'formats-only') return true
  const allowed = limits?.primitives
  return allowed === undefined || BASELINE_NEEDS[name].every((id) => allowed.includes(id))
}

const lexicographic = (objective: readonly MetricName[]) => (a: CoDesignSummary, b: CoDesignSummary): number => {
  for (const name of objective) {
    const x = name === 'energy' ? a.energyPJ : name === 'cycles' ? a.cycles : a.energyPJ * a.cycles
    const y = name === 'energy' ? b.energyPJ : name === 'cycles' ? b.cycles : b.energyPJ * b.cycles
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/**
 * The best of the co-search's own design and, per in-space baseline, its design and `reformat(its
 * design)` (the engine's formats on its mapping), under the lexicographic `objective`. Ties keep
 * the earlier candidate (the co-search's own first).
 */
export const adoptBaselineDesigns = (
  own: { readonly design: CoDesignSummary | null; readonly from: 'co-search' },
  baselines: readonly MatchedBaseline[],
  objective: readonly MetricName[],
  reformat: (design: CoDesignSummary) => CoDesignSummary | null,
): { readonly design: CoDesignSummary | null; readonly from: 'co-search' | MatchedBaselineName } => {
  const compare = lexicographic(objective)
  let best: { design: CoDesignSummary | null; from: 'co-search' | MatchedBaselineName } = own
  const consider = (design: CoDesignSummary | null, from: MatchedBaselineName): void => {
    if (design === null || !Number.isFinite(design.energyPJ)) return
    if (best.design === null || compare(design, best.design) < 0) best = { design, from }
  }
  for (const b of baselines) {
    if (b.best === null) continue
    consider(b.best, b.name)
    consider(reformat(b.best), b.name)
  }
  return best
}

const NO_FORMATS: CompressionEngine = { selectFormats: () => ({ valid: false, reason: 'formats are fixed' }) }

/**
 * Co-searches the dataflow and formats of `design` (its mapping, if any, serves only as the
 * formats-only reference).
 * @throws {SnipSnapError} INVALID_SPEC for a bad objective, strategy or budget, or an empty space.
 */
export const coSearchDesign = async (
  design: DesignSpec,
  options: CoSearchDesignOptions,
  registries: ExplorerRegistries,
): Promise<CoSearchDesignResult> => {
  if (!(options.dataflowEvaluations >= 1)) {
    throw new SnipSnapError('INVALID_SPEC', `dataflowEvaluations must be ≥ 1 (got ${options.dataflowEvaluations}): a zero budget cannot find a mapping`, { path: ['dataflowEvaluations'] })
  }
  const objective = options.objective !== undefined ? parseObjective(options.objective) : (objectiveFromMapper(design.mapper?.optimizationMetrics) ?? ['energy'])
  const { densityModels, formats } = registries
  const spaceFor = (sparseOptimizations: SparseOptimizationsSpec) =>
    createMapspace({ arch: design.arch, problem: design.problem, constraints: design.constraints, sparseOptimizations, options: { densities: densityModels, ...(formats === undefined ? {} : { formats }) } })
  const cost = resolveCostModel(registries, options.costModel)
  const prepareEvaluator = (query: Omit<CostQuery, 'mapping'>) => prepareCostModel(cost.model, query, cost.context)
  const fixed = options.fixedFormats === true
  if (options.formatSpace !== undefined) checkFormatSpace(options.formatSpace, registries.formats)
  // Fixed-format baselines come from the same format registry: one it cannot build is an error now, not after the search.
  for (const name of options.matchedBaselines ?? []) {
    if (name !== 'dataflow-only' && name !== 'formats-only') createFixedFormatEngine(name, densityModels, registries.formats, cost)
  }
  const compression: CompressionEngine = fixed ? NO_FORMATS : createCompressionEngine(densityModels, registries.formats, options.formatSpace, cost)
  const base = { arch: design.arch, problem: design.problem, sparseOptimizations: design.sparseOptimizations, energyTable: design.energyTable }
  const seed = options.seed ?? 1
  const strategy = registries.strategies.get(options.strategy ?? 'genetic')
  // Every run (the co-search and each matched baseline) is this same search; only the engine differs.
  const search = (
    engine: CompressionEngine,
    maxRounds: number | undefined,
    stage1?: CoSearchStage1,
    onStage?: (report: CoSearchStageReport) => void,
    evaluatorFor: typeof prepareEvaluator = prepareEvaluator,
  ): Promise<ProgressiveCoSearchResult> =>
    progressiveCoSearch({
      base,
      mapspace: spaceFor,
      costModel: cost.model,
      costModelOptions: cost.context,
      prepareEvaluator: evaluatorFor,
      compression: engine,
      strategy,
      ...(options.strategyOptions !== undefined ? { strategyOptions: options.strategyOptions } : {}),
      objectives: [...objective],
      dataflowBudget: { evaluations: options.dataflowEvaluations, ...(options.dataflowWallTimeMs !== undefined ? { wallTimeMs: options.dataflowWallTimeMs } : {}) },
      seed,
      ...(options.patience !== undefined ? { patience: options.patience } : {}),
      ...(stage1 !== undefined ? { stage1 } : {}),
      ...(options.topM !== undefined ? { topM: options.topM } : {}),
      ...(options.stage1Starts !== undefined ? { stage1Starts: options.stage1Starts } : {}),
      ...(options.warmStart !== undefined ? { warmStart: options.warmStart } : {}),
      ...(options.stratify !== undefined ? { stratify: options.stratify } : {}),
      ...(options.strataPatience !== undefined ? { strataPatience: options.strataPatience } : {}),
      ...(options.polish !== undefined ? { polish: options.polish } : {}),
      ...(maxRounds !== undefined ? { maxRounds } : {}),
      ...(options.epsilon !== undefined ? { epsilon: options.epsilon } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(onStage !== undefined ? { onStage } : {}),
    })
  // Trace: every cost-model call of the co-search run goes through its prepared evaluators.
  const tracing = (options.tracePoints ?? 0) > 0
  const visited: { energyPJ: number; cycles: number; stage: string }[] = []
  const convergence: { evaluated: number; bestEnergyPJ: number }[] = []
  let calls = 0
  let pending = 0
  const onStage = (r: CoSearchStageReport): void => {
    for (let i = visited.length - pending; i < visited.length; i++) {
      const v = visited[i]
      if (v !== undefined) v.stage = r.stage
    }
    pending = 0
    options.onStage?.(r)
  }
  const tracedEvaluator = tracing
    ? (query: Omit<CostQuery, 'mapping'>) => {
        const evaluate = prepareEvaluator(query)
        return (mapping: MappingSpec) => {
          const report = evaluate(mapping)
          calls++
          if (report.valid) {
            visited.push({ energyPJ: report.energyPJ, cycles: report.cycles, stage: '' })
            pending++
            const best = convergence.at(-1)?.bestEnergyPJ ?? Number.POSITIVE_INFINITY
            if (report.energyPJ < best) convergence.push({ evaluated: calls, bestEnergyPJ: report.energyPJ })
          }
          return report
        }
      }
    : null
  const result = await search(compression, fixed ? 0 : options.maxRounds, undefined, tracing ? onStage : options.onStage, tracedEvaluator ?? undefined)
  let trace: CoSearchTrace | null = null
  if (tracing) {
    const cap = options.tracePoints ?? 0
    const stride = Math.max(1, Math.ceil(visited.length / cap))
    const last = convergence.at(-1)
    trace = {
      points: visited.filter((_, i) => i % stride === 0).map((v) => ({ ...v, stage: v.stage === '' ? 'unfinished' : v.stage })),
      convergence: last !== undefined && last.evaluated !== calls ? [...convergence, { evaluated: calls, bestEnergyPJ: last.bestEnergyPJ }] : convergence,
      validPoints: visited.length,
    }
  }
  const summary = (p: { mapping: MappingSpec; sparseOptimizations: SparseOptimizationsSpec; metrics: Readonly<Record<string, number>> } | null): CoDesignSummary | null =>
    p === null
      ? null
      : {
          energyPJ: p.metrics['energy'] ?? Number.NaN,
          cycles: p.metrics['cycles'] ?? Number.NaN,
          mappingYaml: writeTimeloopMapping(p.mapping, design),
          mapping: p.mapping,
          sparseOptimizations: p.sparseOptimizations,
          formats: formatsOf(p.sparseOptimizations, { arch: design.arch, problem: design.problem, mapping: p.mapping }),
        }

  // Formats-only baseline: the engine on a fixed, unsearched dataflow.
  let formatsOnly: CoSearchDesignResult['formatsOnly'] = null
  const reference: { mapping: MappingSpec; from: 'design' | 'sample' } | null = fixed || options.formatsOnlyBaseline === false
    ? null
    : design.mapping !== null
    ? { mapping: design.mapping, from: 'design' }
    : (() => {
        const drawn = spaceFor(design.sparseOptimizations).sampleValid(createRng(seed).fork('formats-only'), 256)
        return drawn.ok ? { mapping: drawn.mapping, from: 'sample' as const } : null
      })()
  if (reference !== null && !fixed) {
    const choice = compression.selectFormats({ ...base, mapping: reference.mapping })
    const formats = choice.valid ? choice.sparseOptimizations : design.sparseOptimizations
    const report = prepareEvaluator({ ...base, sparseOptimizations: formats })(reference.mapping)
    if (report.valid) {
      const s = summary({ mapping: reference.mapping, sparseOptimizations: formats, metrics: { energy: report.energyPJ, cycles: report.cycles } })
      if (s !== null) formatsOnly = { ...s, referenceMapping: reference.from }
    }
  }
  // Budget-matched baselines: the same search with another engine, stage 1 shared.
  const baselines: MatchedBaseline[] = []
  const wanted = options.matchedBaselines ?? []
  const designFormatsKey = JSON.stringify(design.sparseOptimizations)
  let matchedDataflowOnly: MatchedBaseline | null = null
  for (const name of MATCHED_BASELINES) {
    if (!wanted.includes(name) || name === 'formats-only') continue
    if (options.signal?.aborted === true) break
    const engine = name === 'dataflow-only' ? NO_FORMATS : createFixedFormatEngine(name, densityModels, registries.formats, cost)
    const run = await search(engine, options.maxRounds, result.stage1)
    const best = summary(run.best)
    const baseline: MatchedBaseline = {
      name,
      best,
      applied: name !== 'dataflow-only' && run.best !== null && JSON.stringify(run.best.sparseOptimizations) !== designFormatsKey,
      evaluated: run.evaluated,
    }
    if (name === 'dataflow-only') matchedDataflowOnly = baseline
    baselines.push(baseline)
  }
  if (wanted.includes('formats-only') && matchedDataflowOnly?.best != null && options.signal?.aborted !== true) {
    // The engine's formats on the dataflow that dataflow-only found with the same budget.
    const mapping = matchedDataflowOnly.best.mapping
    const choice = compression.selectFormats({ ...base, mapping })
    const formats = choice.valid ? choice.sparseOptimizations : design.sparseOptimizations
    const report = prepareEvaluator({ ...base, sparseOptimizations: formats })(mapping)
    baselines.push({
      name: 'formats-only',
      best: report.valid ? summary({ mapping, sparseOptimizations: formats, metrics: { energy: report.energyPJ, cycles: report.cycles } }) : null,
      applied: choice.valid,
      evaluated: matchedDataflowOnly.evaluated + 1,
    })
  }
  const order = (n: MatchedBaselineName): number => wanted.indexOf(n)
  baselines.sort((a, b) => order(a.name) - order(b.name))
  // The co-search's space holds every in-space baseline's design (its mapping with its formats)
  // and the engine's formats on that mapping: it considers them too, so it never loses to one.
  const joint = adoptBaselineDesigns(
    { design: summary(result.best), from: 'co-search' },
    baselines.filter((b) => inFormatSpace(b.name, options.formatSpace, fixed)),
    objective,
    (b) => {
      const choice = compression.selectFormats({ ...base, sparseOptimizations: b.sparseOptimizations, mapping: b.mapping })
      if (!choice.valid) return null
      const report = prepareEvaluator({ ...base, sparseOptimizations: choice.sparseOptimizations })(b.mapping)
      return report.valid ? summary({ mapping: b.mapping, sparseOptimizations: choice.sparseOptimizations, metrics: { energy: report.energyPJ, cycles: report.cycles } }) : null
    },
  )
  if (trace !== null && joint.from !== 'co-search' && joint.design !== null) {
    // The adopted design ends the convergence curve, after the baselines' own evaluations.
    const stage1 = result.stages[0]?.evaluated ?? 0
    const extra = baselines.reduce((s, b) => s + (b.name === 'formats-only' ? 1 : Math.max(0, b.evaluated - stage1)), 0)
    trace = { ...trace, convergence: [...trace.convergence, { evaluated: calls + extra, bestEnergyPJ: joint.design.energyPJ }] }
  }
  return {
    objective,
    best: joint.design,
    bestFrom: joint.from,
    dataflowOnly: summary(result.dataflowOnly),
    formatsOnly,
    trace,
    baselines,
    stages: result.stages,
    rounds: result.rounds,
    converged: result.converged,
    evaluated: result.evaluated,
    reason: result.reason,
  }
}

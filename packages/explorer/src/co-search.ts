// Progressive co-search of one design (issue 6): `@snipsnap/search`'s progressiveCoSearch with the
// defaults wired in — the design's mapping space (`@snipsnap/mapspace`), the Sparseloop cost model
// (prepared once per formats) and the adaptive compression engine (`@snipsnap/compress`).
// Also computes the two one-sided baselines the joint result is compared with.
import type { AbortSignalLike } from '@snipsnap/search'
import { createRng, prepareCostModel, SnipSnapError, type CostModel, type CostModelContext, type CostQuery, type DensityModel, type DesignSpec, type FormatPrimitive, type MappingSpec, type Registry, type SparseOptimizationsSpec } from '@snipsnap/core'
import { BASELINE_NEEDS, BASELINES, optimizeFormats, type PrimitiveId } from '@snipsnap/compress'
import { sparseloopCostModel } from '@snipsnap/cost'
import { createMapspace } from '@snipsnap/mapspace'
import { progressiveCoSearch, type AnySearchStrategy, type CoSearchStageReport, type CompressionEngine } from '@snipsnap/search'
import { writeTimeloopMapping } from '@snipsnap/timeloop'
import { formatsOf, type TensorFormatChoice } from './formats-summary'
import { objectiveFromMapper, parseObjective, type ExplorerObjective, type MetricName } from './objectives'

/** Options of {@link coSearchDesign}. */
export interface CoSearchDesignOptions {
  readonly objective?: ExplorerObjective
  /** Evaluations of each dataflow search (stage 1 and every refinement round). */
  readonly dataflowEvaluations: number
  readonly seed?: number
  /** Strategy id for the dataflow searches (default `genetic`; `exhaustive` for small spaces). */
  readonly strategy?: string
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
  /** Limits of the compression engine's format space (default: every primitive, flattening allowed). */
  readonly formatSpace?: FormatSpaceLimits
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

/** The outcome of {@link coSearchDesign}. */
export interface CoSearchDesignResult {
  readonly objective: readonly MetricName[]
  /** Joint result (null when no valid mapping exists; `reason` says why). */
  readonly best: CoDesignSummary | null
  /** Dataflow-only: the best mapping under the design's own formats (stage 1). */
  readonly dataflowOnly: CoDesignSummary | null
  /**
   * Formats-only: the compression engine's formats for a fixed reference dataflow (the design's
   * own mapping when it has one, else a seeded valid sample of the space), nothing searched.
   */
  readonly formatsOnly: (CoDesignSummary & { readonly referenceMapping: 'design' | 'sample' }) | null
  readonly stages: readonly CoSearchStageReport[]
  readonly rounds: number
  readonly converged: boolean
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
  return {
  selectFormats: (query: CostQuery) => {
    try {
      const selection = optimizeFormats({
        design: query,
        costModel: cost.model,
        costModelOptions: cost.context,
        densityModels,
        ...(primitives === undefined ? {} : { formatPrimitives: primitives }),
        options: engineOptions,
      })
      return selection.valid ? { valid: true, sparseOptimizations: selection.sparseOptimizations } : { valid: false, reason: selection.reason }
    } catch (error) {
      // A design the engine cannot handle (e.g. an unsupported SAF) keeps its formats.
      return { valid: false, reason: error instanceof Error ? error.message : String(error) }
    }
  },
  }
}

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
  const compression: CompressionEngine = fixed
    ? { selectFormats: () => ({ valid: false, reason: 'formats are fixed' }) }
    : createCompressionEngine(densityModels, registries.formats, options.formatSpace, cost)
  const base = { arch: design.arch, problem: design.problem, sparseOptimizations: design.sparseOptimizations, energyTable: design.energyTable }
  const seed = options.seed ?? 1
  const result = await progressiveCoSearch({
    base,
    mapspace: spaceFor,
    costModel: cost.model,
    costModelOptions: cost.context,
    prepareEvaluator,
    compression,
    strategy: registries.strategies.get(options.strategy ?? 'genetic'),
    objectives: [...objective],
    dataflowBudget: { evaluations: options.dataflowEvaluations },
    seed,
    ...(options.topM !== undefined ? { topM: options.topM } : {}),
    ...(fixed ? { maxRounds: 0 } : options.maxRounds !== undefined ? { maxRounds: options.maxRounds } : {}),
    ...(options.epsilon !== undefined ? { epsilon: options.epsilon } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onStage !== undefined ? { onStage: options.onStage } : {}),
  })
  const summary = (p: { mapping: MappingSpec; sparseOptimizations: SparseOptimizationsSpec; metrics: Readonly<Record<string, number>> } | null): CoDesignSummary | null =>
    p === null
      ? null
      : {
          energyPJ: p.metrics['energy'] ?? Number.NaN,
          cycles: p.metrics['cycles'] ?? Number.NaN,
          mappingYaml: writeTimeloopMapping(p.mapping, design),
          mapping: p.mapping,
          sparseOptimizations: p.sparseOptimizations,
          formats: formatsOf(p.sparseOptimizations),
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
  return {
    objective,
    best: summary(result.best),
    dataflowOnly: summary(result.dataflowOnly),
    formatsOnly,
    stages: result.stages,
    rounds: result.rounds,
    converged: result.converged,
    evaluated: result.evaluated,
    reason: result.reason,
  }
}

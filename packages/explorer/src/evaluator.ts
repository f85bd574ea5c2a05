// The per-design mapping evaluator as a module a worker thread can import
// (`@snipsnap/explorer/evaluator`, for `@snipsnap/search/node`'s worker pool): cheap mapspace check
// first, then the cost model. The same function serves in-process searches, so a search gives the
// same result whatever runs its evaluations. Plug-ins reach the workers as module specifiers: each
// worker imports them and registers their parts next to the built-ins, as the parent did.
import {
  createRegistry,
  parsePlugin,
  prepareCostModel,
  registerPlugin,
  SnipSnapError,
  type CostModel,
  type CostModelContext,
  type DensityModel,
  type DesignSpec,
  type FormatPrimitive,
  type MappingSpec,
  type Registry,
} from '@snipsnap/core'
import { createDensityRegistry, sparseloopCostModel } from '@snipsnap/cost'
import { createFormatRegistry } from '@snipsnap/format'
import { createMapspace, type Mapspace } from '@snipsnap/mapspace'
import type { Evaluation } from '@snipsnap/search'

/** Options of {@link createEvaluator}: structured-cloneable, so they can cross to a worker. */
export interface DesignEvaluatorOptions {
  /** Arch, problem, formats/SAFs, energy table and constraints; the mapping is ignored. */
  readonly design: DesignSpec
  /**
   * Plug-in modules (`file:` URLs or bare specifiers of ES modules exporting a `definePlugin`
   * bundle) each worker imports and registers next to the built-in formats, density models and
   * cost models: the modules the parent loaded with `--plugin` or handed to `registerPlugin`.
   */
  readonly plugins?: readonly string[]
  /** Cost model id (default `sparseloop`), from the built-ins plus the plug-ins. */
  readonly costModel?: string
}

/** Registries and cost model of {@link createDesignEvaluator} (defaults: the built-ins, Sparseloop). */
export interface DesignEvaluatorContext {
  readonly densityModels?: Registry<DensityModel>
  /** Format primitives every rank symbol resolves through (default: Sparseloop's six). */
  readonly formats?: Registry<FormatPrimitive>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly costModels?: Registry<CostModel<any>>
  /** Cost model id in `costModels` (default `sparseloop`). */
  readonly costModel?: string
  /** The searching space (its instance memoises verdicts of the mappings it decoded). */
  readonly space?: Mapspace
}

/**
 * `(mapping) => Evaluation` with metrics `energy` (pJ), `cycles` and `edp`; an infeasible mapping
 * (cheap check or cost model) is `{ ok: false, reason }`.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for a cost model id that is not registered.
 */
export const createDesignEvaluator = (design: DesignSpec, context: DesignEvaluatorContext = {}): ((mapping: MappingSpec) => Evaluation) => {
  const densityModels = context.densityModels ?? createDensityRegistry()
  const formats = context.formats
  const space =
    context.space ??
    createMapspace({
      arch: design.arch,
      problem: design.problem,
      constraints: design.constraints,
      sparseOptimizations: design.sparseOptimizations,
      options: { densities: densityModels, ...(formats === undefined ? {} : { formats }) },
    })
  const id = context.costModel ?? sparseloopCostModel.id
  const model = (context.costModels === undefined && id === sparseloopCostModel.id
    ? sparseloopCostModel
    : (context.costModels ?? createRegistry<CostModel<unknown>>('cost-model', [sparseloopCostModel])).get(id)) as CostModel<CostModelContext | undefined>
  const costContext: CostModelContext = { densityModels, ...(formats === undefined ? {} : { formats }) }
  // Models with a `prepare` capability (Sparseloop) prepare the mapping-independent half once.
  const cost = prepareCostModel(model, design, costContext)
  return (mapping) => {
    const verdict = space.check(mapping)
    if (!verdict.ok) return { ok: false, reason: verdict.reason }
    const report = cost(mapping)
    if (!report.valid) return { ok: false, reason: report.reason }
    return { ok: true, metrics: { energy: report.energyPJ, cycles: report.cycles, edp: report.energyPJ * report.cycles } }
  }
}

/**
 * Imports a plug-in module. A TypeScript file Node cannot load itself (a workspace plug-in's
 * source, when the workers run built code) is loaded through `tsx` when it is installed.
 */
const importPlugin = async (specifier: string): Promise<unknown> => {
  try {
    return await import(/* @vite-ignore */ specifier)
  } catch (error) {
    if (!/\.[cm]?tsx?$/.test(specifier) || (error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error
  }
  const tsxApi = 'tsx/esm/api' // not a literal import: bundles must not include tsx
  const api = (await import(/* @vite-ignore */ tsxApi)) as { tsImport: (specifier: string, parent: string) => Promise<unknown> }
  return api.tsImport(specifier, specifier)
}

/**
 * Registries of the built-ins plus the parts of the plug-in modules `plugins` (imported in order).
 * @throws {SnipSnapError} IO_ERROR for a module that cannot be imported, INVALID_SPEC for one that
 *   exports no plug-in, PLUGIN_DUPLICATE for an id or symbol already registered.
 */
export const loadPluginRegistries = async (
  plugins: readonly string[] = [],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ formats: Registry<FormatPrimitive>; densityModels: Registry<DensityModel>; costModels: Registry<CostModel<any>> }> => {
  const registries = {
    formats: createFormatRegistry(),
    densityModels: createDensityRegistry(),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    costModels: createRegistry<CostModel<any>>('cost-model', [sparseloopCostModel]),
    // Search strategies do not run in an evaluator; a plug-in's strategies are registered here and unused.
    strategies: createRegistry<{ readonly id: string }>('strategy'),
  }
  for (const specifier of plugins) {
    let loaded: unknown
    try {
      loaded = await importPlugin(specifier)
    } catch (error) {
      throw new SnipSnapError('IO_ERROR', `plug-in ${specifier}: cannot load it: ${error instanceof Error ? error.message : String(error)}`, { path: ['plugins'], cause: error })
    }
    registerPlugin(parsePlugin(loaded, specifier), registries as Parameters<typeof registerPlugin>[1])
  }
  return { formats: registries.formats, densityModels: registries.densityModels, costModels: registries.costModels }
}

/** Worker-pool entry point (see `@snipsnap/search/node`'s `createWorkerPool`): loads `plugins`, then evaluates with `costModel`. */
export const createEvaluator = async (options: DesignEvaluatorOptions): Promise<(mapping: MappingSpec) => Evaluation> => {
  const registries = await loadPluginRegistries(options.plugins)
  return createDesignEvaluator(options.design, { ...registries, ...(options.costModel === undefined ? {} : { costModel: options.costModel }) })
}

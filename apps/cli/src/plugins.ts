// `--plugin <module>`, `--cost-model <id>` and `--estimator <id>`: loads plug-in bundles (`definePlugin` from
// @snipsnap/core) from a package folder or an ES module file, and builds the registries every
// stage resolves symbols and ids through. Imported only by commands given one of these options.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  createRegistry,
  parsePlugin,
  registerPlugin,
  SnipSnapError,
  type AnySearchStrategy,
  type CostModel,
  type CostModelContext,
  type DensityModel,
  type EnergyAreaEstimator,
  type FormatPrimitive,
  type Registry,
  type SnipSnapPlugin,
} from '@snipsnap/core'
import { createDensityRegistry, sparseloopCostModel } from '@snipsnap/cost'
import { createEstimatorRegistry } from '@snipsnap/explorer'
import { createFormatRegistry } from '@snipsnap/format'
import { createStrategyRegistry } from '@snipsnap/search'

export type { PluginCliOptions } from './commands/plugin-options'

/** The registries of one run: the built-ins plus every loaded plug-in's parts. */
export interface CliRegistries {
  readonly formats: Registry<FormatPrimitive>
  readonly densityModels: Registry<DensityModel>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly costModels: Registry<CostModel<any>>
  readonly strategies: Registry<AnySearchStrategy>
  readonly estimators: Registry<EnergyAreaEstimator>
  readonly plugins: readonly SnipSnapPlugin[]
  /** The loaded plug-in modules as `file:` URLs, in order: what worker threads import to register the same parts. */
  readonly pluginModules: readonly string[]
}

/** The file a `--plugin` value names: a file, or a package folder's `exports['.']` / `main`. */
const entryOf = (spec: string, cwd: string): string => {
  const path = resolve(cwd, spec)
  if (!existsSync(path)) throw new SnipSnapError('IO_ERROR', `--plugin ${spec}: no such file or folder`, { path: ['--plugin'] })
  if (!statSync(path).isDirectory()) return path
  const manifest = join(path, 'package.json')
  if (!existsSync(manifest)) return join(path, 'index.js')
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; main?: string; exports?: unknown }
  const dot = typeof pkg.exports === 'object' && pkg.exports !== null ? (pkg.exports as Record<string, unknown>)['.'] : pkg.exports
  const target =
    typeof dot === 'string' ? dot : typeof dot === 'object' && dot !== null ? ((dot as Record<string, unknown>)['import'] ?? (dot as Record<string, unknown>)['default']) : pkg.main
  const entry = join(path, typeof target === 'string' ? target : 'index.js')
  if (!existsSync(entry)) throw new SnipSnapError('IO_ERROR', `--plugin ${spec}: its entry ${entry} does not exist (build it first?)`, { path: ['--plugin'] })
  return entry
}

/**
 * Imports a plug-in module. A TypeScript entry (a workspace plug-in's source) that Node cannot
 * load itself is loaded through `tsx` when it is installed (as in this repository); otherwise the
 * plug-in must be built to JavaScript first.
 */
const importModule = async (entry: string, spec: string): Promise<unknown> => {
  const url = pathToFileURL(entry).href
  try {
    return await import(url)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (!/\.[cm]?tsx?$/.test(entry) || code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error
  }
  const tsxApi = 'tsx/esm/api' // not a literal import: the CLI bundle must not include tsx
  let api: { tsImport: (specifier: string, parent: string) => Promise<unknown> }
  try {
    api = (await import(tsxApi)) as typeof api
  } catch {
    throw new SnipSnapError('IO_ERROR', `--plugin ${spec}: ${entry} is TypeScript; build the plug-in to JavaScript first (tsx is not installed to load it directly)`, { path: ['--plugin'] })
  }
  return api.tsImport(url, import.meta.url)
}

/**
 * Loads the `--plugin` modules and registers their parts next to the built-ins.
 * @throws {SnipSnapError} IO_ERROR for a missing or unbuilt module, INVALID_SPEC for a module that
 *   exports no plug-in, PLUGIN_DUPLICATE for an id or symbol already registered.
 */
export const loadRegistries = async (specs: readonly string[] = [], cwd = process.cwd()): Promise<CliRegistries> => {
  const registries = {
    formats: createFormatRegistry(),
    densityModels: createDensityRegistry(),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    costModels: createRegistry<CostModel<any>>('cost-model', [sparseloopCostModel]),
    strategies: createStrategyRegistry(),
    estimators: createEstimatorRegistry(),
  }
  const plugins: SnipSnapPlugin[] = []
  const pluginModules: string[] = []
  for (const spec of specs) {
    const entry = entryOf(spec, cwd)
    let loaded: unknown
    try {
      loaded = await importModule(entry, spec)
    } catch (error) {
      if (error instanceof SnipSnapError) throw error
      throw new SnipSnapError('IO_ERROR', `--plugin ${spec}: cannot load ${entry}: ${error instanceof Error ? error.message : String(error)}`, { path: ['--plugin'], cause: error })
    }
    const plugin = parsePlugin(loaded, spec)
    registerPlugin(plugin, registries)
    plugins.push(plugin)
    pluginModules.push(pathToFileURL(entry).href)
  }
  return { ...registries, plugins, pluginModules }
}

/** The cost model `--cost-model` names (default sparseloop) and the context it is called with. */
export const costModelOf = (
  registries: CliRegistries,
  id: string | undefined,
): { readonly model: CostModel<CostModelContext | undefined>; readonly context: CostModelContext } => {
  const model = registries.costModels.get(id ?? 'sparseloop') as CostModel<CostModelContext | undefined>
  return { model, context: { densityModels: registries.densityModels, formats: registries.formats } }
}

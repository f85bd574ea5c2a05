// One helper to bundle plug-ins of every kind into a module that tools load by path (the CLI's
// `--plugin <module>`): format primitives, density models, cost models, search strategies and
// energy/area estimators.
// `definePlugin` types it, `parsePlugin` checks a loaded module's export at the edge, and
// `registerPlugin` adds its parts to the registries a composition root hands to every stage.
import { SnipSnapError } from './errors'
import type { CostModel } from './cost'
import type { DensityModel } from './density'
import type { EnergyAreaEstimator } from './estimator'
import type { FormatPrimitive } from './format'
import type { Registry } from './registry'
import type { AnySearchStrategy } from './search'

/** A bundle of plug-ins (each part optional). */
export interface SnipSnapPlugin {
  /** Kebab-case name of the bundle, used in messages. */
  readonly id: string
  readonly description?: string
  readonly formats?: readonly FormatPrimitive[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly densityModels?: readonly DensityModel<any>[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly costModels?: readonly CostModel<any>[]
  readonly strategies?: readonly AnySearchStrategy[]
  /** Energy/area estimators for hardware search (`snipsnap codesign --estimator <id>`). */
  readonly estimators?: readonly EnergyAreaEstimator[]
}

/** The registries a plug-in's parts go into (any subset). */
export interface PluginRegistries {
  readonly formats?: Registry<FormatPrimitive>
  readonly densityModels?: Registry<DensityModel>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly costModels?: Registry<CostModel<any>>
  readonly strategies?: Registry<AnySearchStrategy>
  readonly estimators?: Registry<EnergyAreaEstimator>
}

/**
 * Identity helper that types a plug-in bundle; export it as the module's default export.
 * @example export default definePlugin({ id: 'nmx', formats: [nmxPrimitive] })
 */
export const definePlugin = (plugin: SnipSnapPlugin): SnipSnapPlugin => plugin

const PARTS = ['formats', 'densityModels', 'costModels', 'strategies', 'estimators'] as const
const NEEDS: Readonly<Record<(typeof PARTS)[number], readonly string[]>> = {
  formats: ['id', 'symbol', 'encode', 'decode', 'metadataUnits', 'slotUnits', 'defaultWordBits'],
  densityModels: ['id', 'create'],
  costModels: ['id', 'supports', 'evaluate'],
  strategies: ['id'],
  estimators: ['id', 'supports', 'estimate'],
}

/**
 * Reads a loaded module (its `default` export, or a named `plugin` export, or the module itself)
 * as a plug-in, checking every part's shape.
 * @throws {SnipSnapError} INVALID_SPEC naming `source` and the offending field.
 */
export const parsePlugin = (loaded: unknown, source: string): SnipSnapPlugin => {
  const module = loaded as Record<string, unknown> | null
  const candidate = (module?.['default'] ?? module?.['plugin'] ?? module) as Record<string, unknown> | null | undefined
  const bad = (message: string, path: (string | number)[]): never => {
    throw new SnipSnapError('INVALID_SPEC', `plug-in ${source}: ${message}`, { path: ['plugin', ...path] })
  }
  if (candidate === null || typeof candidate !== 'object') return bad('exports no plug-in (export default definePlugin({ … }))', [])
  if (typeof candidate['id'] !== 'string' || candidate['id'] === '') return bad('needs a string `id`', ['id'])
  let parts = 0
  for (const part of PARTS) {
    const list = candidate[part]
    if (list === undefined) continue
    if (!Array.isArray(list)) return bad(`\`${part}\` must be an array`, [part])
    list.forEach((item: unknown, i) => {
      const entry = item as Record<string, unknown> | null
      if (entry === null || typeof entry !== 'object') return bad(`${part}[${i}] is not an object`, [part, i])
      for (const field of NEEDS[part]) {
        if (entry[field] === undefined) bad(`${part}[${i}] lacks \`${field}\``, [part, i, field])
      }
    })
    parts += list.length
  }
  if (parts === 0) return bad(`has no formats, densityModels, costModels, strategies or estimators`, [])
  return candidate as unknown as SnipSnapPlugin
}

/**
 * Registers every part of `plugin` in the matching registry.
 * @throws {SnipSnapError} PLUGIN_DUPLICATE when an id is taken; INVALID_SPEC when the plug-in has
 *   parts of a kind no registry was given for, or a format symbol is already registered.
 */
export const registerPlugin = (plugin: SnipSnapPlugin, registries: PluginRegistries): void => {
  for (const part of PARTS) {
    const list = plugin[part] ?? []
    if (list.length === 0) continue
    const registry = registries[part] as Registry<{ readonly id: string }> | undefined
    if (registry === undefined) {
      throw new SnipSnapError('INVALID_SPEC', `plug-in ${plugin.id} brings ${part}, which this tool does not use`, { path: ['plugin', part] })
    }
    for (const item of list) {
      if (part === 'formats') {
        const symbol = (item as FormatPrimitive).symbol
        const clash = (registry as Registry<FormatPrimitive>).list().find((f) => f.symbol === symbol)
        if (clash !== undefined) {
          throw new SnipSnapError('PLUGIN_DUPLICATE', `plug-in ${plugin.id}: format symbol ${symbol} is already registered (by ${clash.id})`, { path: ['plugin', 'formats'] })
        }
      }
      registry.register(item)
    }
  }
}

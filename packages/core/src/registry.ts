// Explicit plug-in registries (house style §6): created and passed in, never global; duplicate
// ids throw instead of warning (the TF.js anti-pattern), unknown ids list the known ones.
import { SnipSnapError } from './errors'

/** Identity every plug-in carries. `id` is kebab-case and unique per kind. */
export interface PluginMeta {
  readonly id: string
  readonly description?: string
}

export interface Registry<TPlugin extends PluginMeta> {
  /** The kind of plug-in held, e.g. `format-primitive`; used in messages. */
  readonly kind: string
  /** Adds a plug-in. @throws {SnipSnapError} PLUGIN_DUPLICATE when the id is taken. */
  register(plugin: TPlugin): Registry<TPlugin>
  /** @throws {SnipSnapError} PLUGIN_NOT_FOUND listing the known ids. */
  get(id: string): TPlugin
  has(id: string): boolean
  /** Plug-ins in registration order. */
  list(): readonly TPlugin[]
}

const ID_PATTERN = /^[a-z0-9]+(?:[-:.][a-z0-9]+)*$/

/**
 * Creates an empty registry for one kind of plug-in.
 * @example const formats = createRegistry<FormatPrimitive>('format-primitive').register(uop)
 */
export const createRegistry = <TPlugin extends PluginMeta>(
  kind: string,
  initial: readonly TPlugin[] = [],
): Registry<TPlugin> => {
  const byId = new Map<string, TPlugin>()
  const registry: Registry<TPlugin> = {
    kind,
    register(plugin) {
      if (!ID_PATTERN.test(plugin.id)) {
        throw new SnipSnapError(
          'INVALID_SPEC',
          `${kind} id "${plugin.id}" must be kebab-case (lower-case letters, digits, dashes)`,
          { path: ['id'] },
        )
      }
      if (byId.has(plugin.id)) {
        throw new SnipSnapError('PLUGIN_DUPLICATE', `${kind} "${plugin.id}" is already registered`)
      }
      byId.set(plugin.id, plugin)
      return registry
    },
    get(id) {
      const found = byId.get(id)
      if (found === undefined) {
        const known = [...byId.keys()].join(', ') || '(none)'
        throw new SnipSnapError('PLUGIN_NOT_FOUND', `unknown ${kind} "${id}"; known: ${known}`)
      }
      return found
    },
    has: (id) => byId.has(id),
    list: () => [...byId.values()],
  }
  for (const plugin of initial) registry.register(plugin)
  return registry
}

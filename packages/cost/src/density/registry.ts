// The built-in density models in an explicit registry (house style §6: created, never global),
// the id aliases used by Sparseloop specs, and a one-call way to instantiate a DensitySpec.
import {
  createRegistry,
  type DensityModel,
  type DensityModelInstance,
  type DensitySpec,
  type Registry,
} from '@snipsnap/core'

import { actualDataDensityModel } from './actual-data'
import { bandedDensityModel } from './banded'
import { blockDensityModel } from './block'
import { fixedStructuredDensityModel } from './fixed-structured'
import { hypergeometricDensityModel } from './hypergeometric'
import { nmDensityModel } from './n-m'

/** Every built-in density model, in registration order. */
export const builtinDensityModels: readonly DensityModel[] = [
  fixedStructuredDensityModel as DensityModel,
  hypergeometricDensityModel as DensityModel,
  bandedDensityModel as DensityModel,
  nmDensityModel as unknown as DensityModel,
  blockDensityModel as unknown as DensityModel,
  actualDataDensityModel as unknown as DensityModel,
]

/**
 * Alternative spellings of the built-in ids, as written in Sparseloop YAML or older specs. The
 * registry holds only canonical ids; {@link resolveDensityModelId} maps an alias to its id.
 */
export const DENSITY_MODEL_ALIASES: Readonly<Record<string, string>> = {
  fixed: 'fixed-structured',
  fixed_structured: 'fixed-structured',
  uniform: 'hypergeometric',
  diagonal: 'banded',
  nm: 'n-m',
  'n:m': 'n-m',
  structured: 'n-m',
  'real-data': 'actual-data',
  actual_data: 'actual-data',
  measured: 'actual-data',
}

/** The canonical id for an id or alias (`fixed` → `fixed-structured`); unknown ids pass through. */
export const resolveDensityModelId = (id: string): string => DENSITY_MODEL_ALIASES[id] ?? id

/**
 * A new registry holding every built-in density model.
 * @example const densities = createDensityRegistry(); densities.get('hypergeometric')
 */
export const createDensityRegistry = (): Registry<DensityModel> =>
  createRegistry<DensityModel>('density-model', builtinDensityModels)

/**
 * Instantiates a tensor's {@link DensitySpec} from a registry, resolving aliases.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unknown model id; INVALID_SPEC for bad parameters.
 * @example createDensityInstance({ registry: createDensityRegistry(), spec: { distribution: 'fixed', density: 0.5, params: {} }, tensorShape: [64, 64] })
 */
export const createDensityInstance = (options: {
  readonly registry: Registry<DensityModel>
  readonly spec: DensitySpec
  readonly tensorShape: readonly number[]
}): DensityModelInstance =>
  options.registry.get(resolveDensityModelId(options.spec.distribution)).create({
    density: options.spec.density,
    tensorShape: options.tensorShape,
    params: options.spec.params,
  })

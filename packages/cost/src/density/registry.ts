// The built-in density models in an explicit registry (house style §6: created, never global),
// the id aliases used by Sparseloop specs, and a one-call way to instantiate a DensitySpec.
import { createRegistry, type DensityModel, type Registry } from '@snipsnap/core'

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

export { createDensityInstance, DENSITY_MODEL_ALIASES, resolveDensityModelId } from '@snipsnap/core'

/**
 * A new registry holding every built-in density model.
 * @example const densities = createDensityRegistry(); densities.get('hypergeometric')
 */
export const createDensityRegistry = (): Registry<DensityModel> =>
  createRegistry<DensityModel>('density-model', builtinDensityModels)

// Contract of a density (sparsity) model: the distribution, or at least the expectation, of the
// number of non-zeros in a tile. Sparseloop's fixed-structured, hypergeometric and banded models,
// N:M, block and measured-data models all implement it.
import { SnipSnapError, type IssuePath } from './errors'
import type { PluginMeta, Registry } from './registry'
import type { DensitySpec } from './spec'

/**
 * A condition on the tile's enclosing (parent) tile: "the parent tile holds `occupancy` non-zeros".
 * Sparseloop's `ExtraTileConstraintInfo`: expected metadata occupancy re-queries each rank's model
 * with the constraint that the rank above holds k, for every k of the parent's distribution.
 */
export interface TileConstraint {
  /** Parent tile extent per tensor rank (it contains the queried tile). */
  readonly shape: readonly number[]
  /** Number of non-zeros the parent tile holds, an integer in [0, product(shape)]. */
  readonly occupancy: number
}

/** A tile of a tensor: its extent per tensor rank (and optionally its position). */
export interface TileQuery {
  /** Tile extent per tensor rank (same order as the tensor's ranks). */
  readonly shape: readonly number[]
  /** Tile origin per rank, for position-dependent models (banded, measured data). */
  readonly origin?: readonly number[]
  /** Condition the query on the parent tile's occupancy (conditional query, see {@link TileConstraint}). */
  readonly constraint?: TileConstraint
}

/** Occupancy distribution of a tile: P(k non-zeros) for k = 0..max, sparse list form. */
export interface OccupancyDistribution {
  readonly occupancies: readonly number[]
  readonly probabilities: readonly number[]
}

/** A density model bound to one tensor (shape and parameters already resolved). */
export interface DensityModelInstance {
  /** Average density of the whole tensor. */
  readonly density: number
  /** Expected non-zeros of a tile. */
  expectedOccupancy(tile: TileQuery): number
  /** Probability that a tile holds no non-zero. */
  probabilityEmpty(tile: TileQuery): number
  /** Full distribution when the model can give it. */
  distribution?(tile: TileQuery): OccupancyDistribution
  /** Largest occupancy with probability > 0 (or at the given confidence). */
  maxOccupancy?(tile: TileQuery, confidence?: number): number
}

/** A density model plug-in: binds parameters and a tensor shape to an instance. */
export interface DensityModel<TParams = Readonly<Record<string, unknown>>> extends PluginMeta {
  create(input: {
    readonly density: number
    readonly tensorShape: readonly number[]
    readonly params: TParams
  }): DensityModelInstance
}

/** Identity helper that types a density model plug-in. */
export const defineDensityModel = <TParams = Readonly<Record<string, unknown>>>(
  model: DensityModel<TParams>,
): DensityModel<TParams> => model

/**
 * Alternative spellings of the built-in density ids, as written in Sparseloop YAML or older
 * specs. Registries hold only canonical ids; {@link resolveDensityModelId} maps an alias to its
 * id. Every stage resolves a distribution id here and through the registry it is given.
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
 * How a stage that has no density models approximates P(tile empty) for a distribution id, only to
 * rank candidates (never to cost): `fixed-structured`, a tile of n elements holds ⌊n·d⌋ or ⌈n·d⌉
 * non-zeros, so it is empty with probability 1 − n·d when n·d < 1, else never; `uniform`, (1 − d)^n.
 */
export type EmptinessApproximation = 'fixed-structured' | 'uniform'

/**
 * The built-in density model ids (the models themselves live in `@snipsnap/cost`'s registry) with
 * the approximation a stage without density models ranks them by: the structured models, whose
 * tiles hold as close to n·d non-zeros as possible, by `fixed-structured`; the rest by `uniform`.
 */
export const BUILTIN_DENSITY_MODELS: Readonly<Record<string, { readonly emptiness: EmptinessApproximation }>> = {
  'fixed-structured': { emptiness: 'fixed-structured' },
  hypergeometric: { emptiness: 'uniform' },
  banded: { emptiness: 'uniform' },
  'n-m': { emptiness: 'fixed-structured' },
  block: { emptiness: 'uniform' },
  'actual-data': { emptiness: 'uniform' },
}

/**
 * The emptiness approximation of a distribution id or alias: its built-in model's, `uniform` for
 * an id that is not built in.
 * @example emptinessApproximationOf('nm') // → 'fixed-structured'
 */
export const emptinessApproximationOf = (id: string): EmptinessApproximation =>
  BUILTIN_DENSITY_MODELS[resolveDensityModelId(id)]?.emptiness ?? 'uniform'

/**
 * P(tile empty) of a tile of `elements` elements at `density` under an approximation, in [0, 1].
 * @example approximateProbabilityEmpty('fixed-structured', 0.5, 1) // → 0.5
 */
export const approximateProbabilityEmpty = (approximation: EmptinessApproximation, density: number, elements: number): number => {
  const p = approximation === 'fixed-structured' ? (elements * density < 1 ? 1 - elements * density : 0) : (1 - density) ** elements
  return p < 0 ? 0 : p > 1 ? 1 : p
}

/**
 * The density model a distribution id (or alias) names in `registry`.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND naming the id and the registered ones.
 */
export const resolveDensityModel = (registry: Registry<DensityModel>, id: string, path: IssuePath = []): DensityModel => {
  const canonical = resolveDensityModelId(id)
  if (!registry.has(canonical)) {
    const known = registry.list().map((m) => m.id).join(', ') || '(none)'
    throw new SnipSnapError('PLUGIN_NOT_FOUND', `unknown density model "${id}"; registered: ${known}`, { path })
  }
  return registry.get(canonical)
}

/**
 * Instantiates a tensor's {@link DensitySpec} from a registry, resolving aliases.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unknown model id; INVALID_SPEC for bad parameters.
 * @example createDensityInstance({ registry: createDensityRegistry(), spec: { distribution: 'fixed', density: 0.5, params: {} }, tensorShape: [64, 64] })
 */
export const createDensityInstance = (options: {
  readonly registry: Registry<DensityModel>
  readonly spec: DensitySpec
  readonly tensorShape: readonly number[]
  /** Where the spec sits in the input, for the error (e.g. `['problem', 'densities', 'A', 'distribution']`). */
  readonly path?: IssuePath
}): DensityModelInstance =>
  resolveDensityModel(options.registry, options.spec.distribution, options.path).create({
    density: options.spec.density,
    tensorShape: options.tensorShape,
    params: options.spec.params,
  })

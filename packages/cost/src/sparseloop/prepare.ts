// Mapping-independent preparation of a design for the Sparseloop model: level indexing, tensor
// projections, per-op ERT energies, resolved formats, SAFs and density-model instances. Done
// once per design so that each mapping evaluation only does the per-mapping arithmetic.
import {
  SnipSnapError,
  createDensityInstance,
  type PrimitiveOptions,
  type RankFormatTable,
  type SparseloopRankPricing,
  type ArchSpec,
  type DensityModel,
  type DensityModelInstance,
  type EnergyTableSpec,
  type ProblemSpec,
  type Registry,
  type SparseOptimizationsSpec,
  type StorageLevelSpec,
} from '@snipsnap/core'
import {
  COMPUTE_OPS,
  STORAGE_OPS,
  resolveComputeEnergies,
  resolveStorageEnergies,
  type ComputeOp,
  type ResolvedEnergy,
  type StorageOp,
} from './ert'
import type { RankProjection } from './nest'

/** One rank of a resolved per-level format (innermost rank first, Timeloop's rank ids). */
export interface PreparedRank {
  /** The resolved primitive's symbol. */
  readonly format: string
  /** Whether the primitive keeps only non-empty coordinates. */
  readonly compressed: boolean
  /** The primitive's Sparseloop pricing (metadata/payload units per rank). */
  readonly pricing: SparseloopRankPricing
  /** The rank's options (parameter defaults merged with the spec's). */
  readonly options: PrimitiveOptions
  readonly metadataWordBits: number
  readonly payloadWordBits: number
  /** Dims a flattened rank may absorb (null = one loop per rank). */
  readonly flattenedDims: readonly number[] | null
}

export interface PreparedFormat {
  /** Ranks, innermost first (index = Timeloop rank id). */
  readonly ranks: readonly PreparedRank[]
  readonly innerToOuter: boolean
}

export interface PreparedSaf {
  readonly kind: 'gating' | 'skipping' | 'skipping-spatial'
  readonly options: readonly { readonly target: number; readonly conditionOn: readonly number[] }[]
}

export interface PreparedLevel {
  readonly spec: StorageLevelSpec
  /** 0 = innermost storage level. */
  readonly index: number
  readonly energies: Readonly<Record<StorageOp, ResolvedEnergy>>
  /** Per-access energy of each op in STORAGE_OPS order (pJ). */
  readonly energyVectorPJ: readonly number[]
  /** Format per tensor index, or null when the tensor is uncompressed here. */
  readonly formats: readonly (PreparedFormat | null)[]
  readonly safs: readonly PreparedSaf[]
}

export interface PreparedTensor {
  readonly name: string
  readonly index: number
  readonly readWrite: boolean
  readonly ranks: readonly RankProjection[]
  /** Dims projected by this tensor. */
  readonly relevantDims: readonly boolean[]
  readonly size: number
  readonly density: DensityModelInstance
  readonly densityValue: number
  readonly distribution: string
}

/** A design prepared for repeated evaluation under different mappings. */
export interface PreparedDesign {
  readonly arch: ArchSpec
  readonly problem: ProblemSpec
  readonly dims: readonly string[]
  readonly dimIndex: Readonly<Record<string, number>>
  readonly bounds: readonly number[]
  readonly tensors: readonly PreparedTensor[]
  readonly tensorIndex: Readonly<Record<string, number>>
  /** Storage levels, innermost first. */
  readonly levels: readonly PreparedLevel[]
  readonly levelIndex: Readonly<Record<string, number>>
  readonly computeEnergies: Readonly<Record<ComputeOp, ResolvedEnergy>>
  /** Per-compute energy in COMPUTE_OPS order (pJ). */
  readonly computeEnergyVectorPJ: readonly number[]
  readonly computeGating: boolean
  readonly computeSkipping: boolean
}

export interface PrepareInput {
  readonly arch: ArchSpec
  readonly problem: ProblemSpec
  readonly sparseOptimizations: SparseOptimizationsSpec
  readonly energyTable: EnergyTableSpec | null
  readonly densityModels: Registry<DensityModel>
  /** Rank formats the design's symbols resolve through (built from the format registry). */
  readonly formats: RankFormatTable
}

const invalid = (path: readonly (string | number)[], message: string): SnipSnapError =>
  new SnipSnapError('INVALID_SPEC', message, { path: [...path] })

/**
 * Sparseloop's AdjustFormatWordBits: a word width that does not divide the metadata storage
 * width is bumped to the next divisor (so words pack evenly); wider than the storage is fatal.
 */
const adjustWordBits = (bits: number, storageWidthBits: number, path: readonly (string | number)[]): number => {
  if (bits <= 0 || storageWidthBits <= 0) return bits
  if (bits > storageWidthBits) {
    throw invalid(path, `format word bits ${bits} exceed the metadata storage width ${storageWidthBits}`)
  }
  let adjusted = bits
  while (storageWidthBits % adjusted !== 0) adjusted++
  return adjusted
}

/**
 * Prepares a design once for many mapping evaluations.
 * @throws {SnipSnapError} INVALID_SPEC when the spec references unknown levels, tensors or dims,
 * or a density is outside [0, 1].
 */
export const prepareDesign = (input: PrepareInput): PreparedDesign => {
  const { arch, problem, sparseOptimizations } = input
  const dims = [...problem.dimensions]
  const dimIndex: Record<string, number> = {}
  dims.forEach((d, i) => (dimIndex[d] = i))
  const bounds = dims.map((d) => {
    const b = problem.bounds[d]
    if (b === undefined || !Number.isInteger(b) || b < 1) {
      throw invalid(['problem', 'bounds', d], `dimension ${d} needs a positive integer bound, got ${String(b)}`)
    }
    return b
  })
  const tensorIndex: Record<string, number> = {}
  problem.dataSpaces.forEach((t, i) => (tensorIndex[t.name] = i))
  const tensors: PreparedTensor[] = problem.dataSpaces.map((space, index) => {
    const ranks: RankProjection[] = space.projection.map((terms, r) => ({
      terms: terms.map((term, t) => {
        const dim = dimIndex[term.dim]
        if (dim === undefined) {
          throw invalid(['problem', 'dataSpaces', index, 'projection', r, t], `unknown dimension "${term.dim}"`)
        }
        const coefficient = term.coefficient === null ? 1 : problem.coefficients[term.coefficient]
        if (coefficient === undefined || !Number.isFinite(coefficient) || coefficient < 0) {
          throw invalid(
            ['problem', 'dataSpaces', index, 'projection', r, t],
            `unknown or invalid coefficient "${String(term.coefficient)}"`,
          )
        }
        return { dim, coefficient }
      }),
    }))
    const relevantDims = dims.map((_, d) => ranks.some((rank) => rank.terms.some((t) => t.dim === d)))
    const shape = ranks.map((rank) =>
      rank.terms.reduce((acc, t) => acc + t.coefficient * ((bounds[t.dim] ?? 1) - 1), 1),
    )
    const size = shape.reduce((a, b) => a * b, 1)
    const spec = problem.densities[space.name]
    const densityValue = spec?.density ?? 1
    if (!(densityValue >= 0 && densityValue <= 1)) {
      throw invalid(['problem', 'densities', space.name, 'density'], `density must be in [0, 1], got ${densityValue}`)
    }
    const distribution = spec?.distribution ?? 'fixed-structured'
    const density = createDensityInstance({
      registry: input.densityModels,
      spec: { distribution, density: densityValue, params: spec?.params ?? {} },
      tensorShape: shape,
      path: ['problem', 'densities', space.name, 'distribution'],
    })
    return { name: space.name, index, readWrite: space.readWrite, ranks, relevantDims, size, density, densityValue, distribution }
  })
  const storageInner = [...arch.storage].reverse()
  const levelIndex: Record<string, number> = {}
  storageInner.forEach((l, i) => (levelIndex[l.name] = i))
  const targetsByLevel = new Map<string, (typeof sparseOptimizations.targets)[number][]>()
  sparseOptimizations.targets.forEach((target, i) => {
    if (levelIndex[target.level] === undefined && target.level !== arch.compute.name) {
      throw invalid(['sparseOptimizations', 'targets', i, 'level'], `unknown level "${target.level}"`)
    }
    targetsByLevel.set(target.level, [...(targetsByLevel.get(target.level) ?? []), target])
  })
  const tensorOf = (name: string, path: readonly (string | number)[]): number => {
    const t = tensorIndex[name]
    if (t === undefined) throw invalid(path, `unknown tensor "${name}"`)
    return t
  }
  const levels: PreparedLevel[] = storageInner.map((spec, index) => {
    const formats: (PreparedFormat | null)[] = tensors.map(() => null)
    const safs: PreparedSaf[] = []
    for (const [ti, target] of (targetsByLevel.get(spec.name) ?? []).entries()) {
      target.formats.forEach((format, fi) => {
        const t = tensorOf(format.tensor, ['sparseOptimizations', spec.name, 'formats', fi, 'tensor'])
        const ranks = [...format.ranks].reverse().map((rank, ri): PreparedRank => {
          const rankPath = ['sparseOptimizations', spec.name, 'formats', fi, 'ranks', format.ranks.length - 1 - ri]
          const primitive = input.formats.resolve(rank.format, [...rankPath, 'format'])
          const pricing = primitive.sparseloop
          if (pricing === undefined) {
            throw new SnipSnapError(
              'UNSUPPORTED_QUERY',
              `rank format "${primitive.symbol}" has no Sparseloop pricing (its FormatPrimitive lacks \`sparseloop\`)`,
              { path: [...rankPath, 'format'] },
            )
          }
          const mdDefault = pricing.defaultMetadataWordBits ?? spec.metadataWordBits ?? 0
          const adjust = (bits: number, what: string): number =>
            adjustWordBits(bits, spec.metadataStorageWidthBits ?? 0, [
              'sparseOptimizations', spec.name, 'formats', fi, 'ranks', ri, what,
            ])
          return {
            format: primitive.symbol,
            compressed: primitive.compressed,
            pricing,
            options: input.formats.optionsOf(primitive, rank.options, rankPath),
            metadataWordBits: adjust(rank.metadataWordBits ?? mdDefault, 'metadataWordBits'),
            payloadWordBits: adjust(rank.payloadWordBits ?? spec.metadataWordBits ?? 0, 'payloadWordBits'),
            flattenedDims:
              rank.flattenedRankIds === null
                ? null
                : rank.flattenedRankIds.flat().map((d) => {
                    const di = dimIndex[d]
                    if (di === undefined) {
                      throw invalid(['sparseOptimizations', spec.name, 'formats', fi, 'ranks', ri], `unknown dimension "${d}"`)
                    }
                    return di
                  }),
          }
        })
        formats[t] = ranks.length === 0 ? null : { ranks, innerToOuter: format.rankApplicationOrder === 'inner-to-outer' }
      })
      target.actionOptimizations.forEach((saf, si) => {
        if (saf.type === 'position-skipping') {
          throw new SnipSnapError(
            'UNSUPPORTED_QUERY',
            `position-skipping at ${spec.name} is not modelled (absent from public Sparseloop)`,
            { path: ['sparseOptimizations', spec.name, 'actionOptimizations', si] },
          )
        }
        safs.push({
          kind: saf.type,
          options: saf.options.map((o, oi) => ({
            target: tensorOf(o.target, ['sparseOptimizations', spec.name, 'actionOptimizations', si, oi, 'target']),
            conditionOn: o.conditionOn.map((c) =>
              tensorOf(c, ['sparseOptimizations', spec.name, 'actionOptimizations', si, oi, 'conditionOn']),
            ),
          })),
        })
      })
      void ti
    }
    const energies = resolveStorageEnergies(spec, input.energyTable)
    return { spec, index, energies, energyVectorPJ: STORAGE_OPS.map((op) => energies[op].energyPJ), formats, safs }
  })
  const computeEnergies = resolveComputeEnergies(arch.compute, input.energyTable)
  const computeTargets = targetsByLevel.get(arch.compute.name) ?? []
  const computeOpts = computeTargets.flatMap((t) => t.computeOptimizations)
  return {
    arch,
    problem,
    dims,
    dimIndex,
    bounds,
    tensors,
    tensorIndex,
    levels,
    levelIndex,
    computeEnergies,
    computeEnergyVectorPJ: COMPUTE_OPS.map((op) => computeEnergies[op].energyPJ),
    computeGating: computeOpts.some((c) => c.type === 'gating'),
    computeSkipping: computeOpts.some((c) => c.type === 'skipping'),
  }
}

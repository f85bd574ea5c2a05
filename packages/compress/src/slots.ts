// Format slots: where a compression format can go, derived from the design. For each storage level
// and each tensor kept there, the slot lists the ranks a format must have: one rank per non-trivial
// mapping loop over the tensor's dims at that level and every level below it (Sparseloop's "rank =
// loop" rule with pre-tiling, sparseloop-model.md §3). Because a compressed level's inner ranks must
// equal its child's format, the slot of a child level is always a suffix of its parent's slot; the
// engine relies on that to keep per-level formats consistent along a tensor's chain of levels.
import { SnipSnapError } from '@snipsnap/core'
import type {
  ArchSpec,
  DataSpaceSpec,
  DimName,
  LevelMappingSpec,
  MappingSpec,
  ProblemSpec,
  TensorName,
} from '@snipsnap/core'

/** One rank of a slot: a non-trivial mapping loop. */
export interface SlotRank {
  /** The problem dimension the loop iterates. */
  readonly dim: DimName
  /** Loop bound = the rank's fiber shape (coordinates per fiber). */
  readonly fiberShape: number
  /** Storage level whose mapping holds the loop. */
  readonly mappedAt: string
  readonly spatial: boolean
}

/** Where a format for `tensor` at `level` goes, and the ranks it must have. */
export interface FormatSlot {
  readonly level: string
  /** Index of the level in `arch.storage` (0 = outermost). */
  readonly levelIndex: number
  readonly tensor: TensorName
  /** Ranks from the outermost to the innermost. */
  readonly ranks: readonly SlotRank[]
  /**
   * How many of `ranks` (from the top) belong to this level itself, i.e. to loops between it and
   * the next inner level keeping the tensor. The remaining ranks are the child slot's ranks.
   */
  readonly ownRanks: number
  /** Elements of the tensor tile held at this level (product of the ranks' fiber shapes). */
  readonly tileElements: number
  /** Next inner storage level keeping the tensor, or null when the tile goes to compute. */
  readonly childLevel: string | null
  /** Previous (outer) storage level keeping the tensor, or null for the outermost keeper. */
  readonly parentLevel: string | null
}

/** All slots of one tensor, outermost level first (its chain of storage levels). */
export interface TensorChain {
  readonly tensor: TensorName
  readonly readWrite: boolean
  readonly slots: readonly FormatSlot[]
}

/** Dims a tensor's projection mentions, in problem order. */
export const tensorDims = (problem: ProblemSpec, space: DataSpaceSpec): DimName[] => {
  const used = new Set(space.projection.flatMap((terms) => terms.map((t) => t.dim)))
  return problem.dimensions.filter((d) => used.has(d))
}

/** Whether the level mapping keeps `tensor` (keep wins; otherwise kept unless bypassed). */
export const keepsTensor = (level: LevelMappingSpec | undefined, tensor: TensorName): boolean =>
  level === undefined || level.keep.includes(tensor) || !level.bypass.includes(tensor)

interface Loop {
  readonly dim: DimName
  readonly bound: number
  readonly spatial: boolean
}

/** Loops of one level, outermost first: temporal loops, then the spatial fan-out below them. */
const levelLoops = (problem: ProblemSpec, level: LevelMappingSpec | undefined): Loop[] => {
  if (level === undefined) return []
  // Permutations are innermost first and dims missing from them sit innermost (Timeloop's rule).
  const order = (permutation: readonly DimName[]): DimName[] => {
    const missing = problem.dimensions.filter((d) => !permutation.includes(d))
    return [...missing, ...permutation].reverse()
  }
  const temporal = order(level.temporalPermutation).map((dim) => ({
    dim,
    bound: level.temporalFactors[dim] ?? 1,
    spatial: false,
  }))
  const spatial = order(level.spatialPermutation).map((dim) => ({
    dim,
    bound: level.spatialFactors[dim] ?? 1,
    spatial: true,
  }))
  return [...temporal, ...spatial]
}

/**
 * Checks that the mapping covers the problem: one entry per storage level at most, known level
 * names, positive integer factors that multiply to each dimension's bound.
 * @throws {SnipSnapError} INVALID_SPEC naming the bad field.
 */
export const assertMappingMatches = (arch: ArchSpec, problem: ProblemSpec, mapping: MappingSpec): void => {
  const names = new Set(arch.storage.map((s) => s.name))
  mapping.levels.forEach((level, index) => {
    if (!names.has(level.target)) {
      throw new SnipSnapError('INVALID_SPEC', `mapping names level "${level.target}", which is not a storage level of the architecture`, {
        path: ['mapping', 'levels', index, 'target'],
      })
    }
  })
  for (const dim of problem.dimensions) {
    const bound = problem.bounds[dim]
    if (bound === undefined || !Number.isSafeInteger(bound) || bound < 1) {
      throw new SnipSnapError('INVALID_SPEC', `bound of ${dim} must be a positive integer (got ${String(bound)})`, {
        path: ['problem', 'bounds', dim],
      })
    }
    let product = 1
    mapping.levels.forEach((level, index) => {
      for (const [kind, factors] of [
        ['temporalFactors', level.temporalFactors],
        ['spatialFactors', level.spatialFactors],
      ] as const) {
        const f = factors[dim] ?? 1
        if (!Number.isSafeInteger(f) || f < 1) {
          throw new SnipSnapError('INVALID_SPEC', `factor of ${dim} must be a positive integer (got ${f})`, {
            path: ['mapping', 'levels', index, kind, dim],
          })
        }
        product *= f
      }
    })
    if (product !== bound) {
      throw new SnipSnapError(
        'INVALID_SPEC',
        `mapping factors of ${dim} multiply to ${product}, but the problem bound is ${bound}`,
        { path: ['mapping', 'levels'] },
      )
    }
  }
}

/**
 * Derives every tensor's chain of format slots from the design.
 * @throws {SnipSnapError} INVALID_SPEC when the mapping does not match the problem or architecture.
 * @see sparseloop-model.md §3 (mapping ranks onto tiling), paper.md §3.2 constraint 2.
 * @example const chains = deriveTensorChains({ arch, problem, mapping })
 */
export const deriveTensorChains = (input: {
  readonly arch: ArchSpec
  readonly problem: ProblemSpec
  readonly mapping: MappingSpec
}): TensorChain[] => {
  const { arch, problem, mapping } = input
  assertMappingMatches(arch, problem, mapping)
  const levelMaps = arch.storage.map((s) => mapping.levels.find((l) => l.target === s.name))
  const loopsPerLevel = levelMaps.map((l) => levelLoops(problem, l))
  return problem.dataSpaces.map((space) => {
    const dims = new Set(tensorDims(problem, space))
    const keepers = arch.storage
      .map((s, index) => ({ name: s.name, index }))
      .filter(({ index }) => keepsTensor(levelMaps[index], space.name))
    const ranksBelow = (from: number, to: number): SlotRank[] => {
      const ranks: SlotRank[] = []
      for (let i = from; i < to; i++) {
        for (const loop of loopsPerLevel[i] ?? []) {
          if (loop.bound > 1 && dims.has(loop.dim)) {
            ranks.push({ dim: loop.dim, fiberShape: loop.bound, mappedAt: arch.storage[i]?.name ?? '', spatial: loop.spatial })
          }
        }
      }
      return ranks
    }
    const slots = keepers.map(({ name, index }, k): FormatSlot => {
      const child = keepers[k + 1]
      const parent = keepers[k - 1]
      const ranks = ranksBelow(index, arch.storage.length)
      const own = ranksBelow(index, child === undefined ? arch.storage.length : child.index)
      return {
        level: name,
        levelIndex: index,
        tensor: space.name,
        ranks,
        ownRanks: own.length,
        tileElements: ranks.reduce((p, r) => p * r.fiberShape, 1),
        childLevel: child?.name ?? null,
        parentLevel: parent?.name ?? null,
      }
    })
    return { tensor: space.name, readWrite: space.readWrite, slots }
  })
}

/** Per-dim extents of the sub-tile spanned by `ranks` (dims absent have extent 1). */
export const dimExtents = (ranks: readonly SlotRank[]): Record<DimName, number> => {
  const extents: Record<DimName, number> = {}
  for (const r of ranks) extents[r.dim] = (extents[r.dim] ?? 1) * r.fiberShape
  return extents
}

/** Tile shape per tensor rank from per-dim extents, through the projection (sum of coef·(ext−1) + 1). */
export const tensorTileShape = (
  problem: ProblemSpec,
  space: DataSpaceSpec,
  extents: Readonly<Record<DimName, number>>,
): number[] =>
  space.projection.map((terms) =>
    terms.reduce((sum, term) => {
      const coefficient = term.coefficient === null ? 1 : (problem.coefficients[term.coefficient] ?? 1)
      return sum + coefficient * ((extents[term.dim] ?? 1) - 1)
    }, 1),
  )

/** Full tensor shape per tensor rank. */
export const tensorShape = (problem: ProblemSpec, space: DataSpaceSpec): number[] =>
  tensorTileShape(problem, space, problem.bounds)

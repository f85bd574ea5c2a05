// The analytic size model: expected metadata, payload and data bits of a format for a tensor whose
// sparsity is described by a density model. Same units as Sparseloop's per-rank format models
// (words × word bits), with one difference: counts are exact expectations, not ceil-per-fiber.
//
// For rank r with fiber size F_r, T_r = Π_{j≤r} F_j coordinate prefixes and q_r the probability that
// one prefix's subtree is empty:
//   fibers_r   = slots_{r−1} (fibers_0 = 1)      every slot above owns one child fiber
//   occupied_r = T_r · (1 − q_r)                   a non-empty prefix always has stored ancestors
//   slots_r    = primitive.slotUnits(...)          F per fiber (uncompressed), occupied (CP, B, RLE)
// Payload words: per-slot → slots_r, offset pairs → slots_r + fibers_r, none → 0; the innermost rank
// has none (its slots index the stored values). Data bits = slots of the innermost rank × valueBits.
import type { DensityModelInstance, FiberStats, TileQuery } from '@snipsnap/core'
import type { BoundFormat, BoundRank } from './bind'
import { rankSizesOf, type FormatSizes, type RankSizes } from './codec'

/** A precompiled size model for one bound format: evaluation allocates nothing (hot path). */
export interface SizeEstimator {
  readonly format: BoundFormat
  /** Expected total bits (metadata + payload + data). */
  totalBits(density: DensityModelInstance): number
  /** Expected sizes with a per-rank breakdown (allocates the report). */
  estimate(density: DensityModelInstance): FormatSizes
}

interface MutableStats {
  fiberSize: number
  fibers: number
  maxFibers: number
  occupiedCoords: number
  childEmptyProbability: number
  wordBits: BoundRank['wordBits']
  options: BoundRank['options']
}

/**
 * Precompiles the size model of a bound format: tile shapes and prefix counts per rank are computed
 * once, so each evaluation is a few multiplications and one density query per rank.
 * @example createSizeEstimator(format, { valueBits: 16 }).totalBits(createUniformDensity({ density: 0.5 }))
 */
export const createSizeEstimator = (format: BoundFormat, options: { readonly valueBits?: number } = {}): SizeEstimator => {
  const valueBits = options.valueBits ?? 32
  const n = format.ranks.length
  const ranks = format.ranks
  const sizes = new Float64Array(n)
  const prefixes = new Float64Array(n)
  const payloadKind = new Int8Array(n) // 0 none, 1 per-slot, 2 offset pairs
  const metadataBits = new Float64Array(n)
  const payloadBits = new Float64Array(n)
  const tiles: TileQuery[] = []
  let prefix = 1
  for (let r = 0; r < n; r++) {
    const rank = ranks[r] as BoundRank
    sizes[r] = rank.fiberSize
    prefix *= rank.fiberSize
    prefixes[r] = prefix
    const kind = r === n - 1 ? 'none' : rank.primitive.payload
    payloadKind[r] = kind === 'none' ? 0 : kind === 'per-slot' ? 1 : 2
    metadataBits[r] = rank.wordBits.metadataBits
    payloadBits[r] = rank.wordBits.payloadBits
    // The subtree below a rank-r coordinate: the parts of every later rank, per tensor dimension.
    const shape = format.shape.map(() => 1)
    for (let j = r + 1; j < n; j++) {
      for (const part of (ranks[j] as BoundRank).parts) shape[part.dimIndex] = (shape[part.dimIndex] as number) * part.size
    }
    tiles.push({ shape })
  }
  const primitives = ranks.map((rank) => rank.primitive)
  const stats: MutableStats = {
    fiberSize: 1,
    fibers: 1,
    maxFibers: 1,
    occupiedCoords: 0,
    childEmptyProbability: 1,
    wordBits: { metadataBits: 0, payloadBits: 0 },
    options: {},
  }
  const maxFibers = Float64Array.from(prefixes, (_, r) => (r === 0 ? 1 : (prefixes[r - 1] as number)))
  const wordBits = ranks.map((rank) => rank.wordBits)
  const rankOptions = ranks.map((rank) => rank.options)
  // Fills the shared stats object for rank r (mutated in place: the hot path allocates nothing).
  const fill = (r: number, fibers: number, density: DensityModelInstance): void => {
    const q = density.probabilityEmpty(tiles[r] as TileQuery)
    stats.fiberSize = sizes[r] as number
    stats.fibers = fibers
    stats.maxFibers = maxFibers[r] as number
    stats.occupiedCoords = (prefixes[r] as number) * (1 - q)
    stats.childEmptyProbability = q
    stats.wordBits = wordBits[r] as BoundRank['wordBits']
    stats.options = rankOptions[r] as BoundRank['options']
  }
  const payloadWords = (r: number, fibers: number, slots: number): number => {
    const kind = payloadKind[r]
    return kind === 0 ? 0 : kind === 1 ? slots : slots + fibers
  }
  return {
    format,
    totalBits(density) {
      let fibers = 1
      let bits = 0
      for (let r = 0; r < n; r++) {
        fill(r, fibers, density)
        const primitive = primitives[r] as BoundRank['primitive']
        const view = stats as FiberStats
        const slots = primitive.slotUnits(view)
        bits += primitive.metadataUnits(view) * (metadataBits[r] as number)
        bits += payloadWords(r, fibers, slots) * (payloadBits[r] as number)
        fibers = slots
      }
      return bits + fibers * valueBits
    },
    estimate(density) {
      let fibers = 1
      const rankSizes: RankSizes[] = []
      let metadataTotal = 0
      let payloadTotal = 0
      for (let r = 0; r < n; r++) {
        fill(r, fibers, density)
        const rank = ranks[r] as BoundRank
        const view = stats as FiberStats
        const slots = rank.primitive.slotUnits(view)
        const metadataWords = rank.primitive.metadataUnits(view)
        const payload = payloadWords(r, fibers, slots)
        const entry = rankSizesOf(rank, { fibers, slots, metadataWords, payloadWords: payload })
        metadataTotal += entry.metadataBits
        payloadTotal += entry.payloadBits
        rankSizes.push(entry)
        fibers = slots
      }
      const dataBits = fibers * valueBits
      return {
        ranks: rankSizes,
        metadataBits: metadataTotal,
        payloadBits: payloadTotal,
        dataBits,
        totalBits: metadataTotal + payloadTotal + dataBits,
        storedValues: fibers,
        valueBits,
        denseBits: format.tensorSize * valueBits,
      }
    },
  }
}

/**
 * Expected sizes of a format under a density model (one-shot form of {@link createSizeEstimator}).
 * @example estimateFormatSize({ format, density: createUniformDensity({ density: 0.1 }) }).totalBits
 */
export const estimateFormatSize = (options: {
  readonly format: BoundFormat
  readonly density: DensityModelInstance
  readonly valueBits?: number
}): FormatSizes =>
  createSizeEstimator(options.format, options.valueBits === undefined ? {} : { valueBits: options.valueBits }).estimate(
    options.density,
  )

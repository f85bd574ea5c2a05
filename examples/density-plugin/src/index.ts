// A density model the built-ins lack, written against @snipsnap/core alone: row-clustered
// sparsity. Each row of the tensor (its last rank's extent is the row length) is active with
// probability `activeRowFraction`; an active row holds each element with probability
// density / activeRowFraction, an inactive row holds none. Tiles are read as row-major runs of
// their size (the flattened reading every stage uses), so a tile of n elements spans
// ⌈n / rowLength⌉ rows of min(n, rowLength) elements.
import { defineDensityModel, definePlugin, SnipSnapError, type DensityModelInstance, type TileQuery } from '@snipsnap/core'

/** Parameters of `clustered`. */
export interface ClusteredParams {
  /** Fraction of rows that hold non-zeros, in (0, 1]; must be ≥ the density. */
  readonly activeRowFraction: number
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)

/**
 * Builds a `clustered` instance.
 * @throws {SnipSnapError} INVALID_SPEC naming the parameter when it is missing or out of range.
 */
export const createClusteredDensity = (input: { readonly density: number; readonly tensorShape: readonly number[]; readonly params: Readonly<Record<string, unknown>> }): DensityModelInstance => {
  const { density, tensorShape } = input
  const r = input.params['activeRowFraction']
  if (typeof r !== 'number' || !(r > 0 && r <= 1)) {
    throw new SnipSnapError('INVALID_SPEC', `clustered: activeRowFraction must be a number in (0, 1], got ${String(r)}`, { path: ['params', 'activeRowFraction'] })
  }
  if (!(density >= 0 && density <= r)) {
    throw new SnipSnapError('INVALID_SPEC', `clustered: density ${density} must be in [0, activeRowFraction = ${r}]`, { path: ['density'] })
  }
  const rowLength = Math.max(1, tensorShape[tensorShape.length - 1] ?? 1)
  const q = r === 0 ? 0 : density / r
  const rowsOf = (n: number) => ({ rows: Math.ceil(n / rowLength), width: Math.min(n, rowLength) })
  const probabilityEmpty = (tile: TileQuery): number => {
    const n = sizeOf(tile.shape)
    if (n <= 0) return 1
    const c = tile.constraint
    if (c !== undefined) {
      // Given k non-zeros in the parent tile of N elements, a sub-tile of n misses all of them
      // with the hypergeometric probability C(N − n, k) / C(N, k).
      const N = sizeOf(c.shape)
      const k = Math.min(Math.max(Math.round(c.occupancy), 0), N)
      if (k === 0) return 1
      if (n > N - k) return 0
      let p = 1
      for (let i = 0; i < k; i++) p *= (N - n - i) / (N - i)
      return p
    }
    const { rows, width } = rowsOf(n)
    return Math.pow(1 - r + r * Math.pow(1 - q, width), rows)
  }
  return {
    density,
    expectedOccupancy: (tile) => sizeOf(tile.shape) * density,
    probabilityEmpty,
    // At most every row of the tile active, each at its expected fill.
    maxOccupancy: (tile) => {
      const n = sizeOf(tile.shape)
      const { rows, width } = rowsOf(n)
      return Math.min(n, Math.ceil(rows * width * q - 1e-9))
    },
  }
}

/** The `clustered` density model plug-in. */
export const clusteredDensityModel = defineDensityModel({
  id: 'clustered',
  description: 'Row-clustered sparsity: a fraction of rows holds every non-zero',
  create: createClusteredDensity,
})

/** The plug-in bundle the CLI loads: `snipsnap search … --plugin examples/density-plugin`. */
export default definePlugin({
  id: 'clustered-density',
  description: 'The `clustered` density model',
  densityModels: [clusteredDensityModel],
})

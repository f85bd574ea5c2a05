// The `actual-data` density model: occupancy measured from a real tensor's non-zero mask (the
// Sparseloop artifact's "actual_data" runs, never in public Timeloop). A summed-area table built
// once makes any tile's count O(2^rank); per-shape statistics average over all aligned tiles.
import { defineDensityModel } from '@snipsnap/core'
import * as z from 'zod/mini'

import { createPatternInstance, type TilePattern } from './pattern'
import { densitySchema, failField, parseOrThrow, tensorShapeSchema } from './schema'
import { sizeOf } from './tile'
import type { DensityModelInput, FullDensityModelInstance } from './types'

/**
 * Parameters of `actual-data`: the tensor's shape and its non-zero pattern, either as a dense
 * row-major mask (any non-zero / `true` entry is a non-zero) or as COO coordinates.
 */
export type ActualDataParams =
  | {
      readonly shape?: readonly number[]
      readonly mask: Uint8Array | readonly boolean[] | readonly number[] | ArrayLike<number>
    }
  | {
      readonly shape?: readonly number[]
      /** One coordinate tuple per non-zero (duplicates count once). */
      readonly coordinates: readonly (readonly number[])[]
    }

const maskSchema = z.custom<ArrayLike<unknown>>(
  (value) => ArrayBuffer.isView(value) || Array.isArray(value),
  'mask must be a Uint8Array (or typed array) or an array of booleans/numbers'
)

const paramsSchema = z.union([
  z.looseObject({ shape: z.optional(tensorShapeSchema), mask: maskSchema }),
  z.looseObject({
    shape: z.optional(tensorShapeSchema),
    coordinates: z.array(z.array(z.number().check(z.int('must be an integer')))),
  }),
])

/** Summed-area table of a 0/1 mask: table[i0+1, …] = non-zeros in the box [0, i]. */
const buildTable = (bits: Uint8Array, shape: readonly number[]): Uint32Array => {
  const rank = shape.length
  const ext = shape.map((e) => e + 1)
  const table = new Uint32Array(sizeOf(ext))
  if (rank === 2) {
    // The common case, one pass: T[i+1][j+1] = bit + T[i][j+1] + T[i+1][j] − T[i][j].
    const rows = shape[0] ?? 0
    const cols = shape[1] ?? 0
    const w = cols + 1
    for (let i = 0; i < rows; i++) {
      let rowSum = 0
      const up = i * w
      const here = up + w
      const src = i * cols
      for (let j = 0; j < cols; j++) {
        rowSum += bits[src + j] ?? 0
        table[here + j + 1] = (table[up + j + 1] ?? 0) + rowSum
      }
    }
    return table
  }
  // Scatter the mask at offset +1 in every rank (an odometer, no divisions) …
  const strides = new Array<number>(rank).fill(1)
  for (let r = rank - 2; r >= 0; r--) strides[r] = (strides[r + 1] ?? 1) * (ext[r + 1] ?? 1)
  let base = 0
  for (let r = 0; r < rank; r++) base += strides[r] ?? 1
  const index = new Array<number>(rank).fill(0)
  let at = base
  for (let flat = 0; flat < bits.length; flat++) {
    table[at] = bits[flat] ?? 0
    let r = rank - 1
    for (;;) {
      index[r] = (index[r] ?? 0) + 1
      at += strides[r] ?? 1
      if ((index[r] ?? 0) < (shape[r] ?? 0) || r === 0) break
      at -= (index[r] ?? 0) * (strides[r] ?? 1)
      index[r] = 0
      r--
    }
  }
  // … then prefix-sum along each rank in turn.
  for (let r = 0; r < rank; r++) {
    const stride = strides[r] ?? 1
    const extent = ext[r] ?? 1
    const span = stride * extent
    for (let block = 0; block < table.length; block += span) {
      for (let c = 1; c < extent; c++) {
        const row = block + c * stride
        for (let j = 0; j < stride; j++)
          table[row + j] = (table[row + j] ?? 0) + (table[row + j - stride] ?? 0)
      }
    }
  }
  return table
}

/** A {@link TilePattern} over a mask, counting boxes with a summed-area table. */
export const createMaskPattern = (bits: Uint8Array, shape: readonly number[]): TilePattern => {
  const table = buildTable(bits, shape)
  const rank = shape.length
  const strides = new Array<number>(rank).fill(1)
  for (let r = rank - 2; r >= 0; r--) strides[r] = (strides[r + 1] ?? 1) * ((shape[r + 1] ?? 0) + 1)
  // The far corner of the summed-area table is the total.
  const nonzeros = table[table.length - 1] ?? 0
  if (rank === 1) {
    return {
      tensorShape: shape,
      nonzeros,
      count: (o, e) => (table[(o[0] ?? 0) + (e[0] ?? 0)] ?? 0) - (table[o[0] ?? 0] ?? 0),
    }
  }
  if (rank === 2) {
    const w = (shape[1] ?? 0) + 1
    return {
      tensorShape: shape,
      nonzeros,
      count: (o, e) => {
        const r0 = (o[0] ?? 0) * w
        const r1 = ((o[0] ?? 0) + (e[0] ?? 0)) * w
        const c0 = o[1] ?? 0
        const c1 = c0 + (e[1] ?? 0)
        return (
          (table[r1 + c1] ?? 0) -
          (table[r0 + c1] ?? 0) -
          (table[r1 + c0] ?? 0) +
          (table[r0 + c0] ?? 0)
        )
      },
    }
  }
  const corners = 1 << rank
  return {
    tensorShape: shape,
    nonzeros,
    count: (o, e) => {
      // Inclusion–exclusion over the 2^rank corners of the box.
      let total = 0
      for (let mask = 0; mask < corners; mask++) {
        let at = 0
        let sign = 1
        for (let r = 0; r < rank; r++) {
          const far = (mask >> r) & 1
          at += ((o[r] ?? 0) + (far === 1 ? e[r] ?? 0 : 0)) * (strides[r] ?? 1)
          if (far === 0) sign = -sign
        }
        total += sign * (table[at] ?? 0)
      }
      return total
    },
  }
}

// Mask or coordinates → a 0/1 byte per element, checking lengths and bounds.
const toBits = (params: ActualDataParams, shape: readonly number[]): Uint8Array => {
  const size = sizeOf(shape)
  const bits = new Uint8Array(size)
  if ('mask' in params) {
    const mask = params.mask as ArrayLike<unknown>
    if (mask.length !== size) {
      failField(
        ['params', 'mask'],
        `mask has ${mask.length} entries but the shape [${shape.join(', ')}] has ${size}`
      )
    }
    if (
      ArrayBuffer.isView(mask) &&
      !(mask instanceof Float32Array || mask instanceof Float64Array)
    ) {
      // Integer typed arrays hold only finite numbers: no per-entry check needed.
      for (let i = 0; i < size; i++) bits[i] = mask[i] ? 1 : 0
      return bits
    }
    for (let i = 0; i < size; i++) {
      const v = mask[i]
      if (
        typeof v === 'number'
          ? !Number.isFinite(v)
          : typeof v !== 'boolean' && typeof v !== 'bigint'
      ) {
        failField(
          ['params', 'mask', i],
          `mask entries must be booleans or finite numbers (got ${String(v)})`
        )
      }
      bits[i] = v ? 1 : 0
    }
    return bits
  }
  const rank = shape.length
  params.coordinates.forEach((point, p) => {
    if (point.length !== rank) {
      failField(
        ['params', 'coordinates', p],
        `coordinate has ${point.length} entries, the tensor has ${rank} ranks`
      )
    }
    let flat = 0
    for (let r = 0; r < rank; r++) {
      const c = point[r] ?? -1
      const extent = shape[r] ?? 0
      if (c < 0 || c >= extent) {
        failField(['params', 'coordinates', p, r], `coordinate ${c} is outside [0, ${extent})`)
      }
      flat = flat * extent + c
    }
    bits[flat] = 1
  })
  return bits
}

/**
 * Builds an `actual-data` instance from a measured mask. The instance's `density` is the
 * measured one (the input density is validated but not used).
 * @throws {SnipSnapError} INVALID_SPEC when the mask length or a coordinate does not fit the shape,
 * or `params.shape` differs from the tensor shape.
 * @example createActualDataDensity({ density: 0.5, tensorShape: [2, 2], params: { mask: [1, 0, 0, 1] } }).probabilityEmpty({ shape: [1, 2] })
 * // → 0
 */
export const createActualDataDensity = (
  input: DensityModelInput<ActualDataParams>
): FullDensityModelInstance => {
  const params = parseOrThrow(paramsSchema, input.params, ['params']) as ActualDataParams
  const tensorShape = parseOrThrow(tensorShapeSchema, input.tensorShape ?? params.shape, [
    'tensorShape',
  ])
  parseOrThrow(densitySchema, input.density, ['density'])
  if (params.shape !== undefined && params.shape.join(',') !== tensorShape.join(',')) {
    failField(
      ['params', 'shape'],
      `mask shape [${params.shape.join(', ')}] differs from the tensor shape [${tensorShape.join(
        ', '
      )}]`
    )
  }
  const bits = toBits(params, tensorShape)
  return createPatternInstance(createMaskPattern(bits, tensorShape), 'actual-data')
}

/**
 * The `actual-data` density model plug-in: per-tile occupancy measured from a real mask.
 * @see SnipSnap issue 5 (measured-data model); Sparseloop artifact Fig. 12 "actual_data".
 */
export const actualDataDensityModel = defineDensityModel<ActualDataParams>({
  id: 'actual-data',
  description: 'Per-tile occupancy measured from a real non-zero mask (summed-area table).',
  create: createActualDataDensity,
})

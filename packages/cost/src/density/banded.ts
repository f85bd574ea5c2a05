// Sparseloop's `banded` density model (alias `diagonal`): a 2-D tensor whose non-zeros are
// exactly the elements with |row − col| ≤ w. Tile occupancies are counted exactly per aligned
// tile position. Source: NVlabs/timeloop src/workload/density-models/banded-distribution.cpp.
import { defineDensityModel } from '@snipsnap/core'
import * as z from 'zod/mini'

import { createPatternInstance, type TilePattern } from './pattern'
import { countSchema, failField, parseCommonInput, parseOrThrow } from './schema'
import type { DensityModelInput, FullDensityModelInstance } from './types'

/** Parameters of `banded`: the band half-width w (0 = diagonal). `band_width` is accepted too. */
export interface BandedParams {
  readonly bandWidth?: number
  readonly band_width?: number
}

const paramsSchema = z.looseObject({
  bandWidth: z.optional(countSchema),
  band_width: z.optional(countSchema),
})

// Non-zeros of rows [r0, r1) × columns [c0, c1) inside the band |r − c| ≤ w (box inside the tensor).
const bandCount = (r0: number, r1: number, c0: number, c1: number, w: number): number => {
  let total = 0
  // The band is symmetric in (r, c): walk the shorter side.
  if (r1 - r0 <= c1 - c0) {
    for (let r = r0; r < r1; r++) {
      const lo = Math.max(c0, r - w)
      const hi = Math.min(c1, r + w + 1)
      if (hi > lo) total += hi - lo
    }
  } else {
    for (let c = c0; c < c1; c++) {
      const lo = Math.max(r0, c - w)
      const hi = Math.min(r1, c + w + 1)
      if (hi > lo) total += hi - lo
    }
  }
  return total
}

/** The band |row − col| ≤ `bandWidth` of a rows × cols matrix as a {@link TilePattern}. */
export const createBandPattern = (
  tensorShape: readonly [number, number],
  bandWidth: number
): TilePattern => {
  const [rows, cols] = tensorShape
  return {
    tensorShape,
    nonzeros: bandCount(0, rows, 0, cols, bandWidth),
    count: (o, e) => {
      const r0 = o[0] ?? 0
      const c0 = o[1] ?? 0
      return bandCount(r0, r0 + (e[0] ?? 0), c0, c0 + (e[1] ?? 0), bandWidth)
    },
    // Only tiles whose columns meet [r0 − w, r1 − 1 + w] can hold non-zeros.
    forEachCandidate: (tile, grid, visit) => {
      const th = tile[0] ?? 1
      const tw = tile[1] ?? 1
      const origin = [0, 0]
      for (let g = 0; g < (grid[0] ?? 0); g++) {
        const r0 = g * th
        const first = Math.max(0, Math.floor((r0 - bandWidth) / tw))
        const last = Math.min((grid[1] ?? 0) - 1, Math.floor((r0 + th - 1 + bandWidth) / tw))
        for (let c = first; c <= last; c++) {
          origin[0] = r0
          origin[1] = c * tw
          visit(origin)
        }
      }
    },
  }
}

/**
 * Builds a `banded` instance. The instance's density is the band's (the input density is
 * validated but, as in Timeloop, the band decides). Unlike Timeloop, non-square matrices and
 * non-dividing tile shapes are accepted (whole aligned tiles are averaged).
 * @throws {SnipSnapError} INVALID_SPEC for a negative/non-integer band width or a non-2-D tensor.
 * @example createBandedDensity({ density: 0, tensorShape: [8, 8], params: { bandWidth: 1 } }).density
 * // → 22 / 64
 */
export const createBandedDensity = (
  input: DensityModelInput<BandedParams>
): FullDensityModelInstance => {
  const { tensorShape } = parseCommonInput(input)
  const params = parseOrThrow(paramsSchema, input.params ?? {}, ['params'])
  if (tensorShape.length !== 2) {
    failField(['tensorShape'], `banded needs a 2-D tensor, got ${tensorShape.length} ranks`)
  }
  const bandWidth = params.bandWidth ?? params.band_width ?? 0
  const pattern = createBandPattern([tensorShape[0] ?? 1, tensorShape[1] ?? 1], bandWidth)
  return createPatternInstance(pattern, 'banded')
}

/**
 * The `banded` density model plug-in (register `diagonal` as an alias).
 * @see Sparseloop (MICRO'22) §4; NVlabs/timeloop `banded-distribution.cpp`.
 */
export const bandedDensityModel = defineDensityModel<BandedParams>({
  id: 'banded',
  description: 'Non-zeros exactly on the band |row − col| ≤ bandWidth of a 2-D tensor (Timeloop).',
  create: createBandedDensity,
})

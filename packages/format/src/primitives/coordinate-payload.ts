// `CP`, coordinate payload: a compressed rank that lists the coordinate of every non-empty child.
// Coordinates take ⌈log2 F⌉ bits by default; the parent's offsets say how many a fiber holds.
import { bitsFor, defineFormatPrimitive, SPARSELOOP_RANK_FORMATS } from '@snipsnap/core'

/**
 * `CP`: one metadata word (the coordinate) and one payload offset per non-empty coordinate.
 * Metadata word bits default to ⌈log2 F⌉ (at least 1), payload to ⌈log2(maxOffset + 1)⌉.
 * @see sparseloop-model.md §2 (CP metadata units `nf·ceil(S·(1−Pe(next)))`; we count the exact
 *   expectation instead of ceil per fiber)
 */
export const coordinatePayload = defineFormatPrimitive({
  id: 'cp',
  symbol: 'CP',
  sparseloop: SPARSELOOP_RANK_FORMATS.CP.sparseloop,
  description: 'Coordinate payload: the coordinate of each non-empty child (COO/CSR column indices)',
  compressed: true,
  payload: 'per-slot',
  delimited: 'by-parent',
  exactUnits: true,
  defaultWordBits: ({ fiberSize, maxOffset }) => ({
    metadataBits: bitsFor(fiberSize - 1),
    payloadBits: bitsFor(maxOffset),
  }),
  encode: (fiber, _context, sink) => {
    const { coords } = fiber
    for (let i = 0; i < coords.length; i++) {
      const c = coords[i] as number
      sink.metadata(c)
      sink.slot(c)
    }
    return undefined
  },
  decode: (source, context, sink) => {
    const count = source.wordCount ?? 0
    let previous = -1
    for (let i = 0; i < count; i++) {
      const c = source.readMetadata()
      if (!(c > previous && c < context.fiberSize)) return `coordinate ${c} out of order or range`
      sink.slot(c)
      previous = c
    }
    return undefined
  },
  metadataUnits: (stats) => stats.occupiedCoords,
  slotUnits: (stats) => stats.occupiedCoords,
})

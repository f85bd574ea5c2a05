// `B`, bitmask: a compressed rank with one bit per coordinate marking the non-empty children; only
// the non-empty ones become slots.
import { bitsFor, defineFormatPrimitive, SPARSELOOP_RANK_FORMATS } from '@snipsnap/core'

/**
 * `B`: F metadata bits per fiber and one payload offset per non-empty coordinate. Metadata word
 * bits 1, payload ⌈log2(maxOffset + 1)⌉.
 * @see sparseloop-model.md §2 (B metadata units `nf·S`, payload `nf·ceil(S·(1−Pe(next)))`)
 */
export const bitmask = defineFormatPrimitive({
  id: 'b',
  symbol: 'B',
  sparseloop: SPARSELOOP_RANK_FORMATS.B.sparseloop,
  description: 'Bitmask: one bit per coordinate, non-empty children kept',
  compressed: true,
  payload: 'per-slot',
  delimited: 'self',
  exactUnits: true,
  defaultWordBits: ({ maxOffset }) => ({ metadataBits: 1, payloadBits: bitsFor(maxOffset) }),
  encode: (fiber, _context, sink) => {
    const { coords, size } = fiber
    let next = 0
    let target = coords.length > 0 ? (coords[0] as number) : -1
    for (let c = 0; c < size; c++) {
      if (c === target) {
        sink.metadata(1)
        sink.slot(c)
        next++
        target = next < coords.length ? (coords[next] as number) : -1
      } else sink.metadata(0)
    }
    return undefined
  },
  decode: (source, context, sink) => {
    for (let c = 0; c < context.fiberSize; c++) {
      const bit = source.readMetadata()
      if (bit === 1) sink.slot(c)
      else if (bit !== 0) return `mask word ${bit} is not a bit`
    }
    return undefined
  },
  metadataUnits: (stats) => stats.fibers * stats.fiberSize,
  slotUnits: (stats) => stats.occupiedCoords,
})

// Uncompressed rank primitives: every coordinate of a fiber is a slot, so these ranks store no
// coordinates. U (alias None) stores nothing at all; UOP adds CSR-style offset pairs; UB adds a
// bitmask marking which coordinates are non-empty (Sparseloop's uncompressed bitmask).
import { bitsFor, defineFormatPrimitive, type FiberSink, type FiberStats, SPARSELOOP_RANK_FORMATS } from '@snipsnap/core'

const allSlots = (size: number, sink: Pick<FiberSink, 'slot'>): undefined => {
  for (let c = 0; c < size; c++) sink.slot(c)
  return undefined
}

const allSlotUnits = (stats: FiberStats): number => stats.fibers * stats.fiberSize

/**
 * `U` (also written `None`): uncompressed, no metadata and no payload. Metadata word bits 0,
 * payload word bits 0.
 * @see paper.md §3.2 (Sparseloop's UOP with `payload-word-bits: 0`)
 */
export const uncompressed = defineFormatPrimitive({
  id: 'u',
  symbol: 'U',
  sparseloop: SPARSELOOP_RANK_FORMATS.U.sparseloop,
  description: 'Uncompressed: every coordinate stored, no metadata, no offsets',
  compressed: false,
  payload: 'none',
  delimited: 'self',
  exactUnits: true,
  defaultWordBits: () => ({ metadataBits: 0, payloadBits: 0 }),
  encode: (fiber, _context, sink) => allSlots(fiber.size, sink),
  decode: (_source, context, sink) => allSlots(context.fiberSize, sink),
  metadataUnits: () => 0,
  slotUnits: allSlotUnits,
})

/**
 * `UOP`: uncompressed offset pairs (the CSR row-pointer rank). No metadata; payload `F + 1`
 * offsets per fiber of ⌈log2(maxOffset + 1)⌉ bits by default.
 * @see sparseloop-model.md §2 (UOP payload units `nf·(S+1)`)
 */
export const uncompressedOffsetPairs = defineFormatPrimitive({
  id: 'uop',
  symbol: 'UOP',
  sparseloop: SPARSELOOP_RANK_FORMATS.UOP.sparseloop,
  description: 'Uncompressed offset pairs: F + 1 offsets per fiber into the next rank (CSR row pointers)',
  compressed: false,
  payload: 'offset-pairs',
  delimited: 'self',
  exactUnits: true,
  defaultWordBits: ({ maxOffset }) => ({ metadataBits: 0, payloadBits: bitsFor(maxOffset) }),
  encode: (fiber, _context, sink) => allSlots(fiber.size, sink),
  decode: (_source, context, sink) => allSlots(context.fiberSize, sink),
  metadataUnits: () => 0,
  slotUnits: allSlotUnits,
})

/**
 * `UB`: uncompressed bitmask. Every coordinate is a slot (zeros are stored) and an F-bit mask marks
 * the non-empty ones; payload one offset per slot. Metadata word bits 1.
 * @see sparseloop-model.md §2 (UB metadata and payload units `F·S`)
 */
export const uncompressedBitmask = defineFormatPrimitive({
  id: 'ub',
  symbol: 'UB',
  sparseloop: SPARSELOOP_RANK_FORMATS.UB.sparseloop,
  description: 'Uncompressed bitmask: all coordinates stored plus a 1-bit non-empty mask',
  compressed: false,
  payload: 'per-slot',
  delimited: 'self',
  exactUnits: true,
  defaultWordBits: ({ maxOffset }) => ({ metadataBits: 1, payloadBits: bitsFor(maxOffset) }),
  encode: (fiber, _context, sink) => {
    const { coords, size } = fiber
    let next = 0
    for (let c = 0; c < size; c++) {
      if (next < coords.length && coords[next] === c) {
        sink.metadata(1)
        next++
      } else sink.metadata(0)
      sink.slot(c)
    }
    return undefined
  },
  decode: (source, context, sink) => {
    for (let c = 0; c < context.fiberSize; c++) {
      const bit = source.readMetadata()
      if (bit !== 0 && bit !== 1) return `mask word ${bit} is not a bit`
      sink.slot(c)
    }
    return undefined
  },
  metadataUnits: allSlotUnits,
  slotUnits: allSlotUnits,
})

// `NM`, N:M structured sparsity (e.g. 2:4): an example of a user-defined primitive written against
// @snipsnap/core alone, as a third-party plug-in would be. Every group of m consecutive coordinates
// keeps exactly n slots, each with a ⌈log2 m⌉-bit in-group offset; groups with fewer non-zeros are
// padded with stored zeros, groups with more cannot be represented.
import { bitsFor, defineFormatPrimitive, nmGroupOffsets, nmPlacementOptions } from '@snipsnap/core'

/**
 * `NM`: options `n` (kept per group) and `m` (group size); the fiber size must be a multiple of m.
 * Metadata n·F/m offsets of ⌈log2 m⌉ bits per fiber, payload one offset per slot.
 * @example `U(M)-NM(K)[m=4,n=2]` is 2:4 sparsity along K.
 * @see paper.md §10.1 (proposal: NM as the "Custom" primitive)
 */
export const nOfM = defineFormatPrimitive({
  id: 'nm',
  symbol: 'NM',
  description: 'N:M structured: exactly n slots per group of m coordinates, in-group offsets',
  compressed: true,
  payload: 'per-slot',
  delimited: 'self',
  exactUnits: true,
  // Sparseloop-style pricing: n in-group offsets (metadata) and n payload offsets per group of m.
  sparseloop: {
    metadataUnits: (r) => (r.fibers * r.fiberShape * (r.options['n'] ?? 0)) / (r.options['m'] ?? 1),
    payloadUnits: (r) => (r.fibers * r.fiberShape * (r.options['n'] ?? 0)) / (r.options['m'] ?? 1),
  },
  parameters: {
    n: { description: 'slots kept per group', min: 1 },
    m: { description: 'group size in coordinates', min: 1 },
  },
  // In the compression engine's space only where the tensor is N:M structured (density model
  // `n-m`, n and m from its params) and the rank is the tile's innermost, over the grouped
  // dimension alone, with whole groups per fiber: then every group of m coordinates holds n
  // non-zeros at most, so the codec can encode it.
  placementOptions: (placement) => nmPlacementOptions(placement),
  checkFiberSize: (fiberSize, options) => {
    const n = options['n'] ?? 0
    const m = options['m'] ?? 1
    if (n > m) return `n (${n}) must not exceed m (${m})`
    if (fiberSize % m !== 0) return `fiber size ${fiberSize} is not a multiple of m = ${m}`
    return undefined
  },
  defaultWordBits: ({ maxOffset, options }) => ({
    metadataBits: bitsFor((options['m'] ?? 2) - 1),
    payloadBits: bitsFor(maxOffset),
  }),
  encode: (fiber, context, sink) =>
    // Each group's non-zeros merged with the lowest free offsets as padding.
    nmGroupOffsets(fiber, context.options['n'] ?? 0, context.options['m'] ?? 1, (base, offsets, count) => {
      for (let i = 0; i < count; i++) {
        const offset = offsets[i] as number
        sink.metadata(offset)
        sink.slot(base + offset)
      }
    }),
  decode: (source, context, sink) => {
    const n = context.options['n'] ?? 0
    const m = context.options['m'] ?? 1
    for (let base = 0; base < context.fiberSize; base += m) {
      let previous = -1
      for (let i = 0; i < n; i++) {
        const offset = source.readMetadata()
        if (!(offset > previous && offset < m)) return `in-group offset ${offset} out of order or range`
        sink.slot(base + offset)
        previous = offset
      }
    }
    return undefined
  },
  metadataUnits: (stats) =>
    (stats.fibers * stats.fiberSize * (stats.options['n'] ?? 0)) / (stats.options['m'] ?? 1),
  slotUnits: (stats) =>
    (stats.fibers * stats.fiberSize * (stats.options['n'] ?? 0)) / (stats.options['m'] ?? 1),
})

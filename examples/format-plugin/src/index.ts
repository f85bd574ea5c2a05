// A format primitive that none of Sparseloop's six rank formats expresses, written against
// @snipsnap/core alone: `NMX`, an enumerative N:M index. Each group of m consecutive coordinates
// keeps exactly n slots (groups with fewer non-zeros are padded with stored zeros, as N:M does),
// and the group's choice of n positions among m is stored as ONE code: its rank among the
// C(m, n) subsets, ⌈log2 C(m, n)⌉ bits. For 2:4 that is 3 bits per group of 4, against 4 for a
// bitmap (one bit per position) or for `NM`'s two 2-bit in-group offsets.
//
// The codes form a bit stream: each code is written as ⌈log2 C(m, n)⌉ one-bit metadata words,
// most significant bit first, the way a bitmap's bits are stored. Stored as 3-bit words instead,
// Sparseloop's rule that a word width divides the metadata line (64 bits on `llm-default`) would
// pad every code to 4 bits, exactly the bitmap's cost.
import { defineFormatPrimitive, definePlugin, nmGroupOffsets, nmPlacementOptions, type PrimitiveOptions, type RankPlacement } from '@snipsnap/core'

/** C(m, n) as an exact integer (exact for m ≤ 48: every intermediate product stays below 2^53). */
export const binomial = (m: number, n: number): number => {
  if (n < 0 || n > m) return 0
  let c = 1
  for (let i = 1; i <= Math.min(n, m - n); i++) c = (c * (m - Math.min(n, m - n) + i)) / i
  return Math.round(c)
}

/** Bits of one group code: ⌈log2 C(m, n)⌉ (0 when only one subset exists, n = m). */
export const codeBits = (m: number, n: number): number => {
  const count = binomial(m, n)
  let bits = 0
  while (2 ** bits < count) bits++
  return bits
}

/**
 * Rank of the increasing positions `c[0] < … < c[n−1]` among the n-subsets of {0…m−1} in
 * colexicographic order: Σ C(c[i], i + 1). A bijection onto [0, C(m, n)).
 * @example rankSubset([0, 1]) // 0;  rankSubset([2, 3]) // 5
 */
export const rankSubset = (positions: readonly number[]): number => {
  let code = 0
  for (let i = 0; i < positions.length; i++) code += binomial(positions[i] as number, i + 1)
  return code
}

/** The n increasing positions whose {@link rankSubset} is `code` (code in [0, C(m, n))). */
export const unrankSubset = (code: number, n: number, m: number): number[] => {
  const positions = new Array<number>(n)
  let rest = code
  let bound = m
  for (let i = n; i >= 1; i--) {
    let c = bound - 1
    while (c >= i - 1 && binomial(c, i) > rest) c--
    positions[i - 1] = c
    rest -= binomial(c, i)
    bound = c
  }
  return positions
}

const optionsOf = (options: PrimitiveOptions): { n: number; m: number } => ({ n: options['n'] ?? 0, m: options['m'] ?? 1 })

/**
 * Where the compression engine may place `NMX`: on an N:M tensor (density model `n-m`, n and m
 * from its params), as the tile's innermost rank, over the grouped dimension alone (params.rank,
 * default the tensor's last rank) with whole groups per fiber; none elsewhere.
 */
export const nmxPlacementOptions = (placement: RankPlacement): readonly PrimitiveOptions[] =>
  // NM's placement rule, with NMX's own bound on the group size (codes stay exact doubles).
  nmPlacementOptions(placement).filter((options) => (options['m'] ?? 0) <= 48)

/**
 * `NMX`: options `n` (kept per group) and `m` (group size, ≤ 48); the fiber size must be a
 * multiple of m. Metadata: one ⌈log2 C(m, n)⌉-bit code per group, as that many 1-bit words;
 * payload: one offset per slot (n per group), like `NM`.
 * @example `U(M)-NMX(K)[m=4,n=2]` stores 2:4 weights with 3 bits of index per group of 4.
 */
export const nmxPrimitive = defineFormatPrimitive({
  id: 'nmx',
  symbol: 'NMX',
  description: 'Enumerative N:M index: one ⌈log2 C(m,n)⌉-bit code per group of m coordinates',
  compressed: true,
  payload: 'per-slot',
  delimited: 'self',
  exactUnits: true,
  parameters: {
    n: { description: 'slots kept per group', min: 1 },
    m: { description: 'group size in coordinates', min: 1, max: 48 },
  },
  checkFiberSize: (fiberSize, options) => {
    const { n, m } = optionsOf(options)
    if (n > m) return `n (${n}) must not exceed m (${m})`
    if (m > 48) return `m (${m}) must be at most 48 (codes stay exact doubles)`
    if (fiberSize % m !== 0) return `fiber size ${fiberSize} is not a multiple of m = ${m}`
    return undefined
  },
  defaultWordBits: ({ maxOffset, options }) => {
    const { n, m } = optionsOf(options)
    return { metadataBits: 1, payloadBits: maxOffset <= 1 ? 1 : Math.ceil(Math.log2(maxOffset + 1)) }
  },
  encode: (fiber, context, sink) => {
    const { n, m } = optionsOf(context.options)
    const bits = codeBits(m, n)
    // The group's non-zeros merged with the lowest free positions as padding, in order (as NM stores them).
    return nmGroupOffsets(fiber, n, m, (base, positions) => {
      const code = rankSubset(positions)
      for (let b = bits - 1; b >= 0; b--) sink.metadata(Math.floor(code / 2 ** b) % 2)
      for (const offset of positions) sink.slot(base + offset)
    })
  },
  decode: (source, context, sink) => {
    const { n, m } = optionsOf(context.options)
    const codes = binomial(m, n)
    const bits = codeBits(m, n)
    for (let base = 0; base < context.fiberSize; base += m) {
      let code = 0
      for (let b = 0; b < bits; b++) {
        const bit = source.readMetadata()
        if (bit !== 0 && bit !== 1) return `code bit ${bit} is not 0 or 1`
        code = code * 2 + bit
      }
      if (!(code < codes)) return `group code ${code} outside [0, ${codes})`
      for (const offset of unrankSubset(code, n, m)) sink.slot(base + offset)
    }
    return undefined
  },
  metadataUnits: (stats) => {
    const { n, m } = optionsOf(stats.options)
    return ((stats.fibers * stats.fiberSize) / m) * codeBits(m, n)
  },
  slotUnits: (stats) => (stats.fibers * stats.fiberSize * optionsOf(stats.options).n) / optionsOf(stats.options).m,
  // Sparseloop-style pricing: one code of ⌈log2 C(m, n)⌉ 1-bit units and n payload offsets per group of m.
  sparseloop: {
    defaultMetadataWordBits: 1,
    metadataUnits: (r) => ((r.fibers * r.fiberShape) / (r.options['m'] ?? 1)) * codeBits(r.options['m'] ?? 1, r.options['n'] ?? 0),
    payloadUnits: (r) => (r.fibers * r.fiberShape * (r.options['n'] ?? 0)) / (r.options['m'] ?? 1),
  },
  placementOptions: nmxPlacementOptions,
})

/** The plug-in bundle the CLI loads: `snipsnap formats optimize … --plugin examples/format-plugin`. */
export default definePlugin({
  id: 'nmx-format',
  description: 'The `NMX` enumerative N:M index format primitive',
  formats: [nmxPrimitive],
})

// `RLE`, run length: a compressed rank storing, for every non-empty child, the run of empty
// coordinates before it. A run longer than the word can hold is split with padding entries.
import { bitsFor, defineFormatPrimitive, SPARSELOOP_RANK_FORMATS } from '@snipsnap/core'

/**
 * Expected padding entries of one fiber of `fiberSize` coordinates whose coordinates are empty
 * independently with probability `q`, for runs of width `wordBits` (padding marker 2^w − 1).
 *
 * A run of g zeros before a non-zero costs ⌊g / M⌋ padding entries (M = 2^w − 1). With
 * P(run ≥ tM before position i) = q^{tM} for tM ≤ i, the expectation is
 * (1 − q) · Σ_{t=1..T} q^{tM} (F − tM), T = ⌊(F − 1) / M⌋, summed in closed form.
 */
export const expectedRunPadding = (fiberSize: number, q: number, wordBits: number): number => {
  const M = 2 ** wordBits - 1
  const T = Math.floor((fiberSize - 1) / M)
  if (T < 1 || q <= 0) return 0
  if (q >= 1) return 0
  if (T <= 32) {
    // Short sums: direct loop, exact and cheap.
    let sum = 0
    const x = q ** M
    let xt = x
    for (let t = 1; t <= T; t++) {
      sum += xt * (fiberSize - t * M)
      xt *= x
    }
    return (1 - q) * sum
  }
  const logX = M * Math.log(q)
  const x = Math.exp(logX)
  const y = -Math.expm1(logX) // 1 − x without cancellation
  if (T * y < 1e-7) {
    // x ≈ 1: Σ x^t ≈ T, Σ t·x^t ≈ T(T+1)/2 (relative error O(T·y)).
    return (1 - q) * (fiberSize * T - (M * T * (T + 1)) / 2)
  }
  const xT = Math.exp(T * logX)
  const a = -Math.expm1(T * logX) // 1 − x^T
  const s1 = (x * a) / y
  const s2 = (x * (a - T * xT * y)) / (y * y)
  return (1 - q) * (fiberSize * s1 - M * s2)
}

/**
 * `RLE`: one run word per non-empty coordinate plus padding entries for long runs, one payload
 * offset per non-empty coordinate. Run width defaults to ⌈log2(F + 1)⌉ bits, which never needs
 * padding; set `mb` (e.g. `RLE(K)[mb=4]`) for narrower runs. The all-ones word is the padding
 * marker ("skip 2^w − 1 empty coordinates"), so real runs use values 0..2^w − 2.
 * @see sparseloop-model.md §2 (RLE metadata units `nf·S·(1−Pe(next))`; padding is our addition)
 */
export const runLength = defineFormatPrimitive({
  id: 'rle',
  symbol: 'RLE',
  sparseloop: SPARSELOOP_RANK_FORMATS.RLE.sparseloop,
  description: 'Run length: zero-run before each non-empty child, padding entries for long runs',
  compressed: true,
  payload: 'per-slot',
  delimited: 'by-parent',
  exactUnits: false,
  defaultWordBits: ({ fiberSize, maxOffset }) => ({
    metadataBits: bitsFor(fiberSize),
    payloadBits: bitsFor(maxOffset),
  }),
  encode: (fiber, context, sink) => {
    const marker = 2 ** context.wordBits.metadataBits - 1
    if (marker < 1) return 'RLE needs a run width of at least 1 bit'
    const { coords } = fiber
    let previous = -1
    for (let i = 0; i < coords.length; i++) {
      const c = coords[i] as number
      let run = c - previous - 1
      while (run >= marker) {
        sink.metadata(marker)
        run -= marker
      }
      sink.metadata(run)
      sink.slot(c)
      previous = c
    }
    return undefined
  },
  decode: (source, context, sink) => {
    const marker = 2 ** context.wordBits.metadataBits - 1
    const count = source.wordCount ?? 0
    let position = 0
    for (let i = 0; i < count; i++) {
      const word = source.readMetadata()
      if (!(word >= 0)) return 'run stream ended early'
      position += word
      if (word === marker) continue
      if (position >= context.fiberSize) return `run leads past the fiber end (${position})`
      sink.slot(position)
      position++
    }
    return undefined
  },
  metadataUnits: (stats) =>
    stats.occupiedCoords +
    stats.maxFibers *
      expectedRunPadding(stats.fiberSize, stats.childEmptyProbability, stats.wordBits.metadataBits),
  slotUnits: (stats) => stats.occupiedCoords,
})

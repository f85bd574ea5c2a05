// The exact codec: encodes a real tensor into per-rank metadata and payload word streams packed at
// their word widths (so reported sizes are bit-exact), plus the stored values, and decodes it back.
//
// Fibertree walk: the non-zeros are listed in rank order (the order of the pattern's parts, outer
// first); for every rank r, the non-empty coordinate prefixes are computed once, then fibers are
// encoded top-down. A fiber of rank r + 1 exists for every slot of rank r.
import { SnipSnapError, type FiberSink, type FiberSource, type FiberContext } from '@snipsnap/core'
import type { BoundFormat, BoundRank } from './bind'
import { GrowableF64, GrowableU32, MAX_CODEC_WORD_BITS, packWords, WordReader } from './internal/words'

/** A dense row-major tensor (any numeric typed array or array). Zeros (and −0) are not stored. */
export interface DenseTensorInput {
  readonly shape: readonly number[]
  readonly data: ArrayLike<number>
}

/** A tensor in coordinate form: one index array per dimension, and the values. */
export interface CooTensorInput {
  readonly shape: readonly number[]
  readonly indices: readonly ArrayLike<number>[]
  readonly values: ArrayLike<number>
}

export type TensorInput = DenseTensorInput | CooTensorInput

/** Words of one stream packed LSB-first into 32-bit lanes; its size is `count × wordBits` bits. */
export interface PackedWords {
  readonly wordBits: number
  readonly count: number
  readonly data: Uint32Array
}

/** One encoded rank. */
export interface EncodedRank {
  readonly symbol: string
  readonly fiberSize: number
  readonly fibers: number
  readonly slots: number
  readonly metadata: PackedWords
  readonly payload: PackedWords
}

/** Size of one rank, in words and bits (exact from the codec, expectations from the size model). */
export interface RankSizes {
  readonly symbol: string
  readonly fiberSize: number
  readonly fibers: number
  readonly slots: number
  readonly metadataWords: number
  readonly metadataWordBits: number
  readonly metadataBits: number
  readonly payloadWords: number
  readonly payloadWordBits: number
  readonly payloadBits: number
}

/**
 * Sizes of one bound rank from its word counts: bits follow from the rank's word widths, so the
 * codec (exact counts) and the size model (expected counts) derive them the same way.
 */
export const rankSizesOf = (
  rank: BoundRank,
  counts: { readonly fibers: number; readonly slots: number; readonly metadataWords: number; readonly payloadWords: number },
): RankSizes => ({
  symbol: rank.primitive.symbol,
  fiberSize: rank.fiberSize,
  fibers: counts.fibers,
  slots: counts.slots,
  metadataWords: counts.metadataWords,
  metadataWordBits: rank.wordBits.metadataBits,
  metadataBits: counts.metadataWords * rank.wordBits.metadataBits,
  payloadWords: counts.payloadWords,
  payloadWordBits: rank.wordBits.payloadBits,
  payloadBits: counts.payloadWords * rank.wordBits.payloadBits,
})

/**
 * Size of a whole encoded tensor. `metadataBits` and `payloadBits` are the format overhead
 * (coordinates, masks, runs; offsets), `dataBits` the stored values (non-zeros plus any zeros the
 * format keeps), `denseBits` the uncompressed size of the tensor at the same value width.
 */
export interface FormatSizes {
  readonly ranks: readonly RankSizes[]
  readonly metadataBits: number
  readonly payloadBits: number
  readonly dataBits: number
  readonly totalBits: number
  readonly storedValues: number
  readonly valueBits: number
  readonly denseBits: number
}

/** A tensor encoded in one format: plain data (typed arrays and numbers). */
export interface EncodedTensor {
  /** Canonical text of the format it was encoded with. */
  readonly format: string
  readonly shape: readonly number[]
  readonly nnz: number
  readonly ranks: readonly EncodedRank[]
  /** Stored values in slot order of the innermost rank (Float32Array for Float32Array input). */
  readonly values: Float32Array | Float64Array
  readonly sizes: FormatSizes
}

/** Outcome of {@link encodeTensor}: a format that cannot hold the tensor is a value, not an error. */
export type EncodeResult =
  | { readonly ok: true; readonly encoded: EncodedTensor }
  | { readonly ok: false; readonly reason: string }

/** Options of {@link encodeTensor}. */
export interface EncodeTensorOptions {
  readonly format: BoundFormat
  readonly tensor: TensorInput
  /** Bits per stored value, for `dataBits`; default 32. */
  readonly valueBits?: number
}

const isCoo = (tensor: TensorInput): tensor is CooTensorInput => 'indices' in tensor

interface PartLayout {
  /** Part sizes in rank order (outer first). */
  readonly sizes: readonly number[]
  /** Row-major tensor stride of each part. */
  readonly tensorStrides: readonly number[]
}

const partLayout = (format: BoundFormat): PartLayout => {
  const { shape } = format
  const dimStride = new Array<number>(shape.length).fill(1)
  for (let d = shape.length - 2; d >= 0; d--) dimStride[d] = (dimStride[d + 1] as number) * (shape[d + 1] as number)
  const parts = format.ranks.flatMap((rank) => rank.parts)
  const sizes = parts.map((part) => part.size)
  const tensorStrides = parts.map((part, i) => {
    let inner = 1
    for (let j = i + 1; j < parts.length; j++) if ((parts[j] as { dimIndex: number }).dimIndex === part.dimIndex) inner *= (parts[j] as { size: number }).size
    return (dimStride[part.dimIndex] as number) * inner
  })
  return { sizes, tensorStrides }
}

const checkShape = (format: BoundFormat, shape: readonly number[], path: string): void => {
  if (shape.length !== format.shape.length || shape.some((s, i) => s !== format.shape[i])) {
    throw new SnipSnapError(
      'INVALID_SPEC',
      `tensor shape [${shape.join(', ')}] does not match the format's shape [${format.shape.join(', ')}]`,
      { path: [path, 'shape'] },
    )
  }
}

/** Non-zeros in rank order: linear rank-order positions and values. */
const collectNonZeros = (
  format: BoundFormat,
  tensor: TensorInput,
  layout: PartLayout,
): { lin: Float64Array; values: Float32Array | Float64Array } => {
  const { sizes, tensorStrides } = layout
  const P = sizes.length
  if (!isCoo(tensor)) {
    const { data } = tensor
    if (data.length !== format.tensorSize) {
      throw new SnipSnapError('INVALID_SPEC', `tensor data holds ${data.length} values, shape needs ${format.tensorSize}`, {
        path: ['tensor', 'data'],
      })
    }
    let nnz = 0
    for (let i = 0; i < data.length; i++) if ((data[i] as number) !== 0) nnz++
    const lin = new Float64Array(nnz)
    const values = data instanceof Float32Array ? new Float32Array(nnz) : new Float64Array(nnz)
    // Rank order equal to row-major order (CSR, bitmap, COO…): one linear scan, no odometer.
    let rowMajor = true
    for (let p = P - 1, stride = 1; p >= 0; p--) {
      if (tensorStrides[p] !== stride) rowMajor = false
      stride *= sizes[p] as number
    }
    if (rowMajor) {
      let k = 0
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as number
        if (v !== 0) {
          lin[k] = i
          values[k] = v
          k++
        }
      }
      return { lin, values }
    }
    // Odometer over parts in rank order; the innermost part runs in a tight loop.
    const coord = new Array<number>(P).fill(0)
    const innerSize = sizes[P - 1] as number
    const innerStride = tensorStrides[P - 1] as number
    let base = 0
    let position = 0
    let k = 0
    for (;;) {
      let index = base
      for (let c = 0; c < innerSize; c++, index += innerStride, position++) {
        const v = data[index] as number
        if (v !== 0) {
          lin[k] = position
          values[k] = v
          k++
        }
      }
      let p = P - 2
      for (; p >= 0; p--) {
        const next = (coord[p] as number) + 1
        if (next < (sizes[p] as number)) {
          coord[p] = next
          base += tensorStrides[p] as number
          break
        }
        coord[p] = 0
        base -= (next - 1) * (tensorStrides[p] as number)
      }
      if (p < 0) break
    }
    return { lin, values }
  }
  const { indices, values: cooValues } = tensor
  if (indices.length !== format.shape.length) {
    throw new SnipSnapError('INVALID_SPEC', `need ${format.shape.length} index arrays, got ${indices.length}`, { path: ['tensor', 'indices'] })
  }
  const count = cooValues.length
  indices.forEach((arr, d) => {
    if (arr.length !== count) {
      throw new SnipSnapError('INVALID_SPEC', `index array ${d} has ${arr.length} entries, values have ${count}`, { path: ['tensor', 'indices', d] })
    }
  })
  // Rank-order stride of each part, and per dimension its parts innermost first.
  const rankStride = new Array<number>(P).fill(1)
  for (let p = P - 2; p >= 0; p--) rankStride[p] = (rankStride[p + 1] as number) * (sizes[p + 1] as number)
  const parts = format.ranks.flatMap((rank) => rank.parts)
  const byDim = format.shape.map((_, d) => parts.map((part, p) => ({ part, p })).filter((e) => e.part.dimIndex === d).reverse())
  const order: number[] = []
  const linAll = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    let lin = 0
    for (let d = 0; d < format.shape.length; d++) {
      let x = (indices[d] as ArrayLike<number>)[i] as number
      if (!Number.isInteger(x) || x < 0 || x >= (format.shape[d] as number)) {
        throw new SnipSnapError('INVALID_SPEC', `index ${x} out of range for dimension ${d} of size ${format.shape[d]}`, {
          path: ['tensor', 'indices', d, i],
        })
      }
      for (const { part, p } of byDim[d] ?? []) {
        lin += (x % part.size) * (rankStride[p] as number)
        x = Math.floor(x / part.size)
      }
    }
    linAll[i] = lin
    if ((cooValues[i] as number) !== 0) order.push(i)
  }
  order.sort((a, b) => (linAll[a] as number) - (linAll[b] as number))
  const lin = new Float64Array(order.length)
  const values = cooValues instanceof Float32Array ? new Float32Array(order.length) : new Float64Array(order.length)
  order.forEach((i, k) => {
    lin[k] = linAll[i] as number
    values[k] = cooValues[i] as number
    if (k > 0 && lin[k] === lin[k - 1]) {
      throw new SnipSnapError('INVALID_SPEC', `duplicate coordinate at entry ${i}`, { path: ['tensor', 'indices'] })
    }
  })
  return { lin, values }
}

/** Unique prefixes ⌊lin / inner⌋ of the sorted positions. */
const uniquePrefixes = (lin: Float64Array, inner: number): Float64Array => {
  if (inner === 1) return lin
  const out = new GrowableF64(Math.min(lin.length, 1024))
  let last = -1
  for (let i = 0; i < lin.length; i++) {
    const prefix = Math.floor((lin[i] as number) / inner)
    if (prefix !== last) {
      out.push(prefix)
      last = prefix
    }
  }
  return out.view()
}

const limitFor = (bits: number): number => 2 ** bits

/**
 * Encodes a tensor in a bound format: per-rank metadata and payload words packed at their widths,
 * and the stored values. Sizes are exact: `count × wordBits` per stream.
 * @returns `{ ok: false, reason }` when the format cannot hold this tensor (an N:M group with too many
 *   non-zeros, a value wider than an overridden word width, words wider than 32 bits).
 * @throws {SnipSnapError} INVALID_SPEC when the tensor does not match the format's shape or is malformed.
 */
export const encodeTensor = (options: EncodeTensorOptions): EncodeResult => {
  const { format, tensor } = options
  const valueBits = options.valueBits ?? 32
  if (!Number.isInteger(valueBits) || valueBits < 1) {
    throw new SnipSnapError('INVALID_SPEC', `valueBits must be a positive integer, got ${valueBits}`, { path: ['valueBits'] })
  }
  checkShape(format, tensor.shape, 'tensor')
  for (const [r, rank] of format.ranks.entries()) {
    const { metadataBits, payloadBits } = rank.wordBits
    if (metadataBits > MAX_CODEC_WORD_BITS || payloadBits > MAX_CODEC_WORD_BITS) {
      return { ok: false, reason: `rank ${r + 1} (${rank.primitive.symbol}) uses words wider than ${MAX_CODEC_WORD_BITS} bits` }
    }
  }
  const layout = partLayout(format)
  const { lin, values: nonZeroValues } = collectNonZeros(format, tensor, layout)
  const n = format.ranks.length
  const inner = new Array<number>(n).fill(1)
  for (let r = n - 2; r >= 0; r--) inner[r] = (inner[r + 1] as number) * (format.ranks[r + 1] as BoundRank).fiberSize

  interface RankWork {
    readonly metadata: Uint32Array
    readonly slotIds: Float64Array
    readonly fiberWords: Uint32Array
    readonly fiberSlots: Uint32Array
    readonly fibers: number
  }
  const work: RankWork[] = []
  let fibers: Float64Array = Float64Array.of(0)
  for (let r = 0; r < n; r++) {
    const rank = format.ranks[r] as BoundRank
    const F = rank.fiberSize
    const occupied = uniquePrefixes(lin, inner[r] as number)
    const metadata = new GrowableU32(Math.min(occupied.length * 2 + 16, 1 << 20))
    const slotIds = new GrowableF64(Math.min(occupied.length * 2 + 16, 1 << 20))
    const fiberWords = new Uint32Array(fibers.length)
    const fiberSlots = new Uint32Array(fibers.length)
    const wordLimit = limitFor(rank.wordBits.metadataBits)
    let problem: string | undefined
    let base = 0
    let lastSlot = -1
    const sink: FiberSink = {
      metadata(word) {
        if (!(Number.isInteger(word) && word >= 0 && word < wordLimit) && problem === undefined) {
          problem = `rank ${r + 1} (${rank.primitive.symbol}): metadata word ${word} does not fit in ${rank.wordBits.metadataBits} bits`
        }
        metadata.push(word)
      },
      slot(coord) {
        if (!(Number.isInteger(coord) && coord > lastSlot && coord < F) && problem === undefined) {
          problem = `rank ${r + 1} (${rank.primitive.symbol}) emitted slot ${coord} out of order or range`
        }
        lastSlot = coord
        slotIds.push(base + coord)
      },
    }
    const context: FiberContext = { fiberSize: F, wordBits: rank.wordBits, options: rank.options }
    const scratch = new Float64Array(Math.max(1, Math.min(F, occupied.length)))
    let p = 0
    for (let fi = 0; fi < fibers.length; fi++) {
      base = (fibers[fi] as number) * F
      const end = base + F
      if (p < occupied.length && (occupied[p] as number) < base) {
        return { ok: false, reason: `rank ${r} dropped a non-empty coordinate (primitive bug)` }
      }
      let k = 0
      while (p < occupied.length && (occupied[p] as number) < end) scratch[k++] = (occupied[p++] as number) - base
      const words0 = metadata.length
      const slots0 = slotIds.length
      lastSlot = -1
      const reason = rank.primitive.encode({ size: F, coords: scratch.subarray(0, k) }, context, sink)
      if (reason !== undefined) return { ok: false, reason: `rank ${r + 1} (${rank.primitive.symbol}): ${reason}` }
      if (problem !== undefined) return { ok: false, reason: problem }
      const words = metadata.length - words0
      if (words > F) return { ok: false, reason: `rank ${r + 1} (${rank.primitive.symbol}) wrote ${words} words for a fiber of ${F}` }
      fiberWords[fi] = words
      fiberSlots[fi] = slotIds.length - slots0
    }
    if (p < occupied.length) return { ok: false, reason: `rank ${r} dropped a non-empty coordinate (primitive bug)` }
    const slots = slotIds.view()
    work.push({ metadata: metadata.view(), slotIds: slots, fiberWords, fiberSlots, fibers: fibers.length })
    fibers = slots
  }

  // Payload offsets of rank r delimit rank r + 1's fibers, in that rank's entries (metadata words
  // when its fibers are delimited by the parent, slots otherwise).
  const ranks: EncodedRank[] = []
  const rankSizes: RankSizes[] = []
  let metadataBitsTotal = 0
  let payloadBitsTotal = 0
  for (let r = 0; r < n; r++) {
    const rank = format.ranks[r] as BoundRank
    const w = work[r] as RankWork
    const payload = new GrowableU32(16)
    let payloadCount = 0
    const kind = r === n - 1 ? 'none' : rank.primitive.payload
    if (kind !== 'none') {
      const child = work[r + 1] as RankWork
      const childEntries = (format.ranks[r + 1] as BoundRank).primitive.delimited === 'by-parent' ? child.fiberWords : child.fiberSlots
      const store = rank.wordBits.payloadBits > 0
      const limit = limitFor(rank.wordBits.payloadBits)
      let cumulative = 0
      let j = 0
      const emit = (value: number): string | undefined => {
        payloadCount++
        if (!store) return undefined
        if (value >= limit) return `rank ${r + 1} (${rank.primitive.symbol}): offset ${value} does not fit in ${rank.wordBits.payloadBits} bits`
        payload.push(value)
        return undefined
      }
      for (let fi = 0; fi < w.fibers; fi++) {
        if (kind === 'offset-pairs') {
          const problem = emit(cumulative)
          if (problem !== undefined) return { ok: false, reason: problem }
        }
        const s = w.fiberSlots[fi] as number
        for (let i = 0; i < s; i++, j++) {
          cumulative += childEntries[j] as number
          const problem = emit(cumulative)
          if (problem !== undefined) return { ok: false, reason: problem }
        }
      }
    }
    const metadataWords = w.metadata.length
    const sizes = rankSizesOf(rank, {
      fibers: w.fibers,
      slots: w.slotIds.length,
      metadataWords,
      payloadWords: payloadCount,
    })
    metadataBitsTotal += sizes.metadataBits
    payloadBitsTotal += sizes.payloadBits
    rankSizes.push(sizes)
    ranks.push({
      symbol: rank.primitive.symbol,
      fiberSize: rank.fiberSize,
      fibers: w.fibers,
      slots: w.slotIds.length,
      metadata: { wordBits: rank.wordBits.metadataBits, count: metadataWords, data: packWords(w.metadata, metadataWords, rank.wordBits.metadataBits) },
      payload: {
        wordBits: rank.wordBits.payloadBits,
        count: payloadCount,
        data: packWords(payload.view(), payload.length, rank.wordBits.payloadBits),
      },
    })
  }

  // Stored values: one per innermost slot, zero where the slot's position holds no non-zero.
  const leaves = (work[n - 1] as RankWork).slotIds
  const values = nonZeroValues instanceof Float32Array ? new Float32Array(leaves.length) : new Float64Array(leaves.length)
  let k = 0
  for (let j = 0; j < leaves.length && k < lin.length; j++) {
    if (leaves[j] === lin[k]) values[j] = nonZeroValues[k++] as number
  }
  if (k !== lin.length) return { ok: false, reason: 'the innermost rank dropped a non-zero (primitive bug)' }
  const dataBits = leaves.length * valueBits
  return {
    ok: true,
    encoded: {
      format: format.text,
      shape: [...format.shape],
      nnz: lin.length,
      ranks,
      values,
      sizes: {
        ranks: rankSizes,
        metadataBits: metadataBitsTotal,
        payloadBits: payloadBitsTotal,
        dataBits,
        totalBits: metadataBitsTotal + payloadBitsTotal + dataBits,
        storedValues: leaves.length,
        valueBits,
        denseBits: format.tensorSize * valueBits,
      },
    },
  }
}

/** A decoded dense row-major tensor. */
export interface DecodedTensor {
  readonly shape: readonly number[]
  readonly data: Float32Array | Float64Array
}

const corrupt = (r: number, message: string): SnipSnapError =>
  new SnipSnapError('PARSE_ERROR', `encoded rank ${r + 1}: ${message}`, { path: ['encoded', 'ranks', r] })

/**
 * Decodes an encoded tensor back to a dense row-major array.
 * @throws {SnipSnapError} INVALID_SPEC when `encoded` was made with another format; PARSE_ERROR on
 *   corrupt streams.
 */
export const decodeTensor = (options: { readonly format: BoundFormat; readonly encoded: EncodedTensor }): DecodedTensor => {
  const { format, encoded } = options
  if (encoded.format !== format.text) {
    throw new SnipSnapError('INVALID_SPEC', `tensor was encoded as ${encoded.format}, not ${format.text}`, { path: ['encoded', 'format'] })
  }
  checkShape(format, encoded.shape, 'encoded')
  const n = format.ranks.length
  let fibers: Float64Array = Float64Array.of(0)
  let childWords: Float64Array | undefined
  for (let r = 0; r < n; r++) {
    const rank = format.ranks[r] as BoundRank
    const stream = encoded.ranks[r]
    if (stream === undefined) throw corrupt(r, 'missing')
    const F = rank.fiberSize
    const reader = new WordReader(stream.metadata.data, stream.metadata.count, rank.wordBits.metadataBits)
    const byParent = rank.primitive.delimited === 'by-parent'
    const source: { readMetadata: () => number; wordCount: number | undefined } = {
      readMetadata: () => reader.read(),
      wordCount: undefined,
    }
    const slotIds = new GrowableF64(Math.min(stream.slots + 16, 1 << 24))
    const fiberSlots = new Uint32Array(fibers.length)
    let base = 0
    let lastSlot = -1
    const sink = {
      slot(coord: number) {
        if (!(coord > lastSlot && coord < F)) throw corrupt(r, `slot ${coord} out of order or range`)
        lastSlot = coord
        slotIds.push(base + coord)
      },
    }
    const context: FiberContext = { fiberSize: F, wordBits: rank.wordBits, options: rank.options }
    for (let fi = 0; fi < fibers.length; fi++) {
      base = (fibers[fi] as number) * F
      lastSlot = -1
      source.wordCount = byParent ? (r === 0 ? stream.metadata.count : (childWords?.[fi] as number)) : undefined
      const start = reader.position
      const before = slotIds.length
      const reason = rank.primitive.decode(source as FiberSource, context, sink)
      if (reason !== undefined) throw corrupt(r, reason)
      if (reader.position > reader.count) throw corrupt(r, 'metadata stream too short')
      if (byParent && reader.position - start !== source.wordCount) throw corrupt(r, 'fiber length disagrees with its offsets')
      fiberSlots[fi] = slotIds.length - before
    }
    if (reader.remaining !== 0) throw corrupt(r, `${reader.remaining} metadata words left over`)
    const slots = slotIds.view()
    // Offsets of this rank give the word counts of the next rank's fibers when it needs them.
    childWords = undefined
    const next = format.ranks[r + 1]
    if (next !== undefined && next.primitive.delimited === 'by-parent') {
      const payload = new WordReader(stream.payload.data, stream.payload.count, rank.wordBits.payloadBits)
      childWords = new Float64Array(slots.length)
      let previous = 0
      let j = 0
      for (let fi = 0; fi < fibers.length; fi++) {
        if (rank.primitive.payload === 'offset-pairs' && payload.read() !== previous) throw corrupt(r, 'offset pair does not continue')
        for (let i = 0; i < (fiberSlots[fi] as number); i++, j++) {
          const end = payload.read()
          if (!(end >= previous)) throw corrupt(r, 'offsets decrease or end early')
          childWords[j] = end - previous
          previous = end
        }
      }
    }
    fibers = slots
  }
  if (fibers.length !== encoded.values.length) throw corrupt(n - 1, `${encoded.values.length} values for ${fibers.length} slots`)
  const layout = partLayout(format)
  const P = layout.sizes.length
  const out = encoded.values instanceof Float32Array ? new Float32Array(format.tensorSize) : new Float64Array(format.tensorSize)
  for (let j = 0; j < fibers.length; j++) {
    const v = encoded.values[j] as number
    if (v === 0) continue
    let lin = fibers[j] as number
    let index = 0
    for (let p = P - 1; p >= 0; p--) {
      const size = layout.sizes[p] as number
      const q = Math.floor(lin / size)
      index += (lin - q * size) * (layout.tensorStrides[p] as number)
      lin = q
    }
    out[index] = v
  }
  return { shape: [...format.shape], data: out }
}

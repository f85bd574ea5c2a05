// Growable typed buffers and fixed-width bit packing used by the exact codec. Sizes reported by
// the codec are `count × width` of these packed streams, so they are bit-exact by construction.

/** A growable Float64Array (slot ids and offsets can exceed 2^32 for large flattened ranks). */
export class GrowableF64 {
  data: Float64Array
  length = 0
  constructor(initial = 16) {
    this.data = new Float64Array(Math.max(16, initial))
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = value
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length)
  }
}

/** A growable Uint32Array. */
export class GrowableU32 {
  data: Uint32Array
  length = 0
  constructor(initial = 16) {
    this.data = new Uint32Array(Math.max(16, initial))
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = value
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length)
  }
}

/** Largest word width the codec packs (offsets of tensors up to 2^32 entries). */
export const MAX_CODEC_WORD_BITS = 32

/** Packs `count` words of `width` bits LSB-first into 32-bit lanes. */
export const packWords = (values: ArrayLike<number>, count: number, width: number): Uint32Array => {
  if (width === 0) return new Uint32Array(0)
  const out = new Uint32Array(Math.ceil((count * width) / 32))
  let bit = 0
  for (let i = 0; i < count; i++) {
    const v = (values[i] as number) >>> 0
    const lane = bit >>> 5
    const shift = bit & 31
    out[lane] = (out[lane] as number) | (v << shift)
    if (shift + width > 32) out[lane + 1] = v >>> (32 - shift)
    bit += width
  }
  return out
}

/** Sequential reader over words packed by {@link packWords}. */
export class WordReader {
  private bit = 0
  private index = 0
  private readonly mask: number
  private readonly data: Uint32Array
  private readonly width: number
  readonly count: number
  constructor(data: Uint32Array, count: number, width: number) {
    this.data = data
    this.count = count
    this.width = width
    this.mask = width === 32 ? 0xffffffff : (1 << width) - 1
  }
  get position(): number {
    return this.index
  }
  get remaining(): number {
    return this.count - this.index
  }
  read(): number {
    if (this.index >= this.count) return Number.NaN
    this.index++
    if (this.width === 0) return 0
    const lane = this.bit >>> 5
    const shift = this.bit & 31
    let v = (this.data[lane] as number) >>> shift
    if (shift + this.width > 32) v |= (this.data[lane + 1] as number) << (32 - shift)
    this.bit += this.width
    return (v & this.mask) >>> 0
  }
}

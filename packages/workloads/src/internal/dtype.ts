// Element types the readers understand, their byte sizes, and one decoder from raw bytes to
// float32 shared by .npy, safetensors and GGUF so every format converts values the same way.
import { bfloat16ToFloat, halfToFloat } from './half'

/** Element type of raw tensor bytes (NumPy-style names plus bfloat16). */
export type ElementType =
  | 'f2'
  | 'bf16'
  | 'f4'
  | 'f8'
  | 'i1'
  | 'i2'
  | 'i4'
  | 'i8'
  | 'u1'
  | 'u2'
  | 'u4'
  | 'u8'
  | 'bool'

/** Bytes per element. */
export const elementBytes: Readonly<Record<ElementType, number>> = {
  f2: 2,
  bf16: 2,
  f4: 4,
  f8: 8,
  i1: 1,
  i2: 2,
  i4: 4,
  i8: 8,
  u1: 1,
  u2: 2,
  u4: 4,
  u8: 8,
  bool: 1,
}

/**
 * Decodes `count` elements starting at `byteOffset` into float32. The caller has already checked
 * that the bytes exist. 64-bit integers lose precision beyond 2^24 like every value stored as float32.
 */
export const decodeElements = (options: {
  readonly bytes: Uint8Array
  readonly byteOffset: number
  readonly count: number
  readonly type: ElementType
  readonly littleEndian: boolean
}): Float32Array => {
  const { bytes, byteOffset, count, type, littleEndian: le } = options
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * elementBytes[type])
  const out = new Float32Array(count)
  switch (type) {
    case 'f2':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, le))
      break
    case 'bf16':
      for (let i = 0; i < count; i++) out[i] = bfloat16ToFloat(view.getUint16(2 * i, le))
      break
    case 'f4':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, le)
      break
    case 'f8':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, le)
      break
    case 'i1':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i)
      break
    case 'i2':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, le)
      break
    case 'i4':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, le)
      break
    case 'i8':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, le))
      break
    case 'u1':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i)
      break
    case 'u2':
      for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, le)
      break
    case 'u4':
      for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, le)
      break
    case 'u8':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigUint64(8 * i, le))
      break
    case 'bool':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i) === 0 ? 0 : 1
      break
  }
  return out
}

/** Checks a shape read from a file: non-negative safe integers with a safe element count. */
export const shapeProblem = (shape: readonly unknown[]): string | null => {
  let numel = 1
  for (const [axis, extent] of shape.entries()) {
    if (typeof extent !== 'number' || !Number.isSafeInteger(extent) || extent < 0) {
      return `axis ${axis} has extent ${String(extent)}, expected a non-negative integer`
    }
    numel *= extent
    if (!Number.isSafeInteger(numel)) return 'the element count is too large'
  }
  return null
}

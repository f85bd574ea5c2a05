// Test helpers of @snipsnap/workloads, exported as `./testing`: minimal writers for `.npy`,
// safetensors and GGUF so reader tests can round-trip (write, then read), plus arbitraries.
// The writers are deliberately small and only cover what the tests need; they are not a
// general serialisation API.
import fc from 'fast-check'
import { elementBytes } from './internal/dtype'
import type { DenseTensor } from './tensor'

declare const TextEncoder: new () => { encode(text: string): Uint8Array }

const encodeText = (text: string): Uint8Array => new TextEncoder().encode(text)

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Element types the writers can emit (NumPy spelling). */
export type WritableType = 'f2' | 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1'

// The writers share the readers' element widths; NumPy spells booleans `b1`.
const sizes: Readonly<Record<WritableType, number>> = { ...elementBytes, b1: elementBytes.bool }

/** float → IEEE binary16 bits (round to nearest even; no subnormal corner cases needed by tests). */
const floatToHalf = (value: number): number => {
  const f32 = new DataView(new ArrayBuffer(4))
  f32.setFloat32(0, value)
  const bits = f32.getUint32(0)
  const sign = (bits >>> 16) & 0x8000
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15
  let mantissa = bits & 0x7fffff
  if (((bits >>> 23) & 0xff) === 0) return sign
  if (exponent >= 0x1f) return sign | 0x7c00
  if (exponent <= 0) {
    if (exponent < -10) return sign
    mantissa = (mantissa | 0x800000) >> (1 - exponent)
    return sign | Math.round(mantissa / 0x2000)
  }
  const half = sign | (exponent << 10) | (mantissa >> 13)
  const rest = mantissa & 0x1fff
  return rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? half + 1 : half
}

/** Encodes values as raw bytes of the given type and byte order. */
export const encodeValues = (values: ArrayLike<number>, type: WritableType, littleEndian = true): Uint8Array => {
  const size = sizes[type]
  const out = new Uint8Array(values.length * size)
  const view = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0
    const at = i * size
    switch (type) {
      case 'f2':
        view.setUint16(at, floatToHalf(v), littleEndian)
        break
      case 'f4':
        view.setFloat32(at, v, littleEndian)
        break
      case 'f8':
        view.setFloat64(at, v, littleEndian)
        break
      case 'i1':
        view.setInt8(at, v)
        break
      case 'i2':
        view.setInt16(at, v, littleEndian)
        break
      case 'i4':
        view.setInt32(at, v, littleEndian)
        break
      case 'i8':
        view.setBigInt64(at, BigInt(Math.trunc(v)), littleEndian)
        break
      case 'u1':
        view.setUint8(at, v)
        break
      case 'u2':
        view.setUint16(at, v, littleEndian)
        break
      case 'u4':
        view.setUint32(at, v, littleEndian)
        break
      case 'u8':
        view.setBigUint64(at, BigInt(Math.trunc(v)), littleEndian)
        break
      case 'b1':
        view.setUint8(at, v === 0 ? 0 : 1)
        break
    }
  }
  return out
}

/** Options of {@link writeNpy}. */
export interface WriteNpyOptions {
  readonly shape: readonly number[]
  /** Values in row-major order (the writer transposes them itself for Fortran order). */
  readonly data: ArrayLike<number>
  readonly type?: WritableType
  readonly littleEndian?: boolean
  readonly fortranOrder?: boolean
  /** Format version 1, 2 or 3 (header length field of 2 or 4 bytes; v3 = UTF-8 header). */
  readonly version?: 1 | 2 | 3
}

/** Writes a `.npy` file (test helper). */
export const writeNpy = (options: WriteNpyOptions): Uint8Array => {
  const { shape, data, type = 'f4', littleEndian = true, fortranOrder = false, version = 1 } = options
  const order = sizes[type] === 1 ? '|' : littleEndian ? '<' : '>'
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  const dict = `{'descr': '${order}${type}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`
  const prefix = version === 1 ? 10 : 12
  // Pad with spaces so the data starts on a 64-byte boundary, ending in '\n' like NumPy.
  const unpadded = prefix + dict.length + 1
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const headerBytes = encodeText(header)
  const lead = new Uint8Array(prefix)
  lead.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0])
  const leadView = new DataView(lead.buffer)
  if (version === 1) leadView.setUint16(8, headerBytes.length, true)
  else leadView.setUint32(8, headerBytes.length, true)
  const ordered = fortranOrder ? toFortran(data, shape) : data
  return concat([lead, headerBytes, encodeValues(ordered, type, littleEndian)])
}

const toFortran = (data: ArrayLike<number>, shape: readonly number[]): number[] => {
  const out = new Array<number>(data.length).fill(0)
  const rank = shape.length
  const index = new Array<number>(rank).fill(0)
  for (let flat = 0; flat < data.length; flat++) {
    let offset = 0
    let stride = 1
    for (let axis = 0; axis < rank; axis++) {
      offset += (index[axis] ?? 0) * stride
      stride *= shape[axis] ?? 1
    }
    out[offset] = data[flat] ?? 0
    for (let axis = rank - 1; axis >= 0; axis--) {
      const next = (index[axis] ?? 0) + 1
      if (next < (shape[axis] ?? 1)) {
        index[axis] = next
        break
      }
      index[axis] = 0
    }
  }
  return out
}

const safetensorsTypes = { f2: 'F16', f4: 'F32', f8: 'F64', i1: 'I8', i2: 'I16', i4: 'I32', i8: 'I64', u1: 'U8', u2: 'U16', u4: 'U32', u8: 'U64', b1: 'BOOL' } as const

/** Writes a `.safetensors` file holding the given tensors, all of one element type (test helper). */
export const writeSafetensors = (
  tensors: readonly DenseTensor[],
  options: { readonly type?: WritableType; readonly metadata?: Record<string, string> } = {},
): Uint8Array => {
  const type = options.type ?? 'f4'
  const header: Record<string, unknown> = {}
  if (options.metadata !== undefined) header['__metadata__'] = options.metadata
  const payloads: Uint8Array[] = []
  let offset = 0
  for (const tensor of tensors) {
    const payload = encodeValues(tensor.data, type)
    header[tensor.name] = { dtype: safetensorsTypes[type], shape: tensor.shape, data_offsets: [offset, offset + payload.length] }
    payloads.push(payload)
    offset += payload.length
  }
  const headerBytes = encodeText(JSON.stringify(header))
  const lead = new Uint8Array(8)
  new DataView(lead.buffer).setBigUint64(0, BigInt(headerBytes.length), true)
  return concat([lead, headerBytes, ...payloads])
}

/** Writes a GGUF v2/v3 little-endian file with F32 or F16 tensors and one string metadata entry (test helper). */
export const writeGguf = (
  tensors: readonly DenseTensor[],
  options: { readonly version?: 2 | 3; readonly type?: 'f4' | 'f2'; readonly alignment?: number } = {},
): Uint8Array => {
  const { version = 3, type = 'f4', alignment = 32 } = options
  const parts: number[] = []
  const u32 = (v: number) => {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setUint32(0, v, true)
    parts.push(...b)
  }
  const u64 = (v: number) => {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true)
    parts.push(...b)
  }
  const str = (s: string) => {
    const b = encodeText(s)
    u64(b.length)
    parts.push(...b)
  }
  parts.push(0x47, 0x47, 0x55, 0x46)
  u32(version)
  u64(tensors.length)
  u64(1)
  str('general.architecture')
  u32(8) // GGUF value type STRING
  str('snipsnap-test')
  const payloads: Uint8Array[] = []
  let offset = 0
  for (const [index, tensor] of tensors.entries()) {
    str(tensor.name)
    u32(tensor.shape.length)
    for (const extent of [...tensor.shape].reverse()) u64(extent)
    u32(type === 'f4' ? 0 : 1)
    u64(offset)
    const payload = encodeValues(tensor.data, type)
    // Pad between tensors only: nothing follows the last one, so every cut inside it is detectable.
    const last = index === tensors.length - 1
    const padded = new Uint8Array(last ? payload.length : Math.ceil(payload.length / alignment) * alignment)
    padded.set(payload)
    payloads.push(padded)
    offset += padded.length
  }
  const headerPad = (alignment - (parts.length % alignment)) % alignment
  return concat([Uint8Array.from(parts), new Uint8Array(headerPad), ...payloads])
}

/** A small random dense tensor (rank 1–3, extents 1–6) with float32-exact values. */
export const arbDenseTensor = (): fc.Arbitrary<DenseTensor> =>
  fc
    .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 })
    .chain((shape) =>
      fc
        .array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1000, max: 1000 }), {
          minLength: shape.reduce((a, b) => a * b, 1),
          maxLength: shape.reduce((a, b) => a * b, 1),
        })
        .map((values) => ({ name: 'arb', shape, data: Float32Array.from(values) })),
    )

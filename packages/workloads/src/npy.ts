// Reader for NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): magic, version, header
// length, a Python-literal header dict, then the raw array in C or Fortran order.
// Spec: numpy/lib/format.py (NEP 1).
import { parseError } from './internal/parse-error'
import { decodeElements, elementBytes, shapeProblem, type ElementType } from './internal/dtype'
import { decodeLatin1, decodeUtf8 } from './internal/text'
import { numelOf, type DenseTensor } from './tensor'

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY

/** True when the bytes start with the `.npy` magic string. */
export const isNpy = (bytes: Uint8Array): boolean => MAGIC.every((byte, i) => bytes[i] === byte)

const descrTypes: Readonly<Record<string, ElementType>> = {
  f2: 'f2',
  f4: 'f4',
  f8: 'f8',
  i1: 'i1',
  i2: 'i2',
  i4: 'i4',
  i8: 'i8',
  u1: 'u1',
  u2: 'u2',
  u4: 'u4',
  u8: 'u8',
  b1: 'bool',
  '?': 'bool',
}

/**
 * Parses one `.npy` file into a tensor named after the file (without extension).
 * @throws {SnipSnapError} PARSE_ERROR when the file is truncated, the header is malformed or the dtype unsupported.
 */
export const readNpy = (bytes: Uint8Array, options: { readonly fileName: string }): DenseTensor => {
  const { fileName } = options
  if (bytes.length < 10 || !isNpy(bytes)) {
    throw parseError(fileName, 'not a .npy file: missing the \\x93NUMPY magic string', ['magic'])
  }
  const major = bytes[6] ?? 0
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let headerLength: number
  let headerStart: number
  if (major === 1) {
    headerLength = view.getUint16(8, true)
    headerStart = 10
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) {
      throw parseError(fileName, `the file ends after ${bytes.length} bytes, inside the header length`, ['header'])
    }
    headerLength = view.getUint32(8, true)
    headerStart = 12
  } else {
    throw parseError(fileName, `unsupported .npy format version ${major}.${bytes[7] ?? 0}`, ['version'])
  }
  const dataStart = headerStart + headerLength
  if (bytes.length < dataStart) {
    throw parseError(
      fileName,
      `header says it is ${headerLength} bytes long but the file ends after ${bytes.length} bytes`,
      ['header'],
    )
  }
  const headerBytes = bytes.subarray(headerStart, dataStart)
  const header = major === 3 ? decodeUtf8(headerBytes) : decodeLatin1(headerBytes)
  if (header === null) throw parseError(fileName, 'the header is not valid UTF-8', ['header'])

  const descr = /['"]descr['"]\s*:\s*['"]([<>|=]?)([a-zA-Z?]\d*)['"]/.exec(header)
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)
  if (descr === null) throw parseError(fileName, `header has no simple 'descr' entry: ${header.trim()}`, ['header', 'descr'])
  if (fortran === null) throw parseError(fileName, `header has no 'fortran_order' entry: ${header.trim()}`, ['header', 'fortran_order'])
  if (shapeMatch === null) throw parseError(fileName, `header has no 'shape' tuple: ${header.trim()}`, ['header', 'shape'])

  const order = descr[1] ?? ''
  const code = descr[2] ?? ''
  const type = descrTypes[code]
  if (type === undefined) {
    throw parseError(fileName, `unsupported dtype '${order}${code}' (supported: f2 f4 f8 i1-i8 u1-u8 b1)`, ['header', 'descr'])
  }
  // '|' (not applicable) and '=' (native) appear for one-byte types; NumPy writes native as '<' on every platform we read from.
  const littleEndian = order !== '>'
  const shapeParts = (shapeMatch[1] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
  const shape = shapeParts.map((part) => (/^\d+L?$/.test(part) ? Number.parseInt(part, 10) : Number.NaN))
  const problem = shapeProblem(shape)
  if (problem !== null) throw parseError(fileName, `bad shape (${shapeMatch[1] ?? ''}): ${problem}`, ['header', 'shape'])

  const count = numelOf(shape)
  const needed = count * elementBytes[type]
  const available = bytes.length - dataStart
  if (available < needed) {
    throw parseError(
      fileName,
      `header says ${count} elements of '${order}${code}' (${needed} bytes) but the file ends after ${available} data bytes`,
      ['data'],
    )
  }
  const raw = decodeElements({ bytes, byteOffset: dataStart, count, type, littleEndian })
  const data = fortran[1] === 'True' ? fortranToC(raw, shape) : raw
  return { name: baseName(fileName), shape, data }
}

/** Reorders column-major data to row-major. */
const fortranToC = (source: Float32Array, shape: readonly number[]): Float32Array => {
  const rank = shape.length
  if (rank < 2) return source
  const out = new Float32Array(source.length)
  // Column-major strides: axis 0 varies fastest.
  const fStrides: number[] = []
  let stride = 1
  for (let axis = 0; axis < rank; axis++) {
    fStrides.push(stride)
    stride *= shape[axis] ?? 1
  }
  const index = new Array<number>(rank).fill(0)
  for (let flat = 0; flat < out.length; flat++) {
    let offset = 0
    for (let axis = 0; axis < rank; axis++) offset += (index[axis] ?? 0) * (fStrides[axis] ?? 0)
    out[flat] = source[offset] ?? 0
    // Advance the row-major multi-index (last axis fastest).
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

/** File name without directories and without its last extension. */
export const baseName = (fileName: string): string => {
  const last = fileName.split(/[\\/]/).pop() ?? fileName
  const dot = last.lastIndexOf('.')
  return dot > 0 ? last.slice(0, dot) : last
}

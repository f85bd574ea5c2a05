// Reader for Hugging Face `.safetensors` files: an unsigned 64-bit little-endian header length,
// a JSON header mapping tensor names to {dtype, shape, data_offsets}, then the raw
// little-endian tensor bytes (offsets are relative to the end of the header).
import { parseError } from './internal/parse-error'
import { decodeElements, elementBytes, shapeProblem, type ElementType } from './internal/dtype'
import { decodeUtf8 } from './internal/text'
import { numelOf, type DenseTensor } from './tensor'

const dtypes: Readonly<Record<string, ElementType>> = {
  F16: 'f2',
  BF16: 'bf16',
  F32: 'f4',
  F64: 'f8',
  I8: 'i1',
  I16: 'i2',
  I32: 'i4',
  I64: 'i8',
  U8: 'u1',
  U16: 'u2',
  U32: 'u4',
  U64: 'u8',
  BOOL: 'bool',
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Parses a safetensors file into its tensors, in header order.
 * @throws {SnipSnapError} PARSE_ERROR when the header is truncated or not JSON, a dtype is
 * unsupported, or a tensor's byte range disagrees with its shape or lies beyond the file end.
 */
export const readSafetensors = (bytes: Uint8Array, options: { readonly fileName: string }): DenseTensor[] => {
  const { fileName } = options
  if (bytes.length < 8) {
    throw parseError(fileName, `the file ends after ${bytes.length} bytes, inside the 8-byte header length`, ['header'])
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = Number(view.getBigUint64(0, true))
  if (8 + headerLength > bytes.length) {
    throw parseError(
      fileName,
      `header length is ${headerLength} bytes but the file ends after ${bytes.length - 8} bytes of header`,
      ['header'],
    )
  }
  const text = decodeUtf8(bytes.subarray(8, 8 + headerLength))
  if (text === null) throw parseError(fileName, 'the JSON header is not valid UTF-8', ['header'])
  let header: unknown
  try {
    header = JSON.parse(text)
  } catch (cause) {
    throw parseError(fileName, `the header is not valid JSON (${(cause as Error).message})`, ['header'], cause)
  }
  if (!isRecord(header)) throw parseError(fileName, 'the header is not a JSON object', ['header'])

  const dataStart = 8 + headerLength
  const dataLength = bytes.length - dataStart
  const tensors: DenseTensor[] = []
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue
    if (!isRecord(entry)) throw parseError(fileName, `entry '${name}' is not an object`, ['header', name])
    const dtypeName = entry['dtype']
    const type = typeof dtypeName === 'string' ? dtypes[dtypeName] : undefined
    if (type === undefined) {
      throw parseError(
        fileName,
        `tensor '${name}' has unsupported dtype ${JSON.stringify(dtypeName)} (supported: ${Object.keys(dtypes).join(', ')})`,
        ['header', name, 'dtype'],
      )
    }
    const shape = entry['shape']
    const problem = Array.isArray(shape) ? shapeProblem(shape) : 'not an array'
    if (problem !== null || !Array.isArray(shape)) {
      throw parseError(fileName, `tensor '${name}' has a bad shape: ${problem ?? ''}`, ['header', name, 'shape'])
    }
    const offsets = entry['data_offsets']
    const begin = Array.isArray(offsets) ? offsets[0] : undefined
    const end = Array.isArray(offsets) ? offsets[1] : undefined
    if (
      typeof begin !== 'number' ||
      typeof end !== 'number' ||
      !Number.isSafeInteger(begin) ||
      !Number.isSafeInteger(end) ||
      begin < 0 ||
      end < begin
    ) {
      throw parseError(fileName, `tensor '${name}' has bad data_offsets ${JSON.stringify(offsets)}`, [
        'header',
        name,
        'data_offsets',
      ])
    }
    const count = numelOf(shape as number[])
    const needed = count * elementBytes[type]
    if (end - begin !== needed) {
      throw parseError(
        fileName,
        `tensor '${name}' of shape [${shape.join(', ')}] ${String(dtypeName)} needs ${needed} bytes but data_offsets span ${end - begin}`,
        ['header', name, 'data_offsets'],
      )
    }
    if (end > dataLength) {
      throw parseError(
        fileName,
        `tensor '${name}' ends at data byte ${end} but the file ends after ${dataLength} data bytes`,
        ['data', name],
      )
    }
    tensors.push({
      name,
      shape: [...(shape as number[])],
      data: decodeElements({ bytes, byteOffset: dataStart + begin, count, type, littleEndian: true }),
    })
  }
  return tensors
}

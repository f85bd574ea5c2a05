// Reader for GGUF (llama.cpp) files. The header — metadata and tensor infos — is parsed by the
// maintained `@huggingface/gguf` parser; its entry point takes a URL and fetches byte ranges, so
// we hand it an in-memory `fetch` that serves ranges of the given bytes (no network, no file
// system). Tensor data is then read here: F32, F16, BF16, F64 and I8–I64 tensors; quantised
// (Q4_0, Q8_0, K-quants…) tensors are refused with UNSUPPORTED_FEATURE because the parser does
// not dequantise them.
import { gguf, GGMLQuantizationType, type GGUFParseOutput } from '@huggingface/gguf'
import { SnipSnapError } from '@snipsnap/core'
import { parseError } from './internal/parse-error'
import { decodeElements, elementBytes, type ElementType } from './internal/dtype'
import type { DenseTensor } from './tensor'

const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46] // "GGUF"

/** True when the bytes start with the GGUF magic. */
export const isGguf = (bytes: Uint8Array): boolean => GGUF_MAGIC.every((byte, i) => bytes[i] === byte)

const ggmlTypes: Readonly<Partial<Record<number, ElementType>>> = {
  [GGMLQuantizationType.F32]: 'f4',
  [GGMLQuantizationType.F16]: 'f2',
  [GGMLQuantizationType.BF16]: 'bf16',
  [GGMLQuantizationType.F64]: 'f8',
  [GGMLQuantizationType.I8]: 'i1',
  [GGMLQuantizationType.I16]: 'i2',
  [GGMLQuantizationType.I32]: 'i4',
  [GGMLQuantizationType.I64]: 'i8',
}

/** A `fetch` look-alike serving HTTP range requests from memory; only what the parser reads. */
const bytesFetch = (bytes: Uint8Array) =>
  (async (_input: unknown, init?: { readonly headers?: Record<string, string> }) => {
    const range = /bytes=(\d+)-(\d+)/.exec(init?.headers?.['Range'] ?? '')
    const start = Math.min(Number(range?.[1] ?? 0), bytes.length)
    const end = Math.min(Number(range?.[2] ?? bytes.length - 1) + 1, bytes.length)
    const slice = bytes.slice(start, end)
    return {
      ok: true,
      status: 206,
      headers: {
        get: (name: string) =>
          name.toLowerCase() === 'content-range' ? `bytes ${start}-${Math.max(start, end - 1)}/${bytes.length}` : null,
      },
      arrayBuffer: async () => slice.buffer,
    }
  }) as never

/** Metadata and tensor infos of a GGUF file, as returned by `@huggingface/gguf`. */
export type GgufHeader = GGUFParseOutput

/**
 * Parses the GGUF header (metadata and tensor infos) from bytes with `@huggingface/gguf`.
 * @throws {SnipSnapError} PARSE_ERROR when the parser rejects the header or it runs past the file end.
 */
export const readGgufHeader = async (bytes: Uint8Array, options: { readonly fileName: string }): Promise<GgufHeader> => {
  const { fileName } = options
  if (bytes.length < 8 || !isGguf(bytes)) throw parseError(fileName, 'not a GGUF file: missing the "GGUF" magic', ['magic'])
  // Cheap sanity check before the parser runs: every tensor info takes ≥ 24 bytes and every
  // metadata entry ≥ 13, so absurd counts from a corrupt file fail here instead of making the
  // parser fetch and zero-fill up to its 50 MB limit.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint32(4, true)
  const countBytes = version === 1 ? 4 : 8
  // Only for little-endian files (version 1–3 when read LE); big-endian ones go straight to the parser.
  if (version >= 1 && version <= 3 && bytes.length >= 8 + 2 * countBytes) {
    const read = (at: number) => (countBytes === 4 ? view.getUint32(at, true) : Number(view.getBigUint64(at, true)))
    const tensorCount = read(8)
    const kvCount = read(8 + countBytes)
    if (tensorCount * 24 + kvCount * 13 > bytes.length) {
      throw parseError(
        fileName,
        `header announces ${tensorCount} tensors and ${kvCount} metadata entries, more than ${bytes.length} bytes can hold`,
        ['header'],
      )
    }
  }
  let header: GGUFParseOutput
  try {
    // The URL is never contacted: the parser calls our fetch, which serves the bytes above.
    header = await gguf(`https://in-memory.invalid/${encodeURIComponent(fileName)}`, { fetch: bytesFetch(bytes) })
  } catch (cause) {
    throw parseError(fileName, `GGUF header: ${cause instanceof Error ? cause.message : String(cause)}`, ['header'], cause)
  }
  // The parser zero-fills past the end of what it fetched, so a truncated header parses; catch it here.
  const headerEnd = header.tensorInfoByteRange[1]
  if (headerEnd > bytes.length) {
    throw parseError(
      fileName,
      `the header (${header.tensorInfos.length} tensor infos) needs ${headerEnd} bytes but the file ends after ${bytes.length} bytes`,
      ['header'],
    )
  }
  return header
}

/**
 * Parses a GGUF file into its unquantised tensors (shapes in row-major order: GGUF lists the
 * innermost extent first, we reverse it).
 * @throws {SnipSnapError} PARSE_ERROR on a malformed or truncated file; UNSUPPORTED_FEATURE for quantised tensors.
 */
export const readGguf = async (bytes: Uint8Array, options: { readonly fileName: string }): Promise<DenseTensor[]> => {
  const { fileName } = options
  const header = await readGgufHeader(bytes, options)
  const dataStart = Number(header.tensorDataOffset)
  return header.tensorInfos.map((info) => {
    const type = ggmlTypes[info.dtype]
    if (type === undefined) {
      throw new SnipSnapError(
        'UNSUPPORTED_FEATURE',
        `${fileName}: tensor '${info.name}' has GGML type ${GGMLQuantizationType[info.dtype] ?? info.dtype}; only F32, F16, BF16, F64 and I8–I64 tensors can be read`,
        { path: [fileName, info.name, 'dtype'] },
      )
    }
    const shape = info.shape.map(Number).reverse()
    const count = shape.reduce((a, b) => a * b, 1)
    const begin = dataStart + Number(info.offset)
    const end = begin + count * elementBytes[type]
    if (!Number.isSafeInteger(end) || end > bytes.length) {
      throw parseError(
        fileName,
        `tensor '${info.name}' [${shape.join(', ')}] needs bytes ${begin}..${end} but the file ends after ${bytes.length} bytes`,
        ['data', info.name],
      )
    }
    return {
      name: info.name,
      shape,
      data: decodeElements({ bytes, byteOffset: begin, count, type, littleEndian: header.littleEndian }),
    }
  })
}

// One entry point for every tensor file format: dispatch on the file's magic bytes first, then
// on its extension (Matrix Market has a text banner, llama2.c checkpoints have no magic at all).
import { parseError } from './internal/parse-error'
import { isGguf, readGguf } from './gguf'
import { readLlama2c } from './llama2c'
import { isMatrixMarket, readMatrixMarket } from './matrix-market'
import { isNpy, readNpy } from './npy'
import { readSafetensors } from './safetensors'
import type { DenseTensor } from './tensor'

/** Options of {@link readTensors}. */
export interface ReadTensorsOptions {
  /** Name of the file the bytes came from; its extension picks the format when no magic matches. */
  readonly fileName: string
}

/** Tensor file formats {@link readTensors} understands. */
export type TensorFileFormat = 'npy' | 'matrix-market' | 'safetensors' | 'gguf' | 'llama2c'

/** Detects the format from magic bytes, then from the extension; null when neither says. */
export const detectTensorFormat = (bytes: Uint8Array, fileName: string): TensorFileFormat | null => {
  if (isNpy(bytes)) return 'npy'
  if (isGguf(bytes)) return 'gguf'
  if (isMatrixMarket(bytes)) return 'matrix-market'
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase()
  switch (extension) {
    case 'npy':
      return 'npy'
    case 'gguf':
      return 'gguf'
    case 'mtx':
      return 'matrix-market'
    case 'safetensors':
      return 'safetensors'
    case 'bin':
      return 'llama2c'
    default:
      return null
  }
}

/**
 * Reads every tensor of a file given as bytes: `.npy` (v1–v3), Matrix Market `.mtx`,
 * `.safetensors`, `.gguf` (unquantised tensors) and llama2.c `.bin` checkpoints (legacy layout).
 * Values are converted to float32; shapes are row-major.
 * @throws {SnipSnapError} PARSE_ERROR naming the file and what is wrong when the format is unknown,
 * the file is truncated or malformed; UNSUPPORTED_FEATURE for quantised GGUF tensors.
 * @example
 * const tensors = await readTensors(new Uint8Array(await file.arrayBuffer()), { fileName: file.name })
 */
export const readTensors = async (bytes: Uint8Array, options: ReadTensorsOptions): Promise<DenseTensor[]> => {
  const { fileName } = options
  const format = detectTensorFormat(bytes, fileName)
  switch (format) {
    case 'npy':
      return [readNpy(bytes, options)]
    case 'matrix-market':
      return [readMatrixMarket(bytes, options)]
    case 'safetensors':
      return readSafetensors(bytes, options)
    case 'gguf':
      return readGguf(bytes, options)
    case 'llama2c':
      return readLlama2c(bytes, options)
    case null:
      throw parseError(
        fileName,
        'unknown tensor file format (expected .npy, .mtx, .safetensors, .gguf or a llama2.c .bin)',
        ['format'],
      )
  }
}

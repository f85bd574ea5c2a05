// Reader for llama2.c checkpoints in the legacy (version 0) `.bin` layout written by
// karpathy/llama2.c `export.py --version 0` / `legacy_export`: a 7 × int32 header
// (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len), then float32 tensors
// with each per-layer kind stored for all layers back to back. A negative vocab_size means the
// classifier `wcls` is not shared with the token embedding and follows the RoPE tables.
// Matrices are `[out_features, in_features]` row-major, as llama2.c's matmul reads them.
import { parseError } from './internal/parse-error'
import type { DenseTensor } from './tensor'

/** Header of a llama2.c checkpoint. */
export interface Llama2cConfig {
  readonly dim: number
  readonly hiddenDim: number
  readonly nLayers: number
  readonly nHeads: number
  readonly nKvHeads: number
  /** Absolute vocabulary size (the sign in the file only flags an unshared classifier). */
  readonly vocabSize: number
  readonly seqLen: number
  /** True when the classifier reuses the token embedding (positive vocab_size in the file). */
  readonly sharedClassifier: boolean
}

const HEADER_BYTES = 28
/** Magic of the newer llama2.c export versions 1 and 2 ("ak42" as a little-endian uint32). */
const NEW_EXPORT_MAGIC = 0x616b3432

/**
 * Reads and checks the 7-integer header.
 * @throws {SnipSnapError} PARSE_ERROR on a short file or inconsistent hyper-parameters.
 */
export const readLlama2cConfig = (bytes: Uint8Array, options: { readonly fileName: string }): Llama2cConfig => {
  const { fileName } = options
  if (bytes.length < HEADER_BYTES) {
    throw parseError(fileName, `the file ends after ${bytes.length} bytes, inside the 28-byte llama2.c header`, [
      'header',
    ])
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, true) === NEW_EXPORT_MAGIC) {
    throw parseError(
      fileName,
      `llama2.c export version ${view.getInt32(4, true)} (magic "ak42") is not supported; export with --version 0 (legacy layout)`,
      ['header', 'magic'],
    )
  }
  const field = (index: number): number => view.getInt32(4 * index, true)
  const names = ['dim', 'hidden_dim', 'n_layers', 'n_heads', 'n_kv_heads', 'vocab_size', 'seq_len'] as const
  for (const [index, name] of names.entries()) {
    const value = field(index)
    if (name === 'vocab_size' ? value === 0 : value <= 0) {
      throw parseError(fileName, `header field ${name} is ${value}, expected a positive integer`, ['header', name])
    }
  }
  const config: Llama2cConfig = {
    dim: field(0),
    hiddenDim: field(1),
    nLayers: field(2),
    nHeads: field(3),
    nKvHeads: field(4),
    vocabSize: Math.abs(field(5)),
    seqLen: field(6),
    sharedClassifier: field(5) > 0,
  }
  if (config.dim % config.nHeads !== 0 || (config.dim / config.nHeads) % 2 !== 0) {
    throw parseError(fileName, `dim ${config.dim} is not n_heads ${config.nHeads} × an even head size`, ['header', 'dim'])
  }
  if (config.nHeads % config.nKvHeads !== 0) {
    throw parseError(fileName, `n_heads ${config.nHeads} is not a multiple of n_kv_heads ${config.nKvHeads}`, [
      'header',
      'n_kv_heads',
    ])
  }
  return config
}

interface Block {
  readonly name: string
  readonly shape: readonly number[]
}

/** The tensors of a checkpoint in file order, one entry per layer for per-layer kinds. */
export const llama2cLayout = (config: Llama2cConfig): Block[] => {
  const { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen } = config
  const headSize = dim / nHeads
  const kvDim = (dim * nKvHeads) / nHeads
  const perLayer = (kind: string, shape: readonly number[]): Block[] =>
    Array.from({ length: nLayers }, (_, layer) => ({ name: `layers.${layer}.${kind}`, shape }))
  return [
    { name: 'token_embedding', shape: [vocabSize, dim] },
    ...perLayer('rms_att', [dim]),
    ...perLayer('wq', [nHeads * headSize, dim]),
    ...perLayer('wk', [kvDim, dim]),
    ...perLayer('wv', [kvDim, dim]),
    ...perLayer('wo', [dim, nHeads * headSize]),
    ...perLayer('rms_ffn', [dim]),
    ...perLayer('w1', [hiddenDim, dim]),
    ...perLayer('w2', [dim, hiddenDim]),
    ...perLayer('w3', [hiddenDim, dim]),
    { name: 'rms_final', shape: [dim] },
    { name: 'freq_cis_real', shape: [seqLen, headSize / 2] },
    { name: 'freq_cis_imag', shape: [seqLen, headSize / 2] },
    ...(config.sharedClassifier ? [] : [{ name: 'wcls', shape: [vocabSize, dim] }]),
  ]
}

/**
 * Parses a llama2.c legacy checkpoint into named tensors (`token_embedding`, `layers.<l>.wq`, …,
 * `rms_final`, `freq_cis_real`, `freq_cis_imag`, and `wcls` when unshared).
 * @throws {SnipSnapError} PARSE_ERROR when the header is inconsistent or the file size does not
 * match the header (truncated or with trailing bytes).
 */
export const readLlama2c = (bytes: Uint8Array, options: { readonly fileName: string }): DenseTensor[] => {
  const { fileName } = options
  const config = readLlama2cConfig(bytes, options)
  const layout = llama2cLayout(config)
  const counts = layout.map((block) => block.shape.reduce((a, b) => a * b, 1))
  const totalValues = counts.reduce((a, b) => a + b, 0)
  const ropeValues = 2 * config.seqLen * (config.dim / config.nHeads / 2)
  const expectedBytes = HEADER_BYTES + 4 * totalValues
  if (bytes.length < expectedBytes) {
    throw parseError(
      fileName,
      `header says ${totalValues - ropeValues} weights (+ ${ropeValues} RoPE values, ${expectedBytes} bytes in all) but the file ends after ${bytes.length} bytes`,
      ['data'],
    )
  }
  if (bytes.length > expectedBytes) {
    throw parseError(
      fileName,
      `header implies ${expectedBytes} bytes but the file has ${bytes.length - expectedBytes} more; is it a llama2.c legacy checkpoint?`,
      ['data'],
    )
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = HEADER_BYTES
  return layout.map((block, index) => {
    const count = counts[index] ?? 0
    const data = new Float32Array(count)
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + 4 * i, true)
    offset += 4 * count
    return { name: block.name, shape: block.shape, data }
  })
}

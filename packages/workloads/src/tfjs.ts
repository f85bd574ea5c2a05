// Reader for TensorFlow.js weight files: a weights manifest (JSON: groups of {paths, weights})
// and its binary shards. Within a group, tensors are stored back to back in manifest order across
// the concatenated shards; quantised weights (uint8/uint16, value = q × scale + min, or float16)
// are dequantised to float32. Shapes are TensorFlow's (conv filters [kh, kw, in, out]).
import { z } from 'zod'
import { parseError } from './internal/parse-error'
import { decodeElements, elementBytes, shapeProblem, type ElementType } from './internal/dtype'
import type { DenseTensor } from './tensor'

const weightSchema = z.object({
  name: z.string(),
  shape: z.array(z.number()),
  dtype: z.enum(['float32', 'int32', 'bool']),
  quantization: z
    .object({
      dtype: z.enum(['uint8', 'uint16', 'float16']),
      scale: z.number().optional(),
      min: z.number().optional(),
    })
    .optional(),
})
const manifestSchema = z.array(z.object({ paths: z.array(z.string()).min(1), weights: z.array(weightSchema) }))

/** Options of {@link readTfjsWeights}. */
export interface ReadTfjsWeightsOptions {
  /** The parsed `*-weights_manifest.json`. */
  readonly manifest: unknown
  /** Shard bytes by the path the manifest lists (e.g. `tiny_face_detector_model.bin`). */
  readonly shards: Readonly<Record<string, Uint8Array>>
  /** Name used in error paths (the manifest file name). */
  readonly fileName: string
}

/**
 * Reads every weight of a TensorFlow.js manifest and its shards, dequantising to float32.
 * @throws {SnipSnapError} PARSE_ERROR when the manifest is malformed, a shard is missing, or the
 * shards end before the weights the manifest lists.
 */
export const readTfjsWeights = (options: ReadTfjsWeightsOptions): DenseTensor[] => {
  const { fileName } = options
  const parsed = manifestSchema.safeParse(options.manifest)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw parseError(fileName, `not a TensorFlow.js weights manifest: ${issue?.message ?? ''}`, ['manifest', ...(issue?.path ?? []).map(String)])
  }
  const tensors: DenseTensor[] = []
  for (const [groupIndex, group] of parsed.data.entries()) {
    const parts = group.paths.map((shardPath) => {
      const shard = options.shards[shardPath]
      if (shard === undefined) throw parseError(fileName, `shard '${shardPath}' listed in the manifest was not given`, ['shards', shardPath])
      return shard
    })
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
    let at = 0
    for (const part of parts) {
      bytes.set(part, at)
      at += part.length
    }
    let offset = 0
    for (const weight of group.weights) {
      const problem = shapeProblem(weight.shape)
      if (problem !== null) throw parseError(fileName, `weight '${weight.name}': ${problem}`, ['manifest', groupIndex, weight.name, 'shape'])
      const count = weight.shape.reduce((a, b) => a * b, 1)
      const stored: ElementType = weight.quantization
        ? ({ uint8: 'u1', uint16: 'u2', float16: 'f2' } as const)[weight.quantization.dtype]
        : weight.dtype === 'float32'
          ? 'f4'
          : weight.dtype === 'int32'
            ? 'i4'
            : 'bool'
      const length = count * elementBytes[stored]
      if (offset + length > bytes.length) {
        throw parseError(
          fileName,
          `weight '${weight.name}' needs bytes ${offset}..${offset + length} but the shards end after ${bytes.length} bytes`,
          ['shards', weight.name],
        )
      }
      const data = decodeElements({ bytes, byteOffset: offset, count, type: stored, littleEndian: true })
      const q = weight.quantization
      if (q !== undefined && q.dtype !== 'float16') {
        const scale = q.scale ?? 1
        const min = q.min ?? 0
        for (let i = 0; i < data.length; i++) data[i] = (data[i] ?? 0) * scale + min
      }
      tensors.push({ name: weight.name, shape: weight.shape, data })
      offset += length
    }
  }
  return tensors
}

// Ranking formats for one real tensor: encode it with each format, verify the round trip, and
// order the exact sizes best first. The CLI's `snipsnap formats rank` is a thin shell over this.
import { SnipSnapError, type FormatPrimitive, type Registry } from '@snipsnap/core'
import { bindFormat } from './bind'
import { decodeTensor, encodeTensor, type DenseTensorInput } from './codec'
import type { CompPat } from './comp-pat'

/** One format to try: a label (preset id or the pattern) and its pattern. */
export interface FormatCandidate {
  readonly label: string
  readonly pattern: string | CompPat
  /**
   * Tried only where it fits (presets): a pattern that cannot bind to this tensor's shape (an
   * N:M group that does not divide a fiber, a block larger than a dimension) is reported as not
   * applicable instead of ending the ranking. A malformed pattern is still an error.
   */
  readonly optional?: boolean
}

/** Exact size of a tensor in one format, or why the format cannot hold it. */
export type FormatRanking =
  | {
      readonly label: string
      readonly pattern: string
      readonly ok: true
      readonly metadataBits: number
      readonly payloadBits: number
      readonly dataBits: number
      readonly totalBits: number
      /** Total bits per non-zero; null for an all-zero tensor. */
      readonly bitsPerNonzero: number | null
      /** Dense size at the same value width divided by the total; null when the total is 0 bits. */
      readonly compressionRatio: number | null
      readonly roundTrip: true
    }
  | {
      readonly label: string
      readonly pattern: string
      readonly ok: false
      /** Always false: the format cannot hold this tensor (its shape, or its non-zeros for N:M). */
      readonly applicable: false
      readonly reason: string
    }

/** Report of {@link rankFormats}: JSON-serialisable. */
export interface FormatRankingReport {
  readonly shape: readonly number[]
  readonly nnz: number
  readonly density: number
  readonly valueBits: number
  readonly denseBits: number
  /** Feasible formats by ascending total bits, then the infeasible ones. */
  readonly results: readonly FormatRanking[]
}

/**
 * Encodes a tensor with every candidate format, checks `decode(encode(x)) = x` bit for bit, and
 * ranks the exact sizes (smallest total first).
 * @throws {SnipSnapError} INVALID_SPEC/PARSE_ERROR for a bad pattern (path names the candidate;
 *   an `optional` candidate that does not fit the shape is a not-applicable result instead);
 *   INTERNAL if a round trip ever differs.
 * @example rankFormats({ tensor: { shape: [2, 2], data: Float32Array.of(1, 0, 0, 2) }, formats: [{ label: 'csr', pattern: 'UOP(M)-CP(K)' }], registry })
 */
export const rankFormats = (options: {
  readonly tensor: DenseTensorInput
  readonly formats: readonly FormatCandidate[]
  readonly registry: Registry<FormatPrimitive>
  readonly valueBits?: number
  readonly dimNames?: readonly string[]
}): FormatRankingReport => {
  const { tensor, registry } = options
  const valueBits = options.valueBits ?? 32
  const results: FormatRanking[] = []
  let nnz = 0
  for (let i = 0; i < tensor.data.length; i++) if ((tensor.data[i] as number) !== 0) nnz++
  let denseBits = 0
  options.formats.forEach((candidate, index) => {
    let format
    try {
      format = bindFormat({
        pattern: candidate.pattern,
        shape: tensor.shape,
        registry,
        ...(options.dimNames === undefined ? {} : { dimNames: options.dimNames }),
      })
    } catch (error) {
      if (error instanceof SnipSnapError && candidate.optional === true && error.code === 'INVALID_SPEC') {
        const pattern = typeof candidate.pattern === 'string' ? candidate.pattern : JSON.stringify(candidate.pattern)
        results.push({ label: candidate.label, pattern, ok: false, applicable: false, reason: error.message })
        return
      }
      if (error instanceof SnipSnapError) {
        throw new SnipSnapError(error.code, `format ${candidate.label}: ${error.message}`, {
          path: ['formats', index, ...error.path],
          issues: error.issues,
          cause: error,
        })
      }
      throw error
    }
    const result = encodeTensor({ format, tensor, valueBits })
    if (!result.ok) {
      results.push({ label: candidate.label, pattern: format.text, ok: false, applicable: false, reason: result.reason })
      return
    }
    const { sizes } = result.encoded
    denseBits = sizes.denseBits
    const decoded = decodeTensor({ format, encoded: result.encoded })
    for (let i = 0; i < tensor.data.length; i++) {
      const a = decoded.data[i] as number
      const b = tensor.data[i] as number
      if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) {
        throw new SnipSnapError('INTERNAL', `format ${format.text} did not round-trip element ${i} (${b} → ${a})`)
      }
    }
    results.push({
      label: candidate.label,
      pattern: format.text,
      ok: true,
      metadataBits: sizes.metadataBits,
      payloadBits: sizes.payloadBits,
      dataBits: sizes.dataBits,
      totalBits: sizes.totalBits,
      bitsPerNonzero: nnz === 0 ? null : sizes.totalBits / nnz,
      compressionRatio: sizes.totalBits === 0 ? null : sizes.denseBits / sizes.totalBits,
      roundTrip: true,
    })
  })
  const size = tensor.shape.reduce((a, b) => a * b, 1)
  results.sort((a, b) => (a.ok && b.ok ? a.totalBits - b.totalBits : a.ok ? -1 : b.ok ? 1 : 0))
  return {
    shape: [...tensor.shape],
    nnz,
    density: size === 0 ? 0 : nnz / size,
    valueBits,
    denseBits: denseBits || size * valueBits,
    results,
  }
}

// Pruning of real tensors: unstructured magnitude pruning (one threshold per tensor or per row,
// the Wanda/SparseGPT-style row scope) and N:M structured pruning, plus the mask and density
// of a tensor. Pure functions: they return new tensors and never touch their input.
import { z } from 'zod'
import { parseOrThrow } from './internal/validate'
import { numelOf, type DenseTensor } from './tensor'

const magnitudeSchema = z.object({
  sparsity: z.number().min(0).max(1),
  scope: z.enum(['tensor', 'row']).optional(),
})

/** Options of {@link pruneMagnitude}. */
export interface PruneMagnitudeOptions {
  /** Fraction of elements to remove, in [0, 1]. */
  readonly sparsity: number
  /**
   * `tensor` (default): one threshold over the whole tensor; `row`: one threshold per row, a row
   * being the innermost axis (for a `[out, in]` weight: per output feature, as Wanda prunes).
   */
  readonly scope?: 'tensor' | 'row'
}

/** k = floor(count × sparsity), robust to products like 0.29 × 100 = 28.999999999999996. */
const pruneCount = (count: number, sparsity: number): number => {
  const exact = count * sparsity
  const nearest = Math.round(exact)
  return Math.abs(exact - nearest) < 1e-9 * Math.max(1, count) ? nearest : Math.floor(exact)
}

/**
 * The value of rank `index` (0-based) in ascending order, by in-place quickselect (Hoare
 * partition, median-of-three pivot): O(n) on average where a full sort is O(n log n).
 */
const kthSmallest = (values: Float32Array, index: number): number => {
  let lo = 0
  let hi = values.length - 1
  while (hi > lo) {
    const mid = (lo + hi) >>> 1
    const a = values[lo] ?? 0
    const b = values[mid] ?? 0
    const c = values[hi] ?? 0
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b
    let i = lo
    let j = hi
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) i++
      while ((values[j] ?? 0) > pivot) j--
      if (i <= j) {
        const swap = values[i] ?? 0
        values[i] = values[j] ?? 0
        values[j] = swap
        i++
        j--
      }
    }
    if (index <= j) hi = j
    else if (index >= i) lo = i
    else return values[index] ?? 0
  }
  return values[index] ?? 0
}

/** Zeroes the entries of `data[start, start+length)` whose |w| ≤ the k-th smallest |w|. */
const pruneSlice = (source: Float32Array, target: Float32Array, start: number, length: number, sparsity: number) => {
  const k = pruneCount(length, sparsity)
  if (k === 0) return
  const magnitudes = new Float32Array(length)
  for (let i = 0; i < length; i++) magnitudes[i] = Math.abs(source[start + i] ?? 0)
  const threshold = kthSmallest(magnitudes, k - 1)
  for (let i = start; i < start + length; i++) {
    if (!(Math.abs(source[i] ?? 0) > threshold)) target[i] = 0
  }
}

/**
 * Unstructured magnitude pruning: sort |w| ascending, threshold = the k-th smallest with
 * k = floor(n × sparsity), keep w iff |w| > threshold. Ties at the threshold are all removed, so
 * the achieved sparsity can exceed the target when values repeat (e.g. quantised weights).
 * @throws {SnipSnapError} INVALID_SPEC when sparsity is outside [0, 1] or scope is unknown.
 * @example pruneMagnitude(tensor, { sparsity: 0.5, scope: 'row' })
 */
export const pruneMagnitude = (tensor: DenseTensor, options: PruneMagnitudeOptions): DenseTensor => {
  const { sparsity, scope } = parseOrThrow(magnitudeSchema, options, ['prune'])
  const data = Float32Array.from(tensor.data)
  const rowLength = scope === 'row' && tensor.shape.length > 0 ? (tensor.shape[tensor.shape.length - 1] ?? 1) : data.length
  if (rowLength > 0) {
    for (let start = 0; start < data.length; start += rowLength) pruneSlice(tensor.data, data, start, rowLength, sparsity)
  }
  return { name: tensor.name, shape: tensor.shape, data }
}

const nmSchema = z
  .object({
    n: z.number().int().min(0),
    m: z.number().int().min(1),
    axis: z.number().int().optional(),
  })
  .refine((value) => value.n <= value.m, { message: 'n must not exceed m', path: ['n'] })

/** Options of {@link pruneNM}. */
export interface PruneNMOptions {
  /** Non-zeros kept per group (0 ≤ n ≤ m). */
  readonly n: number
  /** Group size: consecutive elements along `axis`. */
  readonly m: number
  /** Axis the groups run along; default the innermost (-1). Negative values count from the end. */
  readonly axis?: number
}

/**
 * N:M structured pruning: in every group of m consecutive elements along `axis`, keep the n of
 * largest magnitude (ties go to the lower index) and zero the rest. A trailing partial group
 * (extent not a multiple of m) also keeps at most n.
 * @throws {SnipSnapError} INVALID_SPEC when n, m or axis are not integers in range.
 * @example pruneNM(tensor, { n: 2, m: 4 })
 */
export const pruneNM = (tensor: DenseTensor, options: PruneNMOptions): DenseTensor => {
  const { n, m, axis: rawAxis = -1 } = parseOrThrow(nmSchema, options, ['prune'])
  const rank = tensor.shape.length
  const axis = rawAxis < 0 ? rank + rawAxis : rawAxis
  if (rank === 0 || axis < 0 || axis >= rank) {
    parseOrThrow(z.number().int().min(-rank).max(rank - 1), rawAxis, ['prune', 'axis'])
  }
  const extent = tensor.shape[axis] ?? 1
  const inner = numelOf(tensor.shape.slice(axis + 1))
  const outer = numelOf(tensor.shape.slice(0, axis))
  const source = tensor.data
  const data = Float32Array.from(source)
  // Per group, keep the n largest by repeated selection (O(n·m), no allocation): groups are
  // small (m ≤ 16 in practice) and there are millions of them in an LLM weight.
  const magnitudes = new Float64Array(m)
  const kept = new Uint8Array(m)
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      for (let first = 0; first < extent; first += m) {
        const size = Math.min(m, extent - first)
        if (size <= n) continue
        const base = o * extent * inner + first * inner + j
        for (let i = 0; i < size; i++) {
          magnitudes[i] = Math.abs(source[base + i * inner] ?? 0)
          kept[i] = 0
        }
        for (let pick = 0; pick < n; pick++) {
          let best = -1
          // Strictly greater: among equal magnitudes the lower index wins.
          for (let i = 0; i < size; i++) if (kept[i] === 0 && (best < 0 || (magnitudes[i] ?? 0) > (magnitudes[best] ?? 0))) best = i
          kept[best] = 1
        }
        for (let i = 0; i < size; i++) if (kept[i] === 0) data[base + i * inner] = 0
      }
    }
  }
  return { name: tensor.name, shape: tensor.shape, data }
}

/** Non-zero mask of a tensor: 1 where the value is non-zero, else 0, row-major. */
export const maskOf = (tensor: DenseTensor): Uint8Array => {
  const mask = new Uint8Array(tensor.data.length)
  for (let i = 0; i < mask.length; i++) mask[i] = tensor.data[i] === 0 ? 0 : 1
  return mask
}

/** Fraction of non-zero elements in [0, 1]; 0 for an empty tensor. */
export const densityOf = (tensor: DenseTensor): number => {
  let nnz = 0
  for (const value of tensor.data) if (value !== 0) nnz++
  return tensor.data.length === 0 ? 0 : nnz / tensor.data.length
}

/** Non-zero statistics of a tensor seen as a matrix [rows = product of leading axes, cols = innermost axis]. */
export interface SparsityStats {
  readonly rows: number
  readonly cols: number
  readonly nnz: number
  readonly density: number
  readonly rowNnzMin: number
  readonly rowNnzMax: number
  readonly rowNnzMean: number
  /** Population standard deviation / mean of the per-row non-zero counts (0 when the mean is 0). */
  readonly rowNnzCv: number
  readonly colNnzMin: number
  readonly colNnzMax: number
  readonly colNnzCv: number
}

const summarise = (counts: readonly number[]) => {
  const mean = counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length)
  const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, counts.length)
  // A loop, not Math.min(...counts): spreading 100k+ rows (e.g. a 128256-token embedding) overflows the stack.
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const count of counts) {
    if (count < min) min = count
    if (count > max) max = count
  }
  return {
    min: counts.length === 0 ? 0 : min,
    max: counts.length === 0 ? 0 : max,
    mean,
    cv: mean === 0 ? 0 : Math.sqrt(variance) / mean,
  }
}

/**
 * Per-row and per-column non-zero counts of a tensor, the figures that separate CSR-like from
 * bitmap formats (row imbalance) and that `stories260K.prune50.json` records.
 */
export const sparsityStats = (tensor: DenseTensor): SparsityStats => {
  const cols = tensor.shape.length === 0 ? 1 : (tensor.shape[tensor.shape.length - 1] ?? 1)
  const rows = cols === 0 ? 0 : tensor.data.length / cols
  const rowCounts = new Array<number>(rows).fill(0)
  const colCounts = new Array<number>(cols).fill(0)
  let nnz = 0
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (tensor.data[r * cols + c] !== 0) {
        nnz++
        rowCounts[r] = (rowCounts[r] ?? 0) + 1
        colCounts[c] = (colCounts[c] ?? 0) + 1
      }
    }
  }
  const row = summarise(rowCounts)
  const col = summarise(colCounts)
  return {
    rows,
    cols,
    nnz,
    density: tensor.data.length === 0 ? 0 : nnz / tensor.data.length,
    rowNnzMin: row.min,
    rowNnzMax: row.max,
    rowNnzMean: row.mean,
    rowNnzCv: row.cv,
    colNnzMin: col.min,
    colNnzMax: col.max,
    colNnzCv: col.cv,
  }
}

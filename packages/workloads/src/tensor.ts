// The tensor value the readers return and the pruning functions take: a name, a row-major shape
// and float32 data. Kept as plain data (no class) so tensors cross Web Worker boundaries.

/** A dense, row-major (C-order) tensor with float32 values. */
export interface DenseTensor {
  /** Name from the file (e.g. `layers.0.wq`) or the file name for single-tensor formats. */
  readonly name: string
  /** Extent per axis, outermost first; `[]` is a scalar. */
  readonly shape: readonly number[]
  /** `numel(shape)` values in row-major order. */
  readonly data: Float32Array
}

/** Number of elements of a shape (1 for a scalar). */
export const numelOf = (shape: readonly number[]): number =>
  shape.reduce((product, extent) => product * extent, 1)

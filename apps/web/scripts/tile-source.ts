// The tile extraction shared by the generator script and its staleness test: real weights in, a
// small plain-JSON tile out (values rounded to float32 and written as JSON numbers).
import { pruneMagnitude, readLlama2c } from '@snipsnap/workloads'

export interface TileFixture {
  readonly source: string
  readonly tensor: string
  readonly license: string
  readonly pruning: string
  /** Rows × columns of the tile; rows and columns of the stored matrix [out, in]. */
  readonly shape: readonly [number, number]
  readonly rowOffset: number
  readonly colOffset: number
  /** Row-major values, zeros where pruning removed a weight. */
  readonly values: readonly number[]
}

export const TILE_ROWS = 8
export const TILE_COLS = 8
const TENSOR = 'layers.0.wq'

export const makeTile = (bytes: Uint8Array): TileFixture => {
  const tensors = readLlama2c(bytes, { fileName: 'stories260K.bin' })
  const weight = tensors.find((t) => t.name === TENSOR)
  if (weight === undefined) throw new Error(`${TENSOR} not found in stories260K.bin`)
  const pruned = pruneMagnitude(weight, { sparsity: 0.5 })
  const cols = weight.shape[1] ?? 0
  const values: number[] = []
  for (let r = 0; r < TILE_ROWS; r++) {
    for (let c = 0; c < TILE_COLS; c++) values.push(Number(pruned.data[r * cols + c] ?? 0))
  }
  return {
    source: 'shared/data/stories260K.bin (llama2.c tinyllamas stories260K checkpoint)',
    tensor: TENSOR,
    license: 'MIT, Copyright (c) 2023 Andrej (stories260K.LICENSE)',
    pruning: '50% unstructured magnitude pruning over the whole 64×64 matrix, then the top-left block',
    shape: [TILE_ROWS, TILE_COLS],
    rowOffset: 0,
    colOffset: 0,
    values,
  }
}

// Small helpers on tile queries shared by the models: sizes, clamping to the tensor and cache keys.
import type { TileQuery } from '@snipsnap/core'

/** Number of elements of a tile: the product of its extents. */
export const sizeOf = (shape: readonly number[]): number => {
  let size = 1
  for (const extent of shape) size *= extent
  return size
}

/**
 * Aligns a tile shape to a tensor's ranks. A shorter shape covers the innermost ranks (missing
 * outer extents are 1); a longer one has its extra leading extents folded into the outermost
 * rank. If an extent then exceeds the tensor's, the query is read as a flattened row-major
 * tile of the same size (see {@link flattenToBox}), the form a caller that only knows the
 * tile's size produces.
 */
export const alignShape = (shape: readonly number[], tensorShape: readonly number[]): number[] => {
  const rank = tensorShape.length
  const out = new Array<number>(rank).fill(1)
  const offset = shape.length - rank
  for (let i = 0; i < shape.length; i++) {
    const target = Math.max(0, i - offset)
    out[target] = (out[target] ?? 1) * Math.max(1, Math.floor(shape[i] ?? 1))
  }
  if (out.every((e, i) => e <= (tensorShape[i] ?? 1))) return out
  return flattenToBox(sizeOf(out), tensorShape)
}

/**
 * The box of `size` elements that a row-major run of `size` elements starting at an aligned
 * position covers: innermost ranks are filled first. When `size` is not such a run (it does not
 * divide into whole inner ranks), the largest divisor that fits is taken per rank, keeping the
 * size whenever possible; a size above the tensor's is clamped to the whole tensor.
 */
export const flattenToBox = (size: number, tensorShape: readonly number[]): number[] => {
  const out = new Array<number>(tensorShape.length).fill(1)
  let rest = Math.max(1, Math.floor(size))
  for (let r = tensorShape.length - 1; r >= 0 && rest > 1; r--) {
    const extent = tensorShape[r] ?? 1
    if (rest <= extent) {
      out[r] = rest
      rest = 1
    } else if (rest % extent === 0) {
      out[r] = extent
      rest /= extent
    } else {
      let d = extent
      while (d > 1 && rest % d !== 0) d--
      out[r] = d
      rest /= d
    }
  }
  return out
}

/** Aligns an origin like {@link alignShape} (missing outer coordinates are 0). */
export const alignOrigin = (
  origin: readonly number[],
  tensorShape: readonly number[]
): number[] => {
  const rank = tensorShape.length
  const out = new Array<number>(rank).fill(0)
  const offset = origin.length - rank
  for (let i = 0; i < origin.length; i++) {
    const target = i - offset
    if (target >= 0) out[target] = Math.max(0, Math.floor(origin[i] ?? 0))
  }
  return out
}

/** Cache key of a tile query (shape, origin and constraint). */
export const keyOf = (tile: TileQuery): string => {
  let key = tile.shape.join('x')
  if (tile.origin !== undefined) key += `@${tile.origin.join(',')}`
  if (tile.constraint !== undefined) {
    key += `|${tile.constraint.shape.join('x')}:${tile.constraint.occupancy}`
  }
  return key
}

/** A bounded memo: clears itself when full so long searches never grow memory without bound. */
export const createMemo = <V>(limit = 20_000) => {
  const store = new Map<string, V>()
  return (key: string, compute: () => V): V => {
    const hit = store.get(key)
    if (hit !== undefined) return hit
    const value = compute()
    if (store.size >= limit) store.clear()
    store.set(key, value)
    return value
  }
}

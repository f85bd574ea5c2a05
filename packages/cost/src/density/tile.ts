// Small helpers on tile queries shared by the models: sizes, clamping to the tensor and cache keys.
import type { TileQuery } from '@snipsnap/core'

/** Number of elements of a tile: the product of its extents. */
export const sizeOf = (shape: readonly number[]): number => {
  let size = 1
  for (const extent of shape) size *= extent
  return size
}

/**
 * Aligns a tile shape to a tensor's ranks: a shorter shape covers the innermost ranks (missing
 * outer extents are 1), a longer one is folded into its innermost ranks; each extent is clamped
 * to [1, tensor extent] because a tile never exceeds the tensor.
 */
export const alignShape = (
  shape: readonly number[],
  tensorShape: readonly number[],
): number[] => {
  const rank = tensorShape.length
  const out = new Array<number>(rank).fill(1)
  // Fold extra leading extents into the outermost kept rank, pad missing ones with 1.
  const offset = shape.length - rank
  for (let i = 0; i < shape.length; i++) {
    const target = Math.max(0, i - offset)
    out[target] = (out[target] ?? 1) * Math.max(1, Math.floor(shape[i] ?? 1))
  }
  for (let i = 0; i < rank; i++) out[i] = Math.min(out[i] ?? 1, tensorShape[i] ?? 1)
  return out
}

/** Aligns an origin like {@link alignShape} (missing outer coordinates are 0). */
export const alignOrigin = (
  origin: readonly number[],
  tensorShape: readonly number[],
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

// A memo keyed by a short tuple of numbers, for the cost models' caches of mapping parts (tile
// shapes, fiber molds, spatial offsets). Those were keyed by strings built per lookup
// (`${level}|${shapes.join(',')}|…`): the key text, its hash and its garbage were a tenth of an
// evaluation of the Sparseloop model (issue 12, `evaluate --mappings`). Here a lookup hashes the
// numbers where they are, in a caller's reused array, and allocates nothing; only a stored key is
// copied.

/**
 * A bounded map from number tuples to values. Keys compare element by element with `===` after
 * folding `-0` into `0` (as a key string would), so a tuple holding `NaN` never hits.
 * @see {@link createTupleCache}
 */
export interface TupleCache<TValue> {
  /** The value stored under `key[0..length)` (default: the whole array), or undefined. */
  get(key: ArrayLike<number>, length?: number): TValue | undefined
  /** Stores `value` under a copy of `key[0..length)`; the cache empties when it holds `limit` keys. */
  set(key: ArrayLike<number>, value: TValue, length?: number): void
  /** Number of keys held. */
  readonly size: number
}

interface Entry<TValue> {
  readonly key: Float64Array
  value: TValue
  readonly next: Entry<TValue> | undefined
}

// One 8-byte view to read a number's bits (the hash of a non-integer).
const bits = new Float64Array(1)
const words = new Uint32Array(bits.buffer)

const hashOf = (key: ArrayLike<number>, length: number): number => {
  let h = length | 0
  for (let i = 0; i < length; i++) {
    const x = key[i]!
    let v: number
    if ((x | 0) === x) v = x
    else {
      bits[0] = x
      v = words[0]! ^ Math.imul(words[1]!, 0x27d4eb2d)
    }
    h = Math.imul(h ^ v, 0x9e3779b1)
    h ^= h >>> 15
  }
  return h
}

const sameKey = (stored: Float64Array, key: ArrayLike<number>, length: number): boolean => {
  if (stored.length !== length) return false
  for (let i = 0; i < length; i++) if (stored[i] !== key[i]) return false
  return true
}

/**
 * Creates a {@link TupleCache} holding at most `limit` keys (it is emptied when full, so memory
 * stays bounded whatever the mappings).
 * @example
 * const cache = createTupleCache<number>({ limit: 10_000 })
 * const key = [level, tileSize]
 * const hit = cache.get(key) ?? compute()
 */
export const createTupleCache = <TValue>(options: { readonly limit: number }): TupleCache<TValue> => {
  const buckets = new Map<number, Entry<TValue>>()
  let size = 0
  return {
    get(key, length = key.length) {
      for (let e = buckets.get(hashOf(key, length)); e !== undefined; e = e.next) if (sameKey(e.key, key, length)) return e.value
      return undefined
    },
    set(key, value, length = key.length) {
      const h = hashOf(key, length)
      let first = buckets.get(h)
      for (let e = first; e !== undefined; e = e.next) {
        if (sameKey(e.key, key, length)) {
          e.value = value
          return
        }
      }
      if (size >= options.limit) {
        buckets.clear()
        size = 0
        first = undefined
      }
      const stored = new Float64Array(length)
      for (let i = 0; i < length; i++) stored[i] = key[i]!
      buckets.set(h, { key: stored, value, next: first })
      size++
    },
    get size() {
      return size
    },
  }
}

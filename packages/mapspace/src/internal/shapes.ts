// Array builders with one elements kind per use. V8 specialises optimised code on an array's
// elements kind (small integers, doubles, holey or packed); `Array.prototype.map` gives a
// different kind depending on whether it ran interpreted (packed) or inlined by TurboFan (holey,
// and doubles whenever the callback's result is typed as any number). Genomes built by different
// paths then reach `decode` and the search operators with up to four kinds, and every new kind
// deoptimises the code that had only seen the others: each worker thread pays those recompiles
// again. Built here, genome arrays are always packed small integers and factor-vector lists
// always packed objects.

/**
 * `v` as a small integer (V8's 31-bit Smi) when it is an integer in that range, so storing it never
 * changes an array's kind; any other value (NaN, fractions, huge permutation ranks) unchanged.
 */
export const smi = (v: number): number => (v >= -0x40000000 && v <= 0x3fffffff && (v | 0) === v && !Object.is(v, -0) ? v | 0 : v)

/** `[at(0), …, at(n − 1)]` (called in index order) as a packed small-integer array when the values are. */
export const smiArray = (n: number, at: (i: number) => number): number[] => {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(smi(at(i)))
  return out
}

/** `[at(0), …, at(n − 1)]` as a packed array of objects (called in index order). */
export const objectArray = <T extends object>(n: number, at: (i: number) => T): T[] => {
  const out: T[] = []
  for (let i = 0; i < n; i++) out.push(at(i))
  return out
}

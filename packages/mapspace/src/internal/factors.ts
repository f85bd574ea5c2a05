// Integer helpers of the mapspace: prime factors, divisors, ordered factorisations of a dimension
// over tiling slots under per-slot constraints (Timeloop's IndexFactorizationSpace), and
// permutation ranking (Lehmer codes) so a permutation is one integer of the genome.

// Prime factors and divisors are the shared core helpers (one implementation for every stage).
import { divisors, primeFactors } from '@snipsnap/core'

export { divisors, primeFactors }

/** What a constraint allows at one slot for one dimension. */
export interface SlotRule {
  /** Exact factor, or null. */
  readonly exact: number | null
  /** Upper bound, or null. */
  readonly max: number | null
  /** `D=0`: this slot takes what remains of the dimension; every outer slot gets 1. */
  readonly rest: boolean
}

export const FREE: SlotRule = { exact: null, max: null, rest: false }

const allows = (rule: SlotRule, factor: number): boolean =>
  (rule.exact === null || rule.exact === factor) && (rule.max === null || factor <= rule.max)

/**
 * Every ordered factorisation of `bound` over the slots (index 0 = outermost) that the rules allow.
 * The outermost slot takes the residue, as in Timeloop.
 */
export const factorVectors = (bound: number, rules: readonly SlotRule[]): number[][] => {
  const n = rules.length
  const out: number[][] = []
  const current = new Array<number>(n).fill(1)
  const divisorMemo = new Map<number, number[]>()
  const divisorsOf = (v: number): number[] => {
    let d = divisorMemo.get(v)
    if (d === undefined) {
      d = divisors(v)
      divisorMemo.set(v, d)
    }
    return d
  }
  // Walk from the innermost slot outwards so `rest` (everything that remains) is a local decision.
  const visit = (slot: number, remaining: number): void => {
    const rule = rules[slot] ?? FREE
    if (slot === 0) {
      if (allows(rule, remaining)) {
        current[0] = remaining
        out.push([...current])
      }
      return
    }
    if (rule.rest) {
      if (!allows(rule, remaining)) return
      for (let outer = 0; outer < slot; outer++) if (!allows(rules[outer] ?? FREE, 1)) return
      for (let outer = 0; outer < slot; outer++) current[outer] = 1
      current[slot] = remaining
      out.push([...current])
      return
    }
    const choices = rule.exact !== null ? (remaining % rule.exact === 0 ? [rule.exact] : []) : divisorsOf(remaining)
    for (const factor of choices) {
      if (!allows(rule, factor)) continue
      current[slot] = factor
      visit(slot - 1, remaining / factor)
    }
    current[slot] = 1
  }
  if (n === 0) return bound === 1 ? [[]] : []
  // Deterministic order: ascending factor at the innermost slot first (the walk's own order).
  visit(n - 1, bound)
  return out
}

const FACTORIALS: bigint[] = [1n]
/** n! as a bigint. */
export const factorialBig = (n: number): bigint => {
  for (let i = FACTORIALS.length; i <= n; i++) FACTORIALS.push((FACTORIALS[i - 1] ?? 1n) * BigInt(i))
  return FACTORIALS[n] ?? 1n
}

/** n! as a number (n ≤ 18 stays exact). */
export const factorial = (n: number): number => Number(factorialBig(n))

/** The `index`-th permutation (lexicographic over positions) of `items`. */
export const nthPermutation = <T>(items: readonly T[], index: number): T[] => {
  const pool = [...items]
  const out: T[] = []
  let rest = index
  for (let k = pool.length; k > 0; k--) {
    const f = factorial(k - 1)
    const pick = Math.floor(rest / f)
    rest %= f
    out.push(pool.splice(pick, 1)[0] as T)
  }
  return out
}

/** Inverse of {@link nthPermutation}: the rank of `order` among permutations of `items`. */
export const permutationRank = <T>(items: readonly T[], order: readonly T[]): number => {
  const pool = [...items]
  let rank = 0
  for (let i = 0; i < order.length; i++) {
    const pos = pool.indexOf(order[i] as T)
    rank += pos * factorial(pool.length - 1)
    pool.splice(pos, 1)
  }
  return rank
}

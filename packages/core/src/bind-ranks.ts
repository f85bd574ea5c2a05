// The one rule that binds mapping loops to the ranks of a tensor's format (Timeloop's
// `ApplyRanksInnerToOuter` / `ApplyRanksOuterToInner`, shared/docs/sparseloop-model.md §3). The
// cost model, the mapspace's rank check and the compression engine all bind through it, so they
// agree on which mappings a format can express.

/** A loop as the binder sees it: its dimension and bound (bound ≤ 1 is trivial). */
export interface BindableLoop<D> {
  readonly dim: D
  readonly bound: number
}

/** What one rank got: loops `[from, to)` of the application-ordered list, or nothing. */
export type RankTake =
  /** The rank took loops `[from, to)` (more than one only for a flattening rule). */
  | { readonly kind: 'took'; readonly from: number; readonly to: number }
  /** The rank's flattening rule does not name the next loop's dim: it stays empty (fiber 1). */
  | { readonly kind: 'skipped' }
  /** No loop was left for the rank. */
  | { readonly kind: 'unused' }

export interface RankBinding {
  /** Per rank, in application order. */
  readonly ranks: readonly RankTake[]
  /** Non-trivial loops no rank took (> 0: the format needs more ranks than it has). */
  readonly leftover: number
}

/**
 * Binds `loops` (in rank application order: innermost loop first for `inner-to-outer`, outermost
 * first for `outer-to-inner`) to ranks whose flattening rules are `rules` (same order; null = one
 * loop per rank). Trivial loops are skipped; a rank takes the next non-trivial loop unless its
 * rule does not name that loop's dim (then the rank stays empty and the loop goes to the next
 * rank); a rank with a rule then absorbs the following loops whose dims are in the rule or that
 * are trivial. Non-trivial loops left over are counted in `leftover`.
 * @example bindRanks([{ dim: 'K', bound: 4 }, { dim: 'M', bound: 2 }], [null, null]).leftover // 0
 */
export const bindRanks = <D>(loops: readonly BindableLoop<D>[], rules: readonly (readonly D[] | null)[]): RankBinding => {
  const ranks: RankTake[] = []
  let li = 0
  for (let k = 0; k < rules.length; k++) {
    while (li < loops.length && loops[li]!.bound <= 1) li++
    if (li >= loops.length) {
      ranks.push(UNUSED)
      continue
    }
    const rule = rules[k] ?? null
    if (rule !== null && !rule.includes(loops[li]!.dim)) {
      ranks.push(SKIPPED)
      continue
    }
    const from = li++
    if (rule !== null) while (li < loops.length && (rule.includes(loops[li]!.dim) || loops[li]!.bound <= 1)) li++
    ranks.push({ kind: 'took', from, to: li })
  }
  let leftover = 0
  for (; li < loops.length; li++) if (loops[li]!.bound > 1) leftover++
  return { ranks, leftover }
}

const UNUSED: RankTake = Object.freeze({ kind: 'unused' })
const SKIPPED: RankTake = Object.freeze({ kind: 'skipped' })

// Shared helpers of the population-based strategies: an evaluated design as plain data, and the
// ranking that puts every feasible design before every infeasible one.
import type { Evaluated, ObjectiveOrder } from '@snipsnap/core'

/** An evaluated design as plain data: `objectives` is `null` when the design is infeasible. */
export interface Member {
  readonly design: unknown
  readonly objectives: readonly number[] | null
}

export const toMember = (result: Evaluated<unknown>): Member => ({
  design: result.design,
  objectives: result.ok ? [...result.objectives] : null,
})

/** Negative when `a` ranks before `b`; feasible before infeasible, then by the objective order. */
export const compareMembers = (order: ObjectiveOrder, a: Member, b: Member): number => {
  if (a.objectives === null) return b.objectives === null ? 0 : 1
  if (b.objectives === null) return -1
  return order.compare(a.objectives, b.objectives)
}

// Pareto archive over minimised objective vectors. Pure functions over plain arrays: the front is
// kept in insertion order so output never depends on hashing, and `paretoInsert` is the
// incremental archive the driver folds every valid result into.
import { SnipSnapError } from '@snipsnap/core'

/** Anything carrying an objective vector (all entries minimised). */
export interface HasObjectives {
  readonly objectives: readonly number[]
}

/**
 * `a` Pareto-dominates `b`: no worse in every objective and strictly better in at least one.
 * @example dominates([1, 2], [1, 3]) === true
 */
export const dominates = (a: readonly number[], b: readonly number[]): boolean => {
  let strictly = false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    if (x > y) return false
    if (x < y) strictly = true
  }
  return strictly
}

const sameVector = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((value, index) => value === b[index])

const assertVector = (point: HasObjectives, arity: number | undefined): void => {
  const v = point.objectives
  if (arity !== undefined && v.length !== arity) {
    throw new SnipSnapError('INVALID_SPEC', `objective vectors differ in length (${v.length} vs ${arity})`, { path: ['objectives'] })
  }
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new SnipSnapError('INVALID_SPEC', `objective ${i} is not a finite number (${String(v[i])})`, { path: ['objectives', i] })
    }
  }
}

/**
 * Inserts `point` into a non-dominated `front` (pure; the input is not modified).
 * The point is rejected when a member dominates it or has the very same objective vector (the
 * first of equal points is kept); otherwise it is appended and the members it dominates leave.
 * @throws {SnipSnapError} INVALID_SPEC for non-finite objectives or mismatched vector lengths.
 * @example paretoInsert([{ objectives: [1, 3] }], { objectives: [2, 1] }).front.length === 2
 */
export const paretoInsert = <T extends HasObjectives>(
  front: readonly T[],
  point: T,
): { readonly front: readonly T[]; readonly added: boolean } => {
  assertVector(point, front[0]?.objectives.length)
  const v = point.objectives
  for (const member of front) {
    if (dominates(member.objectives, v) || sameVector(member.objectives, v)) return { front, added: false }
  }
  const kept = front.filter((member) => !dominates(v, member.objectives))
  kept.push(point)
  return { front: kept, added: true }
}

/**
 * The non-dominated subset of `points`, in input order. Every pair of kept points is mutually
 * non-dominated, and every dropped point is dominated by, or has the same objectives as, a kept
 * one (the first of equal points is kept).
 * @throws {SnipSnapError} INVALID_SPEC for non-finite objectives or mismatched vector lengths.
 * @example paretoFront([{ objectives: [1, 3] }, { objectives: [2, 2] }, { objectives: [3, 3] }]).length === 2
 */
export const paretoFront = <T extends HasObjectives>(points: readonly T[]): T[] => {
  let front: readonly T[] = []
  for (const point of points) front = paretoInsert(front, point).front
  // Re-sort into input order: insertion appends, removals keep relative order, so the kept points
  // are already in input order.
  return [...front]
}

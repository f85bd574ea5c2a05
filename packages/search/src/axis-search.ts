// Outer search over a grid of discrete axes (hardware parameters, but nothing here knows that):
// a seeded Pareto local search. It starts from a given point, then repeatedly picks a member of
// the current Pareto front and moves one or two axes by one step (sometimes a random jump).
// Every proposal first passes a cheap `screen` (area and power caps in the hardware case), so
// rejected points cost no evaluation; evaluated points are cached by key; each evaluation is told
// its already-evaluated neighbours (nearest first) so it can reuse their results; one wall-clock
// budget is shared by all points. Same seed and same results ⇒ the same sequence of points.
import { createRng, SnipSnapError } from '@snipsnap/core'
import type { AbortSignalLike } from './executor'
import { paretoInsert } from './pareto'

/** One axis: a name and its ordered values (neighbours are adjacent values). */
export interface DiscreteAxis {
  readonly name: string
  readonly values: readonly (string | number | boolean)[]
}

/** A point of the grid: one value per axis. */
export type AxisPoint = Readonly<Record<string, string | number | boolean>>

/** An evaluated point. */
export interface AxisEvaluated<TResult> {
  readonly point: AxisPoint
  readonly key: string
  /** Minimised, in the order of `objectives`. */
  readonly objectives: readonly number[]
  readonly result: TResult
  /** 0-based order of evaluation. */
  readonly index: number
  /** Clock time since the search started when this point finished, ms (null without a clock). */
  readonly atMs: number | null
}

/** A proposal the screen turned away, or whose evaluation failed. */
export interface AxisRejected {
  readonly point: AxisPoint
  readonly key: string
  /** Screen's kind (e.g. `area`, `power`, `invalid`) or `evaluation`. */
  readonly kind: string
  readonly reason: string
}

export type AxisScreen = { readonly ok: true } | { readonly ok: false; readonly kind: string; readonly reason: string }
export type AxisOutcome<TResult> =
  | { readonly ok: true; readonly objectives: readonly number[]; readonly result: TResult }
  | { readonly ok: false; readonly reason: string }

/** What an evaluation is told. */
export interface AxisEvaluationContext<TResult> {
  /** Evaluated points sorted by axis distance (index steps), nearest first; at most 4. */
  readonly neighbours: readonly AxisEvaluated<TResult>[]
  /** Aborts when the shared budget runs out (or the caller's signal aborts). */
  readonly signal: AbortSignalLike
}

export interface AxisSearchOptions<TResult> {
  readonly axes: readonly DiscreteAxis[]
  /** First point evaluated (its values must be on the axes). */
  readonly start: AxisPoint
  /** Names of the minimised objectives (for reports; Pareto dominance uses every one). */
  readonly objectives: readonly string[]
  readonly screen: (point: AxisPoint) => AxisScreen
  readonly evaluate: (point: AxisPoint, context: AxisEvaluationContext<TResult>) => Promise<AxisOutcome<TResult>>
  /** Shared budget: wall time (ms, needs `clock`) and/or evaluated points. At least one. */
  readonly budget: { readonly wallTimeMs?: number; readonly points?: number }
  readonly seed: number
  readonly clock?: () => number
  readonly signal?: AbortSignalLike
  /** Proposals per evaluated point before giving up on finding a new admissible one (default 200). */
  readonly maxProposals?: number
  readonly onPoint?: (point: AxisEvaluated<TResult>, front: readonly AxisEvaluated<TResult>[]) => void
}

export interface AxisSearchResult<TResult> {
  readonly evaluated: readonly AxisEvaluated<TResult>[]
  readonly front: readonly AxisEvaluated<TResult>[]
  readonly rejected: readonly AxisRejected[]
  /** `points`, `time`, `aborted` or `exhausted` (no admissible unseen point found). */
  readonly stoppedBy: 'points' | 'time' | 'aborted' | 'exhausted'
  /** Evaluations cut short by the budget (their results are discarded). */
  readonly interrupted: number
}

/** Stable key of a point (axes in the given order). */
export const axisPointKey = (axes: readonly DiscreteAxis[], point: AxisPoint): string =>
  axes.map((a) => `${a.name}=${String(point[a.name])}`).join(';')

const indexOn = (axis: DiscreteAxis, point: AxisPoint): number => axis.values.findIndex((v) => v === point[axis.name])

/** Σ |index difference| over axes. */
export const axisDistance = (axes: readonly DiscreteAxis[], a: AxisPoint, b: AxisPoint): number =>
  axes.reduce((s, axis) => s + Math.abs(indexOn(axis, a) - indexOn(axis, b)), 0)

/**
 * Seeded Pareto local search over discrete axes with a shared budget.
 * @throws {SnipSnapError} INVALID_SPEC when an axis is empty, duplicated, the start point is off the
 *   axes, or no budget is given.
 * @example
 * await searchAxes({ axes: [{ name: 'x', values: [1, 2, 3] }], start: { x: 2 }, objectives: ['f'],
 *   screen: () => ({ ok: true }), evaluate: async (p) => ({ ok: true, objectives: [Number(p.x)], result: null }),
 *   budget: { points: 3 }, seed: 1 })
 */
export const searchAxes = async <TResult>(options: AxisSearchOptions<TResult>): Promise<AxisSearchResult<TResult>> => {
  const { axes, budget } = options
  if (axes.length === 0) throw new SnipSnapError('INVALID_SPEC', 'at least one axis is needed', { path: ['axes'] })
  const names = new Set<string>()
  for (const axis of axes) {
    if (axis.values.length === 0) throw new SnipSnapError('INVALID_SPEC', `axis ${axis.name} has no values`, { path: ['axes', axis.name] })
    if (names.has(axis.name)) throw new SnipSnapError('INVALID_SPEC', `axis ${axis.name} is given twice`, { path: ['axes', axis.name] })
    names.add(axis.name)
    if (indexOn(axis, options.start) < 0) {
      throw new SnipSnapError('INVALID_SPEC', `start value ${String(options.start[axis.name])} is not on axis ${axis.name} (${axis.values.join(', ')})`, { path: ['axes', axis.name] })
    }
  }
  if (budget.points === undefined && budget.wallTimeMs === undefined) {
    throw new SnipSnapError('INVALID_SPEC', 'the axis search needs a budget: points and/or wallTimeMs', { path: ['budget'] })
  }
  if (budget.wallTimeMs !== undefined && options.clock === undefined) {
    throw new SnipSnapError('INVALID_SPEC', 'a wall-time budget needs a clock', { path: ['budget', 'wallTimeMs'] })
  }
  const clock = options.clock
  const startedMs = clock?.() ?? 0
  const deadline = budget.wallTimeMs !== undefined ? startedMs + budget.wallTimeMs : Infinity
  const outOfTime = (): boolean => clock !== undefined && clock() >= deadline
  const externalAbort = (): boolean => options.signal?.aborted === true
  const signal: AbortSignalLike = { get aborted() { return externalAbort() || outOfTime() } }
  const rng = createRng(options.seed)
  const maxProposals = options.maxProposals ?? 200

  const evaluated: AxisEvaluated<TResult>[] = []
  const rejected: AxisRejected[] = []
  const seen = new Set<string>()
  let front: readonly AxisEvaluated<TResult>[] = []
  let interrupted = 0

  const neighbour = (from: AxisPoint): AxisPoint => {
    const next: Record<string, string | number | boolean> = { ...from }
    const moves = rng.next() < 0.3 ? 2 : 1
    for (let m = 0; m < moves; m++) {
      const axis = axes[rng.int(axes.length)] as DiscreteAxis
      const at = indexOn(axis, next)
      const jump = rng.next() < 0.15
      const to = jump ? rng.int(axis.values.length) : Math.min(axis.values.length - 1, Math.max(0, at + (rng.next() < 0.5 ? -1 : 1)))
      next[axis.name] = axis.values[to] as string | number | boolean
    }
    return next
  }

  /** The next admissible unseen point, screening proposals; null when none was found. */
  const propose = (): AxisPoint | null => {
    const startKey = axisPointKey(axes, options.start)
    if (!seen.has(startKey)) {
      seen.add(startKey)
      const verdict = options.screen(options.start)
      if (verdict.ok) return options.start
      rejected.push({ point: options.start, key: startKey, kind: verdict.kind, reason: verdict.reason })
    }
    for (let attempt = 0; attempt < maxProposals; attempt++) {
      // Walk from the front; before anything was evaluated, from the (rejected) start point.
      const parents: readonly AxisPoint[] = front.length > 0 ? front.map((f) => f.point) : evaluated.length > 0 ? evaluated.map((e) => e.point) : [options.start]
      const parent = parents[rng.int(parents.length)] as AxisPoint
      const candidate = neighbour(parent)
      const key = axisPointKey(axes, candidate)
      if (seen.has(key)) continue
      seen.add(key)
      const verdict = options.screen(candidate)
      if (!verdict.ok) {
        rejected.push({ point: candidate, key, kind: verdict.kind, reason: verdict.reason })
        continue
      }
      return candidate
    }
    return null
  }

  let stoppedBy: AxisSearchResult<TResult>['stoppedBy'] = 'exhausted'
  let longestMs = 0
  for (;;) {
    if (externalAbort()) { stoppedBy = 'aborted'; break }
    if (outOfTime()) { stoppedBy = 'time'; break }
    // A point that would not finish in time (judged by the longest so far) is not started: its
    // work would be discarded anyway, and the run ends inside its budget.
    if (clock !== undefined && evaluated.length > 0 && clock() + longestMs > deadline) { stoppedBy = 'time'; break }
    if (budget.points !== undefined && evaluated.length >= budget.points) { stoppedBy = 'points'; break }
    const point = propose()
    if (point === null) { stoppedBy = 'exhausted'; break }
    const key = axisPointKey(axes, point)
    const neighbours = [...evaluated]
      .map((e) => ({ e, d: axisDistance(axes, e.point, point) }))
      .sort((a, b) => a.d - b.d || a.e.index - b.e.index)
      .slice(0, 4)
      .map((x) => x.e)
    const before = clock?.() ?? 0
    const outcome = await options.evaluate(point, { neighbours, signal })
    const after = clock?.() ?? 0
    longestMs = Math.max(longestMs, after - before)
    if (signal.aborted) {
      interrupted++
      stoppedBy = externalAbort() ? 'aborted' : 'time'
      break
    }
    if (!outcome.ok) {
      rejected.push({ point, key, kind: 'evaluation', reason: outcome.reason })
      continue
    }
    const record: AxisEvaluated<TResult> = { point, key, objectives: outcome.objectives, result: outcome.result, index: evaluated.length, atMs: clock === undefined ? null : after - startedMs }
    evaluated.push(record)
    front = paretoInsert(front, record).front
    options.onPoint?.(record, front)
  }
  return { evaluated, front, rejected, stoppedBy, interrupted }
}

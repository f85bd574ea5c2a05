// Exhaustive search. Over a `DesignTree` it walks the leaves depth-first in lexicographic order
// with the current path as its whole cursor, so the walk is plain data, resumable, and can skip
// subtrees: those the tree's cheap `admits` check rejects, and those the driver prunes (a prefix
// found infeasible or dominated). Over a flat `enumerate()` it keeps only a position.
import {
  defineSearchStrategy,
  SnipSnapError,
  type AnySearchStrategy,
  type DesignTree,
  type Space,
} from '@snipsnap/core'

/** Plain-data state of {@link exhaustive}. */
export interface ExhaustiveState {
  readonly mode: 'tree' | 'enumerate'
  /** Tree mode: path of the next leaf to propose; `null` once the tree is used up. */
  readonly cursor: readonly number[] | null
  /** Designs proposed so far. */
  readonly position: number
  /** Subtrees skipped, by `admits` or by prune requests. */
  readonly pruned: number
  readonly exhausted: boolean
  /** Tree mode: keys and paths of the last ask, so prune requests can name their prefix. */
  readonly inflight: readonly { readonly key: string; readonly path: readonly number[] }[]
}

/** Moves from node `path` to the next node in depth-first order that is not below it. */
const nextSibling = (tree: DesignTree<unknown>, path: number[]): number[] | null => {
  while (path.length > 0) {
    const last = path.pop() as number
    if (last + 1 < tree.branches(path)) {
      path.push(last + 1)
      return path
    }
  }
  return null
}

/** From node `start`, the first admissible leaf at or after it in depth-first order. */
const settle = (
  tree: DesignTree<unknown>,
  start: number[] | null,
  counter: { pruned: number },
): number[] | null => {
  let path = start
  while (path !== null) {
    if (tree.admits !== undefined && !tree.admits(path)) {
      counter.pruned++
      path = nextSibling(tree, path)
      continue
    }
    const branches = tree.branches(path)
    if (!Number.isInteger(branches) || branches < 0) {
      throw new SnipSnapError('INVALID_SPEC', `space.tree.branches([${path.join(', ')}]) returned ${String(branches)}; expected an integer ≥ 0`, {
        path: ['space', 'tree', 'branches'],
      })
    }
    if (branches === 0) return path
    path.push(0)
  }
  return null
}

const startsWith = (path: readonly number[], prefix: readonly number[]): boolean =>
  prefix.every((value, index) => path[index] === value)

// Flat enumeration cannot live in plain-data state, so the live iterator is memoised per space,
// tagged with the position it has reached. The state stays the single source of truth: when the
// memo does not match (a resumed or interleaved run) a fresh iterator is skipped to the position.
const iterators = new WeakMap<object, { position: number; iterator: Iterator<unknown> }>()

const iteratorAt = (space: Space<unknown>, position: number): Iterator<unknown> => {
  const memo = iterators.get(space)
  if (memo !== undefined && memo.position === position) return memo.iterator
  const iterator = (space.enumerate as () => Iterable<unknown>)()[Symbol.iterator]()
  for (let i = 0; i < position; i++) if (iterator.next().done === true) break
  return iterator
}

/**
 * Exhaustive search (id `exhaustive`): every design once, in the space's order. Prefers
 * `space.tree` (prunable: `tree.admits` and the driver's prune requests skip subtrees), else
 * `space.enumerate()`. Done with `'exhausted'` when the space is used up.
 * @throws {SnipSnapError} UNSUPPORTED_FEATURE when the space has neither `tree` nor `enumerate`.
 */
export const exhaustive: AnySearchStrategy = defineSearchStrategy<unknown, ExhaustiveState, undefined>({
  id: 'exhaustive',
  description: 'Every design once, depth-first over the space tree with subtree pruning, or in enumeration order.',
  init({ space }) {
    if (space.tree !== undefined) {
      const counter = { pruned: 0 }
      const cursor = settle(space.tree, [], counter)
      return { mode: 'tree', cursor, position: 0, pruned: counter.pruned, exhausted: cursor === null, inflight: [] }
    }
    if (space.enumerate !== undefined) {
      return { mode: 'enumerate', cursor: null, position: 0, pruned: 0, exhausted: false, inflight: [] }
    }
    throw new SnipSnapError('UNSUPPORTED_FEATURE', 'exhaustive search needs a space with `tree` or `enumerate()`', {
      path: ['space'],
    })
  },
  ask(state, n, { space }) {
    if (state.exhausted || n <= 0) return { state, candidates: [] }
    const candidates: unknown[] = []
    if (state.mode === 'enumerate') {
      const iterator = iteratorAt(space, state.position)
      let exhausted = false
      while (candidates.length < n) {
        const step = iterator.next()
        if (step.done === true) {
          exhausted = true
          break
        }
        candidates.push(step.value)
      }
      const position = state.position + candidates.length
      iterators.set(space, { position, iterator })
      return { state: { ...state, position, exhausted }, candidates }
    }
    const tree = space.tree as DesignTree<unknown>
    const counter = { pruned: state.pruned }
    const inflight: { key: string; path: readonly number[] }[] = []
    let cursor = state.cursor === null ? null : [...state.cursor]
    while (cursor !== null && candidates.length < n) {
      const design = tree.leaf(cursor)
      candidates.push(design)
      inflight.push({ key: space.key(design), path: [...cursor] })
      cursor = settle(tree, nextSibling(tree, cursor), counter)
    }
    return {
      state: {
        ...state,
        cursor,
        position: state.position + candidates.length,
        pruned: counter.pruned,
        exhausted: cursor === null,
        inflight,
      },
      candidates,
    }
  },
  tell: (state) => (state.inflight.length === 0 ? state : { ...state, inflight: [] }),
  prune(state, requests, { space }) {
    if (state.mode !== 'tree' || state.cursor === null) return state
    const tree = space.tree as DesignTree<unknown>
    const counter = { pruned: state.pruned }
    let cursor: number[] | null = [...state.cursor]
    for (const request of requests) {
      const key = space.key(request.design)
      const found = state.inflight.find((entry) => entry.key === key)
      if (found === undefined || cursor === null) continue
      const depth = Math.max(0, Math.min(Math.trunc(request.depth), found.path.length))
      const prefix = found.path.slice(0, depth)
      // The cursor is past the pruned design; only skip if it is still inside that subtree.
      if (!startsWith(cursor, prefix)) continue
      counter.pruned++
      cursor = depth === 0 ? null : settle(tree, nextSibling(tree, prefix), counter)
    }
    return { ...state, cursor, pruned: counter.pruned, exhausted: cursor === null }
  },
  isDone: (state) => (state.exhausted ? 'exhausted' : false),
})

// Test helpers for code that throws `SnipSnapError` (import from `@snipsnap/core/testing`), so test
// files share one "return the error this call throws" instead of each copying a try/catch. No
// test-runner dependency: a wrong outcome is a thrown Error, which every runner reports as a failure.
import { isSnipSnapError, type SnipSnapError } from './errors'

const describeThrown = (value: unknown): string =>
  value instanceof Error ? `${value.name}: ${value.message}` : `${typeof value} ${String(value)}`

const notSnipSnapError = (value: unknown): Error =>
  new Error(`expected a SnipSnapError, but ${describeThrown(value)} was thrown`, { cause: value })

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

/**
 * Runs `fn` and returns the {@link SnipSnapError} it throws. Throws (failing the test) when `fn`
 * returns normally, throws anything else (kept as `cause`), or returns a promise (use
 * {@link errorOfAsync} for those).
 * @example expect(errorOf(() => createRegistry('format').get('XYZ')).code).toBe('PLUGIN_NOT_FOUND')
 */
export const errorOf = (fn: () => unknown): SnipSnapError => {
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    if (isSnipSnapError(error)) return error
    throw notSnipSnapError(error)
  }
  if (isThenable(result)) {
    // Observe the promise so its rejection is not reported as unhandled on top of this failure.
    Promise.resolve(result).catch(() => undefined)
    throw new Error('expected a SnipSnapError, but the call returned a promise: use errorOfAsync')
  }
  throw new Error('expected a SnipSnapError, but nothing was thrown')
}

/**
 * Awaits `fn()` and returns the {@link SnipSnapError} it throws or rejects with. Rejects (failing
 * the test) when it resolves or fails with anything else (kept as `cause`).
 * @example expect((await errorOfAsync(() => readTensors(bytes, { fileName: 'x.npy' }))).code).toBe('PARSE_ERROR')
 */
export const errorOfAsync = async (fn: () => unknown): Promise<SnipSnapError> => {
  try {
    await fn()
  } catch (error) {
    if (isSnipSnapError(error)) return error
    throw notSnipSnapError(error)
  }
  throw new Error('expected a SnipSnapError, but nothing was thrown')
}

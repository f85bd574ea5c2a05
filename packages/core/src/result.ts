// Result values for expected outcomes (validation, infeasible designs): the caller decides,
// nothing is thrown in hot loops.
import type { Issue } from './errors'

export type Ok<T> = { readonly ok: true; readonly value: T }
export type Err<E> = { readonly ok: false; readonly error: E }
/** Either a value or an error, as plain data. */
export type Result<T, E = readonly Issue[]> = Ok<T> | Err<E>

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value })
export const err = <E>(error: E): Err<E> => ({ ok: false, error })
export const isOk = <T, E>(result: Result<T, E>): result is Ok<T> => result.ok

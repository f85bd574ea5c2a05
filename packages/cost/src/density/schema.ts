// Edge validation of density-model inputs (zod, once at `create` time, never in query paths):
// the shared density/tensor-shape checks and a helper turning zod issues into SnipSnapError.
// zod/mini, not `zod`: its functions tree-shake, so the CLI's `evaluate` bundle carries a few
// kB of zod instead of all of it (issue 12: `zod` alone was ~15 MiB and ~90 ms of start-up).
import { invalidSpec, type Issue } from '@snipsnap/core'
import * as z from 'zod/mini'
import { en } from 'zod/locales'

/** A density in [0, 1] (NaN and infinities rejected). */
export const densitySchema = z.number({ error: 'density must be a number' }).check(
  z.refine(Number.isFinite, 'density must be finite'),
  z.refine((d) => d >= 0 && d <= 1, 'density must be in [0, 1]')
)

/** A tensor shape: at least one rank, each a positive safe integer. */
export const tensorShapeSchema = z
  .array(z.number().check(z.int('must be an integer'), z.positive('must be positive'), z.refine(Number.isSafeInteger, 'must be a safe integer')))
  .check(z.minLength(1, 'tensorShape needs at least one rank'))

/** A non-negative safe integer. */
export const countSchema = z.number().check(z.int('must be an integer'), z.nonnegative('must be ≥ 0'), z.refine(Number.isSafeInteger, 'must be a safe integer'))

/** A positive safe integer. */
export const positiveSchema = z.number().check(z.int('must be an integer'), z.positive('must be positive'), z.refine(Number.isSafeInteger, 'must be a safe integer'))

let englishErrors: z.core.$ZodErrorMap | undefined

const toIssues = (error: z.core.$ZodError, prefix: readonly (string | number)[]): Issue[] =>
  error.issues.map((issue) => ({
    code: issue.code,
    path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  }))

/**
 * Parses `value` with `schema`, throwing INVALID_SPEC whose issues are prefixed by `path`.
 * @throws {SnipSnapError} INVALID_SPEC naming the offending field.
 */
export const parseOrThrow = <T>(
  schema: z.ZodMiniType<T>,
  value: unknown,
  path: readonly (string | number)[]
): T => {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  // Messages in English whichever zod build the process loaded (zod/mini sets no locale):
  // the failing input is parsed again with the English error map.
  englishErrors ??= en().localeError
  const explained = schema.safeParse(value, { error: englishErrors })
  const error = explained.success ? result.error : explained.error
  throw invalidSpec(toIssues(error, path), error)
}

/** Validates the `density` and `tensorShape` every model receives. */
export const parseCommonInput = (input: {
  readonly density: unknown
  readonly tensorShape: unknown
}): { readonly density: number; readonly tensorShape: readonly number[] } => ({
  density: parseOrThrow(densitySchema, input.density, ['density']),
  tensorShape: parseOrThrow(tensorShapeSchema, input.tensorShape, ['tensorShape']),
})

/** Throws INVALID_SPEC for one field with one message (cross-field rules). */
export const failField = (path: readonly (string | number)[], message: string): never => {
  throw invalidSpec([{ code: 'custom', path, message }])
}

// Edge validation of density-model inputs (zod, once at `create` time, never in query paths):
// the shared density/tensor-shape checks and a helper turning zod issues into SnipSnapError.
import { invalidSpec, type Issue } from '@snipsnap/core'
import { z } from 'zod'

/** A density in [0, 1] (NaN and infinities rejected). */
export const densitySchema = z
  .number({ error: 'density must be a number' })
  .refine(Number.isFinite, 'density must be finite')
  .refine((d) => d >= 0 && d <= 1, 'density must be in [0, 1]')

/** A tensor shape: at least one rank, each a positive safe integer. */
export const tensorShapeSchema = z
  .array(
    z
      .number()
      .int('must be an integer')
      .positive('must be positive')
      .refine(Number.isSafeInteger, 'must be a safe integer')
  )
  .min(1, 'tensorShape needs at least one rank')

/** A non-negative safe integer. */
export const countSchema = z
  .number()
  .int('must be an integer')
  .nonnegative('must be ≥ 0')
  .refine(Number.isSafeInteger, 'must be a safe integer')

/** A positive safe integer. */
export const positiveSchema = z
  .number()
  .int('must be an integer')
  .positive('must be positive')
  .refine(Number.isSafeInteger, 'must be a safe integer')

const toIssues = (error: z.ZodError, prefix: readonly (string | number)[]): Issue[] =>
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
  schema: z.ZodType<T>,
  value: unknown,
  path: readonly (string | number)[]
): T => {
  const result = schema.safeParse(value)
  if (!result.success) throw invalidSpec(toIssues(result.error, path), result.error)
  return result.data
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

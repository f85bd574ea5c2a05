// The zod edge: parse options with a schema and turn zod issues into one INVALID_SPEC error
// whose path names the bad field.
import { invalidSpec, type Issue } from '@snipsnap/core'
import type { z } from 'zod'

/** Parses `value` with `schema` or throws INVALID_SPEC naming the offending fields under `path`. */
export const parseOrThrow = <TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  path: readonly (string | number)[],
): z.output<TSchema> => {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues: Issue[] = result.error.issues.map((issue) => ({
    code: issue.code,
    path: [...path, ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))],
    message: issue.message,
  }))
  throw invalidSpec(issues, result.error)
}

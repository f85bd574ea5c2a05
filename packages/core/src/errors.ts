// The one error type of SnipSnap (tRPC's TRPCError pattern): a string code union, optional
// structured issues and an ES2022 cause. Expected outcomes (an infeasible mapping) are values,
// not errors; this type is for invalid input and programmer mistakes.

/** Where something went wrong: a path into the input (file, YAML key, array index). */
export type IssuePath = readonly (string | number)[]

/** One problem found in an input, Zod-style: machine code, location and human message. */
export interface Issue {
  readonly code: string
  readonly path: IssuePath
  readonly message: string
}

/** Every error code SnipSnap throws. */
export type SnipSnapErrorCode =
  | 'INVALID_SPEC'
  | 'PARSE_ERROR'
  | 'IO_ERROR'
  | 'PLUGIN_NOT_FOUND'
  | 'PLUGIN_DUPLICATE'
  | 'UNSUPPORTED_QUERY'
  | 'UNSUPPORTED_FEATURE'
  | 'ABORTED'
  | 'INTERNAL'

export interface SnipSnapErrorOptions {
  readonly issues?: readonly Issue[]
  readonly path?: IssuePath
  readonly cause?: unknown
}

/** Formats a path as `a.b[3].c` for messages. */
export const formatPath = (path: IssuePath): string =>
  path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`,
    )
    .join('')

// A registered symbol: the same value in every copy of this module.
const SNIPSNAP_ERROR_BRAND = Symbol.for('@snipsnap/core/SnipSnapError')

/**
 * The single error class of SnipSnap.
 * @example throw new SnipSnapError('INVALID_SPEC', 'density must be in [0, 1]', { path: ['A', 'density'] })
 */
export class SnipSnapError extends Error {
  readonly code: SnipSnapErrorCode
  readonly issues: readonly Issue[]
  readonly path: IssuePath
  /** Brand shared by every copy of this class (see `Symbol.hasInstance` below). */
  readonly [SNIPSNAP_ERROR_BRAND] = true

  constructor(code: SnipSnapErrorCode, message: string, options: SnipSnapErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SnipSnapError'
    this.code = code
    this.path = options.path ?? []
    this.issues = options.issues ?? []
  }

  /**
   * `instanceof` recognises errors of any copy of @snipsnap/core: the bundled CLI carries its own
   * copy while @snipsnap/sweep (kept external) loads the package's, and a class identity check
   * made every sweep spec error an "internal error".
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the ordinary prototype check.
    if (this !== SnipSnapError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return typeof value === 'object' && value !== null && (value as { [SNIPSNAP_ERROR_BRAND]?: unknown })[SNIPSNAP_ERROR_BRAND] === true
  }

  /**
   * One line: `CODE path: message`, the form the CLI prints. A message that already starts with
   * its path (a file's errors say `file:line: …`) is not prefixed again.
   */
  toLine(): string {
    const path = formatPath(this.path)
    const named = path !== '' && this.message.startsWith(path) && this.message[path.length] === ':'
    const where = path === '' || named ? '' : `${path}: `
    return `${this.code} ${where}${this.message}`
  }
}

/** Type guard for {@link SnipSnapError}. */
export const isSnipSnapError = (value: unknown): value is SnipSnapError =>
  value instanceof SnipSnapError

/** Wraps anything thrown into a {@link SnipSnapError} (code INTERNAL unless it already is one). */
export const toSnipSnapError = (value: unknown): SnipSnapError => {
  if (isSnipSnapError(value)) return value
  if (value instanceof Error) return new SnipSnapError('INTERNAL', value.message, { cause: value })
  return new SnipSnapError('INTERNAL', String(value))
}

/** Builds an INVALID_SPEC error from a list of issues, with the first issue in the message. */
export const invalidSpec = (issues: readonly Issue[], cause?: unknown): SnipSnapError => {
  const first = issues[0]
  const message =
    first === undefined
      ? 'invalid input'
      : `${first.path.length > 0 ? `${formatPath(first.path)}: ` : ''}${first.message}` +
        (issues.length > 1 ? ` (and ${issues.length - 1} more)` : '')
  return new SnipSnapError('INVALID_SPEC', message, {
    issues,
    path: first?.path ?? [],
    ...(cause === undefined ? {} : { cause }),
  })
}

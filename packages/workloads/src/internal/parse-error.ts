// One helper to build the PARSE_ERROR every reader throws, so messages and paths look alike.
import { SnipSnapError } from '@snipsnap/core'

/** A PARSE_ERROR whose path starts with the file name, then the parts named. */
export const parseError = (
  fileName: string,
  message: string,
  path: readonly (string | number)[] = [],
  cause?: unknown,
): SnipSnapError =>
  new SnipSnapError('PARSE_ERROR', `${fileName}: ${message}`, {
    path: [fileName, ...path],
    ...(cause === undefined ? {} : { cause }),
  })

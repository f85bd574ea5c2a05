// Values of the commands' numeric options, read the same way by every command.
import { SnipSnapError } from '@snipsnap/core'

/**
 * An integer option (`--threads 2`, `--seed 0`): decimal digits only (surrounding blanks allowed),
 * a safe integer, at least `min`.
 * @throws {SnipSnapError} INVALID_SPEC `<option> must be an integer ≥ <min>, got "<text>"`.
 */
export const parseIntegerOption = (text: string, option: string, min: number): number => {
  const value = Number(text)
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new SnipSnapError('INVALID_SPEC', `${option} must be an integer ≥ ${min}, got "${text}"`, { path: [option] })
  }
  return value
}

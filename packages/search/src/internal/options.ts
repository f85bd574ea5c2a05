// Small validators for strategy and driver options: they run once, at the edge (`init`,
// `runSearch` start), and throw INVALID_SPEC naming the field so a bad option never turns into a
// NaN or a hang deep inside a loop.
import { invalidSpec, type Issue } from '@snipsnap/core'

type Path = readonly (string | number)[]

/** Collects issues and throws them together. */
export interface OptionChecker {
  integer(value: unknown, path: Path, min: number, max?: number): void
  number(value: unknown, path: Path, min: number, max: number, openMin?: boolean): void
  fail(path: Path, message: string): void
  done(): void
}

export const createChecker = (): OptionChecker => {
  const issues: Issue[] = []
  return {
    integer(value, path, min, max = Number.MAX_SAFE_INTEGER) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        issues.push({
          code: 'out_of_range',
          path,
          message: `must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got ${String(value)}`,
        })
      }
    },
    number(value, path, min, max, openMin = false) {
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (openMin ? value <= min : value < min) ||
        value > max
      ) {
        issues.push({
          code: 'out_of_range',
          path,
          message: `must be a number in ${openMin ? '(' : '['}${min}, ${max}], got ${String(value)}`,
        })
      }
    },
    fail(path, message) {
      issues.push({ code: 'invalid_value', path, message })
    },
    done() {
      if (issues.length > 0) throw invalidSpec(issues)
    },
  }
}

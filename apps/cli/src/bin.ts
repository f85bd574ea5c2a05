#!/usr/bin/env node
// Entry point: hands argv to main with the process's streams and Ctrl-C, sets the exit code
// (changesets' bin.js pattern). Last-resort handlers keep stack traces away from users unless
// --debug is given.
import { setFlagsFromString } from 'node:v8'
import { main } from './main'
import { describeError, EXIT_FAILURE, EXIT_INTERRUPTED } from './run-control'

const args = process.argv.slice(2)
// One `evaluate` of a design runs for a fraction of a second, too short for V8's optimising
// compiler to pay off, and its compile jobs took ~4.7 MiB of the process's peak memory (issue
// 12: max RSS of `evaluate fig15-STC --json` 54.7 → 50.0 MiB at the same CPU time). `--mappings`
// keeps it: its per-row code runs thousands of times. Set here, in the process's entry, so that
// callers of `main` in their own process keep their flags.
if (args.find((arg) => !arg.startsWith('-')) === 'evaluate' && !args.some((arg) => arg === '--mappings' || arg.startsWith('--mappings='))) {
  setFlagsFromString('--no-opt')
}

const debug = process.argv.includes('--debug')
const fatal = (error: unknown): void => {
  try {
    process.stderr.write(describeError(error, debug))
  } catch {
    // stderr is gone: the exit code is all that is left.
  }
  process.exit(EXIT_FAILURE)
}
process.on('uncaughtException', fatal)
process.on('unhandledRejection', fatal)
// A stream error after main finished (a reader closing the pipe late) must not crash Node.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {
    process.exitCode = EXIT_FAILURE
  })
}

// Safety net: if the event loop drains while main is still pending (a promise that can never
// settle, e.g. a lost worker termination), Node would exit 0 with nothing printed, a silently
// wrong result for a script. Say so and fail instead.
let settled = false
process.on('beforeExit', () => {
  if (settled) return
  settled = true
  try {
    process.stderr.write('snipsnap: internal error: the command stopped before it finished (a pending operation was lost); no result was written\n')
  } catch {
    // stderr is gone: the exit code is all that is left.
  }
  process.exitCode = EXIT_FAILURE
})

let interrupts = 0
main(args, {
  stdout: process.stdout,
  stderr: process.stderr,
  // performance.now() counts from the process start: budgets include Node's own start-up.
  startedAtMs: 0,
  interrupts: {
    subscribe(listener) {
      // The first Ctrl-C asks the command to stop and report; a second one ends at once.
      const onSigint = (): void => {
        interrupts++
        if (interrupts > 1) process.exit(EXIT_INTERRUPTED)
        listener()
      }
      process.on('SIGINT', onSigint)
      return () => process.off('SIGINT', onSigint)
    },
  },
}).then(
  (code) => {
    settled = true
    process.exitCode = code
  },
  (error: unknown) => {
    settled = true
    fatal(error)
  },
)

#!/usr/bin/env node
// Entry point: hands argv to main with the process's streams and Ctrl-C, sets the exit code
// (changesets' bin.js pattern). Last-resort handlers keep stack traces away from users unless
// --debug is given.
import { fdStream } from './fd-stream'
import type { CliStream } from './io'
import { main } from './main'
import { describeError, EXIT_FAILURE, EXIT_INTERRUPTED } from './run-control'

const args = process.argv.slice(2)
// `evaluate` of one design (not `--mappings`): it runs for a fraction of a second and prints one
// result, so its peak memory is mostly start-up (issue 12), which the two choices below lower.
const singleEvaluate =
  args.find((arg) => !arg.startsWith('-')) === 'evaluate' && !args.some((arg) => arg === '--mappings' || arg.startsWith('--mappings='))

/**
 * Sets a V8 flag for this process. Node's public `v8.setFlagsFromString` comes with the `v8`
 * module, which loads Node's stream modules: ~1.5 MiB of peak memory (issue 12). The binding
 * beneath it costs nothing, so it is used while Node has it: process.binding is deprecated
 * (DEP0111) and warns on use, hence the warning is silenced for this one call. Without the
 * binding, the `v8` module.
 */
const setV8Flag = (flag: string): void => {
  const quiet = process.noDeprecation ?? false
  try {
    process.noDeprecation = true
    const binding = (process as { binding?: (name: string) => { setFlagsFromString?: unknown } }).binding?.('v8')
    if (typeof binding?.setFlagsFromString === 'function') {
      binding.setFlagsFromString(flag)
      return
    }
  } catch {
    // No such binding: the public module below.
  } finally {
    process.noDeprecation = quiet
  }
  void import('node:v8').then((v8) => v8.setFlagsFromString(flag))
}

// One `evaluate` of a design is too short for V8's compilers to pay off: the optimising compiler's
// jobs took ~4.7 MiB of the process's peak memory (issue 12: max RSS of `evaluate fig15-STC
// --json` 54.7 → 50.0 MiB at the same CPU time), and the baseline compiler's (Sparkplug) code
// space and compiler pages ~0.4 MiB (44.6 → 44.25 MiB, CPU 242 → 244 ms median of 20 alternated
// runs, within noise). `--mappings` keeps both: its per-row code runs thousands of times. Set
// here, in the process's entry, so that callers of `main` in their own process keep their flags.
if (singleEvaluate) {
  setV8Flag('--no-opt')
  setV8Flag('--no-sparkplug')
}

/** A stream error after main finished (a reader closing the pipe late) must not crash Node. */
const withLateErrorsHandled = <S extends NodeJS.WritableStream>(stream: S): S => {
  stream.on('error', () => {
    process.exitCode = EXIT_FAILURE
  })
  return stream
}
// One evaluation's output goes straight to the descriptors (./fd-stream.ts says why); the other
// commands (progress bars, long output) use the process's streams.
/** process.stdout, also taking bytes as they are (`evaluate --mappings` output, see io.ts). */
const withBytes = (stream: NodeJS.WriteStream): CliStream => ({
  write: (text: string) => stream.write(text),
  writeBytes: (bytes: Uint8Array) => stream.write(bytes),
  isTTY: stream.isTTY,
  on: (event, listener) => stream.on(event, listener),
  off: (event, listener) => stream.off(event, listener),
})
const stdout: CliStream = singleEvaluate ? fdStream(1, () => withLateErrorsHandled(process.stdout)) : withBytes(withLateErrorsHandled(process.stdout))
const stderr: CliStream = singleEvaluate ? fdStream(2, () => withLateErrorsHandled(process.stderr)) : withLateErrorsHandled(process.stderr)

const debug = process.argv.includes('--debug')
const fatal = (error: unknown): void => {
  try {
    stderr.write(describeError(error, debug))
  } catch {
    // stderr is gone: the exit code is all that is left.
  }
  process.exit(EXIT_FAILURE)
}
process.on('uncaughtException', fatal)
process.on('unhandledRejection', fatal)

// Safety net: if the event loop drains while main is still pending (a promise that can never
// settle, e.g. a lost worker termination), Node would exit 0 with nothing printed, a silently
// wrong result for a script. Say so and fail instead.
let settled = false
process.on('beforeExit', () => {
  if (settled) return
  settled = true
  try {
    stderr.write('snipsnap: internal error: the command stopped before it finished (a pending operation was lost); no result was written\n')
  } catch {
    // stderr is gone: the exit code is all that is left.
  }
  process.exitCode = EXIT_FAILURE
})

let interrupts = 0
main(args, {
  stdout,
  stderr,
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

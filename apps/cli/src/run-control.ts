// Run control shared by every CLI command: Ctrl-C → AbortSignal (long commands print their best
// so far and exit 130), output failures (EPIPE, ENOSPC, a closed stdout) → one line on stderr and
// exit 1, `--debug` for stack traces (never shown otherwise), the thread cap, and warnings that
// are printed once. One `CliRun` per `main()` call, so in-process runs never share state.
import { availableParallelism } from 'node:os'
import { SnipSnapError, toSnipSnapError } from '@snipsnap/core'
import type { CliIo, CliStream } from './io'

/** Exit codes: success, any error, interrupted by Ctrl-C (128 + SIGINT, the shell convention). */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_INTERRUPTED = 130

/** Why a run's signal fired. */
export type StopCause = 'interrupt' | 'output-error'

/** What commands receive: guarded streams plus the run's signal, warnings and limits. */
export interface CliRun extends CliIo {
  /** Aborted on Ctrl-C or when stdout/stderr fails; long commands stop and report what they have. */
  readonly signal: AbortSignal
  /** Why `signal` fired, or null while the run goes on. */
  readonly stopCause: StopCause | null
  /** `--debug` was given: internal errors print their stack trace. */
  readonly debug: boolean
  /** When the run started (`performance.now()` clock); wall-time budgets count from here. */
  readonly startedAtMs: number
  /** Prints `snipsnap: warning: <message>` on stderr, each distinct message once per run. */
  warn(message: string): void
  /**
   * Caps a requested thread count at the machine's cores; a larger request says so once.
   * Threads beyond the cores only add start-up time and memory.
   */
  capThreads(requested: number, option?: string): number
  /**
   * Awaits a macrotask when more than ~50 ms passed since the last one, so a Ctrl-C can reach a
   * synchronous loop. Call it between items of long loops; cheap otherwise.
   */
  yieldIfDue(): Promise<void>
}

/** A run plus the function `main` calls at the end to print the last line and pick the exit code. */
export interface CliRunHandle extends CliRun {
  /** Settles the run: unsubscribes, reports an output failure or `error`, returns the exit code. */
  finish(outcome?: { readonly error?: unknown }): Promise<number>
}

const YIELD_EVERY_MS = 50

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined

const OUTPUT_ERRORS: Readonly<Record<string, string>> = {
  EPIPE: 'the reader closed the pipe (EPIPE)',
  ENOSPC: 'no space left on device (ENOSPC)',
  EBADF: 'the stream is closed (EBADF)',
  EIO: 'input/output error (EIO)',
  ERR_STREAM_DESTROYED: 'the stream was closed',
  ERR_STREAM_WRITE_AFTER_END: 'the stream was closed',
}

/** One line for an output failure: `cannot write to stdout: no space left on device (ENOSPC)`. */
export const outputErrorLine = (stream: 'stdout' | 'stderr', error: unknown): string => {
  const code = codeOf(error)
  const reason = (code !== undefined ? OUTPUT_ERRORS[code] : undefined) ?? (code ?? (error instanceof Error ? error.message.split('\n')[0] : String(error)))
  return `cannot write to ${stream}: ${reason}`
}

const STACK_FRAME = /^\s+at\s/

/** The first meaningful line of a message, without stack frames or YAML code frames. */
const oneLine = (text: string): string => {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !STACK_FRAME.test(line))
  return (lines[0] ?? text).trim()
}

/**
 * How an error reaches the user: one line (`snipsnap: CODE path: message`), or with `--debug` the
 * line followed by the stack traces of the error and its causes. A JavaScript engine error (stack
 * overflow, a bug) is an INTERNAL error; its stack is shown only with `--debug`.
 */
export const describeError = (error: unknown, debug: boolean): string => {
  let failure = toSnipSnapError(error)
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    failure = new SnipSnapError('INVALID_SPEC', 'the input is nested too deeply to read (recursion limit reached)', { cause: error })
  }
  const internal = failure.code === 'INTERNAL'
  const line = `snipsnap: ${oneLine(failure.toLine())}${internal && !debug ? ' (an internal error: rerun with --debug for the stack trace)' : ''}`
  if (!debug) return `${line}\n`
  const stacks: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof Error) stacks.push(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? current.message}`)
    current = current instanceof Error ? current.cause : undefined
  }
  return `${line}\n${stacks.join('\n')}\n`
}

/**
 * Starts the run control of one CLI invocation.
 * @example
 * const run = startRun(io, { debug: args.includes('--debug') })
 * try { await command(run) } catch (error) { return run.finish({ error }) }
 * return run.finish()
 */
export const startRun = (io: CliIo, options: { readonly debug: boolean }): CliRunHandle => {
  const startedAtMs = io.startedAtMs ?? performance.now()
  const controller = new AbortController()
  let stopCause: StopCause | null = null
  let outputFailure: string | null = null
  let stderrBroken = false
  const warned = new Set<string>()
  // Node's global `performance` is created on first use and loads the perf_hooks modules (~0.6
  // MiB of `evaluate`'s peak memory, issue 12), so a command that never yields never reads it:
  // the clock starts at the first `yieldIfDue`, which yields ~50 ms later at the latest.
  let lastYield: number | null = null

  const stop = (cause: StopCause): void => {
    if (stopCause === null) stopCause = cause
    if (!controller.signal.aborted) controller.abort(cause)
  }
  const onOutputError = (stream: 'stdout' | 'stderr', error: unknown): void => {
    if (stream === 'stderr') stderrBroken = true
    outputFailure ??= outputErrorLine(stream, error)
    stop('output-error')
  }

  // Each stream is written through a guard: a synchronous throw or an 'error' event marks the
  // stream failed and later writes to it are dropped, instead of an unhandled 'error' event
  // crashing Node with a stack trace.
  const guard = (raw: CliStream, name: 'stdout' | 'stderr'): { stream: CliStream; detach: () => void } => {
    let failed = false
    const fail = (error: unknown): void => {
      failed = true
      onOutputError(name, error)
    }
    const listener = (error: Error): void => fail(error)
    raw.on?.('error', listener)
    const stream: CliStream = {
      write: (text: string) => {
        if (failed) return false
        try {
          return raw.write(text)
        } catch (error) {
          fail(error)
          return false
        }
      },
      ...(raw.isTTY === undefined ? {} : { isTTY: raw.isTTY }),
    }
    const writeBytes = raw.writeBytes?.bind(raw)
    if (writeBytes !== undefined) {
      stream.writeBytes = (bytes: Uint8Array) => {
        if (failed) return false
        try {
          return writeBytes(bytes)
        } catch (error) {
          fail(error)
          return false
        }
      }
    }
    return { stream, detach: () => raw.off?.('error', listener) }
  }
  const stdoutGuard = guard(io.stdout, 'stdout')
  const stderrGuard = guard(io.stderr, 'stderr')
  const unsubscribe = io.interrupts?.subscribe(() => stop('interrupt')) ?? (() => undefined)

  const run: CliRunHandle = {
    stdout: stdoutGuard.stream,
    stderr: stderrGuard.stream,
    ...(io.interrupts === undefined ? {} : { interrupts: io.interrupts }),
    ...(io.cores === undefined ? {} : { cores: io.cores }),
    signal: controller.signal,
    get stopCause() {
      return stopCause
    },
    debug: options.debug,
    startedAtMs,
    warn(message) {
      if (warned.has(message)) return
      warned.add(message)
      run.stderr.write(`snipsnap: warning: ${message}\n`)
    },
    capThreads(requested, option = '--threads') {
      const cores = Math.max(1, Math.floor(io.cores ?? availableParallelism()))
      if (requested <= cores) return requested
      run.warn(`${option} ${requested} is more than the ${cores} core${cores === 1 ? '' : 's'} of this machine; using ${cores}`)
      return cores
    },
    async yieldIfDue() {
      const now = performance.now()
      lastYield ??= now
      if (now - lastYield < YIELD_EVERY_MS) return
      await new Promise<void>((resolve) => setImmediate(resolve))
      lastYield = performance.now()
    },
    async finish(outcome = {}) {
      // Stream errors arrive as events after the write; let them land before deciding.
      await new Promise<void>((resolve) => setImmediate(resolve))
      unsubscribe()
      stdoutGuard.detach()
      stderrGuard.detach()
      const say = (text: string): void => {
        if (stderrBroken) return
        try {
          io.stderr.write(text)
        } catch {
          // stderr is gone too: the exit code is all that is left.
        }
      }
      if (outputFailure !== null) {
        say(`snipsnap: ${outputFailure}\n`)
        return EXIT_FAILURE
      }
      const { error } = outcome
      if (error !== undefined) {
        if (stopCause === 'interrupt' && toSnipSnapError(error).code === 'ABORTED') {
          say('snipsnap: interrupted\n')
          return EXIT_INTERRUPTED
        }
        say(describeError(error, options.debug))
        return EXIT_FAILURE
      }
      return stopCause === 'interrupt' ? EXIT_INTERRUPTED : EXIT_OK
    },
  }
  return run
}

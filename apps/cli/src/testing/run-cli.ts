// Test helpers for the CLI: run `main()` in-process with a capturing io, and locate the shared
// reference material (CI clones the repository with `shared/` beside it).
import { resolve } from 'node:path'
import { main } from '../main'
import type { CliStream } from '../io'

/** `shared/` next to the repository root. */
export const SHARED_DIR = resolve(import.meta.dirname, '../../../../..', 'shared')
/** `shared/data/`: real tensors with their licences. */
export const SHARED_DATA = resolve(SHARED_DIR, 'data')

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Cores the thread cap uses (default: the machine's). */
  readonly cores?: number
  /** Called with a function that simulates Ctrl-C, once the run has subscribed to interrupts. */
  readonly onStart?: (interrupt: () => void) => void
  /** Replaces the capturing stdout (e.g. one that fails like /dev/full). */
  readonly stdout?: CliStream
}

/** Runs the CLI with `args` and returns its exit code and everything it printed. */
export const runCli = async (args: readonly string[], options: RunCliOptions = {}) => {
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  const code = await main(args, {
    stdout: options.stdout ?? { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    ...(options.cores === undefined ? {} : { cores: options.cores }),
    interrupts: {
      subscribe(listener) {
        listeners.add(listener)
        options.onStart?.(() => {
          for (const l of listeners) l()
        })
        return () => listeners.delete(listener)
      },
    },
  })
  return { code, stdout, stderr }
}

/**
 * Runs the CLI and presses Ctrl-C as soon as it has printed something on stdout (as text or as
 * bytes); returns what it printed.
 */
export const runCliInterruptedAfterFirstOutput = async (args: readonly string[], options: Pick<RunCliOptions, 'cores'> = {}) => {
  let interrupt: () => void = () => undefined
  let stdout = ''
  const printed = (text: string): true => {
    stdout += text
    interrupt()
    return true
  }
  const result = await runCli(args, {
    ...options,
    onStart: (fire) => (interrupt = fire),
    stdout: { write: printed, writeBytes: (bytes: Uint8Array) => printed(Buffer.from(bytes).toString('utf8')) },
  })
  return { ...result, stdout }
}

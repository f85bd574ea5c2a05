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

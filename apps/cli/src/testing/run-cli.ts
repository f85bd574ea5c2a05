// Test helpers for the CLI: run `main()` in-process with a capturing io, and locate the shared
// reference material (CI clones the repository with `shared/` beside it).
import { resolve } from 'node:path'
import { main } from '../main'

/** `shared/` next to the repository root. */
export const SHARED_DIR = resolve(import.meta.dirname, '../../../../..', 'shared')
/** `shared/data/`: real tensors with their licences. */
export const SHARED_DATA = resolve(SHARED_DIR, 'data')

/** Runs the CLI with `args` and returns its exit code and everything it printed. */
export const runCli = async (args: readonly string[]) => {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  })
  return { code, stdout, stderr }
}

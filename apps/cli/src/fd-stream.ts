// Output written straight to a file descriptor, for a command that prints one short result
// (`evaluate` of one design): Node builds process.stdout and process.stderr from its stream
// modules on first use, ~1.4 MiB of the process's peak memory (issue 12: an empty script peaks at
// 39.1 MiB, one that touches process.stdout at 40.5).
import { writeSync } from 'node:fs'
import type { CliStream } from './io'

/**
 * A stream writing `text` to `fd` synchronously, as Node's own stdout does for files and pipes on
 * Linux. A failed write (EPIPE, ENOSPC, EBADF) throws, which run-control reports as it does the
 * process streams' errors. A descriptor its owner left non-blocking (EAGAIN once a pipe is full)
 * hands the rest of the output to `fallback()`'s stream (process.stdout or stderr), which waits
 * for the reader; the 'error' listeners follow it there.
 */
export const fdStream = (fd: number, fallback: () => NodeJS.WritableStream): CliStream => {
  let stream: NodeJS.WritableStream | undefined
  const listeners = new Set<(error: Error) => void>()
  const handOver = (): NodeJS.WritableStream => {
    stream = fallback()
    for (const listener of listeners) stream.on('error', listener)
    return stream
  }
  return {
    write(text: string) {
      if (stream !== undefined) return stream.write(text)
      const bytes = Buffer.from(text, 'utf8')
      let offset = 0
      while (offset < bytes.length) {
        try {
          offset += writeSync(fd, bytes, offset)
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'EAGAIN') throw error
          return handOver().write(bytes.subarray(offset))
        }
      }
      return true
    },
    on(event, listener) {
      listeners.add(listener)
      stream?.on(event, listener)
    },
    off(event, listener) {
      listeners.delete(listener)
      stream?.off(event, listener)
    },
  }
}

// The CLI's view of the outside world, injected so commands are testable without a process.

/** An output stream: only `write` is required; `on`/`off` let the CLI see asynchronous write errors. */
export interface CliStream {
  write(text: string): unknown
  /**
   * Writes UTF-8 bytes as they are, which the stream may keep (the caller does not reuse them).
   * Optional: without it, bytes are decoded and given to `write`. `evaluate --mappings` builds
   * its output as bytes; handing them over saves decoding and encoding them again (issue 12).
   */
  writeBytes?(bytes: Uint8Array): unknown
  isTTY?: boolean
  on?(event: 'error', listener: (error: Error) => void): unknown
  off?(event: 'error', listener: (error: Error) => void): unknown
}

/** Where Ctrl-C comes from: bin.ts passes the process's SIGINT, tests a fake. */
export interface InterruptSource {
  /** Calls `listener` on each interrupt; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
}

export interface CliIo {
  readonly stdout: CliStream
  readonly stderr: CliStream
  /** Ctrl-C. Without it a run cannot be interrupted (in-process tests that do not need it). */
  readonly interrupts?: InterruptSource
  /** Cores that `--threads` is capped at (default: `os.availableParallelism()`). */
  readonly cores?: number
  /**
   * When the run started, on the `performance.now()` clock (bin.ts passes 0: the process start,
   * so wall-time budgets include Node's start-up). Default: when `main` was called.
   */
  readonly startedAtMs?: number
}

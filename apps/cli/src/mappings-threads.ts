// `evaluate --mappings` over several threads (issue 12: the batch path at 20,000 rows/s). The file
// is cut into chunks of whole lines; this thread and `threads − 1` worker threads each evaluate
// chunks with the same function (`ChunkRunner`, the serial row loop of actions/evaluate.ts over
// the chunk's lines), and the results are written strictly in file order, so the output is the
// same bytes whatever the thread count. This thread evaluates chunks too: it never waits idle
// for workers that are still starting, and a worker that cannot start costs a warning, not the run.
//
// The row loop itself does not know about threads: it is handed in (`here`), and each worker
// imports the module that exports it (`workerModule`, the built `evaluate-action.js` or, from
// sources, actions/evaluate.ts through tsx) and runs its `runMappingsWorker`.
import { SnipSnapError, type IssuePath, type SnipSnapErrorCode } from '@snipsnap/core'
import { readLineSpans } from './design-files'
import type { CliRun } from './run-control'

/** What evaluating one chunk gave: its result lines (UTF-8, each ending with `\n`) and rows. */
export interface ChunkResult {
  readonly out: Uint8Array
  /** Rows evaluated (blank lines are not rows). */
  readonly rows: number
  /** The error that stopped the chunk at one of its lines; `out` holds the rows before it. */
  readonly error?: ChunkError
}

/** A {@link SnipSnapError} as plain data, so it crosses threads. */
export interface ChunkError {
  readonly code: SnipSnapErrorCode
  readonly message: string
  readonly path: IssuePath
}

/** Evaluates the rows of one chunk: `bytes` holds whole lines, each ending with `\n`; the first is line `firstLine` of the file. */
export type ChunkRunner = (bytes: Uint8Array, firstLine: number) => Promise<ChunkResult>

export const errorToChunkError = (error: unknown): ChunkError => {
  if (error instanceof SnipSnapError) return { code: error.code, message: error.message, path: error.path }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), path: [] }
}

export const chunkErrorToError = (error: ChunkError): SnipSnapError => new SnipSnapError(error.code, error.message, { path: error.path })

/** A chunk read from the file, before it is evaluated. */
interface Chunk {
  readonly index: number
  readonly bytes: Uint8Array
  readonly firstLine: number
  /** Lines that are rows (not blank), for the interrupt message. */
  readonly rows: number
}

const isBlank = (bytes: Uint8Array, start: number, end: number): boolean => {
  for (let i = start; i < end; i++) {
    const c = bytes[i]!
    // What String.prototype.trim removes among ASCII bytes; a non-ASCII byte is never a blank line's
    // (the serial reader's trim also strips Unicode spaces, which JSON.parse then rejects: such a
    // line reaches the row loop and is reported there either way).
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0b && c !== 0x0c) return false
  }
  return true
}

/** The file's lines in chunks of about `chunkBytes` (whole lines, each copied with its `\n`). */
function* readLineChunks(file: string, chunkBytes: number): Generator<Chunk, void, undefined> {
  let buffer = Buffer.allocUnsafe(chunkBytes)
  let used = 0
  let rows = 0
  let index = 0
  let line = 0
  let firstLine = 1
  for (const span of readLineSpans(file)) {
    line++
    const length = span.end - span.start + 1
    if (used + length > buffer.length) {
      if (used > 0) {
        yield { index: index++, bytes: buffer.subarray(0, used), firstLine, rows }
        buffer = Buffer.allocUnsafe(Math.max(chunkBytes, length))
        used = 0
        rows = 0
        firstLine = line
      } else {
        buffer = Buffer.allocUnsafe(length)
      }
    }
    span.bytes.copy(buffer, used, span.start, span.end)
    used += length - 1
    buffer[used++] = 10
    if (!isBlank(span.bytes, span.start, span.end)) rows++
  }
  if (used > 0) yield { index, bytes: buffer.subarray(0, used), firstLine, rows }
}

/** A worker's side of the protocol (see {@link runMappingsWorkerWith}). */
type ToWorker = { readonly id: number; readonly bytes: Uint8Array; readonly firstLine: number }
type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly message: string }
  | ({ readonly type: 'result'; readonly id: number } & ChunkResult)

/** The message port of a worker thread, as far as {@link runMappingsWorkerWith} uses it. */
export interface WorkerPortLike {
  on(event: 'message', listener: (message: ToWorker) => void): unknown
  postMessage(message: FromWorker, transfer?: ArrayBuffer[]): void
}

/**
 * The worker's loop: evaluates the chunks it is sent, one at a time in arrival order, and posts
 * each result (its bytes transferred, not copied).
 */
export const runMappingsWorkerWith = (port: WorkerPortLike, run: ChunkRunner): void => {
  const queue: ToWorker[] = []
  let running = false
  const drain = async (): Promise<void> => {
    running = true
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      let result: ChunkResult
      try {
        result = await run(next.bytes, next.firstLine)
      } catch (error) {
        result = { out: new Uint8Array(0), rows: 0, error: errorToChunkError(error) }
      }
      const out = result.out
      port.postMessage({ type: 'result', id: next.id, ...result }, out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? [out.buffer as ArrayBuffer] : [])
    }
    running = false
  }
  port.on('message', (message) => {
    queue.push(message)
    if (!running) void drain()
  })
  port.postMessage({ type: 'ready' })
}

// Runs in each worker (CommonJS eval, so no extra file has to ship): registers the TypeScript
// loader when the module is a source file (tests, tsx), imports the module and hands it the port.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
;(async () => {
  try {
    if (workerData.loader) require('node:module').register(workerData.loader, { parentURL: workerData.module, data: { active: true } })
    const mod = await import(workerData.module)
    const run = mod.runMappingsWorker || (mod.default && mod.default.runMappingsWorker)
    if (typeof run !== 'function') throw new Error('the module does not export runMappingsWorker')
    run(parentPort, workerData.options)
  } catch (e) {
    parentPort.postMessage({ type: 'fatal', message: String((e && e.message) || e) })
  }
})()
`

/** Options of {@link evaluateLinesThreaded}. */
export interface ThreadedLinesOptions {
  /** Threads evaluating chunks, this one included (≥ 1). */
  readonly threads: number
  /** Bytes per chunk (whole lines; a longer line is a chunk of its own). */
  readonly chunkBytes: number
  /** Evaluates a chunk in this thread. */
  readonly here: ChunkRunner
  /** `file:` URL of the module exporting `runMappingsWorker(port, options)`. */
  readonly workerModule: string
  /** Passed to `runMappingsWorker` in each worker (structured-cloneable: the design, the file name). */
  readonly workerOptions: unknown
  /**
   * Whether this thread evaluates chunks too (default true). False leaves them to the workers
   * while any is alive (tests use it to make the workers do the work).
   */
  readonly alsoInThisThread?: boolean
}

/** Chunks a worker holds at once: while it evaluates one, the next is already there. */
const CHUNKS_PER_WORKER = 2

interface Slot {
  readonly worker: import('node:worker_threads').Worker
  ready: boolean
  dead: boolean
  readonly inFlight: Map<number, Chunk>
}

/**
 * Evaluates the `--mappings` file `file` in chunks on `threads` threads and writes the result
 * lines in file order. Returns the rows evaluated. A row's error is thrown after every row before
 * it is written (as the serial loop does); Ctrl-C writes the rows done in order and says how many
 * were left.
 */
export const evaluateLinesThreaded = async (io: CliRun, file: string, options: ThreadedLinesOptions): Promise<number> => {
  const { Worker } = await import('node:worker_threads')
  const chunks = readLineChunks(file, options.chunkBytes)
  const results = new Map<number, ChunkResult>()
  /** Chunks taken back from a worker that died, evaluated again before new ones. */
  const redo: Chunk[] = []
  const slots: Slot[] = []
  let exhausted = false
  let failed = false
  let nextToWrite = 0
  let done = 0
  let wake: (() => void) | null = null
  const notify = (): void => {
    const resolve = wake
    wake = null
    resolve?.()
  }
  const nextChunk = (): Chunk | undefined => {
    // Chunks of a worker that died come first, even after a row failed: those before the failed
    // one must still be printed.
    const again = redo.shift()
    if (again !== undefined) return again
    if (failed || exhausted) return undefined
    const next = chunks.next()
    if (next.done === true) {
      exhausted = true
      return undefined
    }
    return next.value
  }
  const loader = /\.[cm]?ts$/.test(new URL(options.workerModule).pathname) ? 'tsx/esm' : null
  const retire = (slot: Slot, why: string): void => {
    if (slot.dead) return
    slot.dead = true
    for (const chunk of slot.inFlight.values()) redo.push(chunk)
    redo.sort((a, b) => a.index - b.index)
    slot.inFlight.clear()
    io.warn(`--threads: a worker thread stopped (${why}); its rows are evaluated in this thread`)
    notify()
  }
  for (let i = 1; i < options.threads; i++) {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: options.workerModule, loader, options: options.workerOptions },
      // From sources the worker's imports resolve to sources too.
      ...(loader !== null ? { execArgv: [...process.execArgv, '--conditions=@snipsnap/source'] } : {}),
    })
    const slot: Slot = { worker, ready: false, dead: false, inFlight: new Map() }
    slots.push(slot)
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') slot.ready = true
      else if (message.type === 'fatal') retire(slot, message.message)
      else {
        const chunk = slot.inFlight.get(message.id)
        slot.inFlight.delete(message.id)
        if (chunk !== undefined) results.set(chunk.index, message)
        if (message.error !== undefined) failed = true
      }
      notify()
    })
    worker.on('error', (error) => retire(slot, error.message))
    worker.on('exit', (code) => retire(slot, `exit code ${code}`))
  }
  const feedWorkers = (): void => {
    for (const slot of slots) {
      while (slot.ready && !slot.dead && slot.inFlight.size < CHUNKS_PER_WORKER) {
        const chunk = nextChunk()
        if (chunk === undefined) return
        slot.inFlight.set(chunk.index, chunk)
        // A copy goes to the worker: the chunk's own bytes stay here, to evaluate again if it dies.
        slot.worker.postMessage({ id: chunk.index, bytes: chunk.bytes, firstLine: chunk.firstLine } satisfies ToWorker)
      }
    }
  }
  /** Writes the results that are next in file order; throws the first row error met. */
  const writeInOrder = (): void => {
    for (let result = results.get(nextToWrite); result !== undefined; result = results.get(nextToWrite)) {
      results.delete(nextToWrite)
      nextToWrite++
      if (result.out.length > 0) writeBytes(io, result.out)
      done += result.rows
      if (result.error !== undefined) throw chunkErrorToError(result.error)
    }
  }
  const inFlight = (): number => slots.reduce((n, slot) => n + slot.inFlight.size, 0)
  const alsoInThisThread = options.alsoInThisThread ?? true
  io.signal.addEventListener('abort', notify)
  try {
    for (;;) {
      if (io.signal.aborted) {
        writeInOrder()
        if (io.stopCause === 'interrupt') {
          let rest = 0
          for (const slot of slots) for (const chunk of slot.inFlight.values()) rest += chunk.rows
          for (const chunk of redo) rest += chunk.rows
          for (const result of results.values()) rest += result.rows
          if (!exhausted) for (const chunk of chunks) rest += chunk.rows
          io.stderr.write(`snipsnap: interrupted after ${done} of ${done + rest} mappings\n`)
        }
        return done
      }
      feedWorkers()
      writeInOrder()
      const chunk = alsoInThisThread || slots.every((slot) => slot.dead) ? nextChunk() : undefined
      if (chunk !== undefined) {
        let result: ChunkResult
        try {
          result = await options.here(chunk.bytes, chunk.firstLine)
        } catch (error) {
          result = { out: new Uint8Array(0), rows: 0, error: errorToChunkError(error) }
        }
        results.set(chunk.index, result)
        if (result.error !== undefined) failed = true
        // Lets the workers' messages in (their results, their readiness) before the next chunk.
        await new Promise<void>((resolve) => setImmediate(resolve))
        continue
      }
      // Done when every chunk was read (or one failed, so no more are read) and none is out.
      if ((exhausted || failed) && inFlight() === 0 && redo.length === 0) {
        writeInOrder()
        return done
      }
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  } finally {
    io.signal.removeEventListener('abort', notify)
    await terminateAll(slots.map((slot) => slot.worker))
  }
}

const writeBytes = (io: CliRun, bytes: Uint8Array): void => {
  if (io.stdout.writeBytes !== undefined) io.stdout.writeBytes(bytes)
  else io.stdout.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
}

/**
 * Terminates the workers and resolves once all have exited; a ref'd timer keeps the event loop
 * alive meanwhile (as the search's worker pool does: Node does not always count a busy worker's
 * termination as pending work).
 */
const terminateAll = async (workers: readonly import('node:worker_threads').Worker[]): Promise<void> => {
  if (workers.length === 0) return
  const keepAlive = setInterval(() => undefined, 60_000)
  try {
    for (const worker of workers) worker.removeAllListeners('exit')
    await Promise.all(workers.map((worker) => worker.terminate()))
  } finally {
    clearInterval(keepAlive)
  }
}

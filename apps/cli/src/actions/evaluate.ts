// What `snipsnap evaluate <case-folder | files…> [--json] [--mapping file] [--mappings file.jsonl]
// [--strict]` runs (declared in ../commands/evaluate.ts, imported only when the command runs):
// read Timeloop YAML (a folder's *.yaml files or the given files, one definition per top-level
// key), evaluate with the Sparseloop model, print a summary or one JSON object (per mapping line
// with --mappings).
// argv → file reading → library calls → printed report; no domain logic here.
import { pathToFileURL } from 'node:url'
import { prepareCostModel, SnipSnapError, type ActionCounts, type CostReport, type DesignSpec, type MappingSpec } from '@snipsnap/core'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import { parseTimeloopMapping } from '@snipsnap/timeloop'
import { readDesign, readLineSpans, type LineSpan } from '../design-files'
import { mappingTextOf } from '../mapping-rows'
import { errorToChunkError, evaluateLinesThreaded, runMappingsWorkerWith, type ChunkRunner, type WorkerPortLike } from '../mappings-threads'
import type { PluginCliOptions } from '../commands/plugin-options'
import type { CliRegistries } from '../plugins'
import type { CliRun } from '../run-control'
import { parseIntegerOption } from '../option-values'

/** Options of `snipsnap evaluate`, as commander parses them. */
export interface EvaluateOptions extends PluginCliOptions {
  readonly json?: boolean
  readonly mappings?: string
  readonly mapping?: string
  readonly strict?: boolean
  /** `--threads <n>`: threads evaluating `--mappings` rows (default 1). */
  readonly threads?: string
}


/** The JSON shape of issue 4: totals over instances, per level and tensor. */
export const reportToJson = (report: CostReport): Record<string, unknown> => {
  if (!report.valid) return { valid: false, reason: report.reason }
  const levels: Record<string, unknown> = {}
  for (const [name, level] of Object.entries(report.levels)) {
    const tensors: Record<string, unknown> = {}
    for (const [tensor, t] of Object.entries(level.tensors)) {
      tensors[tensor] = { reads: t.reads, fills: t.fills, updates: t.updates, metadataReads: t.metadataReads }
    }
    levels[name] = { energyPJ: level.energyPJ, tensors }
  }
  return { valid: true, cycles: report.cycles, energyPJ: report.energyPJ, computes: report.computes, levels }
}

// --- `JSON.stringify(reportToJson(report))` written as bytes -------------------------------
// `--mappings` writes one report per row (issue 12). Building the line as a string made a tree of
// ~200 string pieces and ~75 number strings that the batch then flattened and encoded: ~20 µs of a
// row. The writer below puts the same bytes into the batch: constant pieces and names are encoded
// once, integer-valued numbers (nearly all counts) are written digit by digit, other numbers
// through `${value}`. Position and buffer travel as parameters and return values (no module state
// per byte, which V8 cannot keep in registers).

/** Bytes of an ASCII piece. */
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0))
/**
 * A counts object's end (`,"gated":…,"skipped":…}`) and the piece after it. Most counts have
 * nothing gated or skipped: those write `ZERO_TAIL` and the next piece in one copy.
 */
interface CountsTail {
  readonly zeros: Uint8Array
  readonly rest: Uint8Array
}
const ZERO_TAIL = ',"gated":0,"skipped":0'
const countsTail = (next: string): CountsTail => ({ zeros: ascii(`${ZERO_TAIL}${next}`), rest: ascii(next) })
const HEAD = ascii('{"valid":true,"cycles":')
const ENERGY = ascii(',"energyPJ":')
const COMPUTES = ascii(',"computes":{"actual":')
const GATED = ascii(',"gated":')
const SKIPPED = ascii(',"skipped":')
const THEN_LEVELS = countsTail('},"levels":{')
const THEN_FILLS = countsTail('},"fills":{"actual":')
const THEN_UPDATES = countsTail('},"updates":{"actual":')
const THEN_METADATA_READS = countsTail('},"metadataReads":')
const TENSORS = ascii(',"tensors":{')
const NULL = ascii('null')
const COMMA = 0x2c
const CLOSE = 0x7d

/**
 * UTF-8 bytes of a level's head (`"name":{"energyPJ":`) and of a tensor's (`"name":{"reads":{"actual":`):
 * names repeat on every row.
 */
const levelHeads = new Map<string, Uint8Array>()
const tensorHeads = new Map<string, Uint8Array>()
const headOf = (heads: Map<string, Uint8Array>, name: string, after: string): Uint8Array => {
  let bytes = heads.get(name)
  if (bytes === undefined) {
    bytes = Buffer.from(`${JSON.stringify(name)}${after}`, 'utf8')
    if (heads.size < 4096) heads.set(name, bytes)
  }
  return bytes
}

/** UTF-8 bytes of an infeasible report's line, by reason: a set's infeasible rows share a few reasons. */
const infeasibleLines = new Map<string, Uint8Array>()
const infeasibleLineOf = (reason: string): Uint8Array => {
  let bytes = infeasibleLines.get(reason)
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify({ valid: false, reason }), 'utf8')
    if (infeasibleLines.size < 4096) infeasibleLines.set(reason, bytes)
  }
  return bytes
}

/**
 * Bytes an entry (the report's head, one level's head or one tensor) takes at most besides its
 * name: its constant pieces and at most ten numbers of at most 24 characters
 * (`-1.2345678901234567e-308`).
 */
const ENTRY_BYTES_MAX = 400

const putBytes = (out: Uint8Array, at: number, bytes: Uint8Array): number => {
  out.set(bytes, at)
  return at + bytes.length
}

/** ASCII digits of 0–99, two per number (`"00"` … `"99"`): integers are written two digits per division. */
const DIGIT_PAIRS = ascii(Array.from({ length: 100 }, (_, n) => `${n < 10 ? '0' : ''}${n}`).join(''))

/** Decimal digits of an integer 0 ≤ n < 2^53. */
const digitCount = (n: number): number => {
  let count = 1
  while (n >= 10000) {
    n = Math.floor(n / 10000)
    count += 4
  }
  return n >= 1000 ? count + 3 : n >= 100 ? count + 2 : n >= 10 ? count + 1 : count
}

/** Writes `value` as `${value}` does (JSON.stringify's number text); non-finite values as null. */
const putNumber = (out: Uint8Array, at: number, value: number): number => {
  if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) {
    // The common case (counts): a small integer, also -0 (written as 0, as `${-0}` is).
    let n = value | 0
    let end = at + (n >= 100000 ? digitCount(n) : n >= 1000 ? (n >= 10000 ? 5 : 4) : n >= 100 ? 3 : n >= 10 ? 2 : 1)
    const stop = end
    while (n >= 100) {
      const next = (n / 100) | 0
      const pair = 2 * (n - 100 * next)
      out[--end] = DIGIT_PAIRS[pair + 1]!
      out[--end] = DIGIT_PAIRS[pair]!
      n = next
    }
    if (n >= 10) {
      out[--end] = DIGIT_PAIRS[2 * n + 1]!
      out[--end] = DIGIT_PAIRS[2 * n]!
    } else out[--end] = 0x30 + n
    return stop
  }
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
    // Integers below 2^53 print all their digits (`${value}` switches to exponents at 1e21 only).
    if (value < 0) out[at++] = 0x2d
    let n = Math.abs(value)
    let end = at + digitCount(n)
    const stop = end
    do {
      const next = Math.floor(n / 10)
      out[--end] = 0x30 + (n - 10 * next)
      n = next
    } while (n !== 0)
    return stop
  }
  if (!Number.isFinite(value)) return putBytes(out, at, NULL)
  const text = `${value}`
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i)
  return at + text.length
}

/** Writes a counts object's numbers from "actual" on, and the piece after it. */
const putCounts = (out: Uint8Array, at: number, c: ActionCounts, then: CountsTail): number => {
  at = putNumber(out, at, c.actual)
  // -0 is written as 0 too.
  if (c.gated === 0 && c.skipped === 0) return putBytes(out, at, then.zeros)
  at = putBytes(out, at, GATED)
  at = putNumber(out, at, c.gated)
  at = putBytes(out, at, SKIPPED)
  at = putNumber(out, at, c.skipped)
  return putBytes(out, at, then.rest)
}

/**
 * Writes `JSON.stringify(reportToJson(report))` as UTF-8 into `out` from `at`, not past `limit`;
 * answers where it ends, or -1 when it might not fit (then what it wrote is meaningless). It writes
 * the shapes the types declare (numbers, and `{ actual, gated, skipped }` counts), which the
 * built-in model's reports have by construction; reports of plug-in models go through
 * JSON.stringify.
 */
export const writeReportJson = (report: CostReport, out: Uint8Array, at: number, limit: number): number => {
  if (!report.valid) {
    const bytes = infeasibleLineOf(report.reason)
    if (at + bytes.length > limit) return -1
    return putBytes(out, at, bytes)
  }
  if (at + ENTRY_BYTES_MAX > limit) return -1
  at = putBytes(out, at, HEAD)
  at = putNumber(out, at, report.cycles)
  at = putBytes(out, at, ENERGY)
  at = putNumber(out, at, report.energyPJ)
  at = putBytes(out, at, COMPUTES)
  at = putCounts(out, at, report.computes, THEN_LEVELS)
  let firstLevel = true
  // `__proto__` is skipped as reportToJson's assignments drop it.
  // for…in over own keys (Object.keys' order, no array made per report and level).
  const levels = report.levels
  for (const name in levels) {
    if (name === '__proto__' || !Object.hasOwn(levels, name)) continue
    const level = levels[name]!
    const levelHead = headOf(levelHeads, name, ':{"energyPJ":')
    if (at + levelHead.length + ENTRY_BYTES_MAX > limit) return -1
    if (!firstLevel) out[at++] = COMMA
    firstLevel = false
    at = putBytes(out, at, levelHead)
    at = putNumber(out, at, level.energyPJ)
    at = putBytes(out, at, TENSORS)
    let firstTensor = true
    const tensors = level.tensors
    for (const tensor in tensors) {
      if (tensor === '__proto__' || !Object.hasOwn(tensors, tensor)) continue
      const t = tensors[tensor]!
      const tensorHead = headOf(tensorHeads, tensor, ':{"reads":{"actual":')
      if (at + tensorHead.length + ENTRY_BYTES_MAX > limit) return -1
      if (!firstTensor) out[at++] = COMMA
      firstTensor = false
      at = putBytes(out, at, tensorHead)
      at = putCounts(out, at, t.reads, THEN_FILLS)
      at = putCounts(out, at, t.fills, THEN_UPDATES)
      at = putCounts(out, at, t.updates, THEN_METADATA_READS)
      at = putNumber(out, at, t.metadataReads)
      out[at++] = CLOSE
    }
    out[at++] = CLOSE
    out[at++] = CLOSE
  }
  out[at++] = CLOSE
  out[at++] = CLOSE
  return at
}

/** Where {@link reportJsonText} writes (grown when a report does not fit). */
let textScratch = Buffer.allocUnsafe(1 << 14)

/** `JSON.stringify(reportToJson(report))` by {@link writeReportJson} (see there for its scope). */
export const reportJsonText = (report: CostReport): string => {
  for (;;) {
    const end = writeReportJson(report, textScratch, 0, textScratch.length)
    if (end >= 0) return textScratch.toString('utf8', 0, end)
    textScratch = Buffer.allocUnsafe(textScratch.length * 2)
  }
}

const fmt = (value: number): string =>
  Math.abs(value) < 1e-2 && value !== 0 ? value.toExponential(3) : value.toLocaleString('en-US', { maximumFractionDigits: 2 })

const summary = (report: CostReport): string => {
  if (!report.valid) return `infeasible: ${report.reason}\n`
  const computes = report.computes.actual + report.computes.gated
  const lines = [
    `cycles       ${fmt(report.cycles)}`,
    `energy       ${fmt(report.energyPJ)} pJ (${fmt(report.energyPJ / 1e6)} µJ)`,
    `pJ/compute   ${fmt(computes > 0 ? report.energyPJ / computes : 0)}`,
    `computes     actual ${fmt(report.computes.actual)}, gated ${fmt(report.computes.gated)}, skipped ${fmt(report.computes.skipped)}`,
  ]
  const utilization = report.details?.['utilizedComputeInstances']
  if (typeof utilization === 'number') lines.push(`compute instances utilised (avg) ${fmt(utilization)}`)
  lines.push('', 'level / tensor            energy pJ      cycles   reads (a/g/s)            fills (a/g/s)            updates (a/g/s)')
  for (const [name, level] of Object.entries(report.levels)) {
    lines.push(`${name.padEnd(24)} ${fmt(level.energyPJ).padStart(12)} ${fmt(level.cycles).padStart(11)}`)
    for (const [tensor, t] of Object.entries(level.tensors)) {
      const split = (s: { actual: number; gated: number; skipped: number }) => `${fmt(s.actual)}/${fmt(s.gated)}/${fmt(s.skipped)}`.padEnd(24)
      lines.push(`  ${tensor.padEnd(22)} ${fmt(t.energyPJ).padStart(12)} ${''.padStart(11)}   ${split(t.reads)} ${split(t.fills)} ${split(t.updates)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

interface MappingLine {
  readonly mapping?: unknown
}

/** What evaluates one mapping of the design. */
interface MappingEvaluator {
  evaluate(mapping: MappingSpec): CostReport
  /** The report's JSON text (the `--json` shape). */
  json(report: CostReport): string
  /** The same as UTF-8 bytes into a batch, as {@link writeReportJson} does, when the model's reports have the declared shapes. */
  readonly writeJson?: (report: CostReport, out: Uint8Array, at: number, limit: number) => number
  /**
   * Whether equal mapping texts may share one result line (`--mappings`): true for the built-in
   * model, which is pure and deterministic; a plug-in model's purity is its author's promise,
   * so its rows are always evaluated.
   */
  readonly reusesResults: boolean
}

const stringifyReport = (report: CostReport): string => JSON.stringify(reportToJson(report))

/** The built-in Sparseloop model prepared for the design (this thread's rows and each chunk runner's). */
const builtInEvaluator = (design: DesignSpec): MappingEvaluator => ({
  evaluate: createSparseloopEvaluator(design).evaluate,
  json: reportJsonText,
  writeJson: writeReportJson,
  reusesResults: true,
})

/** The `--cost-model` (default sparseloop) over the run's registries, prepared once for the design. */
const pluggedEvaluator = async (registries: CliRegistries, costModel: string | undefined, design: DesignSpec): Promise<MappingEvaluator> => {
  const { costModelOf } = await import('../plugins')
  const cost = costModelOf(registries, costModel)
  return { evaluate: prepareCostModel(cost.model, design, cost.context), json: stringifyReport, reusesResults: false }
}

/** Runs `snipsnap evaluate`. */
export const runEvaluate = async (inputs: readonly string[], options: EvaluateOptions, io: CliRun): Promise<void> => {
  if (options.mapping !== undefined && options.mappings !== undefined) {
    throw new SnipSnapError('INVALID_SPEC', 'give --mapping <file> or --mappings <file.jsonl>, not both', { path: ['--mapping'] })
  }
  // --mappings replaces the design's mapping line by line: the folder's own is not used.
  // Plug-ins and other cost models are loaded only when asked for (start-up stays light).
  const plugged = (options.plugin?.length ?? 0) > 0 || options.costModel !== undefined
  const registries = plugged ? await (await import('../plugins')).loadRegistries(options.plugin) : null
  const design: DesignSpec = readDesign(io, inputs, {
    ...(options.strict === true ? { strict: true } : {}),
    ...(options.mappings !== undefined ? { ignore: ['mapping'] } : {}),
    ...(options.mapping !== undefined ? { mappingFile: options.mapping } : {}),
    ...(registries !== null ? { formats: registries.formats } : {}),
  })
  const evaluator: MappingEvaluator =
    registries === null
      ? builtInEvaluator(design)
      : await pluggedEvaluator(registries, options.costModel, design)
  if (options.mappings !== undefined) {
    const threads = mappingThreads(io, options, registries === null)
    if (threads === 1) await evaluateLines(io, options.mappings, design, evaluator)
    else {
      await evaluateLinesThreaded(io, options.mappings, {
        threads,
        chunkBytes: CHUNK_BYTES,
        here: createChunkRunner(options.mappings, design),
        workerModule: thisModuleUrl(),
        workerOptions: { file: options.mappings, design } satisfies MappingsWorkerOptions,
      })
    }
    return
  }
  if (design.mapping === null) {
    throw new SnipSnapError('INVALID_SPEC', 'the design has no `mapping:`; add one or pass --mappings <file.jsonl>', { path: ['mapping'] })
  }
  const report = evaluator.evaluate(design.mapping)
  io.stdout.write(options.json === true ? `${JSON.stringify(reportToJson(report))}\n` : summary(report))
}

/** Bytes of rows per chunk handed to a thread (~50 rows of the shared random sets, a few ms each). */
const CHUNK_BYTES = 1 << 18

/**
 * Threads for `--mappings`: `--threads` (capped at the cores), default 1. Not every core by
 * default: on the 2-core machine of issue 12 two threads took about twice the CPU time of one for
 * no shorter wall time (6,000 STC rows: ~4.1 against ~2.2 CPU-s). Per-thread CPU showed why:
 * each isolate compiles the hot row code with TurboFan on V8's helper threads of its own (~1 CPU-s
 * per isolate for this run), which the second core then spends instead of evaluating rows. A
 * plug-in cost model is evaluated in this thread only (its module and registries would have to
 * be loaded again in each worker; not done yet).
 */
const mappingThreads = (io: CliRun, options: EvaluateOptions, builtInModel: boolean): number => {
  if (options.threads === undefined) return 1
  const requested = io.capThreads(parseIntegerOption(options.threads, '--threads', 1))
  if (requested > 1 && !builtInModel) {
    io.warn('--threads: rows of a plug-in cost model are evaluated in this thread only')
    return 1
  }
  return requested
}

/** What a `--mappings` worker thread is given: plain data (the design crosses threads as a structured clone). */
export interface MappingsWorkerOptions {
  readonly file: string
  readonly design: DesignSpec
}

declare const __filename: string | undefined
/**
 * The `file:` URL of this module, which each worker imports: the built `evaluate-action.js`
 * (CommonJS, where `__filename` is set and `import.meta` is not) or, from sources, this file.
 */
export const thisModuleUrl = (): string => {
  const url = (import.meta as { url?: string }).url
  if (typeof url === 'string' && url !== '') return url
  if (typeof __filename === 'string') return pathToFileURL(__filename).href
  throw new SnipSnapError('INTERNAL', 'cannot locate the evaluate module for worker threads')
}

/** The lines of a chunk (whole lines, each ending with `\n`) as spans, the way readLineSpans gives a file's. */
function* chunkLineSpans(chunk: Uint8Array): Generator<LineSpan, void, undefined> {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  const span: LineSpan = { bytes, start: 0, end: 0 }
  let start = 0
  for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
    span.start = start
    span.end = end
    yield span
    start = end + 1
  }
  if (start < bytes.length) {
    span.start = start
    span.end = bytes.length
    yield span
  }
}

const NEVER_ABORTED = new AbortController().signal

/**
 * Evaluates chunks of `--mappings` rows with the built-in model, in this thread or a worker: the
 * serial row loop over the chunk's lines, its result lines collected instead of printed. Results
 * of equal mapping texts are reused across the chunks this runner sees.
 */
export const createChunkRunner = (file: string, design: DesignSpec): ChunkRunner => {
  const evaluator = builtInEvaluator(design)
  const reuse = createResultReuse()
  return async (bytes, firstLine) => {
    const batches: Uint8Array[] = []
    let length = 0
    const collect = (batch: Uint8Array): void => {
      batches.push(batch)
      length += batch.length
    }
    const sink: RowLoopIo = {
      signal: NEVER_ABORTED,
      stopCause: null,
      yieldIfDue: async () => undefined,
      stdout: { write: (text: string) => collect(Buffer.from(text, 'utf8')), writeBytes: collect },
      stderr: { write: () => undefined },
    }
    let error: unknown
    let rows = 0
    try {
      rows = await evaluateLines(sink, file, design, evaluator, chunkLineSpans(bytes), firstLine, reuse)
    } catch (caught) {
      error = caught
    }
    const out = batches.length === 1 ? batches[0]! : Buffer.concat(batches, length)
    if (error === undefined) return { out, rows }
    return { out, rows, error: errorToChunkError(error) }
  }
}

/**
 * The entry of a `--mappings` worker thread (see ../mappings-threads.ts): evaluates the chunks
 * it is sent with the design it was given.
 */
export const runMappingsWorker = (port: WorkerPortLike, options: MappingsWorkerOptions): void => {
  runMappingsWorkerWith(port, createChunkRunner(options.file, options.design))
}

/** Results of equal mapping texts, kept for reuse (see REUSE_BYTES). */
interface ResultReuse {
  readonly lines: Map<string, Uint8Array>
  /**
   * Fingerprints of the kept texts ({@link fingerprintOf}). A text whose fingerprint is not
   * among them is not kept, which is known without hashing the whole text (~1 KB: ~1 µs a row;
   * in a file of distinct mappings every row asks and none is found).
   */
  readonly fingerprints: Set<number>
  bytes: number
}
const createResultReuse = (): ResultReuse => ({ lines: new Map(), fingerprints: new Set(), bytes: 0 })

/** A number from a text's length and eight of its characters spread over it: equal texts have equal fingerprints. */
const fingerprintOf = (text: string): number => {
  const length = text.length
  let hash = length
  // (length · i) >>> 4 < length for odd i < 16 (and stays below 2^32 for any string V8 holds).
  if (length > 0) for (let i = 1; i < 16; i += 2) hash = (Math.imul(hash, 31) + text.charCodeAt((length * i) >>> 4)) | 0
  return hash
}

/** What the row loop uses of a run: the real one, or a chunk's collector in a thread. */
type RowLoopIo = Pick<CliRun, 'signal' | 'stopCause' | 'yieldIfDue' | 'stdout' | 'stderr'>

/**
 * Result lines kept for reuse by an equal mapping text later in the file, bounded by the bytes
 * of texts and results held (~450 rows of the shared random sets): a file that repeats mappings
 * (concatenated sets, a mapper's log) evaluates each once, and a file of distinct mappings stops
 * adding once the bound is reached instead of growing with the rows.
 */
const REUSE_BYTES = 1 << 20
/** Output of `--mappings` is written in batches of about this many bytes… */
const FLUSH_BYTES = 1 << 16
/** …or after this long (looked at every 16 rows), so a reader sees results coming; the first line at once. */
const FLUSH_MS = 50

/**
 * The "mapping" text of one `--mappings` line, read with JSON.parse.
 * @throws {SnipSnapError} INVALID_SPEC naming the file and line when the line is not JSON or its
 * "mapping" is not a string.
 */
const mappingOfLine = (line: string, file: string, lineNumber: number): string => {
  let row: MappingLine
  try {
    row = JSON.parse(line) as MappingLine
  } catch (cause) {
    throw new SnipSnapError('INVALID_SPEC', `${file}:${lineNumber}: not a JSON object`, { path: [file, lineNumber], cause })
  }
  if (typeof row !== 'object' || row === null || typeof row.mapping !== 'string') {
    throw new SnipSnapError('INVALID_SPEC', `${file}:${lineNumber}: "mapping" must be Timeloop mapping YAML text`, {
      path: [file, lineNumber, 'mapping'],
    })
  }
  return row.mapping
}

/**
 * `--mappings`: one JSON result per line, in file order. The file is read a chunk at a time and
 * results are written in batches, so memory does not grow with the rows and a row costs little
 * more than its evaluation. Ctrl-C stops after the current line: the lines evaluated so far are
 * printed, the exit code is 130.
 */
const evaluateLines = async (
  io: RowLoopIo,
  file: string,
  design: DesignSpec,
  evaluator: MappingEvaluator,
  lines: Iterator<LineSpan> & Iterable<LineSpan> = readLineSpans(file),
  firstLine = 1,
  reuse: ResultReuse = createResultReuse(),
): Promise<number> => {
  // Each result line is copied into a byte buffer at once: a line built by concatenation is a
  // tree of string pieces, and a batch of such trees held until the flush survived the young
  // generation's collections (promoted, then collected by full GCs: ~15% of the run).
  let out = Buffer.allocUnsafe(FLUSH_BYTES)
  let used = 0
  let lastFlush = performance.now()
  const flush = (): void => {
    if (used === 0) return
    if (io.stdout.writeBytes !== undefined) {
      // The stream keeps the bytes it is handed (it may queue them): the next batch is a new buffer.
      const batch = out.subarray(0, used)
      out = Buffer.allocUnsafe(FLUSH_BYTES)
      used = 0
      io.stdout.writeBytes(batch)
    } else {
      const text = out.toString('utf8', 0, used)
      used = 0
      io.stdout.write(text)
    }
    lastFlush = performance.now()
  }
  /** Writes a result line kept as UTF-8 bytes (see `results`). */
  const printBytes = (line: Uint8Array): void => {
    if (used + line.length + 1 > FLUSH_BYTES) flush()
    // Only lines that fitted a batch are kept.
    out.set(line, used)
    used += line.length
    out[used++] = 10
  }
  /** Writes a result line; answers where its bytes start in the batch (-1: written on its own). */
  const print = (line: string): number => {
    // A UTF-16 unit takes at most 3 bytes in UTF-8, the newline one.
    if (used + 3 * line.length + 1 > FLUSH_BYTES) {
      flush()
      if (3 * line.length + 1 > FLUSH_BYTES) {
        io.stdout.write(`${line}\n`)
        return -1
      }
    }
    const at = used
    used += out.write(line, used, 'utf8')
    out[used++] = 10
    return at
  }
  /** Writes a report's result line (as `print(evaluator.json(report))`); answers the same. */
  const printReport = (report: CostReport): number => {
    const writeJson = evaluator.writeJson
    if (writeJson === undefined) return print(evaluator.json(report))
    let end = writeJson(report, out, used, FLUSH_BYTES - 1)
    if (end < 0) {
      flush()
      end = writeJson(report, out, 0, FLUSH_BYTES - 1)
      if (end < 0) return print(evaluator.json(report))
    }
    const at = used
    used = end
    out[used++] = 10
    return at
  }
  // Mapping text → its result line (see REUSE_BYTES), kept as UTF-8 bytes: the line as built is
  // a tree of string pieces, several times larger than its text.
  const results = reuse.lines
  let done = 0
  let lineNumber = firstLine - 1
  const text = (span: LineSpan): string => span.bytes.toString('utf8', span.start, span.end)
  try {
    for (const span of lines) {
      lineNumber++
      // Yields are due every ~50 ms; asking (an await and a clock read, ~1 µs) every 8th line is enough.
      if ((lineNumber & 7) === 0) await io.yieldIfDue()
      if (io.signal.aborted) {
        flush()
        if (io.stopCause === 'interrupt') {
          let rest = text(span).trim() === '' ? 0 : 1
          for (const later of lines) if (text(later).trim() !== '') rest++
          io.stderr.write(`snipsnap: interrupted after ${done} of ${done + rest} mappings\n`)
        }
        return done
      }
      // The fast reader answers for valid rows; every other line is read the plain way, which
      // skips blank lines and names the line of a malformed one.
      let mappingText = mappingTextOf(span.bytes, span.start, span.end)
      if (mappingText === undefined) {
        const line = text(span)
        if (line.trim() === '') continue
        mappingText = mappingOfLine(line, file, lineNumber)
      }
      const fingerprint = evaluator.reusesResults ? fingerprintOf(mappingText) : 0
      const known = evaluator.reusesResults && reuse.fingerprints.has(fingerprint) ? results.get(mappingText) : undefined
      if (known !== undefined) {
        printBytes(known)
      } else {
        // A text that fails to parse throws here, naming its own line, and is never kept.
        const mapping = parseTimeloopMapping(mappingText, design.problem, design.arch, { fileName: `${file}:${lineNumber}` })
        const at = printReport(evaluator.evaluate(mapping))
        if (evaluator.reusesResults && at >= 0 && reuse.bytes + 2 * mappingText.length + (used - 1 - at) <= REUSE_BYTES) {
          // A copy of the bytes print just wrote to the batch, without its newline.
          const line = new Uint8Array(out.subarray(at, used - 1))
          results.set(mappingText, line)
          reuse.fingerprints.add(fingerprint)
          reuse.bytes += 2 * mappingText.length + line.length
        }
      }
      done++
      if (done === 1 || (done % 16 === 0 && performance.now() - lastFlush >= FLUSH_MS)) flush()
    }
  } finally {
    // Rows evaluated before an error are printed before it.
    flush()
  }  return done
}

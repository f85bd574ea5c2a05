// Reading Timeloop-style design files for the CLI commands (`evaluate`, `search`): a folder means
// all its `*.yaml` files in name order, files are taken as given; the library merges them by key
// (one definition per key) and reports unused keys, which are printed here.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type DesignSpec, type Issue, type RankFormatSource, SnipSnapError } from '@snipsnap/core'
import { parseTimeloopDesign } from '@snipsnap/timeloop'
import type { CliRun } from './run-control'

/** Reads a text file; an unreadable file is an INVALID_SPEC error naming it. */
export const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw new SnipSnapError('INVALID_SPEC', `cannot read ${file}`, { path: [file], cause })
  }
}

const CHUNK_BYTES = 1 << 20

/**
 * One line of a file as bytes: `bytes[start..end)`, without its `\n`. The reader reuses one span
 * object and its buffer: a span is valid until the iterator advances.
 */
export interface LineSpan {
  bytes: Buffer
  start: number
  end: number
}

/**
 * The lines of a file as byte spans (without their `\n`), read a chunk at a time so memory does
 * not grow with the file (`evaluate --mappings` on millions of rows) and nothing is decoded that
 * the caller does not ask for. A line longer than a chunk grows the buffer. The last line is
 * yielded even when the file does not end with a newline; a file ending with one yields no empty
 * last line. UTF-8 never uses the byte `\n` inside a multi-byte character, so lines split the
 * same as the decoded text.
 * @throws {SnipSnapError} INVALID_SPEC `cannot read <file>` when it cannot be opened or read.
 */
export function* readLineSpans(file: string): Generator<LineSpan, void, undefined> {
  const cannotRead = (cause: unknown): SnipSnapError => new SnipSnapError('INVALID_SPEC', `cannot read ${file}`, { path: [file], cause })
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (cause) {
    throw cannotRead(cause)
  }
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    const span: LineSpan = { bytes: buffer, start: 0, end: 0 }
    // buffer[0..filled) holds bytes not yet yielded: the start of a line whose `\n` is not read yet.
    let filled = 0
    for (;;) {
      if (filled === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(larger, 0, 0, filled)
        buffer = larger
        span.bytes = buffer
      }
      let bytes: number
      try {
        bytes = readSync(fd, buffer, filled, buffer.length - filled, null)
      } catch (cause) {
        throw cannotRead(cause)
      }
      if (bytes === 0) break
      const scanned = filled
      filled += bytes
      const view = filled === buffer.length ? buffer : buffer.subarray(0, filled)
      let start = 0
      let end = view.indexOf(10, scanned)
      while (end >= 0) {
        span.start = start
        span.end = end
        yield span
        start = end + 1
        end = view.indexOf(10, start)
      }
      if (start > 0) {
        buffer.copy(buffer, 0, start, filled)
        filled -= start
      }
    }
    if (filled > 0) {
      span.start = 0
      span.end = filled
      yield span
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * The lines of a text file (without their `\n`), decoded as UTF-8, read a chunk at a time (see
 * {@link readLineSpans}).
 * @throws {SnipSnapError} INVALID_SPEC `cannot read <file>` when it cannot be opened or read.
 */
export function* readLines(file: string): Generator<string, void, undefined> {
  for (const span of readLineSpans(file)) yield span.bytes.toString('utf8', span.start, span.end)
}

/** Expands folders to their sorted `*.yaml` files and reads every file. */
export const collectDesignSources = (inputs: readonly string[]): { fileName: string; text: string }[] => {
  const files: string[] = []
  for (const input of inputs) {
    let isDir = false
    try {
      isDir = statSync(input).isDirectory()
    } catch (cause) {
      throw new SnipSnapError('INVALID_SPEC', `no such file or folder: ${input}`, { path: [input], cause })
    }
    if (isDir) {
      const yamls = readdirSync(input)
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
      if (yamls.length === 0) throw new SnipSnapError('INVALID_SPEC', `folder ${input} holds no .yaml files`, { path: [input] })
      for (const f of yamls) files.push(join(input, f))
    } else {
      files.push(input)
    }
  }
  return files.map((file) => ({ fileName: file, text: readText(file) }))
}

/** Options of {@link readDesign}. */
export interface ReadDesignOptions {
  /** `--strict`: keys not used by the model are errors. */
  readonly strict?: boolean
  /** Top-level sections the command does not use (search: `mapping`). */
  readonly ignore?: readonly string[]
  /** `--mapping <file>`: the file the mapping comes from when several files define one. */
  readonly mappingFile?: string
  /** Format primitives rank symbols may use (`--plugin`); default Sparseloop's. */
  readonly formats?: RankFormatSource
}

/**
 * Reads a design from case folders and files, prints what the reader found worth saying on
 * stderr (keys not used by the model listed once, values read as unlimited), and returns it.
 * @throws {SnipSnapError} as `parseTimeloopDesign`; two mapping files suggest `--mapping`.
 */
export const readDesign = (run: CliRun, inputs: readonly string[], options: ReadDesignOptions = {}): DesignSpec => {
  const sources = collectDesignSources(inputs)
  let sectionFiles: Record<string, string> | undefined
  if (options.mappingFile !== undefined) {
    const wanted = resolve(options.mappingFile)
    const known = sources.find((s) => resolve(s.fileName) === wanted)
    if (known === undefined) sources.push({ fileName: options.mappingFile, text: readText(options.mappingFile) })
    sectionFiles = { mapping: known?.fileName ?? options.mappingFile }
  }
  let result
  try {
    result = parseTimeloopDesign(sources, {
      ...(options.strict === true ? { strict: true } : {}),
      ...(options.ignore === undefined ? {} : { ignore: options.ignore }),
      ...(sectionFiles === undefined ? {} : { sectionFiles }),
      ...(options.formats === undefined ? {} : { formats: options.formats }),
    })
  } catch (error) {
    const duplicate = error instanceof SnipSnapError ? error.issues.find((i) => i.code === 'duplicate-section') : undefined
    if (error instanceof SnipSnapError && duplicate?.path[0] === 'mapping') {
      throw new SnipSnapError('INVALID_SPEC', `${error.message.replace(/; keep it in one file$/, '')}: which mapping should be evaluated? Choose one with --mapping <file>`, {
        path: ['--mapping'],
        issues: error.issues,
        cause: error,
      })
    }
    throw error
  }
  printWarnings(run, result.warnings)
  return result.design
}

/** Keys not used by the model go on one line; every other warning on its own. */
const printWarnings = (run: CliRun, warnings: readonly Issue[]): void => {
  const unused = warnings.filter((w) => w.code === 'unused-key').map((w) => w.message)
  if (unused.length > 0) run.warn(`not used by the model (--strict makes these errors): ${unused.join('; ')}`)
  for (const warning of warnings) if (warning.code !== 'unused-key') run.warn(warning.message)
}

// `evaluate --mappings` on several threads: the same bytes as one thread, errors at the same
// line with the rows before it printed, workers that cannot start or stop mid-run replaced by
// this thread.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createChunkRunner, thisModuleUrl, type MappingsWorkerOptions } from './actions/evaluate'
import { readDesign } from './design-files'
import { evaluateLinesThreaded } from './mappings-threads'
import type { CliRun } from './run-control'
import { runCli as run, runCliInterruptedAfterFirstOutput } from './testing/run-cli'

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..')
const stc = resolve(repoRoot, '..', 'shared', 'reference', 'sparseloop-random', 'fig15-STC-M512-K1024-N256-w0.5')
const dir = mkdtempSync(join(tmpdir(), 'snipsnap-threads-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const rows = readFileSync(join(stc, 'mappings.jsonl'), 'utf8').trim().split('\n')
/** `copies` copies of the set, each copy's texts made distinct (trailing spaces), with a blank line between copies. */
const writeRows = (name: string, copies: number, edit: (lines: string[]) => void = () => {}): string => {
  const lines: string[] = []
  for (let c = 0; c < copies; c++) {
    for (const row of rows) {
      const parsed = JSON.parse(row) as { mapping: string }
      lines.push(c === 0 ? row : JSON.stringify({ ...parsed, mapping: `${parsed.mapping}${' '.repeat(c)}` }))
    }
    lines.push('')
  }
  edit(lines)
  const file = join(dir, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** A run as the row loop uses it; the stdout bytes and warnings collected. */
const fakeRun = (): { run: CliRun; out: () => string; warnings: string[] } => {
  const chunks: Uint8Array[] = []
  const warnings: string[] = []
  const run = {
    signal: new AbortController().signal,
    stopCause: null,
    stdout: { write: (text: string) => chunks.push(Buffer.from(text)), writeBytes: (bytes: Uint8Array) => chunks.push(bytes) },
    stderr: { write: () => undefined },
    warn: (message: string) => warnings.push(message),
  } as unknown as CliRun
  return { run, out: () => Buffer.concat(chunks).toString('utf8'), warnings }
}

describe('evaluate --mappings --threads', () => {
  const file = writeRows('three.jsonl', 3)
  let serial = ''

  it('prints with 2 threads the same bytes as with 1', async () => {
    const one = await run(['evaluate', stc, '--mappings', file, '--threads', '1'])
    expect(one.code).toBe(0)
    serial = one.stdout
    expect(serial.trim().split('\n')).toHaveLength(3 * rows.length)
    const two = await run(['evaluate', stc, '--mappings', file, '--threads', '2'], { cores: 2 })
    expect(two.code).toBe(0)
    expect(two.stdout).toBe(serial)
  })

  it('lets worker threads evaluate every chunk, in file order', async () => {
    expect(serial).not.toBe('')
    const quiet = { warn: () => {} } as unknown as Parameters<typeof readDesign>[0]
    const design = readDesign(quiet, [stc], { ignore: ['mapping'] })
    const fake = fakeRun()
    let here = 0
    const runner = createChunkRunner(file, design)
    const rowsDone = await evaluateLinesThreaded(fake.run, file, {
      threads: 3,
      chunkBytes: 64 * 1024,
      here: (bytes, firstLine) => {
        here++
        return runner(bytes, firstLine)
      },
      workerModule: thisModuleUrl(),
      workerOptions: { file, design } satisfies MappingsWorkerOptions,
      alsoInThisThread: false,
    })
    expect(fake.warnings).toEqual([])
    expect(here).toBe(0)
    expect(rowsDone).toBe(3 * rows.length)
    expect(fake.out()).toBe(serial)
  })

  it('evaluates in this thread when the workers cannot start, with a warning', async () => {
    const quiet = { warn: () => {} } as unknown as Parameters<typeof readDesign>[0]
    const design = readDesign(quiet, [stc], { ignore: ['mapping'] })
    const fake = fakeRun()
    const rowsDone = await evaluateLinesThreaded(fake.run, file, {
      threads: 2,
      chunkBytes: 256 * 1024,
      here: createChunkRunner(file, design),
      workerModule: pathToFileURL(join(dir, 'no-such-module.mjs')).href,
      workerOptions: { file, design } satisfies MappingsWorkerOptions,
      alsoInThisThread: false,
    })
    expect(rowsDone).toBe(3 * rows.length)
    expect(fake.out()).toBe(serial)
    expect(fake.warnings.join('\n')).toMatch(/worker thread stopped/)
  })

  it('prints the rows before a bad line and names that line, as with 1 thread', async () => {
    // A bad row in the second copy: later chunks are not printed.
    const bad = writeRows('bad.jsonl', 3, (lines) => {
      lines[rows.length + 40] = '{"mapping": 3}'
    })
    const one = await run(['evaluate', stc, '--mappings', bad, '--threads', '1'])
    const two = await run(['evaluate', stc, '--mappings', bad, '--threads', '2'], { cores: 2 })
    expect(one.code).toBe(1)
    expect(two.code).toBe(1)
    expect(one.stderr).toMatch(new RegExp(`bad\\.jsonl:${rows.length + 41}\\b`))
    expect(two.stderr).toBe(one.stderr)
    expect(two.stdout).toBe(one.stdout)
    // The first copy, then the second's rows before the bad one (a blank line separates copies).
    expect(two.stdout.trim().split('\n')).toHaveLength(rows.length + 39)
  })

  it('Ctrl-C prints the rows done in file order and says how many of all were done', async () => {
    const { stdout, ...result } = await runCliInterruptedAfterFirstOutput(['evaluate', stc, '--mappings', file, '--threads', '2'], { cores: 2 })
    expect(result.code).toBe(130)
    expect(stdout.length).toBeGreaterThan(0)
    // A prefix of the one-thread output, whole lines only.
    expect(serial.startsWith(stdout)).toBe(true)
    expect(stdout.endsWith('\n')).toBe(true)
    const done = stdout.trim().split('\n').length
    expect(done).toBeLessThan(3 * rows.length)
    expect(result.stderr).toMatch(new RegExp(`snipsnap: interrupted after ${done} of ${3 * rows.length} mappings\n$`))
  })

  it('rejects a --threads that is not a positive integer', async () => {
    for (const value of ['0', '-1', '1.5', 'two', '']) {
      const result = await run(['evaluate', stc, '--mappings', file, '--threads', value])
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/--threads must be an integer ≥ 1/)
    }
  })
})

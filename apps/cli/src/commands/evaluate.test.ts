// `snipsnap evaluate …` run in-process through main() with a fake io, on every shared case
// folder, on random-mapping lines, and on mutated (fuzzed) case YAML.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import { parseTimeloopMapping } from '@snipsnap/timeloop'
import { reportToJson } from '../actions/evaluate'
import { readDesign } from '../design-files'
import { runCli as run } from '../testing/run-cli'

/** stderr lines other than warnings (reference cases carry estimator attributes the model does not use). */
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line !== '' && !line.startsWith('snipsnap: warning: '))

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..')
const cases = resolve(repoRoot, '..', 'shared', 'reference', 'sparseloop')
const random = resolve(repoRoot, '..', 'shared', 'reference', 'sparseloop-random')
const caseNames = existsSync(cases) ? readdirSync(cases).filter((d) => existsSync(join(cases, d, 'expected.json'))).sort() : []
const dir = mkdtempSync(join(tmpdir(), 'snipsnap-evaluate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Every number in a JSON value is finite (JSON.stringify would print NaN/Infinity as null). */
const allFinite = (value: unknown): boolean => {
  if (value === null) return false
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).every(allFinite)
  return true
}

/** Every string value (not key) in a JSON value. */
const stringValues = (value: unknown): string[] => {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringValues)
  if (typeof value === 'object' && value !== null) return Object.values(value as Record<string, unknown>).flatMap(stringValues)
  return []
}

describe('snipsnap evaluate', () => {
  it.each(caseNames)('%s --json prints one valid JSON object matching the oracle cycles', async (name) => {
    const { code, stdout, stderr } = await run(['evaluate', join(cases, name), '--json'])
    expect(errorLines(stderr)).toEqual([])
    expect(code).toBe(0)
    expect(stdout.trim().split('\n')).toHaveLength(1)
    const json = JSON.parse(stdout) as { valid: boolean; cycles: number; energyPJ: number; levels: Record<string, unknown> }
    expect(json.valid).toBe(true)
    expect(allFinite(json)).toBe(true)
    const expected = JSON.parse(readFileSync(join(cases, name, 'expected.json'), 'utf8')) as { cycles: number }
    expect(Math.abs(json.cycles - expected.cycles) / expected.cycles).toBeLessThanOrEqual(0.001)
    expect(Object.keys(json.levels).length).toBeGreaterThan(1)
  })

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await run(['evaluate', join(cases, 'fig1-bitmask-d0.1')])
    expect(code).toBe(0)
    expect(stdout).toMatch(/cycles\s+2,113,536/)
    expect(stdout).toMatch(/pJ\/compute/)
    expect(stdout).toMatch(/Buffer/)
  })

  it('accepts explicit files merged by top-level key', async () => {
    const folder = join(cases, 'fig1-coordlist-d0.1')
    const files = ['input.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => join(folder, f))
    const { code, stdout } = await run(['evaluate', ...files, '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout).cycles).toBe(295152)
  })

  it('--mappings prints one result per line, infeasible ones as {valid:false} with exit 0', async () => {
    const design = join(random, 'fig15-STC-M512-K1024-N256-w0.5')
    const rows = readFileSync(join(design, 'mappings.jsonl'), 'utf8').trim().split('\n').slice(0, 6)
    const file = join(dir, 'rows.jsonl')
    writeFileSync(file, `${rows.join('\n')}\n`)
    const { code, stdout, stderr } = await run(['evaluate', design, '--mappings', file])
    expect(errorLines(stderr)).toEqual([])
    expect(code).toBe(0)
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as { valid: boolean; reason?: string })
    expect(out).toHaveLength(rows.length)
    rows.forEach((row, i) => {
      const want = JSON.parse(row) as { valid: boolean }
      expect(out[i]!.valid).toBe(want.valid)
      if (!want.valid) expect(out[i]!.reason).toMatch(/couldn't map level/)
    })
  })

  it('--mappings gives a repeated mapping text the same result line as its first evaluation', async () => {
    const design = join(random, 'fig15-STC-M512-K1024-N256-w0.5')
    const rows = readFileSync(join(design, 'mappings.jsonl'), 'utf8').trim().split('\n').slice(0, 8)
    const once = join(dir, 'once.jsonl')
    writeFileSync(once, `${rows.join('\n')}\n`)
    // The same rows again, reversed, with other ids, and one with trailing spaces in its text
    // (a different text, the same mapping): every line as the single pass prints it.
    const again = rows.map((row, i) => JSON.stringify({ ...(JSON.parse(row) as object), id: 1000 + i })).reverse()
    const spaced = JSON.parse(rows[0]!) as { mapping: string }
    const twice = join(dir, 'twice.jsonl')
    writeFileSync(twice, `${[...rows, ...again, JSON.stringify({ ...spaced, mapping: `${spaced.mapping}   ` })].join('\n')}\n`)
    const first = await run(['evaluate', design, '--mappings', once])
    const second = await run(['evaluate', design, '--mappings', twice])
    expect(first.code).toBe(0)
    expect(second.code).toBe(0)
    const single = first.stdout.trim().split('\n')
    expect(second.stdout.trim().split('\n')).toEqual([...single, ...[...single].reverse(), single[0]])
  })

  // The batch path reuses the cost model's caches across rows (and its result lines across equal
  // texts): every row of every shared random set, then each again in reverse order with its text
  // made distinct (trailing spaces, so it is read and evaluated again with the caches warm in
  // another order), must print what a fresh evaluator of the design gives for that row alone.
  const randomSets = existsSync(random) ? readdirSync(random).filter((d) => existsSync(join(random, d, 'mappings.jsonl'))).sort() : []
  it.each(randomSets)('--mappings on %s prints, byte for byte, what a fresh evaluator gives each row', async (name) => {
    const folder = join(random, name)
    const rows = readFileSync(join(folder, 'mappings.jsonl'), 'utf8').trim().split('\n')
    const texts = rows.map((row) => (JSON.parse(row) as { mapping: string }).mapping)
    const again = rows.map((row, i) => JSON.stringify({ ...(JSON.parse(row) as object), mapping: `${texts[i]!}${' '.repeat(1 + (i % 3))}` })).reverse()
    const file = join(dir, `${name}.jsonl`)
    writeFileSync(file, `${[...rows, ...again].join('\n')}\n`)
    const { code, stdout } = await run(['evaluate', folder, '--mappings', file])
    expect(code).toBe(0)
    const quiet = { warn: () => {} } as unknown as Parameters<typeof readDesign>[0]
    const design = readDesign(quiet, [folder], { ignore: ['mapping'] })
    const alone = texts.map((text) => JSON.stringify(reportToJson(createSparseloopEvaluator(design).evaluate(parseTimeloopMapping(text, design.problem, design.arch)))))
    expect(stdout).toBe(`${[...alone, ...[...alone].reverse()].join('\n')}\n`)
  })

  it('--mappings hands its output as bytes to a stream that takes them, the same as text', async () => {
    const design = join(random, 'fig15-STC-M512-K1024-N256-w0.5')
    const rows = readFileSync(join(design, 'mappings.jsonl'), 'utf8').trim().split('\n')
    // Enough rows for several batches.
    const file = join(dir, 'bytes.jsonl')
    writeFileSync(file, `${[...rows, ...rows.map((row) => JSON.stringify({ ...(JSON.parse(row) as { mapping: string }), mapping: `${(JSON.parse(row) as { mapping: string }).mapping} ` }))].join('\n')}\n`)
    const asText = await run(['evaluate', design, '--mappings', file])
    const chunks: Uint8Array[] = []
    let text = ''
    const asBytes = await run(['evaluate', design, '--mappings', file], {
      stdout: { write: (t: string) => (text += t), writeBytes: (bytes: Uint8Array) => chunks.push(bytes) },
    })
    expect(asBytes.code).toBe(0)
    expect(text).toBe('')
    expect(chunks.length).toBeGreaterThan(2)
    expect(Buffer.concat(chunks).toString('utf8')).toBe(asText.stdout)
  })

  it('reports errors on stderr with a non-zero exit', async () => {
    const missing = await run(['evaluate', join(dir, 'nope')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no such file or folder/)
    const bad = join(dir, 'bad.jsonl')
    writeFileSync(bad, '{"mapping": 3}\n')
    const badLine = await run(['evaluate', join(random, 'fig1-bitmask-d0.1'), '--mappings', bad])
    expect(badLine.code).toBe(1)
    expect(badLine.stderr).toMatch(/bad\.jsonl:1/)
  })

  it('never crashes or prints NaN on mutated case YAML (fuzz)', async () => {
    const source = readFileSync(join(cases, 'fig1-bitmask-d0.1', 'input.yaml'), 'utf8').split('\n')
    const ert = readFileSync(join(cases, 'fig1-bitmask-d0.1', 'ERT.yaml'), 'utf8')
    const replacement = fc.constantFrom('-1', '0', '1e309', 'NaN', 'abc', '[]', '{}', '3.5', "''", 'null')
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }),
      fc.record({ kind: fc.constant('value' as const), line: fc.nat(), value: replacement }),
      fc.record({ kind: fc.constant('truncate' as const), line: fc.nat() }),
      fc.record({ kind: fc.constant('indent' as const), line: fc.nat() }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        let lines = [...source]
        for (const m of mutations) {
          const i = m.line % lines.length
          if (m.kind === 'delete') lines.splice(i, 1)
          else if (m.kind === 'truncate') lines = lines.slice(0, i + 1)
          else if (m.kind === 'indent') lines[i] = `  ${lines[i] ?? ''}`
          else lines[i] = (lines[i] ?? '').replace(/:\s*[^\s].*$/, `: ${m.value}`)
        }
        const folder = mkdtempSync(join(dir, 'fuzz-'))
        writeFileSync(join(folder, 'input.yaml'), lines.join('\n'))
        writeFileSync(join(folder, 'ERT.yaml'), ert)
        const { code, stdout, stderr } = await run(['evaluate', folder, '--json'])
        rmSync(folder, { recursive: true, force: true })
        if (code === 0) {
          const json = JSON.parse(stdout) as unknown
          // Values only: a mutated `name:` line can call a level "NaN" or "null", which then is a key.
          // JSON.parse rejects bare NaN/Infinity tokens; allFinite rejects null and non-finite numbers.
          expect(allFinite(json)).toBe(true)
          expect(stringValues(json).filter((text) => /NaN|Infinity/.test(text))).toEqual([])
        } else {
          expect(code).toBe(1)
          expect(stdout).toBe('')
          expect(stderr).toMatch(/^snipsnap: /)
          expect(stderr).not.toMatch(/TypeError|ReferenceError|RangeError|Cannot read|is not a function|undefined/)
        }
      }),
      { numRuns: 100 },
    )
  })
})

// Fuzzing every CLI command in-process (no process per run): command lines and input files drawn
// from the shared cases and data, then mutated (arguments replaced, dropped or added; YAML lines
// deleted, re-indented, truncated or given odd values; tensor files corrupted or truncated).
// Every run must end with exit code 0 or 1, no stack trace, no NaN or Infinity in what it
// prints, and within a time bound (a watchdog presses Ctrl-C, which would show as exit 130).
// Every command is driven (formats presets/space/rank/optimize, evaluate, search, explore,
// codesign, sweep, init), with SnipSnap's own spec files mutated too. 2,000+ runs in all; the
// costly commands get fewer, mostly invalid, runs.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { npy } from './testing/npy'
import { runCli, SHARED_DATA, SHARED_DIR } from './testing/run-cli'

const tmp = mkdtempSync(join(tmpdir(), 'snipsnap-fuzz-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const REFERENCE = join(SHARED_DIR, 'reference')
const FIG1 = join(REFERENCE, 'sparseloop', 'fig1-bitmask-d0.1')
const MAPPER = join(REFERENCE, 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const RANDOM = join(REFERENCE, 'sparseloop-random', 'fig1-bitmask-d0.1')

/**
 * A run longer than this is pressed Ctrl-C, and fails the property (exit 130). Generous, so that
 * it catches hangs and unbounded runs, not a machine loaded 20× (runs take well under 1 s idle).
 */
const WATCHDOG_MS = 120_000
/** Each property's own limit: catches a hang of the whole property, not a slow machine. */
const PROPERTY_TIMEOUT_MS = 3_600_000
const STACK_FRAME = /\n\s+at\s+\S/
const ENGINE_ERROR = /\b(TypeError|ReferenceError|RangeError|SyntaxError|Maximum call stack)\b/

let runs = 0
let dirs = 0
const freshDir = (): string => {
  const dir = join(tmp, String(dirs++))
  mkdirSync(dir)
  return dir
}

const NON_FINITE_TEXT = /\bNaN\b|\bInfinity\b/

/**
 * Numbers anywhere in printed JSON are finite and no JSON value (but a key: the names of levels
 * and tensors come from the input, and `NaN` is a valid name) spells NaN/Infinity; in text
 * output neither word appears unless the command line itself holds it (then it may be echoed).
 */
const expectFiniteOutput = (stdout: string, args: readonly string[]): void => {
  const trimmed = stdout.trim()
  if (trimmed.startsWith('{')) {
    for (const line of trimmed.startsWith('{\n') ? [trimmed] : trimmed.split('\n')) {
      // JSON.parse itself rejects bare NaN/Infinity tokens.
      const parsed = JSON.parse(line) as unknown
      const walk = (value: unknown): void => {
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true)
        else if (typeof value === 'string') expect(value).not.toMatch(NON_FINITE_TEXT)
        else if (Array.isArray(value)) value.forEach(walk)
        else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk)
      }
      walk(parsed)
    }
  } else if (!args.some((arg) => NON_FINITE_TEXT.test(arg))) {
    expect(stdout).not.toMatch(NON_FINITE_TEXT)
  }
}

/** Runs one fuzzed command line and checks the contract. */
const check = async (args: readonly string[]): Promise<void> => {
  runs++
  const start = performance.now()
  let timer: NodeJS.Timeout | undefined
  const { code, stdout, stderr } = await runCli(args, { onStart: (interrupt) => (timer ??= setTimeout(interrupt, WATCHDOG_MS)) })
  clearTimeout(timer)
  const context = `snipsnap ${args.map((a) => JSON.stringify(a)).join(' ')}\n${stderr}`
  expect([0, 1], context).toContain(code)
  expect(stdout, context).not.toMatch(STACK_FRAME)
  // --debug asks for stack traces; without it none may reach the user.
  if (!args.includes('--debug')) {
    expect(stderr, context).not.toMatch(STACK_FRAME)
    expect(stderr, context).not.toMatch(ENGINE_ERROR)
  }
  if (code === 1) expect(stderr, context).toMatch(/^snipsnap: |error: |^Usage:/m)
  expectFiniteOutput(stdout, args)
  expect(performance.now() - start, context).toBeLessThan(WATCHDOG_MS)
}

// ---------------------------------------------------------------- argument mutations

const TOKENS = [
  '--json', '--strict', '--debug', '--help', '', ' ', '-', '--', '0', '-1', '1', '2', '3.5', '1e18', '1e309', 'NaN', 'abc', 'ünïcødé',
  '--threads', '--seed', '--budget-s', '--strategy', 'genetic', 'random', 'exhaustive', 'nope', '--objective', 'edp', 'cycles,energy', 'energy,energy',
  '--mapping', '--mappings', '/nonexistent', '/dev/null', '--tensor', '--name', '*', 'layers.0.w*', '--preset', 'nm-2-4', 'csf', 'csr,nope',
  '--pattern', 'UOP(M)-CP(K', 'B(K:0)', 'UOP(M:7)-CP(K)', 'CP(M,K)', '--prune', '2:4', '5:4', 'magnitude:2', 'magnitude:0.5', '--value-bits', '65', '8',
  '--shape', '0x0', '1e18x4', '4x4x4x4', '30x30', '--depth', '9', '--order-rule', 'any', '--model', 'stories-260k', 'gpt-2', '--sparsity', 'weights=2',
  'activations=0.5', 'unstructured-50', '--phase', 'train', 'decode', '--kv-len', '0', '--seq-len', '99999999', '--batch', '--arch', 'stc-like', '--evaluations',
]
// Long-running values (big budgets, many evaluations, exhaustive runs) are left out: they would test patience, not robustness.

type Mutation = { kind: 'replace' | 'insert'; at: number; token: string } | { kind: 'delete'; at: number }
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
)

/** Applies mutations to a command line, never touching its first `keep` words (the command). */
const mutateArgs = (base: readonly string[], mutations: readonly Mutation[], keep: number): string[] => {
  const args = [...base]
  for (const m of mutations) {
    const span = args.length - keep
    if (m.kind === 'insert') args.splice(keep + (m.at % (span + 1)), 0, m.token)
    else if (span > 0 && m.kind === 'replace') args[keep + (m.at % span)] = m.token
    else if (span > 0) args.splice(keep + (m.at % span), 1)
  }
  return args
}

const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 })

// ---------------------------------------------------------------- file mutations

const YAML_VALUES = ['-1', '0', '1e18', '1e309', '.nan', '.inf', '-.inf', 'abc', '[]', '{}', '3.5', "''", 'null', '[[[[1]]]]', '!tag x', '*alias', '&a 1']
type LineMutation = { kind: 'delete' | 'truncate' | 'indent' | 'typo'; line: number } | { kind: 'value'; line: number; value: string }
const lineMutationArb: fc.Arbitrary<LineMutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'truncate' as const, 'indent' as const, 'typo' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('value' as const), line: fc.nat(), value: fc.constantFrom(...YAML_VALUES) }),
)

/** Line-level YAML mutations, including misspelling the key of a line (drop one letter). */
const mutateYaml = (text: string, mutations: readonly LineMutation[]): string => {
  let lines = text.split('\n')
  for (const m of mutations) {
    const i = m.line % lines.length
    const line = lines[i] ?? ''
    if (m.kind === 'delete') lines.splice(i, 1)
    else if (m.kind === 'truncate') lines = lines.slice(0, i + 1)
    else if (m.kind === 'indent') lines[i] = `  ${line}`
    else if (m.kind === 'typo') lines[i] = line.replace(/([A-Za-z_-]{3,})(?=\s*:)/, (key) => key.slice(0, -2) + key.slice(-1))
    else if (m.kind === 'value') lines[i] = line.replace(/:\s*[^\s].*$/, `: ${m.value}`)
  }
  return lines.join('\n')
}

const bytesMutationArb = fc.record({ cut: fc.option(fc.nat(), { nil: undefined }), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }) })
const mutateBytes = (bytes: Uint8Array, m: { cut: number | undefined; flips: [number, number][] }): Uint8Array => {
  const out = m.cut === undefined ? Uint8Array.from(bytes) : bytes.slice(0, m.cut % (bytes.length + 1))
  for (const [at, value] of m.flips) if (out.length > 0) out[at % out.length] = value
  return out
}

const read = (file: string): string => readFileSync(file, 'utf8')
const FIG1_INPUT = read(join(FIG1, 'input.yaml'))
const FIG1_ERT = read(join(FIG1, 'ERT.yaml'))
const MAPPER_INPUT = read(join(MAPPER, 'input.yaml'))
const MAPPINGS = read(join(RANDOM, 'mappings.jsonl')).split('\n').filter((l) => l.trim() !== '').slice(0, 6)
// SnipSnap's own spec files, their model unknown so that no mutation starts a long valid run.
const NOPE_SWEEP = join(tmp, 'nope-sweep.yaml')
const SWEEP_TEXT = read(join(import.meta.dirname, '..', '..', '..', 'examples', 'sweeps', 'small.yaml')).replace('model: [gpt-2]', 'model: [nope]')
writeFileSync(NOPE_SWEEP, SWEEP_TEXT)
mkdirSync(join(tmp, 'init'))
const AXES_TEXT = 'glbKiB: [128, 256]\npeBufferWords: {from: 256, to: 1024, factor: 2}\npeArray: [8x8, 8x16]\nglbCompression: [none, both]\n'
const STUDY_TEXT = 'version: 1\nmodel: nope\nphases: [decode]\nsparsity:\n  - unstructured-50\n  - activation: { distribution: n-m, density: 0.5, params: { n: 2, m: 4, rank: 1 } }\narch: llm-default\nsearch:\n  seed: 1\n  evaluations: 1\n'
const PORES = new Uint8Array(readFileSync(join(SHARED_DATA, 'pores_1.mtx')))
const SMALL_NPY = npy([4, 6], [1, 0, 0, 2, 0, 3, 0, 0, 4, 0, 0, 0, 5, 6, 0, 0, 0, 7, 0, 0, 8, 0, 9, 0])

describe('fuzzing every command (exit 0 or 1, no stack trace, no NaN/Infinity, bounded time)', () => {
  // Mutated arguments must not make a command write into the working directory.
  const cwdBefore = readdirSync(process.cwd())
  afterAll(() => {
    expect(readdirSync(process.cwd())).toEqual(cwdBefore)
    // The issue asks for at least 2,000 runs in CI; fail loudly if a refactor shrinks them.
    expect(runs).toBeGreaterThanOrEqual(2000)
  })

  it('command lines of every command, mutated (900 runs)', async () => {
    const bases: { args: string[]; keep: number }[] = [
      { args: ['formats', 'presets', '--shape', '30x30', '--json'], keep: 2 },
      { args: ['formats', 'space', '--shape', '64x172', '--depth', '2'], keep: 2 },
      { args: ['formats', 'rank', '--tensor', join(SHARED_DATA, 'pores_1.mtx'), '--preset', 'csr,bitmap'], keep: 2 },
      { args: ['evaluate', FIG1, '--json'], keep: 1 },
      { args: ['evaluate', join(RANDOM, 'base.yaml'), join(RANDOM, 'ERT.yaml'), '--mappings', '/dev/null'], keep: 1 },
      { args: ['search', FIG1, '--budget-s', '0.05', '--json'], keep: 1 },
      { args: ['formats', 'optimize', '--model', 'nope', '--sparsity', 'unstructured-50'], keep: 2 },
      { args: ['explore', '--model', 'nope', '--phase', 'decode', '--evaluations', '1'], keep: 1 },
      { args: ['codesign', '--model', 'nope', '--phase', 'decode', '--max-points', '1', '--evaluations', '1', '--glb-kib', '128,256'], keep: 1 },
      // The commands that write files keep their paths (inside the temporary folder) unmutated.
      { args: ['sweep', NOPE_SWEEP, '--out', join(tmp, 'sweep-out'), '--threads', '1'], keep: 4 },
      { args: ['init', join(tmp, 'init', 'study.yaml'), '--force'], keep: 2 },
      { args: [], keep: 0 },
    ]
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bases.length - 1 }), mutationsArb, async (which, mutations) => {
        const base = bases[which] as (typeof bases)[number]
        // Keep the costly commands away from valid, long runs: their model stays unknown.
        // A budget that a mutation grew (`--budget-s 65`) is cut back to 1 s: long runs test patience.
        const args = mutateArgs(base.args, mutations, base.keep)
          .map((a) => (a === 'stories-260k' || a === 'gpt-2') && (base.args[0] === 'explore' || base.args[0] === 'codesign' || base.args[1] === 'optimize') ? 'nope' : a)
          .map((a, i, all) => (all[i - 1] === '--budget-s' && Number(a) > 1 && Number(a) < 1e6 ? '1' : a))
        await check(args)
      }),
      { numRuns: 900 },
    )
  }, PROPERTY_TIMEOUT_MS)

  it('formats presets and space with mutated shapes and depths (350 runs)', async () => {
    const shape = fc.oneof(
      fc.array(fc.oneof(fc.integer({ min: -2, max: 5000 }), fc.constantFrom(1e18, 2 ** 53, 0.5, Number.NaN)), { minLength: 1, maxLength: 5 }).map((dims) => dims.join('x')),
      fc.string({ maxLength: 12 }),
    )
    await fc.assert(
      fc.asyncProperty(fc.boolean(), shape, fc.constantFrom('1', '2', '3', '0', '9', 'x', '1e18'), fc.boolean(), async (presets, s, depth, json) => {
        const args = presets ? ['formats', 'presets', '--shape', s] : ['formats', 'space', '--shape', s, '--depth', depth]
        await check(json ? [...args, '--json'] : args)
      }),
      { numRuns: 350 },
    )
  }, PROPERTY_TIMEOUT_MS)

  it('formats rank on corrupted and truncated tensor files (400 runs)', async () => {
    const sources = [
      { name: 'pores_1.mtx', bytes: PORES },
      { name: 'small.npy', bytes: SMALL_NPY },
    ]
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sources.length - 1 }), bytesMutationArb, fc.constantFrom(undefined, 'csr,coo', 'nm-2-4', 'bitmap2,rle,bcsr'), fc.constantFrom(undefined, '2:4', 'magnitude:0.9'), async (which, m, preset, prune) => {
        const source = sources[which] as (typeof sources)[number]
        const file = join(freshDir(), source.name)
        writeFileSync(file, mutateBytes(source.bytes, m))
        await check(['formats', 'rank', '--tensor', file, '--json', ...(preset === undefined ? [] : ['--preset', preset]), ...(prune === undefined ? [] : ['--prune', prune])])
      }),
      { numRuns: 400 },
    )
  }, PROPERTY_TIMEOUT_MS)

  it('evaluate on mutated case YAML, and --mappings on mutated mapping lines (250 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(lineMutationArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (lines, mutations, strict) => {
        const dir = freshDir()
        if (lines) {
          // --mappings: each JSONL mapping text mutated the same way.
          const rows = MAPPINGS.map((row) => {
            const parsed = JSON.parse(row) as { mapping: string }
            return JSON.stringify({ ...parsed, mapping: mutateYaml(parsed.mapping, mutations) })
          })
          writeFileSync(join(dir, 'm.jsonl'), rows.join('\n'))
          await check(['evaluate', join(RANDOM, 'base.yaml'), join(RANDOM, 'ERT.yaml'), '--mappings', join(dir, 'm.jsonl')])
        } else {
          writeFileSync(join(dir, 'input.yaml'), mutateYaml(FIG1_INPUT, mutations))
          writeFileSync(join(dir, 'ERT.yaml'), FIG1_ERT)
          await check(['evaluate', dir, '--json', ...(strict ? ['--strict'] : [])])
        }
      }),
      { numRuns: 250 },
    )
  }, PROPERTY_TIMEOUT_MS)

  it('search on a mutated mapper case (60 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineMutationArb, { minLength: 1, maxLength: 2 }), fc.constantFrom('1', '2'), async (mutations, threads) => {
        const dir = freshDir()
        writeFileSync(join(dir, 'input.yaml'), mutateYaml(MAPPER_INPUT, mutations))
        for (const f of ['constraints.yaml', 'ERT.yaml', 'ART.yaml', 'mapper.yaml', 'best.map.yaml']) writeFileSync(join(dir, f), read(join(MAPPER, f)))
        await check(['search', dir, '--budget-s', '0.3', '--threads', threads, '--json'])
      }),
      { numRuns: 60 },
    )
  }, PROPERTY_TIMEOUT_MS)

  it('sweep specs, codesign axes files and explore --spec studies, mutated (150 runs)', async () => {
    const kinds = [
      { name: 'sweep.yaml', text: SWEEP_TEXT, args: (file: string, dir: string) => ['sweep', file, '--out', join(dir, 'out'), '--threads', '1'] },
      { name: 'axes.yaml', text: AXES_TEXT, args: (file: string) => ['codesign', '--model', 'nope', '--axes', file, '--max-points', '1', '--evaluations', '1'] },
      { name: 'study.yaml', text: STUDY_TEXT, args: (file: string) => ['explore', '--spec', file] },
    ]
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: kinds.length - 1 }), fc.array(lineMutationArb, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        const kind = kinds[which] as (typeof kinds)[number]
        const dir = freshDir()
        const file = join(dir, kind.name)
        // A mutation must not make the model known again (a long valid run tests patience).
        writeFileSync(file, mutateYaml(kind.text, mutations).replace(/\b(gpt-2|stories-260k|llama-2-7b)\b/g, 'nope'))
        await check(kind.args(file, dir))
      }),
      { numRuns: 150 },
    )
  }, PROPERTY_TIMEOUT_MS)

  it('formats optimize and explore with one argument of a small valid run mutated (40 runs)', async () => {
    const bases = [
      ['formats', 'optimize', '--model', 'stories-260k', '--sparsity', 'unstructured-50', '--phase', 'decode', '--kv-len', '8', '--json'],
      ['explore', '--model', 'stories-260k', '--phase', 'decode', '--evaluations', '1', '--json'],
    ]
    const small = fc.constantFrom('0', '-1', '1e18', 'NaN', '', 'nope', 'weights=0.25', 'activations=1', 'nm-2-4', 'prefill', 'decode', '--json', '2')
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 1 }), fc.nat(), small, async (which, at, token) => {
        const base = bases[which] as string[]
        const args = [...base]
        const keep = which === 0 ? 2 : 1
        args[keep + (at % (args.length - keep))] = token
        await check(args)
      }),
      { numRuns: 40 },
    )
  }, PROPERTY_TIMEOUT_MS)
})

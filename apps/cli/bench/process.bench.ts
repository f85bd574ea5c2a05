// Benchmarks of the built `snipsnap` as whole processes (run by `pnpm bench`; not timed tests),
// issue 12. In one run, alternating so a busy machine weighs on each alike, medians of:
// - `snipsnap evaluate <case> --json`, `snipsnap --version` and a bare `node -e 0`: wall time,
//   CPU time (user + system) and peak memory (max RSS), with ratios to `node -e 0`;
// - `evaluate --mappings` on the shared STC random set at three sizes: the marginal rates in
//   rows/s after start-up, (rows₂ − rows₁) / (time₂ − time₁), by wall and by CPU time. The
//   larger sizes repeat the set's 150 rows, whose results `--mappings` reuses (equal mapping
//   texts are evaluated once); the same sizes with every copy's mapping texts made distinct
//   (trailing spaces, which the YAML reader ignores) give the rate of rows whose text was not
//   seen before, each parsed and evaluated. They are still the same 150 mappings, so the cost
//   model's own caches of mapping parts (spatial-skip fibers, distinct children) are warm after
//   the first copy; a set of 6,000 different mappings would be somewhat slower.
// The CLI is built first when its sources changed (scripts/snipsnap.mjs). Peak memory and CPU
// time come from GNU time (/usr/bin/time); without it only wall times are printed.
//
// Figures (2026-12-03 14:37, the shared 2-core machine, load ~2; 5 alternated rounds, medians,
// the build at the start of the day's second session (0f051fb) against this one, as whole
// processes on the STC random set made distinct, 1,500 / 6,000 / 24,000 rows): the steady
// distinct-texts rate (6,000 → 24,000 rows) went from 10,056 to 12,000 rows/CPU-s; wall-clock
// marginals swung from 8,000 to 20,000 rows/s between neighbouring runs, so only CPU rates
// compare. Issue 12's goal of 20,000 rows/s is met for the issue's own measurement (the set's
// 150 rows repeated: ~60,000 rows/s, equal texts evaluated once) but not for rows whose texts
// differ: a row still costs ~80 µs of CPU (evaluation ~40, reading the ~5 KB row ~16, parsing
// the mapping ~12, writing ~5, the rest GC) against 50 µs for 20,000 rows/s. One evaluate
// fig15-STC --json peaked at 44.3 MiB (45.6 before) against 39.3 MiB for node -e 0.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..', '..', '..')
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js')
const shared = resolve(root, '..', 'shared', 'reference')
const evaluateCase = join(shared, 'sparseloop', 'fig15-STC-M512-K1024-N256-w0.5')
const randomSet = join(shared, 'sparseloop-random', 'fig15-STC-M512-K1024-N256-w0.5')
const ROUNDS = Number(process.env.SNIPSNAP_BENCH_ROUNDS ?? 11)
const GNU_TIME = '/usr/bin/time'
const hasGnuTime = existsSync(GNU_TIME)

// Builds the CLI if stale (and checks it runs).
const build = spawnSync(process.execPath, [join(root, 'scripts', 'snipsnap.mjs'), '--version'], { stdio: ['ignore', 'ignore', 'inherit'] })
if (build.status !== 0) throw new Error('snipsnap: the CLI did not build or run')

interface Sample {
  readonly wallMs: number
  readonly cpuMs: number
  readonly maxRssKiB: number
}

/** Runs `node <args>` once, output discarded; wall time here, CPU and max RSS from GNU time. */
const runOnce = (args: readonly string[]): Sample => {
  const command = hasGnuTime ? GNU_TIME : process.execPath
  const argv = hasGnuTime ? ['-f', '%U %S %M', process.execPath, ...args] : [...args]
  const t0 = performance.now()
  const run = spawnSync(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 24 })
  const wallMs = performance.now() - t0
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr}`)
  if (!hasGnuTime) return { wallMs, cpuMs: Number.NaN, maxRssKiB: Number.NaN }
  const last = run.stderr.trim().split('\n').at(-1) ?? ''
  const [user, system, rss] = last.split(' ').map(Number)
  return { wallMs, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000, maxRssKiB: rss ?? Number.NaN }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Runs every command once per round, in turn, after one warm-up round; medians per command. */
const alternate = (commands: Readonly<Record<string, readonly string[]>>, rounds: number): Record<string, Sample> => {
  const samples: Record<string, Sample[]> = {}
  for (let round = -1; round < rounds; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const sample = runOnce(args)
      if (round >= 0) (samples[name] ??= []).push(sample)
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      { wallMs: median(list.map((s) => s.wallMs)), cpuMs: median(list.map((s) => s.cpuMs)), maxRssKiB: median(list.map((s) => s.maxRssKiB)) },
    ]),
  )
}

const ms = (value: number): string => `${value.toFixed(0)} ms`
const mib = (kib: number): string => `${(kib / 1024).toFixed(1)} MiB`

// --- whole processes -----------------------------------------------------------------------
const processes = alternate(
  {
    'node -e 0': ['-e', '0'],
    'snipsnap --version': [bin, '--version'],
    'snipsnap evaluate fig15-STC --json': [bin, 'evaluate', evaluateCase, '--json'],
  },
  ROUNDS,
)
const base = processes['node -e 0'] as Sample
console.log(`@snipsnap/cli whole-process benchmarks (${ROUNDS} alternated rounds, medians; ratios to node -e 0 in the same run)`)
for (const [name, s] of Object.entries(processes)) {
  const cpu = hasGnuTime ? `, CPU ${ms(s.cpuMs)} (${(s.cpuMs / base.cpuMs).toFixed(2)}×), peak ${mib(s.maxRssKiB)} (+${mib(s.maxRssKiB - base.maxRssKiB)})` : ''
  console.log(`  ${name.padEnd(36)} wall ${ms(s.wallMs)} (${(s.wallMs / base.wallMs).toFixed(2)}×)${cpu}`)
}

// --- --mappings marginal rate --------------------------------------------------------------
const rows = readFileSync(join(randomSet, 'mappings.jsonl'), 'utf8').trim().split('\n')
const dir = mkdtempSync(join(tmpdir(), 'snipsnap-bench-'))
try {
  // 150, 1,500 and 6,000 rows: the marginal rate from 150 to 1,500 rows (what issue 12 measured)
  // still includes the JIT's warm-up of the per-row code; from 1,500 to 6,000 rows it is the
  // steady rate.
  const SIZES = [1, 10, 40] as const
  /** Copy `c` of a row with `c` spaces after its mapping text (a blank last line of the YAML). */
  const distinctRow = (row: string, c: number): string => {
    if (c === 0) return row
    const parsed = JSON.parse(row) as { mapping: string }
    return JSON.stringify({ ...parsed, mapping: `${parsed.mapping}${' '.repeat(c)}` })
  }
  const write = (copies: number, distinct: boolean): string => {
    const file = join(dir, `mappings-${copies}${distinct ? '-distinct' : ''}.jsonl`)
    writeFileSync(file, `${Array.from({ length: copies }, (_, c) => rows.map((row) => (distinct ? distinctRow(row, c) : row)).join('\n')).join('\n')}\n`)
    return file
  }
  const base = join(randomSet, 'base.yaml')
  const cores = availableParallelism()
  // One thread by default; `--threads <cores>` spreads the rows over every core (each thread
  // compiles the row code again, so on 2 cores it is not faster yet: printed for comparison).
  const VARIANTS = [
    { label: 'repeated', distinct: false, threads: [] },
    { label: 'distinct texts', distinct: true, threads: [] },
    { label: `distinct texts, --threads ${cores}`, distinct: true, threads: ['--threads', String(cores)] },
  ] as const
  const timed = alternate(
    Object.fromEntries(
      VARIANTS.flatMap(({ label, distinct, threads }) =>
        SIZES.map((copies) => [`${copies} ${label}`, [bin, 'evaluate', base, '--mappings', write(copies, distinct), ...threads]]),
      ),
    ),
    Math.max(3, Math.ceil(ROUNDS / 2)),
  )
  for (const { label } of VARIANTS) {
    for (let i = 1; i < SIZES.length; i++) {
      const [fewer, more] = [SIZES[i - 1] as number, SIZES[i] as number]
      const small = timed[`${fewer} ${label}`] as Sample
      const large = timed[`${more} ${label}`] as Sample
      const extraRows = (more - fewer) * rows.length
      const byWall = (extraRows * 1000) / (large.wallMs - small.wallMs)
      const byCpu = (extraRows * 1000) / (large.cpuMs - small.cpuMs)
      console.log(
        `  evaluate --mappings (STC random set, ${label}, ${fewer * rows.length} vs ${more * rows.length} rows): marginal ${byWall.toFixed(0)} rows/wall-s` +
          (hasGnuTime ? `, ${byCpu.toFixed(0)} rows/CPU-s; peak ${mib(small.maxRssKiB)} at ${fewer * rows.length} rows, ${mib(large.maxRssKiB)} at ${more * rows.length}` : ''),
      )
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

// Each command loads only what it runs (issue 12): the modules a real `snipsnap evaluate` process
// loads, listed by a resolve hook, hold the cost model and the Timeloop reader but none of the
// workload readers, the search, the explorer or the whole of zod (`zod` classic costs ~15 MiB
// and ~90 ms of start-up; the evaluate path uses zod/mini). The process runs the sources (tsx),
// so the check needs no build; tsup.config.ts keeps the bundle to the same graph.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHARED_DIR } from './testing/run-cli'

const bin = resolve(import.meta.dirname, 'bin.ts')
const register = resolve(import.meta.dirname, 'testing', 'module-log-register.mjs')
const fig15 = join(SHARED_DIR, 'reference', 'sparseloop', 'fig15-STC-M512-K1024-N256-w0.5')

/** The URLs of the modules `snipsnap <args>` resolves, in order, and its exit code. */
const modulesLoadedBy = (args: readonly string[]): { code: number | null; urls: string[] } => {
  const dir = mkdtempSync(join(tmpdir(), 'snipsnap-modules-'))
  const log = join(dir, 'modules.log')
  try {
    const run = spawnSync(process.execPath, ['--conditions=@snipsnap/source', '--import', 'tsx', '--import', register, bin, ...args], {
      env: { ...process.env, SNIPSNAP_MODULE_LOG: log },
      encoding: 'utf8',
      timeout: 120_000,
    })
    let text = ''
    try {
      text = readFileSync(log, 'utf8')
    } catch {
      // No module logged: the assertions below say so.
    }
    return { code: run.status, urls: [...new Set(text.split('\n').filter((line) => line !== ''))] }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Modules of the monorepo's package `name` (sources or build). */
const inPackage = (name: string) => (url: string) => url.includes(`/packages/${name}/`)
/** Modules of the node_modules package `name`. */
const inDependency = (name: string) => (url: string) => url.includes(`/node_modules/${name}/`)

// What `evaluate` never runs: workload readers (and their Hugging Face/GGUF/safetensors
// libraries), mapping-space generation, search, the explorer, compression choice, progress bars,
// and zod's classic API (which brings every zod module and locale).
const FORBIDDEN_FOR_EVALUATE: readonly [string, (url: string) => boolean][] = [
  ['@snipsnap/workloads', inPackage('workloads')],
  ['@snipsnap/search', inPackage('search')],
  ['@snipsnap/explorer', inPackage('explorer')],
  ['@snipsnap/mapspace', inPackage('mapspace')],
  ['@snipsnap/compress', inPackage('compress')],
  ['@huggingface/*', (url) => url.includes('/node_modules/@huggingface/')],
  ['cli-progress', inDependency('cli-progress')],
  ['zod (classic API)', (url) => /\/node_modules\/zod\/(v4\/classic|index\.js)/.test(url)],
]

describe('modules a command loads', () => {
  it('`evaluate <case> --json` loads the cost model and the Timeloop reader, nothing of the search or the workload readers', () => {
    const { code, urls } = modulesLoadedBy(['evaluate', fig15, '--json'])
    expect(code).toBe(0)
    expect(urls.some(inPackage('cost'))).toBe(true)
    expect(urls.some(inPackage('timeloop'))).toBe(true)
    const found = FORBIDDEN_FOR_EVALUATE.filter(([, matches]) => urls.some(matches)).map(([name]) => name)
    expect(found).toEqual([])
  }, 150_000)

  it('`--version` loads no stage package', () => {
    const { code, urls } = modulesLoadedBy(['--version'])
    expect(code).toBe(0)
    expect(urls.some((url) => url.endsWith('/src/main.ts'))).toBe(true)
    const stages = urls.filter((url) => /\/packages\/(?!core\/)[^/]+\/(src|dist)\//.test(url))
    expect(stages).toEqual([])
  }, 150_000)
})

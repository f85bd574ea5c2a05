// `snipsnap search …` in-process through main(): the issue-6 JSON shape on the first shared mapper
// case (exhaustive, finds the Sparseloop mapper's optimum), the emitted mapping re-checked with
// `snipsnap evaluate` (same numbers), and bad specs ending with a clear message.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli as run } from '../testing/run-cli'

/** stderr lines other than warnings (reference cases carry estimator attributes the model does not use). */
const errorLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line !== '' && !line.startsWith('snipsnap: warning: '))

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', '..')
const caseDir = resolve(repoRoot, '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const expected = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as { best_energy_pJ: number; best_cycles: number }
const designFiles = ['input.yaml', 'constraints.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => join(caseDir, f))
const tmp = mkdtempSync(join(tmpdir(), 'snipsnap-search-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

interface SearchJson {
  best: { energyPJ: number; cycles: number; mapping: string; formats: unknown[] } | null
  evaluated: number
  valid: number
  elapsedS: number
  pareto: { energyPJ: number; cycles: number; mappingYaml: string }[]
}

describe('snipsnap search', () => {
  let json: SearchJson
  beforeAll(async () => {
    const { code, stdout, stderr } = await run(['search', ...designFiles, '--objective', 'cycles,energy', '--budget-s', '60', '--json'])
    expect(errorLines(stderr)).toEqual([])
    expect(code).toBe(0)
    expect(stdout.trim().split('\n')).toHaveLength(1)
    json = JSON.parse(stdout) as SearchJson
  }, 120_000)

  it('prints one JSON object with the mapper optimum (lexicographic cycles, energy)', () => {
    expect(json.best).not.toBeNull()
    expect(json.best?.cycles).toBe(expected.best_cycles)
    expect(json.best?.energyPJ).toBeCloseTo(expected.best_energy_pJ, -1) // within 10 pJ of 132.6 µJ
    expect(json.evaluated).toBe(860)
    expect(json.valid).toBe(860)
    expect(json.elapsedS).toBeGreaterThan(0)
    expect(json.pareto.length).toBeGreaterThan(0)
    expect(json.best?.formats.length).toBeGreaterThan(0)
  })

  it('--threads 2 (workers load the TypeScript evaluator from sources) gives the --threads 1 result', async () => {
    const { code, stdout, stderr } = await run(['search', ...designFiles, '--objective', 'cycles,energy', '--budget-s', '60', '--threads', '2', '--json'])
    expect(errorLines(stderr)).toEqual([])
    expect(code).toBe(0)
    const threaded = JSON.parse(stdout) as SearchJson
    expect(threaded.best).toEqual(json.best)
    expect(threaded.evaluated).toBe(json.evaluated)
    expect(threaded.valid).toBe(json.valid)
    expect(threaded.pareto).toEqual(json.pareto)
  }, 120_000)

  it('its mapping, fed to `snipsnap evaluate` with the design files, gives the same numbers', async () => {
    const mappingFile = join(tmp, 'found.map.yaml')
    writeFileSync(mappingFile, json.best?.mapping ?? '')
    const { code, stdout } = await run(['evaluate', ...designFiles, mappingFile, '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as { valid: boolean; energyPJ: number; cycles: number }
    expect(report.valid).toBe(true)
    expect(report.cycles).toBe(json.best?.cycles)
    expect(Math.abs(report.energyPJ - (json.best?.energyPJ ?? 0))).toBeLessThan(1e-6 * report.energyPJ)
  })

  it('every Pareto point is re-checkable too and none dominates another', async () => {
    for (const p of json.pareto) {
      for (const q of json.pareto) expect(q !== p && q.energyPJ <= p.energyPJ && q.cycles <= p.cycles && (q.energyPJ < p.energyPJ || q.cycles < p.cycles)).toBe(false)
    }
    const first = json.pareto[0]
    const mappingFile = join(tmp, 'pareto.map.yaml')
    writeFileSync(mappingFile, first?.mappingYaml ?? '')
    const report = JSON.parse((await run(['evaluate', ...designFiles, mappingFile, '--json'])).stdout) as { cycles: number }
    expect(report.cycles).toBe(first?.cycles)
  })
})

describe('snipsnap search: bad specs end with a clear message', () => {
  const variant = (name: string, from: string, to: string): string[] => {
    const text = readFileSync(join(caseDir, 'constraints.yaml'), 'utf8')
    expect(text).toContain(from)
    const file = join(tmp, `${name}.constraints.yaml`)
    writeFileSync(file, text.replace(from, to))
    return [join(caseDir, 'input.yaml'), file, join(caseDir, 'ERT.yaml')]
  }

  it('a zero budget', async () => {
    const { code, stderr, stdout } = await run(['search', ...designFiles, '--budget-s', '0'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/--budget-s.*zero budget/)
  })

  it('contradictory constraints (K can no longer be tiled)', async () => {
    const files = variant('contradictory', 'factors: M=1 N=1 \n', 'factors: M=1 N=1 K=1\n')
    const { code, stderr } = await run(['search', ...files, '--budget-s', '5'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/INVALID_SPEC .*no tiling of K=1024 satisfies the factor constraints/)
  })

  it('no valid mapping (everything forced into SMEM, which overflows)', async () => {
    const files = variant('novalid', 'factors: K=1      # avoid', 'factors: K=1 M=1 N=1 # avoid')
    const { code, stderr } = await run(['search', ...files, '--budget-s', '5'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/no valid mapping found: no mapping passes the mapspace's cheap checks/)
  })

  it('an unknown objective', async () => {
    const { code, stderr } = await run(['search', ...designFiles, '--objective', 'speed'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/objective: unknown objective "speed"/)
  })
})

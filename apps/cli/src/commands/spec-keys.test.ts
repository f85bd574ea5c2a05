// Spec keys through the CLI: a misspelled attribute in a shipped case is an error naming it (it
// used to evaluate with unlimited bandwidth), unused attributes are listed once on stderr and
// the run goes on, --strict makes them errors, `read_bandwidth: 0` is said to be unlimited, and
// a mapper folder (two mapping files) still searches while `evaluate` asks for --mapping.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, SHARED_DIR } from '../testing/run-cli'

const stcCase = join(SHARED_DIR, 'reference', 'sparseloop', 'fig15-STC-M512-K1024-N256-w0.5')
const mapperCase = join(SHARED_DIR, 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5')
const tmp = mkdtempSync(join(tmpdir(), 'snipsnap-keys-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A copy of the STC case with `old` replaced by `replacement` once in input.yaml. */
const variant = (name: string, old: string, replacement: string): string => {
  const dir = join(tmp, name)
  cpSync(stcCase, dir, { recursive: true })
  const file = join(dir, 'input.yaml')
  const text = readFileSync(file, 'utf8')
  const at = text.indexOf(old)
  if (at < 0) throw new Error(`${old} not in input.yaml`)
  writeFileSync(file, text.slice(0, at) + replacement + text.slice(at + old.length))
  return dir
}

describe('spec keys through the CLI', () => {
  it('a misspelled read_bandwidth (correct key removed) is an error naming it, not unlimited bandwidth', async () => {
    const { code, stdout, stderr } = await runCli(['evaluate', variant('misspelled', 'read_bandwidth: 32', 'read_bandwith: 1'), '--json'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/`read_bandwith`: did you mean `read_bandwidth`\?/)
  })

  it('unused attributes are listed once on stderr and the run goes on; --strict makes them errors', async () => {
    const lenient = await runCli(['evaluate', stcCase, '--json'])
    expect(lenient.code).toBe(0)
    const lines = lenient.stderr.split('\n').filter((l) => l !== '')
    // A DRAM's type and a MAC's technology are read by the table estimator (used without an ERT).
    expect(lines).toEqual(['snipsnap: warning: not used by the model (--strict makes these errors): attribute `n_rdwr_ports` (SMEM, RF)'])
    const strict = await runCli(['evaluate', stcCase, '--json', '--strict'])
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(/attribute key `n_rdwr_ports` is not used by the model \(--strict\)/)
  })

  it('read_bandwidth: 0 evaluates as unlimited and says so; a negative one is an error', async () => {
    const zero = await runCli(['evaluate', variant('zero', 'read_bandwidth: 32', 'read_bandwidth: 0'), '--json'])
    expect(zero.code).toBe(0)
    expect(zero.stderr).toMatch(/`read_bandwidth: 0` is read as unlimited bandwidth/)
    const negative = await runCli(['evaluate', variant('negative', 'read_bandwidth: 32', 'read_bandwidth: -1'), '--json'])
    expect(negative.code).toBe(1)
    expect(negative.stderr).toMatch(/a bandwidth cannot be negative, got -1/)
  })

  it('evaluate on the mapper folder (two mapping files) asks which one; --mapping picks it', async () => {
    const ask = await runCli(['evaluate', mapperCase, '--json'])
    expect(ask.code).toBe(1)
    expect(ask.stderr).toMatch(/`mapping` is defined in both .*artifact_offline\.map\.yaml and .*best\.map\.yaml: which mapping should be evaluated\? Choose one with --mapping <file>/)
    const picked = await runCli(['evaluate', mapperCase, '--mapping', join(mapperCase, 'best.map.yaml'), '--json'])
    expect(picked.code).toBe(0)
    const expected = JSON.parse(readFileSync(join(mapperCase, 'expected.json'), 'utf8')) as { best_cycles: number }
    expect((JSON.parse(picked.stdout) as { cycles: number }).cycles).toBe(expected.best_cycles)
  })

  it('search on the mapper folder ignores its mappings and searches', async () => {
    const { code, stdout } = await runCli(['search', mapperCase, '--budget-s', '30', '--json'])
    expect(code).toBe(0)
    expect((JSON.parse(stdout) as { best: unknown }).best).not.toBeNull()
  }, 60_000)

  it('two files defining the problem is an error naming both', async () => {
    const dir = join(tmp, 'two-problems')
    cpSync(stcCase, dir, { recursive: true })
    const input = readFileSync(join(dir, 'input.yaml'), 'utf8')
    const problem = input.slice(input.indexOf('\nproblem:') + 1, input.indexOf('\nsparse_optimizations:') + 1)
    writeFileSync(join(dir, 'problem-copy.yaml'), problem)
    const { code, stderr } = await runCli(['evaluate', dir])
    expect(code).toBe(1)
    expect(stderr).toMatch(/`problem` is defined in both .*input\.yaml and .*problem-copy\.yaml; keep it in one file/)
  })
})

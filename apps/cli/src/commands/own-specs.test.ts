// SnipSnap's own spec files (sweep specs, codesign axes files, explore --spec studies) follow the
// Timeloop readers' rule for keys: a misspelled key is an INVALID_SPEC error naming the
// misspelling and the key it misses (never an "internal error"), and input nested too deeply
// is said to be so (never "Maximum call stack size exceeded").
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../testing/run-cli'

const repo = resolve(import.meta.dirname, '../../../..')
const dir = mkdtempSync(join(tmpdir(), 'snipsnap-own-specs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes `text` to a file of the temporary folder and returns its path. */
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const replaceOnce = (text: string, old: string, replacement: string): string => {
  const parts = text.split(old)
  if (parts.length !== 2) throw new Error(`${JSON.stringify(old)} must occur exactly once`)
  return parts.join(replacement)
}

const SWEEP = readFileSync(join(repo, 'examples', 'sweeps', 'small.yaml'), 'utf8')
const STUDY = readFileSync(join(repo, 'examples', 'studies', 'gemms.yaml'), 'utf8')
const AXES = 'glbKiB: [128, 256]\npeArray: [8x8, 8x16]\n'
// Far deeper than any stack: `[[[…]]]` as a whole document.
const DEEP = `${'['.repeat(200_000)}${']'.repeat(200_000)}\n`

describe('sweep specs', () => {
  it.each([
    ['an axis', '  evaluations: [', '  evaluatons: [', 'evaluatons', 'evaluations'],
    ['a hardware axis', '    glbKiB: [128, 512]', '    glbKB: [128, 512]', 'glbKB', 'glbKiB'],
    ['a top-level key', 'objective: energy', 'objectve: energy', 'objectve', 'objective'],
    ['a format space key', '      primitives: [U, B]', '      primitves: [U, B]', 'primitves', 'primitives'],
  ])('a misspelled %s is an INVALID_SPEC error naming it', async (_what, old, replacement, wrong, meant) => {
    const spec = file(`sweep-${wrong}.yaml`, replaceOnce(SWEEP, old, replacement))
    const { code, stdout, stderr } = await runCli(['sweep', spec, '--out', join(dir, `out-${wrong}`)])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^snipsnap: INVALID_SPEC /)
    expect(stderr).toContain(`\`${wrong}\`: did you mean \`${meant}\`?`)
  })

  it('an unknown YAML tag is refused, not read as a plain string', async () => {
    const spec = file('sweep-tag.yaml', replaceOnce(replaceOnce(SWEEP, 'model: [gpt-2]', 'model: [nope]'), 'objective: energy', 'objective: !fast energy'))
    const { code, stderr } = await runCli(['sweep', spec, '--out', join(dir, 'out-tag')])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^snipsnap: INVALID_SPEC \S*sweep-tag\.yaml:\d+:\d+: Unresolved tag: !fast\n$/)
  })

  it('nested too deeply: said so', async () => {
    const { code, stderr } = await runCli(['sweep', file('deep-sweep.json', DEEP), '--out', join(dir, 'out-deep')])
    expect(code).toBe(1)
    expect(stderr).toMatch(/nested too deeply to read/)
    expect(stderr).not.toMatch(/call stack/i)
  })
})

describe('codesign --axes files', () => {
  it('a misspelled axis is an error naming it', async () => {
    const axes = file('axes.yaml', replaceOnce(AXES, 'peArray:', 'peAray:'))
    const { code, stderr } = await runCli(['codesign', '--model', 'gpt-2', '--axes', axes, '--max-points', '1', '--evaluations', '1'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^snipsnap: INVALID_SPEC /)
    expect(stderr).toContain('`peAray`: did you mean `peArray`?')
  })

  it('an unknown YAML tag is refused, not read as a plain string', async () => {
    const axes = file('axes-tag.yaml', replaceOnce(AXES, 'peArray: [8x8, 8x16]', 'peArray: !shapes [8x8, 8x16]'))
    const { code, stderr } = await runCli(['codesign', '--model', 'nope', '--axes', axes, '--max-points', '1'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^snipsnap: INVALID_SPEC --axes: \S*axes-tag\.yaml:\d+:\d+: Unresolved tag: !shapes\n$/)
  })

  it('nested too deeply: said so', async () => {
    const { code, stderr } = await runCli(['codesign', '--model', 'gpt-2', '--axes', file('deep-axes.json', DEEP), '--max-points', '1'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/nested too deeply to read/)
    expect(stderr).not.toMatch(/call stack/i)
  })
})

describe('explore --spec studies', () => {
  it('a YAML error names the file and line once', async () => {
    const study = file('study-dup.yaml', 'version: 1\nmodel: gpt-2\nmodel: gpt-2\n')
    const { code, stderr } = await runCli(['explore', '--spec', study])
    expect(code).toBe(1)
    expect(stderr).toBe(`snipsnap: PARSE_ERROR ${study}:3:1: Map keys must be unique\n`)
  })

  it('a misspelled key is an error naming it, with its line', async () => {
    const study = file('study-typo.yaml', replaceOnce(STUDY, '  evaluations: 64', '  evaluatons: 64').replaceAll('arch/llm-default', join(repo, 'examples', 'studies', 'arch', 'llm-default')))
    const { code, stderr } = await runCli(['explore', '--spec', study])
    expect(code).toBe(1)
    expect(stderr).toMatch(/study-typo\.yaml:\d+: search: `evaluatons`: did you mean `evaluations`\?/)
  })

  it('nested too deeply: said so', async () => {
    const { code, stderr } = await runCli(['explore', '--spec', file('deep-study.json', DEEP)])
    expect(code).toBe(1)
    expect(stderr).toMatch(/nested too deeply to read/)
    expect(stderr).not.toMatch(/call stack/i)
  })
})

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { codeVersion, fingerprintCode } from './code-version'
import { canonicalJson, expandSweep, jobKey, parseSweepSpec } from './spec'

const base = { version: 1, axes: { model: ['gpt-2'], phase: ['prefill', 'decode'], evaluations: [4] } }

describe('sweep specs', () => {
  it('crosses every axis into jobs with their axis values', () => {
    const sweep = expandSweep({
      ...base,
      axes: { ...base.axes, hardware: { glbKiB: [128, 256], peArray: ['8x8', '8x16'] }, formatSpace: [{}, { name: 'bitmap', primitives: ['B', 'U'] }], seed: [1, 2] },
    })
    expect(sweep.jobs).toHaveLength(2 * 4 * 2 * 2)
    expect(new Set(sweep.jobs.map((j) => j.key)).size).toBe(sweep.jobs.length)
    expect(sweep.jobs[0]?.axes).toEqual({ model: 'gpt-2', phase: 'prefill', sparsity: 'unstructured-50', arch: 'llm-default', glbKiB: 128, peArray: '8x8', formatSpace: 'full', evaluations: 4, seed: 1 })
    const bitmap = sweep.jobs.find((j) => j.axes['formatSpace'] === 'bitmap')
    // Primitives are canonical (engine order), so the written order does not change the key.
    expect(bitmap?.inputs.formatSpace).toEqual({ primitives: ['U', 'B'] })
    expect(sweep.axes.map((a) => [a.name, a.values.length])).toEqual([
      ['model', 1], ['phase', 2], ['sparsity', 1], ['arch', 1], ['glbKiB', 2], ['peArray', 2], ['formatSpace', 2], ['evaluations', 1], ['seed', 2],
    ])
  })

  it('keys a job by its inputs only: same inputs, same key, whatever the spec around them', () => {
    const a = expandSweep(base)
    const b = parseSweepSpec('axes:\n  evaluations: [4]\n  phase: [decode, prefill]\n  model: [gpt-2]\nversion: 1\nname: other\n')
    const keysA = Object.fromEntries(a.jobs.map((j) => [j.inputs.phase, j.key]))
    const keysB = Object.fromEntries(b.jobs.map((j) => [j.inputs.phase, j.key]))
    expect(keysB).toEqual(keysA)
    const job = a.jobs[0]
    expect(job).toBeDefined()
    if (job === undefined) return
    expect(jobKey(job.inputs)).toBe(job.key)
    expect(jobKey({ ...job.inputs, seed: job.inputs.seed + 1 })).not.toBe(job.key)
    expect(jobKey({ ...job.inputs, formatSpace: { primitives: ['U', 'B'] } })).not.toBe(job.key)
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"f":1}]},"b":1}')
  })

  it('keys a job by the code version too: other code, other keys (stored results of older code are not reused)', () => {
    const here = expandSweep(base)
    expect(here.codeVersion).toBe(codeVersion())
    expect(here.codeVersion).toMatch(/^src-[0-9a-f]{16}$/)
    expect(here.jobs.every((j) => j.codeVersion === here.codeVersion)).toBe(true)
    const older = expandSweep(base, { codeVersion: 'src-0000000000000000' })
    expect(older.jobs.map((j) => j.inputs)).toEqual(here.jobs.map((j) => j.inputs))
    for (const [i, job] of older.jobs.entries()) {
      expect(job.key).not.toBe(here.jobs[i]?.key)
      expect(jobKey(job.inputs, 'src-0000000000000000')).toBe(job.key)
    }
  })

  it('makes one job of inputs written twice', () => {
    expect(expandSweep({ ...base, axes: { ...base.axes, seed: [1, 1] } }).jobs).toHaveLength(2)
  })

  it.each([
    [{ version: 2, axes: { model: ['gpt-2'] } }, /version/, ['version']],
    [{ version: 1, axes: { model: [] } }, /at least one value/, ['axes', 'model']],
    [{ version: 1, axes: { model: ['gpt-9'] } }, /unknown model "gpt-9"/, ['axes', 'model', 0]],
    [{ version: 1, axes: { model: ['gpt-2'], sparsity: [['unstructured-50', 'nope']] } }, /unknown sparsity preset "nope"/, ['axes', 'sparsity', 0]],
    [{ version: 1, axes: { model: ['gpt-2'], arch: ['tpu'] } }, /unknown architecture preset "tpu"/, ['axes', 'arch', 0]],
    [{ version: 1, axes: { model: ['gpt-2'], formatSpace: [{ primitives: ['B'] }] } }, /needs the U primitive/, ['axes', 'formatSpace', 0, 'primitives']],
    [{ version: 1, axes: { model: ['gpt-2'], formatSpace: [{ primitives: ['U', 'ZZ'] }] } }, /"ZZ" is not one of/, ['axes', 'formatSpace', 0, 'primitives', 1]],
    [{ version: 1, axes: { model: ['gpt-2'], formatSpace: [{ name: 'x' }, { name: 'x', flatten: false }] } }, /name "x" is used twice/, ['axes', 'formatSpace', 1, 'name']],
    [{ version: 1, axes: { model: ['gpt-2'], hardware: { glbKiB: [0] } } }, /glbKiB/, ['axes', 'hardware', 'glbKiB', 0]],
    [{ version: 1, axes: { model: ['gpt-2'], colour: ['red'] } }, /colour/, ['axes']],
    [{ version: 1, axes: { model: ['gpt-2'], seed: [-1] } }, /seed/, ['axes', 'seed', 0]],
  ])('refuses a bad spec with an error naming the field (%#)', (spec, message, path) => {
    expect(() => expandSweep(spec)).toThrow(expect.objectContaining({ code: 'INVALID_SPEC', message: expect.stringMatching(message), path }))
  })

  it('refuses text that is not a mapping', () => {
    expect(() => parseSweepSpec('- a\n- b\n', 'x.yaml')).toThrow(/x.yaml: a sweep spec is a mapping/)
    expect(() => parseSweepSpec('a: [b\n', 'x.yaml')).toThrow(/x.yaml: not YAML or JSON/)
  })
})

describe('examples/sweeps/small.yaml', () => {
  it('is a valid spec of at least 12 jobs', async () => {
    const { readFileSync } = await import('node:fs')
    const text = readFileSync(new URL('../../../examples/sweeps/small.yaml', import.meta.url), 'utf8')
    const sweep = parseSweepSpec(text, 'small.yaml')
    expect(sweep.jobs.length).toBeGreaterThanOrEqual(12)
    expect(sweep.axes.find((a) => a.name === 'formatSpace')?.values).toEqual(['full', 'bitmap', 'coordinate'])
  })
})

describe('code version', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sweep-code-version-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))
  const write = (file: string, text: string): void => {
    mkdirSync(join(tmp, file, '..'), { recursive: true })
    writeFileSync(join(tmp, file), text)
  }
  // A package `own` whose jobs use @snipsnap/explorer, which uses @snipsnap/cost.
  write('own/package.json', JSON.stringify({ name: '@snipsnap/sweep', version: '1.0.0' }))
  write('own/src/job.ts', 'export const job = 1\n')
  write('node_modules/@snipsnap/explorer/package.json', JSON.stringify({ name: '@snipsnap/explorer', version: '1.0.0', dependencies: { '@snipsnap/cost': '1.0.0', other: '1' } }))
  write('node_modules/@snipsnap/explorer/src/index.ts', 'export const explore = 1\n')
  write('node_modules/@snipsnap/cost/package.json', JSON.stringify({ name: '@snipsnap/cost', version: '1.0.0' }))
  write('node_modules/@snipsnap/cost/src/model.ts', 'export const energyPJ = 2\n')
  write('node_modules/@snipsnap/cost/dist/index.js', 'export const energyPJ = 2\n')
  const fingerprint = (): string => fingerprintCode(join(tmp, 'own', 'package.json'), 'src')

  it('changes with the code of any package a job uses (the cost model of a dependency of the explorer too), and with a version', () => {
    const first = fingerprint()
    expect(first).toMatch(/^[0-9a-f]{16}$/)
    expect(fingerprint()).toBe(first)
    write('node_modules/@snipsnap/cost/src/model.ts', 'export const energyPJ = 3\n')
    const costChanged = fingerprint()
    expect(costChanged).not.toBe(first)
    write('own/src/job.ts', 'export const job = 2\n')
    const ownChanged = fingerprint()
    expect(ownChanged).not.toBe(costChanged)
    write('node_modules/@snipsnap/explorer/package.json', JSON.stringify({ name: '@snipsnap/explorer', version: '1.1.0', dependencies: { '@snipsnap/cost': '1.0.0' } }))
    expect(fingerprint()).not.toBe(ownChanged)
  })

  it('ignores tests and line endings, and fingerprints built code separately from sources', () => {
    const before = fingerprint()
    write('node_modules/@snipsnap/cost/src/model.test.ts', 'it("x", () => {})\n')
    expect(fingerprint()).toBe(before)
    write('own/src/job.ts', 'export const job = 2\r\n')
    expect(fingerprint()).toBe(before)
    const built = fingerprintCode(join(tmp, 'own', 'package.json'), 'dist')
    write('node_modules/@snipsnap/cost/dist/index.js', 'export const energyPJ = 4\n')
    expect(fingerprintCode(join(tmp, 'own', 'package.json'), 'dist')).not.toBe(built)
    expect(fingerprint()).toBe(before)
  })
})

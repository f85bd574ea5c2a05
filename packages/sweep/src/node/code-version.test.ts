import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseSweepSpec } from '../spec'
import { codeVersion, fingerprintCode } from './code-version'

describe('examples/sweeps/small.yaml', () => {
  it('is a valid spec of at least 12 jobs', async () => {
    const text = readFileSync(new URL('../../../../examples/sweeps/small.yaml', import.meta.url), 'utf8')
    const sweep = parseSweepSpec(text, 'small.yaml', { codeVersion: codeVersion() })
    expect(sweep.jobs.length).toBeGreaterThanOrEqual(12)
    expect(sweep.axes.find((a) => a.name === 'formatSpace')?.values).toEqual(['full', 'bitmap', 'coordinate'])
  })
})

describe('code version', () => {
  it('is what the running code keys its jobs with', () => {
    expect(codeVersion()).toMatch(/^src-[0-9a-f]{16}$/)
    expect(codeVersion()).toBe(codeVersion())
  })

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

import { describe, expect, it } from 'vitest'
import { canonicalJson, expandSweep, jobKey, parseSweepSpec } from './spec'

const base = { version: 1, axes: { model: ['gpt-2'], phase: ['prefill', 'decode'], evaluations: [4] } }
// On Node the running code's version (`@snipsnap/sweep/node`); any string here.
const options = { codeVersion: 'src-1111111111111111' }

describe('sweep specs', () => {
  it('crosses every axis into jobs with their axis values', () => {
    const sweep = expandSweep(
      {
        ...base,
        axes: { ...base.axes, hardware: { glbKiB: [128, 256], peArray: ['8x8', '8x16'] }, formatSpace: [{}, { name: 'bitmap', primitives: ['B', 'U'] }], seed: [1, 2] },
      },
      options,
    )
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
    const a = expandSweep(base, options)
    const b = parseSweepSpec('axes:\n  evaluations: [4]\n  phase: [decode, prefill]\n  model: [gpt-2]\nversion: 1\nname: other\n', 'other.yaml', options)
    const keysA = Object.fromEntries(a.jobs.map((j) => [j.inputs.phase, j.key]))
    const keysB = Object.fromEntries(b.jobs.map((j) => [j.inputs.phase, j.key]))
    expect(keysB).toEqual(keysA)
    const job = a.jobs[0]
    expect(job).toBeDefined()
    if (job === undefined) return
    expect(jobKey(job.inputs, options.codeVersion)).toBe(job.key)
    expect(job.key).toMatch(/^[0-9a-f]{20}$/)
    expect(jobKey({ ...job.inputs, seed: job.inputs.seed + 1 }, options.codeVersion)).not.toBe(job.key)
    expect(jobKey({ ...job.inputs, formatSpace: { primitives: ['U', 'B'] } }, options.codeVersion)).not.toBe(job.key)
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"f":1}]},"b":1}')
  })

  it('keys a job by the code version too: other code, other keys (stored results of older code are not reused)', () => {
    const here = expandSweep(base, options)
    expect(here.codeVersion).toBe(options.codeVersion)
    expect(here.jobs.every((j) => j.codeVersion === here.codeVersion)).toBe(true)
    const older = expandSweep(base, { codeVersion: 'src-0000000000000000' })
    expect(older.jobs.map((j) => j.inputs)).toEqual(here.jobs.map((j) => j.inputs))
    for (const [i, job] of older.jobs.entries()) {
      expect(job.key).not.toBe(here.jobs[i]?.key)
      expect(jobKey(job.inputs, 'src-0000000000000000')).toBe(job.key)
    }
  })

  it('makes one job of inputs written twice', () => {
    expect(expandSweep({ ...base, axes: { ...base.axes, seed: [1, 1] } }, options).jobs).toHaveLength(2)
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
    expect(() => expandSweep(spec, options)).toThrow(expect.objectContaining({ code: 'INVALID_SPEC', message: expect.stringMatching(message), path }))
  })

  it('refuses text that is not a mapping', () => {
    expect(() => parseSweepSpec('- a\n- b\n', 'x.yaml', options)).toThrow(/x.yaml: a sweep spec is a mapping/)
    expect(() => parseSweepSpec('a: [b\n', 'x.yaml', options)).toThrow(/^x\.yaml:2:1: /)
  })
})

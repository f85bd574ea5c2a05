import { describe, expect, it } from 'vitest'
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

// Job keys are stored with results (`<key>.json`, queue job ids), so the platform-neutral key
// (SHA-256 from @noble/hashes) must equal the key made before with node:crypto, byte for byte.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { JOB_KEY_VERSION, canonicalJson, jobKey, parseSweepSpec, type JobInputs } from '../index'
import { codeVersion } from './index'

/** The key as @snipsnap/sweep computed it with node:crypto until the neutral split. */
const nodeCryptoJobKey = (inputs: JobInputs, version: string): string =>
  createHash('sha256')
    .update(canonicalJson({ keyVersion: JOB_KEY_VERSION, codeVersion: version, ...inputs }))
    .digest('hex')
    .slice(0, 20)

const arbInputs: fc.Arbitrary<JobInputs> = fc.record(
  {
    model: fc.string({ unit: 'binary' }),
    phase: fc.constantFrom('prefill' as const, 'decode' as const),
    sparsity: fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 3 }),
    arch: fc.string(),
    hardware: fc.option(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true })))),
    formatSpace: fc.option(fc.record({ primitives: fc.array(fc.string(), { maxLength: 4 }), flatten: fc.boolean() }, { requiredKeys: [] })),
    objective: fc.string(),
    evaluations: fc.nat(),
    seed: fc.nat(),
    seqLen: fc.integer({ min: 1 }),
    batch: fc.integer({ min: 1 }),
  },
  { requiredKeys: ['model', 'phase', 'sparsity', 'arch', 'hardware', 'formatSpace', 'objective', 'evaluations', 'seed'] },
) as fc.Arbitrary<JobInputs>

describe('job keys', () => {
  // Any text, lone surrogates and astral characters included: both hash the UTF-8 bytes.
  test.prop([arbInputs, fc.string({ unit: 'binary' })])('equal the node:crypto keys on random inputs and code versions', (inputs, version) => {
    expect(jobKey(inputs, version)).toBe(nodeCryptoJobKey(inputs, version))
  })

  test.prop([fc.string({ unit: 'binary', maxLength: 300 })])('the SHA-256 behind them equals node:crypto on random text', (text) => {
    const viaKey = jobKey({} as JobInputs, text)
    expect(viaKey).toBe(nodeCryptoJobKey({} as JobInputs, text))
  })

  it("keeps every key of examples/sweeps/small.yaml under this code's version", () => {
    const text = readFileSync(new URL('../../../../examples/sweeps/small.yaml', import.meta.url), 'utf8')
    const sweep = parseSweepSpec(text, 'small.yaml', { codeVersion: codeVersion() })
    expect(sweep.jobs.length).toBeGreaterThan(0)
    for (const job of sweep.jobs) expect(job.key).toBe(nodeCryptoJobKey(job.inputs, codeVersion()))
  })

  it('keeps keys computed by the code before the split (main at cb36c5c, node:crypto)', () => {
    // Printed by `jobKey(inputs, version)` of packages/sweep/src/spec.ts at commit cb36c5c.
    const inputs = {
      model: 'llama-2-7b', phase: 'decode', sparsity: ['unstructured-50', 'nm-2-4'], arch: 'stc-like', hardware: { glbKiB: 256, peArray: '8x16' },
      formatSpace: { primitives: ['U', 'B'], flatten: false }, objective: 'energy,cycles', evaluations: 16, seed: 3, seqLen: 128, batch: 2,
    } as JobInputs
    expect(jobKey(inputs, 'src-0123456789abcdef')).toBe('953576b6935c516e093f')
    expect(jobKey({ ...inputs, model: 'gpt-2 ✓ é' }, 'dist-ffffffffffffffff')).toBe('7581d0c79d441b04b063')
  })
})

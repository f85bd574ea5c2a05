// The `NMX` plug-in, registered once, is a format primitive like the built-ins: it passes the
// format package's conformance suite, round-trips a real 2:4-pruned tensor of stories260K through
// the codec at 3 index bits per group of 4, and joins the compression engine's space through the
// registry (`optimizeModelFormats`), where it beats every fixed format on 2:4 weights.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { optimizeModelFormats } from '@snipsnap/explorer'
import { bindFormat, createFormatRegistry, decodeTensor, encodeTensor } from '@snipsnap/format'
import { describeFormatConformance, nmFiberSampler } from '@snipsnap/format/testing'
import { pruneNM, readTensors } from '@snipsnap/workloads'
import plugin, { binomial, codeBits, nmxPrimitive, rankSubset, unrankSubset } from './index'

describeFormatConformance(nmxPrimitive, { options: { n: 2, m: 4 }, sample: nmFiberSampler(2, 4) })
describeFormatConformance(nmxPrimitive, { options: { n: 4, m: 8 }, sample: nmFiberSampler(4, 8) })
describeFormatConformance(nmxPrimitive, { options: { n: 1, m: 3 }, sample: nmFiberSampler(1, 3) })

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..')
const checkpoint = resolve(repoRoot, '..', 'shared', 'data', 'stories260K.bin')

describe('NMX enumerative N:M index', () => {
  it('is a plug-in bundle with one format primitive', () => {
    expect(plugin.formats?.map((p) => p.symbol)).toEqual(['NMX'])
  })

  it('codes each n-subset of m positions once, in ⌈log2 C(m, n)⌉ bits (3 for 2:4, 7 for 4:8)', () => {
    expect([codeBits(4, 2), codeBits(8, 4), codeBits(4, 4)]).toEqual([3, 7, 0])
    for (const [n, m] of [[2, 4], [4, 8], [3, 7]] as const) {
      const seen = new Set<string>()
      for (let code = 0; code < binomial(m, n); code++) {
        const positions = unrankSubset(code, n, m)
        expect(positions.every((p, i) => p >= 0 && p < m && (i === 0 || p > (positions[i - 1] as number)))).toBe(true)
        expect(rankSubset(positions)).toBe(code)
        seen.add(positions.join(','))
      }
      expect(seen.size).toBe(binomial(m, n))
    }
  })

  it('round-trips a 2:4-pruned stories260K weight through the codec, with 3/4 of the index bits of NM and of a bitmap', async () => {
    const tensors = await readTensors(new Uint8Array(readFileSync(checkpoint)), { fileName: 'stories260K.bin' })
    const weight = tensors.find((t) => t.shape.length === 2 && (t.shape[1] ?? 0) % 4 === 0 && t.data.length >= 4096)
    if (weight === undefined) throw new Error('no 2-D weight in stories260K.bin')
    const pruned = pruneNM(weight, { n: 2, m: 4 })
    const registry = createFormatRegistry([nmxPrimitive])
    const sizes: Record<string, number> = {}
    for (const pattern of ['U(M)-NMX(K)[n=2,m=4]', 'U(M)-NM(K)[n=2,m=4]', 'U(M)-B(K)']) {
      const format = bindFormat({ pattern, shape: weight.shape, registry })
      const result = encodeTensor({ format, tensor: { shape: weight.shape, data: pruned.data } })
      if (!result.ok) throw new Error(result.reason)
      const decoded = decodeTensor({ format, encoded: result.encoded })
      expect(Array.from(decoded.data)).toEqual(Array.from(pruned.data))
      sizes[pattern] = result.encoded.sizes.metadataBits
    }
    const groups = weight.data.length / 4
    expect(sizes['U(M)-NMX(K)[n=2,m=4]']).toBe(3 * groups)
    expect(sizes['U(M)-NM(K)[n=2,m=4]']).toBe(4 * groups)
    expect(sizes['U(M)-B(K)']).toBe(4 * groups)
    // A group with three non-zeros cannot be held: a value, not a crash.
    const format = bindFormat({ pattern: 'NMX(K)[n=2,m=4]', shape: [4], registry })
    expect(encodeTensor({ format, tensor: { shape: [4], data: Float32Array.of(1, 1, 1, 0) } })).toEqual({
      ok: false,
      reason: 'rank 1 (NMX): group at 0 holds 3 non-zeros, more than n = 2',
    })
  })

  it('joins the compression engine through the registry and beats every fixed format on 2:4 weights', () => {
    const formats = createFormatRegistry([nmxPrimitive])
    const quick = { samples: 6, mutations: 6 }
    const withNmx = optimizeModelFormats({ model: 'stories-260k', sparsity: 'nm-2-4', phase: 'decode', kvLen: 32, mappingSearch: quick, formats })
    const without = optimizeModelFormats({ model: 'stories-260k', sparsity: 'nm-2-4', phase: 'decode', kvLen: 32, mappingSearch: quick })
    expect(withNmx.formatSpace.primitives).toContain('NMX')
    expect(without.formatSpace.primitives).not.toContain('NMX')
    const chosen = withNmx.layers.flatMap((l) => l.choices).filter((c) => c.format.includes('NMX('))
    expect(chosen.length).toBeGreaterThan(0)
    for (const c of chosen) expect(c.format).toMatch(/-NMX\(K\d*\)\[m=4,n=2\]$/)
    // The fixed baselines are the same formats with or without the plug-in; only the engine gains.
    expect(withNmx.summary.baselines).toEqual(without.summary.baselines)
    expect(withNmx.summary.savingVsBestFixedPct as number).toBeGreaterThan(0)
    expect(withNmx.summary.memoryEnergyPJ).toBeLessThan(without.summary.memoryEnergyPJ)
  })
})

/// <reference types="node" />
// Sparsity presets: which operands each preset makes sparse in prefill/decode, the resolved
// per-layer patterns (causal density, token blocks, N:M params), validation of custom presets,
// and the measured-data path on a real pruned stories260K matrix.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { errorOf } from '@snipsnap/core/testing'
import {
  applySparsity,
  buildWorkload,
  defineSparsityPreset,
  gemmToProblem,
  getSparsityPreset,
  listSparsityPresets,
  measuredDensity,
  measuredWeightSparsity,
  pruneMagnitude,
  pruneNM,
  readTensors,
  type SparsityPreset,
} from '@snipsnap/workloads'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data')

describe('preset catalogue', () => {
  it('has the ids other tools use, each with a source', () => {
    expect(listSparsityPresets()).toEqual(
      expect.arrayContaining(['dense', 'unstructured-50', 'nm-2-4', 'nm-4-8', 'activation-50', 'activation-90', 'activation-40', 'cats-50', 'unstructured-90']),
    )
    for (const id of listSparsityPresets()) expect(getSparsityPreset(id).source.length).toBeGreaterThan(5)
  })

  it('unknown preset → PLUGIN_NOT_FOUND listing the known ids', () => {
    const error = errorOf(() => getSparsityPreset('unstructured-55'))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('nm-2-4')
  })
})

describe('applySparsity', () => {
  const densities = (model: string, phase: 'prefill' | 'decode', preset: string | string[]) => {
    const workload = buildWorkload({ model, phase, seqLen: 256, kvLen: 256 })
    const sparsity = applySparsity(workload, preset)
    return Object.fromEntries(sparsity.map((s) => [s.layer, s.densities]))
  }

  it('dense leaves every operand dense', () => {
    for (const entry of Object.values(densities('llama-2-7b', 'prefill', 'dense'))) expect(entry).toEqual({})
  })

  it('unstructured-50 makes every weight (incl. the LM head) hypergeometric 0.5 and nothing else', () => {
    const d = densities('llama-2-7b', 'decode', 'unstructured-50')
    expect(d['attn.q_proj']).toEqual({ B: { distribution: 'hypergeometric', density: 0.5, params: {} } })
    expect(d['lm_head']?.B?.density).toBe(0.5)
    expect(d['attn.qk']).toEqual({})
  })

  it('nm-2-4 carries n, m and rank 0 (K of B[K][N])', () => {
    expect(densities('opt-6.7b', 'prefill', 'nm-2-4')['ffn.fc1']?.B).toEqual({ distribution: 'n-m', density: 0.5, params: { n: 2, m: 4, rank: 0 } })
  })

  it('activation-90 sparsifies only the ReLU intermediate entering fc2', () => {
    const d = densities('opt-6.7b', 'decode', 'activation-90')
    expect(d['ffn.fc2']?.A?.density).toBeCloseTo(0.1, 12)
    expect(d['ffn.fc1']).toEqual({})
  })

  it('activation-50 (TEAL) covers every block linear input but not the LM head or attention', () => {
    const d = densities('llama-2-7b', 'prefill', 'activation-50')
    for (const name of ['attn.q_proj', 'attn.k_proj', 'attn.v_proj', 'attn.o_proj', 'ffn.gate_proj', 'ffn.up_proj', 'ffn.down_proj']) {
      expect(d[name]?.A?.density).toBe(0.5)
    }
    expect(d['lm_head']).toEqual({})
    expect(d['attn.pv']).toEqual({})
  })

  it('presets combine: weights from one, activations from the other', () => {
    const d = densities('llama-2-7b', 'decode', ['nm-2-4', 'activation-50'])
    expect(d['ffn.down_proj']?.A?.density).toBe(0.5)
    expect(d['ffn.down_proj']?.B?.distribution).toBe('n-m')
  })

  it('attention-causal: prefill scores (L+1)/(2L) on QK^T output and PV input, decode untouched', () => {
    const prefill = densities('llama-2-7b', 'prefill', 'attention-causal')
    expect(prefill['attn.qk']?.Z?.density).toBe(257 / 512)
    expect(prefill['attn.pv']?.A?.density).toBe(257 / 512)
    for (const entry of Object.values(densities('llama-2-7b', 'decode', 'attention-causal'))) expect(entry).toEqual({})
  })

  it('kv-20: decode K^T / V / P keep whole tokens (blocks with extent 1 on the token axis)', () => {
    const d = densities('llama-2-70b', 'decode', 'kv-20')
    expect(d['attn.qk']?.B).toEqual({ distribution: 'block', density: 0.2, params: { blockShape: [128, 1] } })
    expect(d['attn.pv']?.B?.params).toEqual({ blockShape: [1, 128] })
    expect(d['attn.pv']?.A?.params).toEqual({ blockShape: [8, 1] })
    expect(d['attn.q_proj']).toEqual({})
  })

  it('feeds gemmToProblem', () => {
    const workload = buildWorkload({ model: 'opt-6.7b', phase: 'decode' })
    const sparsity = applySparsity(workload, 'unstructured-50')
    const problems = workload.layers.map((layer, i) => gemmToProblem(layer, sparsity[i]?.densities))
    expect(problems.find((p) => p.name === 'ffn.fc1')?.densities['B']?.density).toBe(0.5)
  })
})

describe('custom presets are validated at the edge', () => {
  const base: SparsityPreset = {
    id: 'my-preset',
    description: 'x',
    source: 'y',
    rules: [{ roles: ['weight'], phases: ['decode'], distribution: 'hypergeometric', density: 0.3 }],
  }

  it('accepts a valid preset', () => {
    const workload = buildWorkload({ model: 'opt-125m', phase: 'decode' })
    expect(applySparsity(workload, defineSparsityPreset(base))[0]?.densities.B?.density).toBe(0.3)
  })

  it.each([
    [{ ...base, rules: [{ ...base.rules[0], density: 1.2 }] }, 'preset.rules.0.density'],
    [{ ...base, rules: [{ ...base.rules[0], density: -0.1 }] }, 'preset.rules.0.density'],
    [{ ...base, rules: [{ ...base.rules[0], distribution: 'n-m', params: { n: 1.5, m: 4 } }] }, 'preset.rules.0.params.n'],
    [{ ...base, rules: [{ ...base.rules[0], distribution: 'n-m', params: { n: -1, m: 4 } }] }, 'preset.rules.0.params.n'],
    [{ ...base, rules: [{ ...base.rules[0], distribution: 'block', params: { blockShape: [4, 0] } }] }, 'preset.rules.0.params.blockShape.1'],
  ] as const)('INVALID_SPEC at the bad field (%#)', (preset, field) => {
    const error = errorOf(() => defineSparsityPreset(preset as SparsityPreset))
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.path.join('.')).toBe(field)
  })
})

describe('measured data from a real tensor', async () => {
  const tensors = await readTensors(new Uint8Array(readFileSync(path.join(dataDir, 'stories260K.bin'))), {
    fileName: 'stories260K.bin',
  })
  const wk = tensors.find((t) => t.name === 'layers.0.wk')
  if (wk === undefined) throw new Error('layers.0.wk missing')

  it('gives an actual-data spec with the exact density, shape and mask', () => {
    const pruned = pruneMagnitude(wk, { sparsity: 0.5 })
    const spec = measuredDensity(pruned)
    expect(spec.distribution).toBe('actual-data')
    expect(spec.density).toBe(0.5)
    expect(spec.params['shape']).toEqual([32, 64])
    const mask = spec.params['mask'] as number[]
    expect(mask).toHaveLength(2048)
    expect(mask.reduce((a, b) => a + b, 0)).toBe(1024)
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec) // JSON-serialisable
  })

  it('transposes [out, in] into the GEMM weight B[K][N]', () => {
    const pruned = pruneNM(wk, { n: 2, m: 4 })
    const spec = measuredDensity(pruned, { layout: 'transpose' })
    expect(spec.params['shape']).toEqual([64, 32])
    const mask = spec.params['mask'] as number[]
    // Entry (out=3, in=5) of the stored matrix is B[5][3].
    expect(mask[5 * 32 + 3]).toBe(pruned.data[3 * 64 + 5] === 0 ? 0 : 1)
    // 2:4 along the stored rows becomes 2:4 down each column of B, i.e. along K.
    for (let n = 0; n < 32; n++) for (let k = 0; k < 64; k += 4) {
      expect((mask[k * 32 + n] ?? 0) + (mask[(k + 1) * 32 + n] ?? 0) + (mask[(k + 2) * 32 + n] ?? 0) + (mask[(k + 3) * 32 + n] ?? 0)).toBe(2)
    }
  })

  it('feeds the real mask into a GEMM ProblemSpec (prune → measure → problem)', () => {
    const spec = measuredDensity(pruneMagnitude(wk, { sparsity: 0.5 }), { layout: 'transpose' })
    const problem = gemmToProblem({ name: 'layers.0.wk', M: 1, K: 64, N: 32 }, { B: spec })
    expect(problem.bounds).toEqual({ M: 1, K: 64, N: 32 })
    expect(problem.densities['B']?.params['shape']).toEqual([problem.bounds['K'], problem.bounds['N']])
  })

  it('measuredWeightSparsity maps every weight GEMM of stories-260k to its real pruned mask', () => {
    const pruned = tensors.map((t) => (t.shape.length === 2 && !t.name.startsWith('freq') ? pruneMagnitude(t, { sparsity: 0.5 }) : t))
    const workload = buildWorkload({ model: 'stories-260k', phase: 'decode', kvLen: 512 })
    const sparsity = measuredWeightSparsity(workload, { tensors: pruned, layerIndex: 2 })
    const byName = Object.fromEntries(sparsity.map((s) => [s.layer, s.densities]))
    for (const name of ['attn.q_proj', 'attn.k_proj', 'attn.v_proj', 'attn.o_proj', 'ffn.gate_proj', 'ffn.up_proj', 'ffn.down_proj', 'lm_head']) {
      const layer = workload.layers.find((l) => l.name === name)
      expect(byName[name]?.B?.distribution).toBe('actual-data')
      expect(byName[name]?.B?.density).toBe(0.5)
      expect(byName[name]?.B?.params['shape']).toEqual([layer?.K, layer?.N])
    }
    expect(byName['attn.qk']).toEqual({})
    // A model whose shapes differ from the tensors is refused, naming the tensor.
    const error = errorOf(() => measuredWeightSparsity(buildWorkload({ model: 'opt-125m', phase: 'decode' }), { tensors: pruned, names: { 'attn.q_proj': 'wq' } }))
    expect([error.code, error.path.join('.')]).toEqual(['INVALID_SPEC', 'tensors.layers.0.wq'])
  })
})

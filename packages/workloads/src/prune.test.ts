/// <reference types="node" />
// Pruning tests: the real stories260K matrices against stories260K.prune50.json (same method:
// one threshold per matrix, keep |w| > k-th smallest |w|), N:M invariants and input checks.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { isSnipSnapError } from '@snipsnap/core'
import { densityOf, maskOf, pruneMagnitude, pruneNM, readTensors, sparsityStats } from '@snipsnap/workloads'
import { arbDenseTensor } from '@snipsnap/workloads/testing'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data')

interface PruneFacts {
  readonly name: string
  readonly shape: number[]
  readonly threshold: number
  readonly nnz: number
  readonly row_nnz_min: number
  readonly row_nnz_max: number
  readonly row_nnz_cv: number
  readonly col_nnz_cv: number
}

describe('50% magnitude pruning of stories260K reproduces stories260K.prune50.json', async () => {
  const facts = (JSON.parse(readFileSync(path.join(dataDir, 'stories260K.prune50.json'), 'utf8')) as { matrices: PruneFacts[] })
    .matrices
  const tensors = await readTensors(new Uint8Array(readFileSync(path.join(dataDir, 'stories260K.bin'))), {
    fileName: 'stories260K.bin',
  })

  it('covers the 36 matrices', () => expect(facts).toHaveLength(36))

  it.each(facts.map((f) => [f.name, f] as const))('%s', (name, expected) => {
    const tensor = tensors.find((t) => t.name === name)
    expect(tensor?.shape).toEqual(expected.shape)
    if (tensor === undefined) return
    const pruned = pruneMagnitude(tensor, { sparsity: 0.5 })
    const stats = sparsityStats(pruned)
    // Counts are exact; CVs are recomputed from the counts, so 1e-9 relative covers float summation order.
    expect(stats.nnz).toBe(expected.nnz)
    expect(stats.rowNnzMin).toBe(expected.row_nnz_min)
    expect(stats.rowNnzMax).toBe(expected.row_nnz_max)
    expect(stats.rowNnzCv).toBeCloseTo(expected.row_nnz_cv, 9)
    expect(stats.colNnzCv).toBeCloseTo(expected.col_nnz_cv, 9)
    // The smallest kept magnitude lies just above the recorded float32 threshold.
    const kept = [...pruned.data].filter((v) => v !== 0).map(Math.abs)
    expect(Math.min(...kept)).toBeGreaterThan(Math.fround(expected.threshold))
    expect(densityOf(pruned)).toBe(0.5)
  })
})

describe('sparsityStats', () => {
  it('handles 200k rows (no argument-spread stack overflow)', () => {
    const data = Float32Array.from({ length: 400_000 }, (_, i) => (i % 3 === 0 ? 0 : 1))
    const stats = sparsityStats({ name: 'tall', shape: [200_000, 2], data })
    expect([stats.rows, stats.rowNnzMin, stats.rowNnzMax]).toEqual([200_000, 1, 2])
  })
})

describe('pruneMagnitude', () => {
  it('row scope keeps floor(n/2) per row', () => {
    const tensor = { name: 't', shape: [2, 4], data: Float32Array.from([1, -4, 3, 2, 8, 7, -6, 5]) }
    const pruned = pruneMagnitude(tensor, { sparsity: 0.5, scope: 'row' })
    expect([...pruned.data]).toEqual([0, -4, 3, 0, 8, 7, 0, 0])
    expect([...tensor.data]).toEqual([1, -4, 3, 2, 8, 7, -6, 5]) // input untouched
  })

  test.prop([arbDenseTensor(), fc.double({ min: 0, max: 1, noNaN: true })])(
    'achieves at least the requested sparsity and only zeroes entries',
    (tensor, sparsity) => {
      const pruned = pruneMagnitude(tensor, { sparsity })
      const zeros = pruned.data.filter((v) => v === 0).length
      expect(zeros).toBeGreaterThanOrEqual(Math.floor(tensor.data.length * sparsity - 1e-9))
      for (let i = 0; i < tensor.data.length; i++) {
        if (pruned.data[i] !== 0) expect(pruned.data[i]).toBe(tensor.data[i])
      }
    },
  )

  test.prop([arbDenseTensor(), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('tensor' as const, 'row' as const)])(
    'matches a sort-based reference (threshold = k-th smallest |w|, keep |w| > threshold)',
    (tensor, sparsity, scope) => {
      const rowLength = scope === 'row' ? (tensor.shape[tensor.shape.length - 1] ?? 1) : tensor.data.length
      const expected = Float32Array.from(tensor.data)
      for (let start = 0; start < expected.length; start += rowLength) {
        const slice = [...tensor.data.subarray(start, start + rowLength)]
        const exact = slice.length * sparsity
        const k = Math.abs(exact - Math.round(exact)) < 1e-9 * Math.max(1, slice.length) ? Math.round(exact) : Math.floor(exact)
        if (k === 0) continue
        const threshold = slice.map(Math.abs).sort((a, b) => a - b)[k - 1] ?? 0
        for (let i = start; i < start + slice.length; i++) if (!(Math.abs(expected[i] ?? 0) > threshold)) expected[i] = 0
      }
      expect([...pruneMagnitude(tensor, { sparsity, scope }).data]).toEqual([...expected])
    },
  )

  it.each([-0.1, 1.5, Number.NaN])('rejects sparsity %s as INVALID_SPEC naming the field', (sparsity) => {
    try {
      pruneMagnitude({ name: 't', shape: [1], data: Float32Array.from([1]) }, { sparsity })
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.code).toBe('INVALID_SPEC')
      expect(isSnipSnapError(error) && error.path).toEqual(['prune', 'sparsity'])
    }
  })
})

describe('pruneNM', () => {
  test.prop([arbDenseTensor(), fc.integer({ min: 1, max: 8 }).chain((m) => fc.tuple(fc.integer({ min: 0, max: m }), fc.constant(m)))])(
    'no group of m consecutive innermost elements keeps more than n, and kept values are the largest',
    (tensor, [n, m]) => {
      const pruned = pruneNM(tensor, { n, m })
      const extent = tensor.shape[tensor.shape.length - 1] ?? 1
      for (let row = 0; row < tensor.data.length / extent; row++) {
        for (let first = 0; first < extent; first += m) {
          const idx = Array.from({ length: Math.min(m, extent - first) }, (_, i) => row * extent + first + i)
          const kept = idx.filter((i) => pruned.data[i] !== 0)
          expect(kept.length).toBeLessThanOrEqual(n)
          const minKept = Math.min(...kept.map((i) => Math.abs(tensor.data[i] ?? 0)))
          const dropped = idx.filter((i) => pruned.data[i] === 0 && tensor.data[i] !== 0)
          for (const i of dropped) expect(Math.abs(tensor.data[i] ?? 0)).toBeLessThanOrEqual(minKept)
        }
      }
    },
  )

  it('ties go to the lower index', () => {
    expect([...pruneNM({ name: 't', shape: [1, 4], data: Float32Array.from([1, -1, 1, 1]) }, { n: 2, m: 4 }).data]).toEqual([1, -1, 0, 0])
  })

  it('2:4 on a real matrix gives density 0.5 exactly and respects the axis option', async () => {
    const tensors = await readTensors(new Uint8Array(readFileSync(path.join(dataDir, 'stories260K.bin'))), {
      fileName: 'stories260K.bin',
    })
    const w1 = tensors.find((t) => t.name === 'layers.0.w1')
    if (w1 === undefined) throw new Error('layers.0.w1 missing')
    expect(densityOf(pruneNM(w1, { n: 2, m: 4 }))).toBe(0.5)
    // Along axis 0 (172 rows = 43 groups of 4): every column group of 4 rows keeps 2.
    const columnwise = pruneNM(w1, { n: 2, m: 4, axis: 0 })
    expect(densityOf(columnwise)).toBe(0.5)
    const mask = maskOf(columnwise)
    for (let c = 0; c < 64; c++) {
      for (let r = 0; r < 172; r += 4) {
        expect((mask[r * 64 + c] ?? 0) + (mask[(r + 1) * 64 + c] ?? 0) + (mask[(r + 2) * 64 + c] ?? 0) + (mask[(r + 3) * 64 + c] ?? 0)).toBe(2)
      }
    }
  })

  it.each([
    [{ n: 3, m: 2 }, 'n'],
    [{ n: 1.5, m: 4 }, 'n'],
    [{ n: 2, m: 0 }, 'm'],
    [{ n: 2, m: 4, axis: 3 }, 'axis'],
  ] as const)('rejects %o naming %s', (options, field) => {
    try {
      pruneNM({ name: 't', shape: [2, 4], data: new Float32Array(8) }, options)
      expect.unreachable()
    } catch (error) {
      expect(isSnipSnapError(error) && error.code).toBe('INVALID_SPEC')
      expect(isSnipSnapError(error) && error.path.join('.')).toContain(field)
    }
  })
})

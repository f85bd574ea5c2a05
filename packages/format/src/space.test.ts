import { primeFactors } from '@snipsnap/core'
import { describe, expect, it } from 'vitest'
import {
  bindFormat,
  countFormatSpace,
  createFormatRegistry,
  enumerateFormatSpace,
  formatCompPat,
  formatSpaceSizes,
} from '@snipsnap/format'

const registry = createFormatRegistry()

/** Brute-force ordered factorisations into k factors ≥ 2. */
const bruteFactorizations = (n: number, k: number): number => {
  if (k === 1) return n >= 2 ? 1 : 0
  let count = 0
  for (let d = 2; d <= n; d++) if (n % d === 0) count += bruteFactorizations(n / d, k - 1)
  return count
}

describe('format space', () => {
  it.each([
    [[12, 8], 3],
    [[6, 10], 2],
    [[30], 3],
    [[4, 1, 6], 3],
    [[2, 3, 4], 3],
  ])('enumerates exactly the counted, pairwise distinct, bindable formats for %j up to depth %i', (shape, depth) => {
    const count = countFormatSpace({ shape, depth })
    const seen = new Set<string>()
    for (const pattern of enumerateFormatSpace({ shape, depth })) {
      const format = bindFormat({ pattern, shape, registry })
      expect(format.ranks.every((rank) => rank.fiberSize >= 2)).toBe(true)
      seen.add(format.text)
    }
    expect(seen.size).toBe(count.total)
    expect(count.total).toBe(count.byRanks.reduce((a, r) => a + r.formats, 0))
  })

  it('removes equivalent formats: adjacent U ranks, innermost UOP, size-1 ranks', () => {
    const texts = [...enumerateFormatSpace({ shape: [4, 4], depth: 3 })].map(formatCompPat)
    expect(texts).toContain('U(M,K)')
    expect(texts).toContain('UOP(M)-CP(K)')
    expect(texts).not.toContain('U(M)-U(K)')
    expect(texts.some((t) => /UOP\([^)]*\)$/.test(t))).toBe(false)
    expect(texts.some((t) => /:1[,)]/.test(t))).toBe(false)
    // Sparseloop's ordering rule by default; 'any' admits compressed-above-uncompressed (blocked CSR).
    expect(texts).not.toContain('CP(M)-U(K)')
    const any = [...enumerateFormatSpace({ shape: [4, 4], depth: 2, orderRule: 'any' })].map(formatCompPat)
    expect(any).toContain('CP(M)-U(K)')
  })

  it('counts allocations with the closed form (cross-checked by brute force)', () => {
    // One rank: one allocation (everything flattened). Two ranks of a 1-D tensor: ordered pairs of factors ≥ 2.
    for (const n of [64, 4096, 11008, 13824]) {
      expect(countFormatSpace({ shape: [n], depth: 2 }).byRanks[1]?.allocations).toBe(bruteFactorizations(n, 2))
      expect(countFormatSpace({ shape: [n], depth: 3 }).byRanks[2]?.allocations).toBe(bruteFactorizations(n, 3))
    }
    expect(primeFactors(11008)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 43])
  })

  it('sizes the LLaMA-2-7B weight shapes', () => {
    const rows = formatSpaceSizes({ maxDepth: 3 })
    expect(rows.map((r) => r.shape)).toEqual([[4096, 4096], [4096, 4096], [4096, 4096], [4096, 11008], [4096, 11008], [4096, 11008]])
    for (const row of rows) expect(row.total).toBeGreaterThan(0)
    // Deeper spaces contain the shallower ones.
    expect(rows[2]?.total).toBeGreaterThan(rows[1]?.total ?? 0)
    expect(rows[5]?.total).toBeGreaterThan(rows[2]?.total ?? 0)
  })

  it('streams lazily: the first formats of a 75-million-format space come without materialising it', () => {
    const stream = enumerateFormatSpace({ shape: [4096, 11008], depth: 4 })
    const first: string[] = []
    for (const pattern of stream) {
      first.push(formatCompPat(pattern))
      if (first.length === 1000) break
    }
    expect(first).toHaveLength(1000)
    expect(new Set(first).size).toBe(1000)
    expect(first[0]).toBe('U(M,K)')
  })

  it('rejects bad shapes and depths', () => {
    expect(() => countFormatSpace({ shape: [4096, Number.NaN], depth: 2 })).toThrow(/positive integer/)
    expect(() => countFormatSpace({ shape: [4096], depth: 0 })).toThrow(/depth/)
  })
})

import { describe, expect, it } from 'vitest'
import {
  BASELINES,
  baselineGroups,
  bindSlotFormat,
  boundSpecText,
  deriveTensorChains,
  enumerateGroupFormats,
  formatText,
  resolveEnginePrimitives,
  specToGroups,
  toTensorFormatSpec,
  type FormatSlot,
} from '@snipsnap/compress'
import { fig1Design } from './internal/fig1-fixture'

const slot = (dims: [string, number][], own = dims.length): FormatSlot => ({
  level: 'L', levelIndex: 0, tensor: 'T', ownRanks: own, childLevel: null, parentLevel: null,
  ranks: dims.map(([dim, fiberShape]) => ({ dim, fiberShape, mappedAt: 'L', spatial: false })),
  tileElements: dims.reduce((p, [, s]) => p * s, 1),
})
const compressed = new Set(['CP', 'B', 'RLE'])
// Sparseloop's six rank formats (core's table) with the engine's word-width rule.
const vocabulary = resolveEnginePrimitives(undefined, [], undefined)
const PRIMITIVES = vocabulary.alphabet

describe('enumerateGroupFormats', () => {
  it('obeys the compressed-inner rule and skips equivalent formats', () => {
    const s = slot([['M', 8], ['K', 16], ['K', 4]])
    const all = [...enumerateGroupFormats(s, [3], { primitives: PRIMITIVES, flatten: false, vocabulary })]
    for (const f of all) {
      const firstCompressed = f.findIndex((g) => compressed.has(g.prim))
      if (firstCompressed >= 0) expect(f.slice(firstCompressed).every((g) => compressed.has(g.prim))).toBe(true)
      expect(f.every((g) => g.prim === 'U')).toBe(false)
      expect(f.at(-1)!.prim).not.toBe('UOP')
    }
    // (g+1)·3^g sequences, minus all-U (1) and those ending in UOP after an uncompressed prefix (3^(g-1)).
    expect(all.length).toBe(4 * 27 - 1 - 9)
    expect(new Set(all.map((f) => JSON.stringify(f))).size).toBe(all.length)
  })

  it('flattens a segment only when the absorbing rule binds it unambiguously', () => {
    // K after the M,K segment would be absorbed by a [M, K] rule: no flattening there.
    const ambiguous = slot([['M', 8], ['K', 16], ['K', 4]], 2)
    expect([...enumerateGroupFormats(ambiguous, [2, 1], { primitives: ['CP'], flatten: true, vocabulary })].every((f) => f.length === 3)).toBe(true)
    const clean = slot([['M', 8], ['K', 16], ['N', 4]], 2)
    const sizes = [...enumerateGroupFormats(clean, [2, 1], { primitives: ['CP'], flatten: true, vocabulary })].map((f) => f.map((g) => g.size).join(''))
    expect(sizes).toEqual(['111', '21'])
  })
})

describe('baselines', () => {
  it('maps each fixed format onto a slot as documented', () => {
    const s = slot([['M', 128], ['K', 128]], 1)
    const text = (name: (typeof BASELINES)[number]) => formatText(s, baselineGroups(name, s, [1, 1]))
    expect(text('uncompressed')).toBe('uncompressed')
    expect(text('bitmap')).toBe('U(M)-B(K)')
    expect(text('csr')).toBe('UOP(M)-CP(K)')
    expect(text('coo')).toBe('CP(M)-CP(K)')
    expect(text('rle')).toBe('U(M)-RLE(K)')
    const flat = slot([['M', 128], ['K', 128]], 2)
    expect(formatText(flat, baselineGroups('coo', flat, [2]))).toBe('CP(M,K)')
  })

  it('states word widths: ⌈log2 S⌉ coordinates, 1-bit masks, offsets sized to the sub-tile, no innermost payload', () => {
    const s = slot([['M', 128], ['K', 128]], 2)
    const coo = toTensorFormatSpec(s, baselineGroups('coo', s, [2])!, vocabulary)!
    expect(coo.ranks).toEqual([{ format: 'CP', metadataWordBits: 14, payloadWordBits: 0, flattenedRankIds: [['M', 'K']] }])
    const csr = toTensorFormatSpec(s, baselineGroups('csr', s, [1, 1])!, vocabulary)!
    expect(csr.ranks[0]).toMatchObject({ format: 'UOP', payloadWordBits: 15 })
    expect(csr.ranks[1]).toMatchObject({ format: 'CP', metadataWordBits: 7, payloadWordBits: 0 })
    const bitmap = toTensorFormatSpec(s, baselineGroups('bitmap', s, [1, 1])!, vocabulary)!
    expect(bitmap.ranks[0]).toMatchObject({ format: 'UOP', payloadWordBits: 0 })
    expect(bitmap.ranks[1]).toMatchObject({ format: 'B', metadataWordBits: 1 })
  })
})

describe('bindSlotFormat', () => {
  it("binds Fig.1's inner-to-outer formats with a surplus dummy rank", () => {
    const d = fig1Design()
    const chains = deriveTensorChains({ arch: d.arch, problem: d.problem, mapping: d.mapping! })
    const b = chains.find((c) => c.tensor === 'B')!.slots[0]!
    const spec = {
      tensor: 'B', rankApplicationOrder: 'inner-to-outer' as const,
      ranks: [
        { format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null },
        { format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null },
        { format: 'B', metadataWordBits: null, payloadWordBits: null, flattenedRankIds: null },
      ],
    }
    const bound = bindSlotFormat(b, spec)
    expect(bound.ok && bound.ranks.map((r) => [r.format, r.end - r.start])).toEqual([['UOP', 0], ['UOP', 1], ['B', 1]])
    expect(specToGroups(b, spec, vocabulary)).toEqual([{ prim: 'U', size: 1 }, { prim: 'B', size: 1 }])
    expect(boundSpecText(b, spec)).toBe('U(1)-U(N)-B(K)')
    // Default outer-to-inner order on one loop: the B rank becomes a dummy.
    const buffer = chains.find((c) => c.tensor === 'B')!.slots[1]!
    expect(boundSpecText(buffer, { ...spec, rankApplicationOrder: 'outer-to-inner', ranks: spec.ranks.slice(1) })).toBe('U(K)-B(1)')
  })

  it('reports leftover loops as an error value', () => {
    const s = slot([['M', 8], ['K', 16]])
    const bound = bindSlotFormat(s, { tensor: 'T', rankApplicationOrder: 'outer-to-inner', ranks: [{ format: 'B', metadataWordBits: 1, payloadWordBits: 0, flattenedRankIds: null }] })
    expect(bound.ok).toBe(false)
  })

  it('round-trips every candidate through the core spec', () => {
    const s = slot([['M', 8], ['K', 16], ['N', 4]], 2)
    for (const f of enumerateGroupFormats(s, [2, 1], { primitives: PRIMITIVES, flatten: true, vocabulary })) {
      const spec = toTensorFormatSpec(s, f, vocabulary)!
      expect(specToGroups(s, spec, vocabulary)).toEqual(f.map((g, q) => (q === f.length - 1 && g.prim === 'UOP' ? g : g)))
    }
  })
})

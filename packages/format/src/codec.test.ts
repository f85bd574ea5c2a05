import { createRng, SnipSnapError } from '@snipsnap/core'
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bindFormat,
  createFormatRegistry,
  decodeTensor,
  encodeTensor,
  FORMAT_PRESETS,
  presetText,
  type BoundFormat,
  type EncodedTensor,
} from '@snipsnap/format'
import { arbCompPat, arbDenseTensor } from '@snipsnap/format/testing'

const registry = createFormatRegistry()

const encodeOk = (format: BoundFormat, tensor: Parameters<typeof encodeTensor>[0]['tensor']): EncodedTensor => {
  const result = encodeTensor({ format, tensor })
  if (!result.ok) throw new Error(result.reason)
  return result.encoded
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): void => {
  expect(a.length).toBe(b.length)
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(a[i] === 0 && b[i] === 0)) expect(a[i]).toBe(b[i])
}

/** A 2:4-structured tensor: exactly two non-zeros in every group of four along K. */
const nmTensor = (rows: number, cols: number, seed: number, n = 2, m = 4): Float32Array => {
  const rng = createRng(seed)
  const data = new Float32Array(rows * cols)
  for (let i = 0; i < rows; i++) {
    for (let g = 0; g < cols; g += m) {
      const picked = new Set<number>()
      while (picked.size < n) picked.add(rng.int(m))
      for (const o of picked) data[i * cols + g + o] = 1 + rng.int(7)
    }
  }
  return data
}

describe('exact codec', () => {
  it('encodes a worked CSR example to the hand-computed bits', () => {
    // [[1, 0, 2, 0], [0, 0, 0, 3]] in UOP(M)-CP(K):
    // UOP: offsets [0, 2, 3], ⌈log2(2·4 + 1)⌉ = 4 bits each → 12 bits; CP: coordinates [0, 2, 3] at 2 bits → 6 bits.
    const format = bindFormat({ pattern: 'UOP(M)-CP(K)', shape: [2, 4], registry })
    const encoded = encodeOk(format, { shape: [2, 4], data: Float32Array.of(1, 0, 2, 0, 0, 0, 0, 3) })
    expect(encoded.sizes.ranks.map((r) => [r.metadataBits, r.payloadBits])).toEqual([
      [0, 12],
      [6, 0],
    ])
    expect(encoded.sizes).toMatchObject({ metadataBits: 6, payloadBits: 12, dataBits: 96, totalBits: 114, storedValues: 3, denseBits: 256 })
    expect(Array.from(encoded.values)).toEqual([1, 2, 3])
    // Packed streams: 2-bit coordinates 0, 2, 3 → 0b11_10_00; 4-bit offsets 0, 2, 3 → 0x320.
    expect(Array.from(encoded.ranks[1]?.metadata.data ?? [])).toEqual([0b111000])
    expect(Array.from(encoded.ranks[0]?.payload.data ?? [])).toEqual([0x320])
    sameBits(decodeTensor({ format, encoded }).data, Float32Array.of(1, 0, 2, 0, 0, 0, 0, 3))
  })

  it('charges padding entries for runs longer than the RLE word', () => {
    // One non-zero at position 9 of a 10-element fiber, 2-bit runs (marker 3): 3 + 3 + 3 + 0 → 4 words.
    const format = bindFormat({ pattern: 'RLE(K)[mb=2]', shape: [10], registry })
    const data = new Float64Array(10)
    data[9] = 5
    const encoded = encodeOk(format, { shape: [10], data })
    expect(encoded.sizes.ranks[0]?.metadataWords).toBe(4)
    expect(encoded.sizes.metadataBits).toBe(8)
    sameBits(decodeTensor({ format, encoded }).data, data)
  })

  test.prop([
    arbDenseTensor({ maxOrder: 3, maxDim: 12 }).chain((tensor) =>
      fc.tuple(fc.constant(tensor), arbCompPat({ shape: tensor.shape, maxRanks: 4 })),
    ),
  ])('decode(encode(x)) = x for random patterns, shapes and densities (empty and full included)', ([tensor, pattern]) => {
    const format = bindFormat({ pattern, shape: tensor.shape, registry })
    const encoded = encodeOk(format, tensor)
    sameBits(decodeTensor({ format, encoded }).data, tensor.data)
    const { sizes } = encoded
    expect(sizes.totalBits).toBe(sizes.metadataBits + sizes.payloadBits + sizes.dataBits)
    for (const [r, rank] of encoded.ranks.entries()) {
      expect(sizes.ranks[r]?.metadataBits).toBe(rank.metadata.count * rank.metadata.wordBits)
      expect(rank.metadata.data.length).toBe(Math.ceil((rank.metadata.count * rank.metadata.wordBits) / 32))
    }
  })

  test.prop([
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer(),
    fc.constantFrom(
      (_cols: number) => 'U(M)-NM(K)[m=4,n=2]',
      (_cols: number) => 'B(M)-NM(K)[m=4,n=2]',
      (cols: number) => `CP(M)-UOP(K:${cols / 8})-NM(K:8)[m=4,n=2]`,
      (cols: number) => `UOP(M,K:${cols / 4})-NM(K:4)[m=4,n=2]`,
    ),
  ])('round-trips N:M tensors through NM ranks', (rows, groups, seed, pattern) => {
    const cols = groups * 8
    const data = nmTensor(rows, cols, seed)
    const format = bindFormat({ pattern: pattern(cols), shape: [rows, cols], registry })
    const encoded = encodeOk(format, { shape: [rows, cols], data })
    sameBits(decodeTensor({ format, encoded }).data, data)
  })

  test.prop([arbDenseTensor({ maxOrder: 2, maxDim: 10 }).chain((t) => fc.tuple(fc.constant(t), arbCompPat({ shape: t.shape })))])(
    'gives the same encoding for COO input as for dense input',
    ([tensor, pattern]) => {
      const format = bindFormat({ pattern, shape: tensor.shape, registry })
      const indices: number[][] = tensor.shape.map(() => [])
      const values: number[] = []
      // Shuffled COO order: the codec sorts.
      const order = Array.from(tensor.data.keys()).reverse()
      for (const flat of order) {
        let rest = flat
        const coord: number[] = []
        for (let d = tensor.shape.length - 1; d >= 0; d--) {
          coord[d] = rest % (tensor.shape[d] as number)
          rest = Math.floor(rest / (tensor.shape[d] as number))
        }
        if (tensor.data[flat] !== 0) {
          coord.forEach((c, d) => indices[d]?.push(c))
          values.push(tensor.data[flat] as number)
        }
      }
      const fromCoo = encodeOk(format, { shape: tensor.shape, indices, values: Float32Array.from(values) })
      const fromDense = encodeOk(format, tensor)
      expect(fromCoo.sizes).toEqual(fromDense.sizes)
      sameBits(decodeTensor({ format, encoded: fromCoo }).data, tensor.data)
    },
  )

  it('round-trips every preset on a real-looking matrix', () => {
    const shape = [16, 128]
    const data = nmTensor(16, 128, 7)
    for (const preset of FORMAT_PRESETS.filter((p) => p.orders.includes(2))) {
      const format = bindFormat({ pattern: presetText(preset.id, shape), shape, registry })
      const encoded = encodeOk(format, { shape, data })
      sameBits(decodeTensor({ format, encoded }).data, data)
    }
    const csf = bindFormat({ pattern: presetText('csf', [4, 5, 6]), shape: [4, 5, 6], registry })
    const cube = new Float32Array(120).map((_, i) => (i % 7 === 0 ? i : 0))
    sameBits(decodeTensor({ format: csf, encoded: encodeOk(csf, { shape: [4, 5, 6], data: cube }) }).data, cube)
  })

  it('reports formats that cannot hold a tensor as values', () => {
    const dense = Float32Array.of(1, 1, 1, 0)
    const nm = bindFormat({ pattern: 'NM(K)[n=2,m=4]', shape: [4], registry })
    expect(encodeTensor({ format: nm, tensor: { shape: [4], data: dense } })).toEqual({
      ok: false,
      reason: 'rank 1 (NM): group at 0 holds 3 non-zeros, more than n = 2',
    })
    const narrow = bindFormat({ pattern: 'CP(K)[mb=1]', shape: [4], registry })
    const result = encodeTensor({ format: narrow, tensor: { shape: [4], data: Float32Array.of(0, 0, 0, 1) } })
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.reason).toContain('metadata word 3 does not fit in 1 bits')
    const offsets = bindFormat({ pattern: 'UOP(M)[pb=1]-CP(K)', shape: [2, 2], registry })
    expect(encodeTensor({ format: offsets, tensor: { shape: [2, 2], data: Float32Array.of(1, 1, 1, 1) } }).ok).toBe(false)
  })

  it('rejects mismatched tensors and corrupt streams with SnipSnapErrors', () => {
    const format = bindFormat({ pattern: 'UOP(M)-CP(K)', shape: [2, 4], registry })
    expect(() => encodeTensor({ format, tensor: { shape: [4, 2], data: new Float32Array(8) } })).toThrow(SnipSnapError)
    expect(() => encodeTensor({ format, tensor: { shape: [2, 4], data: new Float32Array(7) } })).toThrow(/holds 7 values/)
    expect(() => encodeTensor({ format, tensor: { shape: [2, 4], indices: [[0], [9]], values: [1] } })).toThrow(/out of range/)
    expect(() => encodeTensor({ format, tensor: { shape: [2, 4], indices: [[0, 0], [1, 1]], values: [1, 2] } })).toThrow(/duplicate/)
    const encoded = encodeOk(format, { shape: [2, 4], data: Float32Array.of(1, 0, 2, 0, 0, 0, 0, 3) })
    const rank1 = encoded.ranks[1]
    if (rank1 === undefined) throw new Error('missing rank')
    const broken: EncodedTensor = { ...encoded, ranks: [encoded.ranks[0] as EncodedTensor['ranks'][number], { ...rank1, metadata: { ...rank1.metadata, data: Uint32Array.of(0b000010) } }] }
    expect(() => decodeTensor({ format, encoded: broken })).toThrow(/out of order or range/)
    const other = bindFormat({ pattern: 'B(M,K)', shape: [2, 4], registry })
    expect(() => decodeTensor({ format: other, encoded })).toThrow(/encoded as UOP\(M\)-CP\(K\)/)
  })
})

import { errorOf } from '@snipsnap/core/testing'
import { describe, expect, it } from 'vitest'
import { bindFormat, createFormatRegistry } from '@snipsnap/format'

const registry = createFormatRegistry()
describe('bindFormat (dimension allocation)', () => {
  it('resolves implicit parts, flattening and default word widths', () => {
    const format = bindFormat({ pattern: 'B(K:64)-CP(K:64)-U(M)', shape: [100, 4096], registry })
    expect(format.ranks.map((r) => r.fiberSize)).toEqual([64, 64, 100])
    expect(format.ranks.map((r) => r.wordBits)).toEqual([
      { metadataBits: 1, payloadBits: 13 }, // offsets ≤ 64·64 child entries
      { metadataBits: 6, payloadBits: 19 }, // ⌈log2 64⌉-bit coordinates; offsets ≤ 64·64·100 child entries
      { metadataBits: 0, payloadBits: 0 },
    ])
    const csr = bindFormat({ pattern: 'UOP(M)-CP(K)', shape: [4096, 11008], registry })
    expect(csr.ranks.map((r) => r.wordBits)).toEqual([
      { metadataBits: 0, payloadBits: 26 }, // ⌈log2(4096·11008 + 1)⌉
      { metadataBits: 14, payloadBits: 0 }, // ⌈log2 11008⌉; the innermost rank has no payload
    ])
    expect(bindFormat({ pattern: 'CP(M,K)', shape: [128, 128], registry }).ranks[0]?.wordBits.metadataBits).toBe(14)
  })

  it('applies word-width overrides and primitive parameters', () => {
    const format = bindFormat({ pattern: 'UOP(M)[pb=32]-RLE(K)[mb=4]', shape: [8, 8], registry })
    expect(format.ranks[0]?.wordBits.payloadBits).toBe(32)
    expect(format.ranks[1]?.wordBits.metadataBits).toBe(4)
    expect(bindFormat({ pattern: 'U(M)-NM(K)[n=2,m=4]', shape: [8, 8], registry }).ranks[1]?.options).toEqual({ n: 2, m: 4 })
  })

  it('normalises primitive spelling in the canonical text', () => {
    expect(bindFormat({ pattern: 'uop(M)-cp(K)', shape: [4, 4], registry }).text).toBe('UOP(M)-CP(K)')
    expect(bindFormat({ pattern: 'None(M)-B(K)', shape: [4, 4], registry }).text).toBe('U(M)-B(K)')
  })

  it('lets size-1 dimensions be omitted', () => {
    expect(bindFormat({ pattern: 'CP(K)', shape: [1, 16], registry }).ranks[0]?.fiberSize).toBe(16)
  })

  const cases: [string, readonly number[], string, (string | number)[]][] = [
    ['UOP(M:3)-CP(K)', [8, 8], 'parts of M multiply to 3, not M = 8', ['pattern', 'ranks']],
    ['UOP(M:3)-CP(K)-U(M)', [8, 8], 'does not divide M = 8', ['pattern', 'ranks']],
    ['UOP(M)-CP(M)', [8, 8], 'more than one part without a size', ['pattern', 'ranks']],
    ['UOP(M)', [8, 8], 'K (size 8) is not covered', ['pattern', 'ranks']],
    ['UOP(M)-CP(X)', [8, 8], 'unknown dimension "X"', ['pattern', 'ranks', 1, 'parts', 0, 'dim']],
    ['UOP(M)-XYZ(K)', [8, 8], 'unknown primitive "XYZ"', ['pattern', 'ranks', 1, 'primitive']],
    ['U(M)-CP(K)', [8, 8], 'needs offsets from rank 1', ['pattern', 'ranks', 1, 'primitive']],
    ['UOP(M)[pb=0]-RLE(K)', [8, 8], 'with pb=0 stores none', ['pattern', 'ranks', 1, 'primitive']],
    ['U(M)-NM(K)[n=2]', [8, 8], 'needs option m', ['pattern', 'ranks', 1, 'options', 'm']],
    ['U(M)-NM(K)[n=2,m=3]', [8, 8], 'not a multiple of m = 3', ['pattern', 'ranks', 1]],
    ['U(M)-B(K)[mb=0]', [8, 8], 'mb must be at least 1', ['pattern', 'ranks', 1, 'options', 'mb']],
    ['U(M)-B(K)[zz=1]', [8, 8], 'has no option "zz"', ['pattern', 'ranks', 1, 'options', 'zz']],
    ['U(M)-B(K)[mb=99]', [8, 8], 'mb must be an integer number of bits', ['pattern', 'ranks', 1, 'options', 'mb']],
    ['UOP(M)-CP(K,K:2)', [8, 8], 'holds dimension K twice', ['pattern', 'ranks', 1, 'parts', 1]],
  ]
  it.each(cases)('rejects %s on %j', (pattern, shape, message, path) => {
    const error = errorOf(() => bindFormat({ pattern, shape, registry }))
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.message).toContain(message)
    expect(error.path.slice(0, path.length)).toEqual(path)
  })

  it.each([[[Number.NaN, 4]], [[-4, 4]], [[4.5, 4]], [[0, 4]], [[]]])('rejects the shape %j', (shape) => {
    const error = errorOf(() => bindFormat({ pattern: 'UOP(M)-CP(K)', shape, registry }))
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.path[0]).toBe('shape')
  })

  it('reports schema problems of the object form with a path', () => {
    const error = errorOf(() =>
      bindFormat({ pattern: { ranks: [{ primitive: 'CP', parts: [{ dim: 'K', size: 0 }] }] }, shape: [4], registry }),
    )
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.path).toEqual(['pattern', 'ranks', 0, 'parts', 0, 'size'])
  })
})

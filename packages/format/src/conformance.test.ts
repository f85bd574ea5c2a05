// Every built-in primitive, and a user-defined one written against @snipsnap/core alone, passes the
// same conformance suite.
import { createRng, defineFormatPrimitive } from '@snipsnap/core'
import { bitmask, coordinatePayload, createFormatRegistry, nOfM, runLength, uncompressed, uncompressedBitmask, uncompressedOffsetPairs } from '@snipsnap/format'
import { describeFormatConformance, nmFiberSampler, sampleFiber } from '@snipsnap/format/testing'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'

for (const primitive of [uncompressed, uncompressedOffsetPairs, coordinatePayload, bitmask, runLength, uncompressedBitmask]) {
  describeFormatConformance(primitive)
}
describeFormatConformance(runLength, { wordBits: { metadataBits: 2 } })
describeFormatConformance(runLength, { wordBits: { metadataBits: 1 } })

describeFormatConformance(nOfM, { options: { n: 2, m: 4 }, sample: nmFiberSampler(2, 4) })
describeFormatConformance(nOfM, { options: { n: 4, m: 8 }, sample: nmFiberSampler(4, 8) })

/** A third-party-style primitive: a "first-K" rank that keeps a fixed prefix of every fiber dense. */
const denseDelta = defineFormatPrimitive({
  id: 'delta-cp',
  symbol: 'DCP',
  description: 'Delta-coded coordinates (gap to the previous non-zero), delimited by the parent',
  compressed: true,
  payload: 'per-slot',
  delimited: 'by-parent',
  exactUnits: true,
  defaultWordBits: ({ fiberSize, maxOffset }) => ({
    metadataBits: Math.max(1, Math.ceil(Math.log2(fiberSize))),
    payloadBits: Math.max(1, Math.ceil(Math.log2(maxOffset + 1))),
  }),
  encode: (fiber, _context, sink) => {
    let previous = -1
    for (let i = 0; i < fiber.coords.length; i++) {
      const c = fiber.coords[i] as number
      sink.metadata(c - previous - 1)
      sink.slot(c)
      previous = c
    }
    return undefined
  },
  decode: (source, context, sink) => {
    let position = -1
    for (let i = 0; i < (source.wordCount ?? 0); i++) {
      position += source.readMetadata() + 1
      if (!(position < context.fiberSize)) return 'gap leads past the fiber end'
      sink.slot(position)
    }
    return undefined
  },
  metadataUnits: (stats) => stats.occupiedCoords,
  slotUnits: (stats) => stats.occupiedCoords,
})
describeFormatConformance(denseDelta)

describe('registry', () => {
  it('registers user-defined primitives explicitly and refuses duplicates', () => {
    const registry = createFormatRegistry([denseDelta])
    expect(registry.get('delta-cp').symbol).toBe('DCP')
    expect(registry.list().map((p) => p.symbol)).toEqual(['U', 'UOP', 'CP', 'B', 'RLE', 'UB', 'NM', 'DCP'])
    expect(() => createFormatRegistry([coordinatePayload])).toThrow(/already registered/)
    expect(createRng(1).int(2)).toBeLessThan(2)
  })
})

describe('nmFiberSampler', () => {
  test.prop([fc.integer(), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 64 }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'keeps the first n non-zeros of every group of m from sampleFiber\'s fiber',
    (seed, n, m, size, density) => {
      const fiber = nmFiberSampler(n, m)(createRng(seed), size, density)
      const raw = sampleFiber(createRng(seed), size, density)
      expect(fiber.size).toBe(size)
      for (let g = 0; g * m < size; g++) {
        const inGroup = (c: number) => Math.floor(c / m) === g
        expect(Array.from(fiber.coords).filter(inGroup)).toEqual(Array.from(raw.coords).filter(inGroup).slice(0, n))
      }
    },
  )
})

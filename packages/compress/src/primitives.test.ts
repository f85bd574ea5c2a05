import { describe, expect, it } from 'vitest'
import { selectFormats } from '@snipsnap/compress'
import { createTrafficCostModel, gemmDesign } from '@snipsnap/compress/testing'
import { bitsFor, defineFormatPrimitive, SnipSnapError } from '@snipsnap/core'
import { createFormatRegistry, runLength } from '@snipsnap/format'
import { toQuery, valid } from './internal/test-helpers'

const costModel = createTrafficCostModel()
const design = () =>
  gemmDesign({ M: 64, N: 64, K: 64, densityA: 0.1, densityB: 0.5, factors: { DRAM: { M: 8, N: 8 }, GLB: { M: 8, K: 4 }, PE: { N: 8, K: 16 } } })

describe('candidates from @snipsnap/format primitives', () => {
  it("the format package's built-ins give the engine's own choice: same primitives, same word widths", () => {
    const own = valid(selectFormats({ query: toQuery(design()), costModel }))
    const fromFormat = valid(selectFormats({ query: toQuery(design()), costModel, formatPrimitives: createFormatRegistry().list() }))
    const { notes: ownNotes, ...ownRest } = own
    const { notes: formatNotes, ...formatRest } = fromFormat
    expect(formatRest).toEqual(ownRest)
    // N:M is in the space, but this design has no N:M-structured tensor, so it is placed nowhere.
    expect(formatNotes.filter((n) => !ownNotes.includes(n))).toEqual([])
  })

  it("takes word widths from the primitives: an 8-bit-run RLE changes every RLE rank's metadata width", () => {
    const wideRuns = defineFormatPrimitive({ ...runLength, defaultWordBits: ({ maxOffset }) => ({ metadataBits: 8, payloadBits: bitsFor(maxOffset) }) })
    const primitives = createFormatRegistry().list().map((p) => (p.symbol === 'RLE' ? wideRuns : p))
    const r = valid(selectFormats({ query: toQuery(design()), costModel, formatPrimitives: primitives }, { primitives: ['U', 'RLE'], baselines: ['uncompressed', 'rle'] }))
    const ranks = r.sparseOptimizations.targets.flatMap((t) => t.formats.flatMap((f) => f.ranks))
    const rle = ranks.filter((rank) => rank.format === 'RLE')
    expect(rle.length).toBeGreaterThan(0)
    for (const rank of rle) expect(rank.metadataWordBits).toBe(8)
    for (const rank of ranks) expect(rank.format === 'RLE' || (rank.format === 'UOP' && rank.payloadWordBits === 0)).toBe(true)
    const withoutUOP = () =>
      selectFormats({ query: toQuery(design()), costModel, formatPrimitives: primitives.filter((p) => p.symbol !== 'UOP') }, { primitives: ['U', 'UOP', 'B'], baselines: ['uncompressed', 'bitmap', 'rle'] })
    expect(withoutUOP).toThrow(/unknown rank format "UOP"; registered: U, CP, B, RLE, UB, NM/)
  })

  it('names a primitive set the engine cannot use', () => {
    const list = createFormatRegistry().list()
    const bad = (formatPrimitives: unknown, path: readonly (string | number)[], message: RegExp): void => {
      try {
        selectFormats({ query: toQuery(design()), costModel, formatPrimitives: formatPrimitives as never })
        expect.unreachable()
      } catch (e) {
        expect(e).toBeInstanceOf(SnipSnapError)
        expect((e as SnipSnapError).path).toEqual(path)
        expect((e as SnipSnapError).message).toMatch(message)
      }
    }
    bad(list.filter((p) => p.symbol !== 'U'), ['formatPrimitives'], /no U primitive/)
    bad(list.filter((p) => p.symbol !== 'B'), ['formatPrimitives'], /baseline "bitmap" needs primitive\(s\) B/)
    bad([...list, list[0]], ['formatPrimitives', list.length, 'symbol'], /second primitive with symbol U/)
    bad([42], ['formatPrimitives', 0], /not a format primitive/)
  })
})

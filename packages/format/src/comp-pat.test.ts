import { SnipSnapError } from '@snipsnap/core'
import { test } from '@fast-check/vitest'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CompPatSchema, formatCompPat, parseCompPat, type CompPat } from '@snipsnap/format'

const arbName = fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,3}$/)
const arbPattern: fc.Arbitrary<CompPat> = fc.record({
  ranks: fc.array(
    fc.record(
      {
        primitive: fc.constantFrom('U', 'UOP', 'CP', 'B', 'RLE', 'UB', 'NM', 'Custom1'),
        parts: fc.array(
          fc.oneof(
            arbName.map((dim) => ({ dim })),
            fc.record({ dim: arbName, size: fc.integer({ min: 1, max: 1 << 20 }) }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        options: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,2}$/), fc.nat({ max: 64 }), { minKeys: 1, maxKeys: 3 }),
      },
      { requiredKeys: ['primitive', 'parts'] },
    ),
    { minLength: 1, maxLength: 5 },
  ),
})

describe('compression pattern text', () => {
  it('parses the examples of the issue', () => {
    expect(parseCompPat('UOP(M)-CP(K)')).toEqual({
      ranks: [
        { primitive: 'UOP', parts: [{ dim: 'M' }] },
        { primitive: 'CP', parts: [{ dim: 'K' }] },
      ],
    })
    expect(parseCompPat('B(K:64)-CP(K:64)-U(M)').ranks.map((r) => r.parts)).toEqual([
      [{ dim: 'K', size: 64 }],
      [{ dim: 'K', size: 64 }],
      [{ dim: 'M' }],
    ])
    expect(parseCompPat(' CP( M , K ) ').ranks[0]?.parts).toEqual([{ dim: 'M' }, { dim: 'K' }])
    expect(parseCompPat('U(M)-NM(K)[n=2,m=4]').ranks[1]?.options).toEqual({ n: 2, m: 4 })
    expect(parseCompPat('None(M)-B(K)').ranks[0]?.primitive).toBe('U')
  })

  test.prop([arbPattern])('round-trips: parse(format(p)) = p and the text is stable', (pattern) => {
    const text = formatCompPat(pattern)
    const parsed = parseCompPat(text)
    expect(parsed).toEqual(pattern)
    expect(formatCompPat(parsed)).toBe(text)
    expect(CompPatSchema.safeParse(pattern).success).toBe(true)
  })

  const bad: [string, string][] = [
    ['UOP(M)-', 'at end of input'],
    ['UOP(M)CP(K)', '"CP"'],
    ['UOP(M)-CP(K:-4)', '"-"'],
    ['UOP(M)-CP(K:abc)', '"abc"'],
    ['UOP(M)-CP(K:NaN)', '"NaN"'],
    ['UOP(M)-CP(K:6.5)', '"6.5"'],
    ['UOP(M))', '")"'],
    ['UOP(M)-CP(K)[mb]', '"]"'],
    ['UOP(M)-CP(K)[mb=4,mb=5]', '"mb"'],
    ['UOP(M)-C$P(K)', '"$P"'],
    ['(M)', '"("'],
    ['', 'at end of input'],
  ]
  it.each(bad)('rejects %s naming the offending token', (text, token) => {
    try {
      parseCompPat(text)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(SnipSnapError)
      const e = error as SnipSnapError
      expect(e.code).toBe('PARSE_ERROR')
      expect(e.message).toContain(token)
      expect(e.path[0]).toBe('pattern')
    }
  })

  it('validates the object form with zod', () => {
    expect(CompPatSchema.safeParse({ ranks: [] }).success).toBe(false)
    expect(CompPatSchema.safeParse({ ranks: [{ primitive: 'CP', parts: [{ dim: 'K', size: -1 }] }] }).success).toBe(false)
    expect(CompPatSchema.safeParse({ ranks: [{ primitive: 'CP', parts: [{ dim: 'K', size: 4 }] }] }).success).toBe(true)
  })
})

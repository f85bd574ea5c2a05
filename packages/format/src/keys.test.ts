// The object form of a compression pattern is strict: a misspelled key names the intended one.
import { describe, expect, it } from 'vitest'
import { CompPatSchema } from '@snipsnap/format'

describe('CompPatSchema keys', () => {
  it('a misspelled rank key names the intended one', () => {
    const result = CompPatSchema.safeParse({ ranks: [{ primitve: 'CP', parts: [{ dim: 'K' }] }] })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/`primitve`: did you mean `primitive`\?/))
  })
})

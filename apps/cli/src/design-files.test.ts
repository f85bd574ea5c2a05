// readLines (readLineSpans decoded): the chunked line reader of `evaluate --mappings` gives the
// lines of `readFileSync(file, 'utf8').split('\n')` (without the empty one after a final
// newline), also across its 1 MiB chunk boundaries, multi-byte characters split by them and
// lines longer than a chunk.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { readLines } from './design-files'

const dir = mkdtempSync(join(tmpdir(), 'snipsnap-lines-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const expected = (text: string): string[] => {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

describe('readLines', () => {
  it('reads lines across chunk boundaries, with multi-byte characters cut by them', () => {
    // Lines of varied length (some with 2-, 3- and 4-byte characters) over ~3 MiB.
    const parts = ['{"mapping":"a"}', 'é'.repeat(7), '', 'µ€𝄞 x', 'y'.repeat(1000), '\r']
    const lines = Array.from({ length: 9000 }, (_, i) => `${i} ${parts[i % parts.length]} ${'z'.repeat(i % 613)}`)
    for (const ending of ['\n', '']) {
      const text = lines.join('\n') + ending
      const file = join(dir, `big${ending.length}.jsonl`)
      writeFileSync(file, text)
      expect(Buffer.byteLength(text)).toBeGreaterThan(3 * (1 << 20))
      expect([...readLines(file)]).toEqual(expected(text))
    }
  })

  it('reads lines longer than a chunk', () => {
    const text = ['a', 'é'.repeat(1_300_000), 'b', 'c'.repeat(3_000_000)].join('\n')
    const file = join(dir, 'long.jsonl')
    writeFileSync(file, text)
    expect([...readLines(file)]).toEqual(expected(text))
  })

  it('matches split on small files of any content', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', ' ', 'é', '𝄞'), maxLength: 40 }), (text) => {
        const file = join(dir, 'small.txt')
        writeFileSync(file, text)
        expect([...readLines(file)]).toEqual(text === '' ? [] : expected(text))
      }),
      { numRuns: 200 },
    )
  })

  it('names the file it cannot read', () => {
    expect(() => [...readLines(join(dir, 'missing.jsonl'))]).toThrowError(/cannot read .*missing\.jsonl/)
    expect(() => [...readLines(dir)]).toThrowError(/cannot read/)
  })
})

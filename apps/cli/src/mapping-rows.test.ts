// mappingTextOf, the fast reader of `--mappings` rows: it gives `JSON.parse(line).mapping` for
// every valid row and `undefined` (the caller's JSON.parse path then answers) for every line
// JSON.parse rejects or whose "mapping" is not a string; it never accepts a malformed line.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mappingTextOf } from './mapping-rows'
import { SHARED_DIR } from './testing/run-cli'

/** What the plain path reads from a line: the mapping string, or undefined for any other line. */
const plain = (line: string): string | undefined => {
  let row: unknown
  try {
    row = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof row !== 'object' || row === null) return undefined
  const mapping = (row as { mapping?: unknown }).mapping
  return typeof mapping === 'string' ? mapping : undefined
}

const fast = (line: string): string | undefined => {
  // The line sits inside a larger buffer, as in the reader, with bytes around it that must not be read.
  const bytes = Buffer.from(`{"mapping":"x"}\n${line}\n"]}`, 'utf8')
  const start = Buffer.byteLength('{"mapping":"x"}\n')
  return mappingTextOf(bytes, start, start + Buffer.byteLength(line))
}

const RANDOM = join(SHARED_DIR, 'reference', 'sparseloop-random')

describe('mappingTextOf', () => {
  it('reads every row of the shared random sets as JSON.parse does', () => {
    let rows = 0
    for (const design of readdirSync(RANDOM, { withFileTypes: true })) {
      if (!design.isDirectory()) continue
      for (const line of readFileSync(join(RANDOM, design.name, 'mappings.jsonl'), 'utf8').split('\n')) {
        if (line.trim() === '') continue
        const want = plain(line)
        expect(want).toBeTypeOf('string')
        expect(fast(line)).toBe(want)
        rows++
      }
    }
    expect(rows).toBeGreaterThan(900)
  })

  it('agrees with JSON.parse on edge cases', () => {
    const lines = [
      '{"mapping":"a"}',
      ' \t{ "mapping" : "a\\nb" , "x" : [ 1 , -2.5e+3 , true , false , null , { } , [ ] ] } \r',
      '{"mapping":"a","mapping":"b"}',
      '{"mapping":"a","mapping":3}',
      '{"mapping":3,"mapping":"b"}',
      '{"mapping":"a\u0001","mapping":"b"}',
      '{"mapping":"a\\x","mapping":"b"}',
      '{"mapping":"a\\x","mapping":3}',
      '{"mapping":"a\u0001"}',
      '{"mapping":"a\\"}',
      '{"mapping":"a\\\\"}',
      '{"mapping":"a\\\\\\"","x":1}',
      '{"mapping":"a\\"}\n{"mapping":"b"}',
      '{"m\\u0061pping":"escaped key"}',
      '{"mapping\\n":"other key"}',
      '{"mapping":"é µ € 𝄞 \\u00e9 \\ud834\\udd1e \\" \\\\ \\/ \\b \\f \\r \\t"}',
      '{"x":{"mapping":"nested"}}',
      '{}',
      '[]',
      '"mapping"',
      '3',
      '',
      '   ',
      '{"mapping":"a"',
      '{"mapping":"a"}}',
      '{"mapping":"a",}',
      '{"mapping" "a"}',
      '{"mapping":"a" "x":1}',
      '{mapping:"a"}',
      "{'mapping':'a'}",
      '{"mapping":"a","x":01}',
      '{"mapping":"a","x":1.}',
      '{"mapping":"a","x":.5}',
      '{"mapping":"a","x":-}',
      '{"mapping":"a","x":1e}',
      '{"mapping":"a","x":+1}',
      '{"mapping":"a","x":1e+}',
      '{"mapping":"a","x":-0.0e-0}',
      '{"mapping":"a","x":tru}',
      '{"mapping":"a","x":nul}',
      '{"mapping":"a","x":NaN}',
      '{"mapping":"a","x":[1,]}',
      '{"mapping":"a","x":[,1]}',
      '{"mapping":"a","x":{"a"}}',
      '{"mapping":"a","x":{"a":}}',
      '{"mapping":"a","x":"\\x"}',
      '{"mapping":"a","x":"\\u12"}',
      '{"mapping":"a","x":"\\u12G4"}',
      '{"mapping":"a\tb"}',
      '{"mapping":"a"}\u00a0',
      '\ufeff{"mapping":"a"}',
      '{"mapping":"a"}\u2028',
      `{"mapping":"a","x":${'['.repeat(200)}${']'.repeat(200)}}`,
      `{"mapping":"a","x":${'['.repeat(300)}${']'.repeat(299)}}`,
    ]
    for (const line of lines) expect(fast(line), line).toBe(plain(line))
    // Deeper than the reader tracks: left to JSON.parse.
    expect(fast(`{"mapping":"a","x":${'['.repeat(300)}${']'.repeat(300)}}`)).toBeUndefined()
  })

  it('agrees with JSON.parse on generated rows', () => {
    const row = fc.record(
      { id: fc.nat(), mapping: fc.string({ unit: 'binary' }), valid: fc.boolean(), expected: fc.jsonValue() },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(row, fc.constantFrom(undefined, 1, '\t', ' \r '), (value, indent) => {
        const line = JSON.stringify(value, null, indent).replaceAll('\n', ' ')
        expect(fast(line)).toBe(plain(line))
      }),
      { numRuns: 500 },
    )
  })

  it('agrees with JSON.parse on long strings wherever they sit against the 32-bit words it reads', () => {
    // Strings are skipped a word at a time: a special byte (quote, escape, control, non-ASCII) at
    // each place in a word, lines at each offset in their buffer, and each length of the tail.
    const special = fc.constantFrom('"', '\\', '\\n', '\\u00e9', '\\x', '\\u12', '\t', '\u0001', '\u001f', ' ', '~', '\u007f', 'é', '€', '𝄞', "'")
    const text = fc.tuple(fc.string({ minLength: 0, maxLength: 40 }), special, fc.string({ minLength: 0, maxLength: 9 }))
    fc.assert(
      fc.property(text, fc.nat({ max: 7 }), fc.boolean(), ([head, mark, tail], offset, asKey) => {
        const body = `${head.replaceAll('\\', '/').replaceAll('"', "'")}${mark}${tail.replaceAll('\\', '/').replaceAll('"', "'")}`
        const line = asKey ? `{"mapping":"m","x":{"${body}":1}}` : `{"id":1,"mapping":"${body}","x":["${body}"]}`
        const before = 'x'.repeat(offset)
        const bytes = Buffer.from(`${before}${line}\n`, 'utf8')
        const start = Buffer.byteLength(before)
        expect(mappingTextOf(bytes, start, start + Buffer.byteLength(line))).toBe(plain(line))
      }),
      { numRuns: 1000 },
    )
  })

  it('agrees with JSON.parse wherever the line ends in its buffer', () => {
    // The reader relies on the newline after a line; a last line without one, or bytes after
    // `end` that are not a newline (a caller's span), take the copied path.
    const row = fc.record({ id: fc.nat(), mapping: fc.string(), expected: fc.jsonValue() }, { requiredKeys: [] })
    const after = fc.constantFrom('', '\n', '1', '"', '}', ']', 'e', ' ', ',"x":1}', '\u00e9')
    fc.assert(
      fc.property(row, fc.nat({ max: 7 }), after, fc.nat({ max: 4 }), (value, offset, tail, cut) => {
        const whole = JSON.stringify(value)
        // A line cut short too (not JSON), with the rest of the row after its end.
        const line = whole.slice(0, whole.length - (cut === 0 ? 0 : cut))
        const before = 'x'.repeat(offset)
        const bytes = Buffer.from(`${before}${line}${whole.slice(line.length)}${tail}`, 'utf8')
        const start = Buffer.byteLength(before)
        expect(mappingTextOf(bytes, start, start + Buffer.byteLength(line))).toBe(plain(line))
      }),
      { numRuns: 1000 },
    )
  })

  it('agrees with JSON.parse on numbers and keys wherever they sit against the 32-bit words it reads', () => {
    // Digit runs and keys are read a word at a time: numbers of every length and form (and
    // malformed ones), followed by each kind of byte, at each offset in the buffer.
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 20 })
    const number = fc.oneof(
      fc.integer().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.tuple(fc.constantFrom('', '-'), digits, fc.constantFrom('', '.', '.5', '.05', 'e', 'e+7', 'E-12', '.25e3', 'x', '/', ':', 'é', 'ú', 'ÿ', '\u007f')).map((parts) => parts.join('')),
    )
    const key = fc.string({ unit: fc.constantFrom('a', 'Z', '_', '0', ' ', '!', '#', '"', '\\', '\\"', '\\n', '\t', 'é', '\u007f'), maxLength: 12 })
    const after = fc.constantFrom('', ' ', ',"k":0', ',[1]', ']', '}')
    fc.assert(
      fc.property(fc.array(fc.tuple(key, number, after), { minLength: 1, maxLength: 4 }), fc.nat({ max: 7 }), (members, offset) => {
        const body = members.map(([k, n, a]) => `"${k}":${n}${a}`).join(',')
        const line = `{"mapping":"m","expected":{${body}},"x":[${members.map(([, n]) => n).join(',')}]}`
        const before = 'x'.repeat(offset)
        const bytes = Buffer.from(`${before}${line}\n`, 'utf8')
        const start = Buffer.byteLength(before)
        expect(mappingTextOf(bytes, start, start + Buffer.byteLength(line))).toBe(plain(line))
      }),
      { numRuns: 1000 },
    )
  })

  it('agrees with JSON.parse on every byte after a digit run, at each place in a word', () => {
    // Bytes that are not UTF-8 as well (the plain path decodes them to U+FFFD first).
    for (let byte = 0; byte < 256; byte++) {
      for (const digits of ['1', '12', '1234', '12345678']) {
        for (let offset = 0; offset < 4; offset++) {
          const bytes = Buffer.concat([Buffer.from(`${'x'.repeat(offset)}{"mapping":"m","x":${digits}`), Buffer.from([byte]), Buffer.from(',"y":[1]}\n')])
          const end = bytes.length - 1
          expect(mappingTextOf(bytes, offset, end), `${digits} then byte ${byte}`).toBe(plain(bytes.toString('utf8', offset, end)))
        }
      }
    }
  })

  it('never accepts a mutated row that JSON.parse rejects', () => {
    const base = JSON.stringify({ id: 7, mapping: 'mapping:\n- {target: RF, type: temporal, factors: M=1 N=2}\n', valid: true, expected: { a: [1, -2.5e-3, true, null, { b: 'c\\"d' }] } })
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), insert: fc.string({ unit: fc.constantFrom('"', '\\', ',', ':', '{', '}', '[', ']', '0', '1', '.', 'e', '-', '+', ' ', 't', 'n', 'u', 'é', '\t', '\u0001') , maxLength: 3 }) })
    let rejected = 0
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let line = base
        for (const e of edits) {
          const at = e.at % (line.length + 1)
          line = line.slice(0, at) + e.insert + line.slice(at + e.cut)
        }
        const want = plain(line)
        if (want === undefined) rejected++
        expect(fast(line)).toBe(want)
      }),
      { numRuns: 2000 },
    )
    // Both kinds were seen (fast-check's seed varies; 2,000 runs make either count near-certain).
    expect(rejected).toBeGreaterThan(100)
    expect(rejected).toBeLessThan(1900)
  })
})

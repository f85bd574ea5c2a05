// reportJsonText, the `--mappings` row writer, gives JSON.stringify(reportToJson(report)) byte
// for byte: on every row of the shared random sets (Sparseloop model) and on generated reports
// (any doubles, names that need escaping or that JSON orders first).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CostReport } from '@snipsnap/core'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import { parseTimeloopDesign, parseTimeloopMapping } from '@snipsnap/timeloop'
import { SHARED_DIR } from '../testing/run-cli'
import { reportJsonText, reportToJson } from './evaluate'

const RANDOM = join(SHARED_DIR, 'reference', 'sparseloop-random')
const plain = (report: CostReport): string => JSON.stringify(reportToJson(report))

describe('reportJsonText', () => {
  it('writes every report of the shared random sets as JSON.stringify(reportToJson(report))', () => {
    let valid = 0
    let invalid = 0
    for (const name of readdirSync(RANDOM, { withFileTypes: true })) {
      if (!name.isDirectory()) continue
      const dir = join(RANDOM, name.name)
      const sources = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => ({ fileName: f, text: readFileSync(join(dir, f), 'utf8') }))
      const { design } = parseTimeloopDesign(sources, { ignore: ['mapping'] })
      const evaluator = createSparseloopEvaluator(design)
      for (const line of readFileSync(join(dir, 'mappings.jsonl'), 'utf8').trim().split('\n')) {
        const text = (JSON.parse(line) as { mapping: string }).mapping
        const report = evaluator.evaluate(parseTimeloopMapping(text, design.problem, design.arch))
        expect(reportJsonText(report)).toBe(plain(report))
        if (report.valid) valid++
        else invalid++
      }
    }
    expect(valid).toBeGreaterThan(500)
    expect(invalid).toBeGreaterThan(50)
  })

  it('writes generated reports as JSON.stringify(reportToJson(report))', () => {
    const number = fc.oneof(
      fc.double(),
      fc.constantFrom(-0, 1e21, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e20),
      fc.integer(),
      // Integers the writer prints digit by digit beyond 32 bits.
      fc.maxSafeInteger(),
    )
    const counts = fc.record({ actual: number, gated: number, skipped: number })
    const name = fc.oneof(fc.string(), fc.constantFrom('0', '12', '__proto__', 'a"b', 'é\n\u2028', 'constructor'))
    const tensor = fc.record({ reads: counts, fills: counts, updates: counts, metadataReads: number, energyPJ: number })
    // Some objects inherit an enumerable member, which the writer must leave out as Object.entries does.
    const entries = <T,>(value: fc.Arbitrary<T>) =>
      fc.tuple(fc.array(fc.tuple(name, value), { maxLength: 4 }), fc.option(value, { nil: undefined })).map(([list, inherited]) => {
        const out: Record<string, T> = inherited === undefined ? {} : (Object.create({ inherited, '0': inherited }) as Record<string, T>)
        for (const [key, v] of list) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true })
        return out
      })
    const level = fc.record({ kind: fc.constant('storage' as const), energyPJ: number, cycles: number, tensors: entries(tensor) })
    const report: fc.Arbitrary<CostReport> = fc.oneof(
      fc.record({ valid: fc.constant(true as const), cycles: number, energyPJ: number, computes: counts, levels: entries(level) }),
      fc.record({ valid: fc.constant(false as const), reason: fc.string(), kind: fc.string() }),
    )
    fc.assert(
      fc.property(report, (r) => {
        expect(reportJsonText(r)).toBe(plain(r))
      }),
      { numRuns: 500 },
    )
  })
})

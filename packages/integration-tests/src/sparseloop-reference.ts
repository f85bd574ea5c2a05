// Shared helpers of the Sparseloop golden/differential tests, the validation script and the
// benchmark: locate ../shared/reference, load case folders through @snipsnap/timeloop, and
// compare a CostReport with the oracle's numbers (relative errors, no tolerance applied here).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CostReport, DesignSpec } from '@snipsnap/core'
import { parseTimeloopMapping, parseTimeloopYaml } from '@snipsnap/timeloop'

/** Repository root (…/packages/integration-tests/src → …). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
/** The read-only shared material that sits beside the clone. */
export const sharedRoot = path.resolve(repoRoot, '..', 'shared')
export const casesRoot = path.join(sharedRoot, 'reference', 'sparseloop')
export const randomRoot = path.join(sharedRoot, 'reference', 'sparseloop-random')

/** Tolerances of issue 4 (relative). */
export const TOLERANCE = { cycles: 0.001, energy: 0.01, counts: 0.01 } as const

const yamlSources = (dir: string, names?: readonly string[]) =>
  (names ?? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()).map((f) => ({
    fileName: f,
    text: readFileSync(path.join(dir, f), 'utf8'),
  }))

/** Case folders holding an `expected.json`, sorted. */
export const listCases = (): string[] =>
  existsSync(casesRoot)
    ? readdirSync(casesRoot)
        .filter((d) => existsSync(path.join(casesRoot, d, 'expected.json')))
        .sort()
    : []

/** Random-mapping designs holding a `mappings.jsonl`, sorted. */
export const listRandomDesigns = (): string[] =>
  existsSync(randomRoot)
    ? readdirSync(randomRoot)
        .filter((d) => existsSync(path.join(randomRoot, d, 'mappings.jsonl')))
        .sort()
    : []

export interface ExpectedSplit {
  readonly algorithmic?: number
  readonly actual: number
  readonly gated: number
  readonly skipped: number
}
export interface ExpectedTensor {
  readonly reads: ExpectedSplit
  readonly fills: ExpectedSplit
  readonly updates: ExpectedSplit
  readonly energy_pJ: number
}
export interface ExpectedLevel {
  readonly kind: 'compute' | 'storage'
  readonly energy_pJ: number
  readonly tensors?: Readonly<Record<string, ExpectedTensor>>
}
export interface Expected {
  readonly cycles: number
  readonly energy_pJ: number
  readonly computes: ExpectedSplit
  readonly levels: Readonly<Record<string, ExpectedLevel>>
}

export const loadCase = (name: string): { design: DesignSpec; expected: Expected } => {
  const dir = path.join(casesRoot, name)
  const design = parseTimeloopYaml(yamlSources(dir, ['input.yaml', 'ERT.yaml', 'ART.yaml']))
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected
  return { design, expected }
}

export interface RandomRow {
  readonly id: number
  readonly mapping: string
  readonly valid: boolean
  readonly expected?: Expected
  readonly error?: string
}

export const loadRandomDesign = (name: string): { design: DesignSpec; rows: RandomRow[] } => {
  const dir = path.join(randomRoot, name)
  const base = yamlSources(dir, ['base.yaml', 'ERT.yaml', 'ART.yaml'])
  const rows = readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RandomRow)
  // base.yaml has no mapping: borrow the first row's so the design parses, then map per row.
  const first = rows[0]
  const design = parseTimeloopYaml([...base, { fileName: 'mapping.yaml', text: first?.mapping ?? 'mapping: []' }])
  return { design, rows }
}

export const parseRowMapping = (design: DesignSpec, row: RandomRow) =>
  parseTimeloopMapping(row.mapping, design.problem, design.arch, { fileName: `row ${row.id}` })

/** Relative error with a floor of one access/cycle/pJ on the denominator. */
export const relError = (got: number, want: number): number => Math.abs(got - want) / Math.max(Math.abs(want), 1)

export interface Comparison {
  readonly cyclesError: number
  readonly energyError: number
  /** Largest relative error over every level/tensor/kind/split count (and computes). */
  readonly maxCountError: number
  /** Where `maxCountError` occurs. */
  readonly worstCount: string
  /** Every count over its tolerance, for diagnostics. */
  readonly countFailures: readonly string[]
}

/** Compares a valid report with the oracle's numbers. */
export const compareReport = (report: CostReport, expected: Expected): Comparison => {
  if (!report.valid) {
    return { cyclesError: Infinity, energyError: Infinity, maxCountError: Infinity, worstCount: report.reason, countFailures: [report.reason] }
  }
  let maxCountError = 0
  let worstCount = ''
  const countFailures: string[] = []
  const check = (label: string, got: number, want: number) => {
    const e = relError(got, want)
    if (e > maxCountError) {
      maxCountError = e
      worstCount = `${label}: ${got} vs ${want}`
    }
    if (e > TOLERANCE.counts) countFailures.push(`${label}: ${got} vs ${want} (${(e * 100).toFixed(3)}%)`)
  }
  for (const split of ['actual', 'gated', 'skipped'] as const) {
    check(`computes.${split}`, report.computes[split], expected.computes[split])
  }
  for (const [levelName, level] of Object.entries(expected.levels)) {
    if (level.kind !== 'storage') continue
    const mine = report.levels[levelName]
    for (const [tensorName, tensor] of Object.entries(level.tensors ?? {})) {
      const got = mine?.tensors[tensorName]
      for (const kind of ['reads', 'fills', 'updates'] as const) {
        for (const split of ['actual', 'gated', 'skipped'] as const) {
          check(`${levelName}.${tensorName}.${kind}.${split}`, got?.[kind][split] ?? 0, tensor[kind][split])
        }
      }
    }
  }
  return {
    cyclesError: relError(report.cycles, expected.cycles),
    energyError: relError(report.energyPJ, expected.energy_pJ),
    maxCountError,
    worstCount,
    countFailures,
  }
}

/** Whether a comparison is within the tolerances. */
export const withinTolerance = (c: Comparison): boolean =>
  c.cyclesError <= TOLERANCE.cycles && c.energyError <= TOLERANCE.energy && c.maxCountError <= TOLERANCE.counts

/** Sparseloop's rejection kind from its error line. */
export const oracleErrorKind = (error: string): string => {
  if (/metadata tile size/.test(error)) return 'metadata-capacity'
  if (/exceeds buffer capacity/.test(error)) return 'capacity'
  if (/fanout|Arithmetic instances|X expansion|Y expansion/.test(error)) return 'fanout'
  if (/compression ranks/.test(error)) return 'format-ranks'
  return 'other'
}

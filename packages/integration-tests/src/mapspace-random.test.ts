// The cheap checks against Sparseloop's verdicts on the shared random mappings
// (shared/reference/sparseloop-random): never reject a mapping Sparseloop accepted, and reject
// every capacity, fan-out and format-ranks failure with the same kind at the level Sparseloop
// names (the checks run in Sparseloop's order). Metadata-capacity
// failures need the cost model's metadata-size hook, which this test does not pass.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMapspace } from '@snipsnap/mapspace'
import { parseTimeloopMapping, parseTimeloopYaml } from '@snipsnap/timeloop'

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'sparseloop-random')
const designs = fs.readdirSync(root).filter((name) => fs.statSync(path.join(root, name)).isDirectory())

interface Row {
  readonly id: number
  readonly mapping: string
  readonly valid: boolean
  readonly error?: string
}

const kindOf = (error: string): string =>
  /fanout|expansion|instances/.test(error)
    ? 'fanout'
    : /metadata/.test(error)
      ? 'metadata-capacity'
      : /capacity/.test(error)
        ? 'capacity'
        : /ranks/.test(error)
          ? 'format-ranks'
          : 'other'

describe.each(designs)('sparseloop-random %s', (name) => {
  const dir = path.join(root, name)
  const design = parseTimeloopYaml([{ fileName: 'base.yaml', text: fs.readFileSync(path.join(dir, 'base.yaml'), 'utf8') }])
  const space = createMapspace({
    arch: design.arch,
    problem: design.problem,
    constraints: [],
    sparseOptimizations: design.sparseOptimizations,
  })
  const rows = fs
    .readFileSync(path.join(dir, 'mappings.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row)

  it('accepts every mapping Sparseloop accepted', () => {
    const rejected = rows
      .filter((row) => row.valid)
      .map((row) => ({ id: row.id, verdict: space.check(parseTimeloopMapping(row.mapping, design.problem, design.arch)) }))
      .filter((r) => !r.verdict.ok)
    expect(rejected).toEqual([])
  })

  it('rejects capacity, fan-out and format-ranks failures with the same kind at the same level', () => {
    const levelOf = (error: string): string => /couldn't map level ([^:]+):/.exec(error)?.[1] ?? '?'
    const mismatches = rows
      .filter((row) => !row.valid && kindOf(row.error ?? '') !== 'metadata-capacity')
      .map((row) => {
        const verdict = space.check(parseTimeloopMapping(row.mapping, design.problem, design.arch))
        return {
          id: row.id,
          expected: `${kindOf(row.error ?? '')} at ${levelOf(row.error ?? '')}`,
          got: verdict.ok ? 'ok' : `${verdict.kind} at ${verdict.level}`,
        }
      })
      .filter((r) => r.expected !== r.got)
    expect(mismatches).toEqual([])
  })
})

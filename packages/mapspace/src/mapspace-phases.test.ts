// createMapspace's first phases alone on the STC mapper case: resolveCheckContext (tested with the
// checks in internal/check.test.ts) and buildSpaceLayout, whose layout is the space's own and whose
// factor vectors multiply out to every dimension's bound under the rules, and countSpace, whose
// DP size is the number of mappings enumerate() yields.
import { describe, expect, it } from 'vitest'
import { createMapspace } from '@snipsnap/mapspace'
import { buildSpaceLayout, countSpace, resolveCheckContext } from './mapspace'
import { stcArch, stcConstraints, stcProblem, stcSparse } from './internal/stc-fixture'

describe('createMapspace phases', () => {
  it.each([true, false])('buildSpaceLayout: the space\'s layout; factor vectors multiply to the bounds (raw constraints: %s)', (raw) => {
    const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(raw), sparseOptimizations: stcSparse }
    const built = buildSpaceLayout(input, resolveCheckContext(input))
    const space = createMapspace(input)
    expect(built.layout).toEqual(space.layout)
    expect(BigInt(built.vectors.reduce((n, v) => n * v.length, 1))).toBe(space.size().factorizations)
    stcProblem.dimensions.forEach((dim, d) => {
      for (const v of built.vectors[d]!) expect(v.reduce((p, f) => p * f, 1)).toBe(stcProblem.bounds[dim])
      expect(built.vectors[d]![0]).toHaveLength(built.slots.length)
    })
  })

  it.each([true, false])('countSpace: the DP size equals the enumerated mappings (raw constraints: %s)', (raw) => {
    const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(raw), sparseOptimizations: stcSparse }
    const size = countSpace(stcProblem.dimensions, buildSpaceLayout(input, resolveCheckContext(input)))
    let enumerated = 0n
    for (const _ of createMapspace(input).enumerate()) enumerated++
    expect(size.total).toBe(enumerated)
    expect(size.total).toBe(size.orderings * size.bypass)
  })
})

// Each phase of the cheap check alone, on the STC mapper case (shared/reference/sparseloop-mapper,
// raw constraints): the context resolved once by resolveCheckContext, the structure and rule
// checks, the rank binding, the spatial-skipping fan-out, the per-level capacity and mesh (under
// spatial skipping the shared rule's per-data-space maximum), and the pure mesh/expansion
// helpers; every full verdict over the whole space is the first failing phase's.
import { describe, expect, it } from 'vitest'
import { SnipSnapError, type MappingSpec } from '@snipsnap/core'
import { createMapspace } from '@snipsnap/mapspace'
import { resolveCheckContext } from '../mapspace'
import { checkLevels, checkRanks, checkRules, checkSparseFanout, checkStructure, createChecker, expansions, levelLoops, levelMesh, meshCheck, prepareChecker } from './check'
import { stcArch, stcConstraints, stcProblem, stcSparse } from './stc-fixture'

const input = { arch: stcArch, problem: stcProblem, constraints: stcConstraints(true), sparseOptimizations: stcSparse }
const ctx = resolveCheckContext(input)
const st = prepareChecker(ctx)
const mappings: MappingSpec[] = [...createMapspace(input).enumerate()]
const loopsOf = (m: MappingSpec) => m.levels.map((lm, i) => levelLoops(lm, i, stcProblem.dimensions))

describe('mapspace check phases', () => {
  it('resolveCheckContext: formats resolved through the registry, spatial skipping collected', () => {
    expect([...ctx.compressedFormats].sort()).toEqual([...ctx.formats.keys()].sort()) // every STC format of A has a CP rank
    expect(ctx.spatialSkips.map((s) => s.target)).toEqual(['B', 'Z'])
    expect(ctx.filterFanout).toBe(false)
    const unknown = { ...stcSparse, targets: stcSparse.targets.map((t) => ({ ...t, formats: t.formats.map((f) => ({ ...f, ranks: f.ranks.map((r) => ({ ...r, format: 'NMX' })) })) })) }
    expect(() => resolveCheckContext({ ...input, sparseOptimizations: unknown })).toThrow(SnipSnapError)
    expect(() => resolveCheckContext({ ...input, sparseOptimizations: unknown })).toThrow(/unknown rank format "NMX"/)
  })

  it('checkStructure: a wrong level count and factors that do not multiply to the bound are constraint failures', () => {
    const m = mappings[0]!
    expect(checkStructure(st, m)).toEqual({ ok: true })
    expect(checkStructure(st, { levels: m.levels.slice(1) })).toMatchObject({ ok: false, kind: 'constraint', reason: expect.stringMatching(/levels/) })
    const doubled = { levels: m.levels.map((lm, i) => (i === 0 ? { ...lm, temporalFactors: { ...lm.temporalFactors, M: (lm.temporalFactors['M'] ?? 1) * 2 } } : lm)) }
    expect(checkStructure(st, doubled)).toMatchObject({ ok: false, kind: 'constraint', reason: expect.stringMatching(/factors of M multiply to/) })
  })

  it('every full verdict over the space is the first failing phase\'s (structure, rules, ranks, fan-out, levels)', () => {
    const check = createChecker(ctx)
    const kinds = new Map<string, number>()
    for (const m of mappings) {
      const loops = loopsOf(m)
      const phases = [() => checkStructure(st, m), () => checkRules(st, m, loops), () => checkRanks(st, m, loops), () => checkSparseFanout(st, m, loops), () => checkLevels(st, m, levelMesh(st, m, loops))]
      let first = { ok: true } as ReturnType<typeof check>
      for (const phase of phases) {
        const verdict = phase()
        if (!verdict.ok) {
          first = verdict
          break
        }
      }
      expect(check(m)).toEqual(first)
      const kind = first.ok ? 'ok' : first.kind
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
    }
    // Valid mappings, spatial-skipping fan-out rejections and capacity rejections all occur (not vacuous).
    expect(kinds.get('ok')).toBeGreaterThan(0)
    expect(kinds.get('fanout')).toBeGreaterThan(0)
    expect(kinds.get('capacity')).toBeGreaterThan(0)
  })

  it('meshCheck and expansions: instances, then mesh X, then mesh Y; expansion = product of spatial loops above', () => {
    expect(meshCheck('L', 2, 2, 4, 4, 16)).toEqual({ ok: true })
    expect(meshCheck('L', 4, 4, 4, 4, 8)).toMatchObject({ ok: false, kind: 'fanout', reason: expect.stringMatching(/instances/) })
    expect(meshCheck('L', 8, 1, 4, 4, 16)).toMatchObject({ ok: false, reason: expect.stringMatching(/mesh X 4/) })
    expect(meshCheck('L', 1, 8, 4, 4, 16)).toMatchObject({ ok: false, reason: expect.stringMatching(/mesh Y 4/) })
    for (const m of mappings.slice(0, 50)) {
      const loops = loopsOf(m)
      const { x, y } = expansions(st.nLevels, loops)
      const spatial = (axis: 'x' | 'y') => loops.flat().filter((l) => l.kind === axis).reduce((p, l) => p * l.bound, 1)
      expect(x[st.nLevels]).toBe(spatial('x'))
      expect(y[st.nLevels]).toBe(spatial('y'))
    }
  })
})

// Unit tests of the Sparseloop model on a hand-built Fig.1 design (shared/docs/sparseloop-model.md
// §10: bitmask + gating, d = 13/128), plus the PAT fallback, ERT matching and infeasibility.
import { describe, expect, it } from 'vitest'
import { SPARSELOOP_RANK_FORMATS, type CostQuery, type RankFormat } from '@snipsnap/core'
import { errorOf } from '@snipsnap/core/testing'
import { componentLeafName, evaluateSparseloop, patVectorAccessEnergyPJ } from '@snipsnap/cost'
import { fig1, level } from './fig1-fixture'

describe('evaluateSparseloop on Fig.1 bitmask + gating (d = 13/128)', () => {
  const report = evaluateSparseloop(fig1)
  it('reproduces the published cycles, MACs and gated accesses', () => {
    if (!report.valid) throw new Error(report.reason)
    expect(report.cycles).toBe(2_113_536)
    expect(report.computes).toEqual({ actual: 21_632, gated: 0, skipped: 0 })
    expect(report.levels['Reg']?.tensors['Z']?.reads).toEqual({ actual: 21_463, gated: 2_059_305, skipped: 0 })
    expect(report.levels['Buffer']?.tensors['A']?.reads).toEqual({ actual: 21_632, gated: 191_360, skipped: 0 })
    expect(report.levels['Buffer']?.tensors['A']?.fills.actual).toBe(212_992)
    // Sparseloop's total for this design (shared/reference/sparseloop/fig1-bitmask-d0.1).
    expect(Math.abs(report.energyPJ - 2_276_196.10106) / 2_276_196.10106).toBeLessThan(1e-4)
  })
  it('charges Reg accesses at the PAT estimate (its ERT only has `access`)', () => {
    expect(patVectorAccessEnergyPJ(fig1.arch.storage[2]!)).toBeCloseTo(0.4875, 4)
    expect(report.valid && report.levels['Reg']?.energyPJ).toBeCloseTo(28_993.74, 1)
  })
  it('reports a capacity overflow as a value', () => {
    const big = { ...fig1, mapping: { levels: [level('BackingStorage', { M: 128, N: 128 }, ['M', 'N', 'K'], ['A', 'B', 'Z'], []), level('Buffer', {}, ['M', 'N', 'K'], ['A', 'B'], ['Z']), level('Reg', { K: 128 }, ['K', 'M', 'N'], ['Z', 'A'], ['B'])] } }
    const r = evaluateSparseloop(big)
    expect(r.valid).toBe(false)
    if (!r.valid) expect(r.kind).toBe('capacity')
  })
  it('matches ERT components by their last path element without ranges', () => {
    expect(componentLeafName('system.SM.Subpartition[0..3].PE[0..255].LRF')).toBe('LRF')
  })
})

describe('rank formats are priced through their primitive', () => {
  // Fig.1 with every `B` rank renamed to `sym`.
  const withSymbol = (sym: string): CostQuery => ({
    ...fig1,
    sparseOptimizations: {
      targets: fig1.sparseOptimizations.targets.map((t) => ({
        ...t,
        formats: t.formats.map((f) => ({ ...f, ranks: f.ranks.map((r) => (r.format === 'B' ? { ...r, format: sym } : r)) })),
      })),
    },
  })
  it('rejects an unregistered symbol with a precise error instead of pricing it at 0', () => {
    const error = errorOf(() => evaluateSparseloop(withSymbol('NMX')))
    expect(error.code).toBe('PLUGIN_NOT_FOUND')
    expect(error.message).toContain('"NMX"')
    expect(error.message).toContain('UOP, CP, B, RLE, UB')
    expect(error.path.at(-1)).toBe('format')
  })

  it('rejects a registered primitive without Sparseloop pricing', () => {
    const bare: RankFormat = { symbol: 'BARE', compressed: true }
    const error = errorOf(() => evaluateSparseloop(withSymbol('BARE'), { formats: [...Object.values(SPARSELOOP_RANK_FORMATS), bare] }))
    expect(error.code).toBe('UNSUPPORTED_QUERY')
    expect(error.message).toContain('BARE')
  })

  it('prices a registered primitive with its own contract (a renamed B gives B\'s numbers)', () => {
    const renamed: RankFormat = { ...SPARSELOOP_RANK_FORMATS.B, symbol: 'BX' }
    const formats = [...Object.values(SPARSELOOP_RANK_FORMATS), renamed]
    expect(evaluateSparseloop(withSymbol('BX'), { formats })).toEqual(evaluateSparseloop(fig1))
    // Half the metadata of a bitmask: metadata energy falls, nothing else moves.
    const half: RankFormat = {
      symbol: 'HALF',
      compressed: true,
      sparseloop: {
        defaultMetadataWordBits: 1,
        metadataUnits: (r) => (r.fibers * r.fiberShape) / 2,
        payloadUnits: (r) => SPARSELOOP_RANK_FORMATS.B.sparseloop.payloadUnits(r),
      },
    }
    const cheaper = evaluateSparseloop(withSymbol('HALF'), { formats: [...formats, half] })
    const base = evaluateSparseloop(fig1)
    if (!cheaper.valid || !base.valid) throw new Error('expected valid reports')
    expect(cheaper.energyPJ).toBeLessThan(base.energyPJ)
    expect(cheaper.computes).toEqual(base.computes)
  })
})

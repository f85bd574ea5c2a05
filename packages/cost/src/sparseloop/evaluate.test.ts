// Each phase of evaluatePrepared alone, on the hand-built Fig.1 design (bitmask + gating,
// d = 13/128; shared/docs/sparseloop-model.md §10): the phases chained give the same report as
// evaluatePrepared, and each phase's own output carries the numbers the published case implies.
import { describe, expect, it } from 'vitest'
import { createSparseloopEvaluator } from '@snipsnap/cost'
import type { MappingSpec } from '@snipsnap/core'
import {
  applyFormats,
  applyMetadataAndCompression,
  applyStorageSafs,
  checkFeasibility,
  classifyComputes,
  costReport,
  denseTiles,
  evaluatePrepared,
  fanoutNeeds,
  storageLevelCost,
} from './evaluate'
import { buildNest, type MappedNest } from './mapping'
import { fig1, level } from './fig1-fixture'

const design = createSparseloopEvaluator(fig1).design
const nestOf = (mapping: MappingSpec): MappedNest => {
  const nest = buildNest(design, mapping)
  if (!nest.ok) throw new Error(nest.reason)
  return nest
}
const nest = nestOf(fig1.mapping)
// Levels innermost first: Reg 0, Buffer 1, BackingStorage 2; tensors A 0, B 1, Z 2.
const REG = 0
const BUFFER = 1
const A = 0
const Z = 2

/** Runs the phases up to and including `upTo`, as evaluatePrepared chains them. */
const phases = (upTo: 'tiles' | 'formats' | 'metadata' | 'safs', n: MappedNest = nest) => {
  const fanout = fanoutNeeds(design, n)
  const tiles = denseTiles(design, n)
  if (upTo === 'tiles') return { fanout, tiles, safs: null }
  const overflow = applyFormats(design, n, tiles.perTensor, true)
  if (overflow !== null) throw new Error(overflow.reason)
  if (upTo === 'formats') return { fanout, tiles, safs: null }
  applyMetadataAndCompression(tiles.perTensor)
  if (upTo === 'metadata') return { fanout, tiles, safs: null }
  return { fanout, tiles, safs: applyStorageSafs(design, n, tiles) }
}

describe('evaluatePrepared phases', () => {
  it('fanoutNeeds: a purely temporal mapping needs one instance everywhere', () => {
    const fanout = fanoutNeeds(design, nest)
    expect(fanout.spatialTotal).toBe(1)
    expect(fanout.needX).toEqual([1, 1, 1])
    expect(fanout.macNeedY).toEqual([1, 1, 1])
    expect(fanout.spatialShrinkAvg).toEqual([1, 1, 1])
  })

  it('denseTiles: one tile per kept (tensor, level), dense counts before any sparsity', () => {
    const { tiles } = phases('tiles')
    expect(tiles.states[BUFFER]![Z]).toBeNull() // Z bypasses the Buffer
    const a = tiles.states[BUFFER]![A]!
    // Dense: A bypasses Reg, so every one of the 128³ MACs reads it from the Buffer.
    expect(a.reads).toEqual({ actual: 128 ** 3, gated: 0, skipped: 0 })
    expect(a.density).toBe(1)
    expect(a.ranks).toEqual([])
    expect(tiles.perTensor[A]!.map((t) => t.dense.level)).toEqual([BUFFER, 2])
  })

  it('applyFormats: binds the bitmask rank and prices it; too many loops for the ranks is an infeasibility', () => {
    const { tiles } = phases('formats')
    const a = tiles.states[BUFFER]![A]!
    expect(a.ranks).toHaveLength(1)
    expect(a.ranks[0]!.metadataUnits).toBeGreaterThan(0)
    expect(a.density).toBeCloseTo(13 / 128, 12)
    // BackingStorage's A format has 2 ranks; three non-trivial A loops (M, K split in two) need 3.
    const split = nestOf({
      levels: [
        level('BackingStorage', { M: 128, N: 128, K: 2 }, ['K', 'M', 'N'], ['A', 'B', 'Z'], []),
        level('Buffer', { K: 64 }, ['K', 'M', 'N'], ['A', 'B'], ['Z']),
        level('Reg', {}, ['K', 'M', 'N'], ['Z'], ['A', 'B']),
      ],
    })
    const overflow = applyFormats(design, split, denseTiles(design, split).perTensor, true)
    expect(overflow?.kind).toBe('format-ranks')
  })

  it('checkFeasibility: accepts Fig.1 and names the level whose capacity a mapping overflows', () => {
    const { fanout, tiles } = phases('formats')
    expect(checkFeasibility(design, nest, tiles.states, fanout)).toEqual({ ok: true })
    const big = nestOf({
      levels: [
        level('BackingStorage', { M: 128, N: 128 }, ['M', 'N', 'K'], ['A', 'B', 'Z'], []),
        level('Buffer', {}, ['M', 'N', 'K'], ['A', 'B'], ['Z']),
        level('Reg', { K: 128 }, ['K', 'M', 'N'], ['Z', 'A'], ['B']),
      ],
    })
    const bigTiles = denseTiles(design, big)
    expect(applyFormats(design, big, bigTiles.perTensor, true)).toBeNull()
    const verdict = checkFeasibility(design, big, bigTiles.states, fanoutNeeds(design, big))
    expect(verdict).toMatchObject({ ok: false, kind: 'capacity', level: 'Reg' })
  })

  it('applyMetadataAndCompression: compressed tiles move only their non-zeros and read metadata per access', () => {
    const { tiles } = phases('metadata')
    const a = tiles.states[BUFFER]![A]!
    expect(a.compressed).toBe(true)
    // Only the non-zeros move: 128³ · 13/128 = 212,992 (the published actual + gated reads).
    expect(a.reads.actual).toBe(212_992)
    expect(a.mdReads.actual).toHaveLength(a.ranks.length)
    expect(a.mdReads.actual[0]![0]).toBeGreaterThan(0)
  })

  it('applyStorageSafs: gating A on B moves the published fraction of Buffer reads to gated', () => {
    const { tiles, safs } = phases('safs')
    expect(tiles.states[BUFFER]![A]!.reads).toEqual({ actual: 21_632, gated: 191_360, skipped: 0 })
    expect(tiles.states[REG]![Z]!.reads).toEqual({ actual: 21_463, gated: 2_059_305, skipped: 0 })
    // The Buffer is A's and B's innermost level: only MACs with both operands non-zero remain.
    expect(safs!.computeScale * 128 ** 3).toBeCloseTo(21_632, 6)
  })

  it('classifyComputes: 128³ algorithmic MACs, the surviving ones all random (no compute SAF)', () => {
    const { fanout, tiles, safs } = phases('safs')
    const computes = classifyComputes(design, nest, tiles.perTensor, fanout, safs!)
    expect(computes.algorithmic).toBe(128 ** 3)
    expect(computes.gated + computes.skipped).toBe(0)
    expect(computes.macAvg).toBe(1)
    expect(computes.cycles).toBe(Math.ceil(computes.random))
  })

  it('storageLevelCost and costReport: the chained phases give evaluatePrepared\'s report; energy is the sum of levels', () => {
    const { fanout, tiles, safs } = phases('safs')
    const computes = classifyComputes(design, nest, tiles.perTensor, fanout, safs!)
    const buffer = storageLevelCost(design, BUFFER, tiles.states[BUFFER]!, computes.cycles, 'nearest-smaller')
    expect(buffer.actions.map((a) => a.tensor)).toEqual(['A', 'B'])
    const report = costReport(design, tiles.states, computes, {})
    expect(report).toEqual(evaluatePrepared(design, fig1.mapping))
    if (!report.valid) throw new Error(report.reason)
    expect(report.levels['Buffer']).toEqual(buffer.report)
    const sum = Object.values(report.levels).reduce((s, l) => s + l.energyPJ, 0)
    expect(report.energyPJ).toBeCloseTo(sum, 6)
  })
})

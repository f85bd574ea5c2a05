import { describe, expect, it } from 'vitest'
import type { DensityModelInstance } from './density'
import { createSpatialSkipAnalysis, formatCppDouble, type SpatialSkipDesign } from './spatial-skip'

// Half of every tile is non-zero: a single element is empty with probability 1/2, and an element
// of a fiber holding k of n non-zeros is empty with probability 1 − k/n.
const half: DensityModelInstance = {
  density: 0.5,
  expectedOccupancy: ({ shape }) => shape.reduce((a, b) => a * b, 1) / 2,
  maxOccupancy: ({ shape }) => Math.ceil(shape.reduce((a, b) => a * b, 1) / 2),
  probabilityEmpty: ({ shape, constraint }) => {
    const n = shape.reduce((a, b) => a * b, 1)
    if (constraint === undefined) return n === 1 ? 0.5 : 0
    const total = constraint.shape.reduce((a, b) => a * b, 1)
    return n === 1 ? 1 - constraint.occupancy / total : 0
  },
}

// Dims M (0) and K (1); A[M, K] is half-dense with metadata at the outer level; Z[M] is the
// skipping target conditioned on A; B[K] (optional) is dense and never shrinks.
const designOf = (withB: boolean): SpatialSkipDesign => ({
  dims: 2,
  relevant: withB ? [[true, true], [true, false], [false, true]] : [[true, true], [true, false]],
  hasMetadata: [withB ? [false, false, false] : [false, false], withB ? [true, false, false] : [true, false]],
  fanoutX: [1, 2],
  fanoutY: [1, 1],
  skips: [{ level: 1, target: 1, conditionOn: [0] }],
  density: (pv) => (pv === 0 ? half : undefined),
  tileShape: (pv, extents) => (pv === 0 ? [extents[0]!, extents[1]!] : pv === 1 ? [extents[0]!] : [extents[1]!]),
})
// One spatial loop M = 4 on X at the outer level; every data space kept at both levels.
const mappingOf = (tensors: number) => ({
  loops: [[], [{ dim: 0, bound: 4, kind: 'x' as const }]],
  kept: [new Array<boolean>(tensors).fill(true), new Array<boolean>(tensors).fill(true)],
})

describe('createSpatialSkipAnalysis (Sparseloop storage-gs-analyzer + BufferLevel checks)', () => {
  it('a level sees the largest per-data-space expansion: a dense data space keeps the dense one', () => {
    const result = createSpatialSkipAnalysis(designOf(true))(mappingOf(3))
    // A: 2 of the fiber's 4 elements are non-empty; Z is skipped by A's fibers; B stays dense.
    expect(result.storageX).toEqual([4, 1])
    expect(result.storageInstances).toEqual([4, 1])
    expect(result.computeX).toBe(4)
    // B needs the dense fan-out 4 from the outer level, which has 2.
    expect(result.fanoutFailures).toEqual([{ level: 1, axis: 'X', dataSpace: 2, required: 4, limit: 2 }])
  })

  it('when every data space shrinks, the level needs only the shrunk expansion and average instances', () => {
    const result = createSpatialSkipAnalysis(designOf(false))(mappingOf(2))
    expect(result.fanoutFailures).toEqual([])
    expect(result.storageX).toEqual([2, 1])
    expect(result.storageY).toEqual([1, 1])
    // Dense replication 4 × the non-empty probability 1/2 of the innermost relevant element.
    expect(result.storageInstances).toEqual([2, 1])
    expect(result.computeX).toBe(2)
  })

  it('without metadata nothing shrinks', () => {
    const design = { ...designOf(false), hasMetadata: [[false, false], [false, false]] }
    const result = createSpatialSkipAnalysis(design)(mappingOf(2))
    expect(result.storageX).toEqual([4, 1])
    expect(result.storageInstances).toEqual([4, 1])
    expect(result.fanoutFailures.map((f) => f.dataSpace)).toEqual([0, 1])
  })
})

describe('formatCppDouble (std::ostream << double)', () => {
  it('prints six significant digits, trailing zeros dropped, exponent from 1e6', () => {
    expect(formatCppDouble(1024)).toBe('1024')
    expect(formatCppDouble(1536.25)).toBe('1536.25')
    expect(formatCppDouble(12.3456789)).toBe('12.3457')
    expect(formatCppDouble(0.5)).toBe('0.5')
    expect(formatCppDouble(999999)).toBe('999999')
    expect(formatCppDouble(1048576)).toBe('1.04858e+06')
    expect(formatCppDouble(2000000)).toBe('2e+06')
    expect(formatCppDouble(0.00001234)).toBe('1.234e-05')
    expect(formatCppDouble(0.0001234)).toBe('0.0001234')
    expect(formatCppDouble(999999.7)).toBe('1e+06')
  })
})

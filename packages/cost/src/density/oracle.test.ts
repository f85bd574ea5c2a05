// Golden values from Timeloop's own output: "Max utilized data storage capacity" (the tile's
// occupancy at confidence 1) in the oracle.stats.txt of the shared Sparseloop reference cases
// (`../shared/reference/sparseloop/<case>/oracle.stats.txt` beside the repository). Exact integers: tolerance 0.
import { describe, expect, it } from 'vitest'

import { createFixedStructuredDensity, createHypergeometricDensity } from './index'

// [case, level, density, tensor size, tile size, Timeloop's max utilized capacity]
const HYPERGEOMETRIC: [string, string, number, number, number, number][] = [
  ['fig12-eyerissv2-L07', 'BackingStorage/Weights', 0.52, 4096, 4096, 2130],
  ['fig12-eyerissv2-L07', 'BackingStorage/Inputs', 0.73, 65536, 65536, 47842],
  ['fig12-eyerissv2-L07', 'weight_spad', 0.52, 4096, 64, 64],
  ['fig12-eyerissv2-L07', 'iact_spad', 0.73, 65536, 8, 8],
  ['fig12-eyerissv2-L19', 'BackingStorage/Weights', 0.55, 65536, 65536, 36045],
  ['fig12-eyerissv2-L19', 'BackingStorage/Inputs', 0.61, 16384, 16384, 9995],
  [
    'fig15-STC_flexible_dualCompress-RLE-M512-K128-N1024-w0.5',
    'DRAM/B',
    0.56,
    131072,
    131072,
    73401,
  ],
]

const FIXED: [string, string, number, number, number][] = [
  ['fig1-bitmask-d0.1', 'Buffer', 0.1015625, 128, 13],
  ['fig1-bitmask-d0.1', 'BackingStorage', 0.1015625, 16384, 1664],
  ['fig1-bitmask-d0.4', 'Buffer', 0.3984375, 128, 51],
  ['fig1-bitmask-d0.4', 'BackingStorage', 0.3984375, 16384, 6528],
  ['fig15-STC-M512-K1024-N256-w0.5', 'DRAM', 0.5, 524288, 262144],
  ['fig15-STC_flexible-M128-K1152-N1024-w0.333', 'DRAM', 0.33333, 147456, 49152],
  ['fig15-STC_flexible-RLE-M512-K256-N1024-w0.25', 'DRAM', 0.25, 131072, 32768],
  ['table7-eyeriss-conv1-sparse', 'DRAM/Outputs', 0.378, 1204224, 455197],
]

describe('Timeloop oracle: max utilized capacity at confidence 1', () => {
  it.each(HYPERGEOMETRIC)(
    'hypergeometric %s %s',
    (_case, _level, density, tensor, tile, expected) => {
      const model = createHypergeometricDensity({ density, tensorShape: [tensor], params: {} })
      expect(model.maxOccupancy({ shape: [tile] }, 1)).toBe(expected)
    }
  )
  it.each(FIXED)('fixed-structured %s %s', (_case, _level, density, tile, expected) => {
    const model = createFixedStructuredDensity({ density, tensorShape: [tile], params: {} })
    expect(model.maxOccupancy({ shape: [tile] }, 1)).toBe(expected)
  })
})

// Energy lookup for the Sparseloop model: Timeloop action names → Accelergy ERT actions with
// Sparseloop's priority table and fallbacks (shared/docs/sparseloop-model.md §7), plus the PAT
// estimate Timeloop keeps when an ERT has no matching action for a `random_*` storage operation.
import type { ComputeLevelSpec, EnergyTableSpec, StorageLevelSpec } from '@snipsnap/core'

/** Storage operations, in the order used by every per-op array of the model. */
export const STORAGE_OPS = [
  'random_read',
  'random_fill',
  'random_update',
  'gated_read',
  'gated_fill',
  'gated_update',
  'skipped_read',
  'skipped_fill',
  'skipped_update',
  'random_metadata_read',
  'random_metadata_fill',
  'random_metadata_update',
  'gated_metadata_read',
  'gated_metadata_fill',
  'gated_metadata_update',
  'skipped_metadata_read',
  'skipped_metadata_fill',
  'skipped_metadata_update',
  'decompression_count',
  'compression_count',
] as const
export type StorageOp = (typeof STORAGE_OPS)[number]

export const COMPUTE_OPS = ['random_compute', 'gated_compute', 'skipped_compute'] as const
export type ComputeOp = (typeof COMPUTE_OPS)[number]

// Timeloop's storageOperationMappings / arithmeticOperationMappings (include/model/topology.hpp).
const STORAGE_PRIORITY: Readonly<Record<StorageOp, readonly string[]>> = {
  random_read: ['random_read', 'read'],
  random_fill: ['random_fill', 'write'],
  random_update: ['random_update', 'random_fill', 'write'],
  gated_read: ['gated_read', 'idle', 'read'],
  gated_fill: ['gated_fill', 'gated_write', 'idle', 'write'],
  gated_update: ['gated_update', 'gated_write', 'idle', 'write'],
  skipped_read: ['skipped_read', 'gated_read', 'idle', 'read'],
  skipped_fill: ['skipped_fill', 'skipped_write', 'gated_write', 'idle', 'write'],
  skipped_update: ['skipped_update', 'skipped_write', 'gated_write', 'idle', 'write'],
  random_metadata_read: ['random_metadata_read', 'metadata_read', 'metadata_idle', 'idle'],
  gated_metadata_read: ['gated_metadata_read', 'metadata_idle', 'metadata_read'],
  skipped_metadata_read: ['skipped_metadata_read', 'metadata_idle', 'metadata_read'],
  random_metadata_fill: ['random_metadata_fill', 'metadata_write', 'metadata_idle', 'idle'],
  gated_metadata_fill: ['gated_metadata_fill', 'gated_metadata_write', 'metadata_idle', 'metadata_write'],
  skipped_metadata_fill: ['skipped_metadata_fill', 'skipped_metadata_write', 'metadata_idle', 'metadata_write'],
  random_metadata_update: ['random_metadata_update', 'metadata_write', 'metadata_idle', 'idle'],
  gated_metadata_update: ['gated_metadata_update', 'gated_metadata_write', 'metadata_idle', 'metadata_write'],
  skipped_metadata_update: ['skipped_metadata_update', 'skipped_metadata_write', 'metadata_idle', 'metadata_write'],
  decompression_count: ['decompression_count'],
  compression_count: ['compression_count'],
}

const COMPUTE_PRIORITY: Readonly<Record<ComputeOp, readonly string[]>> = {
  random_compute: ['mac_random', 'mult_random', 'mac', 'mult', 'compute'],
  gated_compute: ['mac_gated', 'mult_gated', 'compute_gated', 'mac', 'mult', 'compute'],
  skipped_compute: [
    'mac_skipped',
    'mult_skipped',
    'compute_skipped',
    'mac_gated',
    'mult_gated',
    'compute_gated',
    'mac',
    'mult',
    'compute',
  ],
}

/** Where an op's per-access energy came from (reported so users can audit fallbacks). */
export type EnergySource = 'ert' | 'pat-estimate' | 'none'

export interface ResolvedEnergy {
  readonly energyPJ: number
  readonly source: EnergySource
  /** ERT action name used, when `source` is `ert`. */
  readonly action: string | null
}

/** Last path element without `[a..b]` ranges: `system.PE[0..255].Buffer` → `Buffer`. */
export const componentLeafName = (path: string): string => {
  const leaf = path.split('.').pop() ?? path
  return leaf.replace(/\[[^\]]*\]/g, '')
}

/** Max energy per ERT action name for the component whose leaf name is `levelName`. */
const actionsFor = (table: EnergyTableSpec | null, levelName: string): Map<string, number> => {
  const out = new Map<string, number>()
  if (table === null) return out
  for (const entry of table.entries) {
    if (componentLeafName(entry.name) !== levelName) continue
    for (const action of entry.actions) {
      // Timeloop keeps the max over an action's argument entries.
      const prev = out.get(action.name)
      if (prev === undefined || action.energyPJ > prev) out.set(action.name, action.energyPJ)
    }
  }
  return out
}

const isDram = (level: StorageLevelSpec): boolean => /dram/i.test(level.className)

/**
 * Timeloop's PAT estimate of one vector access (`src/pat/pat.cpp`): a linear fit through two
 * Eyeriss SRAM data points, scaled by access width; DRAM is 200 pJ per 64 bits.
 */
export const patVectorAccessEnergyPJ = (level: StorageLevelSpec): number => {
  if (level.vectorAccessEnergyPJ !== null) return level.vectorAccessEnergyPJ
  const width = level.wordBits * level.blockSize * level.clusterSize
  if (isDram(level)) return (200 * width) / 64
  const entries = level.capacityWords ?? 0
  if (entries === 0) return 0
  const height = Math.ceil(entries / level.blockSize)
  const x0 = 0.5
  const y0 = 1
  const x1 = 100
  const y1 = 6
  const m = (y1 - y0) / (x1 - x0)
  const x = (width * height) / (8 * 1024)
  const y = m * (x - x0) + y0
  return (y * width) / 16 / level.clusterSize
}

/** Per-op energies of one storage level. */
export const resolveStorageEnergies = (
  level: StorageLevelSpec,
  table: EnergyTableSpec | null,
): Readonly<Record<StorageOp, ResolvedEnergy>> => {
  const actions = actionsFor(table, level.name)
  const pat = patVectorAccessEnergyPJ(level)
  const out = {} as Record<StorageOp, ResolvedEnergy>
  for (const op of STORAGE_OPS) {
    const found = STORAGE_PRIORITY[op].find((name) => actions.has(name))
    if (found !== undefined) {
      out[op] = { energyPJ: actions.get(found) ?? 0, source: 'ert', action: found }
    } else if (op === 'random_read' || op === 'random_fill' || op === 'random_update') {
      // Timeloop keeps its internal estimate for random data accesses, 0 for everything else.
      out[op] = { energyPJ: pat, source: 'pat-estimate', action: null }
    } else {
      out[op] = { energyPJ: 0, source: 'none', action: null }
    }
  }
  return out
}

/** Per-op energies of the compute level. */
export const resolveComputeEnergies = (
  level: ComputeLevelSpec,
  table: EnergyTableSpec | null,
): Readonly<Record<ComputeOp, ResolvedEnergy>> => {
  const actions = actionsFor(table, level.name)
  const out = {} as Record<ComputeOp, ResolvedEnergy>
  for (const op of COMPUTE_OPS) {
    const found = COMPUTE_PRIORITY[op].find((name) => actions.has(name))
    out[op] =
      found !== undefined
        ? { energyPJ: actions.get(found) ?? 0, source: 'ert', action: found }
        : { energyPJ: 0, source: 'none', action: null }
  }
  return out
}

// Structural queries over an ArchSpec: fan-out between adjacent levels and capacities. Pure
// functions over plain data; the cost model uses the same definitions as Timeloop's ArchProperties.
import { type ArchSpec, type ComputeLevelSpec, SnipSnapError, type StorageLevelSpec } from '@snipsnap/core'

/** Fan-out from one storage level to the next inner level (storage or compute). */
export interface LevelFanout {
  /** The storage level (parent). */
  readonly level: string
  /** The next inner level (child). */
  readonly child: string
  /** Child instances per parent instance (count). */
  readonly fanout: number
  /** Child instances per parent along X (count). */
  readonly fanoutX: number
  /** Child instances per parent along Y (count). */
  readonly fanoutY: number
}

const innerOf = (arch: ArchSpec, index: number): StorageLevelSpec | ComputeLevelSpec =>
  arch.storage[index + 1] ?? arch.compute

/**
 * Fan-outs of every storage level, outermost first (Timeloop's spatial tiling levels are the
 * ones with `fanout > 1`).
 * @example levelFanouts(arch).find((f) => f.level === 'GLB')?.fanout
 */
export const levelFanouts = (arch: ArchSpec): LevelFanout[] =>
  arch.storage.map((level, index) => {
    const child = innerOf(arch, index)
    return {
      level: level.name,
      child: child.name,
      fanout: child.instances / level.instances,
      fanoutX: child.meshX / level.meshX,
      fanoutY: child.meshY / level.meshY,
    }
  })

/**
 * The fan-out below one storage level.
 * @throws {SnipSnapError} INVALID_SPEC when no storage level has that name.
 */
export const fanoutBelow = (arch: ArchSpec, levelName: string): LevelFanout => {
  const found = levelFanouts(arch).find((f) => f.level === levelName)
  if (found === undefined) {
    throw new SnipSnapError('INVALID_SPEC', `no storage level named ${JSON.stringify(levelName)} (levels: ${arch.storage.map((s) => s.name).join(', ')})`, { path: ['level'] })
  }
  return found
}

/** Capacity of one storage level. */
export interface LevelCapacity {
  readonly level: string
  /** Words per instance, null when unbounded. */
  readonly wordsPerInstance: number | null
  /** Words over all instances, null when unbounded. */
  readonly totalWords: number | null
  /** Data bits over all instances (words × word bits), null when unbounded. */
  readonly totalBits: number | null
  /** Metadata bits over all instances (depth × width × instances), null when the depth is not given. */
  readonly metadataTotalBits: number | null
}

/** Capacities of every storage level, outermost first. */
export const levelCapacities = (arch: ArchSpec): LevelCapacity[] =>
  arch.storage.map((level) => {
    const words = level.capacityWords
    const mdDepth = level.metadataStorageDepth
    return {
      level: level.name,
      wordsPerInstance: words,
      totalWords: words === null ? null : words * level.instances,
      totalBits: words === null ? null : words * level.instances * level.wordBits,
      metadataTotalBits: mdDepth === null ? null : mdDepth * (level.metadataStorageWidthBits ?? 0) * level.instances,
    }
  })

/**
 * Total on-chip data capacity in bits: every bounded level (DRAM and other unbounded levels are
 * left out), over all instances.
 */
export const totalCapacityBits = (arch: ArchSpec): number =>
  levelCapacities(arch).reduce((sum, c) => sum + (c.totalBits ?? 0), 0)

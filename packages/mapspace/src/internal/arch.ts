// Architecture facts the mapspace needs: per storage level (outermost first) its fan-out to the
// next inner level (or the compute level) along X and Y, the way Timeloop's ArchProperties derives
// them (child instances / parent instances, child meshX / parent meshX).
import { SnipSnapError, type ArchSpec, type StorageLevelSpec } from '@snipsnap/core'

/** One storage level with its fan-out to the level below. */
export interface LevelInfo {
  /** Index in `arch.storage` (0 = outermost). */
  readonly index: number
  readonly name: string
  readonly spec: StorageLevelSpec
  /** Name of the level below (the next storage level, or the compute level). */
  readonly childName: string
  readonly fanout: number
  readonly fanoutX: number
  readonly fanoutY: number
}

const ratio = (child: number, parent: number, path: readonly (string | number)[]): number => {
  if (!(parent >= 1) || !(child >= 1)) {
    throw new SnipSnapError('INVALID_SPEC', `instance counts must be ≥ 1 (got ${child} below ${parent})`, {
      path,
    })
  }
  return Math.max(1, Math.floor(child / parent))
}

/** Derives per-level fan-outs; throws INVALID_SPEC on an empty or inconsistent hierarchy. */
export const analyseArch = (arch: ArchSpec): readonly LevelInfo[] => {
  if (arch.storage.length === 0) {
    throw new SnipSnapError('INVALID_SPEC', 'the architecture has no storage level', {
      path: ['arch', 'storage'],
    })
  }
  const seen = new Set<string>()
  return arch.storage.map((spec, index) => {
    if (seen.has(spec.name)) {
      throw new SnipSnapError('INVALID_SPEC', `duplicate storage level name "${spec.name}"`, {
        path: ['arch', 'storage', index, 'name'],
      })
    }
    seen.add(spec.name)
    const child = arch.storage[index + 1] ?? arch.compute
    const path = ['arch', 'storage', index]
    return {
      index,
      name: spec.name,
      spec,
      childName: child.name,
      fanout: ratio(child.instances, spec.instances, path),
      fanoutX: ratio(child.meshX, spec.meshX, path),
      fanoutY: ratio(child.meshY, spec.meshY, path),
    }
  })
}

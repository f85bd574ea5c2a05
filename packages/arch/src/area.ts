// Area of an accelerator from an Accelergy area reference table (ART). ART entries give the
// area of one instance of a component; a level matches an entry by the last element of the
// entry's path with `[a..b]` ranges stripped (the rule Timeloop uses for ERT entries).
import type { ArchSpec, AreaTableSpec } from '@snipsnap/core'

/** Area of one level. */
export interface LevelArea {
  readonly level: string
  /** µm² per instance, from the ART (0 when the ART has no entry). */
  readonly perInstanceUM2: number
  readonly instances: number
  /** µm² over all instances. */
  readonly totalUM2: number
}

/** Area of the whole accelerator. */
export interface ArchArea {
  /** Sum over levels, µm². */
  readonly totalUM2: number
  readonly levels: readonly LevelArea[]
  /** Levels with no ART entry (their area counts as 0). */
  readonly missing: readonly string[]
}

/** Last path element without its replication range: `system.PE[0..3].Buffer` → `Buffer`. */
export const componentName = (path: string): string => {
  let depth = 0
  let start = 0
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]
    if (ch === '[') depth++
    else if (ch === ']') depth--
    else if (ch === '.' && depth === 0) start = i + 1
  }
  return path.slice(start).replace(/\[[^\]]*\]\s*$/, '').trim()
}

/**
 * Area per level and in total, µm².
 * @example archArea(preset.arch, preset.areaTable).totalUM2
 */
export const archArea = (arch: ArchSpec, areaTable: AreaTableSpec): ArchArea => {
  const byName = new Map<string, number>()
  for (const entry of areaTable.entries) byName.set(componentName(entry.name), entry.areaUM2)
  const missing: string[] = []
  const levels = [...arch.storage, arch.compute].map((level): LevelArea => {
    const area = byName.get(level.name)
    if (area === undefined) missing.push(level.name)
    const perInstanceUM2 = area ?? 0
    return { level: level.name, perInstanceUM2, instances: level.instances, totalUM2: perInstanceUM2 * level.instances }
  })
  return { totalUM2: levels.reduce((sum, l) => sum + l.totalUM2, 0), levels, missing }
}

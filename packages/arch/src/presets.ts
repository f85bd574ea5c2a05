// Built-in accelerator presets, each with its energy (ERT) and area (ART) tables. Ids are stable
// public API; sources are documented in each preset module and in the README.
import { type ArchSpec, type AreaTableSpec, type DesignSpec, type EnergyTableSpec, type ProblemSpec, SnipSnapError } from '@snipsnap/core'
import { parseArchSpec } from './normalize'
import type { ArchSpecInput } from './schema'
import { EYERISS_LIKE_ARCH, EYERISS_LIKE_ART, EYERISS_LIKE_ERT, EYERISS_LIKE_SUMMARY } from './presets/eyeriss-like'
import { LLM_DEFAULT_ARCH, LLM_DEFAULT_ART, LLM_DEFAULT_ERT, LLM_DEFAULT_SUMMARY } from './presets/llm-default'
import { STC_LIKE_ARCH, STC_LIKE_ART, STC_LIKE_ERT, STC_LIKE_SUMMARY } from './presets/stc-like'

/** Ids of the built-in presets. */
export const ARCH_PRESET_IDS = ['eyeriss-like', 'stc-like', 'llm-default'] as const
/** A built-in preset id. */
export type ArchPresetId = (typeof ARCH_PRESET_IDS)[number]

/** An accelerator with its tables. */
export interface ArchPreset {
  readonly id: ArchPresetId
  readonly summary: string
  readonly arch: ArchSpec
  /** Per-action energies, pJ. */
  readonly energyTable: EnergyTableSpec
  /** Per-instance areas, µm². */
  readonly areaTable: AreaTableSpec
}

const SOURCES: Readonly<Record<ArchPresetId, { arch: ArchSpecInput; ert: EnergyTableSpec; art: AreaTableSpec; summary: string }>> = {
  'eyeriss-like': { arch: EYERISS_LIKE_ARCH, ert: EYERISS_LIKE_ERT, art: EYERISS_LIKE_ART, summary: EYERISS_LIKE_SUMMARY },
  'stc-like': { arch: STC_LIKE_ARCH, ert: STC_LIKE_ERT, art: STC_LIKE_ART, summary: STC_LIKE_SUMMARY },
  'llm-default': { arch: LLM_DEFAULT_ARCH, ert: LLM_DEFAULT_ERT, art: LLM_DEFAULT_ART, summary: LLM_DEFAULT_SUMMARY },
}

// Preset tables are plain JSON data; a JSON round trip copies them without relying on the
// `structuredClone` global, which the platform-neutral ES2022 library typings do not declare.
const clonePlain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

const isPresetId = (id: string): id is ArchPresetId => (ARCH_PRESET_IDS as readonly string[]).includes(id)

/**
 * A built-in accelerator preset with its ERT and ART. Every call returns fresh objects.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unknown id, listing the known ids.
 * @example const { arch, energyTable, areaTable } = getArchPreset('llm-default')
 */
export const getArchPreset = (id: string): ArchPreset => {
  if (!isPresetId(id)) {
    throw new SnipSnapError('PLUGIN_NOT_FOUND', `unknown architecture preset ${JSON.stringify(id)} (known: ${ARCH_PRESET_IDS.join(', ')})`, { path: ['preset'] })
  }
  const source = SOURCES[id]
  return {
    id,
    summary: source.summary,
    arch: parseArchSpec(clonePlain(source.arch)),
    energyTable: clonePlain(source.ert),
    areaTable: clonePlain(source.art),
  }
}

/** Every preset id with its one-line summary. */
export const listArchPresets = (): { readonly id: ArchPresetId; readonly summary: string }[] =>
  ARCH_PRESET_IDS.map((id) => ({ id, summary: SOURCES[id].summary }))

/** The design sections `designFromPreset` leaves empty unless given. */
export type PresetDesignOptions = Partial<Pick<DesignSpec, 'mapping' | 'sparseOptimizations' | 'constraints' | 'mapper'>>

/**
 * A complete design of a built-in preset (its accelerator, ERT and ART) and a problem, ready for a
 * search: no mapping, no sparse optimizations, no constraints and no mapper settings unless given.
 * Every call returns fresh preset objects; the problem and the options are used as given.
 * @throws {SnipSnapError} PLUGIN_NOT_FOUND for an unknown id, listing the known ids.
 * @example const design = designFromPreset('llm-default', gemmToProblem(layer, densities))
 */
export const designFromPreset = (presetId: string, problem: ProblemSpec, options: PresetDesignOptions = {}): DesignSpec => {
  const { arch, energyTable, areaTable } = getArchPreset(presetId)
  return {
    arch,
    problem,
    mapping: options.mapping ?? null,
    sparseOptimizations: options.sparseOptimizations ?? { targets: [] },
    energyTable,
    areaTable,
    constraints: options.constraints ?? [],
    mapper: options.mapper ?? null,
  }
}

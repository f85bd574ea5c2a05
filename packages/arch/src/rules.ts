// Named cross-field rules of an accelerator (changesets' rules.ts pattern): each returns issues,
// never throws, so a form or the CLI can show all of them at once.
import { type ArchSpec, closestNames, type ComputeLevelSpec, type Issue, type StorageLevelSpec } from '@snipsnap/core'

/** A named validation rule over a resolved ArchSpec. */
export interface ArchRule {
  readonly id: string
  readonly description: string
  readonly check: (arch: ArchSpec) => readonly Issue[]
}

type Level = StorageLevelSpec | ComputeLevelSpec

const chain = (arch: ArchSpec): { level: Level; path: (string | number)[] }[] => [
  ...arch.storage.map((level, i) => ({ level, path: ['storage', i] as (string | number)[] })),
  { level: arch.compute, path: ['compute'] },
]

/** Each level with the one directly outside it (the parent), outermost pair first. */
const parentChildPairs = (arch: ArchSpec): { parent: Level; child: Level; path: (string | number)[] }[] => {
  const levels = chain(arch)
  return levels.slice(1).map((child, i) => ({ parent: (levels[i] as (typeof levels)[number]).level, child: child.level, path: child.path }))
}

const issue = (code: string, path: (string | number)[], message: string): Issue => ({ code, path, message })

/** Level names are unique: mappings and sparse optimizations address levels by name. */
export const uniqueLevelNames: ArchRule = {
  id: 'unique-level-names',
  description: 'every storage and compute level has a distinct name',
  check: (arch) => {
    const seen = new Set<string>()
    const out: Issue[] = []
    for (const { level, path } of chain(arch)) {
      if (seen.has(level.name)) out.push(issue('unique-level-names', [...path, 'name'], `level name ${JSON.stringify(level.name)} is used twice`))
      seen.add(level.name)
    }
    return out
  },
}

/** meshX × meshY = instances on every level. */
export const meshMatchesInstances: ArchRule = {
  id: 'mesh-matches-instances',
  description: 'meshX × meshY equals the number of instances',
  check: (arch) =>
    chain(arch)
      .filter(({ level }) => level.meshX * level.meshY !== level.instances)
      .map(({ level, path }) => issue('mesh-matches-instances', [...path, 'meshX'], `meshX ${level.meshX} × meshY ${level.meshY} ≠ ${level.instances} instances`)),
}

/** Each level's instances divide the next inner level's (Timeloop asserts this in FloorPlan). */
export const instancesDivisible: ArchRule = {
  id: 'instances-divisible',
  description: "a level's instances are a multiple of its parent's",
  check: (arch) =>
    parentChildPairs(arch)
      .filter(({ parent, child }) => child.instances % parent.instances !== 0)
      .map(({ parent, child, path }) =>
        issue('instances-divisible', [...path, 'instances'], `${child.name} has ${child.instances} instances, not a multiple of ${parent.name}'s ${parent.instances}`),
      ),
}

/** Mesh axes nest: a child's meshX and meshY are multiples of the parent's (X and Y fan-outs). */
export const meshDivisible: ArchRule = {
  id: 'mesh-divisible',
  description: "a level's meshX and meshY are multiples of its parent's",
  check: (arch) =>
    parentChildPairs(arch)
      .filter(({ parent, child }) => child.meshX % parent.meshX !== 0 || child.meshY % parent.meshY !== 0)
      .map(({ parent, child, path }) =>
        issue('mesh-divisible', [...path, 'meshX'], `${child.name}'s mesh ${child.meshX}×${child.meshY} does not nest in ${parent.name}'s ${parent.meshX}×${parent.meshY}`),
      ),
}

/** DRAM levels have cluster size 1 (Timeloop asserts it). */
export const dramClusterSize: ArchRule = {
  id: 'dram-cluster-size',
  description: 'a DRAM level has cluster size 1',
  check: (arch) =>
    arch.storage.flatMap((level, i) =>
      (level.technology ?? (level.className.includes('DRAM') ? 'DRAM' : 'SRAM')) === 'DRAM' && level.clusterSize !== 1
        ? [issue('dram-cluster-size', ['storage', i, 'clusterSize'], `DRAM level ${level.name} has cluster size ${level.clusterSize}, must be 1`)]
        : [],
    ),
}

/** Metadata storage width holds whole metadata words (Timeloop asserts it). */
export const metadataWidthFits: ArchRule = {
  id: 'metadata-width-fits',
  description: 'metadata storage width is a multiple of metadata word bits × metadata block size',
  check: (arch) =>
    arch.storage.flatMap((level, i) => {
      const width = level.metadataStorageWidthBits ?? 0
      const word = (level.metadataWordBits ?? 0) * (level.metadataBlockSize ?? 1)
      return width > 0 && word > 0 && width % word !== 0
        ? [issue('metadata-width-fits', ['storage', i, 'metadataStorageWidthBits'], `${level.name}: metadata width ${width} is not a multiple of ${word}`)]
        : []
    }),
}

/** A minimum utilization needs a bounded capacity. */
export const minUtilizationNeedsCapacity: ArchRule = {
  id: 'min-utilization-needs-capacity',
  description: 'a level with min utilization has a finite capacity',
  check: (arch) =>
    arch.storage.flatMap((level, i) =>
      level.minUtilization > 0 && level.capacityWords === null
        ? [issue('min-utilization-needs-capacity', ['storage', i, 'minUtilization'], `${level.name} sets min utilization but has no capacity`)]
        : [],
    ),
}

// Timeloop attribute names the model reads, and the field of a SnipSnap spec that holds each.
// In `attributes` they would be kept for estimators and never reach the model.
const MODEL_ATTRIBUTES: Readonly<Record<string, string>> = {
  word_bits: 'wordBits', word_width: 'wordBits', datawidth: 'wordBits',
  block_size: 'blockSize', n_words: 'blockSize', cluster_size: 'clusterSize',
  depth: 'capacityWords', memory_depth: 'capacityWords', data_storage_depth: 'capacityWords', entries: 'capacityWords', sizeKB: 'capacityWords',
  width: 'wordBits × blockSize × clusterSize', memory_width: 'wordBits × blockSize × clusterSize', data_storage_width: 'wordBits × blockSize × clusterSize',
  metadata_storage_depth: 'metadataStorageDepth', metadata_depth: 'metadataStorageDepth',
  metadata_storage_width: 'metadataStorageWidthBits', metadata_width: 'metadataStorageWidthBits',
  metadata_datawidth: 'metadataWordBits', metadata_word_bits: 'metadataWordBits', metadata_block_size: 'metadataBlockSize',
  bandwidth: 'readBandwidthWordsPerCycle and writeBandwidthWordsPerCycle', read_bandwidth: 'readBandwidthWordsPerCycle',
  write_bandwidth: 'writeBandwidthWordsPerCycle', shared_bandwidth: 'sharedBandwidthWordsPerCycle',
  multiple_buffering: 'multipleBuffering', min_utilization: 'minUtilization', num_ports: 'numPorts', n_ports: 'numPorts',
  num_banks: 'numBanks', n_banks: 'numBanks', instances: 'instances', meshX: 'meshX', meshY: 'meshY',
  allow_overbooking: 'allowOverbooking', compression_supported: 'compressionSupported', decompression_supported: 'decompressionSupported',
  vector_access_energy: 'vectorAccessEnergyPJ', addr_gen_energy: 'addrGenEnergyPJ',
}
const MODEL_ATTRIBUTE_NAMES = Object.keys(MODEL_ATTRIBUTES)

/**
 * `attributes` hold data for energy estimators only: a Timeloop attribute the model reads (or a
 * near miss of one) placed there would be silently ignored, so it is an issue naming the field.
 */
export const attributesAreNotModelFields: ArchRule = {
  id: 'attributes-are-not-model-fields',
  description: 'no level carries a model setting (e.g. read_bandwidth) in its free-form attributes',
  check: (arch) =>
    chain(arch).flatMap(({ level, path }) =>
      Object.keys(level.attributes).flatMap((key) => {
        const folded = key.replaceAll('-', '_')
        const exact = MODEL_ATTRIBUTES[folded]
        const near = exact === undefined ? closestNames(key, MODEL_ATTRIBUTE_NAMES) : [folded]
        if (near.length === 0) return []
        const fields = [...new Set(near.map((n) => MODEL_ATTRIBUTES[n]))].join(' or ')
        const what = exact === undefined ? `\`${key}\`: did you mean ${near.map((n) => `\`${n}\``).join(' or ')}? ` : ''
        return [issue('model-field-in-attributes', [...path, 'attributes', key], `${what}the model does not read attributes; set ${fields} of ${level.name} instead`)]
      }),
    ),
}

/** Every rule, in the order they run. */
export const ARCH_RULES: readonly ArchRule[] = [
  uniqueLevelNames,
  meshMatchesInstances,
  instancesDivisible,
  meshDivisible,
  dramClusterSize,
  metadataWidthFits,
  minUtilizationNeedsCapacity,
  attributesAreNotModelFields,
]

/**
 * Runs every rule (or the given ones) and returns all issues; an empty list means valid.
 * @example if (validateArch(arch).length > 0) …
 */
export const validateArch = (arch: ArchSpec, rules: readonly ArchRule[] = ARCH_RULES): Issue[] =>
  rules.flatMap((rule) => rule.check(arch))

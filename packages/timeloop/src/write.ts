// SnipSnap designs → Timeloop YAML (the 2022 "v0.3" dialect Sparseloop reads: hyphenated sparse
// keys, `subtree`/`local` architecture). What is written parses back to an equal DesignSpec.
import { stringify } from 'yaml'
import {
  type ArchSpec,
  type AreaTableSpec,
  type ComputeLevelSpec,
  type ConstraintSpec,
  type DensitySpec,
  type DesignSpec,
  type EnergyTableSpec,
  type MapperSettingsSpec,
  type MappingSpec,
  type ProblemSpec,
  SnipSnapError,
  type SparseOptimizationsSpec,
  type StorageLevelSpec,
} from '@snipsnap/core'
import { spatialTilingLevels } from './internal/mapping'
import { foldKey, parseReplicatedName } from './internal/read'

export { spatialTilingLevels }

type Yaml = Record<string, unknown>

const invalid = (path: readonly (string | number)[], message: string): SnipSnapError =>
  new SnipSnapError('INVALID_SPEC', `${path.join('.')}: ${message}`, { path })

// Keys the writer emits for typed fields; raw attributes must not shadow them.
const STORAGE_TYPED = new Set([
  'word_bits', 'word_width', 'datawidth', 'block_size', 'n_words', 'metadata_block_size', 'metadata_datawidth',
  'metadata_word_bits', 'metadata_storage_width', 'metadata_storage_depth', 'decompression_supported',
  'compression_supported', 'cluster_size', 'width', 'memory_width', 'data_storage_width', 'entries', 'depth',
  'memory_depth', 'data_storage_depth', 'sizeKB', 'num_ports', 'n_ports', 'num_banks', 'n_banks', 'bandwidth',
  'read_bandwidth', 'write_bandwidth', 'shared_bandwidth', 'multiple_buffering', 'min_utilization', 'instances',
  'meshX', 'meshY', 'allow_overbooking', 'vector_access_energy', 'addr_gen_energy', 'tile_partition_supported',
  'concordant_compressed_tile_traversal',
])
const COMPUTE_TYPED = new Set(['word_bits', 'word_width', 'datawidth', 'instances', 'meshX', 'meshY'])

const addRaw = (out: Yaml, raw: Readonly<Record<string, unknown>>, typed: ReadonlySet<string>, path: readonly (string | number)[]): void => {
  for (const [key, value] of Object.entries(raw)) {
    if (typed.has(foldKey(key))) throw invalid([...path, 'attributes', key], 'duplicates a typed field; set the field instead')
    out[key] = value
  }
}

/** Splits an Accelergy path on dots outside `[a..b]` ranges. */
const splitPath = (path: string): string[] => {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const ch of path) {
    if (ch === '[') depth++
    if (ch === ']') depth--
    if (ch === '.' && depth === 0) {
      parts.push(current)
      current = ''
    } else current += ch
  }
  parts.push(current)
  return parts
}

const meshAttributes = (level: { instances: number; meshX: number; meshY: number }, nElements: number): Yaml => {
  const out: Yaml = {}
  if (level.instances !== nElements) out.instances = level.instances
  if (!(level.meshX === level.instances && level.meshY === 1)) {
    out.meshX = level.meshX
    out.meshY = level.meshY
  }
  return out
}

const storageAttributes = (s: StorageLevelSpec, nElements: number, path: readonly (string | number)[]): Yaml => {
  const technology = s.technology ?? (s.className.includes('DRAM') ? 'DRAM' : 'SRAM')
  const derived = s.className.includes('DRAM') || s.attributes.technology === 'DRAM' ? 'DRAM' : 'SRAM'
  if (technology !== derived) {
    throw invalid([...path, 'technology'], `technology ${technology} does not follow from class ${JSON.stringify(s.className)}; Timeloop derives it from the class name`)
  }
  const out: Yaml = {
    datawidth: s.wordBits,
    block_size: s.blockSize,
    'cluster-size': s.clusterSize,
    width: s.wordBits * s.blockSize * s.clusterSize,
  }
  if (s.capacityWords !== null) {
    if (s.capacityWords % s.blockSize === 0) out.depth = s.capacityWords / s.blockSize
    else out.entries = s.capacityWords
  }
  out.metadata_storage_width = s.metadataStorageWidthBits ?? 0
  if (s.metadataStorageDepth !== null) out.metadata_storage_depth = s.metadataStorageDepth
  out.metadata_datawidth = s.metadataWordBits ?? 0
  out.metadata_block_size = s.metadataBlockSize ?? 1
  if (s.readBandwidthWordsPerCycle !== null) out.read_bandwidth = s.readBandwidthWordsPerCycle
  if (s.writeBandwidthWordsPerCycle !== null) out.write_bandwidth = s.writeBandwidthWordsPerCycle
  if (s.sharedBandwidthWordsPerCycle !== null) out.shared_bandwidth = s.sharedBandwidthWordsPerCycle
  if (s.multipleBuffering !== 1) out['multiple-buffering'] = s.multipleBuffering
  if (s.minUtilization !== 0) out['min-utilization'] = s.minUtilization
  if (s.numPorts !== 2) out['num-ports'] = s.numPorts
  // Written exactly when declared (Timeloop and Accelergy both read `n_banks`, with defaults 2 and
  // 1): writing Timeloop's 2 for an undeclared count would make Accelergy price two banks.
  if (s.numBanks !== undefined) out.n_banks = s.numBanks
  if (s.allowOverbooking) out.allow_overbooking = true
  if (s.compressionSupported) out.compression_supported = true
  if (s.decompressionSupported) out.decompression_supported = true
  if (s.vectorAccessEnergyPJ !== null) out['vector-access-energy'] = s.vectorAccessEnergyPJ
  if (s.addrGenEnergyPJ !== null) out['addr-gen-energy'] = s.addrGenEnergyPJ
  Object.assign(out, meshAttributes(s, nElements))
  addRaw(out, s.attributes, STORAGE_TYPED, path)
  return out
}

const computeAttributes = (c: ComputeLevelSpec, nElements: number, path: readonly (string | number)[]): Yaml => {
  const out: Yaml = { datawidth: c.wordBits, ...meshAttributes(c, nElements) }
  addRaw(out, c.attributes, COMPUTE_TYPED, path)
  return out
}

interface Placed {
  readonly level: StorageLevelSpec | ComputeLevelSpec
  readonly prefix: readonly string[]
  readonly leaf: string
}

/** Places every level in the subtree chain its path names, or null when paths are not a chain. */
const placeByPath = (arch: ArchSpec): Placed[] | null => {
  const levels = [...arch.storage, arch.compute]
  const placed: Placed[] = []
  let previous: readonly string[] = []
  for (const level of levels) {
    const parts = splitPath(level.path)
    const leaf = parts[parts.length - 1] ?? ''
    const prefix = parts.slice(0, -1)
    if (prefix.length === 0 || prefix.some((p) => p === '')) return null
    let base: string
    try {
      base = parseReplicatedName(leaf, { file: '', path: [] }).base
      for (const p of prefix) parseReplicatedName(p, { file: '', path: [] })
    } catch {
      return null
    }
    if (base !== level.name) return null
    // Deeper levels must extend the subtree chain of the outer ones.
    if (!previous.every((p, i) => prefix[i] === p)) return null
    previous = prefix
    placed.push({ level, prefix, leaf })
  }
  return placed
}

const countOf = (name: string): number => parseReplicatedName(name, { file: '', path: [] }).count

/** The `architecture:` section (v0.3 tree) of an ArchSpec. */
export const architectureToYaml = (arch: ArchSpec): Yaml => {
  const placed = placeByPath(arch) ?? [...arch.storage, arch.compute].map((level) => ({
    level,
    prefix: [arch.name === '' ? 'system' : arch.name],
    leaf: level.name,
  }))
  const deepest = placed[placed.length - 1]?.prefix ?? ['system']
  const nodes: Yaml[] = deepest.map((name) => ({ name, local: [] as Yaml[] }))
  for (const [index, { level, prefix, leaf }] of placed.entries()) {
    const nElements = prefix.reduce((product, name) => product * countOf(name), 1) * countOf(leaf)
    const path = ['architecture', level.name]
    const component: Yaml = { name: leaf, class: level.className }
    if (level.subclassName !== undefined) component.subclass = level.subclassName
    component.attributes = level.kind === 'storage' ? storageAttributes(level, nElements, path) : computeAttributes(level, nElements, path)
    const node = nodes[prefix.length - 1]
    if (node === undefined) throw invalid(path, `cannot place level #${index}`)
    ;(node.local as Yaml[]).push(component)
  }
  // Nest the chain: each node's subtree is the next one.
  for (let i = nodes.length - 2; i >= 0; i--) {
    const node = nodes[i] as Yaml
    node.subtree = [nodes[i + 1]]
  }
  for (const node of nodes) if ((node.local as Yaml[]).length === 0) delete node.local
  return { version: 0.3, subtree: [nodes[0]] }
}

const DISTRIBUTION_NAMES: Readonly<Record<string, string>> = {
  'fixed-structured': 'fixed-structured',
  hypergeometric: 'hypergeometric',
  banded: 'banded',
  'actual-data': 'real-data',
}
const PARAM_KEYS: Readonly<Record<string, string>> = {
  bandWidth: 'band_width',
  workloadTensorSize: 'workload_tensor_size',
  dataFilePath: 'data_file_path',
}

const densityToYaml = (tensor: string, d: DensitySpec): Yaml => {
  const distribution = DISTRIBUTION_NAMES[d.distribution]
  if (distribution === undefined) {
    throw new SnipSnapError('UNSUPPORTED_FEATURE', `problem.instance.densities.${tensor}: density model ${JSON.stringify(d.distribution)} has no Timeloop equivalent`, { path: ['problem', 'instance', 'densities', tensor] })
  }
  const out: Yaml = { distribution, density: d.density }
  for (const [key, value] of Object.entries(d.params)) {
    const yamlKey = PARAM_KEYS[key]
    if (yamlKey === undefined) throw invalid(['problem', 'instance', 'densities', tensor, key], 'parameter has no Timeloop spelling')
    out[yamlKey] = value
  }
  return out
}

/** The `problem:` section of a ProblemSpec. */
export const problemToYaml = (problem: ProblemSpec): Yaml => {
  const shape: Yaml = { name: problem.name, dimensions: [...problem.dimensions] }
  const coefficients = Object.entries(problem.coefficients)
  if (coefficients.length > 0) shape.coefficients = coefficients.map(([name, value]) => ({ name, default: value }))
  shape['data-spaces'] = problem.dataSpaces.map((ds) => ({
    name: ds.name,
    projection: ds.projection.map((rank) => rank.map((term) => (term.coefficient === null ? [term.dim] : [term.dim, term.coefficient]))),
    ...(ds.readWrite ? { 'read-write': true } : {}),
  }))
  const instance: Yaml = { ...problem.bounds, ...problem.coefficients }
  const densities = Object.entries(problem.densities)
  if (densities.length > 0) instance.densities = Object.fromEntries(densities.map(([tensor, d]) => [tensor, densityToYaml(tensor, d)]))
  return { shape, instance }
}

const permutationText = (dims: readonly string[]): string =>
  dims.every((d) => d.length === 1) ? dims.join('') : dims.join(' ')

const factorText = (factors: Readonly<Record<string, number>>, order: readonly string[]): string =>
  order.map((dim) => `${dim}=${factors[dim] ?? 1}`).join(' ')

/** Where a mapping is written for: the design's architecture and problem. */
export interface MappingTarget {
  /** Decides which levels get a spatial directive (Timeloop's spatial tiling levels). */
  readonly arch?: ArchSpec
  /** Every dimension gets a factor and a place in each permutation, in the problem's order. */
  readonly problem?: ProblemSpec
}

/** `order` followed by the dims it lacks (Timeloop pads permutations the same way, outermost). */
const complete = (order: readonly string[], dims: readonly string[]): string[] => [...order, ...dims.filter((d) => !order.includes(d))]

/**
 * The `mapping:` directive list of a MappingSpec, in the form `timeloop-model` accepts without a
 * warning: every temporal and spatial directive lists a factor for every dimension and a complete
 * permutation, and spatial directives appear exactly at Timeloop's spatial tiling levels when
 * `target.arch` is given (always, with `split`), else only where a spatial factor is above 1.
 * @throws {SnipSnapError} INVALID_SPEC when a spatial factor above 1 sits at a level without
 *   fan-out (Timeloop has no spatial loop there).
 */
export const mappingToYaml = (mapping: MappingSpec, target: MappingTarget = {}): Yaml[] => {
  const out: Yaml[] = []
  const spatialLevels = target.arch === undefined ? null : spatialTilingLevels(target.arch)
  for (const [i, level] of mapping.levels.entries()) {
    const dims =
      target.problem?.dimensions ??
      complete(complete(complete(Object.keys(level.temporalFactors), level.temporalPermutation), Object.keys(level.spatialFactors)), level.spatialPermutation)
    if (level.keep.length > 0 || level.bypass.length > 0 || level.stream.length > 0) {
      out.push({ target: level.target, type: 'datatype', keep: [...level.keep], bypass: [...level.bypass], stream: [...level.stream] })
    }
    out.push({ target: level.target, type: 'temporal', factors: factorText(level.temporalFactors, dims), permutation: permutationText(complete(level.temporalPermutation, dims)) })
    const nonTrivial = dims.some((dim) => (level.spatialFactors[dim] ?? 1) !== 1)
    const spatial = spatialLevels === null ? nonTrivial : spatialLevels[i] === true
    if (spatialLevels !== null && !spatial && nonTrivial) {
      throw invalid(['mapping', 'levels', i, 'spatialFactors'], `${level.target} has no spatial fan-out in the architecture, so Timeloop has no spatial loop there (spatial factors ${factorText(level.spatialFactors, dims.filter((d) => (level.spatialFactors[d] ?? 1) !== 1))})`)
    }
    if (spatial) {
      out.push({ target: level.target, type: 'spatial', factors: factorText(level.spatialFactors, dims), permutation: permutationText(complete(level.spatialPermutation, dims)), split: level.spatialSplit })
    }
  }
  return out
}

/** The `sparse_optimizations:` section (2022 hyphenated dialect). */
export const sparseOptimizationsToYaml = (sparse: SparseOptimizationsSpec): Yaml => ({
  targets: sparse.targets.map((target) => {
    const out: Yaml = { name: target.level }
    if (target.formats.length > 0) {
      out['representation-format'] = {
        'data-spaces': target.formats.map((f) => ({
          name: f.tensor,
          'rank-application-order': f.rankApplicationOrder,
          ranks: f.ranks.map((rank) => ({
            format: rank.format,
            ...(rank.metadataWordBits === null ? {} : { 'metadata-word-bits': rank.metadataWordBits }),
            ...(rank.payloadWordBits === null ? {} : { 'payload-word-bits': rank.payloadWordBits }),
            ...(rank.flattenedRankIds === null ? {} : { 'flattened-rankIDs': rank.flattenedRankIds.map((g) => [...g]) }),
          })),
        })),
      }
    }
    if (target.actionOptimizations.length > 0) {
      out['action-optimization'] = target.actionOptimizations.map((a) => ({
        type: a.type,
        options: a.options.map((o) => ({ target: o.target, 'condition-on': [...o.conditionOn] })),
      }))
    }
    if (target.computeOptimizations.length > 0) out['compute-optimization'] = target.computeOptimizations.map((c) => ({ type: c.type }))
    return out
  }),
})

/** The `ERT:` section. */
export const energyTableToYaml = (table: EnergyTableSpec): Yaml => ({
  version: 0.3,
  tables: table.entries.map((entry) => ({
    name: entry.name,
    actions: entry.actions.map((action) => ({ name: action.name, arguments: action.arguments, energy: action.energyPJ })),
  })),
})

/** The `ART:` section (areas in µm²). */
export const areaTableToYaml = (table: AreaTableSpec): Yaml => ({
  version: 0.3,
  tables: table.entries.map((entry) => ({ name: entry.name, area: entry.areaUM2 })),
})

const constraintToYaml = (c: ConstraintSpec): Yaml => {
  // The parsed form keeps the directive verbatim; written constraints round-trip through it.
  if (Object.keys(c.raw).length > 0) return { ...c.raw }
  const out: Yaml = { target: c.target, type: c.type }
  const factors = Object.entries(c.factors).map(([dim, f]) => (f.exact !== null ? `${dim}=${f.exact}` : `${dim}<=${f.max ?? 1}`))
  if (factors.length > 0) out.factors = factors.join(' ')
  if (c.permutation !== null) out.permutation = permutationText(c.permutation)
  if (c.split !== null) out.split = c.split
  if (c.keep.length > 0) out.keep = [...c.keep]
  if (c.bypass.length > 0) out.bypass = [...c.bypass]
  return out
}

const mapperToYaml = (m: MapperSettingsSpec): Yaml => {
  if (Object.keys(m.raw).length > 0) return { ...m.raw }
  const out: Yaml = { algorithm: m.algorithm }
  if (m.threads !== null) out['num-threads'] = m.threads
  if (m.optimizationMetrics.length > 0) out['optimization-metrics'] = [...m.optimizationMetrics]
  if (m.searchSize !== null) out['search-size'] = m.searchSize
  if (m.timeout !== null) out.timeout = m.timeout
  if (m.victoryCondition !== null) out['victory-condition'] = m.victoryCondition
  return out
}

const toText = (doc: Yaml): string => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })

/** Options of {@link writeTimeloopYaml}. */
export interface WriteTimeloopOptions {
  /** Sections to leave out, e.g. `['ERT', 'ART']` to write them to separate files. */
  readonly omit?: readonly ('mapping' | 'sparse_optimizations' | 'ERT' | 'ART' | 'constraints' | 'mapper' | 'compound_components')[]
}

/**
 * Writes a design as one Timeloop YAML document (v0.3 architecture tree, 2022 sparse dialect)
 * that {@link parseTimeloopYaml} reads back to an equal DesignSpec.
 * @throws {SnipSnapError} INVALID_SPEC / UNSUPPORTED_FEATURE when a field has no Timeloop spelling
 *   (e.g. a density model Timeloop lacks).
 * @example fs.writeFileSync('input.yaml', writeTimeloopYaml(design))
 */
export const writeTimeloopYaml = (design: DesignSpec, options: WriteTimeloopOptions = {}): string => {
  const omit = new Set(options.omit ?? [])
  const doc: Yaml = { architecture: architectureToYaml(design.arch), problem: problemToYaml(design.problem) }
  if (design.mapping !== null && !omit.has('mapping')) doc.mapping = mappingToYaml(design.mapping, { arch: design.arch, problem: design.problem })
  if (design.sparseOptimizations.targets.length > 0 && !omit.has('sparse_optimizations')) {
    doc.sparse_optimizations = sparseOptimizationsToYaml(design.sparseOptimizations)
  }
  if (design.energyTable !== null && !omit.has('ERT')) doc.ERT = energyTableToYaml(design.energyTable)
  if (design.areaTable !== null && !omit.has('ART')) doc.ART = areaTableToYaml(design.areaTable)
  if (!omit.has('constraints')) {
    const arch = design.constraints.filter((c) => (c.source ?? 'architecture') === 'architecture')
    const mapspace = design.constraints.filter((c) => c.source === 'mapspace')
    if (arch.length > 0) doc.architecture_constraints = { targets: arch.map(constraintToYaml) }
    if (mapspace.length > 0) doc.mapspace_constraints = { targets: mapspace.map(constraintToYaml) }
  }
  if (design.mapper !== null && !omit.has('mapper')) doc.mapper = mapperToYaml(design.mapper)
  if (design.passthrough !== undefined && !omit.has('compound_components')) {
    for (const [key, value] of Object.entries(design.passthrough)) doc[key] = value
  }
  return toText(doc)
}

/**
 * Writes a mapping as a Timeloop `mapping:` document (the form of the random-mapping rows). Pass
 * the design's `arch` and `problem` so that `timeloop-model` reads it as it is, without a warning
 * (see {@link mappingToYaml}); parsed back with {@link parseTimeloopMapping} it equals `mapping`.
 * @example writeTimeloopMapping(design.mapping, { arch: design.arch, problem: design.problem })
 */
export const writeTimeloopMapping = (mapping: MappingSpec, target: MappingTarget = {}): string =>
  toText({ mapping: mappingToYaml(mapping, target) })

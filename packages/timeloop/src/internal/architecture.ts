// `architecture:` → ArchSpec, following Timeloop's ParseTreeSpecs (v0.2/v0.3 `subtree`/`local`
// trees) and classic ParseSpecs (`arithmetic:` + `storage:` lists), with BufferLevel::ParseSpecs'
// attribute aliases and derivations (NVlabs/timeloop src/model/buffer.cpp, topology.cpp).
import type { ArchSpec, ComputeLevelSpec, StorageLevelSpec } from '@snipsnap/core'
import { assertFiniteData, at, fail, Fields, foldKey, isRecord, type Loc, parseReplicatedName, show, warnAt } from './read'

// Timeloop classifies a component by substring of its class (topology.hpp), storage first.
const BUFFER_CLASSES = ['DRAM', 'SRAM', 'regfile', 'smartbuffer', 'storage'] as const
const COMPUTE_CLASSES = ['mac', 'intmac', 'fpmac', 'compute'] as const
const NETWORK_CLASSES = ['XY_NoC', 'Legacy', 'ReductionTree', 'SimpleMulticast'] as const

const isBufferClass = (name: string): boolean => BUFFER_CLASSES.some((s) => name.includes(s))
const isComputeClass = (name: string): boolean => COMPUTE_CLASSES.some((s) => name.includes(s))
const isNetworkClass = (name: string): boolean => NETWORK_CLASSES.some((s) => name.includes(s))

/** Timeloop's BufferLevel/ArithmeticUnits default word width. */
const DEFAULT_WORD_BITS = 16

// Attributes read by BufferLevel::ParseSpecs, in folded (underscore) spelling; everything else
// is kept in `attributes` for round trips and Accelergy.
const STORAGE_KEYS = [
  'word_bits', 'word_width', 'datawidth', 'block_size', 'n_words', 'metadata_block_size',
  'metadata_datawidth', 'metadata_word_bits', 'metadata_storage_width', 'metadata_width',
  'metadata_storage_depth', 'metadata_depth', 'per_dataspace_bandwidth_consumption_scale',
  'concordant_compressed_tile_traversal', 'tile_partition_supported', 'decompression_supported',
  'compression_supported', 'cluster_size', 'width', 'memory_width', 'data_storage_width', 'entries',
  'depth', 'memory_depth', 'data_storage_depth', 'sizeKB', 'num_ports', 'n_ports', 'num_banks',
  'n_banks', 'bandwidth', 'read_bandwidth', 'write_bandwidth', 'shared_bandwidth',
  'multiple_buffering', 'min_utilization', 'instances', 'meshX', 'meshY', 'allow_overbooking',
  'vector_access_energy', 'addr_gen_energy',
] as const
const COMPUTE_KEYS = ['word_bits', 'word_width', 'datawidth', 'instances', 'meshX', 'meshY'] as const
// Named user networks are a Timeloop feature we do not model.
const NETWORK_KEYS = ['network_read', 'network_fill', 'network_drain', 'network_update'] as const
const COMPUTE_NETWORK_KEYS = ['network_operand', 'network_result'] as const
// Attributes Timeloop reads that do not change what SnipSnap's model computes (network
// latencies and reductions need named networks, leakage gating and areas are not modelled, a
// MAC's energy and area come from the ERT/ART): listed as not modelled rather than unknown.
const STORAGE_NOT_MODELLED = new Set(['network_fill_latency', 'network_drain_latency', 'reduction_supported', 'power_gated_at', 'cluster_area'])
const COMPUTE_NOT_MODELLED = new Set(['energy', 'area'])

interface Mesh {
  readonly instances: number
  readonly meshX: number
  readonly meshY: number
}

/** Timeloop's ValidateTopology: fills meshX/meshY from instances, or instances from the mesh. */
const resolveMesh = (attrs: Fields, nElements: number, what: string): Mesh => {
  const given = attrs.positive('instances')
  const meshX = attrs.positive('meshX')
  const meshY = attrs.positive('meshY')
  const instances = given ?? (nElements > 0 ? nElements : meshX !== undefined && meshY !== undefined ? meshX * meshY : undefined)
  if (instances === undefined) {
    return fail(attrs.loc, `${what}: instances and/or meshX and meshY must be specified`)
  }
  if (meshX !== undefined && meshY !== undefined) {
    if (meshX * meshY !== instances) {
      fail(attrs.locOf('meshX'), `meshX ${meshX} × meshY ${meshY} ≠ ${instances} instances`)
    }
    return { instances, meshX, meshY }
  }
  if (meshX !== undefined) {
    if (instances % meshX !== 0) fail(attrs.locOf('meshX'), `meshX ${meshX} does not divide ${instances} instances`)
    return { instances, meshX, meshY: instances / meshX }
  }
  if (meshY !== undefined) {
    if (instances % meshY !== 0) fail(attrs.locOf('meshY'), `meshY ${meshY} does not divide ${instances} instances`)
    return { instances, meshX: instances / meshY, meshY }
  }
  return { instances, meshX: instances, meshY: 1 }
}

const passthrough = (attrs: Fields, keys: readonly string[]): Record<string, unknown> => {
  const known = new Set(keys.map(foldKey))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(attrs.raw)) {
    if (known.has(foldKey(key))) continue
    assertFiniteData(value, at(attrs.loc, key))
    out[key] = value
  }
  return out
}

/**
 * A bandwidth in words per cycle. Negative is an error; 0 is read as unlimited (Timeloop only
 * throttles with a specified bandwidth, and 0 would make it divide by zero), so it is said.
 */
const bandwidthOf = (a: Fields, name: string): number | undefined => {
  const key = a.which(name)
  const value = a.num(name)
  if (value === undefined || key === undefined) return undefined
  if (value < 0) fail(at(a.loc, key), `a bandwidth cannot be negative, got ${value}`)
  if (value === 0) {
    warnAt(at(a.loc, key), 'unlimited', `\`${key}: 0\` is read as unlimited bandwidth (as if absent); give a positive number of words per cycle to limit it`)
  }
  return value
}

/** Timeloop's per-data-space bandwidth scale: only the neutral scale (all 1) can be modelled. */
const checkBandwidthScale = (a: Fields): void => {
  const key = a.which('per_dataspace_bandwidth_consumption_scale')
  const value = a.get('per_dataspace_bandwidth_consumption_scale')
  if (value === undefined || key === undefined) return
  if (!isRecord(value)) fail(at(a.loc, key), `expected a mapping of data space → scale, got ${show(value)}`)
  for (const [space, scale] of Object.entries(value as Record<string, unknown>)) {
    if (scale !== 1) fail(at(a.loc, key, space), `per-data-space bandwidth scales other than 1 are not supported, got ${show(scale)}`, 'UNSUPPORTED_FEATURE')
  }
}

/** A metadata capacity of 0 words or 0 bits is read as no limit: say so. */
const warnUnlimitedMetadata = (a: Fields, depth: number | null): void => {
  const depthKey = a.which('metadata_storage_depth', 'metadata_depth')
  if (depth === 0 && depthKey !== undefined) {
    warnAt(at(a.loc, depthKey), 'unlimited', `\`${depthKey}: 0\` is read as unlimited metadata capacity (as if absent); give the metadata depth to limit it`)
  }
}

/** Unused attribute keys: misspellings are errors, the rest are listed once (see Fields.checkUnknown). */
const checkNamed = (a: Fields, what: string, notModelled: ReadonlySet<string>, where: string): void => {
  a.checkUnknown(what, { notModelled, where })
}

interface ComponentContext {
  readonly name: string
  readonly className: string
  readonly subclassName: string | undefined
  readonly path: string
  readonly nElements: number
  readonly attrs: Fields
}

const parseStorage = (c: ComponentContext): StorageLevelSpec => {
  const a = c.attrs
  for (const key of NETWORK_KEYS) {
    if (a.has(key)) fail(a.locOf(key), `named networks ("${a.keyOf(key)}") are not supported`, 'UNSUPPORTED_FEATURE')
  }
  if (a.bool('tile_partition_supported') === true) {
    fail(a.locOf('tile_partition_supported'), 'tile_partition_supported: true is not supported (Timeloop rejects it too)', 'UNSUPPORTED_FEATURE')
  }
  if (a.bool('concordant_compressed_tile_traversal') === true) {
    fail(a.locOf('concordant_compressed_tile_traversal'), 'concordant_compressed_tile_traversal: true is not supported', 'UNSUPPORTED_FEATURE')
  }

  const wordBits = a.positive('word_bits', 'word_width', 'datawidth') ?? DEFAULT_WORD_BITS
  const blockGiven = a.positive('block_size', 'n_words')
  const clusterGiven = a.positive('cluster_size')
  let blockSize = blockGiven ?? 1
  let clusterSize = clusterGiven ?? 1

  // Data storage width fixes whichever of block size and cluster size was not given.
  const widthKey = a.which('width', 'memory_width', 'data_storage_width')
  const width = a.count('width', 'memory_width', 'data_storage_width')
  if (width !== undefined && widthKey !== undefined) {
    const wloc = at(a.loc, widthKey)
    if (width % (wordBits * blockSize) !== 0) {
      fail(wloc, `width ${width} is not a multiple of word bits ${wordBits} × block size ${blockSize}`)
    }
    if (blockGiven !== undefined && clusterGiven !== undefined) {
      if (blockGiven * wordBits * clusterGiven !== width) {
        fail(wloc, `block_size ${blockGiven} × word bits ${wordBits} × cluster-size ${clusterGiven} ≠ width ${width}`)
      }
    } else if (clusterGiven !== undefined) {
      if (width % (clusterGiven * wordBits) !== 0 || width === 0) {
        fail(wloc, `width ${width} is not a positive multiple of cluster-size ${clusterGiven} × word bits ${wordBits}`)
      }
      blockSize = width / clusterGiven / wordBits
    } else if (blockGiven !== undefined) {
      if (width === 0) fail(wloc, 'width must be positive')
      clusterSize = width / (wordBits * blockGiven)
    } else {
      if (width === 0) fail(wloc, 'width must be positive')
      blockSize = width / wordBits
      clusterSize = 1
    }
  }

  // Size (words): entries, else depth × block size, else sizeKB.
  let capacityWords: number | null = null
  const entries = a.count('entries')
  const depth = a.count('depth', 'memory_depth', 'data_storage_depth')
  const sizeKB = a.count('sizeKB')
  if (sizeKB !== undefined && (entries !== undefined || depth !== undefined)) {
    fail(a.locOf('sizeKB'), 'sizeKB cannot be combined with entries or depth')
  }
  if (entries !== undefined) capacityWords = entries
  else if (depth !== undefined) capacityWords = depth * blockSize
  else if (sizeKB !== undefined) {
    const words = (sizeKB * 1024 * 8) / wordBits
    capacityWords = Math.floor(words)
  }

  const technologyAttribute = a.get('technology')
  const technology: 'DRAM' | 'SRAM' = c.className.includes('DRAM') || technologyAttribute === 'DRAM' ? 'DRAM' : 'SRAM'
  if (technology === 'DRAM' && clusterSize !== 1) {
    fail(a.loc, `a DRAM level must have cluster size 1, got ${clusterSize}`)
  }
  // A DRAM's `type` (LPDDR4, HBM2, …) is read by @snipsnap/arch's table estimator when no ERT is
  // given; it stays in `attributes` for it, but is not "unused".
  if (technology === 'DRAM') a.get('type')
  const declaredBanks = a.positive('num_banks', 'n_banks')
  // Accelergy's bank count of the metadata array, read by @snipsnap/arch's table estimator (checked
  // here, kept in `attributes` for it): not "unused".
  a.positive('metadata_n_banks')

  const numPorts = a.positive('num_ports', 'n_ports') ?? 2
  if (numPorts !== 1 && numPorts !== 2) fail(a.locOf(a.which('num_ports', 'n_ports') ?? 'num_ports'), `num-ports must be 1 or 2, got ${numPorts}`)

  // Deprecated `bandwidth` is split evenly between reads and writes, as Timeloop does.
  const bandwidth = bandwidthOf(a, 'bandwidth')
  const read = bandwidthOf(a, 'read_bandwidth') ?? (bandwidth === undefined ? null : bandwidth / 2)
  const write = bandwidthOf(a, 'write_bandwidth') ?? (bandwidth === undefined ? null : bandwidth / 2)
  const shared = bandwidthOf(a, 'shared_bandwidth') ?? null
  checkBandwidthScale(a)

  const multipleBuffering = a.num('multiple_buffering') ?? 1
  if (multipleBuffering <= 0) fail(a.locOf('multiple_buffering'), `multiple-buffering must be positive, got ${multipleBuffering}`)
  const minUtilization = a.nonNegative('min_utilization') ?? 0
  if (minUtilization > 1) fail(a.locOf('min_utilization'), `min-utilization must be in [0, 1], got ${minUtilization}`)
  if (minUtilization > 0 && capacityWords === null) {
    fail(a.locOf('min_utilization'), 'min-utilization needs a sized level (depth or entries)')
  }

  const metadataWordBits = a.count('metadata_datawidth', 'metadata_word_bits') ?? 0
  const metadataBlockSize = a.positive('metadata_block_size') ?? 1
  const metadataStorageWidthBits = a.count('metadata_storage_width', 'metadata_width') ?? 0
  if (metadataStorageWidthBits > 0 && metadataWordBits > 0 && metadataStorageWidthBits % (metadataWordBits * metadataBlockSize) !== 0) {
    fail(a.locOf(a.which('metadata_storage_width', 'metadata_width') ?? 'metadata_storage_width'), `metadata_storage_width ${metadataStorageWidthBits} is not a multiple of metadata_datawidth ${metadataWordBits} × metadata_block_size ${metadataBlockSize}`)
  }
  const metadataStorageDepth = a.count('metadata_storage_depth', 'metadata_depth') ?? null
  warnUnlimitedMetadata(a, metadataStorageDepth)
  const mesh = resolveMesh(a, c.nElements, c.name)

  const level: StorageLevelSpec = {
    kind: 'storage',
    name: c.name,
    className: c.className,
    path: c.path,
    instances: mesh.instances,
    meshX: mesh.meshX,
    meshY: mesh.meshY,
    wordBits,
    blockSize,
    clusterSize,
    capacityWords,
    metadataStorageWidthBits,
    metadataStorageDepth,
    metadataWordBits,
    metadataBlockSize,
    readBandwidthWordsPerCycle: read,
    writeBandwidthWordsPerCycle: write,
    sharedBandwidthWordsPerCycle: shared,
    multipleBuffering,
    minUtilization,
    numPorts,
    // Kept absent when undeclared: Timeloop then assumes 2 banks, Accelergy's CACTI plug-in (and
    // @snipsnap/arch's table estimator) 1; both read a declared `n_banks`.
    ...(declaredBanks === undefined ? {} : { numBanks: declaredBanks }),
    allowOverbooking: a.bool('allow_overbooking') ?? false,
    compressionSupported: a.bool('compression_supported') ?? false,
    decompressionSupported: a.bool('decompression_supported') ?? false,
    vectorAccessEnergyPJ: a.nonNegative('vector_access_energy') ?? null,
    addrGenEnergyPJ: a.nonNegative('addr_gen_energy') ?? null,
    attributes: passthrough(a, STORAGE_KEYS),
    technology,
    ...(c.subclassName === undefined ? {} : { subclassName: c.subclassName }),
  }
  // Last: every attribute the model reads has been asked for by now.
  checkNamed(a, 'attribute', STORAGE_NOT_MODELLED, c.name)
  return level
}

const parseCompute = (c: ComponentContext): ComputeLevelSpec => {
  const a = c.attrs
  for (const key of COMPUTE_NETWORK_KEYS) {
    if (a.has(key)) fail(a.locOf(key), `named networks ("${a.keyOf(key)}") are not supported`, 'UNSUPPORTED_FEATURE')
  }
  const wordBits = a.positive('word_bits', 'word_width', 'datawidth') ?? DEFAULT_WORD_BITS
  const mesh = resolveMesh(a, c.nElements, c.name)
  // A MAC's `technology` (process node) is read by @snipsnap/arch's table estimator when no ERT
  // is given; it stays in `attributes` for it, but is not "unused".
  a.get('technology')
  checkNamed(a, 'attribute', COMPUTE_NOT_MODELLED, c.name)
  return {
    kind: 'compute',
    name: c.name,
    className: c.className,
    path: c.path,
    instances: mesh.instances,
    meshX: mesh.meshX,
    meshY: mesh.meshY,
    wordBits,
    attributes: passthrough(a, COMPUTE_KEYS),
    ...(c.subclassName === undefined ? {} : { subclassName: c.subclassName }),
  }
}

type Component = StorageLevelSpec | ComputeLevelSpec

/** Merges inherited subtree attributes under a component's own (own wins, any spelling). */
const inherit = (
  inherited: Readonly<Record<string, unknown>>,
  own: Readonly<Record<string, unknown>>,
): Record<string, unknown> => {
  const ownFolded = new Set(Object.keys(own).map(foldKey))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(inherited)) if (!ownFolded.has(foldKey(key))) out[key] = value
  return { ...out, ...own }
}

const parseComponent = (
  value: unknown,
  loc: Loc,
  multiplication: number,
  prefix: readonly string[],
  inherited: Readonly<Record<string, unknown>>,
  mode: 'tree' | 'classic-storage' | 'classic-compute',
): Component => {
  const classic = mode !== 'tree'
  const f = new Fields(value, loc, 'a component')
  const fullName = f.reqStr('name')
  const className = f.str('class') ?? (classic ? (mode === 'classic-storage' ? 'storage' : 'compute') : fail(f.locOf('class'), 'is required'))
  const subclassName = f.str('subclass')
  const { base, count } = parseReplicatedName(fullName, f.locOf('name'))
  let ownAttributes: Record<string, unknown>
  let attrLoc: Loc
  if (f.has('attributes')) {
    const raw = f.get('attributes')
    if (raw !== null && !isRecord(raw)) fail(f.locOf('attributes'), `expected a mapping, got ${show(raw)}`)
    ownAttributes = (raw ?? {}) as Record<string, unknown>
    attrLoc = f.locOf('attributes')
    f.get('description')
    f.checkUnknown('component')
  } else {
    if (!classic) {
      // `attributs:` would otherwise be read as one attribute of a component without attributes
      // (unlimited capacity and bandwidth, default word width): a believable wrong answer.
      f.get('attributes')
      const misspelling = f.misspelling()
      if (misspelling !== undefined) throw misspelling
    }
    // Classic (ISPASS) specs put the attributes on the component itself.
    ownAttributes = { ...f.raw }
    for (const key of ['name', 'class', 'subclass', 'description']) delete ownAttributes[key]
    attrLoc = loc
  }
  const attrs = new Fields(inherit(inherited, ownAttributes), attrLoc, 'attributes')
  const context: ComponentContext = {
    name: base,
    className,
    subclassName,
    path: [...prefix, fullName].join('.'),
    nElements: multiplication * count,
    attrs,
  }
  if (mode === 'classic-storage') return parseStorage(context)
  if (mode === 'classic-compute') return parseCompute({ ...context, className: className === '' ? 'compute' : className })
  if (isBufferClass(className)) return parseStorage(context)
  if (isComputeClass(className)) return parseCompute(context)
  if (isNetworkClass(className)) {
    return fail(f.locOf('class'), `network components (class ${show(className)}) are not supported`, 'UNSUPPORTED_FEATURE')
  }
  return fail(
    f.locOf('class'),
    `class ${show(className)} is neither storage (${BUFFER_CLASSES.join(', ')}) nor compute (${COMPUTE_CLASSES.join(', ')}); Timeloop would silently ignore it`,
    'UNSUPPORTED_FEATURE',
  )
}

const parseTree = (root: Fields): Component[] => {
  const components: Component[] = []
  let node = root
  let multiplication = 1
  const prefix: string[] = []
  let inherited: Readonly<Record<string, unknown>> = {}
  if (root.has('local')) {
    fail(root.locOf('local'), 'components must sit inside a subtree (Timeloop ignores a top-level local list)')
  }
  root.get('version')
  root.get('name')
  root.get('subtree')
  root.checkUnknown('architecture')
  for (;;) {
    const subtrees = node.list('subtree')
    if (subtrees === undefined) break
    if (subtrees.length !== 1) {
      fail(node.locOf('subtree'), `Timeloop supports exactly one subtree per level, got ${subtrees.length}`, 'UNSUPPORTED_FEATURE')
    }
    const child = new Fields(subtrees[0], at(node.locOf('subtree'), 0), 'a subtree')
    const name = child.reqStr('name')
    const { count } = parseReplicatedName(name, child.locOf('name'))
    multiplication *= count
    prefix.push(name)
    const attributes = child.get('attributes')
    if (attributes !== undefined && attributes !== null) {
      const attrs = new Fields(attributes, child.locOf('attributes'))
      inherited = inherit(inherited, attrs.raw)
    }
    const local = child.list('local') ?? []
    for (const [index, component] of local.entries()) {
      components.push(parseComponent(component, at(child.locOf('local'), index), multiplication, prefix, inherited, 'tree'))
    }
    child.get('subtree')
    child.get('description')
    child.checkUnknown('subtree')
    node = child
  }
  return components
}

const parseClassic = (root: Fields): Component[] => {
  root.get('version')
  const arithmetic = root.get('arithmetic')
  const storage = root.list('storage')
  if (arithmetic === undefined) fail(root.locOf('arithmetic'), 'is required')
  if (storage === undefined) fail(root.locOf('storage'), 'is required')
  root.checkUnknown('architecture')
  const components: Component[] = []
  // Classic lists storage innermost first; SnipSnap lists outermost first.
  const list = storage ?? []
  for (let index = list.length - 1; index >= 0; index--) {
    components.push(parseComponent(list[index], at(root.locOf('storage'), index), 0, [], {}, 'classic-storage'))
  }
  components.push(parseComponent(arithmetic, root.locOf('arithmetic'), 0, [], {}, 'classic-compute'))
  return components
}

const readComponents = (root: Fields): Component[] => {
  if (root.has('subtree')) return parseTree(root)
  if (root.has('arithmetic') || root.has('storage')) return parseClassic(root)
  // Asked for, so that a misspelled `subtre:` is named instead (misspellingsFirst).
  for (const name of ['subtree', 'arithmetic', 'storage']) root.get(name)
  return fail(root.loc, 'expected `subtree:` (v0.2/v0.3) or `arithmetic:` and `storage:` lists')
}

/**
 * Parses Timeloop's `architecture:` (or classic `arch:`) section.
 * @throws {SnipSnapError} INVALID_SPEC / UNSUPPORTED_FEATURE naming the file and YAML path.
 */
export const parseArchitectureSection = (value: unknown, loc: Loc): ArchSpec => {
  const root = new Fields(value, loc, 'an architecture mapping')
  const components = readComponents(root)
  const storage = components.filter((c): c is StorageLevelSpec => c.kind === 'storage')
  const computes = components.filter((c): c is ComputeLevelSpec => c.kind === 'compute')
  const compute = computes[0]
  if (compute === undefined) return fail(loc, 'no compute (MAC) component found')
  if (computes.length > 1) fail(loc, `exactly one compute component is supported, found ${computes.map((c) => c.name).join(', ')}`, 'UNSUPPORTED_FEATURE')
  if (storage.length === 0) fail(loc, 'no storage level found')
  const seen = new Set<string>()
  for (const level of [...storage, compute]) {
    if (seen.has(level.name)) fail(loc, `two components are named ${show(level.name)}; mappings address levels by name`)
    seen.add(level.name)
  }
  // Timeloop's FloorPlan asserts that every level's instances divide the next inner level's.
  const chain = [...storage, compute]
  for (let i = 0; i + 1 < chain.length; i++) {
    const outer = chain[i]
    const inner = chain[i + 1]
    if (outer !== undefined && inner !== undefined && inner.instances % outer.instances !== 0) {
      fail(loc, `${inner.name} has ${inner.instances} instances, not a multiple of ${outer.name}'s ${outer.instances}`)
    }
  }
  const first = root.get('subtree')
  const rootName: unknown = Array.isArray(first) && isRecord(first[0]) ? first[0].name : undefined
  const systemName = typeof rootName === 'string' || typeof rootName === 'number'
    ? parseReplicatedName(String(rootName), loc).base
    : 'system'
  return { name: systemName, storage, compute }
}

// Energy (ERT) and area (ART) tables of a whole accelerator from an energy/area estimator, the
// way Accelergy builds them from its compound classes: a storage level is Accelergy's `SRAM_MD`
// (a data array of depth × (word bits × block) plus an optional metadata array), a DRAM level is
// energy per bit of its access width, and the compute level is a MAC of its word width.
import {
  type ArchSpec,
  type AreaTableSpec,
  type EnergyActionSpec,
  type EnergyAreaEstimator,
  type EnergyTableSpec,
  type PrimitiveEstimate,
  type PrimitiveQuery,
  SnipSnapError,
  type StorageLevelSpec,
} from '@snipsnap/core'

/** One primitive the tables were built from, with the estimator's verdict. */
export interface EstimatedPrimitive {
  readonly level: string
  /**
   * `data`, `metadata` (storage arrays), `address-generator` (one of a `smartbuffer`'s two),
   * `dram`, `dram-metadata` or `compute`.
   */
  readonly role: 'data' | 'metadata' | 'address-generator' | 'dram' | 'dram-metadata' | 'compute'
  readonly query: PrimitiveQuery
  readonly estimate: PrimitiveEstimate
}

/** Tables plus the provenance of every number in them. */
export interface EstimatedTables {
  readonly energyTable: EnergyTableSpec
  readonly areaTable: AreaTableSpec
  readonly primitives: readonly EstimatedPrimitive[]
  /** True when any primitive lies outside the estimator's data. */
  readonly extrapolated: boolean
  /** `level: note` lines, extrapolations first. */
  readonly notes: readonly string[]
}

/** Options of {@link estimateArchTables}. */
export interface EstimateArchTablesOptions {
  readonly arch: ArchSpec
  readonly estimator: EnergyAreaEstimator
  /** Process node when a level carries no `technology` attribute (nm, default 45). */
  readonly defaultTechnologyNM?: number
  /** DRAM type when a DRAM level names none (default `LPDDR4`, Accelergy's default). */
  readonly defaultDramType?: string
}

const technologyOf = (attributes: Readonly<Record<string, unknown>>, fallback: number): number => {
  const t = attributes.technology
  if (typeof t === 'number') return t
  if (typeof t === 'string') {
    const n = Number.parseFloat(t)
    if (Number.isFinite(n) && n > 0) return n
  }
  return fallback
}

/**
 * Accelergy's bank counts ([CBANK] in ./estimator/tables.ts): the data array's is the declared
 * `n_banks` (`numBanks`), the metadata array's the `metadata_n_banks` attribute, each 1 when
 * undeclared (Accelergy's default; Timeloop would assume 2 data banks, which it does not price).
 */
const banksOf = (level: StorageLevelSpec): { data: number; metadata: number } => {
  const md = level.attributes.metadata_n_banks
  if (md !== undefined && !(typeof md === 'number' && Number.isInteger(md) && md >= 1)) {
    throw new SnipSnapError('INVALID_SPEC', `level ${level.name}: attributes.metadata_n_banks must be a positive integer (got ${JSON.stringify(md)})`, { path: ['arch', level.name, 'attributes', 'metadata_n_banks'] })
  }
  return { data: level.numBanks ?? 1, metadata: md ?? 1 }
}

const ask = (estimator: EnergyAreaEstimator, query: PrimitiveQuery, level: string): PrimitiveEstimate => {
  if (!estimator.supports(query)) {
    throw new SnipSnapError('UNSUPPORTED_QUERY', `estimator "${estimator.id}" cannot estimate level ${level}: ${JSON.stringify(query)}`, { path: ['arch', level] })
  }
  return estimator.estimate(query)
}

/**
 * Accelergy's Eyeriss `smartbuffer` compound is an SRAM plus two address generators
 * (`address_generators[0..1]`, class `intadder`), and it charges a gated read or write as one idle
 * address generator, not as an idle array. Its class definition passes `width: ag_datawidth` to
 * the adders, an attribute `intadder` does not read, so they keep the primitive's 16-bit default:
 * every smartbuffer gated access in the table7 reference ERTs is 0.00595 pJ = Aladdin's adder
 * idle × 16/32, the 17-bit ifmap_spad's too.
 */
const SMARTBUFFER_ADDRESS_GENERATOR_BITS = 16
const isSmartbuffer = (level: StorageLevelSpec): boolean => (level.subclassName ?? level.className) === 'smartbuffer'

const action = (name: string, energyPJ: number | undefined): EnergyActionSpec => ({ name, arguments: null, energyPJ: energyPJ ?? 0 })

const storageTables = (
  level: StorageLevelSpec,
  options: EstimateArchTablesOptions,
): { actions: EnergyActionSpec[]; areaUM2: number; primitives: EstimatedPrimitive[] } => {
  const { estimator } = options
  const technologyNM = technologyOf(level.attributes, options.defaultTechnologyNM ?? 45)
  const widthBits = level.wordBits * level.blockSize * level.clusterSize
  const mdWidth = level.metadataStorageWidthBits ?? 0
  if (level.technology === 'DRAM') {
    const typeAttr = level.attributes.type
    const dramType = typeof typeAttr === 'string' ? typeAttr : options.defaultDramType ?? 'LPDDR4'
    const dataQuery: PrimitiveQuery = { kind: 'dram', dramType, widthBits }
    const data = ask(estimator, dataQuery, level.name)
    const primitives: EstimatedPrimitive[] = [{ level: level.name, role: 'dram', query: dataQuery, estimate: data }]
    const actions = [action('read', data.energyPJ.read), action('write', data.energyPJ.write)]
    let idlePJ = data.energyPJ.idle ?? 0
    if (mdWidth > 0) {
      const mdQuery: PrimitiveQuery = { kind: 'dram', dramType, widthBits: mdWidth }
      const md = ask(estimator, mdQuery, level.name)
      primitives.push({ level: level.name, role: 'dram-metadata', query: mdQuery, estimate: md })
      actions.push(action('metadata_read', md.energyPJ.read), action('metadata_write', md.energyPJ.write))
      idlePJ += md.energyPJ.idle ?? 0
    }
    // Accelergy's DRAM lists `idle` (0 pJ): Timeloop prices a gated or skipped DRAM access with it.
    actions.push(action('idle', idlePJ))
    return { actions, areaUM2: data.areaUM2, primitives }
  }
  const capacity = level.capacityWords
  if (capacity === null) {
    throw new SnipSnapError('UNSUPPORTED_QUERY', `level ${level.name} is on chip but has no capacity; an SRAM cannot be sized`, { path: ['arch', level.name, 'capacityWords'] })
  }
  if (capacity === 0) return { actions: [], areaUM2: 0, primitives: [] }
  const depth = Math.ceil(capacity / (level.blockSize * level.clusterSize))
  const banks = banksOf(level)
  const dataQuery: PrimitiveQuery = { kind: 'sram', depth, widthBits, banks: banks.data, technologyNM }
  const data = ask(estimator, dataQuery, level.name)
  const primitives: EstimatedPrimitive[] = [{ level: level.name, role: 'data', query: dataQuery, estimate: data }]
  const actions = [
    action('read', data.energyPJ.read),
    action('write', data.energyPJ.write),
    action('gated_read', data.energyPJ.idle),
    action('gated_write', data.energyPJ.idle),
  ]
  let areaUM2 = data.areaUM2
  let idlePJ = data.energyPJ.idle ?? 0
  if (isSmartbuffer(level)) {
    const agQuery: PrimitiveQuery = { kind: 'adder', datawidthBits: SMARTBUFFER_ADDRESS_GENERATOR_BITS, technologyNM }
    const ag = ask(estimator, agQuery, level.name)
    primitives.push({ level: level.name, role: 'address-generator', query: agQuery, estimate: ag })
    const gated = ag.energyPJ.idle ?? 0
    actions.splice(2, 2, action('gated_read', gated), action('gated_write', gated))
    areaUM2 += 2 * ag.areaUM2
    // The compound's idle: the array's and one address generator's.
    idlePJ += gated
  }
  const mdDepth = level.metadataStorageDepth ?? 0
  if (mdWidth > 0 && mdDepth > 0) {
    const mdQuery: PrimitiveQuery = { kind: 'sram', depth: mdDepth, widthBits: mdWidth, banks: banks.metadata, technologyNM }
    const md = ask(estimator, mdQuery, level.name)
    primitives.push({ level: level.name, role: 'metadata', query: mdQuery, estimate: md })
    actions.push(
      action('metadata_read', md.energyPJ.read),
      action('metadata_write', md.energyPJ.write),
      action('gated_metadata_read', md.energyPJ.idle),
      action('gated_metadata_write', md.energyPJ.idle),
    )
    areaUM2 += md.areaUM2
    idlePJ += md.energyPJ.idle ?? 0
  } else {
    // Without a metadata array the metadata actions cost nothing, as Accelergy's SRAM_MD lists them
    // (0 pJ); left out, Timeloop would fall back to `idle` for them.
    actions.push(action('metadata_read', 0), action('metadata_write', 0), action('gated_metadata_read', 0), action('gated_metadata_write', 0))
  }
  // Accelergy's compound `idle` (every subcomponent idle). Timeloop reads it only as a fallback;
  // the gated actions above come first.
  actions.push(action('idle', idlePJ))
  return { actions, areaUM2, primitives }
}

/**
 * ERT and ART of an accelerator, each number from `estimator`, with every primitive's query,
 * notes and whether it was extrapolated.
 * @throws {SnipSnapError} UNSUPPORTED_QUERY when a level cannot be estimated (an on-chip level
 *   without capacity, a DRAM type the estimator does not know).
 * @example const { energyTable, areaTable, extrapolated } = estimateArchTables({ arch, estimator: tableEstimator })
 */
export const estimateArchTables = (options: EstimateArchTablesOptions): EstimatedTables => {
  const { arch, estimator } = options
  const energyEntries: EnergyTableSpec['entries'][number][] = []
  const areaEntries: AreaTableSpec['entries'][number][] = []
  const primitives: EstimatedPrimitive[] = []
  for (const level of arch.storage) {
    const t = storageTables(level, options)
    energyEntries.push({ name: level.path, actions: t.actions })
    areaEntries.push({ name: level.path, areaUM2: t.areaUM2 })
    primitives.push(...t.primitives)
  }
  const c = arch.compute
  const macQuery: PrimitiveQuery = {
    kind: 'mac',
    datawidthBits: c.wordBits,
    technologyNM: technologyOf(c.attributes, options.defaultTechnologyNM ?? 45),
    // Accelergy's `intmac` primitive leaves the adder switching when gated; compound MACs idle it.
    gating: (c.subclassName ?? c.className) === 'intmac' ? 'primitive' : 'compound',
  }
  const mac = ask(estimator, macQuery, c.name)
  primitives.push({ level: c.name, role: 'compute', query: macQuery, estimate: mac })
  energyEntries.push({
    name: c.path,
    actions: ['mac_random', 'mac_reused', 'mac_gated', 'mac_skipped', 'idle'].map((n) => action(n, mac.energyPJ[n])),
  })
  areaEntries.push({ name: c.path, areaUM2: mac.areaUM2 })
  const notes = [
    ...primitives.filter((p) => p.estimate.extrapolated).flatMap((p) => p.estimate.notes.filter((n) => n.includes('EXTRAPOLATED')).map((n) => `${p.level} ${p.role}: ${n}`)),
    ...primitives.flatMap((p) => p.estimate.notes.filter((n) => !n.includes('EXTRAPOLATED')).map((n) => `${p.level} ${p.role}: ${n}`)),
  ]
  return {
    energyTable: { entries: energyEntries },
    areaTable: { entries: areaEntries },
    primitives,
    extrapolated: primitives.some((p) => p.estimate.extrapolated),
    notes,
  }
}

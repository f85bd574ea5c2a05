// The default energy/area estimator: published tables (see ./tables.ts) with the rules Accelergy's
// plug-ins apply to them. Small arrays are Aladdin register files (per-bit registers plus one
// address comparator per row); larger SRAMs come from the CACTI rows, scaled to the queried
// depth and width with CACTI's empirical exponents from the nearest rows in log space; DRAM is
// energy per bit by type; MACs are Aladdin's multiplier (quadratic in bits) plus adder (linear).
import {
  type EnergyAreaEstimator,
  type MemoryPrimitiveQuery,
  type PrimitiveEstimate,
  type PrimitiveQuery,
  SnipSnapError,
} from '@snipsnap/core'
import {
  ALADDIN_40NM,
  CACTI_SCALING,
  DRAM_PJ_PER_BIT,
  SRAM_TABLE_45NM,
  type SramTablePoint,
  TABLE_NODE_NM,
} from './tables'

/** Tables the estimator interpolates; defaults to the published ones. */
export interface TableEstimatorOptions {
  readonly sram?: readonly SramTablePoint[]
  readonly dramPJPerBit?: Readonly<Record<string, number>>
  /** Rows blended per estimate (nearest in log depth × log width), default 3. */
  readonly neighbours?: number
}

type SramField = 'readPJ' | 'writePJ' | 'idlePJ' | 'areaUM2'

// Banks ([CBANK] in ./tables.ts): CACTI builds an array of b banks (UCA) as b arrays of depth d/b;
// an access touches one bank through H-trees spanning all of them, and the idle (leakage) energy
// is per bank × b. So a row's read/write energy scales partly with its per-bank depth and partly
// (bankRouteShare) with its whole depth, its idle energy per bank is the row's / its own bank
// count, and its area is b × the area of one bank; with area linear in bits that equals the
// unbanked area.
const bankDepth = (depth: number, banks: number): number => depth / banks

const logDistance = (q: MemoryPrimitiveQuery, p: SramTablePoint): number =>
  Math.hypot(
    Math.log(bankDepth(q.depth, q.banks) / bankDepth(p.depth, p.banks)),
    Math.log(q.widthBits / p.widthBits),
    Math.log(q.banks / p.banks),
  )

/** CACTI's scaling of one row to the queried size and bank count ([CSCALE], [CBANK] in ./tables.ts). */
const scaleRow = (q: MemoryPrimitiveQuery, p: SramTablePoint, field: SramField, value: number): number => {
  // b × area(d/b, w): area linear in bits, so b × (A₀/b₀) × (d/b·w)/(d₀/b₀·w₀) = A₀·d·w/(d₀·w₀).
  if (field === 'areaUM2') return (q.banks * (value / p.banks) * (bankDepth(q.depth, q.banks) * q.widthBits)) / (bankDepth(p.depth, p.banks) * p.widthBits)
  const width = CACTI_SCALING.widthShare * (q.widthBits / p.widthBits) + (1 - CACTI_SCALING.widthShare)
  const depth = (bankDepth(q.depth, q.banks) / bankDepth(p.depth, p.banks)) ** CACTI_SCALING.depthExponent
  // Idle: leakage of every bank; read/write: one bank's access.
  if (field === 'idlePJ') return q.banks * (value / p.banks) * width * depth
  // Read/write: one bank's access plus the routing to it, which spans the whole array (the
  // bankRouteShare of the energy scales with the whole depth, the rest with the bank's).
  const whole = (q.depth / p.depth) ** CACTI_SCALING.depthExponent
  const route = CACTI_SCALING.bankRouteShare
  return value * width * (route * whole + (1 - route) * depth)
}

interface Blend {
  readonly value: number
  readonly extrapolated: boolean
  readonly note: string
}

/**
 * Weighted geometric mean of the scaled nearest rows (weights 1/distance²; exact rows alone when
 * the query is in the table). Extrapolated = outside the depth or width range of the rows holding
 * this quantity.
 */
const blend = (q: MemoryPrimitiveQuery, rows: readonly SramTablePoint[], field: SramField, k: number): Blend | null => {
  const withField = rows.filter((r) => r[field] !== undefined)
  if (withField.length === 0) return null
  const ranked = withField
    .map((row) => ({ row, d: logDistance(q, row) }))
    .sort((a, b) => a.d - b.d || a.row.source.localeCompare(b.row.source))
  const exact = ranked.filter((r) => r.d < 1e-12)
  const used = exact.length > 0 ? exact : ranked.slice(0, k)
  let weightSum = 0
  let logSum = 0
  for (const { row, d } of used) {
    const w = exact.length > 0 ? 1 : 1 / (d * d)
    weightSum += w
    logSum += w * Math.log(scaleRow(q, row, field, row[field] as number))
  }
  const depths = withField.map((r) => bankDepth(r.depth, r.banks))
  const widths = withField.map((r) => r.widthBits)
  const qDepth = bankDepth(q.depth, q.banks)
  const extrapolated =
    qDepth < Math.min(...depths) || qDepth > Math.max(...depths) || q.widthBits < Math.min(...widths) || q.widthBits > Math.max(...widths)
  const names = [...new Set(used.map((u) => u.row.source))].join(', ')
  const single = used.length === 1 && used[0] !== undefined ? scaleRow(q, used[0].row, field, used[0].row[field] as number) : null
  return {
    // One row: its scaled value as is (no exp∘log round-off on published numbers).
    value: single ?? Math.exp(logSum / weightSum),
    extrapolated,
    note: `${field}: ${exact.length > 0 ? 'table row' : `CACTI scaling of ${used.length} nearest rows`} (${names})${extrapolated ? ', EXTRAPOLATED beyond the table' : ''}`,
  }
}

const comparatorBits = (depth: number): number => (depth <= 1 ? 0 : Math.ceil(Math.log2(depth)))

/** Aladdin register file: `width` 1-bit registers + one comparator of ⌈log₂ depth⌉ bits per row. */
const regfile = (q: MemoryPrimitiveQuery) => {
  const { reg, comparator } = ALADDIN_40NM
  const cmp = (comparatorBits(q.depth) / comparator.bits) * q.depth
  return {
    readPJ: reg.dynamicPJ * q.widthBits + comparator.dynamicPJ * cmp,
    idlePJ: reg.idlePJ * q.widthBits + comparator.idlePJ * cmp,
    areaUM2: reg.areaUM2 * q.widthBits + comparator.areaUM2 * cmp,
  }
}

const nodeScale = (technologyNM: number) => ({
  // Outside the tables' node, classical constant-field scaling (Dennard et al., JSSC 1974):
  // switching energy ∝ feature size (C·V² with C ∝ L, V held by the caller's choice of node
  // being unknown), area ∝ feature size². A rough guide, flagged as extrapolation.
  energy: technologyNM / TABLE_NODE_NM,
  area: (technologyNM / TABLE_NODE_NM) ** 2,
  extrapolated: technologyNM !== TABLE_NODE_NM && technologyNM !== 40,
})

const positive = (value: number, field: string): void => {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new SnipSnapError('INVALID_SPEC', `estimator query: ${field} must be a positive number (got ${String(value)})`, { path: [field] })
  }
}

const estimateMemory = (q: MemoryPrimitiveQuery, rows: readonly SramTablePoint[], k: number): PrimitiveEstimate => {
  positive(q.depth, 'depth')
  positive(q.widthBits, 'widthBits')
  positive(q.technologyNM, 'technologyNM')
  if (!(Number.isInteger(q.banks) && q.banks >= 1 && q.banks <= q.depth)) {
    throw new SnipSnapError('INVALID_SPEC', `estimator query: banks must be an integer from 1 to depth ${q.depth} (got ${String(q.banks)})`, { path: ['banks'] })
  }
  const notes: string[] = []
  // The CACTI plug-in rounds a bank count that is not a power of two up to one (cacti_wrapper.py).
  const cactiBanks = 2 ** Math.ceil(Math.log2(q.banks))
  if (cactiBanks !== q.banks) {
    notes.push(`banks ${q.banks} → ${cactiBanks} (CACTI takes powers of two, as the plug-in rounds)`)
    q = { ...q, banks: Math.min(cactiBanks, q.depth) }
  }
  const { regfileEnergyLimit: eLim, regfileAreaLimit: aLim } = ALADDIN_40NM
  let extrapolated = false
  const rf = regfile(q)
  const energyFromRegfile = q.depth <= eLim.depth && q.widthBits <= eLim.widthBits
  const areaFromRegfile = q.depth <= aLim.depth && q.widthBits <= aLim.widthBits
  const pick = (field: SramField): number => {
    const b = blend(q, rows, field, k)
    if (b === null) throw new SnipSnapError('UNSUPPORTED_QUERY', `estimator has no SRAM rows with ${field}`, { path: ['sram'] })
    notes.push(b.note)
    extrapolated ||= b.extrapolated
    return b.value
  }
  let readPJ: number
  let writePJ: number
  let idlePJ: number
  if (energyFromRegfile) {
    readPJ = rf.readPJ
    writePJ = rf.readPJ
    idlePJ = rf.idlePJ
    notes.push(`energy: Aladdin register file, ${q.widthBits} registers + ${q.depth} × ${comparatorBits(q.depth)}-bit comparators${q.banks > 1 ? ' (Aladdin has no banks)' : ''}`)
  } else {
    readPJ = pick('readPJ')
    writePJ = pick('writePJ')
    idlePJ = pick('idlePJ')
  }
  let areaUM2: number
  if (areaFromRegfile) {
    areaUM2 = rf.areaUM2
    notes.push('area: Aladdin register file')
  } else {
    areaUM2 = pick('areaUM2')
  }
  const node = nodeScale(q.technologyNM)
  if (node.extrapolated) {
    extrapolated = true
    notes.push(`node ${q.technologyNM} nm: tables are 45 nm; energy × ${node.energy.toFixed(3)}, area × ${node.area.toFixed(3)} (constant-field scaling), EXTRAPOLATED`)
  }
  return {
    energyPJ: { read: readPJ * node.energy, write: writePJ * node.energy, idle: idlePJ * node.energy },
    areaUM2: areaUM2 * node.area,
    extrapolated,
    notes,
  }
}

const estimateMac = (q: Extract<PrimitiveQuery, { kind: 'mac' }>): PrimitiveEstimate => {
  positive(q.datawidthBits, 'datawidthBits')
  positive(q.technologyNM, 'technologyNM')
  const { multiplier: m, adder: a, reusedMultiplierShare } = ALADDIN_40NM
  // The plug-in interpolates linearly from (0, 0) to the 32-bit row for adders and quadratically
  // for multipliers; past 32 bits that line is extended, hence extrapolation.
  const mScale = (q.datawidthBits / m.bits) ** 2
  const aScale = q.datawidthBits / a.bits
  const mult = m.dynamicPJ * mScale
  const add = a.dynamicPJ * aScale
  const gated = m.idlePJ * mScale + (q.gating === 'primitive' ? add : a.idlePJ * aScale)
  const node = nodeScale(q.technologyNM)
  const extrapolated = q.datawidthBits > m.bits || node.extrapolated
  const notes = [
    `Aladdin ${m.bits}-bit multiplier × (${q.datawidthBits}/${m.bits})² + adder × ${q.datawidthBits}/${a.bits}${q.datawidthBits > m.bits ? ', EXTRAPOLATED past 32 bits' : ''}`,
    q.gating === 'primitive' ? 'gated: idle multiplier, switching adder (intmac primitive)' : 'gated: idle multiplier and adder (compound mac)',
  ]
  if (node.extrapolated) notes.push(`node ${q.technologyNM} nm: tables are 45 nm, constant-field scaling, EXTRAPOLATED`)
  return {
    energyPJ: {
      mac_random: (mult + add) * node.energy,
      mac_reused: (reusedMultiplierShare * mult + add) * node.energy,
      mac_gated: gated * node.energy,
      mac_skipped: gated * node.energy,
      // An idle cycle: multiplier and adder both idle, whatever the gating semantics.
      idle: (m.idlePJ * mScale + a.idlePJ * aScale) * node.energy,
    },
    areaUM2: (m.areaUM2 * mScale + a.areaUM2 * aScale) * node.area,
    extrapolated,
    notes,
  }
}

/** Aladdin's integer adder: the 32-bit row scaled linearly in bits, as the plug-in interpolates. */
const estimateAdder = (q: Extract<PrimitiveQuery, { kind: 'adder' }>): PrimitiveEstimate => {
  positive(q.datawidthBits, 'datawidthBits')
  positive(q.technologyNM, 'technologyNM')
  const { adder: a } = ALADDIN_40NM
  const scale = q.datawidthBits / a.bits
  const node = nodeScale(q.technologyNM)
  const extrapolated = q.datawidthBits > a.bits || node.extrapolated
  const notes = [`Aladdin ${a.bits}-bit adder × ${q.datawidthBits}/${a.bits}${q.datawidthBits > a.bits ? ', EXTRAPOLATED past 32 bits' : ''}`]
  if (node.extrapolated) notes.push(`node ${q.technologyNM} nm: tables are 45 nm, constant-field scaling, EXTRAPOLATED`)
  return {
    energyPJ: { add: a.dynamicPJ * scale * node.energy, idle: a.idlePJ * scale * node.energy },
    areaUM2: a.areaUM2 * scale * node.area,
    extrapolated,
    notes,
  }
}

/**
 * A table-based estimator over the given tables (defaults: the published ones in ./tables.ts).
 * Passing a subset of the SRAM rows is how the README's leave-one-out error is measured.
 * @example createTableEstimator().estimate({ kind: 'sram', depth: 1024, widthBits: 16, banks: 1, technologyNM: 45 })
 */
export const createTableEstimator = (options: TableEstimatorOptions = {}): EnergyAreaEstimator => {
  const rows = options.sram ?? SRAM_TABLE_45NM
  const dram = options.dramPJPerBit ?? DRAM_PJ_PER_BIT
  const k = options.neighbours ?? 3
  return {
    id: 'table',
    description: 'Published tables: CACTI SRAM rows (Sparseloop MICRO22 artifact), Aladdin 40 nm primitives, DRAM pJ/bit by type',
    accuracy: 70,
    supports: (query) => (query.kind === 'dram' ? Object.hasOwn(dram, query.dramType) : true),
    estimate(query) {
      switch (query.kind) {
        case 'sram':
          return estimateMemory(query, rows, k)
        case 'mac':
          return estimateMac(query)
        case 'adder':
          return estimateAdder(query)
        case 'dram': {
          const perBit = dram[query.dramType]
          if (perBit === undefined) {
            throw new SnipSnapError('UNSUPPORTED_QUERY', `no DRAM energy for type ${JSON.stringify(query.dramType)} (known: ${Object.keys(dram).join(', ')})`, { path: ['dramType'] })
          }
          positive(query.widthBits, 'widthBits')
          const e = perBit * query.widthBits
          return { energyPJ: { read: e, write: e, idle: 0 }, areaUM2: 0, extrapolated: false, notes: [`${query.dramType}: ${perBit} pJ/bit × ${query.widthBits} bits (Accelergy CACTI plug-in table)`] }
        }
      }
    },
  }
}

/** The default estimator over the published tables. */
export const tableEstimator: EnergyAreaEstimator = createTableEstimator()

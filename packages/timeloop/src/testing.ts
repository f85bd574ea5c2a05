// Test helpers of @snipsnap/timeloop, exported as `@snipsnap/timeloop/testing`: a small complete
// Timeloop design (two storage levels, a 4-PE fan-out, formats and SAFs) to start fixtures from,
// and an arbitrary of random complete designs for round-trip property tests.
import fc from 'fast-check'
import type {
  ActionOptimizationSpec,
  ArchSpec,
  DataSpaceSpec,
  DensitySpec,
  DesignSpec,
  LevelMappingSpec,
  ProblemSpec,
  SparseOptimizationTargetSpec,
} from '@snipsnap/core'

/**
 * A small valid Timeloop/Sparseloop input: BackingStorage (DRAM) → 4 × Buffer → MAC, an SpMSpM
 * M=N=K=128, CP format and skipping at Buffer, compute gating. Each line is easy to mutate.
 */
export const SMALL_DESIGN_YAML = `architecture:
  version: 0.3
  subtree:
    - name: system
      attributes: {technology: 45nm}
      local:
        - name: BackingStorage
          class: DRAM
          attributes: {datawidth: 8, width: 64}
      subtree:
        - name: PE[0..3]
          local:
            - name: Buffer
              class: storage
              attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2}
            - name: MAC
              class: compute
              attributes: {datawidth: 8}
problem:
  shape:
    name: mm
    dimensions: [M, N, K]
    data-spaces:
      - {name: A, projection: [[[M]], [[K]]]}
      - {name: B, projection: [[[N]], [[K]]]}
      - {name: Z, projection: [[[M]], [[N]]], read-write: true}
  instance:
    M: 128
    N: 128
    K: 128
    densities: {A: 0.5, B: {distribution: hypergeometric, density: 0.25}}
sparse_optimizations:
  targets:
    - name: Buffer
      representation-format:
        data-spaces:
          - name: A
            ranks: [{format: UOP}, {format: CP, metadata-word-bits: 7}]
      action-optimization:
        - type: skipping
          target: B
          condition-on: [A]
    - name: MAC
      compute-optimization: [{type: gating}]
mapping:
  - {target: BackingStorage, type: temporal, factors: M=32 N=128 K=1, permutation: MNK}
  - {target: Buffer, type: datatype, keep: [A, B], bypass: [Z]}
  - {target: Buffer, type: temporal, factors: M=1 N=1 K=128, permutation: KMN}
  - {target: BackingStorage, type: spatial, factors: M=4 N=1 K=1, permutation: MNK, split: 1}
`

const primeFactors = (n: number): number[] => {
  const out: number[] = []
  let rest = n
  for (let p = 2; p * p <= rest; p++) while (rest % p === 0) { out.push(p); rest /= p }
  if (rest > 1) out.push(rest)
  return out
}

const shuffle = <T>(items: readonly T[], keys: readonly number[]): T[] =>
  items.map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)] ?? 0, i })).sort((a, b) => a.key - b.key || a.i - b.i).map((x) => x.item)

/**
 * Random complete designs on a given architecture (two or three dims, random projections,
 * coefficients, densities, a valid random factorisation of every bound over the storage levels'
 * temporal and spatial slots, keep/bypass/stream choices, formats, SAFs and ERT/ART tables),
 * for round-trip property tests of writers and readers.
 * @example test.prop([arbTimeloopDesign(arch)])('…', (design) => …)
 */
export const arbTimeloopDesign = (arch: ArchSpec): fc.Arbitrary<DesignSpec> => {
  const levelNames = arch.storage.map((s) => s.name)
  return fc
    .record({
      dimCount: fc.integer({ min: 2, max: 3 }),
      bounds: fc.array(fc.constantFrom(1, 2, 4, 6, 8, 12, 64, 128), { minLength: 3, maxLength: 3 }),
      coefficient: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      slots: fc.array(fc.nat(), { minLength: 32, maxLength: 32 }),
      orderKeys: fc.array(fc.nat(), { minLength: 24, maxLength: 24 }),
      splits: fc.array(fc.nat({ max: 3 }), { minLength: levelNames.length, maxLength: levelNames.length }),
      bypassMask: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
      density: fc.constantFrom<(DensitySpec | null)[]>(
        [null, null],
        [{ distribution: 'fixed-structured', density: 0.5, params: {} }, null],
        [{ distribution: 'hypergeometric', density: 0.25, params: { workloadTensorSize: 4096 } }, { distribution: 'banded', density: 1, params: { bandWidth: 3 } }],
      ),
      format: fc.constantFrom('UOP', 'CP', 'B', 'RLE', 'UB'),
      mdBits: fc.option(fc.integer({ min: 0, max: 16 }), { nil: null }),
      action: fc.constantFrom<ActionOptimizationSpec['type']>('gating', 'skipping', 'skipping-spatial'),
      compute: fc.constantFrom<'gating' | 'skipping' | null>('gating', 'skipping', null),
      energy: fc.double({ min: 0, max: 1000, noNaN: true }),
      area: fc.double({ min: 0, max: 1e6, noNaN: true }),
    })
    .map((r): DesignSpec => {
      const dims = ['M', 'N', 'K'].slice(0, r.dimCount)
      const kd = dims[dims.length - 1] ?? 'K'
      const bounds = Object.fromEntries(dims.map((d, i) => [d, r.bounds[i] ?? 1]))
      const term = (dim: string, coefficient: string | null = null) => ({ dim, coefficient })
      const coefficients: Record<string, number> = r.coefficient === undefined ? {} : { Stride: r.coefficient }
      const coef = r.coefficient === undefined ? null : 'Stride'
      const dataSpaces: DataSpaceSpec[] = [
        { name: 'A', projection: [[term('M')], [term(kd, coef)]], readWrite: false },
        { name: 'B', projection: dims.length > 2 ? [[term('N')], [term(kd), term('M')]] : [[term(kd)]], readWrite: false },
        { name: 'Z', projection: [[term('M')], ...(dims.length > 2 ? [[term('N')]] : [])], readWrite: true },
      ]
      const densities: Record<string, DensitySpec> = {}
      const [da, db] = r.density
      if (da) densities.A = da
      if (db) densities.B = db
      const problem: ProblemSpec = { name: 'gemm', dimensions: dims, bounds, coefficients, dataSpaces, densities }

      // Spread each bound's prime factors over (level, temporal|spatial) slots.
      const slotCount = levelNames.length * 2
      const factors = levelNames.map(() => ({ t: Object.fromEntries(dims.map((d) => [d, 1])), s: Object.fromEntries(dims.map((d) => [d, 1])) }))
      let pick = 0
      for (const dim of dims) {
        for (const p of primeFactors(bounds[dim] ?? 1)) {
          const slot = (r.slots[pick++ % r.slots.length] ?? 0) % slotCount
          const level = factors[Math.floor(slot / 2)]
          if (level === undefined) continue
          const side = slot % 2 === 0 ? level.t : level.s
          side[dim] = (side[dim] ?? 1) * p
        }
      }
      const tensors = ['A', 'B', 'Z']
      const levels: LevelMappingSpec[] = levelNames.map((target, li) => {
        const bypass = tensors.filter((_, ti) => li > 0 && r.bypassMask[(li * 3 + ti) % 9] === true)
        return {
          target,
          temporalFactors: factors[li]?.t ?? {},
          temporalPermutation: shuffle(dims, r.orderKeys.slice(li * 6)),
          spatialFactors: factors[li]?.s ?? {},
          spatialPermutation: shuffle(dims, r.orderKeys.slice(li * 6 + 3)),
          spatialSplit: Math.min(dims.length, r.splits[li] ?? 0),
          keep: tensors.filter((t) => !bypass.includes(t)).slice(0, li === 0 ? 3 : 1),
          bypass,
          stream: li === 0 ? ['A'] : [],
        }
      })
      const inner = levelNames[levelNames.length - 1] ?? ''
      const targets: SparseOptimizationTargetSpec[] = [
        {
          level: inner,
          formats: [{ tensor: 'A', rankApplicationOrder: 'inner-to-outer', ranks: [{ format: 'UOP', metadataWordBits: null, payloadWordBits: 0, flattenedRankIds: null }, { format: r.format, metadataWordBits: r.mdBits, payloadWordBits: null, flattenedRankIds: [['M', kd]] }] }],
          actionOptimizations: [{ type: r.action, options: [{ target: 'B', conditionOn: ['A'] }, { target: 'Z', conditionOn: [] }] }],
          computeOptimizations: [],
        },
        ...(r.compute === null ? [] : [{ level: arch.compute.name, formats: [], actionOptimizations: [], computeOptimizations: [{ type: r.compute }] }]),
      ]
      return {
        arch,
        problem,
        mapping: { levels },
        sparseOptimizations: { targets },
        energyTable: { entries: [{ name: `system.${inner}`, actions: [{ name: 'read', arguments: null, energyPJ: r.energy }, { name: 'read', arguments: { address_delta: 1 }, energyPJ: r.energy / 2 }] }] },
        areaTable: { entries: [{ name: `system.${inner}`, areaUM2: r.area }] },
        constraints: [],
        mapper: null,
      }
    })
}

// Test helpers of @snipsnap/timeloop, exported as `@snipsnap/timeloop/testing`: a small complete
// Timeloop design (two storage levels, a 4-PE fan-out, formats and SAFs) to start fixtures from,
// and an arbitrary of random complete designs for round-trip property tests.
import fc from 'fast-check'
import { parse as parseYaml } from 'yaml'
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
import { spatialTilingLevels } from './internal/mapping'

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
  // Timeloop has spatial loops only below levels with a fan-out; elsewhere the spatial slot's
  // factors go to the temporal loops and the spatial order stays the default.
  const spatial = spatialTilingLevels(arch)
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
          const side = slot % 2 === 0 || spatial[Math.floor(slot / 2)] !== true ? level.t : level.s
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
          spatialPermutation: spatial[li] === true ? shuffle(dims, r.orderKeys.slice(li * 6 + 3)) : dims,
          spatialSplit: spatial[li] === true ? Math.min(dims.length, r.splits[li] ?? 0) : dims.length,
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

/**
 * What `timeloop-model`'s mapping parser (mapping/parser.cpp, ee66b62) says about a `mapping:`
 * list on `arch`: errors for what it refuses (a spatial directive at a level without fan-out,
 * an unknown directive type) and its warnings (a level without a temporal directive, a spatial
 * tiling level without a spatial directive or split, factors or permutations that do not name
 * every dimension). A mapping Timeloop reads as it is gives `{ errors: [], warnings: [] }`.
 * `mapping` is the YAML text of a `mapping:` document or its parsed directive list.
 * @example expect(timeloopMappingDiagnostics(writeTimeloopMapping(m, design), design.arch, design.problem.dimensions)).toEqual({ errors: [], warnings: [] })
 */
export const timeloopMappingDiagnostics = (
  mapping: string | readonly Readonly<Record<string, unknown>>[],
  arch: ArchSpec,
  dims: readonly string[],
): { errors: string[]; warnings: string[] } => {
  const directives: readonly Readonly<Record<string, unknown>>[] =
    typeof mapping === 'string' ? ((parseYaml(mapping) as { mapping?: Record<string, unknown>[] } | null)?.mapping ?? []) : mapping
  const errors: string[] = []
  const warnings: string[] = []
  const spatial = spatialTilingLevels(arch)
  const names = arch.storage.map((s) => s.name)
  const seen = new Map<string, { factors: string | undefined; permutation: string | undefined; split: unknown }>()
  for (const d of directives) {
    const type = String(d.type)
    const target = String(d.target)
    const level = names.indexOf(target)
    if (level < 0) {
      errors.push(`no storage level ${target}`)
      continue
    }
    if (type === 'datatype' || type === 'bypass') continue
    if (type !== 'temporal' && type !== 'spatial') {
      errors.push(`unrecognized mapping directive type: ${type}`)
      continue
    }
    if (type === 'spatial' && spatial[level] !== true) {
      errors.push(`cannot find spatial tiling level associated with storage level ${target}`)
      continue
    }
    seen.set(`${type}:${target}`, {
      factors: d.factors === undefined ? undefined : String(d.factors),
      permutation: d.permutation === undefined ? undefined : String(d.permutation),
      split: d.split,
    })
  }
  // Factor strings name a dim as `D=n` or `Dn`; permutations are dim names (single letters here
  // or space separated).
  const factorDims = (text: string): Set<string> =>
    new Set(
      text
        .split(/\s+/)
        .filter((t) => t !== '')
        .map((t) => /^([A-Za-z_]+?)=?\d+$/.exec(t)?.[1] ?? t),
    )
  const permutationDims = (text: string): Set<string> => new Set(/\s/.test(text.trim()) ? text.trim().split(/\s+/) : [...text.trim()])
  for (const [level, target] of names.entries()) {
    for (const type of spatial[level] === true ? ['spatial', 'temporal'] : ['temporal']) {
      const d = seen.get(`${type}:${target}`)
      const where = `${type} level ${target}`
      if (d === undefined) {
        warnings.push(`permutation not found for ${where}`, `factors not found for ${where}`)
        if (type === 'spatial') warnings.push(`split not found for ${where}`)
        continue
      }
      const perm = d.permutation === undefined ? new Set<string>() : permutationDims(d.permutation)
      if (d.permutation === undefined) warnings.push(`permutation not found for ${where}`)
      else if (!dims.every((dim) => perm.has(dim))) warnings.push(`permutation contains insufficient dimensions at ${where}`)
      const factors = d.factors === undefined ? new Set<string>() : factorDims(d.factors)
      if (d.factors === undefined) warnings.push(`factors not found for ${where}`)
      else if (!dims.every((dim) => factors.has(dim))) warnings.push(`factors not provided for all dimensions at ${where}`)
      if (type === 'spatial' && d.split === undefined) warnings.push(`split not found for ${where}`)
    }
  }
  return { errors, warnings }
}

// What the page asks of SnipSnap, composed from the packages' public entry points: the choices on
// offer, a study's distinct layers as designs, the co-search of a layer with its search points
// observed as they happen, and the live pricing of one tensor's format. Platform-neutral (no DOM,
// no worker API): worker.ts exposes it to the page, and Node tests call it directly.
import { SnipSnapError, createRegistry, createRng, resolveDensityModelId, toSnipSnapError, type AnySearchStrategy, type DesignSpec, type Evaluated, type MappingSpec, type RankFormatSpec, type SparseOptimizationTargetSpec, type SparseOptimizationsSpec, type TensorFormatSpec } from '@snipsnap/core'
import { designFromPreset, estimateArchTables, getArchPreset, listArchPresets, tableEstimator } from '@snipsnap/arch'
import { bindSlotFormat, deriveTensorChains, optimizeFormats, type FormatSlot } from '@snipsnap/compress'
import { sparseloopCostModel } from '@snipsnap/cost'
import { EXPLORE_DEFAULTS, createExplorer, type Explorer, type TensorFormatChoice } from '@snipsnap/explorer'
import { bindFormat, createFormatRegistry, createUniformDensity, encodeTensor, estimateFormatSize, formatCompPat, parseCompPat, type EncodedTensor } from '@snipsnap/format'
import { parseTimeloopSections, parseTimeloopYaml, writeTimeloopYaml } from '@snipsnap/timeloop'
import { SPARSITY_PRESETS, applySparsity, buildWorkload, gemmToProblem, linearGemm, listModels, getModel, type GemmLayer, type GemmTensorName, type SparsityPreset, type TensorRole } from '@snipsnap/workloads'
import type { Study, WorkloadSource } from './study'

// ---------------------------------------------------------------- the choices on offer

export interface Catalog {
  readonly models: readonly { readonly id: string; readonly kind: string; readonly label: string }[]
  readonly sparsity: readonly { readonly id: string; readonly description: string }[]
  readonly archs: readonly { readonly id: string; readonly summary: string }[]
}

/** Zoo models, sparsity presets and accelerator presets, with the packages' own descriptions. */
export const catalog = (): Catalog => ({
  models: listModels().map((id) => {
    const model = getModel(id)
    return { id, kind: model.kind, label: model.kind === 'cnn' ? `${id} (CNN)` : id }
  }),
  sparsity: SPARSITY_PRESETS.map((p) => ({ id: p.id, description: p.description })),
  archs: listArchPresets().map((p) => ({ id: p.id, summary: p.summary })),
})

// ---------------------------------------------------------------- a study's layers

/** One tensor of a layer as the format editor shows it. */
export interface LayerTensor {
  readonly name: string
  /** Problem dimensions indexing the tensor, outermost first (null when a rank is a sum, e.g. P+R). */
  readonly dims: readonly string[] | null
  readonly shape: readonly number[] | null
  /** Fraction of non-zeros (1 = dense). */
  readonly density: number
  readonly role: string
}

/** One distinct layer (GEMMs of equal shape and densities are searched once). */
export interface StudyLayer {
  readonly index: number
  readonly names: readonly string[]
  /** Shape text, e.g. `2048×4096×4096` (M×K×N) or the problem's bounds. */
  readonly shapeText: string
  /** Runs per forward pass (Σ of the counts of the GEMMs sharing it). */
  readonly count: number
  readonly tensors: readonly LayerTensor[]
  readonly levels: readonly string[]
}

export interface StudyOutline {
  readonly title: string
  readonly archName: string
  readonly layers: readonly StudyLayer[]
}

interface PreparedLayer {
  readonly layer: StudyLayer
  readonly design: DesignSpec
}

/**
 * A pasted GEMM list: one GEMM per line, `name M K N [count]` (separators: spaces, commas, `x` or
 * `×`); `#` starts a comment. Every GEMM is a linear layer (A = activations, B = weights).
 * @throws {SnipSnapError} INVALID_SPEC naming the line and the bad field.
 */
export const parseGemmList = (text: string): GemmLayer[] => {
  const layers: GemmLayer[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') return
    const fields = line.split(/[\s,×x]+/).filter((f) => f !== '')
    const [name, ...numbers] = fields
    const where = `GEMM list line ${i + 1}`
    if (name === undefined || numbers.length < 3 || numbers.length > 4) {
      throw new SnipSnapError('INVALID_SPEC', `${where}: expected "name M K N [count]", got "${line}"`, { path: ['workload', 'text', i + 1] })
    }
    const values = numbers.map((n, j) => {
      const value = Number(n)
      if (!/^\d+$/.test(n) || !Number.isSafeInteger(value) || value < 1) {
        throw new SnipSnapError('INVALID_SPEC', `${where}: ${['M', 'K', 'N', 'count'][j]} must be a positive integer, got "${n}"`, { path: ['workload', 'text', i + 1] })
      }
      return value
    })
    const [M, K, N, count] = values as [number, number, number, number | undefined]
    layers.push(linearGemm({ name, M, K, N, count }, 'pasted GEMM list'))
  })
  if (layers.length === 0) throw new SnipSnapError('INVALID_SPEC', 'the GEMM list is empty: write one "name M K N [count]" per line', { path: ['workload', 'text'] })
  return layers
}

const tensorsOf = (design: DesignSpec, roles: Readonly<Record<string, string>>): LayerTensor[] =>
  design.problem.dataSpaces.map((space) => {
    const simple = space.projection.every((terms) => terms.length === 1 && terms[0]?.coefficient === null)
    const dims = simple ? space.projection.map((terms) => terms[0]?.dim ?? '?') : null
    const shape = dims === null ? null : dims.map((d) => design.problem.bounds[d] ?? 1)
    const density = design.problem.densities[space.name]?.density ?? 1
    return { name: space.name, dims, shape, density, role: roles[space.name] ?? (space.readWrite ? 'output' : 'input') }
  })

const gemmLayers = (workload: WorkloadSource): { title: string; phase: 'prefill' | 'decode'; layers: readonly GemmLayer[] } => {
  if (workload.kind === 'zoo') {
    const built = buildWorkload({ model: workload.model, phase: workload.phase, ...(workload.seqLen !== undefined ? { seqLen: workload.seqLen } : {}) })
    return { title: `${built.model}, ${built.phase}${built.seqLen !== null ? ` (sequence length ${built.seqLen})` : ''}`, phase: built.phase, layers: built.layers }
  }
  if (workload.kind === 'gemms') {
    const phase = workload.phase ?? 'prefill'
    return { title: `pasted GEMM list${phase === 'decode' ? ', decode' : ''}`, phase, layers: parseGemmList(workload.text) }
  }
  throw new SnipSnapError('INTERNAL', 'not a GEMM workload')
}

/**
 * The study's distinct layers as designs: zoo/GEMM layers grouped by shape and densities on the
 * accelerator preset, or the one design of the dropped Timeloop files.
 * @throws {SnipSnapError} for an unknown model, preset or a malformed file (the message names it).
 */
const prepare = (study: Study): { outline: StudyOutline; layers: PreparedLayer[] } => {
  const { workload } = study
  if (workload.kind === 'timeloop') {
    const design = parseTimeloopYaml(workload.files)
    const bounds = design.problem.dimensions.map((d) => `${d}=${design.problem.bounds[d] ?? 1}`).join(' ')
    const layer: StudyLayer = {
      index: 0,
      names: [design.problem.name ?? workload.files.map((f) => f.fileName).join(' + ')],
      shapeText: bounds,
      count: 1,
      tensors: tensorsOf(design, {}),
      levels: design.arch.storage.map((s) => s.name),
    }
    return { outline: { title: `Timeloop design from ${workload.files.map((f) => f.fileName).join(', ')}`, archName: design.arch.name, layers: [layer] }, layers: [{ layer, design }] }
  }
  const { title, phase, layers } = gemmLayers(workload)
  const presets = study.sparsity.split(',').map((s) => s.trim()).filter((s) => s !== '')
  const sparsity = applySparsity({ phase, layers }, [...presets, ...(study.densities ?? []).map(perTensorPreset)])
  const own = workload.kind === 'gemms' ? (workload.densities ?? {}) : {}
  const groups = new Map<string, { first: GemmLayer; names: string[]; count: number; densities: (typeof sparsity)[number]['densities'] }>()
  layers.forEach((layer, i) => {
    const densities = withOwnDensities(layer, sparsity[i]?.densities ?? {}, own[layer.name])
    const key = JSON.stringify([layer.M, layer.K, layer.N, densities])
    const group = groups.get(key)
    if (group === undefined) groups.set(key, { first: layer, names: [layer.name], count: layer.count, densities })
    else {
      group.names.push(layer.name)
      group.count += layer.count
    }
  })
  // The preset's id, as the page's menu names it (its architecture's top level is called `system`),
  // or the architecture of the study's Timeloop files.
  const files = study.archFiles === undefined ? null : archFromFiles(study.archFiles)
  const archName = files === null ? getArchPreset(study.arch).id : `${files.arch.name} (${study.archFiles?.map((f) => f.fileName).join(', ')})`
  const prepared = [...groups.values()].map((group, index): PreparedLayer => {
    const problem = gemmToProblem(group.first, group.densities)
    const design: DesignSpec =
      files === null ? designFromPreset(study.arch, problem) : { ...files, problem, mapping: null, sparseOptimizations: { targets: [] }, constraints: [], mapper: null }
    const roles: Readonly<Record<string, string>> = group.first.tensors
    return {
      design,
      layer: {
        index,
        names: group.names,
        shapeText: `${group.first.M}×${group.first.K}×${group.first.N}`,
        count: group.count,
        tensors: tensorsOf(design, roles),
        levels: design.arch.storage.map((s) => s.name),
      },
    }
  })
  const densitiesText = (study.densities ?? []).map((d) => Object.entries(d).map(([role, t]) => `${role} ${t.density}${t.distribution === undefined ? '' : ` ${t.distribution}`}`).join(', '))
  const ownText = Object.keys(own).length === 0 ? [] : [`own densities of ${Object.keys(own).join(', ')}`]
  return { outline: { title: `${title}, sparsity ${[...presets, ...densitiesText, ...ownText].join(' + ')}`, archName, layers: prepared.map((p) => p.layer) }, layers: prepared }
}

type TensorDensity = { readonly density: number; readonly distribution?: string | undefined; readonly params?: Readonly<Record<string, unknown>> | undefined }

/**
 * Densities per tensor (a study spec's `sparsity` map) as a sparsity preset selecting tensors by
 * role, each density model id in its canonical spelling: what `snipsnap explore --spec` builds.
 */
const perTensorPreset = (entry: Readonly<Record<string, TensorDensity & { readonly phases?: readonly ('prefill' | 'decode')[] | undefined }>>, i: number): SparsityPreset => ({
  id: `study-densities-${i + 1}`,
  description: 'densities per tensor of the study',
  source: 'study spec',
  rules: Object.entries(entry).map(([role, d]) => ({
    roles: [role as TensorRole],
    phases: d.phases ?? ['prefill', 'decode'],
    distribution: resolveDensityModelId(d.distribution ?? 'hypergeometric'),
    density: d.density,
    ...(d.params !== undefined ? { params: { ...d.params } } : {}),
  })),
})

/** A GEMM's own densities (by role of its operands) replace the presets' on those operands, as `exploreModel` does. */
const withOwnDensities = <TDensities extends Readonly<Partial<Record<GemmTensorName, unknown>>>>(layer: GemmLayer, fromPresets: TDensities, own: Readonly<Partial<Record<string, TensorDensity>>> | undefined): TDensities => {
  if (own === undefined) return fromPresets
  const replaced: Record<string, unknown> = { ...fromPresets }
  for (const [tensor, role] of Object.entries(layer.tensors)) {
    const d = own[role]
    if (d !== undefined) replaced[tensor] = { distribution: resolveDensityModelId(d.distribution ?? 'hypergeometric'), density: d.density, params: { ...(d.params ?? {}) } }
  }
  return replaced as TDensities
}

/** Sections of Timeloop files a study does not read (its workload and mapping come from the study and the search), as `snipsnap explore --spec`. */
const NOT_READ = ['problem', 'mapping', 'sparse_optimizations', 'architecture_constraints', 'mapspace_constraints', 'mapspace', 'mapper']

/** The architecture and tables of a study's Timeloop files; tables the files do not hold are estimated. */
const archFromFiles = (files: readonly { readonly fileName: string; readonly text: string }[]): Pick<DesignSpec, 'arch' | 'energyTable' | 'areaTable'> => {
  const sections = parseTimeloopSections(files, { ignore: NOT_READ })
  const arch = sections.arch
  if (arch === undefined) throw new SnipSnapError('INVALID_SPEC', `no architecture section in ${files.map((f) => f.fileName).join(', ')}`, { path: ['arch', 'timeloop'] })
  const estimated = sections.energyTable == null || sections.areaTable == null ? estimateArchTables({ arch, estimator: tableEstimator }) : null
  return { arch, energyTable: sections.energyTable ?? estimated!.energyTable, areaTable: sections.areaTable ?? estimated!.areaTable }
}

// ---------------------------------------------------------------- searching a layer

/** One valid evaluation of a search: the point it lands on. */
export interface SearchPoint {
  readonly energyPJ: number
  readonly cycles: number
  /** Which search produced it: the first dataflow search or the refinement round. */
  readonly stage: 'dataflow' | 'refine-dataflow'
}

export interface LevelEnergy {
  readonly level: string
  readonly energyPJ: number
}

export interface BaselineEnergy {
  /** `uncompressed`, `bitmap`, `csr`, `coo`, `rle`: that format for every sparse tensor at every level. */
  readonly name: string
  readonly energyPJ: number | null
  readonly reason: string | null
}

/** A layer's co-search outcome, plain data for the page and the downloaded JSON. */
export interface LayerResult {
  readonly index: number
  readonly names: readonly string[]
  readonly shapeText: string
  readonly count: number
  readonly objective: readonly string[]
  /** Per single run of the layer; null when nothing valid was found (`reason`). */
  readonly energyPJ: number | null
  readonly cycles: number | null
  /** Chosen formats; `pattern` is the editor's notation with the level's loops (sizes where a dim repeats). */
  readonly formats: readonly (TensorFormatChoice & { readonly pattern: string | null })[]
  readonly levels: readonly LevelEnergy[]
  /** Best mapping under the default (uncompressed) formats: the dataflow-only search. */
  readonly dataflowOnlyEnergyPJ: number | null
  /** Fixed formats on the chosen mapping, costed by the same model. */
  readonly baselines: readonly BaselineEnergy[]
  readonly points: readonly SearchPoint[]
  readonly stages: readonly { readonly stage: string; readonly round: number; readonly evaluated: number; readonly energyPJ: number | null; readonly cycles: number | null }[]
  readonly evaluated: number
  readonly elapsedMs: number
  readonly mappingYaml: string | null
  /** The chosen mapping and formats (plain data), for pricing edited formats on the same dataflow. */
  readonly chosen: ChosenDesign | null
  /** The chosen design (architecture, problem, mapping, formats, energy table) as one Timeloop YAML. */
  readonly designYaml: string | null
  /** Why `designYaml` is null although a design was found (e.g. a density model Timeloop cannot express). */
  readonly designYamlNote: string | null
  readonly reason: string | null
  /** True when the search was stopped before it finished (cancel). */
  readonly partial: boolean
}

/** A layer's chosen mapping with its formats. */
export interface ChosenDesign {
  readonly mapping: MappingSpec
  readonly sparseOptimizations: SparseOptimizationsSpec
}

/** A live report while a layer is searched. */
export interface SearchProgressEvent {
  readonly layer: number
  readonly stage: string
  readonly evaluated: number
  readonly bestEnergyPJ: number | null
  readonly bestCycles: number | null
  /** Points evaluated since the previous event. */
  readonly points: readonly SearchPoint[]
}

/** Wraps a strategy so that every result told to it is also seen by `observe` (nothing else changes). */
const observedStrategy = (inner: AnySearchStrategy, observe: (results: readonly Evaluated<unknown>[], names: readonly string[]) => void): AnySearchStrategy => ({
  ...inner,
  tell: (state, results, context) => {
    observe(results, context.objectives.names)
    return inner.tell(state, results, context)
  },
})

/** Every metric the search ranks by, the chosen one first, so each evaluation reports energy and cycles. */
const objectiveList = (objective: Study['objective']): string[] => [objective, ...(['energy', 'cycles', 'edp'] as const).filter((m) => m !== objective)]

export interface Engine {
  catalog(): Catalog
  outline(study: Study): StudyOutline
  searchLayer(study: Study, index: number, options: { readonly now: () => number; readonly onProgress: (event: SearchProgressEvent) => void; readonly progressEveryMs?: number }): Promise<LayerResult>
  /** Prices `request` on `chosen` (a search's result) or, without it, on a quick reference mapping. */
  evaluateFormat(study: Study, request: FormatRequest, chosen?: ChosenDesign | null): FormatEvaluation
}

// ---------------------------------------------------------------- one tensor's format

export interface FormatRequest {
  readonly layer: number
  readonly tensor: string
  readonly level: string
  readonly pattern: string
}

export interface FormatBits {
  readonly metadataBits: number
  /** Offsets into the next rank (the format's other overhead). */
  readonly payloadBits: number
  readonly dataBits: number
  readonly totalBits: number
  readonly denseBits: number
  /** (metadata + payload) / total, in [0, 1]. */
  readonly metadataShare: number
}

/** One encoded rank of the drawn tile: its words, as numbers. */
export interface TileRank {
  readonly symbol: string
  readonly metadataWordBits: number
  readonly payloadWordBits: number
  readonly metadata: readonly number[]
  readonly payload: readonly number[]
}

export interface TileEncoding {
  readonly ok: boolean
  /** The pattern drawn: as typed, or its innermost rank per dimension without sizes when the typed one is for a larger tile. */
  readonly pattern: string
  readonly reason: string | null
  readonly ranks: readonly TileRank[]
  readonly values: readonly number[]
  readonly sizes: FormatBits | null
}

/** How the tensor is tiled at the chosen level on the mapping the editor prices formats on. */
export interface LevelStructure {
  /** Non-trivial loops over the tensor at this level and below, outermost first: one format rank each. */
  readonly loops: readonly { readonly dim: string; readonly size: number }[]
  /** The tile held at the level, per tensor dim. */
  readonly tileShape: readonly number[]
  /** Patterns with one rank per loop (CSR-, bitmap- and RLE-like), ready to edit. */
  readonly suggestions: readonly { readonly name: string; readonly pattern: string }[]
}

export type FormatEvaluation =
  | {
      readonly ok: true
      readonly structure: LevelStructure
      readonly canonical: string
      readonly dims: readonly string[]
      readonly bits: FormatBits
      /** Layer energy (one run) with this format at the level; null with `energyReason` when infeasible. */
      readonly energyPJ: number | null
      readonly energyReason: string | null
      /** The same design with the level's format as the search chose (or uncompressed before a search). */
      readonly referenceEnergyPJ: number | null
      readonly mappingSource: 'search' | 'reference'
    }
  | { readonly ok: false; readonly message: string; readonly structure: LevelStructure | null }

/** Words of a packed stream (LSB-first in 32-bit lanes, `@snipsnap/format`'s layout) as numbers. */
export const unpackWords = (words: { readonly wordBits: number; readonly count: number; readonly data: Uint32Array }): number[] => {
  const out: number[] = []
  for (let i = 0; i < words.count; i++) {
    let value = 0
    for (let b = 0; b < words.wordBits; b++) {
      const bit = i * words.wordBits + b
      if (((words.data[bit >>> 5] ?? 0) >>> (bit & 31)) & 1) value += 2 ** b
    }
    out.push(value)
  }
  return out
}

const bitsOf = (sizes: { metadataBits: number; payloadBits: number; dataBits: number; totalBits: number; denseBits: number }): FormatBits => ({
  metadataBits: sizes.metadataBits,
  payloadBits: sizes.payloadBits,
  dataBits: sizes.dataBits,
  totalBits: sizes.totalBits,
  denseBits: sizes.denseBits,
  metadataShare: sizes.totalBits > 0 ? (sizes.metadataBits + sizes.payloadBits) / sizes.totalBits : 0,
})

/**
 * Encodes a small real tile (row-major values) in `pattern` over `dims`, for drawing which words
 * are metadata, which are payload and which are stored values.
 */
export const encodeTile = (pattern: string, dims: readonly string[], tile: { readonly shape: readonly number[]; readonly values: readonly number[] }): TileEncoding => {
  const registry = createFormatRegistry()
  const attempt = (text: string): TileEncoding => {
    const format = bindFormat({ pattern: text, shape: tile.shape, dimNames: dims, registry })
    const result = encodeTensor({ format, tensor: { shape: tile.shape, data: Float32Array.from(tile.values) }, valueBits: 16 })
    if (!result.ok) return { ok: false, pattern: text, reason: result.reason, ranks: [], values: [], sizes: null }
    const encoded: EncodedTensor = result.encoded
    return {
      ok: true,
      pattern: format.text,
      reason: null,
      ranks: encoded.ranks.map((r) => ({ symbol: r.symbol, metadataWordBits: r.metadata.wordBits, payloadWordBits: r.payload.wordBits, metadata: unpackWords(r.metadata), payload: unpackWords(r.payload) })),
      values: Array.from(encoded.values),
      sizes: bitsOf(encoded.sizes),
    }
  }
  try {
    return attempt(pattern)
  } catch (error) {
    // A pattern written for a level's full tile (sizes, one rank per loop) does not fit a small
    // tile: draw its innermost rank over each dimension instead, sizes dropped, and an uncompressed
    // outer rank over a dimension it leaves out (one the level's tile holds only 1 of, e.g. M in
    // decode), since the drawn tile has 8 of every dimension.
    try {
      const ranks = [...parseCompPat(pattern).ranks]
      const seen = new Set<string>()
      const inner = ranks
        .reverse()
        .filter((r) => {
          const fresh = r.parts.every((p) => !seen.has(p.dim))
          for (const p of r.parts) seen.add(p.dim)
          return fresh
        })
        .reverse()
        .map((r) => ({ ...r, parts: r.parts.map((p) => ({ dim: p.dim })) }))
      const missing = dims.filter((d) => !seen.has(d)).flatMap((d) => parseCompPat(`U(${d})`).ranks)
      const reduced = formatCompPat({ ranks: [...missing, ...inner] })
      if (reduced !== pattern) return attempt(reduced)
    } catch {
      // fall through to the original problem
    }
    return { ok: false, pattern, reason: toSnipSnapError(error).message, ranks: [], values: [], sizes: null }
  }
}

/**
 * A pattern over a tensor's dims as a Sparseloop format, one rank per pattern rank, outermost
 * first. A rank of one sized part (`U(K:8)`) takes exactly one loop (Sparseloop's default); a rank
 * naming a whole dim (`UOP(K)`) or several parts (`CP(K,N)`) lists its dims as `flattenedRankIds`,
 * so it takes every adjacent loop over them. `U` is `UOP` without payload; `mb`/`pb` set widths.
 */
export const patternToFormatSpec = (tensor: string, pattern: string): TensorFormatSpec => {
  const parsed = parseCompPat(pattern)
  const ranks = parsed.ranks.map((rank): RankFormatSpec => {
    const dims = [...new Set(rank.parts.map((p) => p.dim))]
    const oneLoop = rank.parts.length === 1 && rank.parts[0]?.size !== undefined
    const flattenedRankIds = oneLoop ? null : [dims]
    const options = rank.options ?? {}
    const mb = typeof options['mb'] === 'number' ? options['mb'] : null
    const pb = typeof options['pb'] === 'number' ? options['pb'] : null
    const symbol = rank.primitive.toUpperCase()
    return symbol === 'U'
      ? { format: 'UOP', metadataWordBits: 0, payloadWordBits: 0, flattenedRankIds }
      : { format: symbol, metadataWordBits: mb, payloadWordBits: pb, flattenedRankIds }
  })
  return { tensor, rankApplicationOrder: 'outer-to-inner', ranks }
}

/** A format bound to a slot's loops in the editor's notation, e.g. `U(N:16)-U(K:8)-B(N:4)`; null when it does not bind. */
export const slotPattern = (slot: FormatSlot, spec: TensorFormatSpec): string | null => {
  const bound = bindSlotFormat(slot, spec)
  if (!bound.ok) return null
  const counts = new Map<string, number>()
  for (const r of slot.ranks) counts.set(r.dim, (counts.get(r.dim) ?? 0) + 1)
  const ranks = bound.ranks
    .filter((r) => r.end > r.start) // a dummy rank (no loop) has no spelling in the pattern notation
    .map((r) => {
      const prim = r.format === 'UOP' && r.payloadWordBits === 0 ? 'U' : r.format
      const parts = slot.ranks.slice(r.start, r.end).map((l) => ((counts.get(l.dim) ?? 0) > 1 ? `${l.dim}:${l.fiberShape}` : l.dim))
      return `${prim}(${parts.join(',')})`
    })
  return ranks.length === 0 ? null : ranks.join('-')
}

/** `base` with `format` as its tensor's format at `level` (SAFs and other formats kept). */
const withFormat = (base: SparseOptimizationsSpec, level: string, format: TensorFormatSpec): SparseOptimizationsSpec => {
  const targets: SparseOptimizationTargetSpec[] = base.targets.map((t) => (t.level === level ? { ...t, formats: [...t.formats.filter((f) => f.tensor !== format.tensor), format] } : t))
  if (!targets.some((t) => t.level === level)) targets.push({ level, formats: [format], actionOptimizations: [], computeOptimizations: [] })
  return { ...base, targets }
}

// ---------------------------------------------------------------- the engine

/** Creates the engine; it keeps the last study's prepared designs and the editor's reference mappings. */
export const createEngine = (): Engine => {
  let cached: { key: string; outline: StudyOutline; layers: PreparedLayer[] } | null = null
  // Reference mappings of layers not searched yet, per study and layer.
  const references = new Map<string, { mapping: MappingSpec; sparseOptimizations: SparseOptimizationsSpec; source: 'reference' } | null>()
  const baseExplorer: Explorer = createExplorer()

  const studyKey = (study: Study): string => JSON.stringify([study.workload, study.sparsity, study.densities ?? null, study.workload.kind === 'timeloop' ? null : [study.arch, study.archFiles ?? null]])
  const prepared = (study: Study): { outline: StudyOutline; layers: PreparedLayer[] } => {
    const key = studyKey(study)
    if (cached?.key !== key) {
      cached = { key, ...prepare(study) }
      references.clear()
    }
    return cached
  }
  const layerOf = (study: Study, index: number): PreparedLayer => {
    const layer = prepared(study).layers[index]
    if (layer === undefined) throw new SnipSnapError('INVALID_SPEC', `layer ${index} does not exist (the study has ${prepared(study).layers.length})`, { path: ['layers'] })
    return layer
  }

  const searchLayer: Engine['searchLayer'] = async (study, index, options) => {
    const { layer, design } = layerOf(study, index)
    const start = options.now()
    const every = options.progressEveryMs ?? 100
    const objective = objectiveList(study.objective)
    let stage = 'dataflow'
    let evaluated = 0
    let best: { energyPJ: number; cycles: number; key: number[] } | null = null
    let pending: SearchPoint[] = []
    const points: SearchPoint[] = []
    let lastEmit = start
    const emit = (force: boolean): void => {
      const now = options.now()
      if (!force && now - lastEmit < every) return
      lastEmit = now
      options.onProgress({ layer: index, stage, evaluated, bestEnergyPJ: best?.energyPJ ?? null, bestCycles: best?.cycles ?? null, points: pending })
      pending = []
    }
    const consider = (metrics: { energy?: number | undefined; cycles?: number | undefined; edp?: number | undefined }): void => {
      const energyPJ = metrics.energy
      const cycles = metrics.cycles
      if (energyPJ === undefined || cycles === undefined) return
      const key = objective.map((m) => (m === 'energy' ? energyPJ : m === 'cycles' ? cycles : energyPJ * cycles))
      // Lexicographic: the first metric that differs decides.
      const i = best === null ? -1 : key.findIndex((v, j) => v !== best?.key[j])
      const better = best === null || (i >= 0 && (key[i] ?? 0) < (best.key[i] ?? 0))
      if (better) best = { energyPJ, cycles, key }
    }
    const strategies = createRegistry<AnySearchStrategy>(
      'strategy',
      baseExplorer.strategies.list().map((s) =>
        observedStrategy(s, (results, names) => {
          const e = names.indexOf('energy')
          const c = names.indexOf('cycles')
          for (const r of results) {
            evaluated++
            if (!r.ok) continue
            const energyPJ = r.objectives[e] ?? Number.NaN
            const cycles = r.objectives[c] ?? Number.NaN
            if (!Number.isFinite(energyPJ) || !Number.isFinite(cycles)) continue
            const point: SearchPoint = { energyPJ, cycles, stage: stage === 'dataflow' ? 'dataflow' : 'refine-dataflow' }
            points.push(point)
            pending.push(point)
            consider({ energy: energyPJ, cycles })
          }
          emit(false)
        }),
      ),
    )
    const explorer = createExplorer({ strategies, densityModels: baseExplorer.densityModels, formats: baseExplorer.formats })
    const stages: LayerResult['stages'][number][] = []
    const result = await explorer.coSearch(design, {
      objective,
      dataflowEvaluations: study.evaluations,
      // A study spec's stopping rule under the evaluations cap, as `snipsnap explore --spec`.
      ...(study.patience !== undefined ? { patience: study.patience } : {}),
      seed: study.seed + index,
      // The same search shape as `snipsnap explore` (exploreModel), so a layer gets the same design.
      topM: EXPLORE_DEFAULTS.topM,
      maxRounds: EXPLORE_DEFAULTS.maxRounds,
      stage1Starts: EXPLORE_DEFAULTS.stage1Starts,
      warmStart: EXPLORE_DEFAULTS.warmStart,
      stratify: EXPLORE_DEFAULTS.stratify,
      strataPatience: EXPLORE_DEFAULTS.strataPatience,
      polish: EXPLORE_DEFAULTS.polish,
      onStage: (report) => {
        stages.push({ stage: report.stage, round: report.round, evaluated: report.evaluated, energyPJ: report.bestMetrics?.['energy'] ?? null, cycles: report.bestMetrics?.['cycles'] ?? null })
        if (report.bestMetrics !== null) consider(report.bestMetrics)
        // The next stage's label, so points and progress say where the search is.
        stage = report.stage === 'dataflow' ? 'formats' : report.stage === 'formats' ? 'refine-dataflow' : report.stage === 'refine-dataflow' ? 'refine-formats' : 'done'
        emit(true)
      },
    })
    const b = result.best
    let levels: LevelEnergy[] = []
    let baselines: BaselineEnergy[] = []
    let designYaml: string | null = null
    let designYamlNote: string | null = null
    let formats: LayerResult['formats'] = []
    if (b !== null) {
      const chosenDesign: DesignSpec = { ...design, mapping: b.mapping, sparseOptimizations: b.sparseOptimizations }
      const chains = deriveTensorChains({ arch: design.arch, problem: design.problem, mapping: b.mapping })
      formats = b.formats.map((f) => {
        const slot = chains.find((c) => c.tensor === f.tensor)?.slots.find((sl) => sl.level === f.level)
        const spec = b.sparseOptimizations.targets.find((t) => t.level === f.level)?.formats.find((x) => x.tensor === f.tensor)
        return { ...f, pattern: slot === undefined || spec === undefined ? null : slotPattern(slot, spec) }
      })
      const report = explorer.evaluator(chosenDesign)(b.mapping)
      if (report.valid) levels = Object.entries(report.levels).map(([level, r]) => ({ level, energyPJ: r.energyPJ }))
      const selection = optimizeFormats({ design: chosenDesign, costModel: sparseloopCostModel, costModelOptions: { densityModels: explorer.densityModels }, densityModels: explorer.densityModels, formatPrimitives: explorer.formats.list(), options: { objective: 'energy' } })
      baselines = selection.baselines.map((o) => ({ name: o.name, energyPJ: o.feasible ? o.energyPJ : null, reason: o.reason }))
      // The download is a by-product: a design Timeloop cannot express (an N:M density model,
      // say) still gets its result, and the page says why there is no YAML.
      try {
        designYaml = writeTimeloopYaml(chosenDesign)
      } catch (error) {
        if (!(error instanceof SnipSnapError) || error.code !== 'UNSUPPORTED_FEATURE') throw error
        designYamlNote = `no Timeloop YAML: ${error.message}`
      }
    }
    stage = 'done'
    emit(true)
    return {
      index,
      names: layer.names,
      shapeText: layer.shapeText,
      count: layer.count,
      objective,
      energyPJ: b?.energyPJ ?? null,
      cycles: b?.cycles ?? null,
      formats,
      levels,
      dataflowOnlyEnergyPJ: result.dataflowOnly?.energyPJ ?? null,
      baselines,
      points,
      stages,
      evaluated: result.evaluated,
      elapsedMs: options.now() - start,
      mappingYaml: b?.mappingYaml ?? null,
      chosen: b === null ? null : { mapping: b.mapping, sparseOptimizations: b.sparseOptimizations },
      designYaml,
      designYamlNote,
      reason: b === null ? (result.reason ?? 'no valid design found') : null,
      partial: false,
    }
  }

  // Before any search, the editor prices formats on a quick seeded mapping of the uncompressed design.
  const referenceFor = (study: Study, index: number): { mapping: MappingSpec; sparseOptimizations: SparseOptimizationsSpec; source: 'reference' } | null => {
    const key = `${studyKey(study)}#${index}`
    const known = references.get(key)
    if (known !== undefined) return known
    const { design } = layerOf(study, index)
    if (design.mapping !== null) {
      const given = { mapping: design.mapping, sparseOptimizations: design.sparseOptimizations, source: 'reference' as const }
      references.set(key, given)
      return given
    }
    const space = baseExplorer.mapspace(design)
    const evaluate = baseExplorer.evaluator(design)
    // A deterministic handful of valid samples; the cheapest under energy is the reference.
    let bestMapping: MappingSpec | null = null
    let bestEnergy = Number.POSITIVE_INFINITY
    const stream = createRng(study.seed).fork('format-editor')
    for (let i = 0; i < 24; i++) {
      const drawn = space.sampleValid(stream, 64)
      if (!drawn.ok) break
      const report = evaluate(drawn.mapping)
      if (report.valid && report.energyPJ < bestEnergy) {
        bestEnergy = report.energyPJ
        bestMapping = drawn.mapping
      }
    }
    const reference = bestMapping === null ? null : { mapping: bestMapping, sparseOptimizations: design.sparseOptimizations, source: 'reference' as const }
    references.set(key, reference)
    return reference
  }

  const structureOf = (design: DesignSpec, mapping: MappingSpec, tensor: LayerTensor, level: string): LevelStructure | null => {
    const chain = deriveTensorChains({ arch: design.arch, problem: design.problem, mapping }).find((c) => c.tensor === tensor.name)
    const slot = chain?.slots.find((sl) => sl.level === level)
    if (slot === undefined || tensor.dims === null) return null
    const loops = slot.ranks.map((r) => ({ dim: r.dim, size: r.fiberShape }))
    const tileShape = tensor.dims.map((d) => loops.filter((l) => l.dim === d).reduce((p, l) => p * l.size, 1))
    const counts = new Map<string, number>()
    for (const l of loops) counts.set(l.dim, (counts.get(l.dim) ?? 0) + 1)
    // A dim iterated by one loop needs no size; several loops of a dim carry theirs.
    const part = (l: { dim: string; size: number }): string => ((counts.get(l.dim) ?? 0) > 1 ? `${l.dim}:${l.size}` : l.dim)
    const withInner = (outer: string, last: string, secondLast?: string): string =>
      loops.map((l, i) => `${i === loops.length - 1 ? last : i === loops.length - 2 && secondLast !== undefined ? secondLast : outer}(${part(l)})`).join('-')
    // Bitmap-like first: a mask needs no offsets above it, so it binds on any loop nest.
    const suggestions = loops.length === 0 ? [] : [
      { name: 'bitmap-like', pattern: withInner('U', 'B') },
      { name: 'CSR-like', pattern: loops.length === 1 ? `CP(${part(loops[0] as { dim: string; size: number })})` : withInner('U', 'CP', 'UOP') },
      { name: 'RLE-like', pattern: loops.length === 1 ? `RLE(${part(loops[0] as { dim: string; size: number })})` : withInner('U', 'RLE', 'UOP') },
    ]
    return { loops, tileShape, suggestions }
  }

  const evaluateFormat: Engine['evaluateFormat'] = (study, request, chosenDesign) => {
    let structure: LevelStructure | null = null
    try {
      const { layer, design } = layerOf(study, request.layer)
      const tensor = layer.tensors.find((t) => t.name === request.tensor)
      if (tensor === undefined) return { ok: false, structure, message: `tensor ${request.tensor} is not in this layer (${layer.tensors.map((t) => t.name).join(', ')})` }
      if (tensor.dims === null || tensor.shape === null) return { ok: false, structure, message: `tensor ${tensor.name} is indexed by sums of dimensions; the editor handles plain-dimension tensors only` }
      if (!layer.levels.includes(request.level)) return { ok: false, structure, message: `level ${request.level} is not in the architecture (${layer.levels.join(', ')})` }
      const base = chosenDesign != null ? { ...chosenDesign, source: 'search' as const } : referenceFor(study, request.layer)
      if (base === null) return { ok: false, structure, message: `no valid mapping of this layer was found to price formats on` }
      structure = structureOf(design, base.mapping, tensor, request.level)
      if (structure === null) return { ok: false, structure, message: `${tensor.name} is not stored at ${request.level} in this dataflow (it bypasses the level); pick another level` }
      const bound = bindFormat({ pattern: request.pattern, shape: structure.tileShape, dimNames: tensor.dims, registry: baseExplorer.formats })
      const bits = bitsOf(estimateFormatSize({ format: bound, density: createUniformDensity({ density: tensor.density }), valueBits: 16 }))
      const priced = (sparseOptimizations: SparseOptimizationsSpec) => baseExplorer.evaluator({ ...design, sparseOptimizations })(base.mapping)
      const edited = priced(withFormat(base.sparseOptimizations, request.level, patternToFormatSpec(tensor.name, request.pattern)))
      const reference = priced(base.sparseOptimizations)
      return {
        ok: true,
        structure,
        canonical: bound.text,
        dims: tensor.dims,
        bits,
        energyPJ: edited.valid ? edited.energyPJ : null,
        energyReason: edited.valid ? null : edited.reason,
        referenceEnergyPJ: reference.valid ? reference.energyPJ : null,
        mappingSource: base.source,
      }
    } catch (error) {
      return { ok: false, structure, message: toSnipSnapError(error).message }
    }
  }

  return { catalog, outline: (study) => prepared(study).outline, searchLayer, evaluateFormat }
}

// Whole-model exploration: every distinct layer of a zoo model (a GEMM, or a CNN layer's native
// convolution; same shape and densities = one search) co-searched on an accelerator preset, then
// totalled over the forward pass (each layer's energy and cycles × its count; layers run one
// after another).
import type { AbortSignalLike } from '@snipsnap/search'
import { SnipSnapError, type DesignSpec } from '@snipsnap/core'
import { applyHardwarePoint, estimateArchTables, getArchPreset, hardwarePointOf, tableEstimator, totalAreaUM2, type HardwarePoint } from '@snipsnap/arch'
import { applySparsity, buildWorkload, CONV_TENSOR_NAMES, layerShapeText, layerToProblem, type ConvLowering, type ConvShape, type GemmLayer, type GemmTensorName } from '@snipsnap/workloads'
import { checkFormatSpace, coSearchDesign, type CoDesignSummary, type ExplorerRegistries, type FormatSpaceLimits } from './co-search'
import type { TensorFormatChoice } from './formats-summary'
import { parseObjective, type ExplorerObjective, type MetricName } from './objectives'

/** Options of {@link exploreModel}. */
export interface ExploreModelOptions {
  /** Zoo model id, e.g. `llama-2-7b`. */
  readonly model: string
  /** Sparsity preset id(s), e.g. `unstructured-50`. */
  readonly sparsity: string | readonly string[]
  readonly phase?: 'prefill' | 'decode'
  /** Architecture preset id (default `llm-default`). */
  readonly arch?: string
  /**
   * Hardware parameters applied to the preset (`@snipsnap/arch` hardware axes, e.g.
   * `{ glbKiB: 256, peArray: '8x8' }`). When given (even empty), the energy and area tables are
   * estimated for the resulting accelerator (as `codesign` does), so every point of a hardware
   * sweep is costed by the same estimator.
   */
  readonly hardware?: HardwarePoint
  /** Limits of the compression engine's format space (see `FormatSpaceLimits`). */
  readonly formatSpace?: FormatSpaceLimits
  readonly seqLen?: number
  readonly batch?: number
  /** CNN convolutions as native convolutions (default) or im2col GEMMs (for comparison). */
  readonly lowering?: ConvLowering
  readonly objective?: ExplorerObjective
  /** Evaluations of each dataflow search of each layer (default 48). */
  readonly dataflowEvaluations?: number
  readonly topM?: number
  readonly maxRounds?: number
  readonly seed?: number
  readonly clock?: () => number
  readonly signal?: AbortSignalLike
  /** Cost model id in the explorer's registry (default `sparseloop`). */
  readonly costModel?: string
  /** Called after each distinct layer is searched. */
  readonly onLayer?: (done: number, total: number, layer: ExploredLayer) => void
}

/** One distinct layer's result. */
export interface ExploredLayer {
  /** Names of the model's layers sharing this shape and densities. */
  readonly names: readonly string[]
  /** GEMM shape; for a native convolution the GEMM-equivalent one (M·K·N = its MACs). */
  readonly M: number
  readonly K: number
  readonly N: number
  /** The shape as text: `M×K×N`, or the convolution's `N… C… M… R… S… P… Q… s…` (G… when grouped). */
  readonly shape: string
  /** The native convolution searched, or null for a GEMM. */
  readonly conv: ConvShape | null
  /** Runs per forward pass (sum of the counts of every GEMM in `names`). */
  readonly count: number
  readonly densities: Readonly<Record<string, number>>
  /** Per run; null when no valid mapping was found (`reason`). */
  readonly energyPJ: number | null
  readonly cycles: number | null
  readonly dataflowOnlyEnergyPJ: number | null
  readonly formats: readonly TensorFormatChoice[]
  readonly mappingYaml: string | null
  readonly evaluated: number
  readonly reason: string | null
}

/** The outcome of {@link exploreModel}. */
export interface ExploreModelResult {
  readonly model: string
  readonly phase: 'prefill' | 'decode'
  readonly arch: string
  /** How CNN convolutions were lowered (`native` for Transformers). */
  readonly lowering: ConvLowering
  /** Hardware parameters of the accelerator explored (the preset's own, with `hardware` applied). */
  readonly hardware: Readonly<Record<string, number | string>>
  /** Area of the accelerator explored, µm² (its area table × instances). */
  readonly areaUM2: number
  readonly objective: readonly MetricName[]
  readonly layers: readonly ExploredLayer[]
  /** Whole forward pass: Σ count × per-run values over layers with a valid design. */
  readonly totalEnergyPJ: number
  readonly totalCycles: number
  /** Same total with every layer at its dataflow-only result (the formats' share of the gain). */
  readonly dataflowOnlyTotalEnergyPJ: number
  readonly evaluated: number
  /** Layers without a valid design (excluded from the totals). */
  readonly failedLayers: number
}

const keyOf = (layer: GemmLayer, densities: Readonly<Record<string, unknown>>): string => JSON.stringify([layer.M, layer.K, layer.N, layer.conv ?? null, densities])

/** A distinct layer of a model (same shape and densities), with every layer sharing it. */
export interface LayerGroup {
  readonly layer: GemmLayer
  readonly names: string[]
  count: number
  readonly densities: ReturnType<typeof applySparsity>[number]['densities']
}

/**
 * The distinct GEMMs of a zoo model under a sparsity preset, in model order.
 * @throws {SnipSnapError} for an unknown model, sparsity preset or phase, or a phase without GEMMs.
 */
export const groupModelLayers = (
  options: Pick<ExploreModelOptions, 'model' | 'sparsity' | 'phase' | 'seqLen' | 'batch' | 'lowering'>,
): { workload: ReturnType<typeof buildWorkload>; groups: LayerGroup[] } => {
  const phase = options.phase ?? 'prefill'
  const workload = buildWorkload({
    model: options.model,
    phase,
    ...(options.seqLen !== undefined ? { seqLen: options.seqLen } : {}),
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.lowering !== undefined ? { lowering: options.lowering } : {}),
  })
  const sparsity = applySparsity(workload, typeof options.sparsity === 'string' ? options.sparsity : [...options.sparsity])
  const groups = new Map<string, LayerGroup>()
  workload.layers.forEach((layer, i) => {
    const densities = sparsity[i]?.densities ?? {}
    const key = keyOf(layer, densities)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, { layer, names: [layer.name], count: layer.count, densities })
    else {
      group.names.push(layer.name)
      group.count += layer.count
    }
  })
  if (groups.size === 0) throw new SnipSnapError('INVALID_SPEC', `${options.model} has no GEMM in phase ${phase}`, { path: ['model'] })
  return { workload, groups: [...groups.values()] }
}

/**
 * Co-searches every distinct layer of a model on an accelerator preset.
 * @throws {SnipSnapError} for an unknown model, sparsity preset, phase or architecture preset.
 */
export const exploreModel = async (
  options: ExploreModelOptions,
  registries: ExplorerRegistries,
): Promise<ExploreModelResult> => {
  const phase = options.phase ?? 'prefill'
  const archId = options.arch ?? 'llm-default'
  const preset = getArchPreset(archId)
  let { arch, energyTable, areaTable } = preset
  if (options.hardware !== undefined) {
    const applied = applyHardwarePoint(preset.arch, options.hardware)
    if (!applied.ok) {
      throw new SnipSnapError('INVALID_SPEC', `hardware ${JSON.stringify(options.hardware)} on ${archId}: ${applied.error.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { path: ['hardware'] })
    }
    arch = applied.value
    ;({ energyTable, areaTable } = estimateArchTables({ arch, estimator: tableEstimator }))
  }
  if (options.formatSpace !== undefined) checkFormatSpace(options.formatSpace, registries.formats)
  const objective = parseObjective(options.objective ?? 'energy')
  const { workload, groups: groupList } = groupModelLayers(options)
  const groups = new Map(groupList.map((g, i) => [i, g]))
  const evaluations = options.dataflowEvaluations ?? 48
  const layers: ExploredLayer[] = []
  let index = 0
  for (const group of groups.values()) {
    if (options.signal?.aborted === true) break
    const design: DesignSpec = {
      arch,
      problem: layerToProblem(group.layer, group.densities),
      mapping: null,
      sparseOptimizations: { targets: [] },
      energyTable,
      areaTable,
      constraints: [],
      mapper: null,
    }
    const result = await coSearchDesign(
      design,
      {
        objective,
        dataflowEvaluations: evaluations,
        seed: (options.seed ?? 1) + index,
        topM: options.topM ?? 2,
        maxRounds: options.maxRounds ?? 1,
        ...(options.costModel !== undefined ? { costModel: options.costModel } : {}),
        ...(options.clock !== undefined ? { clock: options.clock } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        ...(options.formatSpace !== undefined ? { formatSpace: options.formatSpace } : {}),
      },
      registries,
    )
    const best: CoDesignSummary | null = result.best
    const explored: ExploredLayer = {
      names: group.names,
      M: group.layer.M,
      K: group.layer.K,
      N: group.layer.N,
      shape: layerShapeText(group.layer),
      conv: group.layer.conv ?? null,
      count: group.count,
      // Named as the problem's tensors: A/B/Z for a GEMM, Inputs/Weights/Outputs for a convolution.
      densities: Object.fromEntries(
        Object.entries(group.densities).map(([t, d]) => [group.layer.conv === undefined ? t : CONV_TENSOR_NAMES[t as GemmTensorName], d?.density ?? 1]),
      ),
      energyPJ: best?.energyPJ ?? null,
      cycles: best?.cycles ?? null,
      dataflowOnlyEnergyPJ: result.dataflowOnly?.energyPJ ?? null,
      formats: best?.formats ?? [],
      mappingYaml: best?.mappingYaml ?? null,
      evaluated: result.evaluated,
      reason: best === null ? (result.reason ?? 'no valid design found') : null,
    }
    layers.push(explored)
    index++
    options.onLayer?.(index, groups.size, explored)
  }
  const ok = layers.filter((l) => l.energyPJ !== null && l.cycles !== null)
  return {
    model: workload.model,
    phase,
    arch: archId,
    lowering: workload.lowering,
    hardware: hardwarePointOf(arch),
    areaUM2: totalAreaUM2(arch, areaTable),
    objective,
    layers,
    totalEnergyPJ: ok.reduce((s, l) => s + l.count * (l.energyPJ ?? 0), 0),
    totalCycles: ok.reduce((s, l) => s + l.count * (l.cycles ?? 0), 0),
    dataflowOnlyTotalEnergyPJ: ok.reduce((s, l) => s + l.count * (l.dataflowOnlyEnergyPJ ?? l.energyPJ ?? 0), 0),
    evaluated: layers.reduce((s, l) => s + l.evaluated, 0),
    failedLayers: layers.length - ok.length,
  }
}

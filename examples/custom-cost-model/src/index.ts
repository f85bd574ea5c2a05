// A deliberately simple roofline cost model, written against @snipsnap/core alone to show the
// CostModel plug-in contract: every tensor crosses the outermost level once (compressed by its
// density), effectual MACs run at full utilisation, time is the slower of compute and memory.
import {
  defineCostModel,
  definePlugin,
  type ActionBreakdown,
  type CostQuery,
  type CostReport,
  type EnergyTableSpec,
  type LevelReport,
} from '@snipsnap/core'

/** Largest ERT energy of the first action found for the component `leaf` (0 when absent). */
const ertEnergy = (table: EnergyTableSpec | null, leaf: string, names: readonly string[]): number => {
  for (const name of names) {
    let best: number | null = null
    for (const entry of table?.entries ?? []) {
      const entryLeaf = (entry.name.split('.').pop() ?? '').replace(/\[[^\]]*\]/g, '')
      if (entryLeaf !== leaf) continue
      for (const action of entry.actions) if (action.name === name) best = Math.max(best ?? 0, action.energyPJ)
    }
    if (best !== null) return best
  }
  return 0
}

/** Roofline evaluation of one query. */
export const evaluateRoofline = (query: CostQuery): CostReport => {
  const { arch, problem } = query
  const outer = arch.storage[0]
  if (outer === undefined) return { valid: false, kind: 'unsupported', reason: 'the architecture has no storage level' }
  const density = (tensor: string) => problem.densities[tensor]?.density ?? 1
  const algorithmic = problem.dimensions.reduce((acc, d) => acc * (problem.bounds[d] ?? 1), 1)
  const inputs = problem.dataSpaces.filter((t) => !t.readWrite)
  const effectual = algorithmic * inputs.reduce((acc, t) => acc * density(t.name), 1)
  const macPJ = ertEnergy(query.energyTable, arch.compute.name, ['mac_random', 'mac', 'compute'])
  const readPJ = ertEnergy(query.energyTable, outer.name, ['read'])
  const writePJ = ertEnergy(query.energyTable, outer.name, ['write'])
  const tensors: Record<string, LevelReport['tensors'][string]> = {}
  const actions: ActionBreakdown[] = []
  let words = 0
  let outerEnergy = 0
  for (const t of problem.dataSpaces) {
    const size = t.projection.reduce(
      (acc, rank) => acc * rank.reduce((extent, term) => extent + (problem.coefficients[term.coefficient ?? ''] ?? 1) * ((problem.bounds[term.dim] ?? 1) - 1), 1),
      1,
    )
    const moved = size * density(t.name)
    const reads = t.readWrite ? 0 : moved
    const updates = t.readWrite ? moved : 0
    const energy = reads * readPJ + updates * writePJ
    words += moved
    outerEnergy += energy
    tensors[t.name] = {
      reads: { actual: reads, gated: 0, skipped: 0 },
      fills: { actual: 0, gated: 0, skipped: 0 },
      updates: { actual: updates, gated: 0, skipped: 0 },
      metadataReads: 0,
      energyPJ: energy,
    }
    actions.push({ level: outer.name, tensor: t.name, actions: ['read', 'write'], counts: [reads, updates], energiesPJ: [readPJ, writePJ] })
  }
  const computeCycles = Math.ceil(effectual / Math.max(1, arch.compute.instances))
  const bandwidth = (outer.readBandwidthWordsPerCycle ?? 0) + (outer.writeBandwidthWordsPerCycle ?? 0) || outer.sharedBandwidthWordsPerCycle
  const memoryCycles = bandwidth !== null && bandwidth > 0 ? Math.ceil(words / bandwidth) : 0
  const computeEnergy = effectual * macPJ
  actions.push({ level: arch.compute.name, tensor: null, actions: ['mac'], counts: [effectual], energiesPJ: [macPJ] })
  return {
    valid: true,
    cycles: Math.max(computeCycles, memoryCycles),
    energyPJ: outerEnergy + computeEnergy,
    computes: { actual: effectual, gated: 0, skipped: algorithmic - effectual },
    levels: {
      [outer.name]: { kind: 'storage', energyPJ: outerEnergy, cycles: memoryCycles, tensors },
      [arch.compute.name]: { kind: 'compute', energyPJ: computeEnergy, cycles: computeCycles, tensors: {} },
    },
    actions,
  }
}

/** The roofline model as a CostModel plug-in (id `roofline`). */
export const rooflineCostModel = defineCostModel({
  id: 'roofline',
  description: 'Roofline: each tensor crosses the outermost level once; time = max(compute, memory)',
  accuracy: 10,
  supports: () => true,
  evaluate: (query) => evaluateRoofline(query),
})

/**
 * The plug-in bundle the CLI loads: `snipsnap explore --plugin examples/custom-cost-model --cost-model roofline …`.
 */
export default definePlugin({
  id: 'roofline',
  description: 'A roofline cost model (id `roofline`)',
  costModels: [rooflineCostModel],
})

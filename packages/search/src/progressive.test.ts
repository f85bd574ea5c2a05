// progressiveCoSearch on a toy co-design problem where neither the dataflow alone nor the formats
// alone reach the joint optimum: energy(t, fmt) = 100 + t under format `dense`, 110 − 2t under
// `packed` (t = the outer tile factor). Stage 1 finds t = 1 (101), stage 2 switches the t = 8
// dataflow to `packed` (94), stage 3 re-searches under `packed` and finds t = 16 (78).
import { defineCostModel, type CostQuery, type MappingSpec, type SparseOptimizationsSpec } from '@snipsnap/core'
import { exhaustive, genetic, progressiveCoSearch, type CoSearchMapspace, type CompressionEngine } from '@snipsnap/search'
import { describe, expect, it } from 'vitest'

const FACTORS = [1, 2, 4, 8, 16]
const mappingOf = (t: number): MappingSpec => ({
  levels: [
    { target: 'DRAM', temporalFactors: { M: t }, temporalPermutation: ['M'], spatialFactors: {}, spatialPermutation: ['M'], spatialSplit: 1, keep: [], bypass: [], stream: [] },
    { target: 'Buffer', temporalFactors: { M: 16 / t }, temporalPermutation: ['M'], spatialFactors: {}, spatialPermutation: ['M'], spatialSplit: 1, keep: [], bypass: [], stream: [] },
  ],
})
const tOf = (m: MappingSpec): number => m.levels[0]?.temporalFactors['M'] ?? 1
const formatsOf = (name: 'dense' | 'packed'): SparseOptimizationsSpec => ({
  targets: [{ level: 'Buffer', formats: [{ tensor: 'A', rankApplicationOrder: 'outer-to-inner', ranks: [{ format: name === 'packed' ? 'CP' : 'UOP', metadataWordBits: null, payloadWordBits: null, flattenedRankIds: null }] }], actionOptimizations: [], computeOptimizations: [] }],
})
const isPacked = (s: SparseOptimizationsSpec): boolean => s.targets[0]?.formats[0]?.ranks[0]?.format === 'CP'
const energy = (t: number, packed: boolean): number => (packed ? 110 - 2 * t : 100 + t)

const space: CoSearchMapspace = {
  sample: (rng) => mappingOf(FACTORS[rng.int(FACTORS.length)] ?? 1),
  mutate: (m, rng) => mappingOf(FACTORS[rng.int(FACTORS.length)] ?? tOf(m)),
  enumerate: () => FACTORS.map(mappingOf),
  key: (m) => String(tOf(m)),
  check: () => ({ ok: true }),
}
const costModel = defineCostModel({
  id: 'toy',
  supports: () => true,
  evaluate: (q: CostQuery) => ({ valid: true, cycles: 16, energyPJ: energy(tOf(q.mapping), isPacked(q.sparseOptimizations)), computes: { actual: 16, gated: 0, skipped: 0 }, levels: {} }),
})
// The engine picks the cheaper format for the given mapping (what a real engine does per dataflow).
const compression: CompressionEngine = {
  selectFormats: (q) => {
    const t = tOf(q.mapping)
    return { valid: true, sparseOptimizations: formatsOf(energy(t, true) < energy(t, false) ? 'packed' : 'dense') }
  },
}
const base = { arch: { name: 'toy', storage: [], compute: { kind: 'compute' as const, name: 'MAC', className: 'intmac', path: 'MAC', instances: 1, meshX: 1, meshY: 1, wordBits: 16, attributes: {} } }, problem: { name: 'toy', dimensions: ['M'], bounds: { M: 16 }, coefficients: {}, dataSpaces: [], densities: {} }, sparseOptimizations: formatsOf('dense'), energyTable: null }

const run = (strategy = exhaustive, seed = 1) =>
  progressiveCoSearch({ base, mapspace: () => space, costModel, compression, strategy, objectives: 'energy', dataflowBudget: { evaluations: 100 }, topM: 4, seed })

describe('progressiveCoSearch', () => {
  it('beats dataflow-only and formats-only search on a coupled problem', async () => {
    const result = await run()
    expect(result.dataflowOnly?.metrics['energy']).toBe(101)
    // formats-only at the dataflow-only mapping: the engine keeps `dense` (101 < 108).
    const formatsOnly = Math.min(energy(1, false), energy(1, true))
    expect(formatsOnly).toBe(101)
    expect(result.best?.metrics['energy']).toBe(78)
    expect(tOf(result.best?.mapping ?? mappingOf(1))).toBe(16)
    expect(isPacked(result.best?.sparseOptimizations ?? formatsOf('dense'))).toBe(true)
    expect(result.stages.map((s) => s.stage)).toEqual(['dataflow', 'formats', 'refine-dataflow', 'refine-formats', 'refine-dataflow', 'refine-formats'])
    expect(result.converged).toBe(true)
  })

  it('replays exactly from a seed (stochastic dataflow search)', async () => {
    const [a, b] = [await run(genetic, 7), await run(genetic, 7)]
    expect(a).toEqual(b)
  })

  it('polish: descends from the search\'s best through the neighbours (one factor step), within the evaluation cap', async () => {
    // Neighbours of t: the next factor up and down. From any start, the descent reaches t = 1 (101).
    const neighbours = (m: MappingSpec): MappingSpec[] => {
      const i = FACTORS.indexOf(tOf(m))
      return [FACTORS[i - 1], FACTORS[i + 1]].filter((t): t is number => t !== undefined).map(mappingOf)
    }
    const stage1 = (polish: boolean, evaluations: number, seed: number) =>
      progressiveCoSearch({ base, mapspace: () => ({ ...space, neighbours }), costModel, compression, strategy: genetic, strategyOptions: { populationSize: 2, tournamentSize: 1, elitism: 1 }, objectives: 'energy', dataflowBudget: { evaluations }, topM: 1, maxRounds: 0, polish, seed })
    let improved = 0
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const [plain, polished] = [await stage1(false, 1, seed), await stage1(true, 5, seed)]
      const a = plain.dataflowOnly?.metrics['energy'] ?? Infinity
      expect(polished.dataflowOnly?.metrics['energy']).toBe(101)
      expect(polished.stages[0]?.bestMetrics?.['energy']).toBe(101)
      if (a > 101) improved++
      // The polish's fresh evaluations count in the search's cap.
      expect(polished.stages[0]?.evaluated).toBeLessThanOrEqual(5)
    }
    expect(improved).toBeGreaterThan(0)
    // With the cap used up by the search, the polish evaluates nothing.
    const capped = await stage1(true, 1, 1)
    expect(capped.stages[0]?.evaluated).toBe(1)
  })

  it('warm start: a refinement round starts from the incumbent\'s and stage 1\'s mappings', async () => {
    // The first design a round's search asks is the incumbent's mapping when warm-started; a cold
    // round starts from random samples (another mapping on some seeds).
    const firstAsked = async (warmStart: boolean, seed: number) => {
      const keyed: string[][] = []
      const mapspace = (): CoSearchMapspace => {
        const seen: string[] = []
        keyed.push(seen)
        return { ...space, key: (m) => (seen.push(String(tOf(m))), String(tOf(m))) }
      }
      const result = await progressiveCoSearch({ base, mapspace, costModel, compression, strategy: genetic, strategyOptions: { populationSize: 2, tournamentSize: 1, elitism: 1 }, objectives: 'energy', dataflowBudget: { evaluations: 2 }, topM: 1, maxRounds: 1, epsilon: 0, warmStart, seed })
      return { incumbent: String(tOf(result.stage1.top[0]?.mapping ?? mappingOf(0))), first: keyed[1]?.[0] }
    }
    let coldElsewhere = 0
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const [warm, cold] = [await firstAsked(true, seed), await firstAsked(false, seed)]
      expect(warm.first).toBe(warm.incumbent)
      if (cold.first !== cold.incumbent) coldElsewhere++
    }
    expect(coldElsewhere).toBeGreaterThan(0)
  })

  it('pools the top dataflows of independent stage-1 starts (never worse than one start)', async () => {
    const stage1 = (stage1Starts: number, seed: number) =>
      progressiveCoSearch({ base, mapspace: () => space, costModel, compression, strategy: genetic, objectives: 'energy', dataflowBudget: { evaluations: 2 }, topM: 2, maxRounds: 0, stage1Starts, seed })
    let strictlyBetter = 0
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const [one, three] = [await stage1(1, seed), await stage1(3, seed)]
      const [a, b] = [one.dataflowOnly?.metrics['energy'] ?? Infinity, three.dataflowOnly?.metrics['energy'] ?? Infinity]
      expect(b).toBeLessThanOrEqual(a)
      if (b < a) strictlyBetter++
      // One stage-1 report for all starts, counting every start's evaluations.
      expect(three.stages.filter((st) => st.stage === 'dataflow')).toHaveLength(1)
      expect(three.stages[0]?.evaluated).toBeGreaterThan(one.stages[0]?.evaluated ?? 0)
    }
    expect(strictlyBetter).toBeGreaterThan(0)
    await expect(stage1(0, 1)).rejects.toThrow(/stage1Starts/)
  })

  it('stratify: screens every stratum, then the starts go deep in the best strata from their best mappings', async () => {
    // Two strata: t ∈ {1, 2} (energies 101, 102) and t ∈ {4, 8, 16} (104, 108, 116). A search of
    // the whole space with one evaluation lands in either; the screening sees both.
    const low: CoSearchMapspace = { ...space, sample: (rng) => mappingOf([1, 2][rng.int(2)] ?? 1), mutate: (_m, rng) => mappingOf([1, 2][rng.int(2)] ?? 1) }
    const high: CoSearchMapspace = { ...space, sample: (rng) => mappingOf([4, 8, 16][rng.int(3)] ?? 4), mutate: (_m, rng) => mappingOf([4, 8, 16][rng.int(3)] ?? 4) }
    const asked: string[] = []
    const watch = (s: CoSearchMapspace, name: string): CoSearchMapspace => ({ ...s, sample: (rng) => (asked.push(name), s.sample(rng)) })
    const stage1 = (stratify: boolean, seed: number) =>
      progressiveCoSearch({
        base,
        mapspace: () => ({ ...space, strata: () => [watch(high, 'high'), watch(low, 'low')] }),
        costModel,
        compression,
        strategy: genetic,
        strategyOptions: { populationSize: 2, tournamentSize: 1, elitism: 1 },
        objectives: 'energy',
        dataflowBudget: { evaluations: 6 },
        patience: 2,
        strataPatience: 1,
        topM: 1,
        maxRounds: 0,
        stratify,
        seed,
      })
    for (const seed of [1, 2, 3]) {
      asked.length = 0
      const result = await stage1(true, seed)
      expect(result.dataflowOnly?.metrics['energy']).toBe(101)
      // Both strata screened (in their order), then the one start in the best stratum, `low`.
      expect(asked.indexOf('high')).toBeLessThan(asked.indexOf('low'))
      expect(asked.at(-1)).toBe('low')
      expect(result.stages.filter((st) => st.stage === 'dataflow')).toHaveLength(1)
    }
    // Without strata (or without `stratify`) stage 1 is the plain search.
    const plain = await progressiveCoSearch({ base, mapspace: () => space, costModel, compression, strategy: genetic, objectives: 'energy', dataflowBudget: { evaluations: 6 }, topM: 1, maxRounds: 0, stratify: true, seed: 1 })
    expect(plain).toEqual(await progressiveCoSearch({ base, mapspace: () => space, costModel, compression, strategy: genetic, objectives: 'energy', dataflowBudget: { evaluations: 6 }, topM: 1, maxRounds: 0, seed: 1 }))
    await expect(progressiveCoSearch({ base, mapspace: () => space, costModel, compression, strategy: genetic, objectives: 'energy', dataflowBudget: { evaluations: 6 }, strataPatience: 0, seed: 1 })).rejects.toThrow(/strataPatience/)
  })

  it('rejects bad options with the field named', async () => {
    await expect(progressiveCoSearch({ base, mapspace: () => space, costModel, compression, strategy: exhaustive, objectives: 'energy', dataflowBudget: { evaluations: 10 }, topM: 0, seed: 1 })).rejects.toThrow(/topM/)
  })

  it('reports no valid mapping instead of looping', async () => {
    const none: CoSearchMapspace = { ...space, check: () => ({ ok: false, reason: 'capacity' }) }
    const result = await progressiveCoSearch({ base, mapspace: () => none, costModel, compression, strategy: exhaustive, objectives: 'energy', dataflowBudget: { evaluations: 100 }, seed: 1 })
    expect(result.best).toBeNull()
    expect(result.reason).toMatch(/no valid mapping/)
  })
})

// A small explore result, shaped as the report takes it: three layers with every optional field.
import type { ExploreReportInput } from '../src/index'

const levels = ['compute', 'RF', 'GLB', 'DRAM']
const layer = (name: string, count: number, scale: number, seed: number): ExploreReportInput['layers'][number] => {
  let s = seed
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
  const points = Array.from({ length: 40 }, (_, i) => ({ energyPJ: scale * (1 + 3 * next()), cycles: 1e5 * (1 + 5 * next()), stage: i < 30 ? 'dataflow' : 'refine-dataflow' }))
  const best = points.reduce((a, b) => (b.energyPJ < a.energyPJ ? b : a))
  let min = Number.POSITIVE_INFINITY
  return {
    name,
    shape: '4096×4096×2048',
    count,
    energyPJ: best.energyPJ,
    cycles: best.cycles,
    formats: 'B@DRAM:UOP-CP',
    energyByLevel: levels.map((level, i) => ({ level, energyPJ: (best.energyPJ * (i + 1)) / 10 })),
    points,
    convergence: points.map((p, i) => ({ evaluated: i + 1, bestEnergyPJ: (min = Math.min(min, p.energyPJ)) })),
    baselines: [
      { name: 'dataflow-only', energyPJ: best.energyPJ * 1.3 },
      { name: 'bitmap', energyPJ: best.energyPJ * 1.1 },
      { name: 'csr', energyPJ: null },
    ],
  }
}

export const exploreFixture: ExploreReportInput = {
  title: 'llama-2-7b prefill on llm-default',
  compared: ['Co-search of dataflow and formats against dataflow-only and fixed formats, same budget.'],
  layers: [layer('q_proj,k_proj,v_proj,o_proj', 128, 2e9, 1), layer('gate_proj,up_proj', 64, 5e9, 2), { ...layer('down_proj', 32, 5e9, 3) }],
  totals: [{ label: 'prefill', energyPJ: 1.2e12, cycles: 3.4e9 }],
  footer: 'fixture',
}

/// <reference types="node" />
// Benchmark of whole-model format optimisation (`snipsnap formats optimize`).
// Default: the speed goal — selecting formats for every layer of LLaMA-2-7B (all tensors, all
// levels, prefill and decode) with the Sparseloop-accurate model on `llm-default`, timed apart from
// the one-off default-mapping search, with the number of candidates costed, the rate, and the
// ratios to the 2 s goal and to the mapping search measured in the same run.
// `--table [--exhaustive] [--reverse]`: the measured "18% claim" table of the compress README
// (LLaMA-2-7B and OPT-6.7B × presets × phases) as markdown on stdout, per-run JSON on stderr.
// `--sweep`: mixed-density settings looking for a ≥ 18.24% saving against the best fixed format;
// `--sweep-layerwise`: layer-wise mixed weight densities and batched long-context decode with kv-20.
import { performance } from 'node:perf_hooks'
import { optimizeModelFormats, type ModelFormatsResult } from '@snipsnap/explorer'
import { defineSparsityPreset, type LayerSparsity, type SparsityPreset } from '@snipsnap/workloads'

const args = process.argv.slice(2)

const speed = (): void => {
  console.log('@snipsnap/explorer bench: formats for every layer of LLaMA-2-7B (llm-default, sparseloop cost model, 1 core)')
  // The shared machine is usually oversubscribed (load ≫ 2 cores), so wall time mostly measures
  // waiting; the process's user+system CPU time is what "on one core" means. Both are printed.
  const cpuClock = (): number => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  for (const sparsity of [['unstructured-50'], ['nm-2-4', 'activation-50']]) {
    let selectionMs = 0
    let mappingMs = 0
    const wall0 = performance.now()
    let costed = 0
    let runs = 0
    let distinct = 0
    for (const phase of ['prefill', 'decode'] as const) {
      const r = optimizeModelFormats({ model: 'llama-2-7b', sparsity, phase, clock: cpuClock })
      selectionMs += r.timing?.selectionMs ?? 0
      mappingMs += r.timing?.mappingSearchMs ?? 0
      costed += r.summary.candidatesCosted
      runs += r.layers.reduce((s, l) => s + l.count, 0)
      distinct += r.summary.distinctLayers
    }
    const wallMs = performance.now() - wall0
    console.log(
      `  ${sparsity.join('+').padEnd(26)} prefill+decode: ${runs} GEMM runs (${distinct} distinct selections, all tensors × all levels): ` +
        `selection ${selectionMs.toFixed(0)} ms CPU for ${costed} candidates costed (${((1000 * costed) / Math.max(1, selectionMs)).toFixed(0)} candidates/s); ` +
        `goal < 2000 ms: ${selectionMs < 2000 ? 'met' : 'NOT met'} (×${(2000 / Math.max(1, selectionMs)).toFixed(1)} margin). ` +
        `One-off default-mapping search: ${mappingMs.toFixed(0)} ms CPU (×${(mappingMs / Math.max(1, selectionMs)).toFixed(1)} the selection); ` +
        `wall time of both phases, mapping search included: ${wallMs.toFixed(0)} ms`,
    )
  }
}

const pct = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '—' : `${x.toFixed(digits)}%`)

const table = (exhaustive: boolean): void => {
  const runs: [string, string][] = [
    ['llama-2-7b', 'unstructured-50'],
    ['llama-2-7b', 'nm-2-4'],
    ['llama-2-7b', 'activation-50'],
    ['opt-6.7b', 'unstructured-50'],
    ['opt-6.7b', 'nm-2-4'],
    ['opt-6.7b', 'activation-90'],
  ]
  const rows: string[] = []
  const configs = runs.flatMap(([model, sparsity]) => (['prefill', 'decode'] as const).map((phase) => [model, sparsity, phase] as const))
  // `--reverse` walks the list backwards, so two processes can share the (slow) exhaustive table.
  if (args.includes('--reverse')) configs.reverse()
  for (const [model, sparsity, phase] of configs) {
    {
      const t0 = performance.now()
      const r: ModelFormatsResult = optimizeModelFormats({ model, sparsity, phase, exhaustive })
      const ms = performance.now() - t0
      const s = r.summary
      const vs = (['uncompressed', 'bitmap', 'csr', 'coo', 'rle'] as const).map((b) => pct(s.savingVsBaselinesPct[b])).join(' | ')
      rows.push(
        `| ${model} | ${sparsity} | ${phase} | ${vs} | ${s.bestFixedFormat ?? '—'} | ${pct(s.savingVsBestFixedPct, 3)} | ` +
          `${exhaustive ? `${pct(s.gapToExhaustivePct, 4)} | ${s.candidatesCosted} / ${s.exhaustiveCandidates} (${pct(s.costedShareOfExhaustivePct)})` : `— | ${s.candidatesCosted}`} |`,
      )
      console.error(`${model} ${sparsity} ${phase}: ${ms.toFixed(0)} ms ${JSON.stringify(s)}`)
    }
  }
  console.log(
    '| model | sparsity | phase | vs uncompressed | vs bitmap | vs CSR | vs COO | vs RLE | best fixed | vs best fixed | gap to exhaustive | costed / exhaustive |\n' +
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
  )
  console.log(rows.join('\n'))
}

/** Activations entering every block linear at `density` (a TEAL-like sweep point). */
const activations = (density: number): SparsityPreset =>
  defineSparsityPreset({
    id: `activations-${density}`,
    description: `block-linear inputs at density ${density}`,
    source: 'sweep point',
    rules: [{ roles: ['activation', 'ffn-activation'], phases: ['prefill', 'decode'], ops: ['linear'], distribution: 'hypergeometric', density }],
  })

/** Mixed-density settings, where no single fixed format suits every tensor: looking for ≥ 18.24%. */
const sweep = (): void => {
  const settings: (readonly (string | SparsityPreset)[])[] = [
    ['unstructured-50', 'activation-90'],
    ['nm-2-4', 'activation-90'],
    ['unstructured-90', 'activation-50'],
    ['unstructured-50', activations(0.1)],
    ['unstructured-50', activations(0.02)],
    ['unstructured-90', activations(0.02)],
  ]
  console.log('| model | sparsity | phase | best fixed | vs best fixed | vs uncompressed | engine formats (largest GEMM) |\n|---|---|---|---|---|---|---|')
  for (const model of ['opt-6.7b', 'llama-2-7b']) {
    for (const sparsity of settings) {
      for (const phase of ['prefill', 'decode'] as const) {
        const r = optimizeModelFormats({ model, sparsity, phase })
        const s = r.summary
        const big = [...r.layers].sort((a, b) => b.memoryEnergyPJ * b.count - a.memoryEnergyPJ * a.count)[0]
        console.log(
          `| ${model} | ${r.sparsity.join(' + ')} | ${phase} | ${s.bestFixedFormat ?? '—'} | ${pct(s.savingVsBestFixedPct, 3)} | ${pct(s.savingVsBaselinesPct.uncompressed)} | ` +
            `${big?.name}: ${big?.choices.map((c) => `${c.tensor}@${c.level} ${c.format}`).join('; ')} |`,
        )
      }
    }
  }
}

/**
 * Layer-wise mixed densities, the "per-tensor densities" lever at its most extreme: the attention
 * projections' weights at one density and the FFN weights at another (decode, where weights carry
 * most of the memory energy), so no single format suits both; plus long-context batched decode with
 * an H2O KV budget, where the KV cache's share of traffic grows with batch and context.
 */
const sweepLayerwise = (): void => {
  const hypergeometric = (density: number) => ({ distribution: 'hypergeometric', density, params: {} })
  console.log('| model | weights (attention projections / FFN) | phase | best fixed | vs best fixed | vs uncompressed |\n|---|---|---|---|--:|--:|')
  for (const model of ['llama-2-7b', 'opt-6.7b']) {
    const names = optimizeModelFormats({ model, sparsity: 'dense', phase: 'decode' }).layers.map((l) => l.name)
    for (const [attention, ffn] of [[0.95, 0.01], [0.95, 0.02], [0.9, 0.01], [0.9, 0.05], [0.5, 0.01], [0.01, 0.95]] as const) {
      const layerSparsity: LayerSparsity[] = names.map((name) => ({
        layer: name,
        densities: /^attn\.(q|k|v|o|out)_proj$/.test(name) ? { B: hypergeometric(attention) } : name.startsWith('ffn.') ? { B: hypergeometric(ffn) } : {},
      }))
      const s = optimizeModelFormats({ model, layerSparsity, phase: 'decode' }).summary
      console.log(`| ${model} | ${attention} / ${ffn} | decode | ${s.bestFixedFormat ?? '—'} | ${pct(s.savingVsBestFixedPct, 3)} | ${pct(s.savingVsBaselinesPct.uncompressed)} |`)
    }
  }
  console.log('\n| model | sparsity | phase, batch, KV length | best fixed | vs best fixed | vs uncompressed |\n|---|---|---|---|--:|--:|')
  for (const batch of [1, 16, 64]) {
    const r = optimizeModelFormats({ model: 'llama-2-7b', sparsity: ['unstructured-50', 'kv-20'], phase: 'decode', batch, kvLen: 4096 })
    const s = r.summary
    console.log(`| llama-2-7b | unstructured-50 + kv-20 | decode, ${batch}, 4096 | ${s.bestFixedFormat ?? '—'} | ${pct(s.savingVsBestFixedPct, 3)} | ${pct(s.savingVsBaselinesPct.uncompressed)} |`)
  }
}

if (args.includes('--table')) table(args.includes('--exhaustive'))
else if (args.includes('--sweep-layerwise')) sweepLayerwise()
else if (args.includes('--sweep')) sweep()
else speed()

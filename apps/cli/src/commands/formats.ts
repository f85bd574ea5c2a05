// Declaration of `snipsnap formats rank|space|presets|optimize`: options and help only. What they
// run lives in ../actions/formats.ts and is imported when one of them runs (see src/main.ts for the
// layout); help texts therefore name no registry content (`formats presets` lists the presets).
import type { Command } from 'commander'
import { collect, COST_MODEL_FLAG, COST_MODEL_HELP, PLUGIN_FLAG, PLUGIN_HELP } from './plugin-options'
import type { OptimizeOptions, PresetsOptions, RankOptions, SpaceOptions } from '../actions/formats'
import type { CliRun } from '../run-control'

const actions = () => import('../actions/formats')

/** Adds the `formats` command (`rank`, `space`, `presets`, `optimize`) to the program. */
export const registerFormatsCommand = (program: Command, io: CliRun): void => {
  const formats = program
    .command('formats')
    .description('Hierarchical compression formats: rank them on a real tensor, size the format space, list presets')

  formats
    .command('rank')
    .description('Encode a real tensor with each format, verify the round trip and rank the exact sizes')
    .requiredOption('--tensor <file>', 'tensor file: .npy, .mtx, .safetensors, .gguf or a llama2.c .bin')
    .option('--name <name>', 'tensor name or glob inside the file (e.g. "layers.0.w*")')
    .option('--pattern <text...>', 'compression patterns, e.g. "UOP(M)-CP(K)" "B(K:64)-CP(K:64)-U(M)"')
    .option('--preset <ids>', 'comma-separated preset ids, as listed by `snipsnap formats presets` (default: all that apply)')
    .option('--prune <spec>', 'prune first: magnitude:<sparsity> (e.g. magnitude:0.5) or N:M (e.g. 2:4)')
    .option('--value-bits <bits>', 'bits per stored value', '32')
    .option('--json', 'print one JSON object instead of tables')
    .action(async (options: RankOptions) => (await actions()).runFormatsRank(options, io))

  formats
    .command('space')
    .description('Count the format space (patterns × dimension allocations, equivalents removed)')
    .option('--shape <shape>', 'tensor shape, e.g. 4096x4096 (default: the LLaMA-2-7B weight shapes)')
    .option('--depth <n>', 'largest number of ranks', '3')
    .option('--order-rule <rule>', 'compressed-inner (Sparseloop) or any', 'compressed-inner')
    .option('--json', 'print one JSON object')
    .action(async (options: SpaceOptions) => (await actions()).runFormatsSpace(options, io))

  formats
    .command('presets')
    .description('List the named formats and their patterns for a shape')
    .option('--shape <shape>', 'tensor shape the patterns are written for', '4096x4096')
    .option('--json', 'print one JSON object')
    .action(async (options: PresetsOptions) => (await actions()).runFormatsPresets(options, io))

  formats
    .command('optimize')
    .description('Memory energy of a whole model: every fixed format (uncompressed, bitmap, CSR, COO, RLE) vs the adaptive engine, per layer')
    .requiredOption('--model <id>', 'zoo model, e.g. llama-2-7b, opt-6.7b, stories-260k')
    .option('--sparsity <presets>', 'comma-separated presets (unstructured-50, nm-2-4, activation-50, …) or weights=<density> / activations=<density>')
    .option('--phase <phase>', 'prefill or decode', 'prefill')
    .option('--arch <preset>', 'architecture preset', 'llm-default')
    .option('--seq-len <n>', 'prefill sequence length (default: the model\'s, at most 2048)')
    .option('--batch <n>', 'decode batch')
    .option('--kv-len <n>', 'decode KV length')
    .option('--lowering <how>', 'CNN convolutions: native (Timeloop conv problems) or im2col (GEMMs, for comparison)', 'native')
    .option('--tensor <file>', 'real weights (llama2.c .bin, …): measured masks replace --sparsity for the weights; --sparsity still sets the other operands')
    .option('--prune <spec>', 'with --tensor: prune first, magnitude:<sparsity> or N:M')
    .option('--exhaustive', 'also cost every candidate of the format space (slow)')
    .option('--json', 'print one JSON object')
    .option(PLUGIN_FLAG, PLUGIN_HELP, collect)
    .option(COST_MODEL_FLAG, COST_MODEL_HELP)
    .action(async (options: OptimizeOptions) => (await actions()).runFormatsOptimize(options, io))
}

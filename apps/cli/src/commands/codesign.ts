// Declaration of `snipsnap codesign`: options and help only. What it runs lives in
// ../actions/codesign.ts and is imported when the command runs (see src/main.ts for the layout).
import type { Command } from 'commander'
import { collect, COST_MODEL_FLAG, COST_MODEL_HELP, PLUGIN_FLAG, PLUGIN_HELP } from './plugin-options'
import type { CodesignCliOptions } from '../actions/codesign'
import type { CliRun } from '../run-control'

/** Adds the `codesign` command to the program. */
export const registerCodesignCommand = (program: Command, io: CliRun): void => {
  program
    .command('codesign')
    .description('search hardware (buffers, PE array, bandwidths, metadata, compression support) together with dataflow and formats')
    .requiredOption('--model <id>', 'zoo model, e.g. llama-2-7b')
    .option('--sparsity <preset>', 'sparsity preset(s), comma-separated', 'unstructured-50')
    .option('--phase <phase>', 'prefill or decode', 'prefill')
    .option('--arch <preset>', 'architecture preset the hardware points start from', 'llm-default')
    .option('--lowering <how>', 'CNN convolutions: native (Timeloop conv problems) or im2col (GEMMs, for comparison)', 'native')
    .option('--budget-s <s>', 'wall-clock budget shared by every hardware point, seconds', '300')
    .option('--max-points <n>', 'stop after this many evaluated hardware points (exact replay with --seed)')
    .option('--evaluations <n>', 'evaluations per dataflow search of each layer at each point', '16')
    .option('--objective <list>', 'objective of the per-layer searches: energy, cycles, edp or a list', 'edp')
    .option('--mode <mode>', 'joint, dataflow-then-formats or dataflow-only', 'joint')
    .option('--axes <file>', 'hardware axes as JSON or YAML (HardwareAxesInput); flags below override it')
    .option('--glb-kib <values>', 'global-buffer KiB: a,b,c or from:to:step or from:to:xfactor')
    .option('--pe-buffer-words <values>', 'PE-buffer words per PE')
    .option('--pe-array <shapes>', 'PE array shapes, e.g. 8x8,8x16,16x16')
    .option('--dram-bandwidth <values>', 'DRAM words per cycle')
    .option('--glb-bandwidth <values>', 'global-buffer words per cycle')
    .option('--pe-buffer-bandwidth <values>', 'PE-buffer words per cycle')
    .option('--glb-metadata-depth <values>', 'global-buffer metadata entries')
    .option('--pe-buffer-metadata-depth <values>', 'PE-buffer metadata entries')
    .option('--glb-compression <list>', 'none, decompress, compress, both')
    .option('--pe-buffer-compression <list>', 'none, decompress, compress, both')
    .option('--glb-block-words <values>', 'words per global-buffer access')
    .option('--word-bits <values>', 'data word width, bits (changes precision)')
    .option('--max-area-um2 <n>', 'reject points above this area before evaluating them')
    .option('--max-power-mw <n>', 'reject points above this peak-power bound before evaluating them')
    .option('--clock-ghz <n>', 'clock of the peak-power bound', '1')
    .option('--seed <n>', 'random seed', '1')
    .option('--out <dir>', 'write the result, Pareto plots and each point\'s Timeloop YAML here')
    .option('--json', 'print exactly one JSON object')
    .option(PLUGIN_FLAG, PLUGIN_HELP, collect)
    .option(COST_MODEL_FLAG, COST_MODEL_HELP)
    .option('--estimator <id>', 'energy/area estimator of each point\'s ERT/ART (built in: table; more with --plugin); default: the most accurate one supporting each primitive')
    .action(async (options: CodesignCliOptions) => {
      const { runCodesign } = await import('../actions/codesign')
      await runCodesign(options, io)
    })
}

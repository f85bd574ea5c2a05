// Declaration of `snipsnap explore`: options and help only. What it runs lives in
// ../actions/explore.ts and is imported when the command runs (see src/main.ts for the layout).
import type { Command } from 'commander'
import { collect, COST_MODEL_FLAG, COST_MODEL_HELP, PLUGIN_FLAG, PLUGIN_HELP } from './plugin-options'
import type { ExploreOptions } from '../actions/explore'
import type { CliRun } from '../run-control'

/** Adds the `explore` command to the program. */
export const registerExploreCommand = (program: Command, io: CliRun): void => {
  program
    .command('explore')
    .description('co-search dataflow and compression formats for every distinct layer of a model on an accelerator preset, against budget-matched baselines')
    .option('--model <id>', 'zoo model, e.g. llama-2-7b (required, here or in the --spec file, unless it lists gemms)')
    .option('--spec <file>', 'read the study from a spec file (YAML or JSON; `snipsnap init` writes a starter): a zoo model or a list of GEMMs, sparsity presets or densities per tensor, a preset or Timeloop architecture files, …; flags given override it')
    .option('--sparsity <preset>', 'sparsity preset(s), comma-separated, e.g. unstructured-50', 'unstructured-50')
    .option('--phase <list>', 'prefill, decode or both, comma-separated (default: every phase the model has)')
    .option('--arch <preset>', 'architecture preset (llm-default, stc-like, eyeriss-like)', 'llm-default')
    .option('--lowering <how>', 'CNN convolutions: native (Timeloop conv problems) or im2col (GEMMs, for comparison)', 'native')
    .option('--objective <list>', 'energy, cycles, edp or a lexicographic list', 'energy')
    .option('--evaluations <n>', 'evaluations per dataflow search of each layer (an explicit budget instead of the stopping rule)')
    .option('--patience <n>', 'stopping rule: end a dataflow search after n evaluations without improvement (default 256, cap 4096)')
    .option('--budget-s <seconds>', 'wall-clock budget of the whole run, shared fairly by the layers and their baselines')
    .option('--baselines <list>', 'budget-matched baselines: dataflow-only, formats-only, bitmap, csr, coo, rle, all or none', 'all')
    .option('--seed <n>', 'random seed (replays exactly)', '1')
    .option('--out <dir>', 'also write results.json, layers.csv and a self-contained report.html into <dir>')
    .option('--json', 'print exactly one JSON object')
    .option(PLUGIN_FLAG, PLUGIN_HELP, collect)
    .option(COST_MODEL_FLAG, COST_MODEL_HELP)
    .action(async (options: ExploreOptions, command: Command) => {
      const { runExplore } = await import('../actions/explore')
      const { resolveStudyOptions } = await import('../study/apply')
      await runExplore(resolveStudyOptions(options, command), io)
    })
}

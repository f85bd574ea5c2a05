// Declaration of `snipsnap explore`: options and help only. What it runs lives in
// ../actions/explore.ts and is imported when the command runs (see src/main.ts for the layout).
import type { Command } from 'commander'
import { collect, COST_MODEL_FLAG, COST_MODEL_HELP, PLUGIN_FLAG, PLUGIN_HELP } from './plugin-options'
import type { ExploreOptions } from '../actions/explore'
import type { CliIo } from '../io'

/** Adds the `explore` command to the program. */
export const registerExploreCommand = (program: Command, io: CliIo): void => {
  program
    .command('explore')
    .description('co-search dataflow and compression formats for every distinct layer of a model on an accelerator preset')
    .option('--model <id>', 'zoo model, e.g. llama-2-7b (required, here or in the --spec file)')
    .option('--spec <file>', 'read the study from a spec file (YAML or JSON; `snipsnap init` writes a starter); flags given override it')
    .option('--sparsity <preset>', 'sparsity preset(s), comma-separated, e.g. unstructured-50', 'unstructured-50')
    .option('--phase <phase>', 'prefill or decode', 'prefill')
    .option('--arch <preset>', 'architecture preset (llm-default, stc-like, eyeriss-like)', 'llm-default')
    .option('--lowering <how>', 'CNN convolutions: native (Timeloop conv problems) or im2col (GEMMs, for comparison)', 'native')
    .option('--objective <list>', 'energy, cycles, edp or a lexicographic list', 'energy')
    .option('--evaluations <n>', 'evaluations per dataflow search of each layer', '48')
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

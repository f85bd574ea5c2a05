// Declaration of `snipsnap search`: arguments, options and help only. What it runs lives in
// ../actions/search.ts and is imported when the command runs (see src/main.ts for the layout).
import type { Command } from 'commander'
import { collect, COST_MODEL_FLAG, COST_MODEL_HELP, PLUGIN_FLAG, PLUGIN_HELP } from './plugin-options'
import type { SearchOptions } from '../actions/search'
import type { CliRun } from '../run-control'

/** Adds the `search` command to the program. */
export const registerSearchCommand = (program: Command, io: CliRun): void => {
  program
    .command('search')
    .description('search the mapping space of a Timeloop/Sparseloop design (mapping ignored) with the Sparseloop model')
    .argument('<inputs...>', 'a case folder (all its *.yaml merged by top-level key) or YAML files')
    .option('--objective <list>', 'energy, cycles, edp, or a lexicographic list such as cycles,energy (default: the mapper settings, else energy)')
    .option('--budget-s <seconds>', 'wall-time budget in seconds, start-up of worker threads included', '10')
    .option('--seed <n>', 'random seed (replays exactly)', '1')
    .option('--threads <n>', 'evaluation threads, at most the machine\'s cores (the result does not depend on it)', '1')
    .option('--strategy <id>', 'auto, exhaustive, genetic, simulated-annealing or random', 'auto')
    .option('--json', 'print exactly one JSON object')
    .option('--strict', 'keys not used by the model are errors, not warnings')
    .option(PLUGIN_FLAG, PLUGIN_HELP, collect)
    .option(COST_MODEL_FLAG, COST_MODEL_HELP)
    .action(async (inputs: string[], options: SearchOptions) => {
      const { runSearch } = await import('../actions/search')
      await runSearch(inputs, options, io)
    })
}

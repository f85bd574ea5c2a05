// Declaration of `snipsnap evaluate`: arguments, options and help only. What it runs lives in
// ../actions/evaluate.ts and is imported when the command runs, so other commands never load the
// cost model or the Timeloop reader (see src/main.ts for the layout).
import type { Command } from 'commander'
import { collect, COST_MODEL_FLAG, COST_MODEL_HELP, PLUGIN_FLAG, PLUGIN_HELP } from './plugin-options'
import type { EvaluateOptions } from '../actions/evaluate'
import type { CliRun } from '../run-control'

/** Adds the `evaluate` command to the program. */
export const registerEvaluateCommand = (program: Command, io: CliRun): void => {
  program
    .command('evaluate')
    .description('evaluate a Timeloop/Sparseloop design (case folder or YAML files) with the Sparseloop model')
    .argument('<inputs...>', 'a case folder (all its *.yaml merged by top-level key, one definition per key) or YAML files')
    .option('--json', 'print exactly one JSON object')
    .option('--mapping <file>', 'the file whose `mapping:` to evaluate, when several files define one (e.g. a mapper folder)')
    .option('--mappings <file>', 'evaluate every line\'s `mapping` of a JSONL file; prints one JSON result per line')
    .option('--threads <n>', 'threads evaluating --mappings rows, at most the cores (default 1; the output does not depend on it)')
    .option('--strict', 'keys not used by the model are errors, not warnings')
    .option(PLUGIN_FLAG, PLUGIN_HELP, collect)
    .option(COST_MODEL_FLAG, COST_MODEL_HELP)
    .action(async (inputs: string[], options: EvaluateOptions) => {
      const { runEvaluate } = await import('../actions/evaluate')
      await runEvaluate(inputs, options, io)
    })
}

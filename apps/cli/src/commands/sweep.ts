// Declaration of `snipsnap sweep`: options and help only. What it runs lives in ../actions/sweep.ts
// and is imported when the command runs (see src/main.ts for the layout).
import type { Command } from 'commander'
import type { SweepCliOptions } from '../actions/sweep'
import type { CliRun } from '../run-control'

/** Adds the `sweep` command to the program. */
export const registerSweepCommand = (program: Command, io: CliRun): void => {
  program
    .command('sweep')
    .description('run every job of a sweep spec (models × phases × sparsity × hardware × format spaces × budgets × seeds); a rerun computes only what is missing')
    .argument('<spec>', 'sweep spec, YAML or JSON (version: 1, axes: …)')
    .requiredOption('--out <dir>', 'directory of the results: <key>.json per job, summary.json, summary.csv, report.html')
    .option('--threads <n>', 'worker threads of the local pool (default: one per core)')
    .option('--queue <url>', 'put the jobs on a BullMQ queue in Redis (redis://host:port) for `snipsnap worker` processes, and store their results')
    .option('--json', 'print exactly one JSON object (the summary)')
    .action(async (spec: string, options: SweepCliOptions) => {
      const { runSweep } = await import('../actions/sweep')
      await runSweep(spec, options, io)
    })
}

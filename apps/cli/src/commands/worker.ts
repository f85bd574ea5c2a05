// Declaration of `snipsnap worker`: options and help only. What it runs lives in
// ../actions/worker.ts and is imported when the command runs (see src/main.ts for the layout).
import type { Command } from 'commander'
import type { WorkerCliOptions } from '../actions/worker'
import type { CliRun } from '../run-control'

/** Adds the `worker` command to the program. */
export const registerWorkerCommand = (program: Command, io: CliRun): void => {
  program
    .command('worker')
    .description('pull sweep jobs from a BullMQ queue in Redis (put there by `snipsnap sweep --queue`) until Ctrl-C')
    .requiredOption('--queue <url>', 'the Redis of the queue, redis://host:port')
    .option('--threads <n>', 'jobs run at once on worker threads (default: one per core)')
    .option('--lock-ms <ms>', 'job lock duration: a dead worker\'s job goes to another worker after about this long', '30000')
    .action(async (options: WorkerCliOptions) => {
      const { runWorker } = await import('../actions/worker')
      await runWorker(options, io)
    })
}

// The snipsnap command line: declares the commands, parses argv and leaves run control (Ctrl-C,
// output failures, --debug, exit codes) to run-control.ts: errors become one line on stderr and
// exit code 1. No domain logic lives here (house style §4).
//
// Layout, so that each command loads only what it runs (issue 12):
// - src/commands/<command>.ts declares a command (arguments, options, help) and imports nothing
//   but types; its action does `await import('../actions/<command>')`.
// - src/actions/<command>.ts is what the command runs: file reading, library calls, printing.
//   Only these modules import @snipsnap/* stages (beyond core's error type used here).
// - tsup code-splits on those dynamic imports (apps/cli/tsup.config.ts), so `snipsnap evaluate`
//   never loads the search, the explorer or the workload readers; src/module-graph.test.ts
//   checks that on the built CLI.
import { Command, CommanderError } from 'commander'
import { version } from '../package.json'
import { registerCodesignCommand } from './commands/codesign'
import { registerEvaluateCommand } from './commands/evaluate'
import { registerExploreCommand } from './commands/explore'
import { registerFormatsCommand } from './commands/formats'
import { registerInitCommand } from './commands/init'
import { registerSearchCommand } from './commands/search'
import { registerSweepCommand } from './commands/sweep'
import { registerWorkerCommand } from './commands/worker'
import type { CliIo } from './io'
import { startRun } from './run-control'

export type { CliIo, CliStream, InterruptSource } from './io'
export { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from './run-control'

/** Runs the CLI with `args` (without `node` and the script path); resolves to the exit code. */
export const main = async (args: readonly string[], io: CliIo): Promise<number> => {
  // Known before commander parses, so even a usage error is reported in the right mode.
  const run = startRun(io, { debug: args.includes('--debug') })
  const program = new Command('snipsnap')
    .description('Co-design compression formats and dataflows for sparse LLM accelerators.')
    .version(version, '-V, --version', 'print the version')
    .option('--debug', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => run.stdout.write(text),
      writeErr: (text) => run.stderr.write(text),
    })
  registerFormatsCommand(program, run)
  registerEvaluateCommand(program, run)
  registerSearchCommand(program, run)
  registerExploreCommand(program, run)
  registerCodesignCommand(program, run)
  registerSweepCommand(program, run)
  registerWorkerCommand(program, run)
  registerInitCommand(program, run)
  // Sub-commands are also parsed with exitOverride so usage errors come back here.
  for (const command of program.commands) command.exitOverride()
  try {
    await program.parseAsync([...args], { from: 'user' })
    return await run.finish()
  } catch (error) {
    if (error instanceof CommanderError) {
      const code = await run.finish()
      return error.exitCode === 0 ? code : Math.max(code, 1)
    }
    return run.finish({ error })
  }
}

// The snipsnap command line: declares the commands, parses argv, turns errors into one line on
// stderr and exit code 1. No domain logic lives here (house style §4).
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
import { toSnipSnapError } from '@snipsnap/core'
import { version } from '../package.json'
import { registerCodesignCommand } from './commands/codesign'
import { registerEvaluateCommand } from './commands/evaluate'
import { registerExploreCommand } from './commands/explore'
import { registerFormatsCommand } from './commands/formats'
import { registerSearchCommand } from './commands/search'
import type { CliIo } from './io'

export type { CliIo } from './io'

/** Runs the CLI with `args` (without `node` and the script path); resolves to the exit code. */
export const main = async (args: readonly string[], io: CliIo): Promise<number> => {
  const program = new Command('snipsnap')
    .description('Co-design compression formats and dataflows for sparse LLM accelerators.')
    .version(version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
  registerFormatsCommand(program, io)
  registerEvaluateCommand(program, io)
  registerSearchCommand(program, io)
  registerExploreCommand(program, io)
  registerCodesignCommand(program, io)
  // Sub-commands are also parsed with exitOverride so usage errors come back here.
  for (const command of program.commands) command.exitOverride()
  try {
    await program.parseAsync([...args], { from: 'user' })
    return process.exitCode === undefined ? 0 : Number(process.exitCode)
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 1
    }
    io.stderr.write(`snipsnap: ${toSnipSnapError(error).toLine()}\n`)
    return 1
  }
}

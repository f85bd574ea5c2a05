// The snipsnap command line: parses argv, loads files, calls the library stages, prints results.
// No domain logic lives here (house style §4); errors become one line on stderr and exit code 1.
import { Command, CommanderError } from 'commander'
import { toSnipSnapError } from '@snipsnap/core'
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
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
  registerFormatsCommand(program, io)
  registerEvaluateCommand(program, io)
  registerSearchCommand(program, io)
  registerExploreCommand(program, io)
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

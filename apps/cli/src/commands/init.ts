// Declaration of `snipsnap init`: write a commented starter study spec (see ../actions/init.ts).
import type { Command } from 'commander'
import type { InitOptions } from '../actions/init'
import type { CliRun } from '../run-control'

/** Adds the `init` command to the program. */
export const registerInitCommand = (program: Command, io: CliRun): void => {
  program
    .command('init')
    .description('write a commented starter study spec for `snipsnap explore --spec`')
    .argument('[file]', 'where to write it', 'study.yaml')
    .option('--force', 'replace the file if it exists')
    .action(async (file: string, options: InitOptions) => {
      const { runInit } = await import('../actions/init')
      runInit(file, options, io)
    })
}

// `snipsnap formats …` (work in progress): argv → library calls → report. No domain logic here.
import type { Command } from 'commander'
import type { CliIo } from '../io'

/** Adds the `formats` command to the program. */
export const registerFormatsCommand = (program: Command, io: CliIo): void => {
  void program
  void io
}

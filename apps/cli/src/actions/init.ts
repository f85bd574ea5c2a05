// What `snipsnap init [file]` runs: writes the starter study spec, never over an existing file
// unless --force. The modeline points editors at the JSON Schema shipped in @snipsnap/cli.
import { existsSync, writeFileSync } from 'node:fs'
import { SnipSnapError } from '@snipsnap/core'
import type { CliIo } from '../io'
import { starterStudy } from '../study/starter'

/** Options of `snipsnap init`. */
export interface InitOptions {
  readonly force?: boolean
}

/** Where editors find the schema once @snipsnap/cli is installed in the project. */
export const SCHEMA_MODELINE_PATH = './node_modules/@snipsnap/cli/study.schema.json'

/** Runs `snipsnap init`. */
export const runInit = (file: string, options: InitOptions, io: CliIo): void => {
  if (existsSync(file) && options.force !== true) throw new SnipSnapError('INVALID_SPEC', `${file} exists; give --force to replace it`, { path: [file] })
  try {
    writeFileSync(file, starterStudy(SCHEMA_MODELINE_PATH))
  } catch (cause) {
    throw new SnipSnapError('IO_ERROR', `cannot write ${file}: ${(cause as Error).message}`, { path: [file], cause })
  }
  io.stdout.write(`wrote ${file}; run it with: snipsnap explore --spec ${file}\n`)
}

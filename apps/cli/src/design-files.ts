// Reading Timeloop-style design files for the CLI commands (`evaluate`, `search`): a folder means
// all its `*.yaml` files in name order, files are taken as given; the library merges them by key.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SnipSnapError } from '@snipsnap/core'

/** Reads a text file; an unreadable file is an INVALID_SPEC error naming it. */
export const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw new SnipSnapError('INVALID_SPEC', `cannot read ${file}`, { path: [file], cause })
  }
}

/** Expands folders to their sorted `*.yaml` files and reads every file. */
export const collectDesignSources = (inputs: readonly string[]): { fileName: string; text: string }[] => {
  const files: string[] = []
  for (const input of inputs) {
    let isDir = false
    try {
      isDir = statSync(input).isDirectory()
    } catch (cause) {
      throw new SnipSnapError('INVALID_SPEC', `no such file or folder: ${input}`, { path: [input], cause })
    }
    if (isDir) {
      const yamls = readdirSync(input)
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
      if (yamls.length === 0) throw new SnipSnapError('INVALID_SPEC', `folder ${input} holds no .yaml files`, { path: [input] })
      for (const f of yamls) files.push(join(input, f))
    } else {
      files.push(input)
    }
  }
  return files.map((file) => ({ fileName: file, text: readText(file) }))
}

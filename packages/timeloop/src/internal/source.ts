// YAML text → plain data, and the gathering of several files' top-level keys (Timeloop reads any
// number of YAML files, later ones silently replacing earlier ones key by key; SnipSnap instead
// refuses two definitions of a key it uses, see parse.ts). Each key remembers its file so errors
// name that file.
import { SnipSnapError } from '@snipsnap/core'
import { assertYamlDepth, readYamlValue, yamlError } from '@snipsnap/core/yaml'
import { parseYamlFast } from './fast-yaml'
import { foldKey, isRecord, show } from './read'

/** One input file: its name (for messages) and its YAML text. */
export interface TimeloopSource {
  readonly fileName: string
  readonly text: string
}

/** A top-level value, the key as written and the file it came from. */
export interface Sourced {
  readonly file: string
  readonly key: string
  readonly value: unknown
}

const parseError = (fileName: string, detail: string): SnipSnapError => yamlError(fileName, detail)

// Timeloop files are small, but a hostile input can expand aliases exponentially.
const MAX_ALIAS_COUNT = 1000

/**
 * Parses one YAML document into plain data.
 * @throws {SnipSnapError} PARSE_ERROR with line and column when the YAML is malformed, uses a
 *   tag SnipSnap does not know, gives a key twice, nests deeper than MAX_YAML_DEPTH (256)
 *   levels or expands too many aliases (the strict reader of `@snipsnap/core/yaml`).
 */
export const parseYamlText = (fileName: string, text: string): unknown => {
  if (typeof text !== 'string') throw parseError(fileName, `expected YAML text, got ${show(text)}`)
  // The fast reader recurses too: the depth check runs before it.
  assertYamlDepth(text, fileName)
  // Usual Timeloop files are in the subset the fast reader covers; anything else goes to `yaml`.
  const fast = parseYamlFast(text)
  if (fast !== undefined) return fast
  return readYamlValue(text, fileName, { maxAliasCount: MAX_ALIAS_COUNT })
}

/**
 * Parses every source and gathers the top-level keys with every file that defines each, in
 * file order; the caller decides what two definitions of one key mean.
 * @throws {SnipSnapError} PARSE_ERROR for malformed YAML or a document that is not a mapping.
 */
export const mergeSources = (sources: readonly TimeloopSource[]): Map<string, Sourced[]> => {
  // Keys are folded (`sparse-optimizations` ≡ `sparse_optimizations`) so spellings meet too.
  const merged = new Map<string, Sourced[]>()
  if (!Array.isArray(sources)) {
    throw new SnipSnapError('INVALID_SPEC', 'expected a list of { fileName, text } sources')
  }
  for (const [index, source] of sources.entries()) {
    if (!isRecord(source) || typeof source.fileName !== 'string') {
      throw new SnipSnapError('INVALID_SPEC', `sources[${index}]: expected { fileName, text }`, {
        path: ['sources', index],
      })
    }
    const data = parseYamlText(source.fileName, source.text as string)
    // An empty file is legal YAML (null); it contributes nothing.
    if (data === null || data === undefined) continue
    if (!isRecord(data)) {
      throw parseError(source.fileName, `the document must be a mapping of top-level keys, got ${show(data)}`)
    }
    for (const [key, value] of Object.entries(data)) {
      const folded = foldKey(key)
      const entry = { file: source.fileName, key, value }
      const list = merged.get(folded)
      if (list === undefined) merged.set(folded, [entry])
      else list.push(entry)
    }
  }
  return merged
}

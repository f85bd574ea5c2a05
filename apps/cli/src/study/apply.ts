// A study spec as `snipsnap explore` options: each setting becomes the value its flag would give
// (`search.evaluations: 96` ≡ `--evaluations 96`), and a flag given on the command line wins over
// the spec. Runs when the command does (imported lazily), so other commands never load zod here.
import { SnipSnapError } from '@snipsnap/core'
import { readText } from '../design-files'
import { parseStudy } from './load'
import type { Study } from './schema'

/** The option values (as commander would parse them from flags) a study gives, by option key. */
export const studyOptionValues = (study: Study): Record<string, { readonly value: string; readonly key: string }> => {
  const values: Record<string, { value: string; key: string }> = {}
  const set = (option: string, key: string, value: string | number | readonly (string | number)[] | undefined): void => {
    if (value === undefined) return
    values[option] = { value: Array.isArray(value) ? value.join(',') : String(value), key }
  }
  set('model', 'model', study.model)
  set('phase', 'phases', study.phases)
  set('sparsity', 'sparsity', study.sparsity)
  set('arch', 'arch', study.arch)
  set('objective', 'objective', study.objective)
  set('evaluations', 'search.evaluations', study.search?.evaluations)
  set('patience', 'search.patience', study.search?.patience)
  set('budgetS', 'search.budgetS', study.search?.budgetS)
  set('seed', 'search.seed', study.search?.seed)
  set('baselines', 'search.baselines', study.search?.baselines)
  set('out', 'out', study.out)
  return values
}

/** What of commander's Command the merge needs. */
export interface OptionSources {
  /** `cli` when the flag was given; `default`, `env` or undefined otherwise. */
  getOptionValueSource(key: string): string | undefined
  readonly options: readonly { attributeName(): string }[]
}

/**
 * `options` with the study of `options.spec` filled in wherever no flag was given.
 * @throws {SnipSnapError} for an unreadable or invalid spec (file, line and key named), or a setting
 *   this version of the command has no option for.
 */
export const withStudy = <O extends { readonly spec?: string }>(options: O, command: OptionSources): O => {
  if (options.spec === undefined) return options
  const study = parseStudy(options.spec, readText(options.spec))
  const known = new Set(command.options.map((o) => o.attributeName()))
  const merged: Record<string, unknown> = { ...options }
  for (const [option, { value, key }] of Object.entries(studyOptionValues(study))) {
    if (!known.has(option)) throw new SnipSnapError('INVALID_SPEC', `${options.spec}: ${key} is not supported by this version of snipsnap explore`, { path: [key] })
    if (command.getOptionValueSource(option) !== 'cli') merged[option] = value
  }
  return merged as O
}

/**
 * `snipsnap explore`'s options with its --spec applied; the model is required from one or the other.
 * @throws {SnipSnapError} as {@link withStudy}, or INVALID_SPEC when no model is given.
 */
export const resolveStudyOptions = <O extends { readonly spec?: string; readonly model?: string }>(options: O, command: OptionSources): O & { readonly model: string } => {
  const resolved = withStudy(options, command)
  if (resolved.model === undefined) throw new SnipSnapError('INVALID_SPEC', 'a model is required: --model <id>, or `model:` in the --spec file', { path: ['--model'] })
  return resolved as O & { readonly model: string }
}

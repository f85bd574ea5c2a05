// A study spec as `snipsnap explore` options: each setting becomes the value its flag would give
// (`search.evaluations: 96` ≡ `--evaluations 96`), and a flag given on the command line wins over
// the spec; settings without a flag (hardware, formats, seqLen, batch) travel as `options.study`. Runs when the command does (imported lazily), so other commands never load zod here.
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
  set('lowering', 'lowering', study.lowering)
  set('evaluations', 'search.evaluations', study.search?.evaluations)
  set('patience', 'search.patience', study.search?.patience)
  set('budgetS', 'search.budgetS', study.search?.budgetS)
  set('seed', 'search.seed', study.search?.seed)
  set('baselines', 'search.baselines', study.search?.baselines)
  set('out', 'out', study.out)
  return values
}

/** Settings of a study that have no flag, passed to the exploration as they are. */
export interface StudyExtras {
  readonly hardware?: Readonly<Record<string, number | string>>
  readonly formatSpace?: { readonly primitives?: readonly string[]; readonly flatten?: boolean }
  readonly seqLen?: number
  readonly batch?: number
}

/** The settings of `study` without a flag (hardware point, format space, sequence length, batch). */
const defined = <V>(object: Readonly<Record<string, V | undefined>>): Record<string, V> => Object.fromEntries(Object.entries(object).filter((e): e is [string, V] => e[1] !== undefined))

export const studyExtras = (study: Study): StudyExtras => ({
  ...(study.hardware !== undefined ? { hardware: defined<number | string>(study.hardware) } : {}),
  ...(study.formats !== undefined
    ? { formatSpace: { ...(study.formats.primitives !== undefined ? { primitives: study.formats.primitives } : {}), ...(study.formats.flatten !== undefined ? { flatten: study.formats.flatten } : {}) } }
    : {}),
  ...(study.seqLen !== undefined ? { seqLen: study.seqLen } : {}),
  ...(study.batch !== undefined ? { batch: study.batch } : {}),
})

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
export const withStudy = <O extends { readonly spec?: string; readonly study?: StudyExtras }>(options: O, command: OptionSources): O => {
  if (options.spec === undefined) return options
  const study = parseStudy(options.spec, readText(options.spec))
  const known = new Set(command.options.map((o) => o.attributeName()))
  const merged: Record<string, unknown> = { ...options }
  for (const [option, { value, key }] of Object.entries(studyOptionValues(study))) {
    if (!known.has(option)) throw new SnipSnapError('INVALID_SPEC', `${options.spec}: ${key} is not supported by this version of snipsnap explore`, { path: [key] })
    if (command.getOptionValueSource(option) !== 'cli') merged[option] = value
  }
  const extras = studyExtras(study)
  if (Object.keys(extras).length > 0) merged['study'] = extras
  return merged as O
}

/**
 * `snipsnap explore`'s options with its --spec applied; the model is required from one or the other.
 * @throws {SnipSnapError} as {@link withStudy}, or INVALID_SPEC when no model is given.
 */
export const resolveStudyOptions = <O extends { readonly spec?: string; readonly model?: string; readonly study?: StudyExtras }>(options: O, command: OptionSources): O & { readonly model: string } => {
  const resolved = withStudy(options, command)
  if (resolved.model === undefined) throw new SnipSnapError('INVALID_SPEC', 'a model is required: --model <id>, or `model:` in the --spec file', { path: ['--model'] })
  return resolved as O & { readonly model: string }
}

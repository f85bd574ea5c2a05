// A study spec as `snipsnap explore` options: each setting becomes the value its flag would give
// (`search.evaluations: 96` ≡ `--evaluations 96`), and a flag given on the command line wins over
// the spec; settings without a flag (hardware, formats, seqLen, batch, a GEMM list, densities per
// tensor, Timeloop architecture files) travel as `options.study`. Runs when the command does
// (imported lazily), so other commands never load zod here.
import { basename, dirname, isAbsolute, join } from 'node:path'
import { formatPath, resolveDensityModelId, SnipSnapError, type ArchSpec, type AreaTableSpec, type EnergyTableSpec } from '@snipsnap/core'
import type { GivenLayer, InferencePhase } from '@snipsnap/explorer'
import { parseTimeloopSections, type TimeloopSource } from '@snipsnap/timeloop'
import { defineSparsityPreset, linearGemm, type GemmTensorName, type SparsityPreset, type TensorRole } from '@snipsnap/workloads'
import { collectDesignSources, readText } from '../design-files'
import { readStudy, type Study, type StudySource, type TensorDensities } from '@snipsnap/explorer/study'

/** `arch: { timeloop: … }` as a list of files. */
const timeloopFiles = (arch: Study['arch']): readonly string[] | null => (arch === undefined || typeof arch === 'string' ? null : typeof arch.timeloop === 'string' ? [arch.timeloop] : arch.timeloop)

/** The sparsity entries as a list (a single one is a list of one). */
const sparsityEntries = (study: Study): { entry: string | TensorDensities; path: (string | number)[] }[] => {
  const { sparsity } = study
  if (sparsity === undefined) return []
  return Array.isArray(sparsity) ? sparsity.map((entry, i) => ({ entry, path: ['sparsity', i] })) : [{ entry: sparsity, path: ['sparsity'] }]
}

/** The option values (as commander would parse them from flags) a study gives, by option key. */
export const studyOptionValues = (study: Study, fileName = 'study'): Record<string, { readonly value: string; readonly key: string }> => {
  const values: Record<string, { value: string; key: string }> = {}
  const set = (option: string, key: string, value: string | number | readonly (string | number)[] | undefined): void => {
    if (value === undefined) return
    values[option] = { value: Array.isArray(value) ? value.join(',') : String(value), key }
  }
  // A GEMM list and Timeloop files travel as options.study; the options name them.
  set('model', study.gemms !== undefined ? 'gemms' : 'model', study.model ?? (study.gemms !== undefined ? `GEMMs of ${basename(fileName)}` : undefined))
  set('phase', 'phases', study.phases)
  const entries = sparsityEntries(study)
  if (entries.length > 0 && entries.every((e) => typeof e.entry === 'string')) set('sparsity', 'sparsity', entries.map((e) => e.entry as string))
  const files = timeloopFiles(study.arch)
  set('arch', 'arch', files === null ? (study.arch as string | undefined) : files.map((f) => basename(f)).join(' + '))
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
  /** `gemms`: the GEMMs of each phase instead of a zoo model (dropped when --model is given). */
  readonly layers?: Readonly<Partial<Record<InferencePhase, readonly GivenLayer[]>>>
  /** `sparsity` with densities per tensor: preset ids and presets (dropped when --sparsity is given). */
  readonly sparsity?: readonly (string | SparsityPreset)[]
  /** `arch: { timeloop }`: the architecture and the tables the files hold (dropped when --arch is given). */
  readonly archSpec?: { readonly arch: ArchSpec; readonly energyTable: EnergyTableSpec | null; readonly areaTable: AreaTableSpec | null }
  /** Density model ids the spec names, with where: the run checks them against its registry (plug-ins included). */
  readonly densityModels?: readonly { readonly id: string; readonly where: string }[]
  /** What reading the Timeloop files found worth saying (keys not used by the model). */
  readonly warnings?: readonly string[]
  /**
   * Where the settings the spec gave are, for errors the run finds in them (an unknown model or
   * preset id, a hardware point the architecture rejects): the head of an error's path (as the
   * explorer or the action names it) → the setting's path in the spec, and the spec's locator.
   */
  readonly located?: { readonly paths: Readonly<Record<string, readonly (string | number)[]>>; readonly at: (path: readonly (string | number)[]) => string }
}

/**
 * `error` with the place of the spec setting it is about (`study.yaml:2: model: unknown model …`),
 * when its path starts with a setting the spec gave; otherwise `error` itself.
 */
export const locateStudyError = (error: unknown, located: StudyExtras['located']): unknown => {
  if (!(error instanceof SnipSnapError) || located === undefined) return error
  const [head, ...rest] = error.path
  const to = typeof head === 'string' ? located.paths[head] : undefined
  if (to === undefined) return error
  return new SnipSnapError(error.code, `${located.at([...to, ...rest])}: ${error.message}`, { path: [], issues: error.issues, cause: error })
}

/** Error path heads (the explorer's option names, the action's flags) → the spec's settings. */
const ERROR_PATHS: readonly (readonly [head: string, option: string | null, setting: readonly string[]])[] = [
  ['model', 'model', ['model']],
  ['sparsity', 'sparsity', ['sparsity']],
  ['preset', 'arch', ['arch']],
  ['--arch', 'arch', ['arch']],
  ['hardware', null, ['hardware']],
  ['formatSpace', null, ['formats']],
  ['seqLen', null, ['seqLen']],
  ['batch', null, ['batch']],
  ['objective', 'objective', ['objective']],
  ['--baselines', 'baselines', ['search', 'baselines']],
]

/** The settings of `study` without a flag (hardware point, format space, sequence length, batch, GEMMs, densities per tensor). */
const defined = <V>(object: Readonly<Record<string, V | undefined>>): Record<string, V> => Object.fromEntries(Object.entries(object).filter((e): e is [string, V] => e[1] !== undefined))

const PHASE_ORDER: readonly InferencePhase[] = ['prefill', 'decode']

type Locate = (path: readonly (string | number)[]) => string

/**
 * The GEMM list by phase (each a `@snipsnap/workloads` linear layer), a GEMM's own densities on the
 * operands its roles name.
 * @throws {SnipSnapError} INVALID_SPEC at the GEMM's setting for parameters a density model needs.
 */
const gemmLayers = (gemms: NonNullable<Study['gemms']>, source: string, at: Locate): Partial<Record<InferencePhase, GivenLayer[]>> => {
  const layers: Partial<Record<InferencePhase, GivenLayer[]>> = {}
  const given = gemms.map((g, i): { phase: InferencePhase; layer: GivenLayer } => {
    const layer = linearGemm(g, source)
    if (g.sparsity === undefined) return { phase: g.phase ?? 'prefill', layer }
    const rules = perTensorPreset(g.sparsity, source, (role) => at(['gemms', i, 'sparsity', role])).rules
    const operands = Object.entries(layer.tensors) as [GemmTensorName, TensorRole][]
    const densities = Object.fromEntries(
      rules.flatMap((rule) => operands.filter(([, role]) => rule.roles.includes(role)).map(([t]) => [t, { distribution: rule.distribution, density: rule.density as number, params: rule.params ?? {} }])),
    )
    return { phase: g.phase ?? 'prefill', layer: { ...layer, densities } }
  })
  for (const phase of PHASE_ORDER) {
    const list = given.filter((g) => g.phase === phase).map((g) => g.layer)
    if (list.length > 0) layers[phase] = list
  }
  return layers
}

/**
 * Densities per tensor as a sparsity preset whose rules select tensors by role (so they apply to a
 * zoo model's tensors as to a GEMM list's), each density model id in its canonical spelling.
 * @throws {SnipSnapError} INVALID_SPEC at the entry's place (`at`) for parameters the rule rejects.
 */
const perTensorPreset = (entry: TensorDensities | NonNullable<NonNullable<Study['gemms']>[number]['sparsity']>, name: string, where: (role: string) => string): SparsityPreset => {
  type Density = { density: number; distribution?: string | undefined; params?: Record<string, unknown> | undefined; phases?: InferencePhase[] | undefined }
  const roles = (Object.entries(entry) as [TensorRole, Density | undefined][]).filter((e): e is [TensorRole, Density] => e[1] !== undefined)
  const preset: SparsityPreset = {
    id: 'study-densities',
    description: `densities per tensor of ${name}`,
    source: name,
    rules: roles.map(([role, d]) => ({ roles: [role], phases: d.phases ?? PHASE_ORDER, distribution: resolveDensityModelId(d.distribution ?? 'hypergeometric'), density: d.density, ...(d.params !== undefined ? { params: d.params } : {}) })),
  }
  try {
    return defineSparsityPreset(preset)
  } catch (error) {
    if (!(error instanceof SnipSnapError)) throw error
    // The rule's path is preset.rules[i].…: name the role's setting instead.
    const issue = error.issues[0]
    const index = issue?.path[2]
    const role = typeof index === 'number' ? roles[index]?.[0] : undefined
    if (issue === undefined || role === undefined) throw error
    const rest = issue.path.slice(3)
    throw new SnipSnapError('INVALID_SPEC', `${where(role)}${rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}: ${issue.message}`, { path: [], issues: error.issues, cause: error })
  }
}

/** Sparsity entries as preset ids and presets, when any entry gives densities per tensor; else null (the --sparsity value covers it). */
const studySparsity = (source: StudySource, name: string): { sparsity: (string | SparsityPreset)[]; densityModels: { id: string; where: string }[] } | null => {
  const entries = sparsityEntries(source.study)
  if (entries.every((e) => typeof e.entry === 'string')) return null
  const densityModels: { id: string; where: string }[] = []
  const sparsity = entries.map(({ entry, path }) => {
    if (typeof entry === 'string') return entry
    for (const [role, d] of Object.entries(entry)) {
      if (d !== undefined) densityModels.push({ id: d.distribution ?? 'hypergeometric', where: source.at(d.distribution === undefined ? [...path, role] : [...path, role, 'distribution']) })
    }
    return perTensorPreset(entry, name, (role) => source.at([...path, role]))
  })
  return { sparsity, densityModels }
}

/** The density model ids the GEMMs' own densities name, with where. */
const gemmDensityModels = (source: StudySource): { id: string; where: string }[] =>
  (source.study.gemms ?? []).flatMap((g, i) =>
    Object.entries(g.sparsity ?? {}).flatMap(([role, d]) => (d === undefined ? [] : [{ id: d.distribution ?? 'hypergeometric', where: source.at(d.distribution === undefined ? ['gemms', i, 'sparsity', role] : ['gemms', i, 'sparsity', role, 'distribution']) }])),
  )

export const studyExtras = (study: Study, fileName = 'study', at: Locate = (path) => `${fileName}: ${formatPath(path)}`): StudyExtras => ({
  ...(study.hardware !== undefined ? { hardware: defined<number | string>(study.hardware) } : {}),
  ...(study.formats !== undefined
    ? { formatSpace: { ...(study.formats.primitives !== undefined ? { primitives: study.formats.primitives } : {}), ...(study.formats.flatten !== undefined ? { flatten: study.formats.flatten } : {}) } }
    : {}),
  ...(study.seqLen !== undefined ? { seqLen: study.seqLen } : {}),
  ...(study.batch !== undefined ? { batch: study.batch } : {}),
  ...(study.gemms !== undefined ? { layers: gemmLayers(study.gemms, fileName, at) } : {}),
})

/** Sections of Timeloop files a study does not read: the workload, mapping and sparse optimisations come from the study and the search. */
const NOT_READ = ['problem', 'mapping', 'sparse_optimizations', 'architecture_constraints', 'mapspace_constraints', 'mapspace', 'mapper']

/**
 * The architecture (and ERT, ART when given) of `arch: { timeloop }`, files relative to the spec.
 * @throws {SnipSnapError} naming the spec's line and key, then the Timeloop file and YAML path.
 */
const readTimeloopArch = (source: StudySource, specFile: string, files: readonly string[], listed: boolean): { archSpec: NonNullable<StudyExtras['archSpec']>; warnings: string[] } => {
  const whereOf = (i: number): string => source.at(listed ? ['arch', 'timeloop', i] : ['arch', 'timeloop'])
  const sources: TimeloopSource[] = files.flatMap((file, i) => {
    try {
      return collectDesignSources([isAbsolute(file) ? file : join(dirname(specFile), file)])
    } catch (error) {
      if (error instanceof SnipSnapError) throw new SnipSnapError(error.code, `${whereOf(i)}: ${error.message}`, { path: [], issues: error.issues, cause: error })
      throw error
    }
  })
  const where = source.at(['arch', 'timeloop'])
  let sections
  try {
    sections = parseTimeloopSections(sources, { ignore: NOT_READ })
  } catch (error) {
    if (error instanceof SnipSnapError) throw new SnipSnapError(error.code, `${where}: ${error.message}`, { path: [], issues: error.issues, cause: error })
    throw error
  }
  const unused = (sections.warnings ?? []).filter((w) => w.code === 'unused-key').map((w) => w.message)
  const notRead = (sections.ignored ?? []).map((d) => `\`${d.key}\` (${basename(d.file)})`)
  if (sections.arch === undefined) throw new SnipSnapError('INVALID_SPEC', `${where}: no architecture section in ${sources.map((s) => s.fileName).join(', ')}`, { path: [] })
  return {
    archSpec: { arch: sections.arch, energyTable: sections.energyTable ?? null, areaTable: sections.areaTable ?? null },
    // As `evaluate` prints them: keys not used by the model on one line, anything else on its own.
    warnings: [
      ...(unused.length > 0 ? [`${where}: not used by the model: ${unused.join('; ')}`] : []),
      ...(sections.warnings ?? []).filter((w) => w.code !== 'unused-key').map((w) => `${where}: ${w.message}`),
      ...(notRead.length > 0 ? [`${where}: not read (a study's workload comes from model or gemms, its mapping from the search): ${notRead.join('; ')}`] : []),
    ],
  }
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
export const withStudy = <O extends { readonly spec?: string; readonly study?: StudyExtras }>(options: O, command: OptionSources): O => {
  if (options.spec === undefined) return options
  const source = readStudy(options.spec, readText(options.spec))
  const { study } = source
  const known = new Set(command.options.map((o) => o.attributeName()))
  const merged: Record<string, unknown> = { ...options }
  for (const [option, { value, key }] of Object.entries(studyOptionValues(study, options.spec))) {
    if (!known.has(option)) throw new SnipSnapError('INVALID_SPEC', `${options.spec}: ${key} is not supported by this version of snipsnap explore`, { path: [key] })
    if (command.getOptionValueSource(option) !== 'cli') merged[option] = value
  }
  const given = (option: string): boolean => command.getOptionValueSource(option) === 'cli'
  // A flag given replaces the spec's setting: --model its GEMM list, --sparsity its densities, --arch its files.
  const { layers, ...extras }: StudyExtras = studyExtras(study, options.spec, source.at)
  const all: Record<string, unknown> = { ...extras, ...(layers !== undefined && !given('model') ? { layers } : {}) }
  const sparsity = given('sparsity') ? null : studySparsity(source, options.spec)
  if (sparsity !== null) Object.assign(all, sparsity)
  // Density model ids of the GEMMs' own densities, checked by the run as the study's are.
  const gemmModels = layers === undefined || given('model') ? [] : gemmDensityModels(source)
  if (gemmModels.length > 0) all['densityModels'] = [...((all['densityModels'] as StudyExtras['densityModels']) ?? []), ...gemmModels]
  const files = timeloopFiles(study.arch)
  if (files !== null && !given('arch')) Object.assign(all, readTimeloopArch(source, options.spec, files, typeof study.arch === 'object' && Array.isArray(study.arch.timeloop)))
  // Settings the spec gave (a flag given replaces its setting): run-time errors about them name their line.
  const paths = Object.fromEntries(
    ERROR_PATHS.filter(([, option, setting]) => (option === null || !given(option)) && (study as Record<string, unknown>)[setting[0] as string] !== undefined).map(([head, , setting]) => [head, setting]),
  )
  if (study.gemms !== undefined && !given('model')) paths['model'] = ['gemms']
  if (Object.keys(paths).length > 0) all['located'] = { paths, at: source.at }
  if (Object.keys(all).length > 0) merged['study'] = all
  return merged as O
}

/**
 * `snipsnap explore`'s options with its --spec applied; the model is required from one or the other.
 * @throws {SnipSnapError} as {@link withStudy}, or INVALID_SPEC when no model is given.
 */
export const resolveStudyOptions = <O extends { readonly spec?: string; readonly model?: string; readonly study?: StudyExtras }>(options: O, command: OptionSources): O & { readonly model: string } => {
  const resolved = withStudy(options, command)
  if (resolved.model === undefined) throw new SnipSnapError('INVALID_SPEC', 'a model is required: --model <id>, or `model:` (or `gemms:`) in the --spec file', { path: ['--model'] })
  return resolved as O & { readonly model: string }
}

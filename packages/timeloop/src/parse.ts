// Public entry points of the Timeloop/Sparseloop importer: YAML text in, normalised DesignSpec out.
// Several files merge by top-level key, one definition per key; every error names the file and
// the YAML path; misspelled keys are errors, unused ones warnings. Platform-neutral: the caller
// reads the files.
import {
  type AreaTableSpec,
  type RankFormatSource,
  type ArchSpec,
  type ConstraintSpec,
  type DesignSpec,
  type EnergyTableSpec,
  err,
  type MapperSettingsSpec,
  type MappingSpec,
  ok,
  type ProblemSpec,
  type Result,
  SnipSnapError,
  type SparseOptimizationsSpec,
  closestNames,
  type Issue,
  quoteAlternatives,
  toSnipSnapError,
} from '@snipsnap/core'
import { parseArchitectureSection } from './internal/architecture'
import { parseMappingYamlFast } from './internal/fast-mapping-yaml'
import { parseConstraintsSection, parseMapperSection } from './internal/constraints'
import { mappingContext, parseMappingSection, parseMappingSectionFast } from './internal/mapping'
import { readMappingText } from './internal/mapping-text'
import { parseProblemSection } from './internal/problem'
import { assertFiniteData, createReport, fail, Fields, foldKey, type Loc, misspellingsFirst, type ParseReport, reportIssues } from './internal/read'
import { mergeSources, parseYamlText, type Sourced, type TimeloopSource } from './internal/source'
import { parseSparseSection } from './internal/sparse'
import { parseAreaTableSection, parseEnergyTableSection } from './internal/tables'

export type { TimeloopSource } from './internal/source'

/** Every section found in a set of Timeloop files; sections that were not given are absent. */
export interface TimeloopSections {
  readonly arch?: ArchSpec
  readonly problem?: ProblemSpec
  readonly mapping?: MappingSpec
  readonly sparseOptimizations?: SparseOptimizationsSpec
  readonly energyTable?: EnergyTableSpec
  readonly areaTable?: AreaTableSpec
  readonly constraints?: readonly ConstraintSpec[]
  readonly mapper?: MapperSettingsSpec
  readonly passthrough?: Readonly<Record<string, unknown>>
  /**
   * Definitions of sections in `options.ignore` that the files hold (the key as written, the file),
   * which were skipped: for callers that say so. Absent when none.
   */
  readonly ignored?: readonly { readonly key: string; readonly file: string }[]
  /**
   * What is worth saying but not an error: keys not used by the model (code `unused-key`, one
   * issue per distinct key, listing where it occurs) and values read in a notable way (code
   * `unlimited`: `read_bandwidth: 0` is unlimited). Absent when there is nothing to say.
   */
  readonly warnings?: readonly Issue[]
}

/** Options of the Timeloop readers. */
export interface TimeloopParseOptions {
  /** Keys not used by the model are errors (UNSUPPORTED_FEATURE) instead of warnings. */
  readonly strict?: boolean
  /**
   * Top-level sections the caller does not use (e.g. `['mapping']` for a mapping search): they
   * are not read, so several files may define them.
   */
  readonly ignore?: readonly string[]
  /**
   * For a section that several files define, the file to take it from, by file name (e.g.
   * `{ mapping: 'best.map.yaml' }`); the other files' definitions of it are not read.
   */
  readonly sectionFiles?: Readonly<Record<string, string>>
  /**
   * Format primitives whose symbols ranks may use (a `Registry<FormatPrimitive>`, e.g. with a
   * plug-in's primitive); default Sparseloop's UOP, CP, B, RLE and UB.
   */
  readonly formats?: RankFormatSource
}

// Folded top-level keys: Timeloop's sections, plus Accelergy sections Timeloop ignores that we
// keep verbatim. Anything else is listed as not used (a near miss of a section is an error).
const KNOWN = new Set([
  'architecture', 'arch', 'problem', 'mapping', 'sparse_optimizations', 'ERT', 'ART',
  'architecture_constraints', 'mapspace_constraints', 'mapspace', 'mapper',
])
const PASSTHROUGH = new Set(['compound_components', 'ERT_summary', 'ART_summary'])
// A folder of Timeloop outputs may hold these; they are results, not inputs.
const QUIET = new Set(['ERT_summary', 'ART_summary'])

/**
 * One definition per top-level key: the chosen file's (`sectionFiles`), else the only one;
 * two files defining a key the caller uses is an error naming both (Timeloop would silently
 * take the later one).
 */
const resolveDefinitions = (merged: Map<string, Sourced[]>, options: TimeloopParseOptions): Map<string, Sourced> => {
  const ignore = new Set((options.ignore ?? []).map(foldKey))
  const chosenFiles = new Map(Object.entries(options.sectionFiles ?? {}).map(([key, file]) => [foldKey(key), file]))
  const out = new Map<string, Sourced>()
  for (const [key, definitions] of merged) {
    if (ignore.has(key)) continue
    const chosen = chosenFiles.get(key)
    if (chosen !== undefined) {
      const entry = definitions.find((d) => d.file === chosen)
      if (entry === undefined) {
        const by = definitions.map((d) => d.file).join(', ')
        throw new SnipSnapError('INVALID_SPEC', `${chosen}: defines no \`${key}\` (defined by ${by})`, { path: [chosen, key] })
      }
      out.set(key, entry)
      continue
    }
    const [first, second] = definitions
    if (first === undefined) continue
    if (second !== undefined) {
      const files = definitions.map((d) => d.file)
      const message = `\`${first.key}\` is defined in both ${files.slice(0, -1).join(', ')} and ${files[files.length - 1]}; keep it in one file`
      throw new SnipSnapError('INVALID_SPEC', message, {
        path: [second.file, second.key],
        issues: [{ code: 'duplicate-section', path: [key], message: `defined in ${files.join(' and ')}` }],
      })
    }
    out.set(key, first)
  }
  for (const key of chosenFiles.keys()) {
    if (!merged.has(key)) throw new SnipSnapError('INVALID_SPEC', `no file defines \`${key}\``, { path: [key] })
  }
  return out
}

/** Unknown top-level sections: a near miss of a known one is an error, others are listed. */
const checkSections = (merged: ReadonlyMap<string, Sourced>, report: ParseReport): void => {
  const sections = [...KNOWN, ...PASSTHROUGH]
  for (const [key, entry] of merged) {
    if (KNOWN.has(key) || PASSTHROUGH.has(key)) continue
    const near = closestNames(entry.key, sections.filter((name) => !merged.has(name)))
    if (near.length > 0) fail({ file: entry.file, path: [entry.key] }, `\`${entry.key}\`: did you mean ${quoteAlternatives(near)}?`)
    if (QUIET.has(key)) continue
    const holder = new Fields({ [entry.key]: entry.value }, { file: entry.file, path: [], report })
    holder.checkUnknown('top-level section', { where: entry.file })
  }
}

/**
 * Parses whichever Timeloop sections the files contain, without requiring a complete design
 * (e.g. an `ERT.yaml` alone). Mapping, sparse optimizations and constraints need the
 * architecture and problem, which may come from other files of the same call.
 * @throws {SnipSnapError} PARSE_ERROR (malformed YAML, with line:column), INVALID_SPEC (bad
 *   values, a misspelled key, a section defined by two files) or UNSUPPORTED_FEATURE (with the
 *   file and YAML path in the message and in `path`).
 * @example parseTimeloopSections([{ fileName: 'ERT.yaml', text }]).energyTable
 */
export const parseTimeloopSections = (sources: readonly TimeloopSource[], options: TimeloopParseOptions = {}): TimeloopSections =>
  misspellingsFirst(() => readSections(sources, options))

const readSections = (sources: readonly TimeloopSource[], options: TimeloopParseOptions): TimeloopSections => {
  const report = createReport(options.strict === true)
  const definitions = mergeSources(sources)
  const ignoredKeys = new Set((options.ignore ?? []).map(foldKey))
  const ignored = [...definitions].flatMap(([key, defs]) => (ignoredKeys.has(key) ? defs.map((d) => ({ key: d.key, file: d.file })) : []))
  const merged = resolveDefinitions(definitions, options)
  checkSections(merged, report)
  const locOf = (entry: Sourced): Loc => ({ file: entry.file, path: [entry.key], report })
  const get = (...keys: string[]): Sourced | undefined => {
    const found = keys.map((key) => merged.get(key)).filter((e): e is Sourced => e !== undefined)
    if (found.length > 1) {
      const [a, b] = found
      if (a !== undefined && b !== undefined) fail(locOf(b), `both "${a.key}" (${a.file}) and "${b.key}" are given; use one`)
    }
    return found[0]
  }
  const archEntry = get('architecture', 'arch')
  const problemEntry = get('problem')
  const arch = archEntry === undefined ? undefined : parseArchitectureSection(archEntry.value, locOf(archEntry))
  const problem = problemEntry === undefined ? undefined : parseProblemSection(problemEntry.value, locOf(problemEntry))
  const needsContext = (entry: Sourced): NonNullable<ReturnType<typeof mappingContext>> => {
    if (arch === undefined || problem === undefined) {
      return fail(locOf(entry), `"${entry.key}" needs the architecture and the problem (pass their files too)`)
    }
    return mappingContext(problem, arch)
  }

  const mappingEntry = get('mapping')
  const sparseEntry = get('sparse_optimizations')
  const ertEntry = get('ERT')
  const artEntry = get('ART')
  const archConstraints = get('architecture_constraints')
  const mapspaceConstraints = get('mapspace_constraints', 'mapspace')
  const mapperEntry = get('mapper')

  const constraints: ConstraintSpec[] = []
  if (archConstraints !== undefined) {
    constraints.push(...parseConstraintsSection(archConstraints.value, locOf(archConstraints), 'architecture', needsContext(archConstraints)))
  }
  if (mapspaceConstraints !== undefined) {
    constraints.push(...parseConstraintsSection(mapspaceConstraints.value, locOf(mapspaceConstraints), 'mapspace', needsContext(mapspaceConstraints)))
  }
  const passthrough: Record<string, unknown> = {}
  for (const key of PASSTHROUGH) {
    const entry = merged.get(key)
    if (entry === undefined) continue
    assertFiniteData(entry.value, locOf(entry))
    passthrough[entry.key] = entry.value
  }

  return {
    ...(arch === undefined ? {} : { arch }),
    ...(problem === undefined ? {} : { problem }),
    ...(mappingEntry === undefined ? {} : { mapping: parseMappingSection(mappingEntry.value, locOf(mappingEntry), needsContext(mappingEntry)) }),
    ...(sparseEntry === undefined ? {} : { sparseOptimizations: (() => { const c = needsContext(sparseEntry); return parseSparseSection(sparseEntry.value, locOf(sparseEntry), c.problem, c.arch, options.formats) })() }),
    ...(ertEntry === undefined ? {} : { energyTable: parseEnergyTableSection(ertEntry.value, locOf(ertEntry)) }),
    ...(artEntry === undefined ? {} : { areaTable: parseAreaTableSection(artEntry.value, locOf(artEntry)) }),
    ...(archConstraints === undefined && mapspaceConstraints === undefined ? {} : { constraints }),
    ...(mapperEntry === undefined ? {} : { mapper: parseMapperSection(mapperEntry.value, locOf(mapperEntry)) }),
    ...(Object.keys(passthrough).length === 0 ? {} : { passthrough }),
    ...(ignored.length === 0 ? {} : { ignored }),
    ...(() => {
      const warnings = reportIssues(report)
      return warnings.length === 0 ? {} : { warnings }
    })(),
  }
}

/**
 * Parses Timeloop/Sparseloop YAML files (architecture v0.3 tree or classic lists, problem,
 * mapping, sparse_optimizations, ERT, ART, constraints, mapper) into one normalised design.
 * Files merge by top-level key; a key the caller uses may be defined by one file only (Timeloop
 * lets the later file win silently): see {@link TimeloopParseOptions} `ignore`/`sectionFiles`.
 * Keys not used by the model are dropped here (errors with `strict`); use
 * {@link parseTimeloopDesign} to see them.
 * @throws {SnipSnapError} PARSE_ERROR for malformed YAML (message `file:line:col: …`);
 *   INVALID_SPEC for bad values (`input.yaml: mapping[3].factors: "M=5" does not divide M=512`);
 *   UNSUPPORTED_FEATURE for Timeloop features SnipSnap does not model, named.
 * @example
 * const design = parseTimeloopYaml([
 *   { fileName: 'input.yaml', text: inputYaml },
 *   { fileName: 'ERT.yaml', text: ertYaml },
 * ])
 */
export const parseTimeloopYaml = (sources: readonly TimeloopSource[], options: TimeloopParseOptions = {}): DesignSpec =>
  parseTimeloopDesign(sources, options).design

/** A design and what its reading found worth saying (see {@link TimeloopSections.warnings}). */
export interface TimeloopDesign {
  readonly design: DesignSpec
  readonly warnings: readonly Issue[]
}

/**
 * {@link parseTimeloopYaml} that also returns the warnings: keys not used by the model (listed
 * once each; errors under `strict`) and values read in a notable way (`read_bandwidth: 0`).
 * A front end should show them; a misspelled key is an error either way.
 * @throws {SnipSnapError} as {@link parseTimeloopYaml}.
 * @example
 * const { design, warnings } = parseTimeloopDesign(sources, { ignore: ['mapping'] })
 * for (const w of warnings) console.warn(w.message)
 */
export const parseTimeloopDesign = (sources: readonly TimeloopSource[], options: TimeloopParseOptions = {}): TimeloopDesign => {
  const sections = parseTimeloopSections(sources, options)
  // A missing section is reported against the last file, where it would be expected to go.
  const file = sources[sources.length - 1]?.fileName ?? 'input'
  const files = sources.map((s) => s.fileName).join(', ')
  if (sections.arch === undefined) fail({ file, path: ['architecture'] }, `no architecture section in ${files}`)
  if (sections.problem === undefined) fail({ file, path: ['problem'] }, `no problem section in ${files}`)
  if (sections.arch === undefined || sections.problem === undefined) throw new SnipSnapError('INTERNAL', 'unreachable')
  const design: DesignSpec = {
    arch: sections.arch,
    problem: sections.problem,
    mapping: sections.mapping ?? null,
    sparseOptimizations: sections.sparseOptimizations ?? { targets: [] },
    energyTable: sections.energyTable ?? null,
    areaTable: sections.areaTable ?? null,
    constraints: sections.constraints ?? [],
    mapper: sections.mapper ?? null,
    ...(sections.passthrough === undefined ? {} : { passthrough: sections.passthrough }),
  }
  return { design, warnings: sections.warnings ?? [] }
}

/**
 * {@link parseTimeloopYaml} returning a Result: the design, or the SnipSnapError
 * (PARSE_ERROR, INVALID_SPEC, UNSUPPORTED_FEATURE; anything else unexpected becomes INTERNAL).
 */
export const safeParseTimeloopYaml = (sources: readonly TimeloopSource[], options: TimeloopParseOptions = {}): Result<DesignSpec, SnipSnapError> => {
  try {
    return ok(parseTimeloopYaml(sources, options))
  } catch (error) {
    return err(toSnipSnapError(error))
  }
}

/** Options of {@link parseTimeloopMapping}. */
export interface ParseMappingOptions {
  /** Name used in error messages (default `mapping`). */
  readonly fileName?: string
}

/**
 * Parses a lone mapping document (`mapping:` followed by directives, or a bare list), e.g. one
 * row of a random-mapping file, against an already parsed problem and architecture. Lookups
 * derived from the problem and architecture are cached, so calling it per row is cheap.
 * @throws {SnipSnapError} PARSE_ERROR or INVALID_SPEC naming the YAML path.
 * @example const mapping = parseTimeloopMapping(row.mapping, design.problem, design.arch)
 */
export const parseTimeloopMapping = (
  text: string,
  problem: ProblemSpec,
  arch: ArchSpec,
  options: ParseMappingOptions = {},
): MappingSpec => {
  const file = options.fileName ?? 'mapping'
  const context = mappingContext(problem, arch)
  // Rows are usually in the simple subset the fast readers cover; anything else, and every
  // error, goes through `yaml` and the general reader, which name the YAML path.
  if (typeof text === 'string') {
    const direct = readMappingText(text, context)
    if (direct !== undefined) return direct
  }
  const fast = typeof text === 'string' ? parseMappingYamlFast(text) : undefined
  if (fast !== undefined) {
    const mapping = parseMappingSectionFast(fast.mapping, context)
    if (mapping !== undefined) return mapping
  }
  const data = fast ?? parseYamlText(file, text)
  if (Array.isArray(data)) return misspellingsFirst(() => parseMappingSection(data, { file, path: [] }, context))
  if (typeof data === 'object' && data !== null && 'mapping' in data) {
    const extra = Object.keys(data).filter((key) => key !== 'mapping')
    if (extra.length > 0) fail({ file, path: [extra[0] ?? ''] }, 'a mapping document holds only `mapping:`')
    return misspellingsFirst(() => parseMappingSection((data as { mapping: unknown }).mapping, { file, path: ['mapping'] }, context))
  }
  return fail({ file, path: [] }, 'expected `mapping:` with a list of directives')
}

// Public entry points of the Timeloop/Sparseloop importer: YAML text in, normalised DesignSpec out.
// Several files merge by top-level key as Timeloop does (later files win per key); every error
// names the file and the YAML path. Platform-neutral: the caller reads the files.
import {
  type AreaTableSpec,
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
  toSnipSnapError,
} from '@snipsnap/core'
import { parseArchitectureSection } from './internal/architecture'
import { parseMappingYamlFast } from './internal/fast-mapping-yaml'
import { parseConstraintsSection, parseMapperSection } from './internal/constraints'
import { mappingContext, parseMappingSection } from './internal/mapping'
import { parseProblemSection } from './internal/problem'
import { assertFiniteData, fail, type Loc } from './internal/read'
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
}

// Folded top-level keys: Timeloop's sections, plus Accelergy sections Timeloop ignores that we
// keep verbatim. Anything else is rejected by name rather than silently dropped.
const KNOWN = new Set([
  'architecture', 'arch', 'problem', 'mapping', 'sparse_optimizations', 'ERT', 'ART',
  'architecture_constraints', 'mapspace_constraints', 'mapspace', 'mapper',
])
const PASSTHROUGH = new Set(['compound_components', 'ERT_summary', 'ART_summary'])

const locOf = (entry: Sourced): Loc => ({ file: entry.file, path: [entry.key] })

/**
 * Parses whichever Timeloop sections the files contain, without requiring a complete design
 * (e.g. an `ERT.yaml` alone). Mapping, sparse optimizations and constraints need the
 * architecture and problem, which may come from other files of the same call.
 * @throws {SnipSnapError} PARSE_ERROR (malformed YAML, with line:column), INVALID_SPEC or
 *   UNSUPPORTED_FEATURE (with the file and YAML path in the message and in `path`).
 * @example parseTimeloopSections([{ fileName: 'ERT.yaml', text }]).energyTable
 */
export const parseTimeloopSections = (sources: readonly TimeloopSource[]): TimeloopSections => {
  const merged = mergeSources(sources)
  for (const [key, entry] of merged) {
    if (!KNOWN.has(key) && !PASSTHROUGH.has(key)) {
      fail({ file: entry.file, path: [entry.key] }, `unknown top-level section "${entry.key}" (Timeloop inputs: ${[...KNOWN].join(', ')}, compound_components)`, 'UNSUPPORTED_FEATURE')
    }
  }
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
    ...(sparseEntry === undefined ? {} : { sparseOptimizations: (() => { const c = needsContext(sparseEntry); return parseSparseSection(sparseEntry.value, locOf(sparseEntry), c.problem, c.arch) })() }),
    ...(ertEntry === undefined ? {} : { energyTable: parseEnergyTableSection(ertEntry.value, locOf(ertEntry)) }),
    ...(artEntry === undefined ? {} : { areaTable: parseAreaTableSection(artEntry.value, locOf(artEntry)) }),
    ...(archConstraints === undefined && mapspaceConstraints === undefined ? {} : { constraints }),
    ...(mapperEntry === undefined ? {} : { mapper: parseMapperSection(mapperEntry.value, locOf(mapperEntry)) }),
    ...(Object.keys(passthrough).length === 0 ? {} : { passthrough }),
  }
}

/**
 * Parses Timeloop/Sparseloop YAML files (architecture v0.3 tree or classic lists, problem,
 * mapping, sparse_optimizations, ERT, ART, constraints, mapper) into one normalised design.
 * Files merge by top-level key, later files winning, as Timeloop does.
 * @throws {SnipSnapError} PARSE_ERROR for malformed YAML (message `file:line:col: …`);
 *   INVALID_SPEC for bad values (`input.yaml: mapping[3].factors: "M=5" does not divide M=512`);
 *   UNSUPPORTED_FEATURE for Timeloop features SnipSnap does not model, named.
 * @example
 * const design = parseTimeloopYaml([
 *   { fileName: 'input.yaml', text: inputYaml },
 *   { fileName: 'ERT.yaml', text: ertYaml },
 * ])
 */
export const parseTimeloopYaml = (sources: readonly TimeloopSource[]): DesignSpec => {
  const sections = parseTimeloopSections(sources)
  // A missing section is reported against the last file, where it would be expected to go.
  const file = sources[sources.length - 1]?.fileName ?? 'input'
  const files = sources.map((s) => s.fileName).join(', ')
  if (sections.arch === undefined) fail({ file, path: ['architecture'] }, `no architecture section in ${files}`)
  if (sections.problem === undefined) fail({ file, path: ['problem'] }, `no problem section in ${files}`)
  if (sections.arch === undefined || sections.problem === undefined) throw new SnipSnapError('INTERNAL', 'unreachable')
  return {
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
}

/**
 * {@link parseTimeloopYaml} returning a Result: the design, or the SnipSnapError
 * (PARSE_ERROR, INVALID_SPEC, UNSUPPORTED_FEATURE; anything else unexpected becomes INTERNAL).
 */
export const safeParseTimeloopYaml = (sources: readonly TimeloopSource[]): Result<DesignSpec, SnipSnapError> => {
  try {
    return ok(parseTimeloopYaml(sources))
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
  // Rows are usually in the simple subset the fast scanner reads; anything else goes to `yaml`.
  const data = (typeof text === 'string' ? parseMappingYamlFast(text) : undefined) ?? parseYamlText(file, text)
  const context = mappingContext(problem, arch)
  if (Array.isArray(data)) return parseMappingSection(data, { file, path: [] }, context)
  if (typeof data === 'object' && data !== null && 'mapping' in data) {
    const extra = Object.keys(data).filter((key) => key !== 'mapping')
    if (extra.length > 0) fail({ file, path: [extra[0] ?? ''] }, 'a mapping document holds only `mapping:`')
    return parseMappingSection((data as { mapping: unknown }).mapping, { file, path: ['mapping'] }, context)
  }
  return fail({ file, path: [] }, 'expected `mapping:` with a list of directives')
}

// Reading a study spec: YAML (or JSON) text → a validated Study, every error naming the file, the
// line and the key (`study.yaml:7: search.evaluatons: did you mean \`evaluations\`?`).
import { formatPath, SnipSnapError } from '@snipsnap/core'
import { readYamlDocument } from '@snipsnap/core/yaml'
import { isMap, isSeq, type Document, type LineCounter, type Node } from 'yaml'
import type { z } from 'zod'
import { StudySchema, type Study } from './study-schema'

type PathPart = string | number

/**
 * The YAML node at `path` (the key's node when `key` is given, and for a map or list value the
 * key's node, where the setting starts), or the nearest ancestor.
 */
const nodeAt = (doc: Document, path: readonly PathPart[], key?: string): Node | null => {
  let node: unknown = doc.contents
  let last: Node | null = (doc.contents as Node | null) ?? null
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part)
      if (pair === undefined) return last
      node = pair.value ?? pair.key
      last = isMap(pair.value) || isSeq(pair.value) || pair.value === null ? (pair.key as Node) : (pair.value as Node)
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part]
      if (node === undefined) return last
      last = node as Node
    } else return last
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key)
    if (pair !== undefined) return pair.key as Node
  }
  return last
}

const lineOf = (lines: LineCounter, node: Node | null): number | null => (node?.range === undefined || node.range === null ? null : lines.linePos(node.range[0]).line)

/** A failed type test at the union's own level (or a union none of whose branches has the input's kind): the input is not of that branch's kind. */
const wrongKind = (issues: readonly z.core.$ZodIssue[]): boolean => {
  const [only] = issues
  if (issues.length !== 1 || only === undefined || only.path.length > 0) return false
  return only.code === 'invalid_type' || (only.code === 'invalid_union' && only.errors.every(wrongKind))
}

/**
 * A union's failure as the issues of the one branch the input has the kind of (an object given
 * where a string or an object is expected: the object's issues, e.g. a misspelled key), its
 * paths made absolute; the union's own message when no branch or several fit.
 */
const flattenUnions = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): z.core.$ZodIssue[] =>
  issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path]
    if (issue.code !== 'invalid_union') return [{ ...issue, path }]
    const fitting = issue.errors.filter((branch) => !wrongKind(branch))
    const [only] = fitting
    if (fitting.length === 1 && only !== undefined) return flattenUnions(only, path)
    // Nothing given: the key is missing (reported as such, or not at all beside its misspelling).
    const [first] = issue.errors
    if (fitting.length === 0 && first !== undefined && issue.errors.every((b) => /received undefined$/.test(b[0]?.message ?? ''))) return flattenUnions(first, path)
    return [{ ...issue, path }]
  })

const describe = (issue: z.core.$ZodIssue): { path: PathPart[]; key?: string; message: string } => {
  const path = issue.path.filter((p): p is PathPart => typeof p === 'string' || typeof p === 'number')
  if (issue.code === 'unrecognized_keys') return { path, ...(issue.keys[0] !== undefined ? { key: issue.keys[0] } : {}), message: issue.message }
  return { path, message: issue.message }
}

/**
 * Parses and validates a study spec.
 * @throws {SnipSnapError} PARSE_ERROR for malformed YAML (`@snipsnap/core/yaml`), INVALID_SPEC for a spec the schema
 *   rejects; the message starts with `file:line:` and names the key.
 */
export const parseStudy = (fileName: string, text: string): Study => readStudy(fileName, text).study

/** A validated study and where its settings are, for errors found after validation (a file that cannot be read, an unknown density model). */
export interface StudySource {
  readonly study: Study
  /** `file:line: key` of the setting at `path`, e.g. `study.yaml:7: arch.timeloop[1]`. */
  at(path: readonly PathPart[]): string
}

/**
 * {@link parseStudy} that also locates the settings.
 * @throws {SnipSnapError} as {@link parseStudy}.
 */
export const readStudy = (fileName: string, text: string): StudySource => {
  const { value: data, doc, lines } = readYamlDocument(text, fileName)
  const parsed = StudySchema.safeParse(data)
  if (parsed.success) {
    return {
      study: parsed.data,
      at: (path) => {
        const line = lineOf(lines, nodeAt(doc, path))
        return `${fileName}${line === null ? '' : `:${line}`}: ${formatPath(path)}`
      },
    }
  }
  const all = flattenUnions(parsed.error.issues)
  // A misspelled key also leaves the key it meant missing: report the misspelling only.
  const meant = new Set(
    all.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? [...issue.message.matchAll(/did you mean ((?:`[^`]+`(?: or )?)+)/g)].flatMap((m) => [...(m[1] ?? '').matchAll(/`([^`]+)`/g)].map((k) => JSON.stringify([...issue.path, k[1]]))) : [],
    ),
  )
  const missing = (issue: z.core.$ZodIssue): boolean => issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
  const issues = all.filter((issue) => !(missing(issue) && meant.has(JSON.stringify(issue.path))))
  const messages = issues.map((issue) => {
    const { path, key, message } = describe(issue)
    const line = lineOf(lines, nodeAt(doc, path, key))
    const where = path.length > 0 ? `${formatPath(path)}: ` : ''
    return `${fileName}${line === null ? '' : `:${line}`}: ${where}${missing(issue) ? 'required, missing' : message}`
  })
  // The messages name file, line and key; the keys' paths travel as issues (a path would be printed twice).
  throw new SnipSnapError('INVALID_SPEC', messages.join('\n'), { path: [], issues: issues.map((issue) => ({ code: issue.code, path: describe(issue).path, message: describe(issue).message })) })
}

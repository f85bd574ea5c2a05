// Near-miss detection for keys and ids: `read_bandwith` → "did you mean `read_bandwidth`?".
// Spec readers use it to tell a misspelled key (an error: the intended setting would silently
// be dropped) from a key that is simply not used (a warning).

/** Folds spellings that tools treat alike or that users confuse: case, `-` vs `_`. */
const fold = (name: string): string => name.toLowerCase().replaceAll('-', '_')

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export const editDistance = (a: string, b: string): number => {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) rows.push(new Array<number>(b.length + 1).fill(0))
  for (let i = 0; i <= a.length; i++) (rows[i] as number[])[0] = i
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[]
    const prev = rows[i - 1] as number[]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2] as number[])[j - 2] as number + 1)
      row[j] = d
    }
  }
  return (rows[a.length] as number[])[b.length] as number
}

/**
 * The largest edit distance still read as a misspelling of a name of this length: a case or
 * `-`/`_` difference always; one edit for names of up to 6 characters; two from 7 on. Short
 * names get less slack because unrelated short keys are close to each other.
 */
export const misspellingSlack = (length: number): number => (length <= 2 ? 0 : length <= 6 ? 1 : 2)

/**
 * The candidates `name` is most likely a misspelling of (closest first, ties in input order),
 * or `[]` when none is within {@link misspellingSlack}. Case and `-`/`_` are ignored, and an
 * exact match (after folding) is not a misspelling of itself unless spelled differently.
 * @example closestNames('read_bandwith', ['read_bandwidth', 'write_bandwidth']) // ['read_bandwidth']
 */
export const closestNames = (name: string, candidates: readonly string[], options: { readonly prefixes?: boolean } = {}): string[] => {
  const folded = fold(name)
  let best = Number.POSITIVE_INFINITY
  let found: string[] = []
  for (const candidate of candidates) {
    if (candidate === name) continue
    const target = fold(candidate)
    const slack = misspellingSlack(Math.max(folded.length, target.length))
    if (Math.abs(folded.length - target.length) > slack) continue
    const distance = editDistance(folded, target)
    if (distance > slack) continue
    if (distance < best) {
      best = distance
      found = [candidate]
    } else if (distance === best && !found.includes(candidate)) found.push(candidate)
  }
  if (found.length > 0 || options.prefixes !== true || folded.length < 5) return found
  // With `prefixes`: a name written without its unit suffix (`readBandwidth` for
  // `readBandwidthWordsPerCycle`), for schemas whose keys carry units.
  return candidates.filter((candidate) => candidate !== name && fold(candidate).startsWith(folded))
}

/** `` `a` `` or `` `a` or `b` `` for messages. */
export const quoteAlternatives = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(' or ')

/**
 * The message for keys a strict schema does not know: each near miss of a known key that is
 * absent from the input is named (`readBandwith`: did you mean `readBandwidthWordsPerCycle`?),
 * the others listed with the known keys.
 * @example unknownKeysMessage(['readBandwith'], ['readBandwidthWordsPerCycle'], {})
 */
export const unknownKeysMessage = (keys: readonly string[], known: readonly string[], input: unknown): string => {
  const present = new Set(typeof input === 'object' && input !== null ? Object.keys(input) : [])
  const absent = known.filter((name) => !present.has(name))
  const parts = keys.map((key) => {
    const near = closestNames(key, absent, { prefixes: true })
    return near.length > 0 ? `\`${key}\`: did you mean ${quoteAlternatives(near)}?` : `unknown key \`${key}\``
  })
  return `${parts.join('; ')} (known keys: ${known.join(', ')})`
}

/**
 * A zod `error` option for strict objects (structural, so core needs no zod): unknown keys get
 * {@link unknownKeysMessage}, every other issue keeps zod's message.
 * @example z.strictObject(shape, { error: strictKeysError(Object.keys(shape)) })
 */
export const strictKeysError =
  (known: readonly string[]) =>
  (issue: { readonly code?: string; readonly keys?: readonly string[]; readonly input?: unknown }): string | undefined =>
    issue.code === 'unrecognized_keys' && issue.keys !== undefined ? unknownKeysMessage(issue.keys, known, issue.input) : undefined

// Objective names of the explorer: the metrics every evaluation reports (`energy` in pJ, `cycles`,
// `edp` = energy × cycles) and the user-facing spellings (`delay` is Timeloop's word for cycles).
import { SnipSnapError } from '@snipsnap/core'

/** A metric the explorer can minimise. */
export type MetricName = 'energy' | 'cycles' | 'edp'

/** One metric, or a lexicographic list (first decides, the next break ties). */
export type ExplorerObjective = string | readonly string[]

const ALIASES: Readonly<Record<string, MetricName>> = {
  energy: 'energy',
  cycles: 'cycles',
  delay: 'cycles',
  edp: 'edp',
}

/**
 * Normalises an objective (`'energy'`, `'cycles,energy'`, `['delay', 'energy']`) into a
 * lexicographic list of metric names.
 * @throws {SnipSnapError} INVALID_SPEC naming `objective` for an unknown or repeated metric.
 */
export const parseObjective = (objective: ExplorerObjective): readonly MetricName[] => {
  const parts = typeof objective === 'string' ? objective.split(',').map((s) => s.trim()) : [...objective]
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new SnipSnapError('INVALID_SPEC', `objective "${String(objective)}" is empty; use energy, cycles, edp or a list such as cycles,energy`, { path: ['objective'] })
  }
  const names: MetricName[] = []
  for (const part of parts) {
    const name = ALIASES[part.toLowerCase()]
    if (name === undefined) {
      throw new SnipSnapError('INVALID_SPEC', `unknown objective "${part}"; use energy, cycles (delay), edp or a comma list`, { path: ['objective'] })
    }
    if (names.includes(name)) throw new SnipSnapError('INVALID_SPEC', `objective "${part}" is listed twice`, { path: ['objective'] })
    names.push(name)
  }
  return names
}

/** The objective Timeloop's mapper settings ask for (`optimization-metrics`), or null when none is usable. */
export const objectiveFromMapper = (metrics: readonly string[] | undefined): readonly MetricName[] | null => {
  if (metrics === undefined || metrics.length === 0) return null
  const names: MetricName[] = []
  for (const m of metrics) {
    const name = ALIASES[m.toLowerCase()]
    if (name === undefined) return null
    if (!names.includes(name)) names.push(name)
  }
  return names
}

// The sweep's summary: one row per job (axis values, status, whole-model energy, cycles, area),
// the sensitivity of energy to each axis, and the CSV form. Pure functions of the stored records.
import type { AxisValue, Sweep } from './spec'
import type { JobRecord } from './records'

/** One job in the summary. */
export interface SummaryRow {
  readonly key: string
  readonly axes: Readonly<Record<string, AxisValue>>
  /** `missing` when no record is stored (an interrupted run). */
  readonly status: 'ok' | 'failed' | 'missing'
  readonly totalEnergyPJ: number | null
  readonly totalCycles: number | null
  readonly areaUM2: number | null
  readonly error: string | null
}

/** Energy by the values of one axis (over the jobs that succeeded). */
export interface AxisSensitivity {
  readonly axis: string
  readonly values: readonly {
    readonly value: AxisValue
    readonly jobs: number
    readonly meanEnergyPJ: number | null
    readonly minEnergyPJ: number | null
    readonly maxEnergyPJ: number | null
    /**
     * Geometric mean, over the groups of jobs equal on every other axis, of this value's energy
     * over the group's least: 1 = the best value everywhere. Null when no group has this value.
     */
    readonly relativeEnergy: number | null
  }[]
  /** Largest over smallest mean energy across the axis's values (1 = no effect); null with < 2 values. */
  readonly meanEnergyRatio: number | null
}

/** What `summary.json` holds. */
export interface SweepSummary {
  readonly name: string
  /** The code version the job keys were made with (see `codeVersion`). */
  readonly codeVersion: string
  readonly jobs: number
  readonly ok: number
  readonly failed: number
  readonly missing: number
  readonly axes: readonly { readonly name: string; readonly values: readonly AxisValue[] }[]
  readonly rows: readonly SummaryRow[]
  readonly sensitivity: readonly AxisSensitivity[]
}

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length)

/** The summary of a sweep from its stored records (`read(key)` is null for a missing job). */
export const summarizeSweep = (sweep: Sweep, read: (key: string) => JobRecord | null): SweepSummary => {
  const rows: SummaryRow[] = sweep.jobs.map((job) => {
    const record = read(job.key)
    if (record === null) return { key: job.key, axes: job.axes, status: 'missing', totalEnergyPJ: null, totalCycles: null, areaUM2: null, error: null }
    return {
      key: job.key,
      axes: job.axes,
      status: record.status,
      totalEnergyPJ: record.result?.totalEnergyPJ ?? null,
      totalCycles: record.result?.totalCycles ?? null,
      areaUM2: record.result?.areaUM2 ?? null,
      error: record.error === null ? null : `${record.error.code}: ${record.error.message}`,
    }
  })
  const ok = rows.filter((r) => r.status === 'ok')
  const sensitivity: AxisSensitivity[] = sweep.axes
    .filter((axis) => axis.values.length > 1)
    .map((axis) => {
      // Jobs equal on every other axis form a group; within it each energy over the group's least.
      const groups = new Map<string, SummaryRow[]>()
      for (const r of ok) {
        const others = JSON.stringify(Object.entries(r.axes).filter(([n]) => n !== axis.name))
        groups.set(others, [...(groups.get(others) ?? []), r])
      }
      const ratios = new Map<AxisValue, number[]>()
      for (const group of groups.values()) {
        if (group.length < 2) continue
        const least = Math.min(...group.map((r) => r.totalEnergyPJ as number))
        if (!(least > 0)) continue
        for (const r of group) {
          const value = r.axes[axis.name] as AxisValue
          ratios.set(value, [...(ratios.get(value) ?? []), (r.totalEnergyPJ as number) / least])
        }
      }
      const values = axis.values.map((value) => {
        const energies = ok.filter((r) => r.axes[axis.name] === value).map((r) => r.totalEnergyPJ ?? Number.NaN)
        const relative = ratios.get(value) ?? []
        return {
          relativeEnergy: relative.length === 0 ? null : Math.exp(relative.reduce((sum, x) => sum + Math.log(x), 0) / relative.length),
          value,
          jobs: energies.length,
          meanEnergyPJ: mean(energies),
          minEnergyPJ: energies.length === 0 ? null : Math.min(...energies),
          maxEnergyPJ: energies.length === 0 ? null : Math.max(...energies),
        }
      })
      const means = values.map((v) => v.meanEnergyPJ).filter((m): m is number => m !== null && m > 0)
      return { axis: axis.name, values, meanEnergyRatio: means.length < 2 ? null : Math.max(...means) / Math.min(...means) }
    })
  return {
    name: sweep.name,
    codeVersion: sweep.codeVersion,
    jobs: rows.length,
    ok: ok.length,
    failed: rows.filter((r) => r.status === 'failed').length,
    missing: rows.filter((r) => r.status === 'missing').length,
    axes: sweep.axes,
    rows,
    sensitivity,
  }
}

const csvField = (value: AxisValue | null): string => {
  if (value === null) return ''
  const text = String(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** `summary.csv`: a header, then one line per job (axis columns, then results). */
export const summaryCsv = (summary: SweepSummary): string => {
  const axisNames = summary.axes.map((a) => a.name)
  const header = ['key', ...axisNames, 'status', 'totalEnergyPJ', 'totalCycles', 'areaUM2', 'error']
  const lines = summary.rows.map((r) =>
    [r.key, ...axisNames.map((n) => r.axes[n] ?? null), r.status, r.totalEnergyPJ, r.totalCycles, r.areaUM2, r.error].map(csvField).join(','),
  )
  return `${[header.join(','), ...lines].join('\n')}\n`
}

// The sweep's files beside the job records: summary.json, summary.csv and report.html.
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sweepReportHtml } from '../report'
import type { Sweep } from '../spec'
import { summarizeSweep, summaryCsv, type SweepSummary } from '../summary'
import type { ResultStore } from './store'

const writeAtomically = (path: string, text: string): void => {
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, text)
  renameSync(temp, path)
}

/** Writes `summary.json`, `summary.csv` and `report.html` of `sweep` from the records in `store`; returns the summary. */
export const writeSweepOutputs = (sweep: Sweep, store: ResultStore): SweepSummary => {
  const summary = summarizeSweep(sweep, store.read)
  writeAtomically(join(store.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`)
  writeAtomically(join(store.dir, 'summary.csv'), summaryCsv(summary))
  writeAtomically(join(store.dir, 'report.html'), sweepReportHtml(summary))
  return summary
}

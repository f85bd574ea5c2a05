// Results stored by job key: `<dir>/<key>.json`, written to a temporary file and renamed into
// place, so a reader never sees half a result and writing the same key twice (a re-delivered job)
// leaves one whole file. A rerun asks the store what is missing.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SnipSnapError } from '@snipsnap/core'
import { JOB_RECORD_VERSION, type JobRecord } from '../records'

const KEY = /^[0-9a-f]{8,64}$/

/** A directory of job records. */
export interface ResultStore {
  readonly dir: string
  /** The record of `key`, or null when none is stored (or the file is not a record of that key). */
  read(key: string): JobRecord | null
  /** Whether `key` has a final record (ok, or failed by its own search). */
  has(key: string): boolean
  /** Writes (or replaces) the record of its key atomically. */
  write(record: JobRecord): void
  /** Keys with a record file. */
  keys(): string[]
}

/**
 * Opens (creating it if needed) a result directory.
 * @throws {SnipSnapError} IO_ERROR when the directory cannot be created.
 */
export const openResultStore = (dir: string): ResultStore => {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (cause) {
    throw new SnipSnapError('IO_ERROR', `cannot create the result directory ${dir}: ${(cause as Error).message}`, { path: ['--out'], cause })
  }
  const fileOf = (key: string): string => {
    if (!KEY.test(key)) throw new SnipSnapError('INVALID_SPEC', `"${key}" is not a job key`, { path: ['key'] })
    return join(dir, `${key}.json`)
  }
  const read = (key: string): JobRecord | null => {
    let text: string
    try {
      text = readFileSync(fileOf(key), 'utf8')
    } catch {
      return null
    }
    try {
      const record = JSON.parse(text) as JobRecord
      return record !== null && typeof record === 'object' && record.key === key && record.recordVersion === JOB_RECORD_VERSION ? record : null
    } catch {
      return null
    }
  }
  let sequence = 0
  return {
    dir,
    read,
    has: (key) => {
      const record = read(key)
      return record !== null && !record.retry
    },
    write(record) {
      const target = fileOf(record.key)
      const temp = join(dir, `.${record.key}.${process.pid}.${sequence++}.tmp`)
      try {
        writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`)
        renameSync(temp, target)
      } catch (cause) {
        rmSync(temp, { force: true })
        throw new SnipSnapError('IO_ERROR', `cannot write ${target}: ${(cause as Error).message}`, { path: ['--out'], cause })
      }
    },
    keys: () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.json') && KEY.test(f.slice(0, -5)))
        .map((f) => f.slice(0, -5)),
  }
}

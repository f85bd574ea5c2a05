// Accelergy tables: `ERT:` (energy reference table: v0.3/v0.4 lists, v0.2 maps) and `ART:` (area reference
// table) → plain data. The lookup semantics (action priority, max over arguments) belong to the
// cost model; here the tables are only read and checked.
import type { AreaTableSpec, EnergyActionSpec, EnergyTableSpec } from '@snipsnap/core'
import { assertFiniteData, at, fail, Fields, isRecord, type Loc, show } from './read'

const SUPPORTED_VERSIONS = new Set(['0.2', '0.3', '0.4'])

const checkVersion = (f: Fields): void => {
  const version = f.get('version')
  if (version === undefined) return
  if (!SUPPORTED_VERSIONS.has(String(version))) {
    fail(f.locOf('version'), `table version ${show(version)} is not supported (0.2, 0.3, 0.4)`, 'UNSUPPORTED_FEATURE')
  }
}

/**
 * Parses an `ERT:` section.
 * @throws {SnipSnapError} INVALID_SPEC naming the file and YAML path.
 */
const parseAction = (action: unknown, aloc: Loc, fallbackName?: string): EnergyActionSpec => {
  const af = new Fields(action, aloc, 'an action { name, arguments, energy }')
  const actionName = fallbackName === undefined ? af.reqStr('name') : (af.str('name') ?? fallbackName)
  if (fallbackName !== undefined && actionName !== fallbackName) fail(af.locOf('name'), `action name ${show(actionName)} under key ${show(fallbackName)}`)
  const args = af.get('arguments')
  if (args !== undefined && args !== null && !isRecord(args)) {
    fail(af.locOf('arguments'), `expected a mapping or null, got ${show(args)}`)
  }
  assertFiniteData(args, af.locOf('arguments'))
  const energyPJ = af.nonNegative('energy')
  if (energyPJ === undefined) return fail(af.locOf('energy'), 'is required')
  af.checkUnknown('ERT action')
  return { name: actionName, arguments: (args ?? null) as Readonly<Record<string, unknown>> | null, energyPJ }
}

/** ERT v0.2: `tables: { component: { action: [{ arguments, energy }] | { energy } } }`. */
const parseMapTables = (tables: Fields): EnergyTableSpec => ({
  entries: Object.keys(tables.raw).map((name) => {
    const actionsF = new Fields(tables.raw[name], at(tables.loc, name), 'a mapping of actions')
    const actions = Object.keys(actionsF.raw).flatMap((actionName) => {
      const raw = actionsF.raw[actionName]
      const aloc = at(actionsF.loc, actionName)
      return Array.isArray(raw) ? raw.map((variant, i) => parseAction(variant, at(aloc, i), actionName)) : [parseAction(raw, aloc, actionName)]
    })
    return { name, actions }
  }),
})

export const parseEnergyTableSection = (value: unknown, loc: Loc): EnergyTableSpec => {
  const root = new Fields(value, loc, 'an ERT mapping { version, tables }')
  checkVersion(root)
  const rawTables = root.get('tables')
  if (isRecord(rawTables)) {
    root.checkUnknown('ERT')
    return parseMapTables(new Fields(rawTables, root.locOf('tables')))
  }
  const tables = root.list('tables') ?? fail(root.locOf('tables'), 'is required')
  root.checkUnknown('ERT')
  return {
    entries: tables.map((table, t) => {
      const f = new Fields(table, at(root.locOf('tables'), t), 'a table { name, actions }')
      const name = f.reqStr('name')
      const actions = (f.list('actions') ?? fail(f.locOf('actions'), 'is required')).map((action, a) => parseAction(action, at(f.locOf('actions'), a)))
      f.checkUnknown('ERT table')
      return { name, actions }
    }),
  }
}

/**
 * Parses an `ART:` section (areas in µm²).
 * @throws {SnipSnapError} INVALID_SPEC naming the file and YAML path.
 */
export const parseAreaTableSection = (value: unknown, loc: Loc): AreaTableSpec => {
  const root = new Fields(value, loc, 'an ART mapping { version, tables }')
  checkVersion(root)
  const tables = root.list('tables') ?? fail(root.locOf('tables'), 'is required')
  root.checkUnknown('ART')
  return {
    entries: tables.map((table, t) => {
      const f = new Fields(table, at(root.locOf('tables'), t), 'a table { name, area }')
      const name = f.reqStr('name')
      const areaUM2 = f.nonNegative('area')
      if (areaUM2 === undefined) return fail(f.locOf('area'), 'is required')
      f.checkUnknown('ART table')
      return { name, areaUM2 }
    }),
  }
}

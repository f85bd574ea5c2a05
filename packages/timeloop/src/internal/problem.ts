// `problem:` → ProblemSpec: the shape (dimensions, coefficients, data spaces with
// sum-of-products projections) and the instance (bounds, coefficient values, densities).
import type { DataSpaceSpec, DensitySpec, ProblemSpec, ProjectionTerm } from '@snipsnap/core'
import { at, fail, Fields, type Loc, show, toNumber } from './read'

// Timeloop/Sparseloop density-model names → SnipSnap density-model ids.
const DISTRIBUTIONS: Readonly<Record<string, string>> = {
  'fixed-structured': 'fixed-structured',
  fixed_structured: 'fixed-structured',
  fixed: 'fixed-structured',
  hypergeometric: 'hypergeometric',
  banded: 'banded',
  diagonal: 'banded',
  'real-data': 'actual-data',
  real_data: 'actual-data',
  'actual-data': 'actual-data',
}

// Density-model parameters Timeloop reads, YAML spelling (folded) → params key.
const DENSITY_PARAMS: Readonly<Record<string, string>> = {
  band_width: 'bandWidth',
  workload_tensor_size: 'workloadTensorSize',
  data_file_path: 'dataFilePath',
}

const parseDensity = (value: unknown, loc: Loc): DensitySpec => {
  if (typeof value === 'number') {
    // A plain number is Sparseloop's fixed-structured model, not a uniform one.
    if (!Number.isFinite(value) || value < 0 || value > 1) fail(loc, `density must be in [0, 1], got ${show(value)}`)
    return { distribution: 'fixed-structured', density: value, params: {} }
  }
  const f = new Fields(value, loc, 'a density (number or { distribution, density })')
  const name = f.reqStr('distribution')
  const distribution = DISTRIBUTIONS[name]
  if (distribution === undefined) {
    return fail(f.locOf('distribution'), `unknown density distribution ${show(name)} (supported: ${Object.keys(DISTRIBUTIONS).join(', ')})`, 'UNSUPPORTED_FEATURE')
  }
  const params: Record<string, unknown> = {}
  for (const [yamlKey, paramKey] of Object.entries(DENSITY_PARAMS)) {
    const key = f.which(yamlKey)
    if (key === undefined) continue
    if (yamlKey === 'data_file_path') params[paramKey] = f.reqStr(yamlKey)
    else params[paramKey] = f.count(yamlKey)
  }
  let density = f.num('density')
  if (density === undefined) {
    if (distribution !== 'banded' && distribution !== 'actual-data') return fail(f.locOf('density'), 'is required')
    density = 1
  }
  if (density < 0 || density > 1) fail(f.locOf('density'), `density must be in [0, 1], got ${density}`)
  f.checkUnknown('density')
  return { distribution, density, params }
}

const parseProjection = (
  value: unknown,
  loc: Loc,
  dims: ReadonlySet<string>,
  coefficients: ReadonlySet<string>,
): (readonly ProjectionTerm[])[] => {
  if (!Array.isArray(value)) return fail(loc, `expected a list of ranks, got ${show(value)}`)
  return value.map((rank: unknown, r) => {
    const rloc = at(loc, r)
    if (!Array.isArray(rank) || rank.length === 0) return fail(rloc, `expected a list of [dim, coefficient?] terms, got ${show(rank)}`)
    // Both `[[M]]` and a bare `[M]` are seen in the wild: a rank whose items are strings is one term.
    const terms: unknown[] = rank.every((item) => typeof item === 'string') ? [rank] : rank
    return terms.map((term, t) => {
      const tloc = at(rloc, t)
      if (!Array.isArray(term) || term.length < 1 || term.length > 2) {
        return fail(tloc, `expected [dim] or [dim, coefficient], got ${show(term)}`)
      }
      let dim: string | undefined
      let coefficient: string | null = null
      for (const item of term) {
        if (typeof item !== 'string') return fail(tloc, `expected names, got ${show(item)}`)
        if (dims.has(item) && dim === undefined) dim = item
        else if (coefficients.has(item) && coefficient === null) coefficient = item
        else return fail(tloc, `${show(item)} is neither a dimension nor a coefficient of the shape`)
      }
      if (dim === undefined) return fail(tloc, `term ${show(term)} names no dimension`)
      return { dim, coefficient }
    })
  })
}

/**
 * Parses Timeloop's `problem:` section.
 * @throws {SnipSnapError} INVALID_SPEC / UNSUPPORTED_FEATURE naming the file and YAML path.
 */
export const parseProblemSection = (value: unknown, loc: Loc): ProblemSpec => {
  const problem = new Fields(value, loc, 'a problem mapping')
  const shapeValue = problem.get('shape')
  if (typeof shapeValue === 'string') {
    return fail(problem.locOf('shape'), `built-in shape ${show(shapeValue)} is not supported; write the shape out`, 'UNSUPPORTED_FEATURE')
  }
  const shape = new Fields(shapeValue, problem.locOf('shape'), 'a shape mapping')
  const instance = new Fields(problem.get('instance'), problem.locOf('instance'), 'an instance mapping')
  problem.checkUnknown('problem')

  const name = shape.str('name') ?? 'problem'
  const dimensionsList = shape.list('dimensions') ?? fail(shape.locOf('dimensions'), 'is required')
  const dimensions: string[] = []
  for (const [index, dim] of dimensionsList.entries()) {
    if (typeof dim !== 'string' || !/^[A-Za-z]+$/.test(dim)) {
      fail(at(shape.locOf('dimensions'), index), `a dimension name must be letters, got ${show(dim)}`)
    }
    if (dimensions.includes(dim as string)) fail(at(shape.locOf('dimensions'), index), `dimension ${show(dim)} is listed twice`)
    dimensions.push(dim as string)
  }
  if (dimensions.length === 0) fail(shape.locOf('dimensions'), 'needs at least one dimension')

  const coefficientDefaults = new Map<string, number>()
  for (const [index, entry] of (shape.list('coefficients') ?? []).entries()) {
    const c = new Fields(entry, at(shape.locOf('coefficients'), index), 'a { name, default } coefficient')
    const cname = c.reqStr('name')
    if (dimensions.includes(cname)) fail(c.locOf('name'), `coefficient ${show(cname)} clashes with a dimension`)
    coefficientDefaults.set(cname, c.num('default') ?? 1)
    c.checkUnknown('coefficient')
  }

  const dimSet = new Set(dimensions)
  const coefSet = new Set(coefficientDefaults.keys())
  const dataSpaceList = shape.list('data_spaces') ?? fail(shape.locOf('data_spaces'), 'is required')
  const dataSpaces: DataSpaceSpec[] = dataSpaceList.map((entry, index) => {
    const d = new Fields(entry, at(shape.locOf(shape.which('data_spaces') ?? 'data-spaces'), index), 'a data space')
    const dsName = d.reqStr('name')
    const projection = parseProjection(d.get('projection'), d.locOf('projection'), dimSet, coefSet)
    const readWrite = d.bool('read_write') ?? false
    d.checkUnknown('data-space')
    return { name: dsName, projection, readWrite }
  })
  const names = new Set<string>()
  for (const ds of dataSpaces) {
    if (names.has(ds.name)) fail(shape.locOf('data_spaces'), `data space ${show(ds.name)} is listed twice`)
    names.add(ds.name)
  }
  shape.checkUnknown('shape')

  const bounds: Record<string, number> = {}
  for (const dim of dimensions) {
    const bound = instance.positive(dim)
    if (bound === undefined) return fail(instance.locOf(dim), `bound of dimension ${dim} is missing`)
    bounds[dim] = bound
  }
  const coefficients: Record<string, number> = {}
  for (const [cname, fallback] of coefficientDefaults) {
    const raw = instance.get(cname)
    coefficients[cname] = raw === undefined ? fallback : toNumber(raw, instance.locOf(cname))
  }
  const densities: Record<string, DensitySpec> = {}
  const densityValue = instance.get('densities')
  if (densityValue !== undefined && densityValue !== null) {
    const dens = new Fields(densityValue, instance.locOf('densities'))
    for (const key of Object.keys(dens.raw)) {
      if (!names.has(key)) fail(at(dens.loc, key), `no data space named ${show(key)}`)
      densities[key] = parseDensity(dens.raw[key], at(dens.loc, key))
    }
  }
  instance.checkUnknown('instance')
  return { name, dimensions, bounds, coefficients, dataSpaces, densities }
}

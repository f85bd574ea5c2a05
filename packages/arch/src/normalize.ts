// Written accelerator → resolved ArchSpec: zod validation, Timeloop's defaults (mesh from
// instances, technology from the class name, Accelergy paths from the fan-out structure), then
// the named rules. Returns issues as values; `parseArchSpec` throws them as one INVALID_SPEC.
import { type ArchSpec, type ComputeLevelSpec, err, invalidSpec, type Issue, ok, type Result, type StorageLevelSpec } from '@snipsnap/core'
import { ArchSpecInputSchema } from './schema'
import { validateArch } from './rules'

interface MeshInput {
  readonly instances?: number | undefined
  readonly meshX?: number | undefined
  readonly meshY?: number | undefined
}

/** Timeloop's ValidateTopology: instances and mesh from whichever of them were given. */
const resolveMesh = (m: MeshInput, path: (string | number)[], issues: Issue[]): { instances: number; meshX: number; meshY: number } => {
  const { meshX, meshY } = m
  const instances = m.instances ?? (meshX !== undefined && meshY !== undefined ? meshX * meshY : meshX ?? meshY ?? 1)
  if (meshX !== undefined && meshY !== undefined) return { instances, meshX, meshY }
  if (meshX !== undefined) {
    if (instances % meshX !== 0) issues.push({ code: 'mesh', path: [...path, 'meshX'], message: `meshX ${meshX} does not divide ${instances} instances` })
    return { instances, meshX, meshY: Math.max(1, Math.floor(instances / meshX)) }
  }
  if (meshY !== undefined) {
    if (instances % meshY !== 0) issues.push({ code: 'mesh', path: [...path, 'meshY'], message: `meshY ${meshY} does not divide ${instances} instances` })
    return { instances, meshX: Math.max(1, Math.floor(instances / meshY)), meshY }
  }
  return { instances, meshX: instances, meshY: 1 }
}

/** Accelergy-style paths `system.PE[0..15].Buffer`: a new subtree wherever the fan-out grows. */
const defaultPaths = (archName: string, instances: readonly number[], names: readonly string[]): string[] => {
  const segments = [archName]
  let previous = 1
  return names.map((name, i) => {
    const count = instances[i] ?? 1
    if (count > previous && count % previous === 0) {
      segments.push(`${name}_array[0..${count / previous - 1}]`)
      previous = count
    }
    return [...segments, name].join('.')
  })
}

/**
 * Validates a written accelerator and fills Timeloop's defaults.
 * @returns the resolved ArchSpec, or every issue found (`{ code, path, message }`).
 * @example
 * const result = normalizeArch({ storage: [{ name: 'DRAM', className: 'DRAM' }], compute: { name: 'MAC', instances: 16 } })
 */
export const normalizeArch = (input: unknown): Result<ArchSpec, readonly Issue[]> => {
  const parsed = ArchSpecInputSchema.safeParse(input)
  if (!parsed.success) {
    return err(parsed.error.issues.map((i) => ({ code: i.code, path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })))
  }
  const written = parsed.data
  const issues: Issue[] = []
  const meshes = [
    ...written.storage.map((level, i) => resolveMesh(level, ['storage', i], issues)),
    resolveMesh(written.compute, ['compute'], issues),
  ]
  const paths = defaultPaths(written.name, meshes.map((m) => m.instances), [...written.storage.map((l) => l.name), written.compute.name])
  const storage: StorageLevelSpec[] = written.storage.map((level, i) => {
    const mesh = meshes[i] ?? { instances: 1, meshX: 1, meshY: 1 }
    const { kind: _k, path, instances: _i, meshX: _x, meshY: _y, technology, subclassName, ...rest } = level
    const derived = level.className.includes('DRAM') || level.attributes.technology === 'DRAM' ? 'DRAM' : 'SRAM'
    if (technology !== undefined && technology !== derived) {
      issues.push({ code: 'technology', path: ['storage', i, 'technology'], message: `technology ${technology} contradicts class ${JSON.stringify(level.className)} (Timeloop derives ${derived})` })
    }
    return {
      kind: 'storage',
      ...rest,
      path: path ?? paths[i] ?? level.name,
      ...mesh,
      technology: derived,
      ...(subclassName === undefined ? {} : { subclassName }),
    }
  })
  const computeMesh = meshes[meshes.length - 1] ?? { instances: 1, meshX: 1, meshY: 1 }
  const { kind: _k, path, instances: _i, meshX: _x, meshY: _y, subclassName, ...computeRest } = written.compute
  const compute: ComputeLevelSpec = {
    kind: 'compute',
    ...computeRest,
    path: path ?? paths[paths.length - 1] ?? written.compute.name,
    ...computeMesh,
    ...(subclassName === undefined ? {} : { subclassName }),
  }
  const arch: ArchSpec = { name: written.name, storage, compute }
  issues.push(...validateArch(arch))
  return issues.length > 0 ? err(issues) : ok(arch)
}

/**
 * {@link normalizeArch} that throws.
 * @throws {SnipSnapError} INVALID_SPEC listing every issue.
 */
export const parseArchSpec = (input: unknown): ArchSpec => {
  const result = normalizeArch(input)
  if (!result.ok) throw invalidSpec(result.error)
  return result.value
}

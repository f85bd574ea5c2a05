// Hardware axes: the accelerator parameters a hardware search may vary (global-buffer and
// PE-buffer capacities, PE array shape, bandwidths, metadata storage, (de)compression support,
// access and word widths), their written form (each a list or a range with a step), and how a
// point of the grid turns a base accelerator into a new one. Also a peak-power bound used to
// reject designs before any evaluation. Roles: the global buffer is the first on-chip level
// below DRAM; the PE buffer is the innermost storage level.
import { z } from 'zod'
import { type ArchSpec, type AreaTableSpec, type EnergyTableSpec, type Issue, type Result, SnipSnapError, type StorageLevelSpec, err, ok, strictKeysError } from '@snipsnap/core'
import { normalizeArch } from './normalize'
import { componentName } from './area'

const numericAxis = (min: number) =>
  z.union([
    z.array(z.number().finite().min(min)).min(1),
    z.strictObject({ from: z.number().finite().min(min), to: z.number().finite().min(min), step: z.number().finite().positive() }),
    z.strictObject({ from: z.number().finite().positive(), to: z.number().finite().positive(), factor: z.number().finite().gt(1) }),
  ])

/** Support for compression at a level: none, decompression only, compression only, or both. */
export const COMPRESSION_SUPPORT = ['none', 'decompress', 'compress', 'both'] as const
export type CompressionSupport = (typeof COMPRESSION_SUPPORT)[number]

const hardwareAxesShape = {
  /** Global-buffer data capacity, KiB. */
  glbKiB: numericAxis(1).optional(),
  /** PE-buffer data capacity per PE, words. */
  peBufferWords: numericAxis(1).optional(),
  /** PE array shapes `XxY` (meshX × meshY), e.g. `8x16`. */
  peArray: z.array(z.string().regex(/^\d+x\d+$/, 'a PE array shape is written XxY, e.g. 8x16')).min(1).optional(),
  /** Read and write bandwidth of DRAM, words per cycle. */
  dramBandwidth: numericAxis(0.001).optional(),
  /** Read and write bandwidth of the global buffer, words per cycle. */
  glbBandwidth: numericAxis(0.001).optional(),
  /** Read and write bandwidth of each PE buffer, words per cycle. */
  peBufferBandwidth: numericAxis(0.001).optional(),
  /** Metadata storage entries of the global buffer (0 = none). */
  glbMetadataDepth: numericAxis(0).optional(),
  /** Metadata storage entries of each PE buffer (0 = none). */
  peBufferMetadataDepth: numericAxis(0).optional(),
  /** Whether the global buffer can compress / decompress. */
  glbCompression: z.array(z.enum(COMPRESSION_SUPPORT)).min(1).optional(),
  /** Whether each PE buffer can compress / decompress. */
  peBufferCompression: z.array(z.enum(COMPRESSION_SUPPORT)).min(1).optional(),
  /** Words per global-buffer access (its SRAM width = word bits × this). */
  glbBlockWords: numericAxis(1).optional(),
  /** Data word width of every level and the MACs, bits (changes the datapath precision). */
  wordBits: numericAxis(1).optional(),
}
/** Written hardware axes: each a list, `{ from, to, step }` or `{ from, to, factor }`; a misspelled axis is named. */
export const HardwareAxesInputSchema = z.strictObject(hardwareAxesShape, { error: strictKeysError(Object.keys(hardwareAxesShape)) })

/** Written hardware axes (see {@link HardwareAxesInputSchema}). */
export type HardwareAxesInput = z.input<typeof HardwareAxesInputSchema>
/** Axis names, in the order points are keyed and reported. */
export const HARDWARE_AXIS_NAMES = Object.keys(HardwareAxesInputSchema.shape) as readonly (keyof HardwareAxesInput)[]
export type HardwareAxisName = keyof HardwareAxesInput

/** An axis expanded to its ordered values. */
export interface HardwareAxis {
  readonly name: HardwareAxisName
  readonly values: readonly (number | string)[]
}

/** One value per axis. */
export type HardwarePoint = Readonly<Partial<Record<HardwareAxisName, number | string>>>

const MAX_AXIS_VALUES = 64

const expandNumeric = (name: string, written: z.infer<ReturnType<typeof numericAxis>>): number[] => {
  if (Array.isArray(written)) return [...new Set(written)].sort((a, b) => a - b)
  const { from, to } = written
  if (to < from) throw new SnipSnapError('INVALID_SPEC', `axis ${name}: range goes from ${from} down to ${to}`, { path: ['axes', name, 'to'] })
  const values: number[] = []
  for (let v = from, i = 0; v <= to * (1 + 1e-12); i++) {
    values.push(Number(v.toPrecision(12)))
    if (values.length > MAX_AXIS_VALUES) throw new SnipSnapError('INVALID_SPEC', `axis ${name}: more than ${MAX_AXIS_VALUES} values; use a larger step`, { path: ['axes', name] })
    v = 'step' in written ? from + (i + 1) * written.step : v * written.factor
  }
  return values
}

/**
 * Validates written axes and expands lists and ranges into ordered values.
 * @throws {SnipSnapError} INVALID_SPEC naming the axis (unknown axis, bad range, too many values).
 * @example expandHardwareAxes({ glbKiB: { from: 128, to: 1024, factor: 2 }, peArray: ['8x8', '8x16'] })
 */
export const expandHardwareAxes = (input: unknown): HardwareAxis[] => {
  const parsed = HardwareAxesInputSchema.safeParse(input)
  if (!parsed.success) {
    const issues: Issue[] = parsed.error.issues.map((i) => ({ code: i.code, path: ['axes', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message }))
    throw new SnipSnapError('INVALID_SPEC', `invalid hardware axes: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { issues })
  }
  const axes: HardwareAxis[] = []
  for (const name of HARDWARE_AXIS_NAMES) {
    const written = parsed.data[name]
    if (written === undefined) continue
    if (name === 'peArray' || name === 'glbCompression' || name === 'peBufferCompression') axes.push({ name, values: [...new Set(written as readonly string[])] })
    else axes.push({ name, values: expandNumeric(name, written as z.infer<ReturnType<typeof numericAxis>>) })
  }
  return axes
}

/**
 * Parses one axis as written on a command line: `a,b,c` (a list), `from:to:step` or
 * `from:to:xfactor` (a range), into the written form of {@link HardwareAxesInputSchema}.
 * @example parseHardwareAxisText('glbKiB', '128:1024:x2') // { from: 128, to: 1024, factor: 2 }
 */
export const parseHardwareAxisText = (name: HardwareAxisName, text: string): unknown => {
  if (name === 'peArray' || name === 'glbCompression' || name === 'peBufferCompression') return text.split(',').map((s) => s.trim())
  const range = /^\s*([\d.]+)\s*:\s*([\d.]+)\s*:\s*(x?)([\d.]+)\s*$/.exec(text)
  if (range !== null) {
    const [, from, to, x, step] = range
    return x === 'x' ? { from: Number(from), to: Number(to), factor: Number(step) } : { from: Number(from), to: Number(to), step: Number(step) }
  }
  return text.split(',').map((s) => {
    const v = Number(s.trim())
    if (s.trim() === '' || !Number.isFinite(v)) throw new SnipSnapError('INVALID_SPEC', `axis ${name}: "${s}" is not a number (write a,b,c or from:to:step or from:to:xfactor)`, { path: ['axes', name] })
    return v
  })
}

interface Roles {
  readonly glb: number
  readonly peBuffer: number
}

const rolesOf = (arch: ArchSpec): Roles => {
  const glb = arch.storage.findIndex((l) => l.technology !== 'DRAM')
  return { glb, peBuffer: arch.storage.length - 1 }
}

const compressionOf = (l: StorageLevelSpec): CompressionSupport =>
  l.compressionSupported ? (l.decompressionSupported ? 'both' : 'compress') : l.decompressionSupported ? 'decompress' : 'none'

/**
 * The base accelerator's own value on every axis (so a search can start from it).
 * @example hardwarePointOf(getArchPreset('llm-default').arch).glbKiB // 512
 */
export const hardwarePointOf = (arch: ArchSpec): Required<HardwarePoint> => {
  const { glb, peBuffer } = rolesOf(arch)
  const g = arch.storage[glb]
  const p = arch.storage[peBuffer]
  const dram = arch.storage.find((l) => l.technology === 'DRAM')
  if (g === undefined || p === undefined || glb === peBuffer) {
    throw new SnipSnapError('INVALID_SPEC', `hardware axes need a global buffer and a distinct PE buffer below DRAM; ${arch.name} has storage ${arch.storage.map((l) => l.name).join(', ')}`, { path: ['arch', 'storage'] })
  }
  return {
    glbKiB: ((g.capacityWords ?? 0) * g.wordBits) / 8192,
    peBufferWords: p.capacityWords ?? 0,
    peArray: `${p.meshX}x${p.meshY}`,
    dramBandwidth: dram?.readBandwidthWordsPerCycle ?? 0,
    glbBandwidth: g.readBandwidthWordsPerCycle ?? 0,
    peBufferBandwidth: p.readBandwidthWordsPerCycle ?? 0,
    glbMetadataDepth: g.metadataStorageDepth ?? 0,
    peBufferMetadataDepth: p.metadataStorageDepth ?? 0,
    glbCompression: compressionOf(g),
    peBufferCompression: compressionOf(p),
    glbBlockWords: g.blockSize,
    wordBits: arch.compute.wordBits,
  }
}

const withCompression = (l: StorageLevelSpec, c: CompressionSupport): StorageLevelSpec => ({
  ...l,
  compressionSupported: c === 'compress' || c === 'both',
  decompressionSupported: c === 'decompress' || c === 'both',
})

/** `system.PE[0..127].Buffer` with a fan-out of 128 → 256: `system.PE[0..255].Buffer`. */
const rewriteRange = (path: string, oldFan: number, newFan: number): string => {
  const needle = `[0..${oldFan - 1}]`
  const at = path.lastIndexOf(needle)
  return at < 0 ? path : `${path.slice(0, at)}[0..${newFan - 1}]${path.slice(at + needle.length)}`
}

/**
 * The accelerator at a grid point: `base` with the point's values applied (values equal to the
 * base's change nothing), normalised and checked by the arch rules.
 * @returns the new ArchSpec, or the issues that make the point infeasible.
 * @example applyHardwarePoint(arch, { glbKiB: 256, peArray: '16x16' })
 */
export const applyHardwarePoint = (base: ArchSpec, point: HardwarePoint): Result<ArchSpec, readonly Issue[]> => {
  const { glb, peBuffer } = rolesOf(base)
  const basePoint = hardwarePointOf(base)
  const storage = [...base.storage]
  let compute = base.compute
  const set = (i: number, f: (l: StorageLevelSpec) => StorageLevelSpec): void => {
    const l = storage[i]
    if (l !== undefined) storage[i] = f(l)
  }
  const wordBits = Number(point.wordBits ?? basePoint.wordBits)
  if (wordBits !== basePoint.wordBits) {
    for (let i = 0; i < storage.length; i++) set(i, (l) => ({ ...l, wordBits }))
    compute = { ...compute, wordBits }
  }
  const blockWords = Number(point.glbBlockWords ?? basePoint.glbBlockWords)
  set(glb, (l) => ({ ...l, blockSize: blockWords }))
  const kib = Number(point.glbKiB ?? basePoint.glbKiB)
  set(glb, (l) => {
    const words = Math.floor((kib * 8192) / l.wordBits / l.blockSize) * l.blockSize
    return { ...l, capacityWords: words }
  })
  if (point.peBufferWords !== undefined) set(peBuffer, (l) => ({ ...l, capacityWords: Number(point.peBufferWords) }))
  const bandwidth = (i: number, v: number | string | undefined): void => {
    if (v !== undefined) set(i, (l) => ({ ...l, readBandwidthWordsPerCycle: Number(v), writeBandwidthWordsPerCycle: Number(v) }))
  }
  const dram = storage.findIndex((l) => l.technology === 'DRAM')
  if (dram >= 0) bandwidth(dram, point.dramBandwidth)
  bandwidth(glb, point.glbBandwidth)
  bandwidth(peBuffer, point.peBufferBandwidth)
  if (point.glbMetadataDepth !== undefined) set(glb, (l) => ({ ...l, metadataStorageDepth: Number(point.glbMetadataDepth) }))
  if (point.peBufferMetadataDepth !== undefined) set(peBuffer, (l) => ({ ...l, metadataStorageDepth: Number(point.peBufferMetadataDepth) }))
  if (point.glbCompression !== undefined) set(glb, (l) => withCompression(l, point.glbCompression as CompressionSupport))
  if (point.peBufferCompression !== undefined) set(peBuffer, (l) => withCompression(l, point.peBufferCompression as CompressionSupport))
  if (point.peArray !== undefined && point.peArray !== basePoint.peArray) {
    const [x, y] = String(point.peArray).split('x').map(Number) as [number, number]
    const oldPEs = base.storage[peBuffer]?.instances ?? 1
    const parentInstances = base.storage[glb]?.instances ?? 1
    const reshape = <T extends { instances: number; meshX: number; meshY: number; path: string }>(l: T): T =>
      l.instances === oldPEs ? { ...l, instances: x * y, meshX: x, meshY: y, path: rewriteRange(l.path, oldPEs / parentInstances, (x * y) / parentInstances) } : l
    for (let i = glb + 1; i < storage.length; i++) set(i, reshape)
    compute = reshape(compute)
  }
  const result = normalizeArch({ ...base, storage, compute })
  return result.ok ? ok(result.value) : err(result.error)
}

/** Axis values of `point` that differ from the base's own. */
export const hardwareDiff = (base: ArchSpec, point: HardwarePoint): HardwarePoint => {
  const own = hardwarePointOf(base)
  return Object.fromEntries(HARDWARE_AXIS_NAMES.filter((n) => point[n] !== undefined && point[n] !== own[n]).map((n) => [n, point[n]])) as HardwarePoint
}

/**
 * Upper bound of the power an accelerator can draw, mW at `clockGHz`: every level moving its
 * full read + write bandwidth each cycle at its vector read/write energy (one vector access each
 * way per cycle when the bandwidth is unlimited), plus every MAC switching. Cheap, so a search can
 * reject designs over a power cap before evaluating them.
 */
export const peakPowerMW = (options: { readonly arch: ArchSpec; readonly energyTable: EnergyTableSpec; readonly clockGHz: number }): number => {
  const { arch, energyTable, clockGHz } = options
  const energyOf = (name: string, action: string): number =>
    energyTable.entries.find((e) => componentName(e.name) === name)?.actions.find((a) => a.name === action)?.energyPJ ?? 0
  let pJPerCycle = 0
  for (const l of arch.storage) {
    const vectors = (bw: number | null) => (bw === null ? 1 : bw / l.blockSize)
    pJPerCycle += l.instances * (vectors(l.readBandwidthWordsPerCycle) * energyOf(l.name, 'read') + vectors(l.writeBandwidthWordsPerCycle) * energyOf(l.name, 'write'))
  }
  pJPerCycle += arch.compute.instances * energyOf(arch.compute.name, 'mac_random')
  return pJPerCycle * clockGHz
}

/** Area sum of an ART over an accelerator, µm² (ART per instance × instances). */
export const totalAreaUM2 = (arch: ArchSpec, areaTable: AreaTableSpec): number =>
  [...arch.storage, arch.compute].reduce((s, l) => s + (areaTable.entries.find((e) => componentName(e.name) === l.name)?.areaUM2 ?? 0) * l.instances, 0)

// The written (input) form of an accelerator: zod schemas at the edge. Every field with a
// Timeloop default is optional here; `normalizeArch` fills the defaults and returns the resolved
// `ArchSpec` of @snipsnap/core (changesets' WrittenConfig → Config split, house-style §7).
import { strictKeysError } from '@snipsnap/core'
import { z } from 'zod'

const count = z.number().int().nonnegative()
const positive = z.number().int().positive()
const rate = z.number().finite().nonnegative()

const storageLevelShape = {
  /** Accepted so a resolved StorageLevelSpec is also a valid written level. */
  kind: z.literal('storage').optional(),
  name: z.string().min(1),
  className: z.string().min(1).default('storage'),
  /** Accelergy path; generated from the fan-out structure when absent. */
  path: z.string().min(1).optional(),
  instances: positive.optional(),
  meshX: positive.optional(),
  meshY: positive.optional(),
  wordBits: positive.default(16),
  blockSize: positive.default(1),
  clusterSize: positive.default(1),
  capacityWords: count.nullable().default(null),
  metadataStorageWidthBits: count.nullable().default(0),
  metadataStorageDepth: count.nullable().default(null),
  metadataWordBits: count.nullable().default(0),
  metadataBlockSize: positive.nullable().default(1),
  readBandwidthWordsPerCycle: rate.nullable().default(null),
  writeBandwidthWordsPerCycle: rate.nullable().default(null),
  sharedBandwidthWordsPerCycle: rate.nullable().default(null),
  multipleBuffering: z.number().finite().positive().default(1),
  minUtilization: z.number().min(0).max(1).default(0),
  numPorts: z.union([z.literal(1), z.literal(2)]).default(2),
  // Absent = undeclared: Timeloop assumes 2, Accelergy (and the table estimator) 1.
  numBanks: positive.optional(),
  allowOverbooking: z.boolean().default(false),
  compressionSupported: z.boolean().default(false),
  decompressionSupported: z.boolean().default(false),
  vectorAccessEnergyPJ: rate.nullable().default(null),
  addrGenEnergyPJ: rate.nullable().default(null),
  attributes: z.record(z.string(), z.unknown()).default({}),
  technology: z.enum(['DRAM', 'SRAM']).optional(),
  subclassName: z.string().min(1).optional(),
}
/** One storage level as written: name and class required, everything else defaulted. */
export const StorageLevelInputSchema = z.strictObject(storageLevelShape, { error: strictKeysError(Object.keys(storageLevelShape)) })

const computeLevelShape = {
  kind: z.literal('compute').optional(),
  name: z.string().min(1),
  className: z.string().min(1).default('compute'),
  path: z.string().min(1).optional(),
  instances: positive.optional(),
  meshX: positive.optional(),
  meshY: positive.optional(),
  wordBits: positive.default(16),
  attributes: z.record(z.string(), z.unknown()).default({}),
  subclassName: z.string().min(1).optional(),
}
/** The compute (MAC) level as written. */
export const ComputeLevelInputSchema = z.strictObject(computeLevelShape, { error: strictKeysError(Object.keys(computeLevelShape)) })

const archShape = {
  name: z.string().min(1).default('system'),
  storage: z.array(StorageLevelInputSchema).min(1),
  compute: ComputeLevelInputSchema,
}
/** A whole accelerator as written: storage outermost first, then the compute level. */
export const ArchSpecInputSchema = z.strictObject(archShape, { error: strictKeysError(Object.keys(archShape)) })

/** Written form of one storage level (before defaults). */
export type StorageLevelInput = z.input<typeof StorageLevelInputSchema>
/** Written form of the compute level (before defaults). */
export type ComputeLevelInput = z.input<typeof ComputeLevelInputSchema>
/** Written form of an accelerator (before defaults). */
export type ArchSpecInput = z.input<typeof ArchSpecInputSchema>

// The built-in primitives and an explicit registry holding them (no globals: each caller creates
// its own and may register user-defined primitives next to the built-ins).
import { createRegistry, type FormatPrimitive, type Registry } from '@snipsnap/core'
import { bitmask } from './primitives/bitmask'
import { coordinatePayload } from './primitives/coordinate-payload'
import { nOfM } from './primitives/nm'
import { runLength } from './primitives/run-length'
import { uncompressed, uncompressedBitmask, uncompressedOffsetPairs } from './primitives/uncompressed'

/** The built-in primitives, in registration order: U, UOP, CP, B, RLE, UB, NM. */
export const BUILTIN_PRIMITIVES: readonly FormatPrimitive[] = [
  uncompressed,
  uncompressedOffsetPairs,
  coordinatePayload,
  bitmask,
  runLength,
  uncompressedBitmask,
  nOfM,
]

/**
 * Creates a registry of format primitives holding the built-ins (plus `extra`).
 * @throws {SnipSnapError} PLUGIN_DUPLICATE when an extra primitive reuses an id.
 * @example const registry = createFormatRegistry([myPrimitive])
 */
export const createFormatRegistry = (extra: readonly FormatPrimitive[] = []): Registry<FormatPrimitive> =>
  createRegistry<FormatPrimitive>('format-primitive', [...BUILTIN_PRIMITIVES, ...extra])

// Conformance suite and arbitraries for format primitives (house style §6, unstorage's testDriver):
// every built-in and every user-defined primitive runs the same checks. Requires vitest and
// fast-check (optional peer dependencies).
import { createRng, shuffled, type RankWordBits, type FiberSink, type FiberStats, type FormatPrimitive, type PrimitiveOptions, type Rng, type SparseFiber } from '@snipsnap/core'
import fc from 'fast-check'
import { defaultDimNames } from './bind'
import type { CompPat, RankPart } from './comp-pat'
import { BUILTIN_PRIMITIVES } from './registry'
import { describe, expect, it } from 'vitest'

/**
 * Arbitrary tensor shape: 1..maxOrder dimensions of 1..maxDim each.
 * @example fc.sample(arbShape({ maxOrder: 2, maxDim: 8 }), 1)
 */
export const arbShape = (options: { readonly maxOrder?: number; readonly maxDim?: number } = {}): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: options.maxDim ?? 12 }), { minLength: 1, maxLength: options.maxOrder ?? 3 })

/** Arbitrary density in [0, 1] with the endpoints (empty and full) drawn often. */
export const arbDensity = (): fc.Arbitrary<number> =>
  fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }))

/** Sorted distinct coordinates of a fiber of `size`, each kept with probability `density`. */
export const sampleFiber = (rng: Rng, size: number, density: number): SparseFiber => {
  const coords: number[] = []
  for (let c = 0; c < size; c++) if (rng.next() < density) coords.push(c)
  return { size, coords }
}

/**
 * A fiber sampler for N:M primitives (`describeFormatConformance`'s `sample`): {@link sampleFiber}'s
 * fibers with only the first `n` non-zeros of every group of `m` coordinates kept.
 * @example describeFormatConformance(nOfM, { options: { n: 2, m: 4 }, sample: nmFiberSampler(2, 4) })
 */
export const nmFiberSampler =
  (n: number, m: number) =>
  (rng: Rng, size: number, density: number): SparseFiber => {
    const raw = sampleFiber(rng, size, density)
    const perGroup = new Map<number, number>()
    const coords = Array.from(raw.coords).filter((c) => {
      const g = Math.floor(c / m)
      const taken = perGroup.get(g) ?? 0
      perGroup.set(g, taken + 1)
      return taken < n
    })
    return { size, coords }
  }

/**
 * Arbitrary sparse fiber: a size (fixed, or 1..maxSize) and a random subset of coordinates, with
 * density drawn from [0, 1] unless given.
 * @example fc.sample(arbSparseFiber({ size: 16, density: 0.25 }), 3)
 */
export const arbSparseFiber = (
  options: { readonly size?: number; readonly maxSize?: number; readonly density?: number } = {},
): fc.Arbitrary<SparseFiber> =>
  fc
    .record({
      size: options.size === undefined ? fc.integer({ min: 1, max: options.maxSize ?? 64 }) : fc.constant(options.size),
      density: options.density === undefined ? arbDensity() : fc.constant(options.density),
      seed: fc.integer(),
    })
    .map(({ size, density, seed }) => sampleFiber(createRng(seed), size, density))

/**
 * Arbitrary dense tensor (Float32Array data, row-major) of a shape from {@link arbShape}, with values
 * non-zero at a random density.
 */
export const arbDenseTensor = (
  options: { readonly maxOrder?: number; readonly maxDim?: number; readonly density?: number } = {},
): fc.Arbitrary<{ shape: number[]; data: Float32Array }> =>
  fc
    .record({
      shape: arbShape(options),
      density: options.density === undefined ? arbDensity() : fc.constant(options.density),
      seed: fc.integer(),
    })
    .map(({ shape, density, seed }) => {
      const rng = createRng(seed)
      const size = shape.reduce((a, b) => a * b, 1)
      const data = new Float32Array(size)
      for (let i = 0; i < size; i++) if (rng.next() < density) data[i] = Math.fround(rng.next() * 2 - 1) || 0.5
      return { shape, data }
    })

const wordBitsOf = (
  primitive: FormatPrimitive,
  fiberSize: number,
  options: PrimitiveOptions,
  override: Partial<RankWordBits>,
): RankWordBits => ({ ...primitive.defaultWordBits({ fiberSize, maxOffset: fiberSize, options }), ...override })

const randomFactorization = (rng: Rng, size: number, maxParts: number): number[] => {
  // Peel random divisors ≥ 2 off the size; keeps the outer→inner order random as well.
  const parts: number[] = []
  let rest = size
  while (parts.length < maxParts - 1 && rest > 1 && rng.next() < 0.6) {
    const divisors: number[] = []
    for (let d = 2; d < rest; d++) if (rest % d === 0) divisors.push(d)
    if (divisors.length === 0) break
    const d = divisors[rng.int(divisors.length)] as number
    parts.push(d)
    rest /= d
  }
  parts.push(rest)
  return parts
}

/**
 * Arbitrary compression pattern for a shape: a random dimension allocation (random ordered splits,
 * random placement and flattening on up to `maxRanks` ranks) and random primitives, kept decodable
 * (a CP/RLE rank gets a parent that stores offsets). Primitives needing parameters are skipped.
 */
export const arbCompPat = (options: {
  readonly shape: readonly number[]
  readonly maxRanks?: number
  readonly primitives?: readonly FormatPrimitive[]
}): fc.Arbitrary<CompPat> => {
  const primitives = (options.primitives ?? BUILTIN_PRIMITIVES).filter((p) =>
    Object.values(p.parameters ?? {}).every((spec) => spec.default !== undefined),
  )
  const maxRanks = options.maxRanks ?? 4
  const names = defaultDimNames(options.shape.length)
  return fc.integer().map((seed) => {
    const rng = createRng(seed)
    const n = 1 + rng.int(maxRanks)
    const ranks: RankPart[][] = Array.from({ length: n }, () => [])
    options.shape.forEach((size, d) => {
      const split = randomFactorization(rng, size, n)
      // Increasing distinct rank positions for the parts, outer first.
      const positions = shuffled(Array.from({ length: n }, (_, i) => i), rng)
        .slice(0, split.length)
        .sort((a, b) => a - b)
      split.forEach((part, j) => {
        const dim = names[d] as string
        ;(ranks[positions[j] as number] as RankPart[]).push(split.length === 1 ? { dim } : { dim, size: part })
      })
    })
    const used = ranks.filter((parts) => parts.length > 0)
    let parent: FormatPrimitive | undefined
    return {
      ranks: used.map((parts) => {
        const allowed = primitives.filter((p) => !(parent !== undefined && p.delimited === 'by-parent' && parent.payload === 'none'))
        const primitive = allowed[rng.int(allowed.length)] as FormatPrimitive
        parent = primitive
        // Narrow run widths half of the time, so RLE padding entries get exercised too.
        if (primitive.id === 'rle' && rng.next() < 0.5) return { primitive: primitive.symbol, parts, options: { mb: 1 + rng.int(3) } }
        return { primitive: primitive.symbol, parts }
      }),
    }
  })
}

/** A fiber encoded in isolation: its metadata words and slots. */
export interface IsolatedEncoding {
  readonly metadata: number[]
  readonly slots: number[]
}

/**
 * Encodes one fiber with a primitive outside any format (for conformance checks and debugging).
 * Returns a reason string when the primitive refuses the fiber.
 */
export const encodeFiber = (
  primitive: FormatPrimitive,
  fiber: SparseFiber,
  options: PrimitiveOptions = {},
  wordBitsOverride: Partial<RankWordBits> = {},
): IsolatedEncoding | string => {
  const wordBits = wordBitsOf(primitive, fiber.size, options, wordBitsOverride)
  const metadata: number[] = []
  const slots: number[] = []
  const sink: FiberSink = { metadata: (w) => metadata.push(w), slot: (c) => slots.push(c) }
  const reason = primitive.encode(fiber, { fiberSize: fiber.size, wordBits, options }, sink)
  return reason ?? { metadata, slots }
}

/** Decodes words written by {@link encodeFiber} back to slots. */
export const decodeFiber = (
  primitive: FormatPrimitive,
  encoded: IsolatedEncoding,
  fiberSize: number,
  options: PrimitiveOptions = {},
  wordBitsOverride: Partial<RankWordBits> = {},
): number[] | string => {
  const wordBits = wordBitsOf(primitive, fiberSize, options, wordBitsOverride)
  let at = 0
  const slots: number[] = []
  const reason = primitive.decode(
    {
      readMetadata: () => (at < encoded.metadata.length ? (encoded.metadata[at++] as number) : Number.NaN),
      wordCount: primitive.delimited === 'by-parent' ? encoded.metadata.length : undefined,
    },
    { fiberSize, wordBits, options },
    { slot: (c) => slots.push(c) },
  )
  if (reason !== undefined) return reason
  if (at !== encoded.metadata.length) return `decoder read ${at} of ${encoded.metadata.length} words`
  return slots
}

/** Stats of a single fiber for the analytic units. */
const singleFiberStats = (
  primitive: FormatPrimitive,
  size: number,
  occupied: number,
  options: PrimitiveOptions,
  override: Partial<RankWordBits>,
): FiberStats => ({
  fiberSize: size,
  fibers: 1,
  maxFibers: 1,
  occupiedCoords: occupied,
  childEmptyProbability: 1 - occupied / size,
  wordBits: wordBitsOf(primitive, size, options, override),
  options,
})

/** Options of {@link describeFormatConformance}. */
export interface FormatConformanceOptions {
  /** Primitive options (e.g. `{ n: 2, m: 4 }`); defaults filled from the primitive's parameters. */
  readonly options?: PrimitiveOptions
  /** Fiber sizes to test; default 1..64 (filtered by `checkFiberSize`). */
  readonly fiberSizes?: readonly number[]
  /** Random fibers the primitive can represent; default {@link sampleFiber}. */
  readonly sample?: (rng: Rng, size: number, density: number) => SparseFiber
  /** Word widths to test instead of the defaults (e.g. `{ metadataBits: 2 }` to make RLE pad). */
  readonly wordBits?: Partial<RankWordBits>
  /** Relative tolerance of the mean-size check for primitives without exact units; default 0.02. */
  readonly tolerance?: number
}

/**
 * Registers the conformance suite of a format primitive with vitest: round trip on random fibers,
 * units finite and ≥ 0, units monotone in the number of non-zeros, and analytic units equal to the
 * encoded size (exactly when `exactUnits`, else within `tolerance` of the mean over random fibers).
 * @example describeFormatConformance(myPrimitive, { options: { n: 2, m: 4 } })
 */
export const describeFormatConformance = (primitive: FormatPrimitive, config: FormatConformanceOptions = {}): void => {
  const options: PrimitiveOptions = {
    ...Object.fromEntries(
      Object.entries(primitive.parameters ?? {}).flatMap(([key, spec]) => (spec.default === undefined ? [] : [[key, spec.default]])),
    ),
    ...config.options,
  }
  const sizes = (config.fiberSizes ?? Array.from({ length: 64 }, (_, i) => i + 1)).filter(
    (size) => primitive.checkFiberSize?.(size, options) === undefined,
  )
  const sample = config.sample ?? sampleFiber
  const tolerance = config.tolerance ?? 0.02
  const widths = config.wordBits ?? {}
  const label = Object.keys(widths).length === 0 ? '' : ` with ${JSON.stringify(widths)}`
  const arbCase = fc.record({
    size: fc.constantFrom(...sizes),
    density: arbDensity(),
    seed: fc.integer(),
  })

  describe(`format primitive ${primitive.symbol} (${primitive.id}) conformance${label}`, () => {
    it('declares a usable identity and at least one valid fiber size', () => {
      expect(primitive.id).toMatch(/^[a-z0-9]+(?:[-:.][a-z0-9]+)*$/)
      expect(primitive.symbol).toMatch(/^[A-Z][A-Za-z0-9]*$/)
      expect(sizes.length).toBeGreaterThan(0)
    })

    it('round-trips random fibers: decode(encode(f)) gives the same slots, covering every non-zero', () => {
      fc.assert(
        fc.property(arbCase, ({ size, density, seed }) => {
          const fiber = sample(createRng(seed), size, density)
          const encoded = encodeFiber(primitive, fiber, options, widths)
          if (typeof encoded === 'string') throw new Error(`encode refused a sampled fiber: ${encoded}`)
          const decoded = decodeFiber(primitive, encoded, size, options, widths)
          expect(decoded).toEqual(encoded.slots)
          const slots = new Set(encoded.slots)
          for (const c of Array.from(fiber.coords)) expect(slots.has(c)).toBe(true)
          for (let i = 1; i < encoded.slots.length; i++) expect(encoded.slots[i]).toBeGreaterThan(encoded.slots[i - 1] as number)
          expect(encoded.metadata.length).toBeLessThanOrEqual(size)
          const { metadataBits } = wordBitsOf(primitive, size, options, widths)
          for (const word of encoded.metadata) expect(word < 2 ** metadataBits && word >= 0).toBe(true)
        }),
      )
    })

    it('gives finite, non-negative units for any statistics', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...sizes),
          fc.double({ min: 0, max: 1e6, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (size, fibers, fraction) => {
            const stats: FiberStats = {
              ...singleFiberStats(primitive, size, fibers * size * fraction, options, widths),
              fibers,
              maxFibers: Math.max(1, fibers),
              childEmptyProbability: 1 - fraction,
            }
            for (const value of [primitive.metadataUnits(stats), primitive.slotUnits(stats)]) {
              expect(Number.isFinite(value)).toBe(true)
              expect(value).toBeGreaterThanOrEqual(0)
            }
          },
        ),
      )
    })

    it('gives units monotone in the number of non-zeros', () => {
      fc.assert(
        fc.property(fc.constantFrom(...sizes), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (size, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a]
          const low = singleFiberStats(primitive, size, lo * size, options, widths)
          const high = singleFiberStats(primitive, size, hi * size, options, widths)
          const total = (s: FiberStats) => primitive.metadataUnits(s) + primitive.slotUnits(s)
          expect(total(high)).toBeGreaterThanOrEqual(total(low) - 1e-9)
        }),
      )
    })

    if (primitive.exactUnits) {
      it('gives analytic units equal to the encoded size of every random fiber', () => {
        fc.assert(
          fc.property(arbCase, ({ size, density, seed }) => {
            const fiber = sample(createRng(seed), size, density)
            const encoded = encodeFiber(primitive, fiber, options, widths)
            if (typeof encoded === 'string') throw new Error(encoded)
            const stats = singleFiberStats(primitive, size, fiber.coords.length, options, widths)
            expect(primitive.metadataUnits(stats)).toBeCloseTo(encoded.metadata.length, 9)
            expect(primitive.slotUnits(stats)).toBeCloseTo(encoded.slots.length, 9)
          }),
        )
      })
    }

    it(`gives analytic units within ${tolerance * 100}% of the mean encoded size over random fibers`, () => {
      const rng = createRng(20_260_101)
      const size = sizes[sizes.length - 1] as number
      for (const density of [0.05, 0.3, 0.7]) {
        let metadata = 0
        let slots = 0
        const samples = 2000
        for (let i = 0; i < samples; i++) {
          const encoded = encodeFiber(primitive, sample(rng, size, density), options, widths)
          if (typeof encoded === 'string') throw new Error(encoded)
          metadata += encoded.metadata.length
          slots += encoded.slots.length
        }
        const stats: FiberStats = { ...singleFiberStats(primitive, size, size * density, options, widths), childEmptyProbability: 1 - density }
        const close = (analytic: number, mean: number) =>
          expect(Math.abs(analytic - mean)).toBeLessThanOrEqual(tolerance * Math.max(mean, 1) + 0.05)
        close(primitive.metadataUnits(stats), metadata / samples)
        close(primitive.slotUnits(stats), slots / samples)
      }
    })
  })
}

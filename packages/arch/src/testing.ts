// Arbitraries for property tests, exported as `@snipsnap/arch/testing`: random valid
// accelerators (nested meshes, DRAM on top, sized buffers) built through `parseArchSpec`.
import fc from 'fast-check'
import type { ArchSpec } from '@snipsnap/core'
import { parseArchSpec } from './normalize'
import type { ArchSpecInput, StorageLevelInput } from './schema'

const optionalRate = fc.option(fc.constantFrom(0.5, 1, 2, 4, 16, 32), { nil: null })

/**
 * Random valid ArchSpecs: 1–4 storage levels (the outermost a DRAM), fan-outs of 1, 2 or 4 on X
 * and Y between levels, 8/16-bit words, blocks of 1–8 words, optional bandwidths and metadata.
 * @example test.prop([arbArchSpec()])('…', (arch) => …)
 */
export const arbArchSpec = (): fc.Arbitrary<ArchSpec> =>
  fc
    .record({
      levels: fc.array(
        fc.record({
          fx: fc.constantFrom(1, 2, 4),
          fy: fc.constantFrom(1, 2),
          wordBits: fc.constantFrom(8, 16),
          blockSize: fc.constantFrom(1, 2, 4, 8),
          depth: fc.integer({ min: 1, max: 4096 }),
          extraWords: fc.integer({ min: 0, max: 1 }),
          read: optionalRate,
          write: optionalRate,
          mdWidth: fc.constantFrom(0, 8, 16, 64),
          mdDepth: fc.option(fc.integer({ min: 0, max: 8192 }), { nil: null }),
          banks: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
          compress: fc.boolean(),
          subclass: fc.option(fc.constantFrom('SRAM_MD', 'regfile'), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      macFx: fc.constantFrom(1, 2, 4, 8),
      macFy: fc.constantFrom(1, 2, 4),
      macBits: fc.constantFrom(8, 16),
    })
    .map(({ levels, macFx, macFy, macBits }): ArchSpec => {
      let meshX = 1
      let meshY = 1
      const storage: StorageLevelInput[] = levels.map((level, index) => {
        if (index > 0) {
          meshX *= level.fx
          meshY *= level.fy
        }
        const dram = index === 0
        return {
          name: dram ? 'DRAM' : `L${index}`,
          className: dram ? 'DRAM' : 'storage',
          meshX,
          meshY,
          instances: meshX * meshY,
          wordBits: level.wordBits,
          blockSize: level.blockSize,
          // `entries` (a capacity that is not a whole number of blocks) is exercised too.
          capacityWords: dram ? null : level.depth * level.blockSize + (level.blockSize > 1 ? level.extraWords : 0),
          metadataStorageWidthBits: level.mdWidth,
          metadataStorageDepth: level.mdDepth,
          metadataWordBits: level.mdWidth === 0 ? 0 : 4,
          readBandwidthWordsPerCycle: level.read,
          writeBandwidthWordsPerCycle: level.write,
          ...(level.banks === undefined ? {} : { numBanks: level.banks }),
          compressionSupported: level.compress,
          decompressionSupported: level.compress,
          attributes: { technology: '45nm' },
          ...(level.subclass === undefined || dram ? {} : { subclassName: level.subclass }),
        }
      })
      const input: ArchSpecInput = {
        name: 'system',
        storage,
        compute: { name: 'MAC', meshX: meshX * macFx, meshY: meshY * macFy, instances: meshX * macFx * meshY * macFy, wordBits: macBits },
      }
      return parseArchSpec(input)
    })

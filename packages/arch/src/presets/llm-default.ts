// Generic LLM accelerator preset, the default of later SnipSnap work: HBM2 DRAM → a 512 KiB
// global buffer with metadata storage and (de)compression → 128 PEs (8 × 16) each with a
// 1024-word buffer → 128 16-bit MACs.
// Source of the numbers: the per-action energies of the Sparseloop MICRO'22 artifact's Fig.13
// DSTC setup as listed in shared/docs/paper.md §6 (Accelergy, 45 nm, pJ per access of the stated
// width), used unscaled:
//   DRAM (HBM2, 64-bit access = 4 × 16-bit words, 32 words/cycle): read/write 249.6 pJ; metadata
//     lives in the same DRAM, so metadata read/write are charged the same per 64-bit access;
//   GLB (SRAM_MD, 16384 × 256 b data, 8192 × 64 b metadata, 2 banks): read 140.10, write 134.51,
//     metadata_read 25.87, metadata_write 19.65;
//   PE Buffer (1024 × 16 b): read 1.97, write 1.83, metadata r/w 0.492 (the 64 × 16 b LineBuffer
//     energy, which is what we size the per-PE metadata storage after);
//   MAC (16-bit): mac_random 2.20, mac_gated and mac_skipped 0.066.
// The paper lists no gated/skipped storage energies, so those actions are absent from the ERT
// and Timeloop's rule applies (0 pJ; see sparseloop-model.md §7).
// Areas (µm² per instance) are not in paper.md; they are the same artifact setup's ART
// (fig13_dstc_setup ref_outputs/*/ART.yaml), whose arrays are the ones the energies above come
// from: GLB = SM.GLB (SRAM_MD, 16384 × 256 b data in 2 banks + 8192 × 64 b metadata) 2,079,246;
// PE Buffer = SM.OTC.Buffer (1024 × 16 b data + 64 × 16 b metadata) 8,026.18; MAC = SM.OTC.MAC
// 1,239.5; DRAM 0 (off chip). Total 3.27 mm². (Until 2026-12 the GLB and Buffer areas were scaled
// from other arrays, the dual-ported 4096 × 512 b STC SMEM and the Fig.1 PE Buffer: 5,208,512 and
// 23,214.08, 2.5× and 2.9× the published areas of the arrays the ERT prices, 8.34 mm² in all.)
// Bandwidths other than DRAM's are design choices: the GLB delivers one 256-bit line per cycle
// (16 words), each PE buffer 2 words per cycle each way.
import type { AreaTableSpec, EnergyTableSpec } from '@snipsnap/core'
import type { ArchSpecInput } from '../schema'

/** Written architecture of the `llm-default` preset. */
export const LLM_DEFAULT_ARCH: ArchSpecInput = {
  name: 'system',
  storage: [
    { name: 'DRAM', className: 'DRAM', subclassName: 'HBM2', path: 'system.DRAM', wordBits: 16, blockSize: 4, metadataStorageWidthBits: 64, metadataWordBits: 16, readBandwidthWordsPerCycle: 32, writeBandwidthWordsPerCycle: 32, attributes: { technology: '45nm', type: 'HBM2' } },
    { name: 'GLB', className: 'storage', subclassName: 'SRAM_MD', path: 'system.GLB', wordBits: 16, blockSize: 16, capacityWords: 262144, metadataStorageWidthBits: 64, metadataStorageDepth: 8192, metadataWordBits: 16, readBandwidthWordsPerCycle: 16, writeBandwidthWordsPerCycle: 16, numBanks: 2, compressionSupported: true, decompressionSupported: true, attributes: { technology: '45nm' } },
    { name: 'Buffer', className: 'storage', subclassName: 'SRAM_MD', path: 'system.PE[0..127].Buffer', instances: 128, meshX: 8, meshY: 16, wordBits: 16, capacityWords: 1024, metadataStorageWidthBits: 16, metadataStorageDepth: 64, metadataWordBits: 16, readBandwidthWordsPerCycle: 2, writeBandwidthWordsPerCycle: 2, decompressionSupported: true, attributes: { technology: '45nm' } },
  ],
  compute: { name: 'MAC', className: 'compute', subclassName: 'Imac', path: 'system.PE[0..127].MAC', instances: 128, meshX: 8, meshY: 16, wordBits: 16, attributes: { technology: '45nm' } },
}

/** Accelergy-style ERT of the `llm-default` preset (pJ per action, 45 nm, from paper.md §6). */
export const LLM_DEFAULT_ERT: EnergyTableSpec = {
  entries: [
    { name: 'system.DRAM', actions: [
      { name: 'read', arguments: null, energyPJ: 249.6 },
      { name: 'write', arguments: null, energyPJ: 249.6 },
      { name: 'metadata_read', arguments: null, energyPJ: 249.6 },
      { name: 'metadata_write', arguments: null, energyPJ: 249.6 },
    ] },
    { name: 'system.GLB', actions: [
      { name: 'read', arguments: null, energyPJ: 140.1 },
      { name: 'write', arguments: null, energyPJ: 134.51 },
      { name: 'metadata_read', arguments: null, energyPJ: 25.87 },
      { name: 'metadata_write', arguments: null, energyPJ: 19.65 },
    ] },
    { name: 'system.PE[0..127].Buffer', actions: [
      { name: 'read', arguments: null, energyPJ: 1.97 },
      { name: 'write', arguments: null, energyPJ: 1.83 },
      { name: 'metadata_read', arguments: null, energyPJ: 0.492 },
      { name: 'metadata_write', arguments: null, energyPJ: 0.492 },
    ] },
    { name: 'system.PE[0..127].MAC', actions: [
      { name: 'mac_random', arguments: null, energyPJ: 2.2 },
      { name: 'mac_gated', arguments: null, energyPJ: 0.066 },
      { name: 'mac_skipped', arguments: null, energyPJ: 0.066 },
    ] },
  ],
}

/** ART of the `llm-default` preset (µm² per instance, the DSTC setup's ART as documented above). */
export const LLM_DEFAULT_ART: AreaTableSpec = {
  entries: [
    { name: 'system.DRAM', areaUM2: 0 },
    { name: 'system.GLB', areaUM2: 2079246 },
    { name: 'system.PE[0..127].Buffer', areaUM2: 8026.18 },
    { name: 'system.PE[0..127].MAC', areaUM2: 1239.5 },
  ],
}

/** One-line summary for listings. */
export const LLM_DEFAULT_SUMMARY = 'Generic sparse LLM accelerator: HBM2, 512 KiB GLB, 128 PEs with 2 KiB buffers, 16-bit MACs.'

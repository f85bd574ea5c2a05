// Sparse-tensor-core-like preset: one SM with a 256 KiB SMEM (64-word blocks, metadata
// storage), 4 subpartitions with 2048-word RFs and 256 PEs each (1024 8-bit MACs, 16 × 64 mesh)
// with single-word LRFs holding compressed weights, LPDDR4 DRAM.
// Source: the Sparseloop MICRO'22 artifact's `fig15_stc_related_setup`, design
// `STC-RF2x-24-bandwidth`, as shipped in
// shared/reference/sparseloop/fig15-STC-M512-K1024-N256-w0.5/{input,ERT,ART}.yaml (45 nm).
// Values are transcribed unchanged; packages/integration-tests checks that this preset equals
// what @snipsnap/timeloop parses from those files.
import type { AreaTableSpec, EnergyTableSpec } from '@snipsnap/core'
import type { ArchSpecInput } from '../schema'

/** Written architecture of the `stc-like` preset. */
export const STC_LIKE_ARCH: ArchSpecInput = {
  name: 'system',
  storage: [
    { name: 'DRAM', className: 'DRAM', path: 'system.DRAM', instances: 1, wordBits: 8, blockSize: 8, metadataStorageWidthBits: 64, readBandwidthWordsPerCycle: 32, writeBandwidthWordsPerCycle: 32, attributes: { technology: '45nm', type: 'LPDDR4' } },
    { name: 'SMEM', path: 'system.SM.SMEM', instances: 1, wordBits: 8, blockSize: 64, capacityWords: 262144, metadataStorageWidthBits: 64, metadataStorageDepth: 8192, readBandwidthWordsPerCycle: 42, writeBandwidthWordsPerCycle: 42, numBanks: 2, attributes: { technology: '45nm', n_rdwr_ports: 2 }, subclassName: 'SRAM_MD' },
    { name: 'RF', path: 'system.SM.Subpartition[0..3].RF', instances: 4, meshX: 1, meshY: 4, wordBits: 8, capacityWords: 2048, numBanks: 16, attributes: { technology: '45nm', n_rdwr_ports: 2 }, subclassName: 'SRAM_MD' },
    { name: 'LRF', path: 'system.SM.Subpartition[0..3].PE[0..255].LRF', instances: 1024, meshX: 16, meshY: 64, wordBits: 8, capacityWords: 1, metadataStorageWidthBits: 8, metadataStorageDepth: 1, attributes: { technology: '45nm' }, subclassName: 'SRAM_MD' },
  ],
  compute: { name: 'MAC', path: 'system.SM.Subpartition[0..3].PE[0..255].MAC', instances: 1024, meshX: 16, meshY: 64, wordBits: 8, attributes: { technology: '45nm' }, subclassName: 'Imac' },
}

/** Accelergy ERT of the `stc-like` preset (pJ per action; several argument variants per action as shipped). */
export const STC_LIKE_ERT: EnergyTableSpec = {
  entries: [
    { name: 'system.DRAM', actions: [
      { name: 'read', arguments: null, energyPJ: 512 },
      { name: 'write', arguments: null, energyPJ: 512 },
      { name: 'idle', arguments: null, energyPJ: 0 },
    ] },
    { name: 'system.SM.Subpartition[0..3].PE[0..255].LRF', actions: [
      { name: 'write', arguments: null, energyPJ: 0.072 },
      { name: 'read', arguments: null, energyPJ: 0.072 },
      { name: 'gated_write', arguments: null, energyPJ: 0.00296 },
      { name: 'gated_read', arguments: null, energyPJ: 0.00296 },
      { name: 'metadata_read', arguments: null, energyPJ: 0.072 },
      { name: 'metadata_write', arguments: null, energyPJ: 0.072 },
      { name: 'gated_metadata_read', arguments: null, energyPJ: 0.00296 },
      { name: 'gated_metadata_write', arguments: null, energyPJ: 0.00296 },
    ] },
    { name: 'system.SM.Subpartition[0..3].PE[0..255].MAC', actions: [
      { name: 'mac_random', arguments: null, energyPJ: 0.5608 },
      { name: 'mac_gated', arguments: null, energyPJ: 0.01798 },
      { name: 'mac_skipped', arguments: null, energyPJ: 0.01798 },
    ] },
    { name: 'system.SM.Subpartition[0..3].RF', actions: [
      { name: 'write', arguments: null, energyPJ: 1.67589 },
      { name: 'read', arguments: null, energyPJ: 1.65889 },
      { name: 'gated_write', arguments: null, energyPJ: 6e-05 },
      { name: 'gated_read', arguments: null, energyPJ: 6e-05 },
      { name: 'metadata_read', arguments: null, energyPJ: 0 },
      { name: 'metadata_write', arguments: null, energyPJ: 0 },
      { name: 'gated_metadata_read', arguments: null, energyPJ: 0 },
      { name: 'gated_metadata_write', arguments: null, energyPJ: 0 },
    ] },
    { name: 'system.SM.SMEM', actions: [
      { name: 'write', arguments: null, energyPJ: 316.96744 },
      { name: 'read', arguments: null, energyPJ: 285.71464 },
      { name: 'gated_write', arguments: null, energyPJ: 0.03325 },
      { name: 'gated_read', arguments: null, energyPJ: 0.03325 },
      { name: 'metadata_read', arguments: null, energyPJ: 25.8695 },
      { name: 'metadata_write', arguments: null, energyPJ: 19.6486 },
      { name: 'gated_metadata_read', arguments: null, energyPJ: 0.00276 },
      { name: 'gated_metadata_write', arguments: null, energyPJ: 0.00276 },
    ] },
  ],
}

/** Accelergy ART of the `stc-like` preset (µm² per instance). */
export const STC_LIKE_ART: AreaTableSpec = {
  entries: [
    { name: 'system.DRAM', areaUM2: 0 },
    { name: 'system.SM.Subpartition[0..3].PE[0..255].LRF', areaUM2: 95.68 },
    { name: 'system.SM.Subpartition[0..3].PE[0..255].MAC', areaUM2: 332.25 },
    { name: 'system.SM.Subpartition[0..3].RF', areaUM2: 23384 },
    { name: 'system.SM.SMEM', areaUM2: 2604256 },
  ],
}

/** One-line summary for listings. */
export const STC_LIKE_SUMMARY = 'NVIDIA-style sparse tensor core: 1024 8-bit MACs, 2:4 structured sparsity.'

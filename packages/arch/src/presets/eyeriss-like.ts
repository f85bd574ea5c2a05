// Eyeriss-like preset: Eyeriss v1 with 168 PEs (14 × 12), a 100 KiB global buffer with
// run-length (de)compression, per-PE input/weight/partial-sum scratchpads, 16-bit MACs.
// Source: the Sparseloop MICRO'22 artifact's `table7_eyeriss_setup` as shipped in
// shared/reference/sparseloop/table7-eyeriss-conv1-sparse/{input,ERT,ART}.yaml (45 nm Accelergy
// estimates). Values are transcribed unchanged; packages/integration-tests checks that this
// preset equals what @snipsnap/timeloop parses from those files.
import type { AreaTableSpec, EnergyTableSpec } from '@snipsnap/core'
import type { ArchSpecInput } from '../schema'

/** Written architecture of the `eyeriss-like` preset. */
export const EYERISS_LIKE_ARCH: ArchSpecInput = {
  name: 'eyeriss_168',
  storage: [
    { name: 'DRAM', className: 'DRAM', path: 'eyeriss_168.DRAM', instances: 1, blockSize: 4, metadataStorageWidthBits: 5, metadataWordBits: 5, attributes: { technology: '45nm' }, subclassName: 'DRAM_metadata' },
    { name: 'shared_glb', className: 'smartbuffer_metadata', path: 'eyeriss_168.shared_glb', instances: 1, blockSize: 4, capacityWords: 51200, metadataStorageDepth: 0, readBandwidthWordsPerCycle: 16, writeBandwidthWordsPerCycle: 16, numBanks: 1, compressionSupported: true, decompressionSupported: true, attributes: { technology: '45nm', metadata_counter_width: 9 } },
    { name: 'DummyBuffer', path: 'eyeriss_168.DummyBuffer[0..13]', instances: 14, capacityWords: 0, numBanks: 1, attributes: { technology: '45nm' }, subclassName: 'SRAM' },
    { name: 'ifmap_spad', className: 'smartbuffer', path: 'eyeriss_168.PE[0..167].ifmap_spad', instances: 168, meshX: 14, meshY: 12, wordBits: 17, capacityWords: 12, readBandwidthWordsPerCycle: 2, writeBandwidthWordsPerCycle: 2, numBanks: 1, attributes: { technology: '45nm' } },
    { name: 'weights_spad', className: 'smartbuffer', path: 'eyeriss_168.PE[0..167].weights_spad', instances: 168, meshX: 14, meshY: 12, capacityWords: 224, readBandwidthWordsPerCycle: 2, writeBandwidthWordsPerCycle: 2, numBanks: 1, attributes: { technology: '45nm' } },
    { name: 'psum_spad', className: 'smartbuffer', path: 'eyeriss_168.PE[0..167].psum_spad', instances: 168, meshX: 14, meshY: 12, capacityWords: 24, numBanks: 1, attributes: { technology: '45nm' } },
  ],
  compute: { name: 'MACs', className: 'mac', path: 'eyeriss_168.PE[0..167].MACs', instances: 168, meshX: 14, meshY: 12, attributes: { technology: '45nm' } },
}

/** Accelergy ERT of the `eyeriss-like` preset (pJ per action; several argument variants per action as shipped). */
export const EYERISS_LIKE_ERT: EnergyTableSpec = {
  entries: [
    { name: 'eyeriss_168.DummyBuffer[0..13]', actions: [
      { name: 'read', arguments: { address_delta: 0, data_delta: 0 }, energyPJ: 0 },
      { name: 'read', arguments: { address_delta: 0, data_delta: 1 }, energyPJ: 0 },
      { name: 'read', arguments: { address_delta: 1, data_delta: 0 }, energyPJ: 0 },
      { name: 'read', arguments: { address_delta: 1, data_delta: 1 }, energyPJ: 0 },
      { name: 'write', arguments: { address_delta: 0, data_delta: 0 }, energyPJ: 0 },
      { name: 'write', arguments: { address_delta: 0, data_delta: 1 }, energyPJ: 0 },
      { name: 'write', arguments: { address_delta: 1, data_delta: 0 }, energyPJ: 0 },
      { name: 'write', arguments: { address_delta: 1, data_delta: 1 }, energyPJ: 0 },
      { name: 'idle', arguments: null, energyPJ: 0 },
    ] },
    { name: 'eyeriss_168.PE[0..167].ifmap_spad', actions: [
      { name: 'write', arguments: null, energyPJ: 0.19652 },
      { name: 'read', arguments: null, energyPJ: 0.19652 },
      { name: 'gated_write', arguments: null, energyPJ: 0.00595 },
      { name: 'gated_read', arguments: null, energyPJ: 0.00595 },
      { name: 'idle', arguments: null, energyPJ: 0.01242 },
    ] },
    { name: 'eyeriss_168.PE[0..167].weights_spad', actions: [
      { name: 'write', arguments: null, energyPJ: 1.13063 },
      { name: 'read', arguments: null, energyPJ: 0.71011 },
      { name: 'gated_write', arguments: null, energyPJ: 0.00595 },
      { name: 'gated_read', arguments: null, energyPJ: 0.00595 },
      { name: 'idle', arguments: null, energyPJ: 0.00596 },
    ] },
    { name: 'eyeriss_168.PE[0..167].psum_spad', actions: [
      { name: 'write', arguments: null, energyPJ: 0.25281 },
      { name: 'read', arguments: null, energyPJ: 0.25281 },
      { name: 'gated_write', arguments: null, energyPJ: 0.00595 },
      { name: 'gated_read', arguments: null, energyPJ: 0.00595 },
      { name: 'idle', arguments: null, energyPJ: 0.01232 },
    ] },
    { name: 'eyeriss_168.PE[0..167].MACs', actions: [
      { name: 'mac_random', arguments: null, energyPJ: 2.20035 },
      { name: 'mac_reuse', arguments: null, energyPJ: 2.20035 },
      { name: 'mac_gated', arguments: null, energyPJ: 0.06595 },
    ] },
    { name: 'eyeriss_168.DRAM', actions: [
      { name: 'write', arguments: null, energyPJ: 512 },
      { name: 'read', arguments: null, energyPJ: 512 },
      { name: 'gated_write', arguments: null, energyPJ: 0 },
      { name: 'gated_read', arguments: null, energyPJ: 0 },
      { name: 'idle', arguments: null, energyPJ: 0 },
      { name: 'metadata_write', arguments: null, energyPJ: 40 },
      { name: 'metadata_read', arguments: null, energyPJ: 40 },
      { name: 'metadata_gated_read', arguments: null, energyPJ: 0 },
      { name: 'metadata_gated_write', arguments: null, energyPJ: 0 },
    ] },
    { name: 'eyeriss_168.shared_glb', actions: [
      { name: 'write', arguments: null, energyPJ: 37.1554 },
      { name: 'read', arguments: null, energyPJ: 49.1739 },
      { name: 'gated_write', arguments: null, energyPJ: 0.00616 },
      { name: 'gated_read', arguments: null, energyPJ: 0.00616 },
      { name: 'address_generation', arguments: null, energyPJ: 0.03749 },
      { name: 'metadata_read', arguments: null, energyPJ: 0 },
      { name: 'metadata_write', arguments: null, energyPJ: 0 },
      { name: 'gated_metadata_read', arguments: null, energyPJ: 0 },
      { name: 'gated_metadata_write', arguments: null, energyPJ: 0 },
      { name: 'decompression_count', arguments: null, energyPJ: 0.0241 },
      { name: 'compression_count', arguments: null, energyPJ: 0.0241 },
      { name: 'idle', arguments: null, energyPJ: 0.00616 },
    ] },
  ],
}

/** Accelergy ART of the `eyeriss-like` preset (µm² per instance). */
export const EYERISS_LIKE_ART: AreaTableSpec = {
  entries: [
    { name: 'eyeriss_168.DummyBuffer[0..13]', areaUM2: 0 },
    { name: 'eyeriss_168.PE[0..167].ifmap_spad', areaUM2: 180 },
    { name: 'eyeriss_168.PE[0..167].weights_spad', areaUM2: 3474.22 },
    { name: 'eyeriss_168.PE[0..167].psum_spad', areaUM2: 537.18 },
    { name: 'eyeriss_168.PE[0..167].MACs', areaUM2: 1239.5 },
    { name: 'eyeriss_168.DRAM', areaUM2: 0 },
    { name: 'eyeriss_168.shared_glb', areaUM2: 641718.8125 },
  ],
}

/** One-line summary for listings. */
export const EYERISS_LIKE_SUMMARY = 'AlexNet-era CNN accelerator: 168 PEs, 16-bit, RLE-compressed DRAM outputs.'

// Public API of @snipsnap/arch: the accelerator model (written form, normalisation, rules,
// fan-out and capacity queries, area from an ART) and the built-in presets.
export {
  ArchSpecInputSchema,
  ComputeLevelInputSchema,
  StorageLevelInputSchema,
  type ArchSpecInput,
  type ComputeLevelInput,
  type StorageLevelInput,
} from './schema'
export { normalizeArch, parseArchSpec } from './normalize'
export {
  ARCH_RULES,
  dramClusterSize,
  instancesDivisible,
  meshDivisible,
  meshMatchesInstances,
  metadataWidthFits,
  minUtilizationNeedsCapacity,
  attributesAreNotModelFields,
  uniqueLevelNames,
  validateArch,
  type ArchRule,
} from './rules'
export { fanoutBelow, levelCapacities, levelFanouts, totalCapacityBits, type LevelCapacity, type LevelFanout } from './topology'
export { archArea, componentName, type ArchArea, type LevelArea } from './area'
export { ARCH_PRESET_IDS, designFromPreset, getArchPreset, listArchPresets, type ArchPreset, type ArchPresetId, type PresetDesignOptions } from './presets'
export { createTableEstimator, tableEstimator, type TableEstimatorOptions } from './estimator/table-estimator'
export { chooseEstimator, createEstimatorRegistry } from './estimator/choose'
export { ALADDIN_40NM, CACTI_SCALING, DRAM_PJ_PER_BIT, SRAM_TABLE_45NM, TABLE_NODE_NM, type SramTablePoint } from './estimator/tables'
export { estimateArchTables, type EstimateArchTablesOptions, type EstimatedPrimitive, type EstimatedTables } from './estimate-tables'
export {
  COMPRESSION_SUPPORT,
  HARDWARE_AXIS_NAMES,
  HardwareAxesInputSchema,
  applyHardwarePoint,
  expandHardwareAxes,
  hardwareDiff,
  hardwarePointOf,
  parseHardwareAxisText,
  peakPowerMW,
  totalAreaUM2,
  type CompressionSupport,
  type HardwareAxesInput,
  type HardwareAxis,
  type HardwareAxisName,
  type HardwarePoint,
} from './hardware-axes'

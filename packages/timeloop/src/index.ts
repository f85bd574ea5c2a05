// Public API of @snipsnap/timeloop: Timeloop/Sparseloop YAML import (and export, see write.ts).
export {
  parseTimeloopDesign,
  parseTimeloopMapping,
  parseTimeloopSections,
  parseTimeloopYaml,
  safeParseTimeloopYaml,
  type ParseMappingOptions,
  type TimeloopDesign,
  type TimeloopParseOptions,
  type TimeloopSections,
  type TimeloopSource,
} from './parse'
export {
  architectureToYaml,
  areaTableToYaml,
  energyTableToYaml,
  mappingToYaml,
  problemToYaml,
  sparseOptimizationsToYaml,
  writeTimeloopMapping,
  writeTimeloopYaml,
  type WriteTimeloopOptions,
} from './write'

// Public API of @snipsnap/timeloop: Timeloop/Sparseloop YAML import (and export, see write.ts).
export {
  parseTimeloopMapping,
  parseTimeloopSections,
  parseTimeloopYaml,
  safeParseTimeloopYaml,
  type ParseMappingOptions,
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

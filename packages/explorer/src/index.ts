// Public API of @snipsnap/explorer: the composition root (default registries wired together),
// the mapping search of one design, progressive co-search of dataflow and formats, and
// whole-model exploration.
export {
  createExplorer,
  metricsOf,
  type DesignPoint,
  type Explorer,
  type ExplorerBudget,
  type ExplorerOptions,
  type ExplorerProgress,
  type SearchDesignOptions,
  type SearchDesignResult,
} from './explorer'
export { objectiveFromMapper, parseObjective, type ExplorerObjective, type MetricName } from './objectives'
export { formatsOf, type TensorFormatChoice } from './formats-summary'
export { optimizeModelFormats, optimizeModelFormatsAsync, type OptimizeModelFormatsInput, type MappingSearchOptions, type ModelFormatsResult, type ModelFormatsSummary, type LayerFormatsResult } from './formats-optimize'
export {
  checkFormatSpace,
  coSearchDesign,
  createCompressionEngine,
  createFixedFormatEngine,
  fixedFormatsOf,
  FIXED_FORMATS,
  inFormatSpace,
  MATCHED_BASELINES,
  type FixedFormatName,
  type MatchedBaseline,
  type MatchedBaselineName,
  type CoDesignSummary,
  type FormatSpaceLimits,
  type CoSearchDesignOptions,
  type CoSearchDesignResult,
  type ExplorerRegistries,
} from './co-search'
export { exploreModel, groupModelLayers, summarizeMapping, EXPLORE_DEFAULTS, type ExploreModelOptions, type ExploreModelResult, type ExploredLayer, type ExploredBaseline, type ExplorePhaseResult, type InferencePhase, type MappingSummary, type LayerGroup, type GivenLayer } from './explore-model'
export {
  CODESIGN_MODES,
  codesignModel,
  codesignPointYaml,
  codesignProblems,
  defaultHardwareAxes,
  type CodesignLayer,
  type CodesignMode,
  type CodesignOptions,
  type CodesignPoint,
  type CodesignResult,
} from './codesign'
export { createDesignEvaluator, createEvaluator, loadPluginRegistries, type DesignEvaluatorContext, type DesignEvaluatorOptions } from './evaluator'
// Hardware-axis helpers the apps need to read axes written on a command line or in a form.
export { HARDWARE_AXIS_NAMES, chooseEstimator, createEstimatorRegistry, parseHardwareAxisText, type HardwareAxesInput, type HardwareAxisName } from '@snipsnap/arch'

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
  coSearchDesign,
  createCompressionEngine,
  type CoDesignSummary,
  type CoSearchDesignOptions,
  type CoSearchDesignResult,
  type ExplorerRegistries,
} from './co-search'
export { exploreModel, type ExploreModelOptions, type ExploreModelResult, type ExploredLayer } from './explore-model'
export { createDesignEvaluator, createEvaluator, type DesignEvaluatorOptions } from './evaluator'

// Public API of @snipsnap/search: domain-agnostic ask/tell strategies, the driver that owns
// budget, caching, abort, progress and evaluation, and multi-objective ranking. Platform-neutral;
// the worker-thread executor lives in `@snipsnap/search/node`.
export {
  defineSearchStrategy,
  type AnySearchStrategy,
  type DesignTree,
  type Evaluated,
  type ObjectiveOrder,
  type PruneRequest,
  type SearchStrategy,
  type Space,
  type StrategyContext,
  type StrategyDone,
} from '@snipsnap/core'
export {
  createInProcessExecutor,
  type AbortSignalLike,
  type Evaluate,
  type Evaluation,
  type Executor,
  type ExecutorContext,
  type Metrics,
  type PruneHint,
} from './executor'
export {
  compareLexicographic,
  createObjectiveOrder,
  normalizeObjectives,
  weightedSum,
  type CompiledObjectives,
  type NormalizedObjectives,
  type ObjectiveSpec,
} from './objectives'
export { dominates, paretoFront, paretoInsert, type HasObjectives } from './pareto'
/** Hands control back to the event loop (a macrotask), so abort signals and timers can fire. */
export { yieldToEventLoop } from './internal/scheduler'
export {
  runSearch,
  type CachedOutcome,
  type RunSearchOptions,
  type SearchCache,
  type SearchBudget,
  type SearchPoint,
  type SearchProgress,
  type SearchResult,
  type StopReason,
  type TraceEntry,
} from './run-search'
export { exhaustive, type ExhaustiveState } from './strategies/exhaustive'
export { genetic, resolveGeneticOptions, type GeneticOptions, type GeneticState } from './strategies/genetic'
export { random, type RandomState } from './strategies/random'
export {
  resolveAnnealingOptions,
  simulatedAnnealing,
  type AnnealingOptions,
  type AnnealingState,
} from './strategies/simulated-annealing'
export { builtinStrategies, createStrategyRegistry } from './strategies/registry'
export type { Member } from './strategies/members'
export { progressiveCoSearch, type CoDesignPoint, type CoSearchMapspace, type CoSearchStage1, type CoSearchStageReport, type CompressionChoice, type CompressionEngine, type ProgressiveCoSearchOptions, type ProgressiveCoSearchResult } from './progressive'
export {
  axisDistance,
  axisPointKey,
  searchAxes,
  type AxisEvaluated,
  type AxisEvaluationContext,
  type AxisOutcome,
  type AxisPoint,
  type AxisRejected,
  type AxisScreen,
  type AxisSearchOptions,
  type AxisSearchResult,
  type DiscreteAxis,
} from './axis-search'

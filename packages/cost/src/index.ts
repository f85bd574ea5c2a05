// Public API of @snipsnap/cost: density models and the Sparseloop-accurate analytical cost model.
export * from './density/index'
export {
  createSparseloopEvaluator,
  evaluateSparseloop,
  sparseloopCostModel,
  type EvaluateSparseloopOptions,
  type PreparedDesign,
  type SparseloopEvaluator,
  type SparseloopModelOptions,
} from './sparseloop/index'
export { componentLeafName, patVectorAccessEnergyPJ } from './sparseloop/ert'

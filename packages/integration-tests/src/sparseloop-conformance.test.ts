// The cost-model conformance suite on the Sparseloop model, over every shared reference case.
import { sparseloopCostModel } from '@snipsnap/cost'
import { describeCostModelConformance } from '@snipsnap/cost/testing'
import { listCases, loadCase } from './sparseloop-reference'

describeCostModelConformance(
  sparseloopCostModel,
  listCases().map((name) => {
    const { design } = loadCase(name)
    if (design.mapping === null) throw new Error(`${name} has no mapping`)
    return { name, query: { ...design, mapping: design.mapping } }
  }),
)

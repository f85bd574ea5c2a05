import { createMapspace } from '../src/index'
import { stcArch, stcConstraints, stcProblem, stcSparse } from '../src/internal/stc-fixture'
const space = createMapspace({ arch: stcArch, problem: stcProblem, constraints: stcConstraints(true), sparseOptimizations: stcSparse })
const ms = [...space.enumerate()]
for (let r = 0; r < 20; r++) for (const m of ms) space.check(m)
for (let r = 0; r < 5; r++) for (const m of ms) space.key(m)
for (let r = 0; r < 5; r++) for (const g of space.genomes()) space.decode(g)

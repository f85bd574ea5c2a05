// A/B: cost evaluate and mapspace check rates, base tree vs this tree, same process, interleaved.
import { createRng, type MappingSpec } from '@snipsnap/core'
import * as newCost from '@snipsnap/cost'
import * as newSpace from '@snipsnap/mapspace'
import { listRandomDesigns, loadRandomDesign, parseRowMapping } from '../src/sparseloop-reference'
const baseCost = (await import('/tmp/base17/packages/cost/src/index.ts')) as typeof newCost
const baseSpace = (await import('/tmp/base17/packages/mapspace/src/index.ts')) as typeof newSpace

const SLICE = 0.4
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 }
const names = listRandomDesigns().filter((n) => process.argv.slice(2).some((f) => n.includes(f)))
for (const name of names) {
  const { design, rows } = loadRandomDesign(name)
  const mk = (m: typeof newSpace) => m.createMapspace({ arch: design.arch, problem: design.problem, constraints: [], sparseOptimizations: design.sparseOptimizations })
  const walkSpace = mk(newSpace)
  const walk: MappingSpec[] = []
  for (let seed = 0; seed < 100; seed++) {
    const rng = createRng(seed)
    let cur = walkSpace.sample(rng)
    for (let i = 0; i < 20; i++) { cur = rng.next() < 0.3 ? walkSpace.sample(rng) : walkSpace.mutate(cur, rng); walk.push(cur) }
  }
  const mappings = [...rows.map((r) => parseRowMapping(design, r)), ...walk]
  const evalRate = (mod: typeof newCost) => {
    const ev = mod.createSparseloopEvaluator(design)
    const t0 = cpu(); let n = 0
    while (cpu() - t0 < SLICE) for (const m of mappings) { ev.evaluate(m); n++ }
    return n / (cpu() - t0)
  }
  const checkRate = (mod: typeof newSpace) => {
    const t0 = cpu(); let n = 0
    while (cpu() - t0 < SLICE) { const sp = mk(mod); for (const m of walk) { sp.check(structuredClone(m)); n++ } }
    return n / (cpu() - t0)
  }
  evalRate(baseCost); evalRate(newCost); checkRate(baseSpace); checkRate(newSpace) // warm-up
  const r = { be: [] as number[], ne: [] as number[], bc: [] as number[], nc: [] as number[] }
  for (let k = 0; k < 12; k++) {
    const flip = k % 2 === 1
    if (flip) { r.ne.push(evalRate(newCost)); r.be.push(evalRate(baseCost)); r.nc.push(checkRate(newSpace)); r.bc.push(checkRate(baseSpace)) }
    else { r.be.push(evalRate(baseCost)); r.ne.push(evalRate(newCost)); r.bc.push(checkRate(baseSpace)); r.nc.push(checkRate(newSpace)) }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const pairs = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!)).toFixed(2)
  const best = (xs: number[]) => Math.max(...xs)
  const f = (x: number) => Math.round(x).toLocaleString('en-US')
  console.log(`${name} (${mappings.length} mappings): cost evaluate/CPU-s base ${f(best(r.be))} new ${f(best(r.ne))} (best new/base ${(best(r.ne) / best(r.be)).toFixed(2)}, median paired ${pairs(r.ne, r.be)}); mapspace fresh-space check/CPU-s base ${f(best(r.bc))} new ${f(best(r.nc))} (best new/base ${(best(r.nc) / best(r.bc)).toFixed(2)}, median paired ${pairs(r.nc, r.bc)})`)
}

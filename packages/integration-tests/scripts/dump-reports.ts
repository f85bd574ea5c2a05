// Dumps the Sparseloop model's report for every reference case and every random mapping as JSON
// lines (one per evaluation), so that a refactor can be checked byte-for-byte:
//   tsx --conditions=@snipsnap/source scripts/dump-reports.ts > before.jsonl   (then diff)
import { createSparseloopEvaluator, evaluateSparseloop } from '@snipsnap/cost'
import { listCases, listRandomDesigns, loadCase, loadRandomDesign, parseRowMapping } from '../src/sparseloop-reference'

const out: string[] = []
for (const name of listCases()) {
  const { design } = loadCase(name)
  out.push(JSON.stringify({ case: name, report: evaluateSparseloop(design) }))
}
for (const name of listRandomDesigns()) {
  const { design, rows } = loadRandomDesign(name)
  const evaluator = createSparseloopEvaluator(design)
  for (const row of rows) out.push(JSON.stringify({ case: name, row: row.id, report: evaluator.evaluate(parseRowMapping(design, row)) }))
}
process.stdout.write(out.join('\n') + '\n')
process.stderr.write(`${out.length} reports\n`)

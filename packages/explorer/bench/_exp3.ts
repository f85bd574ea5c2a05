import { optimizeModelFormats } from '@snipsnap/explorer'
for (const [model, sparsity, phase] of [['opt-125m','unstructured-50','decode'],['llama-2-7b','unstructured-50','decode'],['llama-2-7b','unstructured-50','prefill']] as const) {
const t = performance.now()
const r = optimizeModelFormats({ model, sparsity, phase })
console.log(model, sparsity, phase, (performance.now()-t).toFixed(0), 'ms', JSON.stringify(r.summary))
for (const l of r.layers.filter(l => !l.reused)) console.log('  ', l.name, l.mapping, l.bestFixedFormat, l.savingVsBestFixedPct?.toFixed(3), l.candidatesCosted, l.choices.map(c=>`${c.tensor}@${c.level}:${c.format}`).join(' '))
}

// The starter spec `snipsnap init` writes: every setting, commented, with the defaults' values.
// A test checks that it is a valid study and that `snipsnap explore --spec` runs it.

/** The text of a starter study spec; `schemaPath` goes in the editor modeline. */
export const starterStudy = (schemaPath: string): string => `# yaml-language-server: $schema=${schemaPath}
# A SnipSnap study: run it with  snipsnap explore --spec study.yaml
# (a flag given on the command line overrides the setting here, e.g. --evaluations 96).
version: 1

# Zoo model id: llama-2-7b, llama-2-13b, llama-2-70b, opt-6.7b, gpt-2, bert-base, ...
model: llama-2-7b

# Inference phases, searched in this order: prefill (the prompt), decode (one generated token).
phases: [prefill, decode]

# Sparsity preset id, or a list of them applied together:
# dense, unstructured-50 (…-90), nm-2-4, nm-4-8, activation-50, cats-50, kv-20, ...
sparsity: unstructured-50

# Accelerator preset: llm-default, stc-like or eyeriss-like.
arch: llm-default

# Parameters of the preset to change (energy and area are re-estimated, as codesign does):
# hardware:
#   glbKiB: 256
#   peArray: 16x16
#   dramBandwidth: 32

# The format space the co-search chooses from (format primitives by symbol; U is required):
# formats:
#   primitives: [U, UOP, CP, B, RLE]

# Prefill sequence length and batch (defaults: min(2048, the model's context), 1).
# seqLen: 2048
# batch: 1

# CNN models: convolutions as native convolutions or as im2col GEMMs (for comparison).
# lowering: native

# What to minimise: energy, cycles or edp; a list is lexicographic, e.g. [energy, cycles].
objective: energy

search:
  # Random seed: the same spec and seed replay exactly.
  seed: 1
  # Stopping rule: a dataflow search ends after this many evaluations without improvement.
  # patience: 256
  # Or an explicit budget: evaluations of each dataflow search of each layer.
  # evaluations: 3072
  # Wall-clock budget of the whole run, in seconds.
  # budgetS: 60
  # Baselines, each searched with the same budget as the co-search.
  # baselines: [dataflow-only, formats-only, bitmap, csr, coo, rle]

# Folder for results.json, layers.csv and report.html.
out: study-out
`

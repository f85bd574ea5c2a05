// The starter spec `snipsnap init` writes: every setting, commented, with the defaults' values.
// A test checks that it is a valid study and that `snipsnap explore --spec` runs it. Tensor roles
// and density model ids are the workloads' and the density registry's own lists.
import { BUILTIN_DENSITY_MODELS } from '@snipsnap/core'
import { TENSOR_ROLES } from '@snipsnap/workloads'

/** The text of a starter study spec; `schemaPath` goes in the editor modeline. */
export const starterStudy = (schemaPath: string): string => `# yaml-language-server: $schema=${schemaPath}
# A SnipSnap study: run it with  snipsnap explore --spec study.yaml
# (a flag given on the command line overrides the setting here, e.g. --evaluations 96).
version: 1

# Zoo model id: llama-2-7b, llama-2-13b, llama-2-70b, opt-6.7b, gpt-2, bert-base, ...
model: llama-2-7b

# Or, instead of model, a list of GEMMs: A[M][K] activations × B[K][N] weights → Z[M][N], each
# with its runs per forward pass (count, default 1), phase (default prefill) and, replacing the
# study's sparsity on its tensors, its own densities (activation, weight, output; see sparsity):
# gemms:
#   - { name: q_proj, M: 128, K: 4096, N: 4096, count: 32 }
#   - { name: q_proj, M: 1, K: 4096, N: 4096, count: 32, phase: decode }
#   - { name: ffn_down, M: 128, K: 11008, N: 4096, count: 32, sparsity: { weight: { density: 0.3 } } }

# Inference phases, searched in this order: prefill (the prompt), decode (one generated token).
phases: [prefill, decode]

# Sparsity preset id, or a list of them applied together:
# dense, unstructured-50 (…-90), nm-2-4, nm-4-8, activation-50, cats-50, kv-20, ...
sparsity: unstructured-50
# A list may also give densities per tensor, by role (later entries override earlier ones).
#   roles: ${TENSOR_ROLES.join(', ')}
#   density models: ${Object.keys(BUILTIN_DENSITY_MODELS).join(', ')} (default hypergeometric: unstructured)
#   each role takes:
#     density: the fraction of non-zeros, in [0, 1]
#     distribution: the density model (default hypergeometric)
#     params: the model's parameters, e.g. { n: 2, m: 4, rank: 0 } for n-m
#     phases: where it applies (default both)
# sparsity:
#   - unstructured-50
#   - activation: { density: 0.5 }
#     weight: { distribution: n-m, density: 0.5, params: { n: 2, m: 4, rank: 0 } }

# Accelerator preset: llm-default, stc-like or eyeriss-like.
arch: llm-default
# Or Timeloop files (relative to this spec): the architecture, and its ERT and ART (estimated
# when left out):
# arch:
#   timeloop: [arch.yaml, ERT.yaml, ART.yaml]

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

// Test helpers of @snipsnap/timeloop, exported as `@snipsnap/timeloop/testing`: a small complete
// Timeloop design (two storage levels, a 4-PE fan-out, formats and SAFs) to start fixtures from.

/**
 * A small valid Timeloop/Sparseloop input: BackingStorage (DRAM) → 4 × Buffer → MAC, an SpMSpM
 * M=N=K=128, CP format and skipping at Buffer, compute gating. Each line is easy to mutate.
 */
export const SMALL_DESIGN_YAML = `architecture:
  version: 0.3
  subtree:
    - name: system
      attributes: {technology: 45nm}
      local:
        - name: BackingStorage
          class: DRAM
          attributes: {datawidth: 8, width: 64}
      subtree:
        - name: PE[0..3]
          local:
            - name: Buffer
              class: storage
              attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2}
            - name: MAC
              class: compute
              attributes: {datawidth: 8}
problem:
  shape:
    name: mm
    dimensions: [M, N, K]
    data-spaces:
      - {name: A, projection: [[[M]], [[K]]]}
      - {name: B, projection: [[[N]], [[K]]]}
      - {name: Z, projection: [[[M]], [[N]]], read-write: true}
  instance:
    M: 128
    N: 128
    K: 128
    densities: {A: 0.5, B: {distribution: hypergeometric, density: 0.25}}
sparse_optimizations:
  targets:
    - name: Buffer
      representation-format:
        data-spaces:
          - name: A
            ranks: [{format: UOP}, {format: CP, metadata-word-bits: 7}]
      action-optimization:
        - type: skipping
          target: B
          condition-on: [A]
    - name: MAC
      compute-optimization: [{type: gating}]
mapping:
  - {target: BackingStorage, type: temporal, factors: M=32 N=128 K=1, permutation: MNK}
  - {target: Buffer, type: datatype, keep: [A, B], bypass: [Z]}
  - {target: Buffer, type: temporal, factors: M=1 N=1 K=128, permutation: KMN}
  - {target: BackingStorage, type: spatial, factors: M=4 N=1 K=1, permutation: MNK, split: 1}
`

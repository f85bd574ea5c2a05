// Malformed inputs: each gives a SnipSnapError with the expected code, path (file first, then the
// YAML path) and message.
import { describe, expect, it } from 'vitest'
import { errorOf } from '@snipsnap/core/testing'
import { parseTimeloopMapping, parseTimeloopSections, parseTimeloopYaml, safeParseTimeloopYaml } from '@snipsnap/timeloop'
import { SMALL_DESIGN_YAML } from './testing'

const parseWith = (text: string) => parseTimeloopYaml([{ fileName: 'input.yaml', text }])

const mutate = (old: string, replacement: string): string => {
  const parts = SMALL_DESIGN_YAML.split(old)
  if (parts.length !== 2) throw new Error(`fixture text ${JSON.stringify(old)} must occur exactly once`)
  return parts.join(replacement)
}

interface Row {
  readonly name: string
  readonly text: string
  readonly code: string
  readonly path: readonly (string | number)[]
  readonly message: RegExp
}

const rows: readonly Row[] = [
  { name: 'factor not dividing the bound', text: mutate('factors: M=4 N=1 K=1, permutation: MNK, split: 1', 'factors: M=5 N=1 K=1, permutation: MNK, split: 1'), code: 'INVALID_SPEC', path: ['input.yaml', 'mapping', 3, 'factors'], message: /^input\.yaml: mapping\[3\]\.factors: "M=5" does not divide M=128$/ },
  { name: 'factors not multiplying to the bound', text: mutate('factors: M=32 N=128 K=1', 'factors: M=16 N=128 K=1'), code: 'INVALID_SPEC', path: ['input.yaml', 'mapping'], message: /factors of M multiply to 64, not to the bound M=128/ },
  { name: 'two zero factors', text: mutate('factors: M=32 N=128 K=1', 'factors: M=32 N=128 K=0').replace('factors: M=1 N=1 K=128', 'factors: M=1 N=1 K=0'), code: 'INVALID_SPEC', path: ['input.yaml', 'mapping', 2, 'factors'], message: /only one factor of K may be 0/ },
  { name: 'unknown mapping target', text: mutate('{target: Buffer, type: datatype', '{target: GLB, type: datatype'), code: 'INVALID_SPEC', path: ['input.yaml', 'mapping', 1, 'target'], message: /no storage level named "GLB" \(levels: BackingStorage, Buffer\)/ },
  { name: 'unknown tensor in keep', text: mutate('keep: [A, B]', 'keep: [A, Q]'), code: 'INVALID_SPEC', path: ['input.yaml', 'mapping', 1, 'keep', 1], message: /no data space named "Q"/ },
  { name: 'permutation with an unknown dim', text: mutate('permutation: KMN', 'permutation: KMX'), code: 'INVALID_SPEC', path: ['input.yaml', 'mapping', 2, 'permutation'], message: /"X" in permutation "KMX" is not a dimension/ },
  { name: 'upper bound in a mapping', text: mutate('factors: M=1 N=1 K=128', 'factors: M<=1 N=1 K=128'), code: 'INVALID_SPEC', path: ['input.yaml', 'mapping', 2, 'factors'], message: /upper bounds \(<=\) belong in constraints/ },
  { name: 'residual factors', text: mutate('factors: M=1 N=1 K=128', 'factors: "M=1,1 N=1 K=128"'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'mapping', 2, 'factors'], message: /residual \(imperfect\) factors/ },
  { name: 'unsupported directive type', text: mutate('type: datatype', 'type: skew'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'mapping', 1, 'type'], message: /directive type "skew" is not supported/ },
  { name: 'tile_partition_supported: true', text: mutate('read_bandwidth: 2}', 'read_bandwidth: 2, tile_partition_supported: true}'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'architecture', 'subtree', 0, 'subtree', 0, 'local', 0, 'attributes', 'tile_partition_supported'], message: /tile_partition_supported: true is not supported/ },
  { name: 'width not a multiple of the word', text: mutate('depth: 512, width: 8', 'depth: 512, width: 12'), code: 'INVALID_SPEC', path: ['input.yaml', 'architecture', 'subtree', 0, 'subtree', 0, 'local', 0, 'attributes', 'width'], message: /width 12 is not a multiple of word bits 8/ },
  { name: 'meshX not dividing instances', text: mutate('attributes: {datawidth: 8}', 'attributes: {datawidth: 8, meshX: 3}'), code: 'INVALID_SPEC', path: ['input.yaml', 'architecture', 'subtree', 0, 'subtree', 0, 'local', 1, 'attributes', 'meshX'], message: /meshX 3 does not divide 4 instances/ },
  { name: 'a network component', text: mutate('            - name: MAC\n', '            - {name: NoC, class: XY_NoC}\n            - name: MAC\n'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'architecture', 'subtree', 0, 'subtree', 0, 'local', 1, 'class'], message: /network components/ },
  { name: 'an unknown component class', text: mutate('            - name: MAC\n', '            - {name: Adder, class: intadder}\n            - name: MAC\n'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'architecture', 'subtree', 0, 'subtree', 0, 'local', 1, 'class'], message: /class "intadder" is neither storage/ },
  { name: 'unknown representation format', text: mutate('format: CP', 'format: COO'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'sparse_optimizations', 'targets', 0, 'representation-format', 'data-spaces', 0, 'ranks', 1, 'format'], message: /unknown representation format "COO"/ },
  { name: 'unknown action-optimization type', text: mutate('type: skipping', 'type: bypassing'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'sparse_optimizations', 'targets', 0, 'action-optimization', 0, 'type'], message: /unknown action-optimization type "bypassing"/ },
  { name: 'condition on an unknown tensor', text: mutate('condition-on: [A]', 'condition-on: [C]'), code: 'INVALID_SPEC', path: ['input.yaml', 'sparse_optimizations', 'targets', 0, 'action-optimization', 0, 'condition-on', 0], message: /no data space named "C"/ },
  { name: 'both spellings of a key', text: mutate('      representation-format:', '      representation_format: {}\n      representation-format:'), code: 'INVALID_SPEC', path: ['input.yaml', 'sparse_optimizations', 'targets', 0, 'representation-format'], message: /duplicates "representation_format"/ },
  { name: 'density above 1', text: mutate('densities: {A: 0.5', 'densities: {A: 1.5'), code: 'INVALID_SPEC', path: ['input.yaml', 'problem', 'instance', 'densities', 'A'], message: /density must be in \[0, 1\], got 1\.5/ },
  { name: 'unknown density model', text: mutate('distribution: hypergeometric', 'distribution: zipf'), code: 'UNSUPPORTED_FEATURE', path: ['input.yaml', 'problem', 'instance', 'densities', 'B', 'distribution'], message: /unknown density distribution "zipf"/ },
  { name: 'negative bound', text: mutate('    N: 128\n', '    N: -1\n'), code: 'INVALID_SPEC', path: ['input.yaml', 'problem', 'instance', 'N'], message: /expected a non-negative integer, got -1/ },
  { name: 'string bound', text: mutate('    N: 128\n', '    N: lots\n'), code: 'INVALID_SPEC', path: ['input.yaml', 'problem', 'instance', 'N'], message: /expected a number, got "lots"/ },
  { name: 'missing bound', text: mutate('    N: 128\n', ''), code: 'INVALID_SPEC', path: ['input.yaml', 'problem', 'instance', 'N'], message: /bound of dimension N is missing/ },
  { name: 'misspelled top-level section', text: `${SMALL_DESIGN_YAML}\nmappr: {}\n`, code: 'INVALID_SPEC', path: ['input.yaml', 'mappr'], message: /`mappr`: did you mean `mapper`\?/ },
  { name: 'infinity deep in a passthrough section', text: `${SMALL_DESIGN_YAML}\ncompound_components:\n  version: 0.3\n  classes:\n    - name: lmac\n      attributes: {width: 8, energy: [1, {read: .inf}]}\n`, code: 'INVALID_SPEC', path: ['input.yaml', 'compound_components', 'classes', 0, 'attributes', 'energy', 1, 'read'], message: /^input\.yaml: compound_components\.classes\[0\]\.attributes\.energy\[1\]\.read: expected a finite number, got Infinity$/ },
  { name: 'malformed YAML', text: mutate('    M: 128\n', '    M: [128\n'), code: 'PARSE_ERROR', path: ['input.yaml'], message: /^input\.yaml:\d+:\d+: / },
]

describe('malformed inputs name their file and YAML path', () => {
  for (const row of rows) {
    it(row.name, () => {
      const error = errorOf(() => parseWith(row.text))
      expect(error.code).toBe(row.code)
      expect(error.path).toEqual(row.path)
      expect(error.message).toMatch(row.message)
    })
  }

  it('the fixture itself is valid', () => {
    const design = parseWith(SMALL_DESIGN_YAML)
    expect(design.arch.storage.map((s) => s.name)).toEqual(['BackingStorage', 'Buffer'])
    expect(design.arch.storage[1]?.instances).toBe(4)
    expect(design.mapping?.levels[0]?.spatialFactors.M).toBe(4)
  })

  it('names the file a section comes from', () => {
    const error = errorOf(() =>
      parseTimeloopYaml([
        { fileName: 'input.yaml', text: SMALL_DESIGN_YAML.replace(/\nmapping:[\s\S]*?(?=\n\S|$)/, '') },
        { fileName: 'map.yaml', text: 'mapping:\n  - {target: Nowhere, type: temporal, factors: M=128}\n' },
      ]),
    )
    expect(error.path).toEqual(['map.yaml', 'mapping', 0, 'target'])
  })

  it('safeParseTimeloopYaml returns the error as a value', () => {
    const result = safeParseTimeloopYaml([{ fileName: 'input.yaml', text: 'architecture: [' }])
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('PARSE_ERROR')
  })

  it('parseTimeloopMapping resolves K=0 to the rest of the bound', () => {
    const design = parseWith(SMALL_DESIGN_YAML)
    const mapping = parseTimeloopMapping(
      'mapping:\n- {target: BackingStorage, type: temporal, factors: M=0 N=128 K=1}\n- {target: BackingStorage, type: spatial, factors: M4 N1 K1}\n- {target: Buffer, type: temporal, factors: M1 N1 K0}\n',
      design.problem,
      design.arch,
    )
    expect(mapping.levels[0]?.temporalFactors.M).toBe(32)
    expect(mapping.levels[1]?.temporalFactors.K).toBe(128)
    // Permutations are padded in problem order, split defaults to all-X.
    expect(mapping.levels[0]?.temporalPermutation).toEqual(['M', 'N', 'K'])
    expect(mapping.levels[0]?.spatialSplit).toBe(3)
  })
})

describe('ERT versions', () => {
  it('reads the v0.2 map form like the v0.3 list form', () => {
    const v2 = 'ERT:\n  version: 0.2\n  tables:\n    system.PE[0..3].Buffer:\n      read:\n        - {arguments: {address_delta: 0}, energy: 1.5}\n        - {arguments: {address_delta: 1}, energy: 2.5}\n      idle: {energy: 0.1}\n'
    const v3 = 'ERT:\n  version: 0.3\n  tables:\n    - name: system.PE[0..3].Buffer\n      actions:\n        - {name: read, arguments: {address_delta: 0}, energy: 1.5}\n        - {name: read, arguments: {address_delta: 1}, energy: 2.5}\n        - {name: idle, energy: 0.1}\n'
    const a = parseTimeloopSections([{ fileName: 'ERT.yaml', text: v2 }]).energyTable
    const b = parseTimeloopSections([{ fileName: 'ERT.yaml', text: v3 }]).energyTable
    expect(a).toEqual(b)
    expect(a?.entries[0]?.actions).toHaveLength(3)
  })
  it('rejects a negative energy with its path', () => {
    const error = errorOf(() => parseTimeloopSections([{ fileName: 'ERT.yaml', text: 'ERT:\n  version: 0.3\n  tables:\n    - {name: X, actions: [{name: read, energy: -1}]}\n' }]))
    expect(error.path).toEqual(['ERT.yaml', 'ERT', 'tables', 0, 'actions', 0, 'energy'])
  })
})

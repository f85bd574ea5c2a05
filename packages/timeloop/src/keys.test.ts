// Keys the model does not read never pass unnoticed: a misspelled key is an error naming the
// intended one, other unknown keys are warnings listed once (errors with `strict`), values the
// model reads as unlimited are said, and a section defined by two files is an error naming both.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorOf } from '@snipsnap/core/testing'
import { parseTimeloopDesign, parseTimeloopSections, parseTimeloopYaml } from '@snipsnap/timeloop'
import { SMALL_DESIGN_YAML } from './testing'

const replaceOnce = (text: string, old: string, replacement: string): string => {
  const parts = text.split(old)
  if (parts.length !== 2) throw new Error(`fixture text ${JSON.stringify(old)} must occur exactly once`)
  return parts.join(replacement)
}
const mutate = (old: string, replacement: string): string => replaceOnce(SMALL_DESIGN_YAML, old, replacement)

const BUFFER_ATTRS = 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2}'
const MAC_ATTRS = 'attributes: {datawidth: 8}'
const read = (text: string, strict = false) => parseTimeloopDesign([{ fileName: 'input.yaml', text }], { strict })

describe('a misspelled key is an error naming the misspelling and the intended key', () => {
  // The six misspellings the issue names, each with the correct key removed.
  const cases = [
    { key: 'read_bandwidth', text: mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwith: 2}'), wrong: 'read_bandwith' },
    { key: 'data_storage_depth', text: mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, data_storage_dept: 512, width: 8, read_bandwidth: 2}'), wrong: 'data_storage_dept' },
    { key: 'datawidth', text: mutate(MAC_ATTRS, 'attributes: {datawdith: 8}'), wrong: 'datawdith' },
    { key: 'meshX', text: mutate(MAC_ATTRS, 'attributes: {datawidth: 8, meshx: 4}'), wrong: 'meshx' },
    { key: 'block_size', text: mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2, blocksize: 1}'), wrong: 'blocksize' },
    { key: 'metadata_storage_depth', text: mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2, metadata_storage_width: 8, metadata_storage_dept: 64}'), wrong: 'metadata_storage_dept' },
  ]
  for (const c of cases) {
    it(`${c.wrong} → ${c.key}`, () => {
      const error = errorOf(() => read(c.text))
      expect(error.code).toBe('INVALID_SPEC')
      expect(error.message).toContain(`\`${c.wrong}\`: did you mean \`${c.key}\`?`)
      expect(error.path.at(-1)).toBe(c.wrong)
    })
  }

  it('in other sections too: problem, mapping, sparse optimizations, mapper', () => {
    expect(errorOf(() => read(mutate('    densities: {A', '    densites: {A'))).message).toMatch(/`densites`: did you mean `densities`\?/)
    expect(errorOf(() => read(mutate('permutation: KMN', 'permutaton: KMN'))).message).toMatch(/`permutaton`: did you mean `permutation`\?/)
    expect(errorOf(() => read(mutate('condition-on: [A]', 'conditon-on: [A]'))).message).toMatch(/`conditon-on`: did you mean `condition_on`\?/)
    expect(errorOf(() => read(`${SMALL_DESIGN_YAML}mapper: {optimization-metrics: [energy], timout: 10}\n`)).message).toMatch(/`timout`: did you mean `timeout`\?/)
  })

  it('when the misspelling makes another check fail first, the misspelling is still what is named', () => {
    // Without `datawidth` the word width is 16 bits and `width: 8` is not a multiple of it.
    const width = errorOf(() => read(mutate(BUFFER_ATTRS, 'attributes: {datawidht: 8, depth: 512, width: 8, read_bandwidth: 2}')))
    expect(width.message).toContain('`datawidht`: did you mean `datawidth`?')
    // Required keys: a component's name and class, a directive's target and type, the problem's shape.
    expect(errorOf(() => read(mutate('- name: BackingStorage', '- nme: BackingStorage'))).message).toContain('`nme`: did you mean `name`?')
    expect(errorOf(() => read(mutate('class: compute', 'clas: compute'))).message).toContain('`clas`: did you mean `class`?')
    expect(errorOf(() => read(mutate('{target: Buffer, type: temporal', '{targt: Buffer, type: temporal'))).message).toContain('`targt`: did you mean `target`?')
    expect(errorOf(() => read(mutate('{target: Buffer, type: temporal', '{target: Buffer, tye: temporal'))).message).toContain('`tye`: did you mean `type`?')
    expect(errorOf(() => read(mutate('  shape:', '  shap:'))).message).toContain('`shap`: did you mean `shape`?')
    expect(errorOf(() => read(mutate('    dimensions:', '    dimensons:'))).message).toContain('`dimensons`: did you mean `dimensions`?')
    expect(errorOf(() => read(mutate('  version: 0.3\n  subtree:', '  version: 0.3\n  subtre:'))).message).toContain('`subtre`: did you mean `subtree`?')
  })

  it('a misspelled `attributes` of a component is an error, not one unused attribute of a component without attributes', () => {
    const error = errorOf(() => read(mutate(BUFFER_ATTRS, 'attribtes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2}')))
    expect(error.message).toContain('`attribtes`: did you mean `attributes`?')
  })

  it('a key next to its correct spelling is merely unused', () => {
    const { warnings } = read(mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2, read_bandwith: 3}'))
    expect(warnings.map((w) => w.message)).toContain('attribute `read_bandwith` (Buffer)')
  })
})

describe('other unknown keys', () => {
  const text = mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2, n_rdwr_ports: 2, latency: 5ns}')

  it('are listed once each, with every component they occur on, and the design is read', () => {
    const { design, warnings } = read(text)
    expect(design.arch.storage[1]?.readBandwidthWordsPerCycle).toBe(2)
    const unused = warnings.filter((w) => w.code === 'unused-key').map((w) => w.message)
    // technology is inherited from the system subtree by every component; the table estimator reads it.
    expect(unused).toEqual(['attribute `n_rdwr_ports` (Buffer)', 'attribute `latency` (Buffer)'])
  })

  it('exclude attributes the table estimator reads without an ERT: a MAC\'s technology, a DRAM\'s type (an SRAM\'s type is unused)', () => {
    const withTypes = mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2, type: LPDDR4}').replace('attributes: {datawidth: 8, width: 64}', 'attributes: {datawidth: 8, width: 64, type: LPDDR4}')
    const { design, warnings } = read(withTypes)
    expect(warnings.filter((w) => w.code === 'unused-key').map((w) => w.message)).toEqual(['attribute `type` (Buffer)'])
    expect(design.arch.storage[0]?.attributes['type']).toBe('LPDDR4')
    expect(design.arch.compute.attributes['technology']).toBe('45nm')
  })

  it('are errors with strict', () => {
    const error = errorOf(() => read(text, true))
    expect(error.code).toBe('UNSUPPORTED_FEATURE')
    expect(error.message).toMatch(/is not used by the model \(--strict\)/)
  })

  it('include keys Timeloop reads that SnipSnap does not model, said so', () => {
    const { warnings } = read(mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2, reduction_supported: false}'))
    expect(warnings.map((w) => w.message)).toContain('attribute `reduction_supported` (Buffer): read by Timeloop, not modelled by SnipSnap')
  })

  it('an unknown top-level section is listed; a mapping directive key too', () => {
    const { warnings } = read(`${mutate('permutation: KMN}', 'permutation: KMN, note: fastest}')}globals: {}\n`)
    expect(warnings.map((w) => w.message)).toEqual(['top-level section `globals` (input.yaml)', 'temporal directive `note` (input.yaml: mapping[2])'])
  })

  it('Timeloop mapper display settings are accepted without a word', () => {
    const { warnings } = read(`${SMALL_DESIGN_YAML}mapper: {optimization-metrics: [energy], live-status: false, log-stats: true}\n`)
    expect(warnings.filter((w) => w.message.includes('mapper'))).toEqual([])
  })

  it('metadata_depth and metadata_width are read as Timeloop aliases, not dropped', () => {
    const { design } = read(mutate(BUFFER_ATTRS, 'attributes: {datawidth: 8, depth: 512, width: 8, read_bandwidth: 2, metadata_width: 8, metadata_depth: 64}'))
    expect(design.arch.storage[1]?.metadataStorageDepth).toBe(64)
    expect(design.arch.storage[1]?.metadataStorageWidthBits).toBe(8)
  })
})

describe('bandwidths and other values read as unlimited', () => {
  it('a negative bandwidth is an error', () => {
    const error = errorOf(() => read(mutate('read_bandwidth: 2}', 'read_bandwidth: -2}')))
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.message).toMatch(/read_bandwidth: a bandwidth cannot be negative, got -2/)
  })

  it.each(['read_bandwidth', 'write_bandwidth', 'shared_bandwidth', 'bandwidth'])('%s: 0 gives a warning that it is unlimited', (key) => {
    const { design, warnings } = read(mutate('read_bandwidth: 2}', `${key}: 0}`))
    expect(design.arch.storage[1]).toBeDefined()
    expect(warnings.filter((w) => w.code === 'unlimited').map((w) => w.message)).toEqual([
      `input.yaml: architecture.subtree[0].subtree[0].local[0].attributes.${key}: \`${key}: 0\` is read as unlimited bandwidth (as if absent); give a positive number of words per cycle to limit it`,
    ])
  })

  it('metadata_storage_depth: 0 gives a warning that the metadata capacity is unlimited', () => {
    const { warnings } = read(mutate('read_bandwidth: 2}', 'read_bandwidth: 2, metadata_storage_depth: 0, metadata_storage_width: 8}'))
    expect(warnings.filter((w) => w.code === 'unlimited').map((w) => w.message)).toEqual([expect.stringMatching(/`metadata_storage_depth: 0` is read as unlimited metadata capacity/)])
  })

  it('per-data-space bandwidth scales other than 1 are refused, not ignored', () => {
    const error = errorOf(() => read(mutate('read_bandwidth: 2}', 'read_bandwidth: 2, per_dataspace_bandwidth_consumption_scale: {A: 2}}')))
    expect(error.code).toBe('UNSUPPORTED_FEATURE')
  })
})

describe('one definition per top-level key', () => {
  const design = SMALL_DESIGN_YAML
  const otherMapping = 'mapping:\n  - {target: BackingStorage, type: temporal, factors: M=32 N=128 K=1, permutation: MNK}\n'

  it('two files defining a used key is an error naming both files', () => {
    const error = errorOf(() => parseTimeloopYaml([{ fileName: 'input.yaml', text: design }, { fileName: 'other.map.yaml', text: otherMapping }]))
    expect(error.code).toBe('INVALID_SPEC')
    expect(error.message).toBe('`mapping` is defined in both input.yaml and other.map.yaml; keep it in one file')
    expect(error.issues[0]?.code).toBe('duplicate-section')
  })

  it('an ignored key may be defined twice (and is not read)', () => {
    const parsed = parseTimeloopYaml([{ fileName: 'input.yaml', text: design }, { fileName: 'other.map.yaml', text: 'mapping: [broken' .replace('[broken', '42') }], { ignore: ['mapping'] })
    expect(parsed.mapping).toBeNull()
    // parseTimeloopSections lists what it skipped, for callers that say so.
    const sections = parseTimeloopSections([{ fileName: 'input.yaml', text: design }, { fileName: 'other.map.yaml', text: 'mapping: 42\n' }], { ignore: ['mapping'] })
    expect(sections.ignored).toEqual([{ key: 'mapping', file: 'input.yaml' }, { key: 'mapping', file: 'other.map.yaml' }])
    expect(parseTimeloopSections([{ fileName: 'input.yaml', text: design }]).ignored).toBeUndefined()
  })

  it('sectionFiles picks the file a key comes from', () => {
    const parsed = parseTimeloopYaml([{ fileName: 'input.yaml', text: design }, { fileName: 'other.map.yaml', text: otherMapping.replace('M=32', 'M=32').concat('  - {target: Buffer, type: temporal, factors: M=4 N=1 K=128, permutation: KMN}\n') }], { sectionFiles: { mapping: 'input.yaml' } })
    expect(parsed.mapping?.levels[0]?.spatialFactors.M).toBe(4)
    const error = errorOf(() => parseTimeloopYaml([{ fileName: 'input.yaml', text: design }], { sectionFiles: { mapping: 'nope.yaml' } }))
    expect(error.message).toMatch(/nope\.yaml: defines no `mapping`/)
  })
})

describe('every key of every shared case, misspelled', () => {
  // One letter dropped from one key at a time, in each shared Sparseloop case's input.yaml: the
  // result is an error naming the misspelling, or (for a key the model does not read either)
  // the misspelled key is listed as not used. Never a design read as if the key were absent.
  const shared = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'sparseloop')
  const cases = fs.readdirSync(shared).filter((name) => fs.existsSync(path.join(shared, name, 'input.yaml')))
  it.each(cases)('%s', (name) => {
    const text = fs.readFileSync(path.join(shared, name, 'input.yaml'), 'utf8')
    const unusedOf = (yaml: string): string[] => parseTimeloopDesign([{ fileName: 'input.yaml', text: yaml }]).warnings.filter((w) => w.code === 'unused-key').map((w) => String(w.path.at(-1)))
    const unusedBefore = new Set(unusedOf(text))
    const lines = text.split('\n')
    const problems: string[] = []
    let tried = 0
    let section = ''
    lines.forEach((line, i) => {
      section = /^[A-Za-z_]/.test(line) ? line.split(':')[0] ?? '' : section
      // Accelergy's compound components are kept verbatim for round trips; nothing reads them.
      if (section === 'compound_components') return
      // Keys of at least 3 characters (shorter ones have no misspelling slack), block or flow style.
      for (const match of line.matchAll(/(?<=^[\s-]*|[{,]\s*)([A-Za-z_][A-Za-z0-9_-]{2,})(?=\s*:(\s|$))/g)) {
        const key = match[1] as string
        const typo = key.slice(0, -2) + key.slice(-1)
        const at = match.index
        const mutated = [...lines.slice(0, i), line.slice(0, at) + typo + line.slice(at + key.length), ...lines.slice(i + 1)].join('\n')
        tried++
        let outcome: string
        try {
          const unused = unusedOf(mutated)
          outcome = unused.includes(typo) && unusedBefore.has(key) ? 'ok' : `read without a word (unused: ${unused.join(', ')})`
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          // Names of data spaces used as keys (`densities: {Inputs: …}`) are checked as names.
          outcome = message.includes(`\`${typo}\`: did you mean`) || message.includes(`no data space named "${typo}"`) ? 'ok' : message
        }
        if (outcome !== 'ok') problems.push(`line ${i + 1} ${key} → ${typo}: ${outcome}`)
      }
    })
    expect(tried).toBeGreaterThan(20)
    expect(problems).toEqual([])
  })
})

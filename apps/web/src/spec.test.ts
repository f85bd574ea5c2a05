import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseStudy as parseCliStudy } from '@snipsnap/explorer/study'
import { createEngine } from './engine'
import { looksLikeSpec, parseSpecText, readDroppedSpec, studyFromSpec } from './spec'
import { DEFAULT_STUDY, parseStudy } from './study'

const repo = path.resolve(import.meta.dirname, '..', '..', '..')
const read = (text: string, fileName = 'study.yaml') => studyFromSpec({ fileName, text }, DEFAULT_STUDY)
const lineOf = (text: string, fragment: string): number => text.split('\n').findIndex((l) => l.includes(fragment)) + 1

describe('a dropped SnipSnap study spec', () => {
  it('reads a zoo study into the page study, and the engine outlines it', () => {
    const text = 'version: 1\nmodel: llama-2-7b\nphases: [decode]\nsparsity: [unstructured-50, activation-50]\narch: stc-like\nobjective: cycles\nsearch: { evaluations: 20, seed: 7 }\n'
    const reading = read(text)
    expect(reading.ok).toBe(true)
    if (!reading.ok) return
    expect(reading.study).toMatchObject({ workload: { kind: 'zoo', model: 'llama-2-7b', phase: 'decode' }, sparsity: 'unstructured-50,activation-50', arch: 'stc-like', objective: 'cycles', evaluations: 20, seed: 7 })
    expect(parseStudy(reading.study).ok).toBe(true) // what the share link and the page accept
    expect(reading.notes).toEqual([])
    const outline = createEngine().outline(reading.study)
    expect(outline.title).toMatch(/llama-2-7b, decode/)
    expect(outline.layers.length).toBeGreaterThan(1)
  })

  it('says what it did with settings the spec leaves to the CLI defaults (both phases, no evaluations)', () => {
    const reading = read('version: 1\nmodel: gpt-2\n')
    expect(reading.ok && reading.study.workload).toEqual({ kind: 'zoo', model: 'gpt-2', phase: 'prefill' })
    expect(reading.ok && reading.study.sparsity).toBe('unstructured-50')
    expect(reading.ok && reading.study.evaluations).toBe(DEFAULT_STUDY.evaluations)
    expect(reading.ok && reading.notes.join(' | ')).toMatch(/one phase at a time: prefill .*decode.*\| .*unstructured-50.*\| .*search\.evaluations/)
  })

  it('reads a GEMM list, one phase of it, with counts', () => {
    const text = ['version: 1', 'gemms:', '  - { name: q, M: 128, K: 4096, N: 4096, count: 32 }', '  - { name: q, M: 1, K: 4096, N: 4096, count: 32, phase: decode }', '  - { name: down, M: 1, K: 11008, N: 4096, phase: decode }', 'phases: [decode]', 'sparsity: nm-2-4', 'search: { evaluations: 8 }', ''].join('\n')
    const reading = read(text)
    expect(reading.ok).toBe(true)
    if (!reading.ok) return
    expect(reading.study.workload).toEqual({ kind: 'gemms', text: 'q 1 4096 4096 32\ndown 1 11008 4096 1\n', phase: 'decode' })
    const outline = createEngine().outline(reading.study)
    expect(outline.title).toMatch(/pasted GEMM list, decode/)
    expect(outline.layers.map((l) => l.shapeText)).toEqual(['1×4096×4096', '1×11008×4096'])
    expect(outline.layers[0]?.tensors.find((t) => t.name === 'B')?.density).toBe(0.5)
  })

  it("reads the repository's examples/studies/gemms.yaml with its Timeloop files: densities per tensor and the files' architecture, as the CLI", () => {
    const dir = path.join(repo, 'examples', 'studies')
    const example = readFileSync(path.join(dir, 'gemms.yaml'), 'utf8')
    const archFiles = ['llm-default.arch.yaml', 'llm-default.ERT.yaml', 'llm-default.ART.yaml'].map((f) => ({ fileName: f, text: readFileSync(path.join(dir, 'arch', f), 'utf8') }))
    // Without its architecture files, the page names the files to drop too.
    const alone = readDroppedSpec([{ fileName: 'gemms.yaml', text: example }], DEFAULT_STUDY)
    expect(alone).toEqual({ ok: false, message: `gemms.yaml:${lineOf(example, 'timeloop:')}: arch.timeloop: drop llm-default.arch.yaml, llm-default.ERT.yaml, llm-default.ART.yaml together with gemms.yaml (the spec's Timeloop architecture files; a browser cannot open files by path)` })
    const partial = readDroppedSpec([{ fileName: 'gemms.yaml', text: example }, archFiles[0]!], DEFAULT_STUDY)
    expect(partial?.ok === false && partial.message).toMatch(/drop llm-default\.ERT\.yaml, llm-default\.ART\.yaml together with gemms\.yaml/)
    const reading = readDroppedSpec([...archFiles, { fileName: 'gemms.yaml', text: example }], DEFAULT_STUDY)
    expect(reading?.ok).toBe(true)
    if (reading?.ok !== true) return
    expect(reading.study).toMatchObject({ sparsity: 'unstructured-50', densities: [{ activation: { distribution: 'n-m', density: 0.5, params: { n: 2, m: 4, rank: 1 } } }], evaluations: 64, seed: 1 })
    expect(reading.study.archFiles?.map((f) => f.fileName)).toEqual(archFiles.map((f) => f.fileName))
    expect(parseStudy(reading.study).ok).toBe(true)
    const outline = createEngine().outline(reading.study)
    expect(outline.archName).toMatch(/llm-default\.arch\.yaml/)
    expect(outline.layers).toHaveLength(3)
    // unstructured-50 on the weights, then 2:4 activations: the densities the CLI gives these GEMMs.
    for (const layer of outline.layers) {
      expect(layer.tensors.find((t) => t.name === 'A')?.density).toBe(0.5)
      expect(layer.tensors.find((t) => t.name === 'B')?.density).toBe(0.5)
    }
  })

  it("applies a GEMM's own densities on its operands only, and map-only sparsity leaves other tensors dense", () => {
    const text = ['version: 1', 'gemms:', '  - { name: q, M: 64, K: 256, N: 256, sparsity: { weight: { density: 0.25 } } }', '  - { name: k, M: 64, K: 256, N: 512 }', 'sparsity:', '  - activation: { density: 0.6 }', 'search: { patience: 32 }', ''].join('\n')
    const reading = read(text)
    expect(reading.ok).toBe(true)
    if (!reading.ok) return
    // As the CLI: a stopping rule without evaluations runs under the default cap.
    expect(reading.study).toMatchObject({ sparsity: 'dense', patience: 32, evaluations: 4096, workload: { densities: { q: { weight: { density: 0.25 } } } } })
    const layers = createEngine().outline(reading.study).layers
    const densities = layers.map((l) => Object.fromEntries(l.tensors.map((t) => [t.name, t.density])))
    expect(densities).toEqual([{ A: 0.6, B: 0.25, Z: 1 }, { A: 0.6, B: 1, Z: 1 }])
  })

  it('refuses what the page cannot run, naming the file, the line and the key', () => {
    const cases: [string, RegExp][] = [
      ['version: 1\nmodel: gpt-2\nhardware: { glbKiB: 64 }\n', /^study\.yaml:3: hardware: hardware changes .*snipsnap explore --spec/],
      ['version: 2\nmodel: gpt-2\n', /^study\.yaml:1: version: .*expected 1/],
      ['version: 1\nmodel: gpt-2\nsearch:\n  evaluatons: 8\n', /^study\.yaml:4: search: `evaluatons`: did you mean `evaluations`\?/],
      ['version: 1\nmodel: gpt-2\nmodle: x\n', /^study\.yaml:3: unknown key `modle`/],
      ['version: 1\nmodel: gpt-2\narch: { timeloop: [dir/a.yaml] }\n', /^study\.yaml:3: arch\.timeloop: drop a\.yaml together with study\.yaml/],
      ['version: 1\nmodel: gpt-2\nsparsity:\n  - { weight: { density: 0.3 } }\n  - nm-2-4\n', /^study\.yaml:5: sparsity\[1\]: the page applies sparsity presets before densities per tensor/],
      ['version: 1\nmodel: gpt-2\nsparsity: { wieght: { density: 0.3 } }\n', /^study\.yaml:3: sparsity: `wieght`: did you mean `weight`\?/],
      ['version: 1\nmodel: gpt-2\nsparsity: { weight: { density: 1.5 } }\n', /^study\.yaml:3: sparsity\.weight\.density: a density is in \[0, 1\]/],
      ['version: 1\ngemms:\n  - { name: q, M: 4, K: 4, N: 4, sparsity: { B: { density: 0.5 } } }\n', /^study\.yaml:3: gemms\[0\]\.sparsity: unknown key `B` \(known keys: activation, weight, output\)/],
      ['version: 1\nmodel: gpt-2\nsearch: { budgetS: 60 }\n', /^study\.yaml:3: search\.budgetS: the page runs a fixed number of evaluations .*wall-clock/],
      ['version: 1\nmodel: gpt-2\nsearch:\n  baselines: [bitmap]\n', /^study\.yaml:4: search\.baselines: .*budget-matched baselines/],
      ['version: 1\ngemms:\n  - { name: q, M: 0, K: 4, N: 4 }\n', /^study\.yaml:3: gemms\[0\]\.M: .*>0/],
      ['version: 1\nmodel: gpt-2\nobjective: [cycles, edp]\n', /^study\.yaml:3: objective: the page breaks ties in the order cycles, energy, edp/],
      ['version: 1\nsparsity: dense\n', /^study\.yaml:1: give `model`/],
      ['version: 1\ngemms:\n  - { name: "a b", M: 1, K: 4, N: 4 }\n', /^study\.yaml:3: gemms\[0\]\.name: expected a name without spaces/],
      ['version: 1\nmodel: gpt-2\nsearch: { evaluations: 200000 }\n', /^study\.yaml:3: search\.evaluations: expected a whole number from 1 to 100000/],
      ['version: 1\nmodel: gpt-2\nmodel: x\n', /^study\.yaml:3:1: Map keys must be unique$/],
      ['version: 1\nmodel: !x gpt-2\n', /^study\.yaml:2:8: Unresolved tag: !x$/],
    ]
    for (const [text, message] of cases) {
      const r = read(text)
      expect(r.ok ? 'read' : r.message, text).toMatch(message)
    }
  })

  it("refuses a spec the CLI refuses with the CLI's message: one reader and one schema (@snipsnap/explorer/study)", () => {
    const texts = [
      'version: 1\nmodel: gpt-2\nsearch:\n  evaluatons: 8\n',
      'version: 1\nmodel: gpt-2\ngemms: [{ name: q, M: 1, K: 1, N: 1 }]\n',
      'version: 1\ngemms:\n  - { name: q, M: 1, K: 1, N: 1 }\n  - { name: q, M: 2, K: 1, N: 1 }\n',
      'version: 1\nmodel: gpt-2\nhardware: { glbKib: 64 }\n',
      'version: 1\nmodel: gpt-2\nsparsity: [{ weight: { density: 0.3, phase: [decode] } }]\n',
      'version: 1\nmodel: [gpt-2\n',
    ]
    for (const text of texts) {
      let cli = ''
      try {
        parseCliStudy('study.yaml', text)
      } catch (error) {
        cli = (error as Error).message
      }
      expect(cli, text).toMatch(/^study\.yaml:\d+/)
      expect(read(text), text).toEqual({ ok: false, message: cli })
    }
  })

  it('tells a spec from Timeloop YAML and from a study saved by the page', () => {
    const timeloop = readFileSync(path.join(repo, '..', 'shared', 'reference', 'sparseloop-mapper', 'stc-M512-K1024-N256-w0.5', 'input.yaml'), 'utf8')
    expect(looksLikeSpec(parseSpecText(timeloop)?.value)).toBe(false)
    expect(readDroppedSpec([{ fileName: 'input.yaml', text: timeloop }], DEFAULT_STUDY)).toBeNull()
    expect(readDroppedSpec([{ fileName: 'saved.json', text: JSON.stringify(DEFAULT_STUDY) }], DEFAULT_STUDY)).toBeNull()
    // JSON is a spec too.
    const json = readDroppedSpec([{ fileName: 'study.json', text: JSON.stringify({ version: 1, model: 'bert-base', search: { evaluations: 9 } }) }], DEFAULT_STUDY)
    expect(json?.ok && json.study).toMatchObject({ workload: { kind: 'zoo', model: 'bert-base' }, evaluations: 9 })
    // A spec comes alone.
    const both = readDroppedSpec([{ fileName: 'input.yaml', text: timeloop }, { fileName: 'study.yaml', text: 'version: 1\nmodel: gpt-2\n' }], DEFAULT_STUDY)
    expect(both).toEqual({ ok: false, message: 'study.yaml is a SnipSnap study spec: drop it alone or with the Timeloop files its arch.timeloop lists (it came with input.yaml, which it does not list)' })
  })
})

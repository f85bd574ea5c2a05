// Study specs beyond a zoo model on a preset: a list of GEMMs, densities per tensor and Timeloop
// architecture files. Each is validated with errors naming file, line and key, applied as explore
// options, and run end to end on a tiny budget (a Timeloop copy of a preset gives the preset's
// numbers exactly, so the files are read and used, not ignored).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { SnipSnapError } from '@snipsnap/core'
import fc from 'fast-check'
import type { SparsityPreset } from '@snipsnap/workloads'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../testing/run-cli'
import { studyExtras, studyOptionValues, withStudy, type StudyExtras } from './apply'
import { parseStudy } from '@snipsnap/explorer/study'

const tmp = mkdtempSync(join(tmpdir(), 'snipsnap-study-sources-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** The llm-default preset as Timeloop files (examples/studies/arch), copied beside the specs. */
const EXAMPLE_ARCH = resolve(import.meta.dirname, '..', '..', '..', '..', 'examples', 'studies', 'arch')
mkdirSync(join(tmp, 'arch'))
for (const file of ['llm-default.arch.yaml', 'llm-default.ERT.yaml', 'llm-default.ART.yaml']) copyFileSync(join(EXAMPLE_ARCH, file), join(tmp, 'arch', file))

const messageOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (e) {
    if (e instanceof SnipSnapError) return e.message
    throw e
  }
  throw new Error('expected an error')
}
const errorOf = (text: string): string => messageOf(() => parseStudy('study.yaml', text))

const command = (given: readonly string[] = []) => ({
  getOptionValueSource: (key: string) => (given.includes(key) ? 'cli' : 'default'),
  options: ['model', 'phase', 'sparsity', 'arch', 'objective', 'evaluations', 'baselines', 'seed', 'out', 'spec'].map((k) => ({ attributeName: () => k })),
})
/** withStudy on a spec file written to the temporary folder. */
const applied = (name: string, text: string, given: readonly string[] = []) => {
  const spec = join(tmp, name)
  writeFileSync(spec, text)
  return withStudy({ spec } as { spec: string; model?: string; sparsity?: string; arch?: string; study?: StudyExtras }, command(given))
}

describe('a list of GEMMs instead of a zoo model', () => {
  const text = 'version: 1\ngemms:\n  - { name: q, M: 16, K: 64, N: 32, count: 4 }\n  - { name: q, M: 1, K: 64, N: 32, phase: decode }\n  - { name: o, M: 16, K: 32, N: 64 }\n'

  it('becomes the workloads\' linear layers of each phase, named after the spec', () => {
    const study = parseStudy('g.yaml', text)
    expect(studyOptionValues(study, 'dir/g.yaml')['model']).toEqual({ value: 'GEMMs of g.yaml', key: 'gemms' })
    const { layers } = studyExtras(study, 'g.yaml')
    expect(layers?.prefill?.map((l) => [l.name, l.M, l.K, l.N, l.count])).toEqual([['q', 16, 64, 32, 4], ['o', 16, 32, 64, 1]])
    expect(layers?.decode?.map((l) => [l.name, l.M, l.count, l.op, l.tensors])).toEqual([['q', 1, 1, 'linear', { A: 'activation', B: 'weight', Z: 'output' }]])
  })

  it('a GEMM\'s own densities go on the operands its roles name; errors name the GEMM\'s setting', () => {
    const study = parseStudy('o.yaml', 'version: 1\ngemms:\n  - { name: a, M: 1, K: 2, N: 3 }\n  - name: b\n    M: 1\n    K: 2\n    N: 3\n    sparsity:\n      weight: { density: 0.3 }\n      activation: { distribution: nm, density: 0.5, params: { n: 2, m: 4, rank: 1 } }\n')
    const [a, b] = studyExtras(study, 'o.yaml').layers?.prefill ?? []
    expect(a?.densities).toBeUndefined()
    expect(b?.densities).toEqual({ B: { distribution: 'hypergeometric', density: 0.3, params: {} }, A: { distribution: 'n-m', density: 0.5, params: { n: 2, m: 4, rank: 1 } } })
    expect(errorOf('version: 1\ngemms:\n  - name: a\n    M: 1\n    K: 2\n    N: 3\n    sparsity:\n      weights: { density: 0.3 }\n')).toMatch(/^study\.yaml:8: gemms\[0\]\.sparsity: `weights`: did you mean `weight`\? /)
    expect(errorOf('version: 1\ngemms:\n  - name: a\n    M: 1\n    K: 2\n    N: 3\n    sparsity:\n      key: { density: 0.3 }\n')).toBe('study.yaml:8: gemms[0].sparsity: unknown key `key` (known keys: activation, weight, output)')
    expect(errorOf('version: 1\ngemms:\n  - name: a\n    M: 1\n    K: 2\n    N: 3\n    sparsity:\n      weight: { density: 0.3, phases: [decode] }\n')).toBe('study.yaml:8: gemms[0].sparsity.weight: unknown key `phases` (known keys: density, distribution, params)')
    expect(messageOf(() => applied('gnm.yaml', 'version: 1\ngemms:\n  - name: a\n    M: 1\n    K: 2\n    N: 3\n    sparsity:\n      weight: { distribution: n-m, density: 0.5 }\n'))).toBe(
      `${join(tmp, 'gnm.yaml')}:8: gemms[0].sparsity.weight.params: distribution 'n-m' needs integer params n and m`,
    )
    expect(applied('gid.yaml', 'version: 1\ngemms:\n  - name: a\n    M: 1\n    K: 2\n    N: 3\n    sparsity:\n      weight: { distribution: gauss, density: 0.5 }\n').study?.densityModels).toEqual([{ id: 'gauss', where: `${join(tmp, 'gid.yaml')}:8: gemms[0].sparsity.weight.distribution` }])
  })

  it('--model replaces the list', () => {
    expect(applied('g.yaml', text).study?.layers).toBeDefined()
    const withFlag = applied('g.yaml', text, ['model'])
    expect(withFlag.study?.layers).toBeUndefined()
  })

  it('exactly one of model and gemms, zoo-only settings, names and phases: errors name line and key', () => {
    expect(errorOf('version: 1\nmodel: gpt-2\ngemms:\n  - { name: a, M: 1, K: 1, N: 1 }\n')).toBe('study.yaml:3: gemms: give `model` or `gemms`, not both')
    expect(errorOf('version: 1\ngemms:\n  - { name: a, M: 1, K: 1, N: 1 }\nseqLen: 128\n')).toBe('study.yaml:4: seqLen: applies to a zoo model only (a GEMM list gives each shape and count)')
    expect(errorOf('version: 1\ngemms:\n  - { name: a, M: 1, K: 1, N: 1 }\n  - name: a\n    M: 2\n    K: 1\n    N: 1\n')).toBe("study.yaml:4: gemms[1].name: `a` is also gemms[0]'s name in prefill; names are unique per phase")
    expect(errorOf('version: 1\ngemms:\n  - { name: a, M: 1, K: 1, N: 1 }\nphases: [prefill, decode]\n')).toBe('study.yaml:4: phases[1]: no GEMM of the list runs in decode (a GEMM\'s phase defaults to prefill)')
    expect(errorOf('version: 1\ngemms:\n  - { name: a, M: 1, K: 1, N: 1 }\n  - { name: b, M: 0, K: 1, N: 1 }\n')).toMatch(/^study\.yaml:4: gemms\[1\]\.M: /)
    expect(errorOf('version: 1\ngemms:\n  - { name: a, M: 1, K: 1, N: 1, phase: encode }\n')).toMatch(/^study\.yaml:3: gemms\[0\]\.phase: /)
    expect(errorOf('version: 1\ngemms:\n  - name: a\n    M: 1\n    K: 1\n    N: 1\n    cuont: 2\n')).toMatch(/^study\.yaml:7: gemms\[0\]: `cuont`: did you mean `count`\? /)
    expect(errorOf('version: 1\ngemms: []\n')).toMatch(/^study\.yaml:2: gemms: /)
  })
})

describe('densities per tensor', () => {
  it('are presets whose rules select tensors by role, with the canonical density model id; ids are kept with their line for the run to check', () => {
    const { study } = applied('d.yaml', 'version: 1\nmodel: gpt-2\nsparsity:\n  - unstructured-50\n  - activation: { density: 0.5 }\n    weight: { distribution: nm, density: 0.5, params: { n: 2, m: 4, rank: 0 }, phases: [decode] }\n')
    const [preset, perTensor] = study?.sparsity ?? []
    expect(preset).toBe('unstructured-50')
    expect((perTensor as SparsityPreset).rules).toEqual([
      { roles: ['weight'], phases: ['decode'], distribution: 'n-m', density: 0.5, params: { n: 2, m: 4, rank: 0 } },
      { roles: ['activation'], phases: ['prefill', 'decode'], distribution: 'hypergeometric', density: 0.5 },
    ])
    expect(study?.densityModels).toEqual([
      { id: 'nm', where: `${join(tmp, 'd.yaml')}:6: sparsity[1].weight.distribution` },
      { id: 'hypergeometric', where: `${join(tmp, 'd.yaml')}:5: sparsity[1].activation` },
    ])
  })

  it('a preset list stays the --sparsity value; --sparsity replaces densities per tensor', () => {
    expect(applied('p.yaml', 'version: 1\nmodel: gpt-2\nsparsity: [unstructured-50, activation-50]\n')).toMatchObject({ sparsity: 'unstructured-50,activation-50' })
    const single = applied('s.yaml', 'version: 1\nmodel: gpt-2\nsparsity: { weight: { density: 0.2 } }\n')
    expect((single.study?.sparsity?.[0] as SparsityPreset).rules).toEqual([{ roles: ['weight'], phases: ['prefill', 'decode'], distribution: 'hypergeometric', density: 0.2 }])
    expect(applied('s.yaml', 'version: 1\nmodel: gpt-2\nsparsity: { weight: { density: 0.2 } }\n', ['sparsity']).study?.sparsity).toBeUndefined()
  })

  it('errors name line and key: a misspelled role, a density outside [0, 1], a model without its parameters', () => {
    expect(errorOf('version: 1\nmodel: gpt-2\nsparsity:\n  - weights: { density: 0.5 }\n')).toMatch(/^study\.yaml:4: sparsity\[0\]: `weights`: did you mean `weight`\?/)
    expect(errorOf('version: 1\nmodel: gpt-2\nsparsity:\n  weight:\n    density: 1.5\n')).toBe('study.yaml:5: sparsity.weight.density: a density is in [0, 1]')
    expect(errorOf('version: 1\nmodel: gpt-2\nsparsity:\n  weight: { densty: 0.5 }\n')).toMatch(/^study\.yaml:4: sparsity\.weight: `densty`: did you mean `density`\? /)
    expect(errorOf('version: 1\nmodel: gpt-2\nsparsity: 50\n')).toBe('study.yaml:3: sparsity: expected a sparsity preset id or densities per tensor, or a non-empty list of them')
    expect(messageOf(() => applied('nm.yaml', 'version: 1\nmodel: gpt-2\nsparsity:\n  - dense\n  - weight: { distribution: n-m, density: 0.5 }\n'))).toBe(`${join(tmp, 'nm.yaml')}:5: sparsity[1].weight.params: distribution 'n-m' needs integer params n and m`)
  })
})

describe('Timeloop architecture files instead of a preset', () => {
  it('reads the architecture and its tables, files relative to the spec; the arch is named after them', () => {
    const options = applied('t.yaml', 'version: 1\nmodel: gpt-2\narch:\n  timeloop: [arch/llm-default.arch.yaml, arch/llm-default.ERT.yaml]\n')
    expect(options.arch).toBe('llm-default.arch.yaml + llm-default.ERT.yaml')
    expect(options.study?.archSpec?.arch.storage.map((l) => l.name)).toEqual(['DRAM', 'GLB', 'Buffer'])
    expect(options.study?.archSpec?.energyTable?.entries.length).toBeGreaterThan(0)
    expect(options.study?.archSpec?.areaTable).toBeNull()
    // A folder is all its .yaml files; --arch replaces the files (which are then not read).
    expect(applied('f.yaml', 'version: 1\nmodel: gpt-2\narch: { timeloop: arch }\n').study?.archSpec?.areaTable).not.toBeNull()
    expect(applied('m.yaml', 'version: 1\nmodel: gpt-2\narch: { timeloop: [missing.yaml] }\n', ['arch']).study?.archSpec).toBeUndefined()
  })

  it('errors name the spec\'s line and key, then the Timeloop file', () => {
    expect(errorOf('version: 1\nmodel: gpt-2\narch:\n  timeloops: [a.yaml]\n')).toMatch(/^study\.yaml:4: arch: `timeloops`: did you mean `timeloop`\?/)
    expect(errorOf('version: 1\nmodel: gpt-2\narch: 3\n')).toBe('study.yaml:3: arch: expected an architecture preset id, or { timeloop: [files] }')
    expect(messageOf(() => applied('m.yaml', 'version: 1\nmodel: gpt-2\narch:\n  timeloop:\n    - arch/llm-default.arch.yaml\n    - arch/nope.yaml\n'))).toBe(
      `${join(tmp, 'm.yaml')}:6: arch.timeloop[1]: no such file or folder: ${join(tmp, 'arch', 'nope.yaml')}`,
    )
    expect(messageOf(() => applied('e.yaml', 'version: 1\nmodel: gpt-2\narch: { timeloop: arch/llm-default.ERT.yaml }\n'))).toBe(
      `${join(tmp, 'e.yaml')}:3: arch.timeloop: no architecture section in ${join(tmp, 'arch', 'llm-default.ERT.yaml')}`,
    )
    writeFileSync(join(tmp, 'unused.arch.yaml'), 'architecture:\n  version: 0.3\n  subtree:\n    - name: system\n      local:\n        - { name: DRAM, class: DRAM, attributes: { width: 64, depth: 1024, datawidth: 8, colour: red } }\n        - { name: MAC, class: compute, attributes: { datawidth: 8 } }\n')
    expect(applied('u.yaml', 'version: 1\nmodel: gpt-2\narch: { timeloop: unused.arch.yaml }\n').study?.warnings).toEqual([`${join(tmp, 'u.yaml')}:3: arch.timeloop: not used by the model: attribute \`colour\` (DRAM)`])
    // A whole Timeloop case (problem, mapping, …) as the files: those sections are said to be not read.
    writeFileSync(join(tmp, 'case.yaml'), `${readFileSync(join(tmp, 'unused.arch.yaml'), 'utf8').replace(', colour: red', '')}problem: { shape: { name: mm } }\nmapping: []\nsparse-optimizations: {}\n`)
    expect(applied('c.yaml', 'version: 1\nmodel: gpt-2\narch: { timeloop: case.yaml }\n').study?.warnings).toEqual([
      `${join(tmp, 'c.yaml')}:3: arch.timeloop: not read (a study's workload comes from model or gemms, its mapping from the search): \`problem\` (case.yaml); \`mapping\` (case.yaml); \`sparse-optimizations\` (case.yaml)`,
    ])
    writeFileSync(join(tmp, 'bad.arch.yaml'), 'architecture:\n  version: 0.3\n  subtre: []\n')
    const bad = messageOf(() => applied('b.yaml', 'version: 1\nmodel: gpt-2\narch: { timeloop: bad.arch.yaml }\n'))
    expect(bad).toMatch(new RegExp(`^${join(tmp, 'b.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: arch\\.timeloop: .*bad\\.arch\\.yaml.*subtre`))
  })
})

describe('any spec text', () => {
  it('is a study or one INVALID_SPEC / PARSE_ERROR naming the file and a line, never another error', () => {
    // Values built from the keys and shapes a study has, so that most inputs get past the top level.
    const leaf = fc.oneof(fc.constantFrom('llm-default', 'unstructured-50', 'decode', 'a.yaml', 'n-m'), fc.integer({ min: -2, max: 5 }), fc.double({ min: -1, max: 2, noNaN: true }), fc.boolean(), fc.constant(null))
    const keys = fc.constantFrom('version', 'model', 'gemms', 'phases', 'sparsity', 'arch', 'timeloop', 'weight', 'activation', 'density', 'distribution', 'params', 'name', 'M', 'K', 'N', 'count', 'phase', 'search', 'seqLen', 'evaluations', 'wieght')
    const value = fc.letrec((tie) => ({ node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(keys, tie('node'), { maxKeys: 4 })) })).node
    const spec = fc.record({ version: fc.constantFrom(1, 2), rest: fc.dictionary(keys, value, { maxKeys: 5 }) }).map(({ version, rest }) => ({ version, ...rest }))
    fc.assert(
      fc.property(spec, (data) => {
        try {
          parseStudy('study.yaml', JSON.stringify(data, null, 2))
        } catch (error) {
          expect(error).toBeInstanceOf(SnipSnapError)
          expect((error as SnipSnapError).code).toMatch(/^(INVALID_SPEC|PARSE_ERROR)$/)
          for (const line of (error as SnipSnapError).message.split('\n')) expect(line).toMatch(/^study\.yaml:\d+: /)
        }
      }),
      { seed: 13, numRuns: 300 },
    )
  })
})

describe('examples/studies/gemms.yaml', () => {
  it('is a valid study using a GEMM list, densities per tensor and Timeloop files, and points editors at the schema', () => {
    const file = resolve(EXAMPLE_ARCH, '..', 'gemms.yaml')
    const options = withStudy({ spec: file } as { spec: string; model?: string; arch?: string; study?: StudyExtras }, command())
    expect(readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/apps\/cli\/study\.schema\.json$/m)
    expect(options.model).toBe('GEMMs of gemms.yaml')
    expect(options.arch).toBe('llm-default.arch.yaml + llm-default.ERT.yaml + llm-default.ART.yaml')
    expect(Object.keys(options.study?.layers ?? {})).toEqual(['prefill', 'decode'])
    expect(options.study?.sparsity?.[0]).toBe('unstructured-50')
    expect(options.study?.archSpec?.energyTable).not.toBeNull()
  })
})

describe('explore --spec with GEMMs, densities per tensor and Timeloop files', () => {
  interface Result {
    model: string
    arch: string
    totalEnergyPJ: number
    phases: { phase: string }[]
    layers: { phase: string; names: string[]; count: number; densities: Record<string, number>; energyPJ: number | null }[]
  }
  const run = async (name: string, text: string, extra: readonly string[] = []): Promise<Result> => {
    const spec = join(tmp, name)
    writeFileSync(spec, text)
    const { code, stdout, stderr } = await runCli(['explore', '--spec', spec, '--json', ...extra])
    // The Timeloop reader's notes on the files (as evaluate prints them), nothing else.
    expect(stderr.split('\n').filter((line) => line !== '' && !/^snipsnap: warning: .*: arch\.timeloop: not used by the model: /.test(line))).toEqual([])
    expect(code).toBe(0)
    return JSON.parse(stdout) as Result
  }
  const GEMMS = 'gemms:\n  - { name: mm, M: 16, K: 64, N: 64, count: 2 }\n  - { name: mv, M: 1, K: 64, N: 64, count: 3, phase: decode, sparsity: { weight: { density: 0.3 } } }\n'
  const SEARCH = 'search: { evaluations: 4, baselines: [none], seed: 2 }\n'
  const SPARSITY = 'sparsity:\n  - unstructured-50\n  - activation: { density: 0.25 }\n'

  it('runs a GEMM list with densities per tensor; Timeloop files of a preset give the preset\'s numbers', async () => {
    const preset = await run('run-preset.yaml', `version: 1\n${GEMMS}${SPARSITY}arch: llm-default\n${SEARCH}`)
    expect(preset.model).toBe('GEMMs of run-preset.yaml')
    expect(preset.phases.map((p) => p.phase)).toEqual(['prefill', 'decode'])
    expect(preset.layers.map((l) => [l.phase, l.names, l.count, l.densities])).toEqual([
      ['prefill', ['mm'], 2, { A: 0.25, B: 0.5 }],
      ['decode', ['mv'], 3, { A: 0.25, B: 0.3 }],
    ])
    for (const layer of preset.layers) expect(layer.energyPJ).toBeGreaterThan(0)
    const files = await run('run-files.yaml', `version: 1\n${GEMMS}${SPARSITY}arch:\n  timeloop: [arch/llm-default.arch.yaml, arch/llm-default.ERT.yaml, arch/llm-default.ART.yaml]\n${SEARCH}`)
    expect(files.arch).toBe('llm-default.arch.yaml + llm-default.ERT.yaml + llm-default.ART.yaml')
    expect(files.layers.map((l) => l.energyPJ)).toEqual(preset.layers.map((l) => l.energyPJ))
    expect(files.totalEnergyPJ).toBe(preset.totalEnergyPJ)
    // Without ERT and ART the tables are estimated: the preset with its tables estimated (hardware: {}).
    const estimated = await run('run-estimated.yaml', `version: 1\n${GEMMS}${SPARSITY}arch: { timeloop: arch/llm-default.arch.yaml }\n${SEARCH}`)
    const presetEstimated = await run('run-preset-estimated.yaml', `version: 1\n${GEMMS}${SPARSITY}arch: llm-default\nhardware: {}\n${SEARCH}`)
    expect(estimated.totalEnergyPJ).toBe(presetEstimated.totalEnergyPJ)
    expect(estimated.totalEnergyPJ).not.toBe(preset.totalEnergyPJ)
    // --model replaces the GEMM list, --phase picks among the list's phases.
    const decode = await run('run-preset.yaml', `version: 1\n${GEMMS}${SEARCH}`, ['--phase', 'decode'])
    expect(decode.layers.map((l) => l.names)).toEqual([['mv']])
  }, 300_000)

  it('densities per tensor apply to a zoo model\'s tensors by role', async () => {
    const result = await run('run-zoo.yaml', `version: 1\nmodel: gpt-2\nphases: [decode]\nsparsity:\n  weight: { density: 0.25 }\n  key: { distribution: fixed-structured, density: 0.5 }\n${SEARCH}`)
    // Weights (B of the linear layers) at 0.25, keys (B of QK^T) at 0.5, values and activations dense.
    const densities = Object.fromEntries(result.layers.flatMap((l) => l.names.map((n) => [n, l.densities])))
    expect(densities).toEqual({
      'attn.q_proj': { B: 0.25 },
      'attn.k_proj': { B: 0.25 },
      'attn.v_proj': { B: 0.25 },
      'attn.out_proj': { B: 0.25 },
      'ffn.fc1': { B: 0.25 },
      'ffn.fc2': { B: 0.25 },
      'attn.qk': { B: 0.5 },
      'attn.pv': {},
      lm_head: { B: 0.25 },
    })
  }, 300_000)

  it('an id or value the run rejects names the spec\'s line and key when the spec gave it, not when a flag did', async () => {
    const failing = async (name: string, text: string, extra: readonly string[] = []): Promise<string> => {
      const spec = join(tmp, name)
      writeFileSync(spec, text)
      const { code, stdout, stderr } = await runCli(['explore', '--spec', spec, ...extra])
      expect(code).toBe(1)
      expect(stdout).toBe('')
      return stderr.replace(`${spec}:`, 'SPEC:')
    }
    expect(await failing('e-model.yaml', `version: 1\nmodel: not-a-model\n${SEARCH}`)).toMatch(/^snipsnap: PLUGIN_NOT_FOUND SPEC:2: model: unknown model 'not-a-model'; known models: /)
    expect(await failing('e-model.yaml', `version: 1\nmodel: gpt-2\n${SEARCH}`, ['--model', 'nope'])).toMatch(/^snipsnap: PLUGIN_NOT_FOUND model: unknown model 'nope'/)
    expect(await failing('e-arch.yaml', `version: 1\n${GEMMS}arch: nope\n${SEARCH}`)).toMatch(/^snipsnap: PLUGIN_NOT_FOUND SPEC:5: arch: unknown architecture preset "nope"/)
    expect(await failing('e-formats.yaml', `version: 1\n${GEMMS}formats:\n  primitives:\n    - U\n    - Q\n${SEARCH}`)).toMatch(/^snipsnap: INVALID_SPEC SPEC:8: formats\.primitives\[1\]: format primitive "Q" is not in the format registry/)
    expect(await failing('e-phase.yaml', `version: 1\n${GEMMS}${SEARCH}`, ['--phase', 'prefill', '--model', 'x'])).toMatch(/^snipsnap: PLUGIN_NOT_FOUND model: unknown model 'x'/)
    expect(await failing('e-seq.yaml', `version: 1\nmodel: gpt-2\nseqLen: 100000\n${SEARCH}`)).toMatch(/^snipsnap: INVALID_SPEC SPEC:3: seqLen: /)
    expect(await failing('e-timeloop.yaml', 'version: 1\nmodel: gpt-2\narch: { timeloop: missing.yaml }\n')).toMatch(/^snipsnap: INVALID_SPEC SPEC:3: arch\.timeloop: no such file or folder: /)
  }, 120_000)

  it('an unknown density model is an error naming the spec line, the key and the registered models', async () => {
    const spec = join(tmp, 'run-unknown.yaml')
    writeFileSync(spec, `version: 1\n${GEMMS}sparsity:\n  - weight: { distribution: gaussian, density: 0.5 }\n${SEARCH}`)
    const { code, stderr } = await runCli(['explore', '--spec', spec])
    expect(code).toBe(1)
    expect(stderr).toContain(`${spec}:6: sparsity[0].weight.distribution: unknown density model "gaussian"; registered: fixed-structured, hypergeometric`)
  }, 120_000)
})

// Study specs: the committed JSON Schema is the zod schema's, the starter is a valid study that
// mentions every setting, errors name file, line and key (did-you-mean for misspellings), a spec
// fills in the flags not given, and `snipsnap init` / `explore --spec` work end to end.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { SnipSnapError } from '@snipsnap/core'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../testing/run-cli'
import { studyExtras, studyOptionValues, withStudy, type StudyExtras } from './apply'
import { HARDWARE_AXIS_NAMES } from '@snipsnap/explorer'
import { HARDWARE_KEYS, parseStudy, StudySchema } from '@snipsnap/explorer/study'
import { specJsonSchemaText } from './spec-schema'
import { SweepSpecSchema, parseSweepSpec } from '@snipsnap/sweep'
import { codeVersion } from '@snipsnap/sweep/node'
import { starterStudy } from './starter'

const tmp = mkdtempSync(join(tmpdir(), 'snipsnap-study-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const errorOf = (text: string, file = 'study.yaml'): SnipSnapError => {
  try {
    parseStudy(file, text)
  } catch (e) {
    if (e instanceof SnipSnapError) return e
    throw e
  }
  throw new Error('expected an error')
}

describe('the study schema', () => {
  it('apps/cli/study.schema.json is the one generated from the zod schema (run `pnpm --filter @snipsnap/cli schema`)', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '..', '..', 'study.schema.json'), 'utf8')
    expect(committed).toBe(specJsonSchemaText())
  })

  it('publishes the sweep spec in the same JSON Schema: a spec file is a study or a sweep, each with all its keys', () => {
    const schema = JSON.parse(specJsonSchemaText()) as { anyOf: { required: string[]; properties: Record<string, { properties?: Record<string, unknown> }>; additionalProperties: boolean }[] }
    const [study, sweep] = schema.anyOf
    expect(study?.required).toEqual(['version'])
    // Exactly one workload, as the zod refinement checks it.
    expect((study as { oneOf?: unknown } | undefined)?.oneOf).toEqual([{ required: ['model'] }, { required: ['gemms'] }])
    expect(Object.keys(study?.properties ?? {})).toEqual(Object.keys(StudySchema.shape))
    expect(sweep?.required).toEqual(['version', 'axes'])
    expect(sweep?.additionalProperties).toBe(false)
    expect(Object.keys(sweep?.properties ?? {})).toEqual(Object.keys(SweepSpecSchema.shape))
    expect(Object.keys(sweep?.properties['axes']?.properties ?? {})).toEqual(Object.keys(SweepSpecSchema.shape.axes.shape))
    // The example sweep points editors at the schema and is valid.
    const example = readFileSync(resolve(import.meta.dirname, '..', '..', '..', '..', 'examples', 'sweeps', 'small.yaml'), 'utf8')
    expect(example).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/apps\/cli\/study\.schema\.json$/m)
    expect(parseSweepSpec(example, 'small.yaml', { codeVersion: codeVersion() }).jobs.length).toBeGreaterThanOrEqual(12)
  })

  it('the starter spec is a valid study and mentions every setting', () => {
    const text = starterStudy('./study.schema.json')
    const study = parseStudy('study.yaml', text)
    expect(study).toMatchObject({ version: 1, model: 'llama-2-7b', phases: ['prefill', 'decode'], sparsity: 'unstructured-50', arch: 'llm-default' })
    const keys = [...Object.keys(StudySchema.shape).filter((k) => k !== '$schema'), ...Object.keys(StudySchema.shape.search.unwrap().shape), 'primitives', 'timeloop', 'density', 'distribution', 'params']
    for (const key of keys) expect(text, key).toMatch(new RegExp(`^\\s*#?\\s*${key.replace('$', '\\$')}:`, 'm'))
  })

  it('hardware keys are the explorer\'s hardware axes', () => {
    expect([...HARDWARE_KEYS].sort()).toEqual([...HARDWARE_AXIS_NAMES].sort())
  })

  it('reads JSON too (YAML is a superset)', () => {
    expect(parseStudy('s.json', JSON.stringify({ version: 1, model: 'gpt-2', search: { evaluations: 4 } })).search?.evaluations).toBe(4)
  })
})

describe('spec errors name the file, the line and the key', () => {
  it('a misspelled key: did you mean, at its line', () => {
    const e = errorOf('version: 1\nmodel: gpt-2\nsearch:\n  seed: 2\n  evaluatons: 3\n')
    expect(e.code).toBe('INVALID_SPEC')
    expect(e.message).toMatch(/^study\.yaml:5: search: `evaluatons`: did you mean `evaluations`\?/)
  })

  it('a misspelled required key is reported once, as the misspelling', () => {
    expect(errorOf('version: 1\nmodle: gpt-2\n').message).toMatch(/^study\.yaml:2: `modle`: did you mean `model`\?[^\n]*$/)
  })

  it('a missing key, a wrong value, a wrong version and bad YAML', () => {
    expect(errorOf('version: 1\n').message).toBe('study.yaml:1: give `model` (a zoo model id) or `gemms` (a list of GEMMs)')
    expect(errorOf('version: 1\nmodel: gpt-2\nphases: [prefill, decod]\n').message).toMatch(/^study\.yaml:3: phases\[1\]: .*"prefill"\|"decode"/)
    expect(errorOf('version: 1\nmodel: gpt-2\nobjective: [energy, area]\n').message).toBe('study.yaml:3: objective: expected one of energy, cycles, edp, or a non-empty list of them')
    expect(errorOf('version: 2\nmodel: gpt-2\n').message).toMatch(/^study\.yaml:1: version: /)
    expect(errorOf('version: 1\nmodel: gpt-2\nsearch:\n  budgetS: -1\n').message).toMatch(/^study\.yaml:4: search\.budgetS: /)
    const bad = errorOf('version: 1\nmodel: [gpt-2\n')
    expect(bad.code).toBe('PARSE_ERROR')
    expect(bad.message).toMatch(/^study\.yaml:\d+:\d+: /)
    expect(errorOf('version: 1\nmodel: a\nmodel: b\n').message).toBe('study.yaml:3:1: Map keys must be unique')
    // As every spec reader (@snipsnap/core/yaml): an unknown tag is refused, not read as a plain string.
    expect(errorOf('version: 1\nmodel: !fast gpt-2\n').message).toBe('study.yaml:2:8: Unresolved tag: !fast')
  })
})

describe('a spec as explore options', () => {
  const file = join(tmp, 'unit.yaml')
  writeFileSync(file, 'version: 1\nmodel: gpt-2\nphases: [decode]\nsparsity: [unstructured-50, activation-50]\nobjective: [energy, cycles]\nsearch:\n  evaluations: 7\n  seed: 3\n')
  const command = (given: string[], known = ['model', 'phase', 'sparsity', 'arch', 'objective', 'evaluations', 'seed', 'out', 'spec']) => ({
    getOptionValueSource: (key: string) => (given.includes(key) ? 'cli' : 'default'),
    options: known.map((k) => ({ attributeName: () => k })),
  })

  it('gives each setting as its flag would, and a flag given wins', () => {
    const merged = withStudy({ spec: file, model: 'llama-2-7b', phase: 'prefill', seed: '1', sparsity: 'dense' }, command(['model']))
    expect(merged).toMatchObject({ model: 'llama-2-7b', phase: 'decode', sparsity: 'unstructured-50,activation-50', objective: 'energy,cycles', evaluations: '7', seed: '3' })
  })

  it('names a setting the command has no option for', () => {
    expect(() => withStudy({ spec: file }, command([], ['model', 'phase', 'sparsity', 'objective', 'seed']))).toThrowError(/unit\.yaml: search\.evaluations is not supported by this version of snipsnap explore/)
  })

  it('passes the settings without a flag as options.study, misspelled hardware keys named', () => {
    const spec = join(tmp, 'extras.yaml')
    writeFileSync(spec, 'version: 1\nmodel: gpt-2\nhardware: { glbKiB: 256, peArray: 8x8 }\nformats: { primitives: [U, B] }\nseqLen: 512\nbatch: 2\n')
    const { located, ...study } = (withStudy({ spec }, command([])) as { study?: StudyExtras }).study ?? {}
    expect(study).toEqual({ hardware: { glbKiB: 256, peArray: '8x8' }, formatSpace: { primitives: ['U', 'B'] }, seqLen: 512, batch: 2 })
    // Where the settings are, for errors the run finds in them.
    expect(located?.paths).toEqual({ model: ['model'], hardware: ['hardware'], formatSpace: ['formats'], seqLen: ['seqLen'], batch: ['batch'] })
    expect(located?.at(['formats', 'primitives', 1])).toBe(`${spec}:4: formats.primitives[1]`)
    expect(errorOf('version: 1\nmodel: gpt-2\nhardware:\n  glbKib: 256\n').message).toMatch(/^study\.yaml:4: hardware: `glbKib`: did you mean `glbKiB`\?/)
    expect(errorOf('version: 1\nmodel: gpt-2\nhardware:\n  peArray: 8by8\n').message).toBe('study.yaml:4: hardware.peArray: a PE array shape is written XxY, e.g. 8x16')
  })

  it('maps every setting of the schema', () => {
    const all = parseStudy('all.yaml', 'version: 1\nmodel: m\nphases: [prefill]\nsparsity: s\narch: a\nobjective: edp\nout: o\nlowering: im2col\nsearch: { evaluations: 1, patience: 2, budgetS: 3, seed: 4, baselines: [csr] }\n')
    expect(Object.keys(studyOptionValues(all)).sort()).toEqual(['arch', 'baselines', 'budgetS', 'evaluations', 'lowering', 'model', 'objective', 'out', 'patience', 'phase', 'seed', 'sparsity'])
    const flagged = new Set(['$schema', 'version', 'model', 'phases', 'sparsity', 'arch', 'objective', 'search', 'out', 'lowering'])
    const withoutFlag = Object.keys(StudySchema.shape).filter((k) => !flagged.has(k))
    expect(withoutFlag.sort()).toEqual(['batch', 'formats', 'gemms', 'hardware', 'seqLen'])
    expect(Object.keys(studyExtras(parseStudy('x.yaml', 'version: 1\nmodel: m\nhardware: { wordBits: 8 }\nformats: { flatten: false }\nseqLen: 1\nbatch: 1\n'))).sort()).toEqual(['batch', 'formatSpace', 'hardware', 'seqLen'])
    expect(Object.keys(studyExtras(parseStudy('x.yaml', 'version: 1\ngemms: [{ name: g, M: 1, K: 2, N: 3 }]\n')))).toEqual(['layers'])
  })
})

describe('snipsnap init and explore --spec', () => {
  it('init writes the starter, then refuses to overwrite it without --force', async () => {
    const file = join(tmp, 'init', 'study.yaml')
    expect((await runCli(['init', file])).stderr).toMatch(/cannot write/)
    const dir = join(tmp, 'init-ok')
    const target = join(dir, 'study.yaml')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir)
    const first = await runCli(['init', target])
    expect(first.code).toBe(0)
    expect(readFileSync(target, 'utf8')).toBe(starterStudy('./node_modules/@snipsnap/cli/study.schema.json'))
    writeFileSync(target, 'mine')
    const again = await runCli(['init', target])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/study\.yaml exists; give --force to replace it/)
    expect(readFileSync(target, 'utf8')).toBe('mine')
    expect((await runCli(['init', target, '--force'])).code).toBe(0)
    expect(readFileSync(target, 'utf8')).toMatch(/^# yaml-language-server: \$schema=/)
  })

  it('explore --spec runs the study; flags override it; a bad spec is an error naming file and line', async () => {
    const out = join(tmp, 'spec-out')
    const spec = join(tmp, 'study.yaml')
    writeFileSync(spec, `version: 1\nmodel: not-a-model\nphases: [decode]\nsparsity: unstructured-50\nsearch:\n  evaluations: 4\nout: ${JSON.stringify(out)}\n`)
    const { code, stdout, stderr } = await runCli(['explore', '--spec', spec, '--model', 'llama-2-7b', '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as { model: string; layers: { phase?: string }[] }
    expect(json.model).toBe('llama-2-7b')
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    const bad = join(tmp, 'bad.yaml')
    writeFileSync(bad, 'version: 1\nmodel: llama-2-7b\nsearch:\n  sed: 2\n')
    const failed = await runCli(['explore', '--spec', bad])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(`${bad}:4: search: \`sed\`: did you mean \`seed\`?`)
    expect((await runCli(['explore', '--evaluations', '2'])).stderr).toMatch(/a model is required: --model <id>, or `model:` \(or `gemms:`\) in the --spec file/)
  }, 120_000)

  it('explore --spec applies the settings without a flag: hardware point and format space', async () => {
    const spec = join(tmp, 'extras-run.yaml')
    writeFileSync(spec, 'version: 1\nmodel: llama-2-7b\nphases: [decode]\nhardware: { glbKiB: 256 }\nformats: { primitives: [U, B] }\nsearch: { evaluations: 4 }\n')
    const { code, stdout, stderr } = await runCli(['explore', '--spec', spec, '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as { hardware: Record<string, unknown>; layers: { formats: { format: string }[] }[] }
    expect(json.hardware['glbKiB']).toBe(256)
    const ranks = json.layers.flatMap((l) => l.formats.flatMap((f) => f.format.split('-').map((r) => r.replace(/\(.*$/, ''))))
    expect(ranks.length).toBeGreaterThan(0)
    // Only the primitives the spec allows (the default space also has UOP, CP, RLE …).
    for (const rank of ranks) expect(['U', 'B', 'uncompressed']).toContain(rank)
    const bad = join(tmp, 'extras-bad.yaml')
    writeFileSync(bad, 'version: 1\nmodel: llama-2-7b\nphases: [decode]\nformats: { primitives: [B] }\nsearch: { evaluations: 2 }\n')
    expect((await runCli(['explore', '--spec', bad])).stderr).toMatch(/format space needs the U primitive/)
  }, 180_000)
})

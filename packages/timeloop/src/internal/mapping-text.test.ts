// The one-pass mapping-text reader must give exactly the general path's mapping (`yaml`, then the
// general section reader) wherever it answers, answer for the shared rows, and never answer
// where the general path reports an error.
import fs from 'node:fs'
import path from 'node:path'
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { MappingSpec } from '@snipsnap/core'
import { parseTimeloopMapping, parseTimeloopYaml } from '../parse'
import { isRecord } from './read'
import { mappingContext, type MappingContext, parseMappingSection } from './mapping'
import { readMappingText } from './mapping-text'
import { readRandomMappingCases, readSource, sharedReference, type RandomMappingCase } from './random-cases-fixture'

const cases: readonly RandomMappingCase[] = readRandomMappingCases()

/** The general path's answer for a mapping text: `yaml`, then the general section reader; or 'ERROR'. */
const general = (text: string, context: MappingContext): MappingSpec | 'ERROR' => {
  try {
    const data: unknown = parse(text)
    if (!isRecord(data) || Object.keys(data).length !== 1 || !Object.hasOwn(data, 'mapping')) return 'ERROR'
    return parseMappingSection(data['mapping'], { file: 'row', path: ['mapping'] }, context)
  } catch {
    return 'ERROR'
  }
}

describe('readMappingText', () => {
  it('reads every shared random-mapping row, exactly as the general path does', () => {
    expect(cases.length).toBeGreaterThan(5)
    let rows = 0
    for (const { context, texts } of cases) {
      for (const text of texts) {
        const want = general(text, context)
        expect(want).not.toBe('ERROR')
        expect(readMappingText(text, context)).toEqual(want)
        rows++
      }
    }
    expect(rows).toBeGreaterThan(700)
  })

  it('reads the mapper cases’ map.yaml files as the general path does, when it answers', () => {
    const mapper = path.join(sharedReference, 'sparseloop-mapper')
    for (const name of fs.readdirSync(mapper).filter((d) => fs.statSync(path.join(mapper, d)).isDirectory())) {
      const dir = path.join(mapper, name)
      const design = parseTimeloopYaml(['input.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => readSource(path.join(dir, f))))
      const context = mappingContext(design.problem, design.arch)
      for (const map of fs.readdirSync(dir).filter((f) => f.endsWith('.map.yaml'))) {
        const text = fs.readFileSync(path.join(dir, map), 'utf8')
        const fast = readMappingText(text, context)
        if (fast !== undefined) expect(fast).toEqual(general(text, context))
      }
    }
  })

  it('leaves what it does not cover to the general path', () => {
    const { context } = cases.find((c) => c.name.startsWith('fig15-STC-M512')) as RandomMappingCase
    const row = '- {target: DRAM, type: temporal, factors: M=32 N=256 K=1, permutation: MKN}'
    for (const text of [
      `mapping:\n${row} # comment\n`,
      `mapping:\n-  {target: DRAM, type: temporal}\n`,
      `mapping:\n- {target: "DRAM", type: temporal}\n`,
      `mapping:\n- {target: DRAM, type: temporal, extra: 1}\n`,
      `mapping:\n- {target: DRAM, type: temporal, target: DRAM}\n`,
      `mapping:\n\t${row}\n`,
      `mapping:\r\n${row}\r\n`,
      `mapping:\n${row}\nother: 1\n`,
      `${row}\n`,
      `mapping:\n- {target: DRAM, type: temporal, factors: M=32 N=256 K=1, permutation: null}\n`,
      `mapping:\n- target: DRAM\n   type: temporal\n`,
      // Keys that start like directive keys.
      `mapping:\n- {target: DRAM, types: temporal}\n`,
      `mapping:\n- {targets: DRAM, type: temporal}\n`,
      `mapping:\n- {target:DRAM, type: temporal}\n`,
      `mapping:\n- {target: DRAM, type: spatial, splits: 1}\n`,
      `mapping:\n- {target: DRAM, type: spatial, split:1}\n`,
      `mapping:\n- {target: DRAM, type: temporal, permutations: MKN}\n`,
      `mapping:\n- {target: DRAM, type: temporal, factor: M=32 N=256 K=1}\n`,
      `mapping:\n- target: DRAM\n  type: datatype\n  keeps: [A]\n`,
      `mapping:\n- target: DRAM\n  type: datatype\n  streams: [A]\n`,
      `mapping:\n- target: DRAM\n  type: datatype\n  bypassed: [A]\n`,
    ]) {
      expect(readMappingText(text, context)).toBeUndefined()
    }
  })

  it('reads long texts, and texts after non-ASCII ones, as the general path does', () => {
    const { context, texts } = cases.find((c) => c.name.startsWith('fig15-STC-M512')) as RandomMappingCase
    const text = texts[0] as string
    // Longer than the reader's first byte buffer, which then grows.
    const long = `${text}${' '.repeat(5000)}\n${'\n'.repeat(3000)}`
    expect(readMappingText(long, context)).toEqual(general(long, context))
    // A text with a character outside ASCII is left to the general path (here it is an error:
    // no such level); the bytes it left in the buffer do not leak into the next, shorter text.
    const accented = text.replace('target: DRAM', 'target: DRAMé')
    expect(readMappingText(accented, context)).toBeUndefined()
    expect(general(accented, context)).toBe('ERROR')
    const short = `mapping:\n- {target: DRAM, type: temporal, factors: M=512 N=256 K=1024}`
    expect(readMappingText(short, context)).toEqual(general(short, context))
    expect(readMappingText(`${short.slice(0, -1)}`, context)).toBeUndefined()
  })

  it('reads names that are not ASCII through the general path', () => {
    const { design } = cases.find((c) => c.name.startsWith('fig15-STC-M512')) as RandomMappingCase
    const arch = { ...design.arch, storage: design.arch.storage.map((level) => (level.name === 'DRAM' ? { ...level, name: 'DRÄM' } : level)) }
    const context = mappingContext(design.problem, arch)
    const text = `mapping:\n- {target: DRÄM, type: temporal, factors: M=512 N=256 K=1024}\n`
    expect(readMappingText(text, context)).toBeUndefined()
    const want = general(text, context)
    expect(want).not.toBe('ERROR')
    expect(parseTimeloopMapping(text, design.problem, arch)).toEqual(want)
  })

  const primeFactors = (n: number): number[] => {
    const out: number[] = []
    for (let p = 2; p * p <= n; p++) for (; n % p === 0; n /= p) out.push(p)
    if (n > 1) out.push(n)
    return out
  }

  // Mappings generated from a design: every dimension's prime factors spread over the levels'
  // temporal and spatial slots, random permutations, keep/bypass lists, written in the flow or
  // the block style with `M=4` or `M4` terms, ones written or left out, one factor possibly
  // written as 0 (the rest of the bound), keys in either order; then, sometimes, one value or
  // the layout changed. Most are valid mappings, so the reader's answers are compared.
  const generatedRow = (context: MappingContext) => {
    const dims = context.problem.dimensions
    const tensors = [...context.tensors]
    const slots = context.levelNames.flatMap((target, level) => [
      { target, type: 'temporal' },
      ...(context.spatialLevels[level] === true ? [{ target, type: 'spatial' }] : []),
    ])
    const primes = dims.map((dim) => primeFactors(context.problem.bounds[dim] ?? 1))
    const wild = fc.constantFrom('', 'null', '1', 'x y', 'M=1,N=1', '[A]', '{a: b}', '"DRAM"', 'true', 'K=0 K=0', 'Nowhere')
    return fc
      .record({
        assign: fc.tuple(...primes.map((ps) => fc.array(fc.nat(slots.length - 1), { minLength: ps.length, maxLength: ps.length }))),
        permutations: fc.array(fc.shuffledSubarray([...dims]), { minLength: slots.length, maxLength: slots.length }),
        flow: fc.array(fc.boolean(), { minLength: 2 * slots.length, maxLength: 2 * slots.length }),
        equals: fc.boolean(),
        ones: fc.boolean(),
        zero: fc.option(fc.nat(dims.length - 1), { nil: undefined }),
        reversed: fc.boolean(),
        split: fc.option(fc.nat(dims.length), { nil: undefined }),
        kept: fc.array(fc.array(fc.constantFrom('keep', 'bypass', 'neither'), { minLength: tensors.length, maxLength: tensors.length }), {
          minLength: context.levelNames.length,
          maxLength: context.levelNames.length,
        }),
        indent: fc.constantFrom('', '  '),
        mutation: fc.option(fc.tuple(fc.nat(), fc.constantFrom('target', 'type', 'factors', 'permutation', 'split', 'keep', 'extra'), wild), { nil: undefined, freq: 2 }),
      })
      .map((g) => {
        const factors = slots.map(() => dims.map(() => 1))
        g.assign.forEach((slotsOfDim, dim) =>
          slotsOfDim.forEach((slot, i) => {
            const row = factors[slot] as number[]
            row[dim] = (row[dim] as number) * (primes[dim]?.[i] as number)
          }),
        )
        if (g.zero !== undefined) {
          const slot = g.assign[g.zero]?.[0] ?? 0
          ;(factors[slot] as number[])[g.zero] = 0
        }
        const directives: [string, string][][] = []
        context.levelNames.forEach((target, level) => {
          const kept = g.kept[level] as string[]
          const list = (kind: string) => `[${tensors.filter((_, i) => kept[i] === kind).join(', ')}]`
          directives.push([['target', target], ['type', 'datatype'], ['keep', list('keep')], ['bypass', list('bypass')]])
          slots.forEach((slot, s) => {
            if (slot.target !== target) return
            const terms = dims.flatMap((dim, d) => {
              const f = (factors[s] as number[])[d] as number
              return f === 1 && !g.ones ? [] : [`${dim}${g.equals ? '=' : ''}${f}`]
            })
            const d: [string, string][] = [['target', target], ['type', slot.type], ['factors', terms.join(' ')], ['permutation', (g.permutations[s] as string[]).join('')]]
            if (slot.type === 'spatial' && g.split !== undefined) d.push(['split', `${g.split}`])
            directives.push(d.filter(([, v]) => v !== ''))
          })
        })
        if (g.mutation !== undefined) {
          const [at, key, value] = g.mutation
          const d = directives[at % directives.length] as [string, string][]
          const found = d.find(([k]) => k === key)
          if (found !== undefined) found[1] = value
          else d.push([key, value])
        }
        const lines = directives.map((d, i) => {
          const entries = g.reversed ? [...d].reverse() : d
          const parts = entries.map(([k, v]) => `${k}: ${v}`)
          const flow = g.flow[i % g.flow.length] === true && !entries.some(([, v]) => v.startsWith('['))
          return flow ? `- {${parts.join(', ')}}` : `- ${parts.join(`\n${g.indent}  `)}`
        })
        return `mapping:\n${lines.map((l) => g.indent + l).join('\n')}\n`
      })
  }

  test.prop([fc.nat({ max: 1000 }).chain((i) => fc.tuple(fc.constant(i), generatedRow((cases[i % cases.length] as RandomMappingCase).context)))], { numRuns: 500 })(
    'agrees with the general path on generated mappings whenever it answers',
    ([caseIndex, text]) => {
      const { context } = cases[caseIndex % cases.length] as RandomMappingCase
      const fast = readMappingText(text, context)
      if (fast !== undefined) expect(fast).toEqual(general(text, context))
    },
  )

  it('answers for most generated mappings the general path reads (the comparison above is not vacuous)', () => {
    let valid = 0
    let answered = 0
    for (const { context } of cases) {
      for (const text of fc.sample(generatedRow(context), { numRuns: 40, seed: 12 })) {
        if (general(text, context) === 'ERROR') continue
        valid++
        if (readMappingText(text, context) !== undefined) answered++

      }
    }
    expect(valid).toBeGreaterThan(100)
    expect(answered).toBeGreaterThan(0.8 * valid)
  })

  test.prop([fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 4, unit: fc.constantFrom(' ', '-', ':', ',', '[', ']', '{', '}', '\n', '#', 'M', 'K', 'A', '1', '0', '=', 'x', '_') })], { numRuns: 600 })(
    'agrees with the general path on mutated shared rows whenever it answers',
    (caseIndex, row, at, junk) => {
      const { context, texts } = cases[caseIndex % cases.length] as RandomMappingCase
      const text = texts[row % texts.length] ?? ''
      const cut = Math.floor(text.length * at)
      const mutated = text.slice(0, cut) + junk + text.slice(cut)
      const fast = readMappingText(mutated, context)
      if (fast !== undefined) expect(fast).toEqual(general(mutated, context))
    },
  )
})

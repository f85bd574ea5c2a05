// The README's examples, kept runnable (each code block evaluated as written, its imports bound to
// the package's entries), and the public surface of each entry: a change there is an API change.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as neutral from '../index'
import * as node from './index'

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
const modules: Record<string, object> = { '@snipsnap/sweep': neutral, '@snipsnap/sweep/node': node, 'node:fs': fs, 'node:os': os, 'node:path': path }

/** Runs a README block: its `import { a, b } from 'x'` lines become bindings; returns what it logged. */
const runBlock = async (code: string): Promise<unknown[][]> => {
  const bindings: string[] = []
  const body = code.replace(/^import \{ ([^}]*) \} from '([^']+)'$/gm, (_line, names: string, from: string) => {
    expect(Object.keys(modules), `README imports ${from}`).toContain(from)
    bindings.push(`const { ${names} } = modules[${JSON.stringify(from)}]`)
    return ''
  })
  const printed: unknown[][] = []
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>
  await new AsyncFunction('modules', 'console', `${bindings.join('\n')}\n${body}`)(modules, { log: (...a: unknown[]) => printed.push(a) })
  return printed
}

describe('README', () => {
  it('has the platform-neutral example first, importing the main entry only', async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    const [first = ''] = blocks
    expect(first).not.toMatch(/node:|sweep\/node/)
    expect(await runBlock(first)).toEqual([[2, 20, 1, 1]])
  })

  it('runs the Node example: two jobs on worker threads, stored and summarised', async () => {
    expect(await runBlock(blocks[1] ?? '')).toEqual([[2, 2]])
  })
})

describe('entries', () => {
  it('export exactly this runtime API', () => {
    expect(Object.keys(neutral).sort()).toEqual(
      ['FormatSpaceInputSchema', 'JOB_KEY_VERSION', 'JOB_RECORD_VERSION', 'MAX_SWEEP_JOBS', 'SWEEP_SPEC_VERSION', 'SweepSpecSchema', 'canonicalJson', 'expandSweep', 'jobKey', 'parseSweepSpec', 'recordOf', 'summarizeSweep', 'summaryCsv', 'sweepReportHtml'].sort(),
    )
    expect(Object.keys(node).sort()).toEqual(['codeVersion', 'createJobPool', 'fingerprintCode', 'locateJobWorker', 'openResultStore', 'runJob', 'runSweepLocal', 'writeSweepOutputs'].sort())
  })
})

// The README's examples run and its numbers are computed, not copied: the usage block and the
// Extending block are extracted and executed, and the format-space table is compared with the code.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bindFormat, countFormatSpace, createFormatRegistry, decodeTensor, encodeTensor } from '@snipsnap/format'
import type { FormatPrimitive } from '@snipsnap/core'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
const temporary: string[] = []
afterEach(() => {
  for (const file of temporary.splice(0)) rmSync(file, { force: true })
})

const runBlock = async (code: string, name: string): Promise<Record<string, unknown>> => {
  const file = join(root, `.readme-${name}-${process.pid}.tmp.ts`)
  temporary.push(file)
  writeFileSync(file, code)
  return (await import(/* @vite-ignore */ file)) as Record<string, unknown>
}

describe('README', () => {
  it('runs the usage example and prints what its comments say', async () => {
    const usage = blocks[0] as string
    expect(usage.split('\n').filter((l) => l.trim() !== '').length).toBeLessThanOrEqual(14)
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    await runBlock(usage, 'usage')
    const printed = log.mock.calls.map((call) => call[0])
    expect(printed[0]).toBe(114)
    expect(Array.from(printed[1] as Float32Array)).toEqual([1, 0, 2, 0, 0, 0, 0, 3])
    expect(printed[1]).toBeInstanceOf(Float32Array)
    expect(typeof printed[2]).toBe('number')
    expect(printed[2] as number).toBeGreaterThan(0)
  })

  it('runs the Extending example as a working plug-in', async () => {
    const extending = blocks.find((b) => b.includes('defineFormatPrimitive')) as string
    const module = await runBlock(extending, 'extending')
    const primitive = module['deltaCoordinates'] as FormatPrimitive
    const registry = createFormatRegistry([primitive])
    const format = bindFormat({ pattern: 'UOP(M)-DCP(K)', shape: [3, 5], registry })
    const data = Float32Array.of(0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 5)
    const result = encodeTensor({ format, tensor: { shape: [3, 5], data } })
    if (!result.ok) throw new Error(result.reason)
    expect(Array.from(decodeTensor({ format, encoded: result.encoded }).data)).toEqual(Array.from(data))
  })

  it('states the format-space sizes the code computes', () => {
    for (const shape of [[4096, 4096], [4096, 11008]]) {
      const row = readme.split('\n').find((line) => line.startsWith(`| ${shape.join('×')} |`))
      const cells = (row ?? '').split('|').slice(2, 6).map((c) => Number(c.trim().replace(/,/g, '')))
      expect(cells).toEqual([1, 2, 3, 4].map((depth) => countFormatSpace({ shape, depth }).total))
      const any = [2, 3, 4].map((depth) => countFormatSpace({ shape, depth, orderRule: 'any' }).total.toLocaleString('en-US'))
      expect(readme.replace(/\s+/g, ' ')).toContain(`${any.join(' / ')} (${shape.join('×')})`)
    }
  })
})

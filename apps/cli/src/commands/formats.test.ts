// `snipsnap formats …` run in-process through main() with a fake io.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { countFormatSpace } from '@snipsnap/format'
import { npy } from '../testing/npy'
import { runCli as run, SHARED_DATA } from '../testing/run-cli'

const DATA = SHARED_DATA
const dir = mkdtempSync(join(tmpdir(), 'snipsnap-formats-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('snipsnap formats rank', () => {
  it('ranks formats of a small .npy matrix best first, with exact bits', async () => {
    const file = join(dir, 'w.npy')
    // [[1, 0, 2, 0], [0, 0, 0, 3]]: CSR = 12 offset bits + 6 coordinate bits + 3 × 32 value bits.
    writeFileSync(file, npy([2, 4], [1, 0, 2, 0, 0, 0, 0, 3]))
    const { code, stdout, stderr } = await run(['formats', 'rank', '--tensor', file, '--preset', 'csr,dense', '--pattern', 'B(M,K)', '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as { tensors: { nnz: number; results: { label: string; totalBits: number; metadataBits: number; payloadBits: number; roundTrip: boolean }[] }[] }
    const [tensor] = report.tensors
    expect(tensor?.nnz).toBe(3)
    expect(tensor?.results.map((r) => [r.label, r.totalBits])).toEqual([
      ['custom', 8 + 96],
      ['csr', 114],
      ['dense', 256],
    ])
    expect(tensor?.results.every((r) => r.roundTrip)).toBe(true)
  })

  it('loads the llama2.c checkpoint, prunes 2:4 and ranks presets', async () => {
    const { code, stdout } = await run([
      'formats', 'rank', '--tensor', `${DATA}/stories260K.bin`, '--name', 'layers.0.wq', '--prune', '2:4',
      '--preset', 'csr,bitmap,nm-2-4,coo', '--json',
    ])
    expect(code).toBe(0)
    const { tensors } = JSON.parse(stdout) as { tensors: { name: string; shape: number[]; nnz: number; results: { label: string; ok: boolean; totalBits: number; bitsPerNonzero: number }[] }[] }
    expect(tensors).toHaveLength(1)
    const [tensor] = tensors
    expect(tensor?.name).toBe('layers.0.wq')
    expect(tensor?.shape).toEqual([64, 64])
    expect(tensor?.nnz).toBe(2048)
    const results = tensor?.results ?? []
    expect(results.every((r) => r.ok)).toBe(true)
    const totals = results.map((r) => r.totalBits)
    expect(totals).toEqual([...totals].sort((a, b) => a - b))
    // 2:4 costs 2 bits per kept element = 1 bit per element, as much as a bitmap.
    const nm = results.find((r) => r.label === 'nm-2-4')
    expect(nm?.totalBits).toBe(64 * 64 + 2048 * 32)
  })

  it('prints a table for a Matrix Market file with magnitude pruning', async () => {
    const { code, stdout } = await run(['formats', 'rank', '--tensor', `${DATA}/pores_1.mtx`, '--prune', 'magnitude:0.5', '--preset', 'csr,bitmap'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/pores_1 \[30×30\]: [\d,]+ non-zeros/)
    expect(stdout).toMatch(/1\. (csr|bitmap) /)
    expect(stdout).toContain('UOP(M)-CP(K)')
  })

  it('reports formats that cannot hold the tensor', async () => {
    const { code, stdout } = await run(['formats', 'rank', '--tensor', `${DATA}/stories260K.bin`, '--name', 'layers.0.wq', '--preset', 'nm-2-4'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/not applicable: nm-2-4 U\(M\)-NM\(K\)\[m=4,n=2\]: rank 2 \(NM\): group at \d+ holds \d non-zeros/)
  })
})

describe('snipsnap formats space and presets', () => {
  it('prints the space size of a shape', async () => {
    const { code, stdout } = await run(['formats', 'space', '--shape', '4096x4096', '--depth', '2'])
    expect(code).toBe(0)
    const total = countFormatSpace({ shape: [4096, 4096], depth: 2 }).total
    expect(stdout).toContain(`up to 2 ranks: ${total.toLocaleString('en-US')} formats`)
  })

  it('sizes the LLaMA-2-7B shapes by default, as JSON', async () => {
    const { code, stdout } = await run(['formats', 'space', '--depth', '3', '--json'])
    expect(code).toBe(0)
    const { spaces } = JSON.parse(stdout) as { spaces: { shape: number[]; total: number }[] }
    expect(spaces.map((s) => s.shape)).toEqual([[4096, 4096], [4096, 11008]])
    expect(spaces[1]?.total).toBe(countFormatSpace({ shape: [4096, 11008], depth: 3 }).total)
  })

  it('lists the presets', async () => {
    const { code, stdout } = await run(['formats', 'presets', '--shape', '4096x11008'])
    expect(code).toBe(0)
    for (const id of ['dense', 'csr', 'csc', 'coo', 'dcsr', 'bitmap', 'bitmap2', 'rle', 'bcsr', 'csf', 'nm-2-4', 'nm-4-8']) expect(stdout).toContain(id)
    expect(stdout).toContain('B(M,K:172)-B(K:64)')
  })
})

describe('snipsnap formats: bad input', () => {
  const truncated = join(dir, 'truncated.npy')
  writeFileSync(truncated, npy([4, 4], Array.from({ length: 16 }, (_, i) => i)).slice(0, 100))
  const cases: [string, string[], RegExp][] = [
    ['an unknown preset', ['rank', '--tensor', `${DATA}/pores_1.mtx`, '--preset', 'csr,nope'], /INVALID_SPEC preset: unknown preset "nope"; known: dense, csr/],
    ['a malformed pattern', ['rank', '--tensor', `${DATA}/pores_1.mtx`, '--pattern', 'UOP(M)-CP(K'], /PARSE_ERROR .*expected "," or "\)", found at end of input/],
    ['parts whose product is not the dimension', ['rank', '--tensor', `${DATA}/pores_1.mtx`, '--pattern', 'UOP(M:7)-CP(K)'], /INVALID_SPEC .*parts of M multiply to 7, not M = 30/],
    ['a NaN size', ['space', '--shape', '4096xNaN'], /INVALID_SPEC --shape\[1\]: dimension "NaN"/],
    ['a zero size', ['space', '--shape', '0x4096'], /INVALID_SPEC --shape\[0\]: dimension "0"/],
    ['a negative size', ['space', '--shape=-4x4096'], /INVALID_SPEC --shape\[0\]: dimension "-4"/],
    ['a bad depth', ['space', '--depth', '-1'], /depth|--depth/],
    ['a size above 2^53', ['space', '--shape', '1e18x4096'], /INVALID_SPEC --shape\[0\]: dimension "1e18" of "1e18x4096" must be a positive integer: above the largest supported size 2\^53/],
    ['a huge depth', ['space', '--depth', '1e18'], /--depth: expected an integer in \[1, 8\], got "1e18": above the largest supported size 2\^53/],
    ['an unreadable file', ['rank', '--tensor', join(dir, 'missing.npy')], /IO_ERROR --tensor: cannot read .*missing\.npy \(ENOENT\)/],
    ['a truncated file', ['rank', '--tensor', truncated], /PARSE_ERROR/],
    ['an unknown tensor format', ['rank', '--tensor', `${DATA}/README.md`], /PARSE_ERROR .*unknown tensor file format/],
    ['a bad prune spec', ['rank', '--tensor', `${DATA}/pores_1.mtx`, '--prune', 'magnitude:2'], /INVALID_SPEC --prune: sparsity must be/],
    ['an ambiguous multi-tensor file', ['rank', '--tensor', `${DATA}/stories260K.bin`], /INVALID_SPEC --name: .* holds \d+ tensors/],
    ['a name that matches nothing', ['rank', '--tensor', `${DATA}/stories260K.bin`, '--name', 'nope*'], /no tensor .* matches "nope\*"/],
    ['a missing --tensor', ['rank'], /required option '--tensor <file>'/],
  ]
  it.each(cases)('rejects %s with one line on stderr and a non-zero exit', async (_what, args, message) => {
    const { code, stdout, stderr } = await run(['formats', ...args])
    expect(code).not.toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toMatch(message)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})

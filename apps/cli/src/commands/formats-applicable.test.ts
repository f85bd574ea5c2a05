// `formats rank` on the shipped matrices and the stories260K weights: presets that cannot hold a
// tensor are listed as "not applicable: <reason>" (table and JSON) and the rest are ranked, exit
// 0. `formats optimize --tensor` whose tensors match no weight of the model is an error naming both.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { npy } from '../testing/npy'
import { runCli, SHARED_DATA } from '../testing/run-cli'

const dir = mkdtempSync(join(tmpdir(), 'snipsnap-applicable-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface RankJson {
  tensors: { name: string; results: { label: string; ok: boolean; status: string }[] }[]
}

describe('formats rank lists presets that cannot apply and ranks the rest', () => {
  const cases: [string, string[]][] = [
    ['lund_a.mtx (147 is not a multiple of 4)', ['--tensor', join(SHARED_DATA, 'lund_a.mtx')]],
    ['pores_1.mtx', ['--tensor', join(SHARED_DATA, 'pores_1.mtx')]],
    ['stories260K layers.0.w2', ['--tensor', join(SHARED_DATA, 'stories260K.bin'), '--name', 'layers.0.w2']],
    ['its own help example --name "layers.0.w*"', ['--tensor', join(SHARED_DATA, 'stories260K.bin'), '--name', 'layers.0.w*']],
  ]
  it.each(cases)('%s', async (_what, args) => {
    const table = await runCli(['formats', 'rank', ...args])
    expect(table.stderr).toBe('')
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^not applicable: nm-\d-\d /m)
    expect(table.stdout).toMatch(/^1\. /m)

    const json = await runCli(['formats', 'rank', ...args, '--json'])
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout) as RankJson
    for (const tensor of report.tensors) {
      expect(tensor.results.filter((r) => r.ok).length).toBeGreaterThan(0)
      for (const r of tensor.results) expect(r.status).toMatch(r.ok ? /^ranked$/ : /^not applicable: .+/)
    }
    expect(report.tensors.flatMap((t) => t.results).some((r) => !r.ok && r.label.startsWith('nm-'))).toBe(true)
  })

  it('an explicit preset of the wrong order is not applicable either', async () => {
    const { code, stdout } = await runCli(['formats', 'rank', '--tensor', join(SHARED_DATA, 'pores_1.mtx'), '--preset', 'csr,csf'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/not applicable: csf —: preset csf applies to 3-D tensors, not a 2-D shape \[30, 30\]/)
    expect(stdout).toMatch(/^1\. csr/m)
  })
})

describe('formats optimize --tensor', () => {
  it('a file whose tensors match no weight of the model is an error listing both names', async () => {
    const file = join(dir, 'x.npy')
    writeFileSync(file, npy([4, 4], Array.from({ length: 16 }, (_, i) => i)))
    const { code, stdout, stderr } = await runCli(['formats', 'optimize', '--model', 'stories-260k', '--phase', 'decode', '--kv-len', '32', '--tensor', file, '--sparsity', 'unstructured-50'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/no tensor matches a weight of the model: the tensors are named x; the model's weights are read from layers\.0\.wq, layers\.0\.wk/)
  })

  it('--sparsity still applies to the operands the tensors do not measure', async () => {
    const args = ['formats', 'optimize', '--model', 'stories-260k', '--phase', 'decode', '--kv-len', '32', '--tensor', join(SHARED_DATA, 'stories260K.bin'), '--json']
    const plain = JSON.parse((await runCli(args)).stdout) as { layers: { densities: Record<string, number> }[] }
    const withActivations = JSON.parse((await runCli([...args, '--sparsity', 'activation-50'])).stdout) as typeof plain
    const sparseA = (r: typeof plain) => r.layers.filter((l) => (l.densities['A'] ?? 1) < 1).length
    expect(sparseA(plain)).toBe(0)
    expect(sparseA(withActivations)).toBeGreaterThan(0)
  }, 60_000)
})

// The real binary (from sources, through tsx) on broken outputs: stdout to /dev/full and a pipe
// whose reader has gone end with one line on stderr and exit 1, never a Node stack trace.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, openSync, closeSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHARED_DIR } from './testing/run-cli'

const bin = resolve(import.meta.dirname, 'bin.ts')
const nodeArgs = ['--conditions=@snipsnap/source', '--import', 'tsx', bin]

const runBin = (args: readonly string[], stdout: 'pipe-closed' | number) =>
  new Promise<{ code: number | null; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', stdout === 'pipe-closed' ? 'pipe' : stdout, 'pipe'] })
    // The reader goes away before the CLI writes its output: its write fails with EPIPE.
    if (stdout === 'pipe-closed') child.stdout?.destroy()
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, stderr }))
  })

describe('snipsnap binary on broken outputs', () => {
  it.skipIf(!existsSync('/dev/full'))('stdout to /dev/full: one line on stderr, exit 1', async () => {
    const full = openSync('/dev/full', 'w')
    try {
      const { code, stderr } = await runBin(['formats', 'presets'], full)
      expect(stderr).toBe('snipsnap: cannot write to stdout: no space left on device (ENOSPC)\n')
      expect(code).toBe(1)
    } finally {
      closeSync(full)
    }
  }, 60_000)

  it('stdout to a closed pipe: one line on stderr, exit 1', async () => {
    const { code, stderr } = await runBin(['formats', 'presets', '--debug'], 'pipe-closed')
    expect(stderr).toMatch(/^snipsnap: cannot write to stdout: .*(EPIPE|closed)/)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(code).toBe(1)
  }, 60_000)
})

// `evaluate` of one design writes straight to the descriptors (src/fd-stream.ts) and sets its V8
// flag through Node's binding: the same failures must read the same, and no warning may leak.
describe('snipsnap evaluate (one design) on its outputs', () => {
  const fig1 = join(SHARED_DIR, 'reference', 'sparseloop', 'fig1-bitmask-d0.1')

  it.skipIf(!existsSync('/dev/full'))('stdout to /dev/full: one line on stderr, exit 1', async () => {
    const full = openSync('/dev/full', 'w')
    try {
      const { code, stderr } = await runBin(['evaluate', fig1, '--json'], full)
      expect(stderr.trim().split('\n').at(-1)).toBe('snipsnap: cannot write to stdout: no space left on device (ENOSPC)')
      expect(code).toBe(1)
    } finally {
      closeSync(full)
    }
  }, 60_000)

  it('stdout to a closed pipe: one line about it on stderr, exit 1', async () => {
    const { code, stderr } = await runBin(['evaluate', fig1, '--json', '--debug'], 'pipe-closed')
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^snipsnap: cannot write to stdout: .*(EPIPE|closed)/)
    expect(code).toBe(1)
  }, 60_000)

  it('prints the JSON result on stdout and only its own warnings on stderr (no Node deprecation warning)', async () => {
    const child = spawnSync(process.execPath, [...nodeArgs, 'evaluate', fig1, '--json'], { encoding: 'utf8', timeout: 60_000 })
    expect(child.status).toBe(0)
    expect((JSON.parse(child.stdout) as { valid: boolean }).valid).toBe(true)
    expect(child.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('snipsnap: warning: '))).toEqual([])
  }, 60_000)
})

// `evaluate --mappings` hands its batches to process.stdout as bytes (io.ts `writeBytes`): the
// lines must arrive whole and in order through a pipe, and a full device must read as above.
describe('snipsnap evaluate --mappings on its outputs', () => {
  const set = join(SHARED_DIR, 'reference', 'sparseloop-random', 'fig1-bitmask-d0.1')
  const rows = join(set, 'mappings.jsonl')

  it('prints one JSON line per row through a pipe, as the in-process run does', async () => {
    const child = spawnSync(process.execPath, [...nodeArgs, 'evaluate', set, '--mappings', rows], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 })
    expect(child.status).toBe(0)
    const { runCli } = await import('./testing/run-cli')
    expect(child.stdout).toBe((await runCli(['evaluate', set, '--mappings', rows])).stdout)
  }, 60_000)

  it.skipIf(!existsSync('/dev/full'))('stdout to /dev/full: one line on stderr, exit 1', async () => {
    const full = openSync('/dev/full', 'w')
    try {
      const { code, stderr } = await runBin(['evaluate', set, '--mappings', rows], full)
      expect(stderr.trim().split('\n').at(-1)).toBe('snipsnap: cannot write to stdout: no space left on device (ENOSPC)')
      expect(code).toBe(1)
    } finally {
      closeSync(full)
    }
  }, 60_000)
})

// The real binary (from sources, through tsx) on broken outputs: stdout to /dev/full and a pipe
// whose reader has gone end with one line on stderr and exit 1, never a Node stack trace.
import { spawn } from 'node:child_process'
import { existsSync, openSync, closeSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

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

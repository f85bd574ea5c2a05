// Run control: output failures end with one line and exit 1, --debug alone shows stack traces,
// the thread cap says so once, Ctrl-C aborts the run's signal and exits 130. The same module
// through the real binary (stdout to /dev/full, a closed pipe) is checked in bin.test.ts.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { SnipSnapError } from '@snipsnap/core'
import { describeError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, outputErrorLine, startRun } from './run-control'
import type { CliStream } from './io'

const capture = () => {
  let text = ''
  return { stream: { write: (t: string) => (text += t) } satisfies CliStream, text: () => text }
}

/** A stream that fails like /dev/full: the write "succeeds", then an 'error' event follows. */
const failingStream = (code: string): CliStream & EventEmitter => {
  const emitter = new EventEmitter() as EventEmitter & CliStream
  emitter.write = () => {
    const error = Object.assign(new Error(`${code}: write failed`), { code })
    process.nextTick(() => emitter.emit('error', error))
    return true
  }
  return emitter
}

describe('startRun', () => {
  it('an ENOSPC on stdout ends with one line on stderr and exit 1; the signal fires', async () => {
    const err = capture()
    const stdout = failingStream('ENOSPC')
    const run = startRun({ stdout, stderr: err.stream }, { debug: false })
    run.stdout.write('result\n')
    await new Promise((resolve) => setImmediate(resolve))
    expect(run.signal.aborted).toBe(true)
    expect(run.stopCause).toBe('output-error')
    expect(await run.finish()).toBe(EXIT_FAILURE)
    expect(err.text()).toBe('snipsnap: cannot write to stdout: no space left on device (ENOSPC)\n')
    expect(stdout.listenerCount('error')).toBe(0)
  })

  it('an EPIPE thrown synchronously is handled the same way, and later writes are dropped', async () => {
    const err = capture()
    let writes = 0
    const stdout: CliStream = {
      write: () => {
        writes++
        throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' })
      },
    }
    const run = startRun({ stdout, stderr: err.stream }, { debug: false })
    run.stdout.write('a')
    run.stdout.write('b')
    expect(writes).toBe(1)
    expect(await run.finish()).toBe(EXIT_FAILURE)
    expect(err.text()).toBe('snipsnap: cannot write to stdout: the reader closed the pipe (EPIPE)\n')
  })

  it('capThreads caps at the cores and warns once', () => {
    const err = capture()
    const run = startRun({ stdout: capture().stream, stderr: err.stream, cores: 2 }, { debug: false })
    expect(run.capThreads(1)).toBe(1)
    expect(run.capThreads(2)).toBe(2)
    expect(run.capThreads(256)).toBe(2)
    expect(run.capThreads(256)).toBe(2)
    expect(err.text()).toBe('snipsnap: warning: --threads 256 is more than the 2 cores of this machine; using 2\n')
  })

  it('an interrupt aborts the signal; finish returns 130, or 130 with one line for an ABORTED error', async () => {
    let fire: () => void = () => undefined
    const interrupts = { subscribe: (listener: () => void) => ((fire = listener), () => (fire = () => undefined)) }
    const run = startRun({ stdout: capture().stream, stderr: capture().stream, interrupts }, { debug: false })
    fire()
    expect(run.signal.aborted).toBe(true)
    expect(run.stopCause).toBe('interrupt')
    expect(await run.finish()).toBe(EXIT_INTERRUPTED)

    const err = capture()
    const run2 = startRun({ stdout: capture().stream, stderr: err.stream, interrupts }, { debug: false })
    fire()
    expect(await run2.finish({ error: new SnipSnapError('ABORTED', 'search aborted') })).toBe(EXIT_INTERRUPTED)
    expect(err.text()).toBe('snipsnap: interrupted\n')
  })

  it('an undisturbed run exits 0; an error exits 1 with one line', async () => {
    expect(await startRun({ stdout: capture().stream, stderr: capture().stream }, { debug: false }).finish()).toBe(EXIT_OK)
    const err = capture()
    const run = startRun({ stdout: capture().stream, stderr: err.stream }, { debug: false })
    expect(await run.finish({ error: new SnipSnapError('INVALID_SPEC', 'bad', { path: ['x'] }) })).toBe(EXIT_FAILURE)
    expect(err.text()).toBe('snipsnap: INVALID_SPEC x: bad\n')
  })
})

describe('describeError', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'x')")

  it('never shows a stack trace without --debug', () => {
    const text = describeError(bug, false)
    expect(text.trim().split('\n')).toHaveLength(1)
    expect(text).not.toMatch(/\n\s+at /)
    expect(text).toMatch(/^snipsnap: INTERNAL .*rerun with --debug/)
  })

  it('shows the stack trace with --debug', () => {
    expect(describeError(bug, true)).toMatch(/\n\s+at /)
  })

  it('a stack overflow reads as too-deep input, not "Maximum call stack size exceeded"', () => {
    let overflow: unknown
    const recurse = (n: number): number => recurse(n + 1) + 1
    try {
      recurse(0)
    } catch (error) {
      overflow = error
    }
    const text = describeError(overflow, false)
    expect(text).toMatch(/nested too deeply/)
    expect(text).not.toMatch(/Maximum call stack/)
  })

  it('keeps only the first line of multi-line messages', () => {
    const text = describeError(new SnipSnapError('PARSE_ERROR', 'a.yaml:3:1: bad indentation\n  code frame\n    at x (y.js:1:1)'), false)
    expect(text).toBe('snipsnap: PARSE_ERROR a.yaml:3:1: bad indentation\n')
  })
})

describe('outputErrorLine', () => {
  it('names the stream and the reason', () => {
    expect(outputErrorLine('stdout', Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe('cannot write to stdout: no space left on device (ENOSPC)')
    expect(outputErrorLine('stderr', new Error('boom\nmore'))).toBe('cannot write to stderr: boom')
  })
})

/// <reference types="node" />
// Property: every reader turns a file cut at a random point into a PARSE_ERROR naming the
// file, never a RangeError or a silently short tensor.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isSnipSnapError } from '@snipsnap/core'
import { readTensors, type DenseTensor } from '@snipsnap/workloads'
import { writeGguf, writeNpy, writeSafetensors } from '@snipsnap/workloads/testing'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data')
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dataDir, name)))

const tensors: DenseTensor[] = [
  { name: 'a', shape: [3, 5], data: Float32Array.from({ length: 15 }, (_, i) => i * 0.5) },
  { name: 'b', shape: [7], data: Float32Array.from({ length: 7 }, (_, i) => -i) },
]

const expectParseError = async (bytes: Uint8Array, fileName: string) => {
  try {
    await readTensors(bytes, { fileName })
  } catch (error) {
    expect(isSnipSnapError(error) ? `${error.code} ${String(error.path[0])}` : String(error)).toBe(`PARSE_ERROR ${fileName}`)
    return
  }
  throw new Error(`${fileName} cut to ${bytes.length} bytes was read without error`)
}

const files: readonly (readonly [string, Uint8Array])[] = [
  ['stories260K.bin', load('stories260K.bin')],
  ['t.npy', writeNpy({ shape: [3, 5], data: tensors[0]?.data ?? [] })],
  ['t2.npy', writeNpy({ shape: [4, 2], data: [1, 2, 3, 4, 5, 6, 7, 8], type: 'f8', version: 2, fortranOrder: true })],
  ['t.safetensors', writeSafetensors(tensors)],
  ['t.gguf', writeGguf(tensors)],
  ['t2.gguf', writeGguf(tensors, { version: 2, type: 'f2' })],
]

test.prop([fc.constantFrom(...files), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })])(
  'binary formats cut anywhere give PARSE_ERROR',
  async ([fileName, bytes], fraction) => {
    await expectParseError(bytes.subarray(0, Math.floor(bytes.length * fraction)), fileName)
  },
)

// A text file cut inside its last number still parses (e.g. "0.123" → "0.12"), so Matrix Market
// is cut before the start of its last entry line, where missing entries are detectable.
const mtxFiles = ['lund_a.mtx', 'pores_1.mtx'].map((name) => [name, load(name)] as const)
test.prop([fc.constantFrom(...mtxFiles), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })])(
  'Matrix Market cut before its last entry gives PARSE_ERROR',
  async ([fileName, bytes], fraction) => {
    const text = new TextDecoder('latin1').decode(bytes).trimEnd()
    const lastLineStart = text.lastIndexOf('\n') + 1
    await expectParseError(bytes.subarray(0, Math.floor(lastLineStart * fraction)), fileName)
  },
)

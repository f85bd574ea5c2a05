/// <reference types="node" />
// Reader tests on the real files in ../shared/data (never copied into the repository) and
// round trips through the test writers of ./testing.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isSnipSnapError } from '@snipsnap/core'
import { errorOfAsync } from '@snipsnap/core/testing'
import { readTensors, readLlama2cConfig, type DenseTensor } from '@snipsnap/workloads'
import { writeGguf, writeNpy, writeSafetensors } from '@snipsnap/workloads/testing'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const dataDir = path.resolve(repoRoot, '..', 'shared', 'data')
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dataDir, name)))
const loadJson = <T>(name: string): T => JSON.parse(readFileSync(path.join(dataDir, name), 'utf8')) as T

describe('llama2.c checkpoint (stories260K.bin)', () => {
  const bytes = load('stories260K.bin')
  const table = loadJson<{ name: string; shape: number[]; dtype: string; offset_bytes: number }[]>(
    'stories260K.tensors.json',
  )

  it('reads the header: dim 64, hidden 172, 5 layers, 8 heads, 4 KV heads, vocab 512, seq 512', () => {
    expect(readLlama2cConfig(bytes, { fileName: 'stories260K.bin' })).toEqual({
      dim: 64,
      hiddenDim: 172,
      nLayers: 5,
      nHeads: 8,
      nKvHeads: 4,
      vocabSize: 512,
      seqLen: 512,
      sharedClassifier: true,
    })
  })

  it('yields every tensor of stories260K.tensors.json with the same shape, in file order', async () => {
    const tensors = await readTensors(bytes, { fileName: 'stories260K.bin' })
    const expected = table.filter((entry) => entry.name !== 'header')
    expect(tensors.map((t) => t.name)).toEqual(expected.map((e) => e.name))
    expect(tensors.map((t) => t.shape)).toEqual(expected.map((e) => e.shape))
    // Offsets: each tensor starts where the table says (header 28 bytes, float32 data).
    let offset = 28
    for (const [index, tensor] of tensors.entries()) {
      expect(offset).toBe(expected[index]?.offset_bytes)
      offset += 4 * tensor.data.length
    }
    expect(offset).toBe(bytes.length)
    expect(tensors.filter((t) => /^layers\.\d+\.wq$/.test(t.name))).toHaveLength(5)
  })

  it('reads values: RoPE tables equal cos/sin(pos · 10000^(-2i/8))', async () => {
    const tensors = await readTensors(bytes, { fileName: 'stories260K.bin' })
    const real = tensors.find((t) => t.name === 'freq_cis_real')
    const imag = tensors.find((t) => t.name === 'freq_cis_imag')
    let worst = 0
    for (let pos = 0; pos < 512; pos++) {
      for (let i = 0; i < 4; i++) {
        const angle = pos * 10000 ** (-(2 * i) / 8)
        worst = Math.max(worst, Math.abs((real?.data[pos * 4 + i] ?? 9) - Math.cos(angle)))
        worst = Math.max(worst, Math.abs((imag?.data[pos * 4 + i] ?? 9) - Math.sin(angle)))
      }
    }
    expect(worst).toBeLessThan(1e-5)
  })

  it('reports a truncated checkpoint with the weight count and where the file ends', async () => {
    const error = await errorOfAsync(() => readTensors(bytes.subarray(0, 1000), { fileName: 'stories260K.bin' }))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.message).toContain('header says 260032 weights')
    expect(error.message).toContain('ends after 1000 bytes')
    expect(error.path[0]).toBe('stories260K.bin')
  })
})

describe('Matrix Market', () => {
  it('expands the symmetric lund_a.mtx to 147×147 with 2449 non-zeros (lund_a.json)', async () => {
    const facts = loadJson<{ nnz?: number; nnz_full?: number; density?: number }>('lund_a.json')
    const [tensor] = await readTensors(load('lund_a.mtx'), { fileName: 'lund_a.mtx' })
    expect(tensor?.shape).toEqual([147, 147])
    const nnz = tensor?.data.filter((v) => v !== 0).length
    expect(nnz).toBe(2449)
    expect(JSON.stringify(facts)).toContain('2449')
    // Symmetric: A[i][j] = A[j][i].
    let asymmetric = 0
    for (let i = 0; i < 147; i++) for (let j = 0; j < i; j++) if (tensor?.data[i * 147 + j] !== tensor?.data[j * 147 + i]) asymmetric++
    expect(asymmetric).toBe(0)
  })

  it('reads the general pores_1.mtx: 30×30, 180 non-zeros, full diagonal', async () => {
    const [tensor] = await readTensors(load('pores_1.mtx'), { fileName: 'pores_1.mtx' })
    expect(tensor?.shape).toEqual([30, 30])
    expect(tensor?.data.filter((v) => v !== 0).length).toBe(180)
    for (let i = 0; i < 30; i++) expect(tensor?.data[i * 31]).not.toBe(0)
  })

  it('handles array storage, integer and pattern fields and skew symmetry', async () => {
    const text = (s: string) => new TextEncoder().encode(s)
    const [array] = await readTensors(text('%%MatrixMarket matrix array real general\n2 3\n1\n2\n3\n4\n5\n6\n'), {
      fileName: 'a.mtx',
    })
    expect(array?.shape).toEqual([2, 3])
    expect([...(array?.data ?? [])]).toEqual([1, 3, 5, 2, 4, 6])
    const [skew] = await readTensors(
      text('%%MatrixMarket matrix coordinate integer skew-symmetric\n% comment\n3 3 2\n2 1 4\n3 2 -5\n'),
      { fileName: 's.mtx' },
    )
    expect([...(skew?.data ?? [])]).toEqual([0, -4, 0, 4, 0, 5, 0, -5, 0])
    const [pattern] = await readTensors(text('%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 1\n2 2\n'), {
      fileName: 'p.mtx',
    })
    expect([...(pattern?.data ?? [])]).toEqual([1, 0, 0, 1])
  })

  it('names the missing entries of a truncated file and out-of-range indices', async () => {
    const text = (s: string) => new TextEncoder().encode(s)
    const short = await errorOfAsync(() =>
      readTensors(text('%%MatrixMarket matrix coordinate real general\n3 3 3\n1 1 1.0\n'), { fileName: 'x.mtx' }),
    )
    expect(short.code).toBe('PARSE_ERROR')
    expect(short.message).toContain('size line says 3 entries but the file ends after 1')
    const outside = await errorOfAsync(() =>
      readTensors(text('%%MatrixMarket matrix coordinate real general\n3 3 1\n4 1 1.0\n'), { fileName: 'x.mtx' }),
    )
    expect(outside.message).toContain('outside 1..3')
  })
})

describe('.npy round trips', () => {
  const shape = [2, 3, 4]
  const values = Array.from({ length: 24 }, (_, i) => (i % 5) - 2)

  it.each([
    ['f4', true, false, 1],
    ['f8', false, false, 2],
    ['f2', true, true, 3],
    ['i1', true, false, 1],
    ['i2', false, true, 1],
    ['i4', true, false, 2],
    ['i8', true, false, 1],
    ['u1', true, false, 1],
    ['u8', false, true, 3],
    ['b1', true, false, 1],
  ] as const)('dtype %s, little-endian %s, Fortran order %s, version %s', async (type, littleEndian, fortranOrder, version) => {
    const data = type.startsWith('u') ? values.map(Math.abs) : type === 'b1' ? values.map((v) => (v === 0 ? 0 : 1)) : values
    const bytes = writeNpy({ shape, data, type, littleEndian, fortranOrder, version })
    const [tensor] = await readTensors(bytes, { fileName: 'dir/weights.npy' })
    expect(tensor?.name).toBe('weights')
    expect(tensor?.shape).toEqual(shape)
    expect([...(tensor?.data ?? [])]).toEqual(data)
  })

  it('reads scalars and 1-D arrays', async () => {
    const [scalar] = await readTensors(writeNpy({ shape: [], data: [1.5] }), { fileName: 's.npy' })
    expect(scalar?.shape).toEqual([])
    expect([...(scalar?.data ?? [])]).toEqual([1.5])
    const [vector] = await readTensors(writeNpy({ shape: [3], data: [1, 2, 3], type: 'f8' }), { fileName: 'v.npy' })
    expect(vector?.shape).toEqual([3])
  })

  it('refuses an unsupported dtype with the descr named', async () => {
    const bytes = writeNpy({ shape: [1], data: [1] })
    const patched = new TextDecoder('latin1').decode(bytes).replace("'<f4'", "'<c8'")
    const error = await errorOfAsync(() => readTensors(Uint8Array.from(patched, (c) => c.charCodeAt(0)), { fileName: 'c.npy' }))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.message).toContain("'<c8'")
  })
})

describe('safetensors round trips', () => {
  const tensors: DenseTensor[] = [
    { name: 'model.layers.0.q_proj.weight', shape: [4, 2], data: Float32Array.from([1, -2, 3, -4, 0.5, 0, 7, 8]) },
    { name: 'bias', shape: [2], data: Float32Array.from([0.25, -0.75]) },
  ]

  it.each(['f4', 'f2', 'f8', 'i4'] as const)('type %s keeps names, shapes and values', async (type) => {
    const bytes = writeSafetensors(tensors, { type, metadata: { format: 'pt' } })
    const read = await readTensors(bytes, { fileName: 'model.safetensors' })
    expect(read.map((t) => t.name)).toEqual(tensors.map((t) => t.name))
    expect(read.map((t) => t.shape)).toEqual(tensors.map((t) => t.shape))
    const expected = type === 'i4' ? tensors.map((t) => [...t.data].map((v) => Math.trunc(v) + 0)) : tensors.map((t) => [...t.data])
    expect(read.map((t) => [...t.data])).toEqual(expected)
  })

  it('reads BF16 (top half of a float32)', async () => {
    const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }))
    const bytes = new Uint8Array(8 + header.length + 4)
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true)
    bytes.set(header, 8)
    // 1.5 = 0x3FC00000 → bf16 0x3FC0; -2 = 0xC0000000 → 0xC000
    new DataView(bytes.buffer).setUint16(8 + header.length, 0x3fc0, true)
    new DataView(bytes.buffer).setUint16(8 + header.length + 2, 0xc000, true)
    const [tensor] = await readTensors(bytes, { fileName: 'b.safetensors' })
    expect([...(tensor?.data ?? [])]).toEqual([1.5, -2])
  })

  it('names a tensor whose offsets disagree with its shape', async () => {
    const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }))
    const bytes = new Uint8Array(8 + header.length + 8)
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true)
    bytes.set(header, 8)
    const error = await errorOfAsync(() => readTensors(bytes, { fileName: 'bad.safetensors' }))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.path).toEqual(['bad.safetensors', 'header', 'w', 'data_offsets'])
  })
})

describe('GGUF via @huggingface/gguf', () => {
  const tensors: DenseTensor[] = [
    { name: 'token_embd.weight', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i - 6) },
    { name: 'blk.0.attn_q.weight', shape: [4, 4], data: Float32Array.from({ length: 16 }, (_, i) => i / 4) },
  ]

  it.each([
    [3, 'f4'],
    [2, 'f2'],
  ] as const)('version %s, type %s round-trips names, row-major shapes and values', async (version, type) => {
    const bytes = writeGguf(tensors, { version, type })
    const read = await readTensors(bytes, { fileName: 'tiny.gguf' })
    expect(read.map((t) => t.name)).toEqual(tensors.map((t) => t.name))
    expect(read.map((t) => t.shape)).toEqual(tensors.map((t) => t.shape))
    expect(read.map((t) => [...t.data])).toEqual(tensors.map((t) => [...t.data]))
  })

  it('refuses quantised tensors with UNSUPPORTED_FEATURE naming the tensor and its type', async () => {
    const bytes = writeGguf([{ name: 'q', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }])
    // The tensor info's GGML type (u32 after name, n_dims and two u64 extents) → 8 = Q8_0.
    const header = new TextDecoder('latin1').decode(bytes)
    const nameAt = header.indexOf('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000q') // u64 length 1, then 'q'
    expect(nameAt).toBeGreaterThan(0)
    const typeOffset = nameAt + 9 + 4 + 16
    new DataView(bytes.buffer).setUint32(typeOffset, 8, true)
    const error = await errorOfAsync(() => readTensors(bytes, { fileName: 'q8.gguf' }))
    expect(error.code).toBe('UNSUPPORTED_FEATURE')
    expect(error.message).toContain("tensor 'q' has GGML type Q8_0")
  })

  it('refuses absurd tensor counts before parsing', async () => {
    const bytes = writeGguf(tensors)
    new DataView(bytes.buffer).setBigUint64(8, 10_000_000n, true)
    const error = await errorOfAsync(() => readTensors(bytes, { fileName: 'big.gguf' }))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.message).toContain('10000000 tensors')
  })

  it('wraps parser failures as PARSE_ERROR', async () => {
    const bytes = writeGguf(tensors)
    new DataView(bytes.buffer).setUint32(4, 99, true) // unknown version
    const error = await errorOfAsync(() => readTensors(bytes, { fileName: 'v99.gguf' }))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.message).toContain('v99.gguf')
  })
})

describe('dispatch', () => {
  it('refuses an unknown format, naming the supported ones', async () => {
    const error = await errorOfAsync(() => readTensors(new Uint8Array([1, 2, 3]), { fileName: 'weights.onnx' }))
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.message).toContain('.safetensors')
  })
})

describe('TensorFlow.js weights (face-api tiny face detector)', async () => {
  const { readTfjsWeights, sparsityStats } = await import('@snipsnap/workloads')
  const manifest = loadJson<unknown>('tiny_face_detector_model-weights_manifest.json')
  const table = loadJson<{ tensors?: { name: string; shape: number[]; numel: number; offset_bytes: number }[] }>(
    'tiny_face_detector_model.tensors.json',
  )
  const shard = load('tiny_face_detector_model.bin')

  it('reads the 19 tensors, 193,321 parameters, with the shapes of the tensor table', () => {
    const tensors = readTfjsWeights({ manifest, shards: { 'tiny_face_detector_model.bin': shard }, fileName: 'manifest.json' })
    expect(tensors).toHaveLength(19)
    expect(tensors.reduce((sum, t) => sum + t.data.length, 0)).toBe(193_321)
    const expected = table.tensors ?? []
    expect(expected).toHaveLength(19)
    expect(tensors.map((t) => [t.name, t.shape])).toEqual(expected.map((e) => [e.name, e.shape]))
    // Dequantised values sit on the grid q × scale + min, q in 0..255.
    const conv0 = tensors[0]
    const first = (manifest as { weights: { quantization: { scale: number; min: number } }[] }[])[0]?.weights[0]?.quantization
    const q = Math.round(((conv0?.data[0] ?? 0) - (first?.min ?? 0)) / (first?.scale ?? 1))
    expect(q).toBe(shard[0])
    // The 1×1 pointwise filter of conv5 is a real 256×512 GEMM weight.
    const pointwise = tensors.find((t) => t.name === 'conv5/pointwise_filter')
    expect(pointwise?.shape).toEqual([1, 1, 256, 512])
    if (pointwise !== undefined) expect(sparsityStats(pointwise).cols).toBe(512)
  })

  it('names the weight that runs past a truncated shard', () => {
    let message = ''
    try {
      readTfjsWeights({ manifest, shards: { 'tiny_face_detector_model.bin': shard.subarray(0, 5000) }, fileName: 'manifest.json' })
    } catch (error) {
      message = isSnipSnapError(error) && error.code === 'PARSE_ERROR' ? error.message : String(error)
    }
    expect(message).toContain("weight 'conv3/pointwise_filter' needs bytes 4112..12304 but the shards end after 5000 bytes")
  })
})

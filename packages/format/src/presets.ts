// Named formats written as compression patterns. Some depend on the shape (block sizes must divide
// the dimensions), so a preset builds its pattern for a given shape.
import { SnipSnapError } from '@snipsnap/core'
import { assertShape, defaultDimNames } from './bind'
import { parseCompPat, type CompPat } from './comp-pat'

/** A named format. */
export interface FormatPreset {
  /** Kebab-case id used on the command line, e.g. `csr`. */
  readonly id: string
  readonly description: string
  /** Tensor orders the preset applies to. */
  readonly orders: readonly number[]
  /** Pattern text for a shape, using the default dimension names (`M,K` for matrices). */
  pattern(shape: readonly number[]): string
}

/** Largest divisor of n that is ≤ target (block sizes that always divide the dimension). */
const blockOf = (n: number, target: number): number => {
  for (let b = Math.min(n, target); b > 1; b--) if (n % b === 0) return b
  return 1
}

const all = (shape: readonly number[]): string => defaultDimNames(shape.length).join(',')

/** The built-in presets: dense, CSR, CSC, COO, DCSR, bitmap, two-level bitmap, RLE, blocked CSR, CSF, 2:4, 4:8. */
export const FORMAT_PRESETS: readonly FormatPreset[] = [
  { id: 'dense', description: 'Uncompressed, no metadata', orders: [1, 2, 3, 4], pattern: (s) => `U(${all(s)})` },
  { id: 'csr', description: 'Compressed sparse row: row offsets, column coordinates', orders: [2], pattern: () => 'UOP(M)-CP(K)' },
  { id: 'csc', description: 'Compressed sparse column: column offsets, row coordinates', orders: [2], pattern: () => 'UOP(K)-CP(M)' },
  { id: 'coo', description: 'Coordinate list over the flattened tensor', orders: [1, 2, 3, 4], pattern: (s) => `CP(${all(s)})` },
  { id: 'dcsr', description: 'Doubly compressed sparse row: non-empty row coordinates, then column coordinates', orders: [2], pattern: () => 'CP(M)-CP(K)' },
  { id: 'bitmap', description: 'One bit per element over the flattened tensor', orders: [1, 2, 3, 4], pattern: (s) => `B(${all(s)})` },
  {
    id: 'bitmap2',
    description: 'Two-level bitmap: a mask of non-empty 1×t row blocks (t ≤ 64, t ≤ K/2), then a mask inside each non-empty block',
    orders: [2],
    pattern: (s) => {
      const t = blockOf(s[1] as number, Math.min(64, Math.floor((s[1] as number) / 2)))
      return `B(M,K:${(s[1] as number) / t})-B(K:${t})`
    },
  },
  {
    id: 'rle',
    description: 'Row offsets, then 4-bit zero runs before each non-zero (padding entries for longer runs)',
    orders: [2],
    pattern: () => 'UOP(M)-RLE(K)[mb=4]',
  },
  {
    id: 'bcsr',
    description: 'Blocked CSR with 4×4 dense blocks: block-row offsets, block-column coordinates, dense blocks',
    orders: [2],
    pattern: (s) => {
      const bm = blockOf(s[0] as number, 4)
      const bk = blockOf(s[1] as number, 4)
      return `UOP(M:${(s[0] as number) / bm})-CP(K:${(s[1] as number) / bk})-U(M:${bm},K:${bk})`
    },
  },
  { id: 'csf', description: 'Compressed sparse fiber: coordinates at every level of a 3-D tensor', orders: [3], pattern: () => 'CP(N)-CP(M)-CP(K)' },
  { id: 'nm-2-4', description: '2:4 structured sparsity along K: 2 slots per group of 4 with 2-bit offsets', orders: [2], pattern: () => 'U(M)-NM(K)[m=4,n=2]' },
  { id: 'nm-4-8', description: '4:8 structured sparsity along K: 4 slots per group of 8 with 3-bit offsets', orders: [2], pattern: () => 'U(M)-NM(K)[m=8,n=4]' },
]

/**
 * The pattern of a named preset for a tensor shape.
 * @throws {SnipSnapError} INVALID_SPEC for an unknown id (listing the known ones) or a shape of
 *   the wrong order.
 * @example presetPattern('csr', [4096, 4096]) // parsed UOP(M)-CP(K)
 */
export const presetPattern = (id: string, shape: readonly number[]): CompPat => parseCompPat(presetText(id, shape))

/** The pattern text of a named preset for a shape (see {@link presetPattern}). */
export const presetText = (id: string, shape: readonly number[]): string => {
  const preset = FORMAT_PRESETS.find((p) => p.id === id)
  if (preset === undefined) {
    throw new SnipSnapError('INVALID_SPEC', `unknown preset "${id}"; known: ${FORMAT_PRESETS.map((p) => p.id).join(', ')}`, {
      path: ['preset'],
    })
  }
  assertShape(shape)
  if (!preset.orders.includes(shape.length)) {
    throw new SnipSnapError(
      'INVALID_SPEC',
      `preset ${id} applies to ${preset.orders.join('/')}-D tensors, not a ${shape.length}-D shape [${shape.join(', ')}]`,
      { path: ['preset'] },
    )
  }
  return preset.pattern(shape)
}

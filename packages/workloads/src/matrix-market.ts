// Reader for Matrix Market `.mtx` files (NIST format): coordinate or array storage; real,
// integer or pattern fields; general, symmetric or skew-symmetric symmetry, expanded to the
// full dense matrix so that densities measured on it count both triangles.
import { parseError } from './internal/parse-error'
import { decodeLatin1 } from './internal/text'
import { baseName } from './npy'
import type { DenseTensor } from './tensor'

const BANNER = '%%MatrixMarket'

/** True when the bytes start with the Matrix Market banner. */
export const isMatrixMarket = (bytes: Uint8Array): boolean =>
  decodeLatin1(bytes.subarray(0, BANNER.length)).toLowerCase() === BANNER.toLowerCase()

/** Dense matrices above this many elements are refused: the reader materialises them. */
const MAX_DENSE_ELEMENTS = 1 << 28

/**
 * Parses a Matrix Market file into a dense `[rows, cols]` tensor named after the file.
 * Symmetric and skew-symmetric matrices are expanded; duplicate coordinates are summed.
 * @throws {SnipSnapError} PARSE_ERROR when the banner, size line or an entry is malformed, an
 * index is out of range, or the file holds fewer entries than its size line announces.
 */
export const readMatrixMarket = (bytes: Uint8Array, options: { readonly fileName: string }): DenseTensor => {
  const { fileName } = options
  const lines = decodeLatin1(bytes).split(/\r?\n/)
  const banner = (lines[0] ?? '').trim().split(/\s+/).map((word) => word.toLowerCase())
  if (banner[0] !== BANNER.toLowerCase() || banner[1] !== 'matrix') {
    throw parseError(fileName, `not a Matrix Market matrix: first line is '${(lines[0] ?? '').slice(0, 80)}'`, ['banner'])
  }
  const [, , storage, field, symmetry] = banner
  if (storage !== 'coordinate' && storage !== 'array') {
    throw parseError(fileName, `unsupported storage '${storage ?? ''}' (expected coordinate or array)`, ['banner', 'storage'])
  }
  if (field !== 'real' && field !== 'integer' && field !== 'pattern') {
    throw parseError(fileName, `unsupported field '${field ?? ''}' (expected real, integer or pattern)`, ['banner', 'field'])
  }
  if (symmetry !== 'general' && symmetry !== 'symmetric' && symmetry !== 'skew-symmetric') {
    throw parseError(
      fileName,
      `unsupported symmetry '${symmetry ?? ''}' (expected general, symmetric or skew-symmetric)`,
      ['banner', 'symmetry'],
    )
  }
  if (storage === 'array' && field === 'pattern') {
    throw parseError(fileName, "the 'pattern' field is only valid with coordinate storage", ['banner', 'field'])
  }

  // Skip comments and blank lines; `cursor` walks the data lines.
  let cursor = 1
  const nextDataLine = (): { text: string; line: number } | null => {
    while (cursor < lines.length) {
      const text = (lines[cursor] ?? '').trim()
      cursor++
      if (text.length > 0 && !text.startsWith('%')) return { text, line: cursor }
    }
    return null
  }
  const sizeLine = nextDataLine()
  if (sizeLine === null) throw parseError(fileName, 'the file ends before the size line', ['size'])
  const sizes = sizeLine.text.split(/\s+/).map(Number)
  const expectedSizes = storage === 'coordinate' ? 3 : 2
  if (sizes.length !== expectedSizes || !sizes.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw parseError(
      fileName,
      `line ${sizeLine.line}: size line '${sizeLine.text}' should hold ${expectedSizes} non-negative integers`,
      ['size'],
    )
  }
  const rows = sizes[0] ?? 0
  const cols = sizes[1] ?? 0
  if (rows * cols > MAX_DENSE_ELEMENTS) {
    throw parseError(fileName, `${rows}×${cols} is too large to expand into a dense tensor`, ['size'])
  }
  if (symmetry !== 'general' && rows !== cols) {
    throw parseError(fileName, `a ${symmetry} matrix must be square, got ${rows}×${cols}`, ['size'])
  }
  const data = new Float32Array(rows * cols)
  const mirror = symmetry === 'general' ? 0 : symmetry === 'symmetric' ? 1 : -1

  const parseValue = (token: string | undefined, line: number): number => {
    const value = Number(token)
    if (token === undefined || token.length === 0 || Number.isNaN(value)) {
      throw parseError(fileName, `line ${line}: value '${token ?? ''}' is not a number`, ['entries', line])
    }
    if (field === 'integer' && !Number.isInteger(value)) {
      throw parseError(fileName, `line ${line}: value '${token}' is not an integer`, ['entries', line])
    }
    return value
  }

  if (storage === 'coordinate') {
    const entries = sizes[2] ?? 0
    for (let entry = 0; entry < entries; entry++) {
      const current = nextDataLine()
      if (current === null) {
        throw parseError(
          fileName,
          `size line says ${entries} entries but the file ends after ${entry}`,
          ['entries', entry],
        )
      }
      const tokens = current.text.split(/\s+/)
      const row = Number(tokens[0])
      const col = Number(tokens[1])
      if (!Number.isInteger(row) || !Number.isInteger(col) || row < 1 || row > rows || col < 1 || col > cols) {
        throw parseError(
          fileName,
          `line ${current.line}: index (${tokens[0] ?? ''}, ${tokens[1] ?? ''}) is outside 1..${rows} × 1..${cols}`,
          ['entries', current.line],
        )
      }
      const value = field === 'pattern' ? 1 : parseValue(tokens[2], current.line)
      const r = row - 1
      const c = col - 1
      data[r * cols + c] = (data[r * cols + c] ?? 0) + value
      if (mirror !== 0 && r !== c) data[c * cols + r] = (data[c * cols + r] ?? 0) + mirror * value
    }
  } else {
    // Array storage is column-major; symmetric files hold the lower triangle (skew: strictly lower).
    for (let c = 0; c < cols; c++) {
      const firstRow = mirror === 0 ? 0 : mirror === 1 ? c : c + 1
      for (let r = firstRow; r < rows; r++) {
        const current = nextDataLine()
        if (current === null) {
          throw parseError(fileName, `the file ends before entry (${r + 1}, ${c + 1}) of the ${rows}×${cols} array`, [
            'entries',
          ])
        }
        const value = parseValue(current.text.split(/\s+/)[0], current.line)
        data[r * cols + c] = value
        if (mirror !== 0 && r !== c) data[c * cols + r] = mirror * value
      }
    }
  }
  return { name: baseName(fileName), shape: [rows, cols], data }
}

// A tiny .npy writer for CLI tests (real readers, synthetic files).

/** A little-endian float32 .npy (format 1.0) of a C-order array. */
export const npy = (shape: readonly number[], values: readonly number[]): Uint8Array => {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`
  const unpadded = 10 + header.length + 1
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const bytes = new Uint8Array(10 + header.length + values.length * 4)
  bytes.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0], 0)
  new DataView(bytes.buffer).setUint16(8, header.length, true)
  bytes.set(Array.from(header, (c) => c.charCodeAt(0)), 10)
  new Float32Array(bytes.buffer, 10 + header.length).set(values)
  return bytes
}

// IEEE half precision and bfloat16 to float conversion (no Float16Array in Node 20).

/** Converts the 16 bits of an IEEE 754 binary16 value to a number. */
export const halfToFloat = (bits: number): number => {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * fraction * 2 ** -24
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15)
}

/** Converts the 16 bits of a bfloat16 value (the top half of a float32) to a number. */
export const bfloat16ToFloat = (bits: number): number => {
  const view = new DataView(new ArrayBuffer(4))
  view.setUint32(0, (bits & 0xffff) << 16)
  return view.getFloat32(0)
}

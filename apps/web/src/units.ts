// Numbers as people read them: energy scaled to its magnitude with its unit, counts grouped.

const ENERGY_UNITS: readonly [number, string][] = [
  [1e12, 'J'],
  [1e9, 'mJ'],
  [1e6, 'µJ'],
  [1e3, 'nJ'],
  [1, 'pJ'],
]

/** Energy given in pJ, e.g. `365.8 mJ`. */
export const energyText = (pJ: number | null | undefined): string => {
  if (pJ === null || pJ === undefined || !Number.isFinite(pJ)) return '—'
  const [scale, unit] = ENERGY_UNITS.find(([s]) => Math.abs(pJ) >= s) ?? [1, 'pJ']
  return `${(pJ / scale).toLocaleString('en-US', { maximumSignificantDigits: 4 })} ${unit}`
}

export const countText = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US')

export const bitsText = (bits: number): string => {
  if (bits >= 8 * 1024 * 1024) return `${(bits / 8 / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 2 })} MiB`
  if (bits >= 8 * 1024) return `${(bits / 8 / 1024).toLocaleString('en-US', { maximumFractionDigits: 2 })} KiB`
  return `${Math.round(bits).toLocaleString('en-US')} bits`
}

export const percentText = (share: number): string => `${(share * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`

/** "12.3% less" / "4.0% more" of `value` against `reference`. */
export const savingText = (value: number | null, reference: number | null): string => {
  if (value === null || reference === null || reference <= 0) return '—'
  const change = 1 - value / reference
  return change >= 0 ? `${(change * 100).toFixed(1)}% less` : `${(-change * 100).toFixed(1)}% more`
}

// A plug-in bundle may bring energy/area estimators: parsePlugin checks their shape and
// registerPlugin puts them in the estimators registry (or refuses a tool without one).
import { describe, expect, it } from 'vitest'
import { createRegistry, definePlugin, parsePlugin, registerPlugin, type EnergyAreaEstimator } from './index'

const flat: EnergyAreaEstimator = {
  id: 'flat',
  supports: () => true,
  estimate: () => ({ energyPJ: { read: 1, write: 1, idle: 0 }, areaUM2: 1, extrapolated: false, notes: [] }),
}

describe('plug-in estimators', () => {
  it('parses and registers an estimator', () => {
    const plugin = parsePlugin({ default: definePlugin({ id: 'flat-bundle', estimators: [flat] }) }, 'flat.js')
    const estimators = createRegistry<EnergyAreaEstimator>('estimator')
    registerPlugin(plugin, { estimators })
    expect(estimators.get('flat')).toBe(flat)
  })

  it('names a malformed estimator and a tool without an estimators registry', () => {
    expect(() => parsePlugin({ default: { id: 'b', estimators: [{ id: 'x', supports: () => true }] } }, 'b.js')).toThrow(/estimators\[0\] lacks `estimate`/)
    expect(() => registerPlugin(definePlugin({ id: 'b', estimators: [flat] }), {})).toThrow(/brings estimators, which this tool does not use/)
  })
})

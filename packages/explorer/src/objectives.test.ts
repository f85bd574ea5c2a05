// Objective parsing: spellings, lexicographic lists and the precise errors on bad input.
import { describe, expect, it } from 'vitest'
import { objectiveFromMapper, parseObjective } from '@snipsnap/explorer'

describe('parseObjective', () => {
  it('reads single metrics, aliases and lexicographic lists', () => {
    expect(parseObjective('energy')).toEqual(['energy'])
    expect(parseObjective('cycles,energy')).toEqual(['cycles', 'energy'])
    expect(parseObjective(['delay', 'energy'])).toEqual(['cycles', 'energy'])
    expect(parseObjective('EDP')).toEqual(['edp'])
  })
  it('names the objective field on bad input', () => {
    expect(() => parseObjective('speed')).toThrow(/unknown objective "speed"/)
    expect(() => parseObjective('energy,energy')).toThrow(/listed twice/)
    expect(() => parseObjective('')).toThrow(/empty/)
  })
  it('maps Timeloop optimization-metrics', () => {
    expect(objectiveFromMapper(['delay', 'energy'])).toEqual(['cycles', 'energy'])
    expect(objectiveFromMapper(['last-level-accesses'])).toBeNull()
    expect(objectiveFromMapper([])).toBeNull()
  })
})

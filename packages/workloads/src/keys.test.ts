// User-defined sparsity presets are strict: a misspelled rule key is an error naming the key it
// was meant to be, instead of a rule silently missing its density.
import { describe, expect, it } from 'vitest'
import { defineSparsityPreset } from '@snipsnap/workloads'

describe('defineSparsityPreset keys', () => {
  it('a misspelled rule key is an error naming the intended key', () => {
    const preset = {
      id: 'mine',
      description: 'x',
      source: 'test',
      rules: [{ roles: ['weight'], phases: ['prefill'], distribution: 'hypergeometric', density: 0.5, patern: 'token-rows' }],
    }
    expect(() => defineSparsityPreset(preset as never)).toThrow(/`patern`: did you mean `pattern`\?/)
  })
})

import { describe, expect, it } from 'vitest'
import { createRegistry, SnipSnapError } from '@snipsnap/core'

describe('createRegistry', () => {
  it('registers, lists in order and gets by id', () => {
    const registry = createRegistry<{ id: string }>('thing').register({ id: 'a' }).register({ id: 'b-2' })
    expect(registry.list().map((p) => p.id)).toEqual(['a', 'b-2'])
    expect(registry.get('b-2').id).toBe('b-2')
    expect(registry.has('c')).toBe(false)
  })

  it('throws PLUGIN_DUPLICATE on a second registration of the same id', () => {
    const registry = createRegistry<{ id: string }>('thing', [{ id: 'a' }])
    expect(() => registry.register({ id: 'a' })).toThrowError(
      expect.objectContaining({ code: 'PLUGIN_DUPLICATE' }),
    )
  })

  it('throws PLUGIN_NOT_FOUND listing the known ids', () => {
    const registry = createRegistry<{ id: string }>('thing', [{ id: 'a' }, { id: 'b' }])
    try {
      registry.get('zzz')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(SnipSnapError)
      expect((error as SnipSnapError).code).toBe('PLUGIN_NOT_FOUND')
      expect((error as SnipSnapError).message).toContain('a, b')
    }
  })

  it('rejects ids that are not kebab-case', () => {
    expect(() => createRegistry<{ id: string }>('thing').register({ id: 'Bad Id' })).toThrow(SnipSnapError)
  })
})

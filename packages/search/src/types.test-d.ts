// Type-level tests: the driver infers the design type from the space, and results keep it.
import { defineSearchStrategy, type Space } from '@snipsnap/core'
import { genetic, runSearch, type SearchPoint, type SearchResult } from '@snipsnap/search'
import { describe, expectTypeOf, it } from 'vitest'

type Tile = { readonly m: number; readonly n: number }
declare const space: Space<Tile>

describe('search types', () => {
  it('infers the design type from the space', () => {
    const run = runSearch({ space, strategy: genetic, evaluate: (t) => ({ ok: true, metrics: { energy: t.m * t.n } }), objectives: 'energy', budget: { evaluations: 1 }, seed: 1 })
    expectTypeOf(run).resolves.toMatchTypeOf<SearchResult<Tile, unknown>>()
    expectTypeOf<NonNullable<Awaited<typeof run>['best']>>().toEqualTypeOf<SearchPoint<Tile>>()
  })

  it('types a strategy and its options through defineSearchStrategy', () => {
    const s = defineSearchStrategy<Tile, { step: number }, { size: number }>({
      id: 'typed',
      init: ({ options }) => ({ step: options.size }),
      ask: (state, n, { space: sp }) => ({ state, candidates: [] as Tile[] }),
      tell: (state) => state,
    })
    expectTypeOf(s.init).parameter(0).toHaveProperty('options').toEqualTypeOf<{ size: number }>()
    // @ts-expect-error options must match the strategy's declared type
    void runSearch({ space, strategy: s, strategyOptions: { size: 'big' }, evaluate: () => ({ ok: false, reason: '' }), objectives: 'e', budget: { evaluations: 1 }, seed: 1 })
  })
})

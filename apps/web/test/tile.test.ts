// The shipped tile is what scripts/make-tile.ts computes from the shared checkpoint (real data, not
// hand-edited). Skipped only outside CI when ../shared is absent.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTile } from '../scripts/tile-source'

const source = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'stories260K.bin')
const shipped = path.resolve(import.meta.dirname, '..', 'src', 'data', 'stories260k-tile.json')

describe.skipIf(!existsSync(source) && process.env['CI'] !== 'true')('the shipped stories260K tile', () => {
  it('equals the generator output from the shared checkpoint', () => {
    const fresh = makeTile(new Uint8Array(readFileSync(source)))
    expect(JSON.parse(readFileSync(shipped, 'utf8'))).toEqual(JSON.parse(JSON.stringify(fresh)))
    expect(fresh.values).toHaveLength(64)
    const zeros = fresh.values.filter((v) => v === 0).length
    expect(zeros).toBeGreaterThan(0)
    expect(zeros).toBeLessThan(64)
  })
})

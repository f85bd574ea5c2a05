// Dependency-direction check (house style §4): stage packages depend on @snipsnap/core only, so
// one stage can be swapped without touching the others; only the composition root and the apps
// wire concrete implementations together.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const repoRoot = resolve(import.meta.dirname, '../../..')

interface Manifest {
  readonly name: string
  readonly private?: boolean
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly devDependencies?: Record<string, string>
}

const manifests: Manifest[] = ['packages', 'apps', 'examples', 'tooling'].flatMap((group) => {
  const dir = join(repoRoot, group)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .map((name) => join(dir, name, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as Manifest)
})

const STAGES = new Set([
  '@snipsnap/format',
  '@snipsnap/cost',
  '@snipsnap/arch',
  '@snipsnap/compress',
  '@snipsnap/search',
  '@snipsnap/workloads',
  '@snipsnap/timeloop',
  '@snipsnap/mapspace',
])

const runtimeDeps = (m: Manifest): string[] =>
  [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})].filter((d) =>
    d.startsWith('@snipsnap/'),
  )

describe('workspace dependency edges', () => {
  it('finds the workspace packages', () => {
    expect(manifests.map((m) => m.name)).toContain('@snipsnap/core')
  })

  it('core depends on no other @snipsnap package', () => {
    const core = manifests.find((m) => m.name === '@snipsnap/core')
    expect(core && runtimeDeps(core)).toEqual([])
  })

  for (const manifest of manifests.filter((m) => STAGES.has(m.name))) {
    it(`${manifest.name} depends at run time on @snipsnap/core only`, () => {
      expect(runtimeDeps(manifest).filter((d) => d !== '@snipsnap/core')).toEqual([])
    })
  }

  it('published packages never depend on private workspace packages at run time', () => {
    const privateNames = new Set(manifests.filter((m) => m.private === true).map((m) => m.name))
    for (const manifest of manifests.filter((m) => m.private !== true)) {
      expect(runtimeDeps(manifest).filter((d) => privateNames.has(d)), manifest.name).toEqual([])
    }
  })
})

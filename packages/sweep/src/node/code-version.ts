// The code version of a job: a fingerprint of the code that computes its result (this package's
// job runner, the explorer and every @snipsnap package the explorer uses, the cost model among
// them). It is part of every job key, so a result stored by other code (an older cost model, a
// changed search) is never taken for this code's result: after any change the keys change and the
// jobs are computed again. Queue workers refuse jobs keyed by another code version.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the fingerprinted code lives: TypeScript sources (tests, tsx) or the built `dist/` (and `dist-node/`). */
export type CodeLayout = 'src' | 'dist'

/** The folders of a package holding its code in each layout (Node-only entries build to dist-node/). */
const CODE_DIRS: Record<CodeLayout, readonly string[]> = { src: ['src'], dist: ['dist', 'dist-node'] }

/** The package whose dependency closure computes a job (besides this package itself). */
const ROOT_PACKAGES = ['@snipsnap/explorer'] as const

const isCode = (layout: CodeLayout, file: string): boolean =>
  layout === 'src' ? /\.(ts|mts|mjs|js)$/.test(file) && !/\.(test|test-d|bench)\.ts$/.test(file) && !file.endsWith('.d.ts') : /\.(js|mjs)$/.test(file)

const filesUnder = (dir: string, layout: CodeLayout): string[] => {
  let entries: string[]
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  } catch {
    return []
  }
  return entries.filter((f) => isCode(layout, f) && !f.split(/[\\/]/).includes('node_modules')).sort()
}

/** A package's directory, name, version and its @snipsnap dependencies. */
interface PackageInfo {
  readonly dir: string
  readonly name: string
  readonly version: string
  readonly deps: readonly string[]
}

const readPackage = (packageJson: string): PackageInfo => {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: string; version?: string; dependencies?: Record<string, string> }
  return {
    dir: dirname(packageJson),
    name: pkg.name ?? dirname(packageJson),
    version: pkg.version ?? '0.0.0',
    deps: Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@snipsnap/')),
  }
}

/**
 * The fingerprint of the code under `ownPackageJson` and of the @snipsnap packages its job uses
 * (`@snipsnap/explorer` and its dependencies, found through package.json): 16 hex digits of the
 * SHA-256 of every package's name, version and code files (`src/` or `dist/`, line endings
 * normalised; built code: `dist/` and `dist-node/`). Packages whose code files cannot be found count by name and version.
 */
export const fingerprintCode = (ownPackageJson: string, layout: CodeLayout): string => {
  const own = readPackage(ownPackageJson)
  const seen = new Map<string, PackageInfo>([[own.name, own]])
  const visit = (from: PackageInfo, names: readonly string[]): void => {
    const require = createRequire(join(from.dir, 'package.json'))
    for (const name of names) {
      if (seen.has(name)) continue
      let info: PackageInfo
      try {
        info = readPackage(require.resolve(`${name}/package.json`))
      } catch {
        info = { dir: '', name, version: 'unresolved', deps: [] }
      }
      seen.set(name, info)
      visit(info, info.deps)
    }
  }
  visit(own, ROOT_PACKAGES)
  const hash = createHash('sha256')
  for (const info of [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(`${info.name}@${info.version}\n`)
    if (info.dir === '') continue
    for (const codeDir of CODE_DIRS[layout].map((d) => join(info.dir, d))) {
      for (const file of filesUnder(codeDir, layout)) {
        const text = readFileSync(join(codeDir, file), 'utf8').replace(/\r\n/g, '\n')
        hash.update(`${relative(info.dir, join(codeDir, file)).replace(/\\/g, '/')}\n`)
        hash.update(createHash('sha256').update(text).digest('hex'))
      }
    }
  }
  return hash.digest('hex').slice(0, 16)
}

let current: string | null = null

/**
 * The code version of the running code (computed once per process): {@link fingerprintCode} of
 * this package and its job's dependencies, over TypeScript sources when running from them, else
 * over the built files. Runs from sources and from builds therefore have different versions.
 */
export const codeVersion = (): string => {
  if (current === null) {
    const here = fileURLToPath(import.meta.url)
    const layout: CodeLayout = /\.ts$/.test(here) ? 'src' : 'dist'
    // src/node/code-version.ts, or a file directly in dist-node/ once built.
    const packageDir = layout === 'src' ? join(dirname(here), '..', '..') : join(dirname(here), '..')
    current = `${layout}-${fingerprintCode(join(packageDir, 'package.json'), layout)}`
  }
  return current
}

#!/usr/bin/env node
// Release check: builds every published package, runs publint and attw on it, packs it, installs
// all tarballs into an empty project outside the workspace and imports each entry point there.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// Optional package names restrict the check (e.g. `node scripts/check-packs.mjs @snipsnap/core`).
const only = process.argv.slice(2)
const run = (cmd, args, cwd, quiet = true) =>
  execFileSync(cmd, args, { cwd, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' })

const packages = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true)
  .filter(({ manifest }) => only.length === 0 || only.includes(manifest.name))

console.log(`building ${packages.length} packages…`)
run(
  'npx',
  ['turbo', 'run', 'build', '--concurrency=2', '--output-logs=errors-only', ...packages.map((p) => `--filter=${p.manifest.name}`)],
  root,
  false,
)

const work = join(tmpdir(), `snipsnap-pack-check-${process.pid}`)
rmSync(work, { recursive: true, force: true })
mkdirSync(join(work, 'tarballs'), { recursive: true })
const failures = []
const tarballs = []
for (const { dir, manifest } of packages) {
  try {
    run('npx', ['publint', '--strict'], dir)
  } catch (error) {
    failures.push(`${manifest.name}: publint: ${error.stdout || error.message}`)
  }
  if (manifest.exports) {
    try {
      run('npx', ['attw', '--pack', '--profile', 'esm-only', '--format', 'ascii'], dir)
    } catch (error) {
      failures.push(`${manifest.name}: attw: ${error.stdout || error.message}`)
    }
  }
  const out = run('pnpm', ['pack', '--pack-destination', join(work, 'tarballs')], dir).trim().split('\n').pop()
  tarballs.push({ name: manifest.name, file: out, manifest })
}

// An empty consumer project: install every tarball at once so workspace:^ ranges resolve to them.
const consumer = join(work, 'consumer')
mkdirSync(consumer)
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => t.file)], consumer, false)
for (const { name, manifest } of tarballs) {
  const entries = Object.keys(manifest.exports ?? {}).filter(
    (key) => key !== './package.json' && !key.includes('*') && manifest.exports[key] !== null,
  )
  for (const entry of entries) {
    const specifier = entry === '.' ? name : `${name}/${entry.slice(2)}`
    // ./testing entries may import vitest/fast-check (optional peers): only check they resolve.
    // JSON entries (a published schema) need the import attribute.
    const code = entry.includes('testing')
      ? `import.meta.resolve(${JSON.stringify(specifier)})`
      : entry.endsWith('.json')
        ? `const m = await import(${JSON.stringify(specifier)}, { with: { type: 'json' } }); if (Object.keys(m.default ?? {}).length === 0) throw new Error('empty JSON')`
        : `const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports')`
    try {
      run('node', ['--input-type=module', '-e', code], consumer)
      console.log(`ok   ${specifier}`)
    } catch (error) {
      failures.push(`${specifier}: import failed: ${error.stderr || error.message}`)
    }
  }
  if (manifest.bin) {
    try {
      run('npx', ['--no-install', Object.keys(manifest.bin)[0], '--help'], consumer)
      console.log(`ok   bin ${Object.keys(manifest.bin)[0]}`)
    } catch (error) {
      failures.push(`${name}: bin failed: ${error.stderr || error.message}`)
    }
  }
}
rmSync(work, { recursive: true, force: true })
if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):\n${failures.join('\n')}`)
  process.exit(1)
}
console.log(`\nall ${tarballs.length} packages pack, lint clean, install and import outside the workspace`)

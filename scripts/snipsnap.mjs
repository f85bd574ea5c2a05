#!/usr/bin/env node
// `pnpm snipsnap <args>`: builds the CLI and the packages it depends on when any source is newer
// than the built binary, then runs it. Build output goes to stderr so `--json` stdout stays clean.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'apps/cli/dist/bin.js')

const newestMtime = (dir) => {
  let newest = 0
  if (!existsSync(dir)) return newest
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path))
    else newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

const sourceDirs = ['packages', 'apps/cli', 'tooling'].map((d) => join(root, d))
const stale = !existsSync(bin) || Math.max(...sourceDirs.map(newestMtime)) > statSync(bin).mtimeMs
if (stale) {
  process.stderr.write('snipsnap: building the CLI and its packages…\n')
  const turbo = join(root, 'node_modules', '.bin', 'turbo')
  const build = spawnSync(
    turbo,
    ['run', 'build', '--filter=@snipsnap/cli...', '--output-logs=errors-only', '--concurrency=2'],
    { cwd: root, stdio: ['ignore', 2, 2] },
  )
  if (build.status !== 0) {
    process.stderr.write('snipsnap: build failed\n')
    process.exit(build.status ?? 1)
  }
}
const run = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(run.status ?? 1)

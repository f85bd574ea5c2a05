// Builds the site before the web tests when dist/ is missing or older than any source it is built
// from (the app, its config and every workspace package's src), so `pnpm test` works from a fresh
// clone and never tests a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'

const app = path.resolve(import.meta.dirname, '..')
const repo = path.resolve(app, '..', '..')

const newest = (target: string): number => {
  if (!existsSync(target)) return 0
  const info = statSync(target)
  if (!info.isDirectory()) return info.mtimeMs
  let latest = 0
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.endsWith('.test.ts')) continue
    latest = Math.max(latest, newest(path.join(target, entry)))
  }
  return latest
}

export const siteIsStale = (): boolean => {
  const built = path.join(app, 'dist', 'index.html')
  if (!existsSync(built)) return true
  const inputs = [
    path.join(app, 'src'),
    path.join(app, 'index.html'),
    path.join(app, 'vite.config.ts'),
    path.join(app, 'package.json'),
    ...readdirSync(path.join(repo, 'packages')).map((p) => path.join(repo, 'packages', p, 'src')),
  ]
  return Math.max(...inputs.map(newest)) > statSync(built).mtimeMs
}

export default async (): Promise<void> => {
  if (!siteIsStale()) return
  await build({ root: app, configFile: path.join(app, 'vite.config.ts'), logLevel: 'warn' })
}

// The site's JavaScript stays small: the gzip size of every dist/**/*.js together is at most 1 MB
// (the build in global-setup.ts is fresh). The sizes are written to test-artifacts/bundle-size.json.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const dist = path.resolve(import.meta.dirname, '..', 'dist')
const artifacts = path.resolve(import.meta.dirname, '..', 'test-artifacts')
const LIMIT_BYTES = 1_000_000

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry)
    return statSync(full).isDirectory() ? files(full) : [full]
  })

describe('bundle size', () => {
  it(`the site's JavaScript is at most ${LIMIT_BYTES / 1e6} MB gzipped`, () => {
    const scripts = files(dist).filter((f) => f.endsWith('.js'))
    expect(scripts.length).toBeGreaterThanOrEqual(2) // the page and the worker
    const sizes = scripts.map((f) => {
      const bytes = readFileSync(f)
      return { file: path.relative(dist, f), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
    })
    const gzipBytes = sizes.reduce((s, f) => s + f.gzipBytes, 0)
    mkdirSync(artifacts, { recursive: true })
    writeFileSync(path.join(artifacts, 'bundle-size.json'), `${JSON.stringify({ gzipBytes, limitBytes: LIMIT_BYTES, files: sizes }, null, 2)}\n`)
    expect(gzipBytes).toBeLessThanOrEqual(LIMIT_BYTES)
  })

  it('the built index.html loads everything by relative URLs (works from any static server or sub-path)', () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8')
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
    expect(urls.length).toBeGreaterThan(0)
    for (const url of urls) expect(url.startsWith('./') || url.startsWith('data:'), url).toBe(true)
  })

  it('no Node built-in module reaches the browser bundle', () => {
    for (const f of files(dist).filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(f, 'utf8')
      expect(text, f).not.toMatch(/__vite-browser-external|from\s*["'](node:)?(fs|path|worker_threads|child_process|os)["']/)
    }
  })
})

#!/usr/bin/env node
// Serves the built site (apps/web/dist) on a local port: `pnpm web` from the repository root, or
// `node apps/web/scripts/serve.mjs [--port 4173] [--dir path]`. Any static server works too; this
// one only needs Node. Listens on 127.0.0.1.
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

/** Starts a static server for `dir`; resolves to its base URL and a close function. */
export const serveStatic = async ({ dir, port = 0, host = '127.0.0.1' }) => {
  const root = path.resolve(dir)
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost')
      let file = path.join(root, decodeURIComponent(url.pathname))
      if (!file.startsWith(root)) throw new Error('outside the site')
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html')
      const body = await readFile(file)
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' })
      response.end(body)
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('not found')
    }
  })
  await new Promise((resolve) => server.listen(port, host, resolve))
  const address = server.address()
  return { url: `http://${host}:${address.port}/`, close: () => new Promise((resolve) => server.close(resolve)) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const option = (name, fallback) => {
    const i = args.indexOf(name)
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
  }
  const dir = option('--dir', path.join(import.meta.dirname, '..', 'dist'))
  const port = Number(option('--port', '4173'))
  if ((await stat(path.join(dir, 'index.html')).catch(() => null)) === null) {
    process.stderr.write(`no built site in ${dir}: run pnpm --filter @snipsnap/web build first\n`)
    process.exit(1)
  }
  const { url } = await serveStatic({ dir, port })
  process.stdout.write(`SnipSnap web app: ${url} (Ctrl-C stops)\n`)
}

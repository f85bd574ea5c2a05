// The library packages stay platform-neutral: each entry point the site imports, taken whole,
// bundles for the browser without any Node built-in (house style §4; Node-only code lives behind a
// `node` entry point such as @snipsnap/search/node, which the site does not import).
import { builtinModules } from 'node:module'
import path from 'node:path'
import { build, type Rollup } from 'vite'
import { describe, expect, it } from 'vitest'

const app = path.resolve(import.meta.dirname, '..')
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])

describe('library entry points in the browser', () => {
  it('bundle without Node built-ins', async () => {
    const imported: string[] = []
    const output = (await build({
      root: app,
      configFile: false,
      logLevel: 'silent',
      resolve: { conditions: ['@snipsnap/source'] },
      plugins: [
        {
          name: 'record-node-builtins',
          enforce: 'pre',
          resolveId(source, importer) {
            if (nodeBuiltins.has(source)) imported.push(`${source} (from ${path.relative(app, importer ?? '?')})`)
            return null
          },
        },
      ],
      build: { write: false, minify: false, lib: { entry: path.join(app, 'test', 'fixtures', 'all-packages.ts'), formats: ['es'], fileName: 'all' } },
    })) as Rollup.RollupOutput[] | Rollup.RollupOutput
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).filter((c): c is Rollup.OutputChunk => c.type === 'chunk')
    expect(chunks.length).toBeGreaterThan(0)
    expect(imported).toEqual([])
    for (const chunk of chunks) expect(chunk.code, chunk.fileName).not.toMatch(/__vite-browser-external/)
  })
})

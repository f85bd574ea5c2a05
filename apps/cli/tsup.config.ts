import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { defineConfig, type Options } from 'tsup'
import { nodeProgram } from '@snipsnap/tsup-config'

// The CLI is bundled, its dependencies included (`noExternal`): loading the same code as ~200
// separate node_modules files (zod, yaml and commander ship as many small modules, yaml and
// commander as CommonJS) cost about 2× the start-up time and 25 MiB of peak memory of
// `snipsnap evaluate` (issue 12, measured with `pnpm bench`). CommonJS dependencies call
// `require` for Node built-ins, which an ES module has no binding for: the banner gives every
// chunk one. tsdown has the same settings (`noExternal`, `banner`, plugins) for the Node 22
// migration.
//
// Two builds (issue 12: each command loads only what it runs):
// 1. CommonJS (`dist/*.js`; scripts/finish-dist.mjs gives dist/ a package.json saying so): the
//    process entry `bin.js` (main, commander, every command's declaration), `evaluate`'s action
//    alone (`evaluate-action.js`, required when `evaluate` runs) and `yaml.js` (required by the
//    Timeloop reader only for files its fast reader leaves, see lazyYaml below). An ES
//    module entry makes Node start its ES module loader, ~1.9 MiB of peak memory before any of
//    our code runs (an empty `.mjs` file peaks at 41.0 MiB, an empty `.cjs` one at 39.1), which
//    `evaluate` never needs. Built alone, the action also carries only the zod code it calls:
//    esbuild tree-shakes once per build and splits per module file, so sharing chunks with the
//    other commands would bring whole zod modules kept alive by them.
// 2. ES modules (`dist/*.mjs`): the library entry `main.mjs` (package export `.`), the other
//    commands' actions (`action-<command>.mjs`), the study loader and the plug-in loader
//    (`plugins.mjs`, only with `--plugin`/`--cost-model`), split into shared chunks. bin.js
//    imports them by these fixed names (ES modules may use `import.meta`, the worker threads
//    and plug-ins need it), so only those commands start the ES module loader.
// Each build carries its own copy of @snipsnap/core: SnipSnapError recognises the errors of any
// copy (`Symbol.hasInstance` on a shared brand), so run-control's checks hold across builds.
// src/module-graph.test.ts checks, on the sources, which modules `evaluate` loads; `pnpm bench`
// measures the built layout (bench/process.bench.ts).

const requireHere = createRequire(import.meta.url)
const banner = { js: "import { createRequire as __snipsnapCreateRequire } from 'node:module'; const require = __snipsnapCreateRequire(import.meta.url);" }
const EVALUATE_FILE = './evaluate-action.js'
/** `SNIPSNAP_NO_MINIFY=1` builds readable bundles, so CPU profiles of the built CLI name functions. */
const minify = process.env['SNIPSNAP_NO_MINIFY'] === undefined
/** Commands whose actions bin.js imports from the ES module build (all but `evaluate`). */
const ESM_ACTIONS = ['codesign', 'explore', 'formats', 'init', 'search', 'sweep', 'worker'] as const

type Plugin = NonNullable<Options['esbuildPlugins']>[number]
/** Resolves the bare specifier `name` to `to` (a file of dist/ kept external, or a path to bundle). */
const redirect = (pluginName: string, filter: RegExp, to: { path: string; external: boolean }): Plugin => ({
  name: pluginName,
  setup(build) {
    build.onResolve({ filter }, () => to)
  },
})
// yaml's ES module build (its `default` export condition), which esbuild can tree-shake; the
// `node` condition picks the CommonJS build, bundled whole.
const yamlEsm = redirect('yaml-esm', /^yaml$/, {
  path: join(dirname(requireHere.resolve('yaml/package.json')), 'browser', 'index.js'),
  external: false,
})

// Commander requires `node:child_process` at load for executable sub-commands, which snipsnap
// has none of: src/bundle/lazy-child-process.cjs loads it on first use instead.
const lazyChildProcess: Plugin = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: join(import.meta.dirname, 'src', 'bundle', 'lazy-child-process.cjs') } : undefined,
    )
  },
}

/**
 * In the CommonJS build, resolves what bin.js loads lazily: the other commands' actions, the
 * study loader and the plug-in loader to files of the ES module build (kept as `import()`), and
 * `evaluate`'s action to a stand-in module that `require`s evaluate-action.js (esbuild keeps an
 * external `import()` as `import()`, which would start the ES module loader).
 */
const lazyFiles: Plugin = {
  name: 'lazy-files',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/(actions\/[a-z-]+|study\/apply|plugins)$/ }, (args) => {
      const target = args.path.slice(3)
      if (target === 'actions/evaluate') return { path: EVALUATE_FILE, namespace: 'evaluate-action' }
      const command = target.startsWith('actions/') ? target.slice('actions/'.length) : undefined
      if (command !== undefined && !(ESM_ACTIONS as readonly string[]).includes(command)) return undefined
      return { path: command !== undefined ? `./action-${command}.mjs` : `./${target.replace('/', '-')}.mjs`, external: true }
    })
    build.onLoad({ filter: /.*/, namespace: 'evaluate-action' }, () => ({ contents: `module.exports = require(${JSON.stringify(EVALUATE_FILE)})`, loader: 'js' }))
    build.onResolve({ filter: /^\.\/evaluate-action\.js$/ }, (args) => ({ path: args.path, external: true }))
  },
}

// The CommonJS build's `yaml` (but that of src/bundle/yaml.ts, which builds dist/yaml.js): a stand-in
// whose exports load dist/yaml.js on first use. The Timeloop reader reads usual design files with
// its own fast reader and calls `yaml` only for what that reader leaves (anchors, block scalars,
// …), so `evaluate` no longer parses the library's ~100 kB at every start. The stand-in's names
// are the library's, read here at build time.
const YAML_STAND_IN = `'use strict'
let real
const load = () => (real ??= require('./yaml.js'))
for (const name of ${JSON.stringify(Object.keys(requireHere('yaml') as object))}) {
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] })
}
`
const lazyYaml: Plugin = {
  name: 'lazy-yaml',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, (args) =>
      /[\\/]src[\\/]bundle[\\/]yaml\.ts$/.test(args.importer) ? undefined : { path: 'yaml', namespace: 'lazy-yaml' },
    )
    build.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => ({ contents: YAML_STAND_IN, loader: 'js' }))
    build.onResolve({ filter: /^\.\/yaml\.js$/ }, (args) => ({ path: args.path, external: true }))
  },
}

export default defineConfig([
  {
    ...nodeProgram([]),
    entry: { bin: 'src/bin.ts', 'evaluate-action': 'src/actions/evaluate.ts', yaml: 'src/bundle/yaml.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.js' }),
    noExternal: [/./],
    clean: false,
    splitting: false,
    minify,
    // actions/evaluate.ts locates itself for its worker threads by `import.meta.url` from sources
    // and by `__filename` in this CommonJS bundle, where esbuild empties `import.meta`.
    esbuildOptions: (options) => {
      options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' }
    },
    // Keep `node:` specifiers as written, so lazyChildProcess sees commander's import.
    removeNodeProtocol: false,
    esbuildPlugins: [lazyYaml, yamlEsm, lazyChildProcess, lazyFiles],
  },
  {
    ...nodeProgram([]),
    entry: {
      main: 'src/main.ts',
      plugins: 'src/plugins.ts',
      'study-apply': 'src/study/apply.ts',
      ...Object.fromEntries(ESM_ACTIONS.map((command) => [`action-${command}`, `src/actions/${command}.ts`])),
    },
    outExtension: () => ({ js: '.mjs' }),
    dts: { entry: 'src/main.ts' },
    // @snipsnap/sweep stays a package of its own (loaded only by `sweep` and `worker`): its worker
    // threads import its `job-worker` module by URL, and its dependencies (piscina, BullMQ) locate
    // files of their own at run time, which a bundle would break.
    noExternal: [/^(?!@snipsnap\/sweep(\/|$))/],
    external: ['@snipsnap/sweep'],
    clean: false,
    minify,
    removeNodeProtocol: false,
    banner,
    esbuildPlugins: [yamlEsm, lazyChildProcess],
  },
])

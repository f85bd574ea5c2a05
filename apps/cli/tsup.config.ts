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
// 1. The program (bin, main, every command's declaration, every action but `evaluate`), split at
//    each command's `import('../actions/<command>')` (esbuild code splitting).
// 2. `evaluate`'s action alone (`dist/evaluate-action.js`, minified). esbuild tree-shakes once
//    per build and splits per module file, so inside build 1 `evaluate` would share whole zod
//    and yaml modules kept alive by the other commands (classic `zod` keeps all of zod core
//    and its locales alive); built alone it carries only what it calls.
// `@snipsnap/core` is one module both builds import (`dist/snipsnap-core.js`), as is the plug-in
// loader (`dist/plugins.js`, only with `--plugin`/`--cost-model`), so there is one
// `SnipSnapError` class and run-control's `instanceof` checks hold for errors of either build.
// src/module-graph.test.ts checks, on the built CLI, which files `evaluate` loads.

const requireHere = createRequire(import.meta.url)
const banner = { js: "import { createRequire as __snipsnapCreateRequire } from 'node:module'; const require = __snipsnapCreateRequire(import.meta.url);" }
const CORE_FILE = './snipsnap-core.js'
const EVALUATE_FILE = './evaluate-action.js'
const PLUGINS_FILE = './plugins.js'

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

export default defineConfig([
  {
    ...nodeProgram([]),
    entry: { bin: 'src/bin.ts', main: 'src/main.ts', plugins: 'src/plugins.ts', 'snipsnap-core': requireHere.resolve('@snipsnap/core') },
    dts: { entry: 'src/main.ts' },
    // @snipsnap/sweep stays a package of its own (loaded only by `sweep` and `worker`): its worker
    // threads import its `job-worker` module by URL, and its dependencies (piscina, BullMQ) locate
    // files of their own at run time, which a bundle would break.
    noExternal: [/^(?!@snipsnap\/sweep(\/|$))/],
    external: ['@snipsnap/sweep'],
    clean: false,
    minify: true,
    // Keep `node:` specifiers as written, so lazyChildProcess sees commander's import.
    removeNodeProtocol: false,
    banner,
    esbuildPlugins: [yamlEsm, lazyChildProcess, redirect('evaluate-action', /\/actions\/evaluate$/, { path: EVALUATE_FILE, external: true })],
  },
  {
    ...nodeProgram([]),
    entry: { 'evaluate-action': 'src/actions/evaluate.ts' },
    noExternal: [/./],
    clean: false,
    splitting: false,
    minify: true,
    banner,
    esbuildPlugins: [
      yamlEsm,
      redirect('snipsnap-core', /^@snipsnap\/core$/, { path: CORE_FILE, external: true }),
      // `--plugin`/`--cost-model` (`import('../plugins')`) load the program build's plugins.js:
      // inlined here (a build without splitting inlines dynamic imports) it brought the plug-in
      // registries, the format library and zod's classic API with all its locales into every
      // `evaluate` (460 of the bundle's 683 KB were zod).
      redirect('plugins', /^\.\.\/plugins$/, { path: PLUGINS_FILE, external: true }),
    ],
  },
])

import { defineConfig } from 'tsup'
import { nodeProgram } from '@snipsnap/tsup-config'

// The CLI is one bundle, its dependencies included (`noExternal`), split at each command's
// `import('../actions/<command>')` (esbuild code splitting), so a command's process reads a few
// files holding only the code it runs. Loading the same code as ~200 separate node_modules files
// (zod, yaml and commander ship as many small modules, yaml and commander as CommonJS) cost about
// 2× the start-up time and 25 MiB of peak memory of `snipsnap evaluate` (issue 12, measured with
// `pnpm bench`). CommonJS dependencies call `require` for Node built-ins, which an ES module has
// no binding for: the banner gives every chunk one. tsdown has both settings (`noExternal`,
// `banner`) when the Node 22 migration comes.
export default defineConfig({
  ...nodeProgram(['src/bin.ts', 'src/main.ts']),
  dts: { entry: 'src/main.ts' },
  // @snipsnap/sweep stays a package of its own (loaded only by `sweep` and `worker`): its worker
  // threads import its `job-worker` module by URL, and its dependencies (piscina, BullMQ) locate
  // files of their own at run time, which a bundle would break.
  noExternal: [/^(?!@snipsnap\/sweep(\/|$))/],
  external: ['@snipsnap/sweep'],
  banner: { js: "import { createRequire as __snipsnapCreateRequire } from 'node:module'; const require = __snipsnapCreateRequire(import.meta.url);" },
})

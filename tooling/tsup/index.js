// Shared tsup options (TanStack's getTsupConfig pattern), restricted to the subset that
// `tsdown-migrate` maps mechanically so the switch to tsdown is trivial once Node 22 lands.
// Plain JS (typed by index.d.ts) because tsup loads configs' workspace imports without a TS loader.

/** Options for a platform-neutral, ESM-only library package. */
export const library = (entry) => ({
  entry,
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  clean: true,
})

/** Options for a Node program (the CLI, worker entry points). */
export const nodeProgram = (entry) => ({
  entry,
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: false,
  sourcemap: true,
  clean: true,
})

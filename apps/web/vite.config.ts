import { defineConfig } from 'vite'

// `base: './'`: every URL in the build is relative, so dist/ works from any static server and any
// sub-path. The source condition resolves workspace packages to their TypeScript sources (house
// style §9: set here, in tsconfig and in vitest), so the site needs no prior package build.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@snipsnap/source'] },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, reportCompressedSize: false },
})

// Root test configuration: one vitest project per workspace package, sources resolved through
// the private `@snipsnap/source` export condition so tests never need a prior build.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@snipsnap/source'] },
  ssr: { resolve: { conditions: ['@snipsnap/source'] } },
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
    restoreMocks: true,
    // The CI script reads this file to print its `N passed, N failed` line from real results.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    typecheck: { enabled: true, include: ['**/*.test-d.ts'] },
  },
})

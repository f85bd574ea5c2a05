// Settings every vitest project inherits; package configs merge this with their own name.
import { defineProject, mergeConfig, type TestProjectInlineConfiguration } from 'vitest/config'

type ProjectConfig = Omit<TestProjectInlineConfiguration, 'extends'>

const shared: ProjectConfig = {
  resolve: { conditions: ['@snipsnap/source'] },
  ssr: { resolve: { conditions: ['@snipsnap/source'] } },
  test: {
    restoreMocks: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ['**/*.test-d.ts'] },
  },
}

/** Builds a package's vitest project config on top of the shared settings. */
export const packageProject = (name: string, extra: ProjectConfig = {}) =>
  defineProject(mergeConfig(shared, { ...extra, test: { name, ...(extra.test ?? {}) } }))

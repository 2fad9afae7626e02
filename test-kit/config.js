// Plain JavaScript on purpose: vitest's default config loader bundles a user's vitest.config.ts
// but imports packages natively, and Node 20 cannot import a .ts file from node_modules.
import { defineConfig, mergeConfig } from 'vitest/config'

/**
 * The vitest configuration code-action tests need, merged with yours:
 * `export default defineCodeActionConfig({ test: { include: ['test/**\/*.test.ts'] } })`.
 * @param {import('vitest/config').ViteUserConfig} [overrides]
 * @returns {import('vitest/config').ViteUserConfig}
 */
export function defineCodeActionConfig (overrides = {}) {
  const base = defineConfig({
    test: {
      // isolated-vm must be loaded with --no-node-snapshot on Node 20; only process forks can pass it.
      pool: 'forks',
      poolOptions: { forks: { execArgv: ['--no-node-snapshot'] } },
      // A run starts a sandbox process and may wait for an action's own 10 s limit.
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  })
  return mergeConfig(base, overrides)
}

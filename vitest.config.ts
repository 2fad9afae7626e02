import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './scripts/summary-reporter.ts'],
    // isolated-vm must be loaded with --no-node-snapshot on Node 20; forks can pass it.
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--no-node-snapshot'] } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})

import { defineConfig } from 'vitest/config'
import DurationSequencer from './scripts/sequencer.ts'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './scripts/summary-reporter.ts'],
    // isolated-vm must be loaded with --no-node-snapshot on Node 20; forks can pass it.
    pool: 'forks',
    // Many tests wait (timeouts, Retry-After, slow APIs) rather than compute, so more forks
    // than cores keep both cores busy; vitest's default leaves one core idle.
    poolOptions: { forks: { execArgv: ['--no-node-snapshot'], minForks: 1, maxForks: 4 } },
    // Longest files first, also on a fresh clone (scripts/sequencer.ts).
    sequence: { sequencer: DurationSequencer },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})

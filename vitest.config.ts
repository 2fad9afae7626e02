import { defineConfig } from 'vitest/config'
import DurationSequencer from './scripts/sequencer.ts'

/** Test files that change the working directory, which only a process of their own may do. */
const CHDIR = ['test/compile-cwd.test.ts', 'test/start.test.ts', 'test/testing/new.test.ts', 'test/testing/test-command.test.ts']

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Longest files first, also on a fresh clone (scripts/sequencer.ts).
    sequence: { sequencer: DurationSequencer },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Many tests wait (timeouts, Retry-After, slow APIs) rather than compute, so more workers
    // than cores keep both cores busy; vitest's default leaves one core idle.
    poolOptions: {
      // No per-file isolation: a worker thread keeps its loaded modules from one test file to the
      // next (no test mocks modules or changes globals), which saves loading the runner's modules and
      // starting a thread for each file. minThreads must equal maxThreads: with fewer, tinypool's
      // idle-worker teardown races vitest's and ends the run with "Terminating worker thread".
      threads: { minThreads: 4, maxThreads: 4, isolate: false },
      forks: { execArgv: ['--no-node-snapshot'], minForks: 1, maxForks: 2 },
    },
    projects: [
      // Tests never load isolated-vm in their own process (actions run in sandbox child
      // processes), so a worker thread will do, and it starts at a fraction of a forked Node's cost:
      // measured, the suite's CPU time fell from about 100 s to 80 s.
      { extends: true, test: { name: 'threads', include: ['test/**/*.test.ts'], exclude: CHDIR, pool: 'threads' } },
      // process.chdir() is not available in worker threads: these files get processes. They do
      // not load isolated-vm either; --no-node-snapshot (poolOptions) keeps them safe if one ever does.
      { extends: true, test: { name: 'forks', include: CHDIR, pool: 'forks' } },
    ],
  },
})

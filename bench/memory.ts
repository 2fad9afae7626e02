/**
 * The `memory` section of `npm run bench`, in a process of its own (bench/index.ts runs it):
 * host and sandbox-process RSS before and after 10,000 pooled runs of the suite's cases, through
 * `runAction` and a pool of one sandbox process per core. Prints one JSON line.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { runAction, SandboxPool } from '../runner/index.ts'
import { inLanes, median, suiteFixtures } from './suite.ts'

const quick = process.argv.includes('--quick')
/** `--smoke`: a few dozen runs, only to prove the section works (test/bench.test.ts). */
const smoke = process.argv.includes('--smoke')
const progress = (text: string): void => { if (!process.argv.includes('--quiet')) process.stderr.write(`${text}\n`) }

/** RSS in MB of this process plus the given processes (gone ones count zero). */
function rssMb (pids: number[]): number {
  let kb = process.memoryUsage().rss / 1024
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (match) kb += Number(match[1])
    } catch { /* the process is gone */ }
  }
  return kb / 1024
}

const round = (n: number): number => Number(n.toFixed(1))
const cores = availableParallelism()
const cases = suiteFixtures()
const pool = new SandboxPool(cores)

const lanes = Array.from({ length: cores }, (_, k) => k)
const runMany = async (count: number): Promise<void> => {
  await inLanes(count, lanes, i => runAction(cases[i % cases.length].action, cases[i % cases.length].fixture, { isolate: 'pooled' }, { pool }))
}

// RSS is sampled every 37 runs. A pooled isolate's heap fills with dead contexts until it is
// recycled, so one sandbox process's RSS swings by 20-40 MB within a cycle: a single sample would
// measure where in that cycle it fell (and a period dividing the cycle would always hit the same
// points). Start and end are therefore medians of the samples over 1,000 runs: the last 1,000 of
// the warm-up, and 1,000 more after the measured runs.
const SAMPLE_EVERY = 37
const SAMPLE_WINDOW = smoke ? SAMPLE_EVERY : 1000
async function sampleWindow (): Promise<{ host: number, sandboxes: number }> {
  const host: number[] = []
  const sandboxes: number[] = []
  for (let i = 0; i <= SAMPLE_WINDOW; i += SAMPLE_EVERY) {
    if (i > 0) await runMany(SAMPLE_EVERY)
    const own = rssMb([])
    host.push(own)
    sandboxes.push(rssMb(pool.pids()) - own)
  }
  return { host: median(host), sandboxes: median(sandboxes) }
}

// RSS climbs during the first few thousand runs (the heaps and allocator arenas settle) and then
// stays level over 30,000 runs: the start point is taken after that warm-up, so growth means a
// leak, not settling.
const runs = smoke ? 40 : quick ? 1000 : 10_000
const warmupRuns = smoke ? SAMPLE_WINDOW : quick ? 1000 : 5_000
await runMany(warmupRuns - SAMPLE_WINDOW)
const start = await sampleWindow()
progress(`memory: start ${round(start.host + start.sandboxes)} MB, ${runs} runs…`)
await runMany(runs)
const end = await sampleWindow()
pool.close()

const rssStartMb = start.host + start.sandboxes
const rssEndMb = end.host + end.sandboxes
process.stdout.write(`${JSON.stringify({
  runs,
  warmupRuns,
  rssStartMb: round(rssStartMb),
  rssEndMb: round(rssEndMb),
  rssGrowthMb: round(rssEndMb - rssStartMb),
  parentGrowthMb: round(end.host - start.host),
  sandboxGrowthMb: round(end.sandboxes - start.sandboxes),
})}\n`)
process.exit(0)

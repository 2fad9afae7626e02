/**
 * Run by test/host-memory.test.ts in a process of its own, with a 1 MB semi-space so a few hundred
 * runs see several scavenges. Runs the bench suite's routing case (lodash, quick replies, a
 * session write; no HTTP, to keep the sandbox's share of the CPU small) through `runAction` and a
 * pool of one sandbox process, and prints one JSON line: the bytes per run that this (host)
 * process's scavenges moved into old space. Garbage that reaches old space stays until a full GC
 * and, summed over scavenges, is what makes V8 double the young generation in a long session.
 */
import { GCProfiler } from 'node:v8'
import { runAction, SandboxPool } from '../../runner/index.ts'
import { suiteFixtures } from '../../bench/suite.ts'

const [warmup, measured] = process.argv.slice(2).map(Number)
const routing = suiteFixtures().find(c => c.action.includes('addQuickReplies'))!
const pool = new SandboxPool(1)
const runMany = async (count: number): Promise<void> => {
  for (let i = 0; i < count; i++) {
    const result = await runAction(routing.action, routing.fixture, { isolate: 'pooled' }, { pool })
    if (!result.ok) throw new Error(`run failed: ${result.error?.message}`)
  }
}

await runMany(warmup)
const profiler = new GCProfiler()
profiler.start()
await runMany(measured)
const statistics = profiler.stop()?.statistics ?? []
pool.close()

type Space = { spaceName: string, spaceUsedSize: number }
const oldSpace = (spaces: Space[]): number => spaces.find(s => s.spaceName === 'old_space')?.spaceUsedSize ?? 0
const scavenges = statistics.filter(s => s.gcType === 'Scavenge')
const promoted = scavenges.reduce((sum, s) => sum + oldSpace(s.afterGC.heapSpaceStatistics) - oldSpace(s.beforeGC.heapSpaceStatistics), 0)
process.stdout.write(`${JSON.stringify({ scavenges: scavenges.length, fullGcs: statistics.length - scavenges.length, promotedPerRun: promoted / measured })}\n`)
process.exit(0)

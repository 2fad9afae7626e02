/**
 * `npm run bench`: the runner against the physical floor (raw isolated-vm), measured in the same
 * process run. Medians only; ratios compare. `--json` prints exactly one JSON object.
 */
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { FixtureCheck } from '../runner/scenario.ts'

const HELP = `Usage: npm run bench [-- [--json] [--quick | --smoke]]

Measures the runner against a minimal isolated-vm harness in the same process run and prints a
table with the targets (README, "Benchmark"), or with --json exactly one JSON object on stdout.
  --json    one JSON object on stdout, nothing else (progress goes nowhere)
  --quick   a fifth of the repetitions and 1,000 memory runs: a rough check in about 30 s
  --smoke   a few runs of each section, only to prove the bench works (test/bench.test.ts)`

if (process.argv.includes('--help')) {
  process.stdout.write(`${HELP}\n`)
  process.exit(0)
}
// Loaded after --help: floor.ts loads isolated-vm and lodash, and suite.ts esbuild.
const { runAction, SandboxPool } = await import('../runner/index.ts')
const { checkFixture } = await import('../runner/scenario.ts')
const { RECYCLE_HEAP_MB } = await import('../runner/sandbox/protocol.ts')
const { directCallOnce, freshIsolateOnce, nodeVmOnce, suiteFloor, TRIVIAL, warmContextRunner } = await import('./floor.ts')
const { buildAllForBench, inLanes, median, suiteCases, suiteFixtures } = await import('./suite.ts')

const json = process.argv.includes('--json')
const quick = process.argv.includes('--quick')
const smoke = process.argv.includes('--smoke')
const log = (text: string): void => { if (!json) process.stderr.write(`${text}\n`) }

/**
 * The median time of each function, measured in alternation, one run of each per round: a ratio
 * of two of them then compares runs made under the same machine conditions. Measured one block
 * after the other, `ratios.pooled` swung between 0.83 and 1.66 over three runs within ten
 * minutes, because the machine's speed drifts within a run.
 */
async function measure (runs: number, warmup: number, ...fns: Array<() => unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) for (const once of fns) await once()
  const times = fns.map((): number[] => [])
  for (let i = 0; i < runs; i++) {
    for (const [k, once] of fns.entries()) {
      const t = performance.now()
      await once()
      times[k].push(performance.now() - t)
    }
  }
  return times.map(median)
}

const round = (n: number, digits = 3): number => Number(n.toFixed(digits))

interface MemoryReport { runs: number, warmupRuns: number, rssStartMb: number, rssEndMb: number, rssGrowthMb: number, parentGrowthMb: number, sandboxGrowthMb: number }

/** Runs bench/memory.ts in a new Node process (same flags as this one) and reads its JSON line. */
function measureMemoryInOwnProcess (quickRun: boolean): MemoryReport {
  const script = fileURLToPath(new URL('./memory.ts', import.meta.url))
  const child = spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', script, ...(quickRun ? ['--quick'] : []), ...(smoke ? ['--smoke'] : []), ...(json ? ['--quiet'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (child.status !== 0) throw new Error(`bench/memory.ts failed (${child.signal ?? `exit ${child.status}`})`)
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as MemoryReport
}

const N = smoke ? 0.01 : quick ? 0.2 : 1
const fixture = { args: { name: { text: 'ada' } } }

// The floor and the runner are measured in alternation: only their ratio compares.
const single = new SandboxPool(1)
log('floor and runner: fresh isolate…')
const [freshIsolateMs, runnerFreshMs] = await measure(Math.round(40 * N) || 5, 3, freshIsolateOnce,
  () => runAction(TRIVIAL, fixture, { isolate: 'fresh' }, { pool: single }))
log('floor and runner: warm context / pooled…')
const warm = warmContextRunner()
const [warmContextMs, runnerPooledMs] = await measure(Math.round(200 * N) || 20, 10, warm.run,
  () => runAction(TRIVIAL, fixture, { isolate: 'pooled' }, { pool: single }))
warm.dispose()
single.close()
log('reference…')
const [nodeVmMs] = await measure(Math.round(200 * N) || 20, 10, nodeVmOnce)
const [directCallMs] = await measure(smoke ? 20 : 2000, smoke ? 1 : 100, directCallOnce)

const total = smoke ? 40 : 1000
log(`suite: ${total} fixture runs, and its floor…`)
// The machinery `code-action test` uses: checkFixture over a pool of pooled-isolate sandboxes,
// one worker per core.
const cores = availableParallelism()
const cases = suiteFixtures()
const suitePool = new SandboxPool(cores)
const check = (i: number): Promise<FixtureCheck> => checkFixture(cases[i % cases.length].fixture, { isolate: 'pooled' }, { pool: suitePool })
// Its floor (floor.ts): raw isolated-vm on one worker thread per core, the same actions.
const floorSuite = suiteFloor(cores, suiteCases(), RECYCLE_HEAP_MB)
let failures = 0
/** Makes n runs through the runner, one worker per core; resolves to their wall time. */
const lanes = Array.from({ length: cores }, (_, k) => k)
const runnerSuite = (n: number): Promise<number> => inLanes(n, lanes, async i => { if (!(await check(i)).passed) failures++ })
// Warm-up: sandbox processes started, action code caches produced, JIT settled.
const SUITE_WARMUP = smoke ? cores : 200
await floorSuite.run(SUITE_WARMUP)
await runnerSuite(SUITE_WARMUP)
failures = 0
// In alternation, as the rows above: four blocks of each, a quarter of the runs per block.
const SUITE_BLOCKS = 4
let suiteWallMs = 0
let floorSuiteWallMs = 0
for (let b = 0; b < SUITE_BLOCKS; b++) {
  const n = Math.round(total * (b + 1) / SUITE_BLOCKS) - Math.round(total * b / SUITE_BLOCKS)
  floorSuiteWallMs += await floorSuite.run(n)
  suiteWallMs += await runnerSuite(n)
}
if (failures) log(`suite: ${failures} fixtures failed their expectations (they should not)`)
suitePool.close()
await floorSuite.close()

log('memory: in a process of its own…')
// In a process of its own (bench/memory.ts): the measured host then does only what a long
// `code-action test --watch` session does. In this process, the floor's in-process isolates and
// the idle gaps between sections let V8 shrink its young generation, which then regrew during
// the measurement (+8 MB of RSS that no run caused).
const memory = measureMemoryInOwnProcess(quick)

log('build…')
const build = await buildAllForBench()

const report = {
  node: process.version,
  cores,
  floor: { freshIsolateMs: round(freshIsolateMs), warmContextMs: round(warmContextMs), suiteRunsPerSec: round(total / (floorSuiteWallMs / 1000), 1) },
  reference: { nodeVmMs: round(nodeVmMs), directCallMs: round(directCallMs, 5) },
  runner: { freshMs: round(runnerFreshMs), pooledMs: round(runnerPooledMs) },
  // suite: the runner's rate as a share of its floor's, measured in alternation (1 = the floor).
  ratios: { fresh: round(runnerFreshMs / freshIsolateMs, 2), pooled: round(runnerPooledMs / warmContextMs, 2), suite: round(floorSuiteWallMs / suiteWallMs, 2) },
  suite: { cases: total, wallMs: round(suiteWallMs, 1), runsPerSec: round(total / (suiteWallMs / 1000), 1) },
  memory,
  build: { snippets: build.snippets, wallMs: round(build.wallMs, 1) },
}

if (json) {
  process.stdout.write(`${JSON.stringify(report)}\n`)
} else {
  const targets: Array<[string, string, boolean]> = [
    ['ratios.fresh', `${report.ratios.fresh} (target <= 1.3)`, report.ratios.fresh <= 1.3],
    ['ratios.pooled', `${report.ratios.pooled} (target <= 1.5)`, report.ratios.pooled <= 1.5],
    ['suite.runsPerSec', `${report.suite.runsPerSec} (target >= 150)`, report.suite.runsPerSec >= 150],
    ['memory.rssGrowthMb', `${report.memory.rssGrowthMb} over ${report.memory.runs} runs (target <= 20)`, report.memory.rssGrowthMb <= 20],
  ]
  const rows: Array<[string, string]> = [
    ['node / cores', `${report.node} / ${cores}`],
    ['floor.freshIsolateMs', String(report.floor.freshIsolateMs)],
    ['floor.warmContextMs', String(report.floor.warmContextMs)],
    ['floor.suiteRunsPerSec', String(report.floor.suiteRunsPerSec)],
    ['reference.nodeVmMs', String(report.reference.nodeVmMs)],
    ['reference.directCallMs', String(report.reference.directCallMs)],
    ['runner.freshMs', String(report.runner.freshMs)],
    ['runner.pooledMs', String(report.runner.pooledMs)],
    [`suite.wallMs (${total} runs)`, String(report.suite.wallMs)],
    ['memory.rssStartMb → rssEndMb', `${report.memory.rssStartMb} → ${report.memory.rssEndMb}`],
    ['memory growth: host, sandboxes', `${report.memory.parentGrowthMb}, ${report.memory.sandboxGrowthMb}`],
    ['build (snippets, ms)', `${report.build.snippets}, ${report.build.wallMs}`],
    ['ratios.suite (rate / floor rate)', String(report.ratios.suite)],
    ...targets.map(([k, v, ok]) => [k, `${v} ${ok ? 'met' : 'MISSED'}`] as [string, string]),
  ]
  const width = Math.max(...rows.map(r => r[0].length))
  process.stdout.write(`| metric${' '.repeat(width - 6)} | value |\n|${'-'.repeat(width + 2)}|-------|\n`)
  for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`)
}
process.exit(0)

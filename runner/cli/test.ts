import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { isToolError, ToolError } from '../errors.ts'
import { formatFailures, type ExpectationFailure } from '../expect.ts'
import { displayPath, loadFixture } from '../fixtures/index.ts'
import { ansiStyle, type Style } from '../report.ts'
import { sharedPool } from '../sandbox/pool.ts'
import { checkFixture, type FixtureCheck } from '../scenario.ts'
import type { Fixture, RunError } from '../types.ts'
import { parseFlags, type FlagSpec } from './flags.ts'
import type { CliIO } from './io.ts'

export const TEST_HELP = `Usage: code-action test [path...] [--json] [--bail]

Runs every fixture under the given folders or files (default fixtures/) that names an action
(or has steps) and an expect block, in parallel, and checks its expectations.

  --json    print one JSON object: each fixture's result and a summary
  --bail    stop at the first failure

Exit codes: 0 every fixture passed, 1 a fixture failed, 2 a fixture is invalid or could not run.`

const FLAGS: FlagSpec = { json: 'boolean', bail: 'boolean', help: 'boolean' }

/** How one fixture ended: `invalid` is an exit-code-2 problem (bad fixture, unknown action, compile error). */
export type FixtureStatus = 'passed' | 'failed' | 'invalid'

/** One fixture's entry in `test --json`. */
export interface FixtureReport {
  file: string
  description: string | null
  action: string | null
  status: FixtureStatus
  durationMs: number
  failures: ExpectationFailure[]
  /** The run's error (action failures), or the tool error that made the fixture invalid. */
  error: { code: string, message: string } | null
  /** For scenarios: each step that ran. */
  steps?: Array<{ index: number, action: string, status: 'passed' | 'failed', failures: ExpectationFailure[] }>
}

export interface TestSummary { passed: number, failed: number, invalid: number, skipped: number, notRun: number, durationMs: number }

/** Every fixture file below a folder, sorted; `node_modules` and hidden folders (tool caches) are skipped. */
export function walkFixtureFiles (root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(ya?ml|json)$/i.test(entry.name)) out.push(full)
    }
  }
  if (existsSync(root)) walk(root)
  return out.sort()
}

/** Fixtures named by the paths: folders walked, files taken as they are; a missing path is ERR_USAGE. */
export function collectFixtureFiles (paths: string[]): string[] {
  const files: string[] = []
  for (const path of paths) {
    const full = resolve(path)
    if (!existsSync(full)) {
      throw new ToolError('ERR_USAGE', `code-action test: no such file or folder: ${path}`, 'Name fixture files or folders that hold them (default: fixtures/).')
    }
    if (statSync(full).isDirectory()) files.push(...walkFixtureFiles(full))
    else if (/\.(ya?ml|json)$/i.test(full)) files.push(full)
    else throw new ToolError('ERR_USAGE', `code-action test: ${path} is not a fixture (.yaml, .yml or .json)`, 'Name fixture files or folders that hold them.')
  }
  return [...new Set(files)]
}

const hasExpect = (fixture: Fixture): boolean => fixture.expect !== undefined || (fixture.steps ?? []).some(s => s.expect !== undefined)
const isRunnable = (fixture: Fixture): boolean => fixture.action !== undefined || (fixture.steps?.length ?? 0) > 0

type Entry = { file: string, fixture?: Fixture, report?: FixtureReport }

function invalidReport (file: string, error: ToolError, fixture?: Fixture): FixtureReport {
  return {
    file: displayPath(file),
    description: fixture?.description ?? null,
    action: fixture?.action ?? null,
    status: 'invalid',
    durationMs: 0,
    failures: [],
    error: { code: error.code, message: error.message },
  }
}

function toReport (file: string, check: FixtureCheck): FixtureReport {
  const error: RunError | null = check.result?.error ?? null
  return {
    file: displayPath(file),
    description: check.fixture.description ?? null,
    action: check.fixture.action ?? check.result?.action ?? null,
    status: check.passed ? 'passed' : 'failed',
    durationMs: check.durationMs,
    failures: check.failures,
    error: error ? { code: error.code, message: error.message } : null,
    ...(check.scenario
      ? { steps: check.scenario.steps.map(s => ({ index: s.index, action: s.action, status: s.failures.length ? 'failed' as const : 'passed' as const, failures: s.failures })) }
      : {}),
  }
}

/** Progress while fixtures run: a rewritten counter on a terminal, rows of dots otherwise. */
class Progress {
  private done = 0
  private failed = 0
  private row = ''
  private started = false
  private static readonly ROW = 50

  constructor (private readonly io: CliIO, private readonly total: number, private readonly s: Style, private readonly enabled: boolean) {}

  tick (status: FixtureStatus): void {
    if (!this.enabled) return
    this.done++
    if (status !== 'passed') this.failed++
    if (this.io.color) {
      // processIO ends every write with a newline, so the counter moves up one line and rewrites it.
      const line = `${this.s.dim('running')} ${this.done}/${this.total}${this.failed ? this.s.red(` · ${this.failed} failed`) : ''}`
      this.io.stdout(`${this.started ? '\x1b[1A\x1b[2K' : ''}${line}`)
      this.started = true
      return
    }
    this.row += status === 'passed' ? '.' : status === 'failed' ? 'F' : 'E'
    if (this.row.length === Progress.ROW) this.flush()
  }

  /** Writes the pending dots of the last, partial row. */
  flush (): void {
    if (!this.enabled || this.io.color || this.row === '') return
    this.io.stdout(`${this.row} ${this.done}/${this.total}`)
    this.row = ''
  }
}

function formatReportBlock (report: FixtureReport, s: Style): string {
  const head = `${s.red('✖')} ${s.bold(report.file)}${report.description ? s.dim(` — ${report.description}`) : ''}`
  if (report.status === 'invalid') {
    const [first, ...rest] = report.error!.message.split('\n')
    return [head, `  ${s.red(`${report.error!.code}: ${first}`)}`, ...rest.map(l => `  ${s.dim(l)}`)].join('\n')
  }
  return [head, formatFailures(report.failures, s)].join('\n')
}

/** `code-action test`: exit 0 when every fixture passed, 1 when one failed, 2 when one is invalid. */
export async function testCommand (argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS, 'test')
  if (flags.help) { io.stdout(TEST_HELP); return 0 }
  const started = performance.now()
  const s = ansiStyle(io.color && !flags.json)
  const explicit = positionals.length > 0
  const files = explicit ? collectFixtureFiles(positionals) : walkFixtureFiles(resolve('fixtures'))

  const entries: Entry[] = []
  let skipped = 0
  for (const file of files) {
    try {
      const fixture = loadFixture(file)
      if (!isRunnable(fixture) || !hasExpect(fixture)) { skipped++; continue }
      entries.push({ file, fixture })
    } catch (error) {
      if (!isToolError(error)) throw error
      entries.push({ file, report: invalidReport(file, error) })
    }
  }

  const bail = Boolean(flags.bail)
  let stop = bail && entries.some(e => e.report)
  const progress = new Progress(io, entries.length, s, !flags.json)
  for (const entry of entries) if (entry.report) progress.tick('invalid')

  const queue = entries.filter(e => !e.report)
  const pending = stop ? [] : [...queue]
  // The process's shared pool, one sandbox per core: the binary stops it when the command is
  // done, and a caller of main() that runs several commands keeps its sandboxes warm.
  const pool = sharedPool()
  const worker = async (): Promise<void> => {
    while (!stop) {
      const entry = pending.shift()
      if (!entry) return
      const fixture = entry.fixture!
      try {
        const check = await checkFixture(fixture, { isolate: fixture.options.isolate ?? 'pooled' }, { pool })
        entry.report = toReport(entry.file, check)
      } catch (error) {
        if (!isToolError(error)) throw error
        entry.report = invalidReport(entry.file, error, fixture)
      }
      progress.tick(entry.report.status)
      if (bail && entry.report.status !== 'passed') stop = true
    }
  }
  await Promise.all(Array.from({ length: Math.min(pool.size, Math.max(1, pending.length)) }, worker))
  progress.flush()

  const reports = entries.filter(e => e.report).map(e => e.report!)
  const notRun = entries.length - reports.length
  const count = (status: FixtureStatus): number => reports.filter(r => r.status === status).length
  const summary: TestSummary = {
    passed: count('passed'),
    failed: count('failed'),
    invalid: count('invalid'),
    skipped,
    notRun,
    durationMs: Math.round(performance.now() - started),
  }

  if (flags.json) {
    io.stdout(JSON.stringify({ fixtures: reports, summary }, null, 2))
  } else {
    const out: string[] = []
    const failed = reports.filter(r => r.status === 'failed')
    const invalid = reports.filter(r => r.status === 'invalid')
    for (const report of failed) out.push('', formatReportBlock(report, s))
    if (invalid.length) {
      out.push('', s.red(`${invalid.length} fixture${invalid.length === 1 ? '' : 's'} could not run:`))
      for (const report of invalid) out.push(formatReportBlock(report, s))
    }
    if (notRun) out.push('', s.yellow(`stopped at the first failure (--bail): ${notRun} fixture${notRun === 1 ? '' : 's'} not run`))
    if (entries.length === 0) out.push(s.yellow(`no fixture with an action and an expect block under ${explicit ? positionals.join(', ') : 'fixtures/'}`))
    out.push('', `${summary.passed} passed, ${summary.failed + summary.invalid} failed`)
    io.stdout(entries.length ? out.join('\n') : out.join('\n').replace(/^\n/, ''))
  }
  return summary.invalid ? 2 : summary.failed ? 1 : 0
}

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { resolveAction, SNIPPETS_DIR } from '../action.ts'
import { isToolError, ToolError } from '../errors.ts'
import { formatFailures } from '../expect.ts'
import { actionRelativeTo, displayPath, loadFixture } from '../fixtures/index.ts'
import { ansiStyle, formatReport, type Style } from '../report.ts'
import { runAction } from '../run.ts'
import { runScenario, type ScenarioResult } from '../scenario.ts'
import type { GlobalName, RunOptions } from '../types.ts'
import type { CliIO } from './io.ts'
import { parseFlags, type FlagSpec } from './flags.ts'
import { runWatching, type WatchIO } from './watch.ts'

export const RUN_HELP = `Usage: code-action run <action> [--fixture F] [--json] [--live | --record] [--timeout MS] [--memory MB] [--globals a,b] [--pooled] [--watch]

Runs one code action against one fixture and prints what the bot would do.
<action> is a snippet id (airtable/list-records), a .js/.ts file, or a fixture that names its action.

  --fixture F     the fixture (YAML or JSON) to run against (default: an empty session)
  --json          print the result as JSON (contract §3)
  --live          send HTTP requests to the real network instead of replaying the fixture
  --record        like --live, and store the exchanges in the fixture (secrets scrubbed)
  --timeout MS    wall-clock limit (default 10000)
  --memory MB     heap limit (default 128)
  --globals a,b   switch on absent globals, e.g. setTimeout,URL
  --pooled        reuse a warm isolate (a new context per run)
  --watch         run again whenever the action, a file it is built from, or the fixture changes

A fixture with "steps:" runs as a scenario: each step in turn, the session carried between them.

Exit codes: 0 ran without error, 1 the action failed, 2 the tool could not run it.`

const FLAGS: FlagSpec = {
  fixture: 'string', json: 'boolean', live: 'boolean', record: 'boolean', timeout: 'string', memory: 'string', globals: 'string', pooled: 'boolean', watch: 'boolean', help: 'boolean',
}

function intFlag (value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new ToolError('ERR_USAGE', `--${flag} takes a whole number, got "${value}"`, `Example: --${flag} ${flag === 'timeout' ? 5000 : 256}`)
  return Number(value)
}

/** `code-action run`: exit 0, 1 or 2. */
export async function runCommand (argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS, 'run')
  if (flags.help) { io.stdout(RUN_HELP); return 0 }
  if (positionals.length > 1) throw new ToolError('ERR_USAGE', `run takes one action, got ${positionals.length}: ${positionals.join(' ')}`, 'Run one action at a time, or use `code-action test` for many fixtures.')
  if (flags.live && flags.record) throw new ToolError('ERR_USAGE', '--live and --record cannot be used together', '--record already sends requests to the network.')
  let action = positionals[0] as string | undefined
  let fixture = flags.fixture as string | undefined
  // A fixture file given alone is run with the action it names (a missing one is reported as a fixture).
  if (action && !fixture && /\.(ya?ml|json)$/i.test(action)) { fixture = action; action = undefined }
  if (!action && !fixture) throw new ToolError('ERR_USAGE', 'run needs an action', RUN_HELP.split('\n')[0])
  if (flags.record && !fixture) throw new ToolError('ERR_USAGE', '--record needs --fixture: the exchanges are stored in that file', 'Create the fixture first (it may have no http list).')
  const options: RunOptions = {
    timeoutMs: intFlag(flags.timeout as string | undefined, 'timeout'),
    memoryMb: intFlag(flags.memory as string | undefined, 'memory'),
    globals: flags.globals === undefined ? undefined : String(flags.globals).split(',').map(s => s.trim()).filter(Boolean) as GlobalName[],
    isolate: flags.pooled ? 'pooled' : undefined,
    live: Boolean(flags.live || flags.record),
  }
  const fixturePath = fixture ? resolve(fixture) : undefined
  // Files a broken edit hides (an import that no longer compiles) stay watched until a run succeeds.
  let lastInputs: string[] = []
  const once = async (): Promise<{ code: number, inputs: string[] }> => {
    const inputs = new Set<string>(fixturePath ? [fixturePath] : [])
    try {
      const loaded = fixturePath ? loadFixture(fixturePath) : undefined
      const specs = loaded?.steps?.length
        ? loaded.steps.map(step => step.action !== undefined ? actionRelativeTo(loaded, step.action) : action ?? (loaded.action ? actionRelativeTo(loaded, loaded.action) : undefined))
        : [action ?? (loaded?.action ? actionRelativeTo(loaded, loaded.action) : undefined)]
      if (flags.watch) for (const spec of new Set(specs)) await collectInputs(spec, inputs)
      const ran = (code: number): { code: number, inputs: string[] } => { lastInputs = [...inputs]; return { code, inputs: lastInputs } }
      if (loaded?.steps?.length) return ran(await runSteps(loaded.file!, action, options, flags, io))
      const result = await runAction(action, fixturePath, options)
      if (flags.record && fixturePath) {
        const { recordExchanges } = await import('../http/record.ts')
        io.stderr(await recordExchanges(fixturePath, result))
      }
      const { recorded, ...shown } = result
      void recorded
      io.stdout(flags.json ? JSON.stringify(shown, null, 2) : formatReport(result, ansiStyle(io.color)))
      return ran(result.ok ? 0 : 1)
    } catch (error) {
      // While watching, a broken edit (invalid fixture, compile error) is reported and watched on.
      if (!flags.watch || !isToolError(error)) throw error
      io.stderr(`${error.code}: ${error.message}`)
      return { code: 2, inputs: [...new Set([...inputs, ...lastInputs])] }
    }
  }
  if (!flags.watch) return (await once()).code
  return runWatching(once, io, { signal: (io as WatchIO).signal, describe: displayPath })
}

/** Adds the files an action is built from (or its own path, when it does not resolve yet). */
async function collectInputs (spec: string | undefined, inputs: Set<string>): Promise<void> {
  if (spec === undefined) return
  if (/\.(?:m?js|cjs|ts|mts)$/i.test(spec)) inputs.add(resolve(spec))
  try {
    for (const file of (await resolveAction(spec, SNIPPETS_DIR)).inputs) inputs.add(file)
  } catch {
    // The run itself reports why the action does not resolve.
  }
}

/** `run` on a fixture with steps: each step's report, or `{ ok, steps }` as JSON. */
async function runSteps (file: string, action: string | undefined, options: RunOptions, flags: Record<string, unknown>, io: CliIO): Promise<number> {
  const scenario = await runScenario(file, { ...options, ...(action ? { action } : {}) })
  if (flags.record) {
    const { recordScenario } = await import('../http/record.ts')
    io.stderr(await recordScenario(file, scenario.steps.map(s => s.result)))
  }
  const ok = scenario.steps.length === scenario.totalSteps && scenario.steps.every(s => s.result?.ok && s.failures.length === 0)
  if (flags.json) {
    const steps = scenario.steps.map(({ result, ...step }) => {
      const { recorded, ...shown } = result ?? { recorded: undefined }
      void recorded
      return { ...step, result: result ? shown : null }
    })
    io.stdout(JSON.stringify({ ok, fixture: scenario.fixture, steps, session: scenario.session, failures: scenario.failures, warnings: scenario.warnings }, null, 2))
  } else {
    io.stdout(formatScenario(scenario, ansiStyle(io.color)))
  }
  return ok ? 0 : 1
}

/** The human-readable report of a scenario: one `run` report per step, then what stopped it. */
export function formatScenario (scenario: ScenarioResult, s: Style): string {
  const out: string[] = []
  for (const step of scenario.steps) {
    const click = step.click ? ` after clicking "${step.click.title}"${step.click.nextDialogstateId ? ` → ${step.click.nextDialogstateId}` : ''}` : ''
    out.push(s.bold(`── step ${step.index + 1}/${scenario.totalSteps}: ${step.action}${click}`))
    if (step.result) out.push(formatReport(step.result, s))
    if (step.failures.length) out.push('', s.red('Failed'), formatFailures(step.failures, s))
    out.push('')
  }
  const finalFailures = scenario.failures.filter(f => !f.path.startsWith('steps['))
  if (finalFailures.length) out.push(s.red('Failed (top-level expect, after the last step)'), formatFailures(finalFailures, s), '')
  if (scenario.steps.length < scenario.totalSteps) out.push(s.yellow(`stopped after step ${scenario.steps.length}: ${scenario.totalSteps - scenario.steps.length} step(s) not run`))
  for (const warning of scenario.warnings) out.push(s.yellow(`⚠ ${warning}`))
  return out.join('\n').replace(/\n+$/, '')
}

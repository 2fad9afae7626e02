import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { ToolError } from '../errors.ts'
import { ansiStyle, formatReport } from '../report.ts'
import { runAction } from '../run.ts'
import type { GlobalName, RunOptions } from '../types.ts'
import type { CliIO } from './io.ts'
import { parseFlags, type FlagSpec } from './flags.ts'

export const RUN_HELP = `Usage: code-action run <action> [--fixture F] [--json] [--live | --record] [--timeout MS] [--memory MB] [--globals a,b] [--pooled]

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

Exit codes: 0 ran without error, 1 the action failed, 2 the tool could not run it.`

const FLAGS: FlagSpec = {
  fixture: 'string', json: 'boolean', live: 'boolean', record: 'boolean', timeout: 'string', memory: 'string', globals: 'string', pooled: 'boolean', help: 'boolean',
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
  if (action && !fixture && /\.(ya?ml|json)$/i.test(action) && existsSync(action)) { fixture = action; action = undefined }
  if (!action && !fixture) throw new ToolError('ERR_USAGE', 'run needs an action', RUN_HELP.split('\n')[0])
  if (flags.record && !fixture) throw new ToolError('ERR_USAGE', '--record needs --fixture: the exchanges are stored in that file', 'Create the fixture first (it may have no http list).')
  const options: RunOptions = {
    timeoutMs: intFlag(flags.timeout as string | undefined, 'timeout'),
    memoryMb: intFlag(flags.memory as string | undefined, 'memory'),
    globals: flags.globals === undefined ? undefined : String(flags.globals).split(',').map(s => s.trim()).filter(Boolean) as GlobalName[],
    isolate: flags.pooled ? 'pooled' : undefined,
    live: Boolean(flags.live || flags.record),
  }
  const result = await runAction(action, fixture ? resolve(fixture) : undefined, options)
  if (flags.record && fixture) {
    const { recordExchanges } = await import('../http/record.ts')
    const note = await recordExchanges(resolve(fixture), result)
    io.stderr(note)
  }
  const { recorded, ...shown } = result
  void recorded
  io.stdout(flags.json ? JSON.stringify(shown, null, 2) : formatReport(result, ansiStyle(io.color)))
  return result.ok ? 0 : 1
}

import { resolveAction, SNIPPETS_DIR, type ActionInput } from './action.ts'
import { isToolError, ToolError } from './errors.ts'
import { actionRelativeTo, displayPath, resolveArgs, toFixture } from './fixtures/index.ts'
import { PROFILE_KEYS, resolveProfile } from './profile.ts'
import { assembleResult } from './result.ts'
import { sharedPool, type SandboxPool } from './sandbox/pool.ts'
import type { Fixture, FixtureInput, RunOptions, RunResult, RuntimeProfile } from './types.ts'

export interface RunContext {
  /** The sandbox pool to run in (default: the shared pool). */
  pool?: SandboxPool
}

function pickProfile (options: RunOptions): Partial<RuntimeProfile> {
  const out: Partial<RuntimeProfile> = {}
  for (const key of PROFILE_KEYS) if (options[key] !== undefined) (out as any)[key] = options[key]
  return out
}

/**
 * Runs a code action against a fixture and resolves to the result (contract.md §3).
 * `action` is a snippet id, a .js/.ts path, or source text; omitted, the fixture's `action` is used.
 * It never rejects for the action's own failure, only for a ToolError (exit code 2).
 */
export async function runAction (action: ActionInput | undefined, fixtureInput?: FixtureInput, options: RunOptions = {}, context: RunContext = {}): Promise<RunResult> {
  const started = performance.now()
  const fixture: Fixture = toFixture(fixtureInput)
  const spec = action ?? (fixture.action ? actionRelativeTo(fixture, fixture.action) : undefined)
  if (spec === undefined) {
    throw new ToolError('ERR_USAGE', `no action to run${fixture.file ? `: ${displayPath(fixture.file)} has no "action" key` : ''}`,
      'Name the action (a snippet id, a .js/.ts file or source text), or add "action:" to the fixture.')
  }
  const resolved = await resolveAction(spec, options.snippetsDir ?? SNIPPETS_DIR).catch((error: unknown) => {
    // An action named by the fixture: say where the fixture names it.
    if (action === undefined && isToolError(error) && fixture.locate) {
      throw new ToolError(error.code, `${fixture.locate(['action'])}: "action": ${error.message.split('\n')[0]}`, error.hint)
    }
    throw error
  })
  const profile = resolveProfile(fixture.options, pickProfile(options))
  const args = resolveArgs(fixture.args, fixture.session)
  const pool = context.pool ?? sharedPool()
  const outcome = await pool.run({ code: resolved.code, args, profile, http: fixture.http, live: options.live === true })
  return assembleResult({
    action: resolved.name,
    fixture: fixture.file ? displayPath(fixture.file) : null,
    session: fixture.session,
    outcome,
    profile,
    mapPosition: resolved.mapPosition,
    totalMs: performance.now() - started - (outcome.queuedMs ?? 0),
  })
}

import { availableParallelism } from 'node:os'
import type { ActionInput } from '../runner/action.ts'
import { runAction } from '../runner/run.ts'
import { SandboxPool } from '../runner/sandbox/pool.ts'
import { runScenario as runScenarioIn, checkFixture as checkFixtureIn, type FixtureCheck, type ScenarioOptions, type ScenarioResult } from '../runner/scenario.ts'
import { toFixture } from '../runner/fixtures/index.ts'
import type { FixtureInput, RunOptions, RunResult } from '../runner/types.ts'

/** A run as `runFixture` resolves it; for a fixture with steps, the last step that ran. */
export interface FixtureRunResult extends RunResult {
  /** For a fixture with steps: every step, its click and failures. */
  scenario?: ScenarioResult
}

let pool: SandboxPool | undefined

/**
 * The sandbox processes of this test worker. Vitest already runs test files in parallel, so
 * each worker keeps a small pool; idle sandboxes never keep the worker alive.
 */
export function testPool (): SandboxPool {
  pool ??= new SandboxPool(Math.max(1, Math.min(2, availableParallelism())))
  return pool
}

/** Stops this worker's sandbox processes (they also stop by themselves when the worker exits). */
export function closeTestPool (): void {
  pool?.close()
  pool = undefined
}

/** Tests run many short actions: a warm isolate per sandbox (a new context per run) unless asked otherwise. */
function withDefaults<T extends RunOptions> (options: T, fixtureIsolate?: RunOptions['isolate']): T {
  return { ...options, isolate: options.isolate ?? fixtureIsolate ?? 'pooled' }
}

/**
 * Runs an action (snippet id, .js/.ts file, or source text; undefined: the fixture's own) against a
 * fixture (path or object) and resolves to the result (contract.md §3). It rejects only when the
 * tool cannot run it (ERR_FIXTURE, ERR_ACTION_NOT_FOUND, ERR_COMPILE, ERR_USAGE), never for the
 * action's own failure. A fixture with `steps:` resolves to its last step, with `scenario` set.
 */
export async function runFixture (action: ActionInput | undefined, fixture?: FixtureInput, options: RunOptions = {}): Promise<FixtureRunResult> {
  const loaded = toFixture(fixture)
  if (loaded.steps?.length) {
    const scenario = await runScenarioIn(loaded, withDefaults({ ...options, ...(action !== undefined ? { action } : {}) }, loaded.options.isolate), { pool: testPool() })
    const last = [...scenario.steps].reverse().find(s => s.result)?.result
    if (!last) {
      const failure = scenario.failures[0]
      throw new Error(`${scenario.fixture ?? 'the fixture'}: the scenario stopped before any step ran: ${failure?.note ?? failure?.path}`)
    }
    return { ...last, scenario }
  }
  return runAction(action, fixture, withDefaults(options, loaded.options.isolate), { pool: testPool() })
}

/** Runs a fixture with `steps:` and resolves to every step's result (see runner/scenario.ts). */
export async function runScenario (fixture: FixtureInput, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const loaded = toFixture(fixture)
  return runScenarioIn(loaded, withDefaults(options, loaded.options.isolate), { pool: testPool() })
}

/** Runs a fixture and checks its `expect` blocks, as `code-action test` does. */
export async function checkFixture (fixture: FixtureInput, options: ScenarioOptions = {}): Promise<FixtureCheck> {
  const loaded = toFixture(fixture)
  return checkFixtureIn(loaded, withDefaults(options, loaded.options.isolate), { pool: testPool() })
}

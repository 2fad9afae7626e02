/**
 * Shared harness of the abuse suite: run one abusive action, then a trivial one, and record
 * what a test needs to show that the host survived and the sandbox recovered. Both runs happen
 * before any assertion, so a failing test never leaves a half-finished sandbox to the next test.
 */
import { runAction, sharedPool, type FixtureInput, type RunOptions, type RunResult } from '../../runner/index.ts'

export const NEXT_ACTION = "ChatlayerResponseBuilder().addMessage('alive').send()"

export interface AbuseRun {
  result: RunResult
  /** The trivial run that followed. */
  next: RunResult
  /** Wall-clock time of the abusive run, as the host saw it. */
  elapsedMs: number
  /** Sandbox process ids before the abusive run and after the next one. */
  pidsBefore: number[]
  pidsAfter: number[]
}

export async function runAbuse (code: string, options: RunOptions, fixture: FixtureInput = {}, nextAction = NEXT_ACTION): Promise<AbuseRun> {
  const pidsBefore = sharedPool().pids()
  const started = performance.now()
  const result = await runAction({ source: code, name: 'abuse' }, fixture, options)
  const elapsedMs = performance.now() - started
  const next = await runAction({ source: nextAction, name: 'next' }, {}, { isolate: options.isolate })
  return { result, next, elapsedMs, pidsBefore, pidsAfter: sharedPool().pids() }
}

/** The texts of the messages a run applied. */
export const texts = (result: RunResult): unknown[] => result.messages.map(m => m.config.textMessages?.[0]?.text)

/** Starts the first sandbox process so that the runs under test measure only themselves. */
export async function warmUp (): Promise<void> {
  await runAction({ source: NEXT_ACTION, name: 'warm-up' }, {})
}

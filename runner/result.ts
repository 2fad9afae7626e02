import type { Outcome } from './sandbox/protocol.ts'
import { applyWrites, diffSessions, sessionWrites } from './session.ts'
import { mapStack, type PositionMapper } from './sourcemap.ts'
import type { LogEntry, RunError, RunResult, RuntimeProfile, SendPayload } from './types.ts'

/** Errors that outrank ERR_HTTP_UNMATCHED (contract.md §2.2). */
const OUTRANKS_UNMATCHED = new Set(['ERR_TIMEOUT', 'ERR_MEMORY', 'ERR_SANDBOX_CRASH'])

export interface AssembleInput {
  action: string
  fixture: string | null
  session: Record<string, unknown>
  outcome: Outcome
  profile: RuntimeProfile
  mapPosition: PositionMapper
  totalMs: number
}

/** Merges the applied payloads into what the platform applies: writes, then messages, then the jump. */
export function mergeSends (sends: SendPayload[]): SendPayload | null {
  if (sends.length === 0) return null
  const merged: SendPayload = { messages: [] }
  let action: SendPayload['action']
  const session = []
  for (const send of sends) {
    if (send.action) action = { ...action, ...send.action }
    if (Array.isArray(send.messages)) merged.messages.push(...send.messages)
    session.push(...sessionWrites(send.session))
  }
  const out: SendPayload = {} as SendPayload
  if (action) out.action = action
  out.messages = merged.messages
  if (session.length) out.session = session
  return out
}

/** Turns a sandbox outcome into the contract's RunResult (contract.md §3). */
export function assembleResult (input: AssembleInput): RunResult {
  const { outcome, profile, mapPosition } = input
  const warnings = [...outcome.warnings]
  const sends: SendPayload[] = outcome.sends.map(json => JSON.parse(json))
  let error: RunError | null = null

  if (outcome.error) {
    error = { code: outcome.error.code, message: outcome.error.message }
    if (outcome.error.stack) error.stack = mapStack(outcome.error.stack, mapPosition)
    if (outcome.error.line) {
      const where = mapPosition(outcome.error.line, outcome.error.column ?? 1)
      const m = /^(.*):(\d+):(\d+)$/.exec(where)
      if (m) error.location = { file: m[1], line: Number(m[2]), column: Number(m[3]) }
    }
  }
  if (outcome.unmatched.length > 0 && !(error && OUTRANKS_UNMATCHED.has(error.code))) {
    const swallowed = !error ? ' (the action caught the rejection, but replay fails closed)' : ''
    error = {
      code: 'ERR_HTTP_UNMATCHED',
      message: `${outcome.unmatched[0]}${outcome.unmatched.length > 1 ? `\n(and ${outcome.unmatched.length - 1} more unmatched request${outcome.unmatched.length > 2 ? 's' : ''})` : ''}${swallowed}\nAdd an exchange for this request to the fixture's http list, or record one with --record.`,
      ...(error?.stack ? { stack: error.stack } : {}),
    }
  }

  let applied = sends
  if (sends.length > 1) {
    if (profile.multipleSends === 'error' && !error) {
      error = { code: 'ERR_ACTION_THREW', message: `send() was called ${sends.length} times (option multipleSends: "error")` }
    } else if (profile.multipleSends === 'first') {
      applied = sends.slice(0, 1)
      warnings.push(`send() was called ${sends.length} times: only the first was applied (option multipleSends: "first")`)
    } else {
      warnings.push(`send() was called ${sends.length} times: all were applied in order (option multipleSends)`)
    }
  }
  if (error && !profile.applyOnError) applied = []
  if (sends.length === 0 && !error) warnings.push('send() was never called: the user sees nothing')

  const response = mergeSends(applied)
  const session = applyWrites(input.session, sessionWrites(response?.session), profile.sessionWrite, text => warnings.push(text))
  const logs: LogEntry[] = outcome.logs.map(log => ({
    level: log.level as LogEntry['level'],
    text: log.text,
    source: log.position ? mapPosition(Number(log.position.split(':')[0]), Number(log.position.split(':')[1])) : null,
  }))
  const nextDialogState = response?.action?.nextDialogstate
  return {
    ok: error === null,
    action: input.action,
    fixture: input.fixture,
    response: error && !profile.applyOnError ? null : response,
    sends,
    nextDialogState: typeof nextDialogState === 'string' ? nextDialogState : nextDialogState == null ? null : String(nextDialogState),
    messages: response?.messages ?? [],
    session,
    sessionChanges: diffSessions(input.session, session),
    requests: outcome.requests,
    logs,
    warnings,
    error,
    durationMs: Math.round(input.totalMs * 10) / 10,
    ...(outcome.recorded ? { recorded: outcome.recorded } : {}),
  }
}

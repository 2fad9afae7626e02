import { expect } from 'vitest'
import { formatFailures, subsetFailures } from '../runner/expect.ts'
import { normaliseUrl, sameUrl } from '../runner/http/replay.ts'
import type { ErrorCode, RunResult } from '../runner/types.ts'
import { describeRun, sentTexts } from './describe.ts'

/** The matchers `chatlayer-code-actions/vitest` adds to `expect(result)`, where `result` is a RunResult. */
export interface CodeActionMatchers<R = unknown> {
  /** The run jumped to this dialog state (`null`: it set no next dialog state). */
  toJumpTo: (dialogStateId: string | null) => R
  /** A message the user sees has exactly this text, or a text the pattern matches. */
  toSendText: (text: string | RegExp) => R
  /** The session after the run contains this subset (deep, like the fixture's `expect.session`). */
  toWriteSession: (subset: Record<string, unknown>) => R
  /** The run requested this URL (exact after normalisation, query order free; or a pattern) with this method. */
  toHaveRequested: (method: string, url: string | RegExp) => R
  /** The run failed with this error code (and, if given, a message containing the text or matching the pattern). */
  toFailWith: (code: ErrorCode, message?: string | RegExp) => R
  /** A warning of the run contains this text (or matches the pattern). */
  toHaveWarned: (text: string | RegExp) => R
  /** The run has no error. */
  toSucceed: () => R
}

declare module 'vitest' {
  interface Assertion<T = any> extends CodeActionMatchers<T> {}
  interface AsymmetricMatchersContaining extends CodeActionMatchers {}
}

interface MatcherContext { isNot: boolean }
type MatcherResult = { pass: boolean, message: () => string }

const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined'
const show = (value: string | RegExp): string => typeof value === 'string' ? json(value) : String(value)
const matches = (text: string, wanted: string | RegExp, exact: boolean): boolean =>
  typeof wanted === 'string' ? (exact ? text === wanted : text.includes(wanted)) : new RegExp(wanted.source, wanted.flags.replace('g', '')).test(text)

function asResult (received: unknown, matcher: string): RunResult {
  const r = received as RunResult
  if (r && typeof r === 'object' && 'nextDialogState' in r && Array.isArray(r.messages) && Array.isArray(r.requests) && 'error' in r) return r
  const hint = received instanceof Promise ? ' (a Promise: did you forget `await`?)' : ''
  throw new TypeError(`${matcher}() expects the result of runFixture()${hint}, got ${typeof received === 'object' ? json(received)?.slice(0, 80) : String(received)}`)
}

/** Builds a matcher result whose message reads right both ways (`expect(x).toY()` and `.not.toY()`). */
function verdict (ctx: MatcherContext, result: RunResult, pass: boolean, wanted: string, positiveBut: () => string, negativeBut: () => string): MatcherResult {
  return {
    pass,
    message: () => `expected the action ${ctx.isNot ? 'not ' : ''}${wanted}, but ${ctx.isNot ? negativeBut() : positiveBut()}\n\n${describeRun(result)}`,
  }
}

function toJumpTo (this: MatcherContext, received: unknown, id: string | null): MatcherResult {
  const result = asResult(received, 'toJumpTo')
  const actual = result.nextDialogState
  return verdict(this, result, actual === id, id === null ? 'to set no next dialog state' : `to jump to ${json(id)}`,
    () => actual === null ? `it did not jump${result.error ? ` (it failed with ${result.error.code})` : ''}` : `it jumped to ${json(actual)}`,
    () => id === null ? 'it set none' : 'it did')
}

function toSendText (this: MatcherContext, received: unknown, text: string | RegExp): MatcherResult {
  const result = asResult(received, 'toSendText')
  const texts = sentTexts(result)
  const hits = texts.filter(t => matches(t, text, true))
  return verdict(this, result, hits.length > 0, `to send the text ${show(text)}`,
    () => texts.length ? `it sent ${texts.map(json).join(', ')}` : 'it sent no text',
    () => `it sent ${hits.map(json).join(', ')}`)
}

function toWriteSession (this: MatcherContext, received: unknown, subset: Record<string, unknown>): MatcherResult {
  const result = asResult(received, 'toWriteSession')
  const failures = subsetFailures(subset, result.session, 'session')
  return verdict(this, result, failures.length === 0, `to leave a session containing ${json(subset)}`,
    () => `the session differs:\n${formatFailures(failures)}`,
    () => 'it does')
}

function toHaveRequested (this: MatcherContext, received: unknown, method: string, url: string | RegExp): MatcherResult {
  const result = asResult(received, 'toHaveRequested')
  const wanted = typeof url === 'string' ? normaliseUrl(url) : null
  if (typeof url === 'string' && !wanted) throw new TypeError(`toHaveRequested(): ${json(url)} is not an absolute URL`)
  const hit = result.requests.some(r => (method === '*' || r.method === method.toUpperCase()) &&
    (typeof url === 'string' ? sameUrl(wanted!, new URL(r.url)) : matches(r.url, url, false)))
  const list = result.requests.map(r => `${r.method} ${r.url} → ${r.status ?? r.error ?? 'failed'}`)
  return verdict(this, result, hit, `to request ${method.toUpperCase()} ${show(url).replace(/^"(.*)"$/, '$1')}`,
    () => list.length ? `it requested:\n${list.map(l => `  ${l}`).join('\n')}` : 'it made no request',
    () => 'it did')
}

function toFailWith (this: MatcherContext, received: unknown, code: ErrorCode, message?: string | RegExp): MatcherResult {
  const result = asResult(received, 'toFailWith')
  const error = result.error
  const pass = error !== null && error.code === code && (message === undefined || matches(error.message, message, false))
  return verdict(this, result, pass, `to fail with ${code}${message === undefined ? '' : ` and a message containing ${show(message)}`}`,
    () => error ? `it failed with ${error.code}: ${error.message.split('\n')[0]}` : 'it succeeded',
    () => 'it did')
}

function toHaveWarned (this: MatcherContext, received: unknown, text: string | RegExp): MatcherResult {
  const result = asResult(received, 'toHaveWarned')
  const hits = result.warnings.filter(w => matches(w, text, false))
  return verdict(this, result, hits.length > 0, `to warn ${show(text)}`,
    () => result.warnings.length ? `its warnings were:\n${result.warnings.map(w => `  - ${w}`).join('\n')}` : 'it gave no warning',
    () => `it warned:\n${hits.map(w => `  - ${w}`).join('\n')}`)
}

function toSucceed (this: MatcherContext, received: unknown): MatcherResult {
  const result = asResult(received, 'toSucceed')
  return verdict(this, result, result.error === null, 'to succeed',
    () => `it failed with ${result.error!.code}: ${result.error!.message.split('\n')[0]}`,
    () => 'it did')
}

/** The matchers as plain functions, for `expect.extend` in a setup file of your own. */
export const codeActionMatchers = { toJumpTo, toSendText, toWriteSession, toHaveRequested, toFailWith, toHaveWarned, toSucceed }

expect.extend(codeActionMatchers)

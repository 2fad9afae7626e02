/**
 * Shared harness of the escape suite. Every payload runs wrapped in a prelude that gives it
 * `attempt(F)`: what a real exploit does with a constructor it reached (look for Node's
 * `process`, and if found, write a canary file through any reachable `fs`), and a probe that
 * logs what the action can see of Node once the payload is done. `runPayload` then checks what
 * must hold after every payload: no canary on disk, the host's globals and prototypes untouched,
 * and a trivial next run that succeeds and finds pristine built-ins.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { runAction, type FixtureInput, type RunOptions, type RunResult } from '../../runner/index.ts'

/** What `attempt(F)` reports when `F` is the isolate's own Function: Node's `process` is not there. */
export const BLOCKED = 'ReferenceError: process is not defined'

/** The probe line every payload's run logs last: nothing of Node is visible to the action. */
export const PROBE = 'probe process:undefined require:undefined global:undefined Buffer:undefined'

/** An exchange answering every request, for payloads that need a Response. */
export const ANY_URL = { http: [{ request: { urlPattern: '.*' }, response: { json: { ok: true }, headers: { 'x-one': '1' } }, repeat: true }] }

function prelude (canary: string): string {
  return `const CANARY = ${JSON.stringify(canary)}
const __log = console.log
const report = (label, value) => __log(label + ': ' + value)
/** What an exploit does with a constructor it reached: find process, then write the canary. */
function attempt (F) {
  let p
  try {
    p = F('return process')()
    if (p && typeof p.then === 'function') return 'a promise, not process'
    if (p && typeof p.next === 'function') p = p.next().value
  } catch (e) { return e.name + ': ' + e.message }
  try {
    const fs = (p.getBuiltinModule && p.getBuiltinModule('fs')) || (p.mainModule && p.mainModule.require('fs')) || (typeof require === 'function' && require('fs'))
    fs.writeFileSync(CANARY, 'escaped')
    return 'ESCAPED: wrote ' + CANARY
  } catch (e) { return 'reached ' + typeof p + ' but could not write: ' + e.message }
}
try {
`
}

const EPILOGUE = `
} finally {
  __log('probe process:' + typeof process + ' require:' + typeof require + ' global:' + typeof global + ' Buffer:' + typeof Buffer)
}`

/** Lines of the fingerprint a clean context gives; a run that leaked pollution changes it. */
export const FINGERPRINT_ACTION = `
const isNative = f => typeof f === 'function' && /\\[native code\\]\\s*\\}$/.test(Function.prototype.toString.call(f))
const names = o => Object.getOwnPropertyNames(o).sort().join(',')
const lines = [
  'process:' + typeof process + ' require:' + typeof require + ' global:' + typeof global + ' Buffer:' + typeof Buffer,
  'Object.prototype: ' + names(Object.prototype),
  'Array.prototype: ' + names(Array.prototype),
  'Function.prototype: ' + names(Function.prototype),
  'Promise.prototype: ' + names(Promise.prototype),
  'Map.prototype: ' + names(Map.prototype),
  'Error: ' + names(Error) + ' prepareStackTrace:' + typeof Error.prepareStackTrace,
  'globals: ' + names(globalThis),
  'native: ' + [JSON.stringify, JSON.parse, Array.prototype.push, Array.prototype.includes, Function.prototype.call,
    Function.prototype.apply, Promise.prototype.then, Map.prototype.get, RegExp.prototype.exec, Object.keys, String].map(isNative).join(','),
  'inherited: ' + typeof ({}).action + ',' + typeof ({}).session + ',' + typeof ({}).polluted,
]
ChatlayerResponseBuilder().addMessage(lines.join('\\n')).send()`

const ORIGINAL = {
  stringify: JSON.stringify,
  parse: JSON.parse,
  push: Array.prototype.push,
  call: Function.prototype.call,
  apply: Function.prototype.apply,
  then: Promise.prototype.then,
  mapGet: Map.prototype.get,
  exec: RegExp.prototype.exec,
  keys: Object.keys,
}

/** The host process's view of its own built-ins, compared before and after each payload. */
export function hostState (): Record<string, unknown> {
  const names = (o: object): string => Object.getOwnPropertyNames(o).sort().join(',')
  return {
    globals: names(globalThis),
    objectPrototype: names(Object.prototype),
    arrayPrototype: names(Array.prototype),
    functionPrototype: names(Function.prototype),
    promisePrototype: names(Promise.prototype),
    inherited: [typeof ({} as any).action, typeof ({} as any).session, typeof ({} as any).polluted].join(','),
    sameBuiltins: [
      JSON.stringify === ORIGINAL.stringify, JSON.parse === ORIGINAL.parse, Array.prototype.push === ORIGINAL.push,
      Function.prototype.call === ORIGINAL.call, Function.prototype.apply === ORIGINAL.apply,
      Promise.prototype.then === ORIGINAL.then, Map.prototype.get === ORIGINAL.mapGet,
      RegExp.prototype.exec === ORIGINAL.exec, Object.keys === ORIGINAL.keys,
    ].join(','),
  }
}

/** The message text of a run's first message. */
export const firstText = (result: RunResult): unknown => result.messages[0]?.config.textMessages?.[0]?.text

/** The texts of a run's console calls. */
export const logTexts = (result: RunResult): string[] => result.logs.map(log => log.text)

/** The value a payload passed to `report(label, value)`. */
export function reported (result: RunResult, label: string): string | undefined {
  const line = result.logs.find(log => log.text.startsWith(`${label}: `))
  return line?.text.slice(label.length + 2)
}

let baseline: string | undefined
/** The fingerprint of a clean context, computed once per file. */
export async function cleanFingerprint (): Promise<string> {
  if (baseline === undefined) {
    const clean = await runAction({ source: FINGERPRINT_ACTION, name: 'fingerprint' }, {})
    expect(clean.error).toBeNull()
    baseline = String(firstText(clean))
    // Guard: the baseline itself must describe a context without Node.
    expect(baseline.split('\n')[0]).toBe('process:undefined require:undefined global:undefined Buffer:undefined')
    expect(baseline).toContain('native: true,true,true,true,true,true,true,true,true,true,true')
  }
  return baseline
}

export interface PayloadRun {
  result: RunResult
  next: RunResult
  canary: string
}

/**
 * Runs one payload and checks everything every payload must leave intact. Returns the run for
 * the payload's own assertions.
 */
export async function runPayload (payload: string, fixture: FixtureInput = {}, options: RunOptions = {}): Promise<PayloadRun> {
  const expected = await cleanFingerprint()
  const canary = join(tmpdir(), `chatlayer-escape-canary-${randomUUID()}`)
  const before = hostState()
  let result: RunResult
  let next: RunResult
  try {
    // A generous deadline: some payloads (deep recursion capturing stacks) are slow on a loaded machine.
    result = await runAction({ source: prelude(canary) + payload + EPILOGUE, name: 'payload' }, fixture, { timeoutMs: 20_000, ...options })
    // The next run goes to the same sandbox process (sequential runs take the first idle one),
    // in the same warm isolate when the payload ran pooled.
    next = await runAction({ source: FINGERPRINT_ACTION, name: 'next' }, {}, { isolate: options.isolate })
  } finally {
    const escaped = existsSync(canary)
    if (escaped) rmSync(canary, { force: true })
    expect.soft(escaped, `the payload wrote ${canary}`).toBe(false)
  }
  // Soft: a failing payload assertion in the test itself should still show, next to these.
  expect.soft(hostState(), 'the host process\'s globals and prototypes').toEqual(before)
  expect.soft(logTexts(result), 'the probe logged after the payload').toContain(PROBE)
  expect.soft(next.error, 'the error of the next run').toBeNull()
  expect.soft(firstText(next), 'the fingerprint of the next run').toBe(expected)
  return { result, next, canary }
}

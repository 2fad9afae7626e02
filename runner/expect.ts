import { isDeepStrictEqual } from 'node:util'
import type { Expectations, RunResult } from './types.ts'

/** One failed expectation: where in the result, what the fixture expected, what happened. */
export interface ExpectationFailure { path: string, expected: unknown, actual: unknown, note?: string }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Deep subset check: every key of `expected` is in `actual` with a matching value. */
function subsetFailures (expected: unknown, actual: unknown, path: string): ExpectationFailure[] {
  if (isObject(expected) && isObject(actual)) {
    return Object.entries(expected).flatMap(([key, value]) => subsetFailures(value, actual[key], `${path}.${key}`))
  }
  if (isDeepStrictEqual(expected, actual === undefined && expected === null ? null : actual)) return []
  return [{ path, expected, actual: actual === undefined ? '(absent)' : actual }]
}

/** Checks a result against a fixture's `expect` block (contract.md §2.4). */
export function checkExpectations (result: RunResult, expect: Expectations | undefined): ExpectationFailure[] {
  if (!expect) return []
  const failures: ExpectationFailure[] = []
  if (expect.error !== undefined) {
    const actual = result.error?.code ?? null
    if (actual !== expect.error) failures.push({ path: 'error', expected: expect.error, actual, note: result.error?.message })
  } else if (result.error) {
    failures.push({ path: 'error', expected: null, actual: result.error.code, note: result.error.message })
  }
  if (expect.nextDialogState !== undefined && expect.nextDialogState !== result.nextDialogState) {
    failures.push({ path: 'nextDialogState', expected: expect.nextDialogState, actual: result.nextDialogState })
  }
  if (expect.messages !== undefined && !isDeepStrictEqual(expect.messages, result.messages)) {
    const length = Math.max(expect.messages.length, result.messages.length)
    for (let i = 0; i < length; i++) {
      if (!isDeepStrictEqual(expect.messages[i], result.messages[i])) {
        failures.push({ path: `messages[${i}]`, expected: expect.messages[i] ?? '(absent)', actual: result.messages[i] ?? '(absent)' })
      }
    }
  }
  if (expect.session !== undefined) failures.push(...subsetFailures(expect.session, result.session, 'session'))
  if (expect.sends !== undefined && expect.sends !== result.sends.length) {
    failures.push({ path: 'sends', expected: expect.sends, actual: result.sends.length })
  }
  if (expect.requests !== undefined) {
    if (typeof expect.requests === 'number') {
      if (expect.requests !== result.requests.length) failures.push({ path: 'requests', expected: expect.requests, actual: result.requests.length })
    } else {
      const actual = result.requests.map(r => ({ method: r.method, url: r.url }))
      const expected = expect.requests.map((r, i) => ({ method: (r.method ?? actual[i]?.method ?? 'GET').toUpperCase(), url: r.url }))
      if (!isDeepStrictEqual(expected, actual)) failures.push({ path: 'requests', expected, actual })
    }
  }
  for (const [i, fragment] of (expect.warnings ?? []).entries()) {
    if (!result.warnings.some(w => w.includes(fragment))) failures.push({ path: `warnings[${i}]`, expected: `a warning containing "${fragment}"`, actual: result.warnings })
  }
  return failures
}

/** A readable diff of failures, one block each. */
export function formatFailures (failures: ExpectationFailure[]): string {
  return failures.map(f => {
    const lines = [`  ${f.path}`, `    expected: ${JSON.stringify(f.expected)}`, `    actual:   ${JSON.stringify(f.actual)}`]
    if (f.note) lines.push(`    (${f.note.split('\n')[0]})`)
    return lines.join('\n')
  }).join('\n')
}

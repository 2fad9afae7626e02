import { isDeepStrictEqual } from 'node:util'
import { NO_STYLE, type Style } from './report.ts'
import { normaliseUrl, sameUrl } from './http/replay.ts'
import type { Expectations, RunResult } from './types.ts'

/** One failed expectation: where in the result, what the fixture expected, what happened. */
export interface ExpectationFailure { path: string, expected: unknown, actual: unknown, note?: string }

/** Stands for a value that is not there at all (shown unquoted in diffs). */
export const ABSENT = '(absent)'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const keyPath = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`

/** Deep subset check: every key of `expected` is in `actual` with a matching value. */
export function subsetFailures (expected: unknown, actual: unknown, path: string): ExpectationFailure[] {
  if (isObject(expected) && isObject(actual)) {
    return Object.entries(expected).flatMap(([key, value]) => subsetFailures(value, actual[key], keyPath(path, key)))
  }
  if (isDeepStrictEqual(expected, actual === undefined && expected === null ? null : actual)) return []
  return [{ path, expected, actual: actual === undefined ? ABSENT : actual }]
}

/**
 * Exact comparison that points at the differing leaves: objects key by key, lists item by item
 * when both have the same length; anything else is one difference at `path`.
 */
export function valueDiffs (expected: unknown, actual: unknown, path: string): ExpectationFailure[] {
  if (isDeepStrictEqual(expected, actual)) return []
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])]
    return keys.flatMap(key => key in expected && key in actual
      ? valueDiffs(expected[key], actual[key], keyPath(path, key))
      : [{ path: keyPath(path, key), expected: key in expected ? expected[key] : ABSENT, actual: key in actual ? actual[key] : ABSENT }])
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    return expected.flatMap((item, i) => valueDiffs(item, actual[i], `${path}[${i}]`))
  }
  return [{ path, expected: expected === undefined ? ABSENT : expected, actual: actual === undefined ? ABSENT : actual }]
}

function urlsMatch (expected: string, actual: string): boolean {
  const want = normaliseUrl(expected)
  const got = normaliseUrl(actual)
  return want && got ? sameUrl(want, got) : expected === actual
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
      if (i >= expect.messages.length || i >= result.messages.length) {
        failures.push({ path: `messages[${i}]`, expected: expect.messages[i] ?? ABSENT, actual: result.messages[i] ?? ABSENT })
      } else {
        failures.push(...valueDiffs(expect.messages[i], result.messages[i], `messages[${i}]`))
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
      // URLs compare like replay matchers do: after WHATWG normalisation, query order ignored.
      const same = expected.length === actual.length && expected.every((e, i) => e.method === actual[i].method && urlsMatch(e.url, actual[i].url))
      if (!same) failures.push({ path: 'requests', expected, actual })
    }
  }
  for (const [i, fragment] of (expect.warnings ?? []).entries()) {
    if (!result.warnings.some(w => w.includes(fragment))) failures.push({ path: `warnings[${i}]`, expected: `a warning containing "${fragment}"`, actual: result.warnings })
  }
  return failures
}

/** The same failures located inside a larger result, e.g. `steps[1]`. */
export function prefixFailures (failures: ExpectationFailure[], prefix: string): ExpectationFailure[] {
  return failures.map(f => ({ ...f, path: f.path.startsWith('[') ? `${prefix}${f.path}` : `${prefix}.${f.path}` }))
}

/** Longer values are printed as indented JSON on their own lines. */
const INLINE_WIDTH = 72

function showValue (value: unknown, indent: string): string {
  if (value === ABSENT) return ABSENT
  const inline = JSON.stringify(value) ?? 'undefined'
  if (inline.length <= INLINE_WIDTH || typeof value !== 'object' || value === null) return inline
  return `\n${JSON.stringify(value, null, 2).split('\n').map(line => `${indent}${line}`).join('\n')}`
}

/** A readable diff of failures, one block each: the path in the result, expected, actual. */
export function formatFailures (failures: ExpectationFailure[], s: Style = NO_STYLE): string {
  return failures.map(f => {
    const line = (label: string, value: unknown, colour: (text: string) => string): string => {
      const shown = showValue(value, '      ')
      return shown.startsWith('\n') ? `    ${label.trimEnd()}${colour(shown)}` : `    ${label}${colour(shown)}`
    }
    const lines = [`  ${s.bold(f.path)}`, line('expected: ', f.expected, s.green), line('actual:   ', f.actual, s.red)]
    if (f.note) lines.push(s.dim(`    (${f.note.split('\n')[0]})`))
    return lines.join('\n')
  }).join('\n')
}

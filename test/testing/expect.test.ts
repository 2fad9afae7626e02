import { describe, expect, it } from 'vitest'
import { checkExpectations, formatFailures, prefixFailures, subsetFailures, valueDiffs } from '../../runner/expect.ts'
import { ansiStyle } from '../../runner/report.ts'
import type { RunResult } from '../../runner/types.ts'

function result (overrides: Partial<RunResult> = {}): RunResult {
  return {
    ok: true, action: 'inline', fixture: null, response: null, sends: [], nextDialogState: null, messages: [],
    session: {}, sessionChanges: [], requests: [], logs: [], warnings: [], error: null, durationMs: 1, ...overrides,
  }
}

describe('checkExpectations', () => {
  it('points at the differing leaf inside a message', () => {
    const actual = result({ messages: [{ type: 'quickReplies', config: { textMessages: [{ text: 'Pick' }], quickReplies: [{ title: 'Yes' }, { title: 'No' }] } }] })
    const failures = checkExpectations(actual, { messages: [{ type: 'quickReplies', config: { textMessages: [{ text: 'Pick' }], quickReplies: [{ title: 'Yes' }, { title: 'Nope' }] } }] })
    expect(failures).toEqual([{ path: 'messages[0].config.quickReplies[1].title', expected: 'Nope', actual: 'No' }])
  })

  it('reports a missing or an extra message whole', () => {
    const actual = result({ messages: [{ type: 'text', config: { textMessages: [{ text: 'a' }] } }] })
    expect(checkExpectations(actual, { messages: [] })).toEqual([{ path: 'messages[0]', expected: '(absent)', actual: actual.messages[0] }])
  })

  it('names keys that are not identifiers with brackets', () => {
    expect(subsetFailures({ 'a-b': { c: 1 } }, { 'a-b': { c: 2 } }, 'session')).toEqual([{ path: 'session["a-b"].c', expected: 1, actual: 2 }])
  })

  it('treats an expected null as matching an absent key', () => {
    expect(subsetFailures({ a: null }, {}, 'session')).toEqual([])
  })
})

describe('valueDiffs', () => {
  it('lists keys present on one side only', () => {
    expect(valueDiffs({ a: 1, b: 2 }, { a: 1, c: 3 }, 'x')).toEqual([
      { path: 'x.b', expected: 2, actual: '(absent)' },
      { path: 'x.c', expected: '(absent)', actual: 3 },
    ])
  })

  it('compares lists of different lengths as a whole', () => {
    expect(valueDiffs([1], [1, 2], 'x')).toEqual([{ path: 'x', expected: [1], actual: [1, 2] }])
  })
})

describe('formatFailures', () => {
  it('prints the path, expected and actual, and the note', () => {
    expect(formatFailures([
      { path: 'error', expected: null, actual: 'ERR_TIMEOUT', note: 'the action ran longer than 10 ms\nsecond line' },
      { path: 'session.a', expected: 1, actual: '(absent)' },
    ])).toBe(`  error
    expected: null
    actual:   "ERR_TIMEOUT"
    (the action ran longer than 10 ms)
  session.a
    expected: 1
    actual:   (absent)`)
  })

  it('prints long values as indented JSON', () => {
    const long = { records: [{ id: 'rec1', fields: { Name: 'A meetup with a long name', Month: 'march' } }] }
    expect(formatFailures([{ path: 'session.meetups', expected: long, actual: null }])).toBe(`  session.meetups
    expected:
      {
        "records": [
          {
            "id": "rec1",
            "fields": {
              "Name": "A meetup with a long name",
              "Month": "march"
            }
          }
        ]
      }
    actual:   null`)
  })

  it('colours expected green and actual red on a terminal', () => {
    expect(formatFailures([{ path: 'p', expected: 1, actual: 2 }], ansiStyle(true)))
      .toBe('  \x1b[1mp\x1b[22m\n    expected: \x1b[32m1\x1b[39m\n    actual:   \x1b[31m2\x1b[39m')
  })
})

describe('prefixFailures', () => {
  it('places failures inside a step', () => {
    expect(prefixFailures([{ path: 'session.a', expected: 1, actual: 2 }, { path: '[0]', expected: 1, actual: 2 }], 'steps[1]'))
      .toEqual([{ path: 'steps[1].session.a', expected: 1, actual: 2 }, { path: 'steps[1][0]', expected: 1, actual: 2 }])
  })
})

describe('expect.requests: URLs compare like replay matchers', () => {
  const sent = { requests: [{ method: 'GET', url: 'https://api.airtable.com/v0/app/T?filterByFormula=%7BMonth%7D%20%3D%20%22March%22&maxRecords=5', status: 200, durationMs: 1 }] } as any

  it('accepts a readable URL with its query in another order, as the request was sent percent-encoded', () => {
    expect(checkExpectations(result(sent), { requests: [{ method: 'GET', url: 'https://api.airtable.com/v0/app/T?maxRecords=5&filterByFormula={Month} = "March"' }] })).toEqual([])
  })

  it('still fails on a different query value, naming both lists', () => {
    const failures = checkExpectations(result(sent), { requests: [{ url: 'https://api.airtable.com/v0/app/T?maxRecords=6&filterByFormula={Month} = "March"' }] })
    expect(failures.map(f => f.path)).toEqual(['requests'])
  })
})

import { describe, expect, it } from 'vitest'
import { describeRun, runFixture } from '../../test-kit/index.ts'
import type { RunResult } from '../../runner/types.ts'

function result (overrides: Partial<RunResult> = {}): RunResult {
  return {
    ok: true, action: 'inline', fixture: null, response: null, sends: [], nextDialogState: null, messages: [],
    session: {}, sessionChanges: [], requests: [], logs: [], warnings: [], error: null, durationMs: 1, ...overrides,
  }
}

/** What a run that greeted, wrote the session and called an API looks like. */
const greeted = result({
  nextDialogState: 'ds-menu',
  messages: [
    { type: 'text', config: { textMessages: [{ text: 'Hello Ada!' }] } },
    { type: 'quickReplies', config: { textMessages: [{ text: 'Book?' }], quickReplies: [{ title: 'Yes', payload: { nextDialogstateId: 'ds-yes', params: [] } }] } },
  ],
  session: { greeting: { name: 'Ada' }, internal: { channel: 'web' } },
  sessionChanges: [{ path: 'greeting.name', before: null, after: 'Ada' }],
  requests: [
    { method: 'GET', url: 'https://api.airtable.com/v0/appX/Meetups?pageSize=10&view=Grid', status: 200, durationMs: 3 },
    { method: 'POST', url: 'https://acme.zendesk.com/api/v2/tickets.json', status: null, durationMs: 1, error: 'ECONNREFUSED' },
  ],
  warnings: ['send() was called 2 times: all were applied in order (option multipleSends)'],
})

const DID_GREET = `What the action did:
  jump: → ds-menu
  messages:
    💬 Hello Ada!
    💬 Book?
       (quick reply) [Yes] → ds-yes
  session changes:
    greeting.name: null → "Ada"
  requests:
    GET https://api.airtable.com/v0/appX/Meetups?pageSize=10&view=Grid → 200
    POST https://acme.zendesk.com/api/v2/tickets.json → ECONNREFUSED
  warnings:
    send() was called 2 times: all were applied in order (option multipleSends)
  error: none`

const threw = result({
  ok: false,
  error: { code: 'ERR_ACTION_THREW', message: 'TypeError: Cannot read properties of undefined (reading \'id\')\nmore', stack: '' },
})

const DID_THROW = `What the action did:
  jump: none (the dialog's own Go To applies)
  messages: none
  session changes: none
  requests: none
  error: ERR_ACTION_THREW: TypeError: Cannot read properties of undefined (reading 'id')`

function failure (assertion: () => void): string {
  try {
    assertion()
  } catch (error: any) {
    return error.message
  }
  throw new Error('the assertion passed')
}

describe('describeRun', () => {
  it('lists the jump, messages, session changes, requests, warnings and error', () => {
    expect(describeRun(greeted)).toBe(DID_GREET)
    expect(describeRun(threw)).toBe(DID_THROW)
  })
})

describe('toJumpTo', () => {
  it('passes on the jump, and null for none', () => {
    expect(greeted).toJumpTo('ds-menu')
    expect(threw).toJumpTo(null)
    expect(greeted).not.toJumpTo('ds-other')
  })

  it('shows where the run went instead', () => {
    expect(failure(() => expect(greeted).toJumpTo('ds-home'))).toBe(`expected the action to jump to "ds-home", but it jumped to "ds-menu"\n\n${DID_GREET}`)
    expect(failure(() => expect(threw).toJumpTo('ds-home'))).toBe(`expected the action to jump to "ds-home", but it did not jump (it failed with ERR_ACTION_THREW)\n\n${DID_THROW}`)
    expect(failure(() => expect(greeted).not.toJumpTo('ds-menu'))).toBe(`expected the action not to jump to "ds-menu", but it did\n\n${DID_GREET}`)
    expect(failure(() => expect(greeted).toJumpTo(null))).toBe(`expected the action to set no next dialog state, but it jumped to "ds-menu"\n\n${DID_GREET}`)
  })
})

describe('toSendText', () => {
  it('matches a whole text exactly, or a pattern', () => {
    expect(greeted).toSendText('Hello Ada!')
    expect(greeted).toSendText('Book?')
    expect(greeted).toSendText(/hello/i)
    expect(greeted).not.toSendText('Hello')
  })

  it('lists the texts the run sent instead', () => {
    expect(failure(() => expect(greeted).toSendText('Hello Bob!'))).toBe(`expected the action to send the text "Hello Bob!", but it sent "Hello Ada!", "Book?"\n\n${DID_GREET}`)
    expect(failure(() => expect(threw).toSendText(/ticket \d+/))).toBe(`expected the action to send the text /ticket \\d+/, but it sent no text\n\n${DID_THROW}`)
    expect(failure(() => expect(greeted).not.toSendText(/Ada/))).toBe(`expected the action not to send the text /Ada/, but it sent "Hello Ada!"\n\n${DID_GREET}`)
  })
})

describe('toWriteSession', () => {
  it('passes on a deep subset of the session after the run', () => {
    expect(greeted).toWriteSession({ greeting: { name: 'Ada' } })
    expect(greeted).not.toWriteSession({ greeting: { name: 'Bob' } })
  })

  it('shows a diff of the session', () => {
    expect(failure(() => expect(greeted).toWriteSession({ greeting: { name: 'Bob', sent: true } }))).toBe(`expected the action to leave a session containing {"greeting":{"name":"Bob","sent":true}}, but the session differs:
  session.greeting.name
    expected: "Bob"
    actual:   "Ada"
  session.greeting.sent
    expected: true
    actual:   (absent)

${DID_GREET}`)
    expect(failure(() => expect(greeted).not.toWriteSession({ greeting: { name: 'Ada' } }))).toBe(`expected the action not to leave a session containing {"greeting":{"name":"Ada"}}, but it does\n\n${DID_GREET}`)
  })
})

describe('toHaveRequested', () => {
  it('matches the method and the URL, with query parameters in any order', () => {
    expect(greeted).toHaveRequested('GET', 'https://api.airtable.com/v0/appX/Meetups?view=Grid&pageSize=10')
    expect(greeted).toHaveRequested('post', /zendesk\.com\/api\/v2\/tickets/)
    expect(greeted).toHaveRequested('*', 'https://acme.zendesk.com/api/v2/tickets.json')
    expect(greeted).not.toHaveRequested('POST', 'https://api.airtable.com/v0/appX/Meetups?view=Grid&pageSize=10')
  })

  it('lists the requests the run made instead', () => {
    expect(failure(() => expect(greeted).toHaveRequested('PATCH', 'https://api.airtable.com/v0/appX/Meetups'))).toBe(`expected the action to request PATCH https://api.airtable.com/v0/appX/Meetups, but it requested:
  GET https://api.airtable.com/v0/appX/Meetups?pageSize=10&view=Grid → 200
  POST https://acme.zendesk.com/api/v2/tickets.json → ECONNREFUSED

${DID_GREET}`)
    expect(failure(() => expect(threw).toHaveRequested('GET', /airtable/))).toBe(`expected the action to request GET /airtable/, but it made no request\n\n${DID_THROW}`)
  })

  it('rejects a URL that is not absolute', () => {
    expect(failure(() => expect(greeted).toHaveRequested('GET', '/v0/appX'))).toBe('toHaveRequested(): "/v0/appX" is not an absolute URL')
  })
})

describe('toFailWith', () => {
  it('matches the error code and, if given, part of the message', () => {
    expect(threw).toFailWith('ERR_ACTION_THREW')
    expect(threw).toFailWith('ERR_ACTION_THREW', 'reading \'id\'')
    expect(threw).toFailWith('ERR_ACTION_THREW', /^TypeError/)
    expect(threw).not.toFailWith('ERR_TIMEOUT')
    expect(greeted).not.toFailWith('ERR_ACTION_THREW')
  })

  it('shows the error the run had, or that it succeeded', () => {
    expect(failure(() => expect(threw).toFailWith('ERR_TIMEOUT'))).toBe(`expected the action to fail with ERR_TIMEOUT, but it failed with ERR_ACTION_THREW: TypeError: Cannot read properties of undefined (reading 'id')\n\n${DID_THROW}`)
    expect(failure(() => expect(greeted).toFailWith('ERR_HTTP_UNMATCHED', 'no fixture exchange'))).toBe(`expected the action to fail with ERR_HTTP_UNMATCHED and a message containing "no fixture exchange", but it succeeded\n\n${DID_GREET}`)
    expect(failure(() => expect(threw).not.toFailWith('ERR_ACTION_THREW'))).toBe(`expected the action not to fail with ERR_ACTION_THREW, but it did\n\n${DID_THROW}`)
  })
})

describe('toHaveWarned', () => {
  it('matches part of a warning', () => {
    expect(greeted).toHaveWarned('send() was called 2 times')
    expect(greeted).toHaveWarned(/multipleSends/)
    expect(threw).not.toHaveWarned('send()')
  })

  it('lists the warnings the run gave instead', () => {
    expect(failure(() => expect(greeted).toHaveWarned('never used'))).toBe(`expected the action to warn "never used", but its warnings were:
  - send() was called 2 times: all were applied in order (option multipleSends)

${DID_GREET}`)
    expect(failure(() => expect(threw).toHaveWarned('never used'))).toBe(`expected the action to warn "never used", but it gave no warning\n\n${DID_THROW}`)
    expect(failure(() => expect(greeted).not.toHaveWarned('2 times'))).toBe(`expected the action not to warn "2 times", but it warned:
  - send() was called 2 times: all were applied in order (option multipleSends)

${DID_GREET}`)
  })
})

describe('toSucceed', () => {
  it('passes when the run has no error', () => {
    expect(greeted).toSucceed()
    expect(threw).not.toSucceed()
  })

  it('shows the error', () => {
    expect(failure(() => expect(threw).toSucceed())).toBe(`expected the action to succeed, but it failed with ERR_ACTION_THREW: TypeError: Cannot read properties of undefined (reading 'id')\n\n${DID_THROW}`)
    expect(failure(() => expect(greeted).not.toSucceed())).toBe(`expected the action not to succeed, but it did\n\n${DID_GREET}`)
  })
})

describe('matchers on something else than a result', () => {
  it('say what they expected, and hint at a missing await', () => {
    expect(failure(() => expect(Promise.resolve(greeted)).toJumpTo('ds-menu'))).toBe('toJumpTo() expects the result of runFixture() (a Promise: did you forget `await`?), got {}')
    expect(failure(() => expect(42).toSucceed())).toBe('toSucceed() expects the result of runFixture(), got 42')
  })
})

describe('matchers on a real run', () => {
  it('read the result of runFixture', async () => {
    const run = await runFixture('test/fixtures/testing/actions/greet.js', { args: { name: { text: 'Ada' }, menu: { dialogstate: 'ds-menu' } } })
    expect(run).toSucceed()
    expect(run).toJumpTo('ds-menu')
    expect(run).toSendText('Hello Ada!')
    expect(run).toWriteSession({ greeting: { name: 'Ada' } })
    expect(failure(() => expect(run).toSendText('Bye'))).toContain('but it sent "Hello Ada!"\n\nWhat the action did:\n  jump: → ds-menu\n  messages:\n    💬 Hello Ada!\n')
  })
})

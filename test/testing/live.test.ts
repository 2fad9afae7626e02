import { readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type Server } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { main } from '../../runner/cli/main.ts'
import { checkExpectations } from '../../runner/expect.ts'
import { recordExchanges } from '../../runner/http/record.ts'
import { runAction } from '../../runner/run.ts'
import { SandboxPool } from '../../runner/sandbox/pool.ts'
import type { RecordedExchange, RunResult } from '../../runner/types.ts'
import '../../test-kit/index.ts'
import { captureIO } from './helpers/io.ts'
import { AIRTABLE_TOKEN, startFakeApi, ZENDESK_EMAIL, ZENDESK_TOKEN, type FakeApi } from './helpers/server.ts'
import { tempDir } from './helpers/temp.ts'

const ACTIONS = resolve('test/fixtures/testing/actions')
let api: FakeApi
let temp: ReturnType<typeof tempDir>
const pool = new SandboxPool(2)
const context = { pool }

beforeAll(async () => {
  api = await startFakeApi()
  temp = tempDir()
})
afterAll(async () => {
  pool.close()
  await api.close()
  temp.remove()
})

function airtableFixture (name: string, { table = 'Meetups', token = AIRTABLE_TOKEN, month = 'march', baseUrl = api.baseUrl } = {}): string {
  const file = join(temp.dir, `${name}.yaml`)
  writeFileSync(file, `# Lists the meetups of a month from (an imitation of) Airtable.
description: meetups of ${month}
action: ${ACTIONS}/airtable-list.js
session:
  month: ${month}
args:
  baseUrl: { text: "${baseUrl}" }
  apiKey: { text: ${token} }
  table: { text: ${table} }
  month: { variable: month }
  foundState: { dialogstate: ds-found }
  noneState: { dialogstate: ds-none }
  errorState: { dialogstate: ds-error }

# checked by code-action test
expect:
  error: null
`)
  return file
}

function zendeskFixture (name: string, { requesterEmail = 'ada@example.com' } = {}): string {
  const file = join(temp.dir, `${name}.yaml`)
  writeFileSync(file, `description: files a support ticket
action: ${ACTIONS}/zendesk-ticket.js
args:
  baseUrl: { text: "${api.baseUrl}" }
  email: { text: ${ZENDESK_EMAIL} }
  apiToken: { text: ${ZENDESK_TOKEN} }
  sessionId: { text: emulator-3f2a }
  subject: { text: Where is my order? }
  body: { text: Order 1234 has not arrived. }
  name: { text: Ada Lovelace }
  requesterEmail: { text: "${requesterEmail}" }
  createdState: { dialogstate: ds-created }
  errorState: { dialogstate: ds-ticket-error }
expect:
  error: null
`)
  return file
}

/** What a run means for the bot, without timings: the part live and replay must agree on. */
function semantics (result: RunResult): unknown {
  return {
    ok: result.ok,
    error: result.error?.code ?? null,
    nextDialogState: result.nextDialogState,
    messages: result.messages,
    session: result.session,
    sessionChanges: result.sessionChanges,
    requests: result.requests.map(r => ({ method: r.method, url: r.url, status: r.status, error: r.error ?? null })),
    logs: result.logs.map(l => `${l.level} ${l.text}`),
    warnings: result.warnings,
  }
}

/** Runs live, records, replays the recorded fixture: resolves to both results. */
async function liveThenReplay (file: string): Promise<{ live: RunResult, replay: RunResult, seen: number }> {
  const before = api.requests.length
  const live = await runAction(undefined, file, { live: true }, context)
  const seen = api.requests.length - before
  await recordExchanges(file, live)
  const replay = await runAction(undefined, file, {}, context)
  expect(api.requests.length - before).toBe(seen)
  return { live, replay, seen }
}

describe('--live against a local imitation of Airtable and Zendesk', () => {
  it('lists records: the live run and the replay of its recording agree', async () => {
    const { live, replay, seen } = await liveThenReplay(airtableFixture('found'))
    expect(seen).toBe(1)
    expect(live).toJumpTo('ds-found')
    expect(live).toSendText('Found 2 meetup(s): Bots & beers, NLU night')
    expect(live).toWriteSession({ meetups: [{ id: 'recA1', name: 'Bots & beers' }, { id: 'recB2', name: 'NLU night' }] })
    expect(semantics(replay)).toEqual(semantics(live))
    expect(replay.requests[0].exchange).toBe(0)
  })

  it('sends node-fetch\'s default headers on the wire, as the replay matchers assume', async () => {
    const before = api.requests.length
    await runAction(undefined, airtableFixture('headers'), { live: true }, context)
    const seen = api.requests[before]
    expect(seen.headers).toMatchObject({
      accept: '*/*',
      'user-agent': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
      'accept-encoding': 'gzip,deflate',
      connection: 'close',
      authorization: `Bearer ${AIRTABLE_TOKEN}`,
    })
    expect(seen.url).toBe("/v0/appTEST/Meetups?filterByFormula=%7BMonth%7D%3D%27march%27&pageSize=10")
  })

  it('routes an Airtable 401 and a bare 404 the same way live and replayed', async () => {
    for (const [name, options, text] of [
      ['unauthorised', { token: 'patWRONG.1234567890' }, 'Airtable said 401 AUTHENTICATION_REQUIRED'],
      ['missing', { table: 'Missing' }, 'Airtable said 404 NOT_FOUND'],
    ] as const) {
      const { live, replay } = await liveThenReplay(airtableFixture(name, options))
      expect(live).toJumpTo('ds-error')
      expect(live).toSendText(text)
      expect(semantics(replay)).toEqual(semantics(live))
    }
  })

  it('creates a Zendesk ticket, and a 422 goes to the error state, live and replayed alike', async () => {
    const created = await liveThenReplay(zendeskFixture('ticket'))
    expect(created.live).toSendText(/^Ticket \d+ created$/)
    expect(created.live).toJumpTo('ds-created')
    expect(semantics(created.replay)).toEqual(semantics(created.live))
    const invalid = await liveThenReplay(zendeskFixture('invalid', { requesterEmail: 'not an email' }))
    expect(invalid.live).toSendText('Sorry, the ticket could not be created (RecordInvalid)')
    expect(semantics(invalid.replay)).toEqual(semantics(invalid.live))
  })

  it('retries once after a 429 with Retry-After, and the replay does the same', async () => {
    api.rateLimitTickets = 1
    const { live, replay, seen } = await liveThenReplay(zendeskFixture('rate-limited'))
    expect(seen).toBe(2)
    expect(live.requests.map(r => r.status)).toEqual([429, 201])
    expect(live.logs.map(l => l.text)).toEqual(['rate limited, retrying in 1 s'])
    expect(live).toJumpTo('ds-created')
    expect(semantics(replay)).toEqual(semantics(live))
  })

  it('records a refused connection as an error exchange, and the replay fails the same way', async () => {
    const port = await freePort()
    const { live, replay } = await liveThenReplay(airtableFixture('refused', { baseUrl: `http://127.0.0.1:${port}` }))
    expect(live).toSendText('Airtable is unreachable (ECONNREFUSED)')
    expect(live.requests[0]).toMatchObject({ status: null, error: 'ECONNREFUSED' })
    expect(semantics(replay)).toEqual(semantics(live))
    expect(readFileSync(join(temp.dir, 'refused.yaml'), 'utf8')).toContain(`http:
  - request:
      method: GET
      url: http://127.0.0.1:${port}/v0/appTEST/Meetups?filterByFormula=%7BMonth%7D%3D%27march%27&pageSize=10
      headers:
        authorization: <redacted>
    error:
      code: ECONNREFUSED
`)
  })
})

/** An action that makes each call of `args.calls` (in turn, or all at once) and says how each ended. */
const HOPS_ACTION = `const call = async ({ url, method = 'GET', json, timeout = 3000 }) => {
  const headers = { Authorization: 'Bearer ' + args.apiKey }
  if (json) headers['Content-Type'] = 'application/json'
  try {
    const response = await fetch(url, { method, headers, body: json ? JSON.stringify(json) : undefined, timeout })
    return method + ' ' + response.status
  } catch (error) {
    return method + ' ' + error.code + ': ' + error.message
  }
}
const outcomes = []
if (args.parallel) outcomes.push(...await Promise.all(args.calls.map(call)))
else for (const c of args.calls) outcomes.push(await call(c))
ChatlayerResponseBuilder().addMessage(outcomes.join('\\n')).send()
`

interface Call { url: string, method?: string, json?: unknown, timeout?: number }

/** A fixture running HOPS_ACTION over `calls`, with the Airtable token as a secret `text` argument. */
function hopsFixture (name: string, calls: Call[], parallel = false): string {
  const action = join(temp.dir, 'hops.js')
  writeFileSync(action, HOPS_ACTION)
  const file = join(temp.dir, `${name}.yaml`)
  writeFileSync(file, `description: ${name}
action: ./hops.js
args:
  apiKey: { text: ${AIRTABLE_TOKEN} }
  parallel: ${parallel}
  calls: ${JSON.stringify(calls)}
`)
  return file
}

/** A recorded exchange in one line: method, URL and status or network error. */
function hop (exchange: RecordedExchange): string {
  return `${exchange.request.method} ${exchange.request.url} ${exchange.error ? exchange.error.code : exchange.response.status}`
}

describe('--live records every hop it sees, network failures included', () => {
  it('keeps a refused connection between two answered hops in result.recorded, in request order', async () => {
    const port = await freePort()
    const refused = `http://127.0.0.1:${port}/v0/appTEST/Meetups`
    const file = hopsFixture('recorded-refused', [
      { url: `${api.baseUrl}/v0/appTEST/Meetups` },
      { url: refused, method: 'POST', json: { fields: { Name: 'Bots & beers' } } },
      { url: `${api.baseUrl}/v0/appTEST/Missing` },
    ])
    const live = await runAction(undefined, file, { live: true }, context)
    expect(live.requests.map(r => r.status ?? r.error)).toEqual([200, 'ECONNREFUSED', 404])
    expect(live.recorded?.map(hop)).toEqual([
      `GET ${api.baseUrl}/v0/appTEST/Meetups 200`,
      `POST ${refused} ECONNREFUSED`,
      `GET ${api.baseUrl}/v0/appTEST/Missing 404`,
    ])
    // The failed hop's request is captured like an answered one: final headers and body.
    expect(live.recorded?.[1]).toEqual({
      request: {
        method: 'POST',
        url: refused,
        headers: expect.objectContaining({ authorization: `Bearer ${AIRTABLE_TOKEN}`, 'content-type': 'application/json', Accept: '*/*', 'Content-Length': '34' }),
        body: '{"fields":{"Name":"Bots & beers"}}',
      },
      error: { code: 'ECONNREFUSED' },
    })
  })

  it('--record writes the failed hop where it happened, scrubbed like the others, and the recording replays the same', async () => {
    const port = await freePort()
    const file = hopsFixture('record-refused', [
      { url: `${api.baseUrl}/v0/appTEST/Meetups` },
      { url: `http://127.0.0.1:${port}/v0/appTEST/Meetups`, method: 'POST', json: { fields: { Name: 'Bots & beers' } } },
      { url: `${api.baseUrl}/v0/appTEST/Missing` },
    ])
    const { live, replay } = await liveThenReplay(file)
    const { http } = parse(readFileSync(file, 'utf8'))
    expect(http.map((e: any) => e.response?.status ?? e.error.code)).toEqual([200, 'ECONNREFUSED', 404])
    expect(http[1]).toEqual({
      request: { method: 'POST', url: `http://127.0.0.1:${port}/v0/appTEST/Meetups`, headers: { authorization: '<redacted>' }, json: { fields: { Name: 'Bots & beers' } } },
      error: { code: 'ECONNREFUSED' },
    })
    expect(semantics(replay)).toEqual(semantics(live))
    expect(replay.requests.map(r => r.exchange ?? r.error)).toEqual([0, 'ECONNREFUSED', 2])
  })

  it('scrubs secrets from the URL, headers and body of a failed hop', async () => {
    const port = await freePort()
    const file = hopsFixture('refused-secret', [{
      url: `http://127.0.0.1:${port}/hooks/${AIRTABLE_TOKEN}/send?text=hi&api_key=${AIRTABLE_TOKEN}`,
      method: 'POST',
      json: { user: 'bot', password: 'hunter22', note: AIRTABLE_TOKEN },
    }])
    const { live, replay } = await liveThenReplay(file)
    expect(live.recorded?.map(hop)).toEqual([`POST http://127.0.0.1:${port}/hooks/${AIRTABLE_TOKEN}/send?text=hi&api_key=${AIRTABLE_TOKEN} ECONNREFUSED`])
    // The fixture's own args hold the token and the password; the recorded list holds neither.
    const text = readFileSync(file, 'utf8')
    const recorded = text.slice(text.indexOf('\nhttp:'))
    expect(recorded).not.toContain(AIRTABLE_TOKEN)
    expect(recorded).not.toContain('hunter22')
    expect(parse(text).http).toEqual([{
      request: {
        method: 'POST',
        urlPattern: `^http://127\\.0\\.0\\.1:${port}/hooks/[^/?#]+/send\\?text=hi&api_key=[^&#]*$`,
        headers: { authorization: '<redacted>' },
        json: { user: 'bot', password: '<redacted>', note: '<redacted>' },
      },
      error: { code: 'ECONNREFUSED' },
    }])
    expect(semantics(replay)).toEqual(semantics(live))
  })

  it('records concurrent hops in request order, not in the order they were answered', async () => {
    const slow = createHttpServer((_req, res) => { setTimeout(() => res.end('late'), 300) })
    await new Promise<void>(resolve => slow.listen(0, '127.0.0.1', resolve))
    try {
      const slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}/slow`
      const file = hopsFixture('parallel', [{ url: slowUrl }, { url: `${api.baseUrl}/v0/appTEST/Meetups` }], true)
      const live = await runAction(undefined, file, { live: true }, context)
      expect(live).toSendText('GET 200\nGET 200')
      expect(live.recorded?.map(hop)).toEqual([`GET ${slowUrl} 200`, `GET ${api.baseUrl}/v0/appTEST/Meetups 200`])
      await recordExchanges(file, live)
      expect(parse(readFileSync(file, 'utf8')).http.map((e: any) => e.request.url)).toEqual([slowUrl, `${api.baseUrl}/v0/appTEST/Meetups`])
    } finally {
      await new Promise<void>(resolve => slow.close(() => resolve()))
    }
  })

  it('records a failure the fixture format cannot name as ECONNRESET with Node\'s reason', async () => {
    // Answers every request with bytes that are not HTTP: node-fetch fails with HPE_INVALID_CONSTANT.
    const garbage: Server = createServer(socket => { socket.on('data', () => socket.end('garbage\r\n\r\n')) })
    await new Promise<void>(resolve => garbage.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(garbage.address() as { port: number }).port}/v0/appTEST/Meetups`
      const file = hopsFixture('not-http', [{ url }])
      const live = await runAction(undefined, file, { live: true }, context)
      expect(live.requests[0]).toMatchObject({ status: null, error: 'HPE_INVALID_CONSTANT' })
      const [text] = live.messages[0].config.textMessages.map((m: any) => m.text)
      const reason = /failed, reason: (.*)$/.exec(text)?.[1]
      expect(reason).toMatch(/^Parse Error/)
      expect(live.recorded).toEqual([{ request: expect.objectContaining({ method: 'GET', url }), error: { code: 'ECONNRESET', message: reason } }])
      await recordExchanges(file, live)
      expect(parse(readFileSync(file, 'utf8')).http).toEqual([{ request: { method: 'GET', url, headers: { authorization: '<redacted>' } }, error: { code: 'ECONNRESET', message: reason } }])
      // The replay fails with the same reason; only the code is the closest one a fixture can hold.
      const replay = await runAction(undefined, file, {}, context)
      expect(replay).toSendText(text.replace('GET HPE_INVALID_CONSTANT:', 'GET ECONNRESET:'))
      expect(replay.error).toBeNull()
    } finally {
      await new Promise<void>(resolve => garbage.close(() => resolve()))
    }
  })
})

/** A local server that answers after `delayMs`, or never (the socket stays open until close). */
async function slowServer (delayMs: number | null): Promise<{ url: string, close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>()
  const server = createHttpServer((_req, res) => { if (delayMs !== null) setTimeout(() => res.end('{"late":true}'), delayMs) })
  server.on('connection', socket => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/slow`,
    close: () => new Promise<void>(resolve => { for (const socket of sockets) socket.destroy(); server.close(() => resolve()) }),
  }
}

describe('--live and --record: a hop the client gave up on', () => {
  it('an answer that came after the fetch timeout is recorded with its delay, and the replay times out the same way', async () => {
    const slow = await slowServer(600)
    try {
      const file = hopsFixture('late-answer', [{ url: slow.url, timeout: 200 }])
      const live = await runAction(undefined, file, { live: true }, context)
      expect(live).toSendText(`GET undefined: network timeout at: ${slow.url}`)
      expect(live.requests).toEqual([expect.objectContaining({ url: slow.url, status: null, error: 'request-timeout' })])
      const [exchange] = live.recorded ?? []
      expect(exchange?.response?.status).toBe(200)
      expect(exchange?.response?.delayMs).toBeGreaterThanOrEqual(590)
      await recordExchanges(file, live)
      const written = parse(readFileSync(file, 'utf8')).http
      expect(written).toHaveLength(1)
      expect(written[0].response.delayMs).toBe(exchange?.response?.delayMs)
      const replay = await runAction(undefined, file, {}, context)
      expect(semantics(replay)).toEqual(semantics(live))
      expect(replay.warnings).toEqual([])
    } finally {
      await slow.close()
    }
  })

  it('a hop that never answers is recorded as ETIMEDOUT after the time it was given, and the replay times out the same way', async () => {
    const silent = await slowServer(null)
    try {
      const file = hopsFixture('no-answer', [{ url: silent.url, timeout: 200 }])
      const live = await runAction(undefined, file, { live: true }, context)
      expect(live).toSendText(`GET undefined: network timeout at: ${silent.url}`)
      const [exchange] = live.recorded ?? []
      expect(exchange?.error).toEqual({ code: 'ETIMEDOUT', message: expect.stringMatching(/^no answer within \d+ ms when it was recorded$/), delayMs: expect.any(Number) })
      expect(exchange?.error?.delayMs).toBeGreaterThanOrEqual(3000)
      await recordExchanges(file, live)
      const replay = await runAction(undefined, file, {}, context)
      expect(semantics(replay)).toEqual(semantics(live))
    } finally {
      await silent.close()
    }
  })

  it('a request the action never awaited is recorded once it is answered, so the replay has an answer for it', async () => {
    const slow = await slowServer(300)
    try {
      const action = join(temp.dir, 'abandon.js')
      writeFileSync(action, `fetch(${JSON.stringify(slow.url)}).catch(() => {})\nChatlayerResponseBuilder().addMessage('sent').send()\n`)
      const file = join(temp.dir, 'abandon.yaml')
      writeFileSync(file, 'description: fires and forgets\naction: ./abandon.js\n')
      const live = await runAction(undefined, file, { live: true }, context)
      expect(live.warnings).toContain('1 request was still pending when the action finished: abandoned (await them)')
      expect(live.recorded?.map(hop)).toEqual([`GET ${slow.url} 200`])
      expect(live.recorded?.[0].response?.delayMs).toBeGreaterThanOrEqual(290)
      await recordExchanges(file, live)
      const replay = await runAction(undefined, file, {}, context)
      expect(replay.error).toBeNull()
      expect(semantics(replay)).toEqual(semantics(live))
    } finally {
      await slow.close()
    }
  })
})

describe('--live and --record: redirects answered after the action ended', () => {
  it('a redirect answered after the action ended is recorded with its delay and not followed, and the replay agrees', async () => {
    // /a answers with a redirect after 300 ms, /b after 100 ms more: both come after the action ended.
    const sockets = new Set<import('node:net').Socket>()
    const requestsSeen: string[] = []
    const server = createHttpServer((req, res) => {
      requestsSeen.push(req.url!)
      if (req.url === '/a') setTimeout(() => { res.writeHead(302, { location: '/b' }); res.end() }, 300)
      else setTimeout(() => res.end('landed'), 100)
    })
    server.on('connection', socket => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)) })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    try {
      writeFileSync(join(temp.dir, 'redirect-late.js'), `fetch('${base}/a').catch(() => {})\nChatlayerResponseBuilder().addMessage('sent').send()\n`)
      const file = join(temp.dir, 'redirect-late.yaml')
      writeFileSync(file, 'description: fires a request that redirects, and forgets it\naction: ./redirect-late.js\n')
      const live = await runAction(undefined, file, { live: true }, context)
      // Following it would send a request after the end (and the replay never gets that far).
      expect(live.recorded?.map(hop)).toEqual([`GET ${base}/a 302`])
      expect(live.recorded?.[0].response?.delayMs).toBeGreaterThanOrEqual(290)
      expect(requestsSeen).toEqual(['/a'])
      await recordExchanges(file, live)
      const replay = await runAction(undefined, file, {}, context)
      expect(replay.error).toBeNull()
      expect(semantics(replay)).toEqual(semantics(live))
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  })
})

describe('code-action run --record', () => {
  it('writes the exchanges with secrets scrubbed and the rest of the file as it was, and the recording replays', async () => {
    const file = zendeskFixture('cli-record')
    const original = readFileSync(file, 'utf8')
    const { io, stdout, stderr } = captureIO()
    expect(await main(['run', file, '--record'], io)).toBe(0)
    expect(stderr()).toBe(`recorded 1 exchange into ${file} (secrets replaced by <redacted>)\n`)
    expect(stdout()).toMatch(/^✔ ran /)
    const text = readFileSync(file, 'utf8')
    // Everything before the `expect:` block is the original text, the http list is inserted after args.
    const head = original.slice(0, original.indexOf('expect:'))
    expect(text.startsWith(`${head}http:\n  - request:\n      method: POST\n      url: ${api.baseUrl}/api/v2/tickets.json\n      headers:\n        authorization: <redacted>\n      json:\n`)).toBe(true)
    expect(text.endsWith('expect:\n  error: null\n')).toBe(true)
    // The token appears once (the fixture's own argument) and its Basic-auth form not at all.
    expect(text.split(ZENDESK_TOKEN)).toHaveLength(2)
    expect(text).not.toContain(Buffer.from(`${ZENDESK_EMAIL}/token:${ZENDESK_TOKEN}`).toString('base64'))
    expect(text).toContain('x-idempotency-lookup: miss')

    const test = captureIO()
    expect(await main(['test', file], test.io)).toBe(0)
    expect(test.stdout()).toBe('. 1/1\n\n1 passed, 0 failed\n')
  })

  it('scrubs Set-Cookie and the secret argument from an Airtable recording', async () => {
    const file = airtableFixture('cli-airtable')
    const { io } = captureIO()
    expect(await main(['run', file, '--record'], io)).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('brwSECRETCOOKIE')
    expect(text).toContain('set-cookie: <redacted>')
    expect(text).toContain('authorization: <redacted>')
    expect(text.split(AIRTABLE_TOKEN)).toHaveLength(2)
    const replay = await runAction(undefined, file, {}, context)
    expect(checkExpectations(replay, { error: null, nextDialogState: 'ds-found' })).toEqual([])
  })

  it('replays with any token, since a redacted header matches any value', async () => {
    const file = airtableFixture('other-token')
    const { io } = captureIO()
    await main(['run', file, '--record'], io)
    writeFileSync(file, readFileSync(file, 'utf8').replace(`apiKey: { text: ${AIRTABLE_TOKEN} }`, 'apiKey: { text: patOTHER.999 }'))
    const replay = await runAction(undefined, file, {}, context)
    expect(replay).toJumpTo('ds-found')
  })
})

describe('code-action run --record on a scenario', () => {
  it('records each step\'s exchanges into that step, and the recording passes code-action test', async () => {
    const file = join(temp.dir, 'scenario.yaml')
    writeFileSync(file, `# Two look-ups in one conversation.
action: ${ACTIONS}/airtable-list.js
args:
  baseUrl: { text: "${api.baseUrl}" }
  apiKey: { text: ${AIRTABLE_TOKEN} }
  table: { text: Meetups }
  foundState: { dialogstate: ds-found }
  noneState: { dialogstate: ds-none }
  errorState: { dialogstate: ds-error }
steps:
  - args: { month: { text: march } }
    expect: { nextDialogState: ds-found }
  - args: { month: { text: june } }   # nobody meets in June
    expect: { nextDialogState: ds-none }
`)
    const { io, stderr } = captureIO()
    expect(await main(['run', file, '--record'], io)).toBe(0)
    expect(stderr()).toBe(`recorded 2 exchanges for 2 steps into ${file} (secrets replaced by <redacted>)\n`)
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('  - args: { month: { text: june } }   # nobody meets in June\n    http:\n      - request:\n')
    expect(text).toContain('%27june%27')
    const before = api.requests.length
    const test = captureIO()
    expect(await main(['test', file], test.io)).toBe(0)
    expect(api.requests.length).toBe(before)
  })
})

/** A port nothing listens on. */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

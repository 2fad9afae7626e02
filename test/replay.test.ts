import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runAction, type FixtureInput, type HttpExchange, type RunOptions, type RunResult } from '../runner/index.ts'

const ORDER_FIXTURE = fileURLToPath(new URL('./fixtures/sandbox/replay-order.yaml', import.meta.url))
const HINT = "Add an exchange for this request to the fixture's http list, or record one with --record."
const SWALLOWED = ' (the action caught the rejection, but replay fails closed)'

function run (source: string, fixture: FixtureInput = {}, options: RunOptions = {}): Promise<RunResult> {
  return runAction({ source }, fixture, options)
}

const texts = (result: RunResult): string[] => result.logs.map(l => l.text)

/** Fetches `url` (with `init`), logs the status or the rejection, and sends. */
function probe (url: string, init = '{}'): string {
  return `try { const r = await fetch(${JSON.stringify(url)}, ${init}); console.log(r.status) } catch (e) { console.log(e.name + ' ' + e.code) }\nChatlayerResponseBuilder().send()`
}

const hit = (request: HttpExchange['request'], status = 201): HttpExchange => ({ request, response: { status } })

describe('replay: URL matching', () => {
  it('url matches exactly, with query parameter order ignored', async () => {
    const result = await run(probe('https://api.example.com/items?b=2&a=1'), { http: [hit({ url: 'https://api.example.com/items?a=1&b=2' })] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['201'])
    expect(result.requests).toEqual([{ method: 'GET', url: 'https://api.example.com/items?b=2&a=1', status: 201, durationMs: expect.any(Number), exchange: 0 }])
  })

  it.each([
    ['a different query value', 'https://api.example.com/items?a=1&b=3'],
    ['an extra query parameter', 'https://api.example.com/items?a=1&b=2&c=3'],
    ['a missing query parameter', 'https://api.example.com/items?a=1'],
    ['a different path', 'https://api.example.com/items/'],
    ['a different host', 'https://api2.example.com/items?a=1&b=2'],
    ['a different scheme', 'http://api.example.com/items?a=1&b=2'],
  ])('url does not match %s', async (_what, url) => {
    const result = await run(probe(url), { http: [hit({ url: 'https://api.example.com/items?a=1&b=2' })] })
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(texts(result)).toEqual(['FetchError ERR_HTTP_UNMATCHED'])
  })

  it.each([
    ['a missing root slash', 'https://api.example.com', 'https://api.example.com/'],
    ['host case and the default port', 'https://API.Example.COM:443/v1', 'https://api.example.com/v1'],
    ['dot segments', 'https://api.example.com/a/./b/../c', 'https://api.example.com/a/c'],
    ['a space and its percent-encoding', 'https://api.example.com/search?q=a b', 'https://api.example.com/search?q=a%20b'],
  ])('URLs are compared after WHATWG normalisation: %s', async (_what, fixtureUrl, requested) => {
    const result = await run(probe(requested), { http: [hit({ url: fixtureUrl })] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['201'])
  })

  it('urlPattern as a plain pattern is tested against the full URL', async () => {
    const result = await run(probe('https://api.example.com/items?page=12'), { http: [hit({ urlPattern: '^https://api\\.example\\.com/items\\?page=\\d+$' })] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['201'])
  })

  it('urlPattern in /pattern/flags form uses its flags', async () => {
    const result = await run(probe('https://api.example.com/ITEMS'), { http: [hit({ urlPattern: '/example\\.com\\/items$/i' })] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['201'])
  })

  it('a urlPattern that does not match the full URL does not answer', async () => {
    const result = await run(probe('https://api.example.com/items?page=x'), { http: [hit({ urlPattern: '^https://api\\.example\\.com/items\\?page=\\d+$' })] })
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
  })

  it('with url and urlPattern both given, both must match', async () => {
    const result = await run(probe('https://api.example.com/items?page=1'), {
      http: [
        { request: { url: 'https://api.example.com/items?page=1', urlPattern: 'page=2' }, response: { status: 500 } },
        { request: { url: 'https://api.example.com/items?page=1', urlPattern: 'page=1$' }, response: { status: 202 } },
      ],
    })
    expect(texts(result)).toEqual(['202'])
    expect(result.requests[0].exchange).toBe(1)
  })
})

describe('replay: method, header and body matching', () => {
  it('a request matches an exchange without method whatever its method, and one with method only for that method', async () => {
    const result = await run(`
      for (const method of ['DELETE', 'PATCH']) {
        const r = await fetch('https://api.example.com/x', { method })
        console.log(method, r.status)
      }`, {
      http: [
        { request: { method: 'PATCH', url: 'https://api.example.com/x' }, response: { status: 200 } },
        { request: { url: 'https://api.example.com/x' }, response: { status: 204 } },
      ],
    })
    expect(texts(result)).toEqual(['DELETE 204', 'PATCH 200'])
  })

  it('header names match case-insensitively in both directions', async () => {
    const result = await run(probe('https://api.example.com/x', "{ headers: { 'x-api-key': 'k1', 'AUTHORIZATION': 'Bearer pat1' } }"), {
      http: [hit({ url: 'https://api.example.com/x', headers: { 'X-Api-Key': 'k1', authorization: 'Bearer pat1' } })],
    })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['201'])
  })

  it("node-fetch's default request headers count for header matchers", async () => {
    const result = await run(probe('https://api.example.com/x'), {
      http: [hit({ url: 'https://api.example.com/x', headers: { accept: '*/*', 'user-agent': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'accept-encoding': 'gzip,deflate', connection: 'close' } })],
    })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['201'])
  })

  it('every given header must match: a wrong or missing value does not answer', async () => {
    const result = await run(probe('https://api.example.com/x', "{ headers: { 'x-api-key': 'wrong' } }"), {
      http: [hit({ url: 'https://api.example.com/x', headers: { 'x-api-key': 'k1' } }), hit({ url: 'https://api.example.com/x', headers: { 'x-tenant': 't1' } })],
    })
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(result.error?.message).toBe([
      'no fixture exchange matches GET https://api.example.com/x; closest candidates:',
      '  #1 * https://api.example.com/x: header x-api-key is "wrong", not "k1"',
      `  #2 * https://api.example.com/x: header x-tenant is missing${SWALLOWED}`,
      HINT,
    ].join('\n'))
  })

  it('json matches the parsed request body by deep equality, whatever the key order', async () => {
    const result = await run(probe('https://api.example.com/t', "{ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ b: [1, { c: true }], a: 'x' }) }"), {
      http: [hit({ url: 'https://api.example.com/t', json: { a: 'x', b: [1, { c: true }] } })],
    })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['201'])
  })

  it.each([
    ['an extra field', "JSON.stringify({ a: 'x', extra: 1 })"],
    ['a different type', "JSON.stringify({ a: 1 })"],
    ['a body that is not JSON', "'a=x'"],
  ])('json does not match %s', async (_what, body) => {
    const result = await run(probe('https://api.example.com/t', `{ method: 'POST', body: ${body} }`), { http: [hit({ url: 'https://api.example.com/t', json: { a: 'x' } })] })
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
  })

  it('body matches the raw request body exactly', async () => {
    const result = await run(`
      for (const body of ['grant_type=client_credentials', 'grant_type=client_credentials ']) {
        try { const r = await fetch('https://auth.example.com/token', { method: 'POST', body }); console.log(r.status) } catch (e) { console.log(e.code) }
      }`, { http: [hit({ url: 'https://auth.example.com/token', body: 'grant_type=client_credentials' })] })
    expect(texts(result)).toEqual(['201', 'ERR_HTTP_UNMATCHED'])
  })
})

describe('replay: use counts and order', () => {
  it('tries exchanges in file order; the first unused one that matches answers; times and repeat count uses', async () => {
    const result = await run(`
      for (let i = 0; i < 6; i++) {
        const r = await fetch('https://api.example.com/queue')
        console.log((await r.json()).turn)
      }
      ChatlayerResponseBuilder().send()`, ORDER_FIXTURE)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['first', 'second-and-third', 'second-and-third', 'every-later-one', 'every-later-one', 'every-later-one'])
    expect(result.requests.map(r => r.exchange)).toEqual([0, 1, 1, 2, 2, 2])
    expect(result.warnings).toEqual([])
  })

  it('an exchange answers once by default', async () => {
    const result = await run(`${probe('https://api.example.com/once')}\n${probe('https://api.example.com/once')}`, { http: [hit({ url: 'https://api.example.com/once' })] })
    expect(texts(result)).toEqual(['201', 'FetchError ERR_HTTP_UNMATCHED'])
    expect(result.error?.message).toBe([
      'no fixture exchange matches GET https://api.example.com/once; closest candidates:',
      `  #1 * https://api.example.com/once: already used 1 time (times: 1)${SWALLOWED}`,
      HINT,
    ].join('\n'))
  })
})

describe('replay: answers', () => {
  it('status defaults to 200 and statusText to the standard reason phrase', async () => {
    const result = await run(`
      for (const path of ['a', 'b']) { const r = await fetch('https://api.example.com/' + path); console.log(r.status, r.statusText) }`, {
      http: [{ request: { url: 'https://api.example.com/a' }, response: {} }, { request: { url: 'https://api.example.com/b' }, response: { status: 422 } }],
    })
    expect(texts(result)).toEqual(['200 OK', '422 Unprocessable Entity'])
  })

  it('json without a content type is served as application/json; a given content type is kept', async () => {
    const result = await run(`
      for (const path of ['a', 'b']) { const r = await fetch('https://api.example.com/' + path); console.log(r.headers.get('content-type'), await r.text()) }`, {
      http: [
        { request: { url: 'https://api.example.com/a' }, response: { json: { ok: true } } },
        { request: { url: 'https://api.example.com/b' }, response: { headers: { 'Content-Type': 'application/vnd.api+json' }, json: [1] } },
      ],
    })
    expect(texts(result)).toEqual(['application/json {"ok":true}', 'application/vnd.api+json [1]'])
  })

  it('delayMs holds the answer back for that long', async () => {
    const result = await run(`
      const started = Date.now()
      const r = await fetch('https://api.example.com/slow')
      console.log(r.status, Date.now() - started >= 190)`, { http: [{ request: { url: 'https://api.example.com/slow' }, response: { status: 200, delayMs: 200 } }] })
    expect(texts(result)).toEqual(['200 true'])
    expect(result.requests[0].durationMs).toBeGreaterThanOrEqual(190)
  })

  it('delayMs longer than the fetch timeout option rejects with network timeout at: <url>', async () => {
    const result = await run(`
      try { await fetch('https://api.example.com/slow?x=1', { timeout: 50 }) } catch (e) { console.log(e.name, e.type, e.message) }
      ChatlayerResponseBuilder().send()`, { http: [{ request: { url: 'https://api.example.com/slow?x=1' }, response: { delayMs: 1000 } }] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['FetchError request-timeout network timeout at: https://api.example.com/slow?x=1'])
  })

  it('a request that timed out is listed with status null and an error field', async () => {
    const result = await run(`
      try { await fetch('https://api.example.com/slow', { timeout: 50 }) } catch (e) {}
      ChatlayerResponseBuilder().send()`, { http: [{ request: { url: 'https://api.example.com/slow' }, response: { delayMs: 1000 } }] })
    expect(result.requests).toHaveLength(1)
    expect(result.requests[0]).toMatchObject({ method: 'GET', url: 'https://api.example.com/slow', status: null, error: expect.any(String) })
  })
})

describe('replay: error exchanges', () => {
  it.each([
    ['ECONNREFUSED', 'https://api.example.com/v1', 'connect ECONNREFUSED api.example.com:443'],
    ['ENOTFOUND', 'https://nowhere.example.com/v1', 'getaddrinfo ENOTFOUND nowhere.example.com'],
    ['ETIMEDOUT', 'http://api.example.com:8080/v1', 'connect ETIMEDOUT api.example.com:8080'],
    ['ECONNRESET', 'http://api.example.com/v1', 'read ECONNRESET'],
  ] as const)('error %s rejects with a FetchError whose reason reads like Node\'s', async (code, url, reason) => {
    const result = await run(`
      try { await fetch('${url}') } catch (e) { console.log(JSON.stringify({ name: e.name, type: e.type, code: e.code, errno: e.errno, message: e.message })) }
      ChatlayerResponseBuilder().send()`, { http: [{ request: { url }, error: { code } }] })
    expect(result.error).toBeNull()
    expect(JSON.parse(texts(result)[0])).toEqual({ name: 'FetchError', type: 'system', code, errno: code, message: `request to ${url} failed, reason: ${reason}` })
    expect(result.requests).toEqual([{ method: 'GET', url, status: null, durationMs: expect.any(Number), error: code }])
  })

  it('an error exchange with a message uses it as the reason', async () => {
    const result = await run("try { await fetch('https://api.example.com/v1') } catch (e) { console.log(e.code, e.message) }", {
      http: [{ request: { url: 'https://api.example.com/v1' }, error: { code: 'ECONNRESET', message: 'socket hang up' } }],
    })
    expect(texts(result)).toEqual(['ECONNRESET request to https://api.example.com/v1 failed, reason: socket hang up'])
  })
})

describe('replay: requests no exchange answers', () => {
  it('the fetch rejects with a FetchError of type system and code ERR_HTTP_UNMATCHED', async () => {
    const result = await run(`
      try { await fetch('https://api.example.com/none') } catch (e) { console.log(e.name, e.type, e.code, e.message.split('\\n')[0]) }`)
    expect(texts(result)).toEqual([
      'FetchError system ERR_HTTP_UNMATCHED request to https://api.example.com/none failed, reason: no fixture exchange matches GET https://api.example.com/none; the fixture has no http exchanges',
    ])
  })

  it('fails the run with ERR_HTTP_UNMATCHED even when the action swallows the rejection, naming the closest candidates', async () => {
    const result = await run(`
      try { await fetch('https://api.example.com/itemz?page=1', { method: 'POST', body: 'x' }) } catch (e) {}
      ChatlayerResponseBuilder().addMessage('all good').send()`, {
      http: [
        { request: { method: 'GET', url: 'https://other.example.com/' }, response: {} },
        { request: { method: 'POST', url: 'https://api.example.com/items?page=1' }, response: {} },
        { request: { method: 'GET', url: 'https://api.example.com/itemz?page=1' }, response: {} },
        { request: { urlPattern: 'nothing-like-it' }, response: {} },
      ],
    })
    expect(result.ok).toBe(false)
    expect(result.response).toBeNull()
    expect(result.error).toEqual({
      code: 'ERR_HTTP_UNMATCHED',
      message: [
        'no fixture exchange matches POST https://api.example.com/itemz?page=1; closest candidates:',
        '  #3 GET https://api.example.com/itemz?page=1: method is POST, not GET',
        '  #2 POST https://api.example.com/items?page=1: url differs (fixture: https://api.example.com/items?page=1)',
        `  #4 * nothing-like-it: url does not match nothing-like-it${SWALLOWED}`,
        HINT,
      ].join('\n'),
    })
    expect(result.requests).toEqual([{ method: 'POST', url: 'https://api.example.com/itemz?page=1', status: null, durationMs: expect.any(Number), error: 'ERR_HTTP_UNMATCHED' }])
  })

  it('with no exchanges at all the message says so', async () => {
    const result = await run("await fetch('https://api.example.com/none')")
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(result.error?.message).toBe(`no fixture exchange matches GET https://api.example.com/none; the fixture has no http exchanges\n${HINT}`)
  })

  it('counts the further unmatched requests in the message', async () => {
    const result = await run(`
      for (const p of ['a', 'b', 'c']) { try { await fetch('https://api.example.com/' + p) } catch (e) {} }
      ChatlayerResponseBuilder().send()`)
    expect(result.error?.message).toBe(`no fixture exchange matches GET https://api.example.com/a; the fixture has no http exchanges\n(and 2 more unmatched requests)${SWALLOWED}\n${HINT}`)
  })

  it('ERR_HTTP_UNMATCHED takes precedence over the ERR_ACTION_THREW it causes', async () => {
    const result = await run("const r = await fetch('https://api.example.com/none')\nChatlayerResponseBuilder().send()")
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(result.error?.message).toBe(`no fixture exchange matches GET https://api.example.com/none; the fixture has no http exchanges\n${HINT}`)
  })

  it('ERR_HTTP_UNMATCHED takes precedence over an unrelated uncaught throw', async () => {
    const result = await run("fetch('https://api.example.com/none').catch(() => {})\nawait new Promise(r => _.delay(r, 20))\nthrow new Error('unrelated')")
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
  })

  it('ERR_TIMEOUT takes precedence over ERR_HTTP_UNMATCHED', async () => {
    const result = await run("fetch('https://api.example.com/none').catch(() => {})\nawait new Promise(r => _.delay(r, 20))\nwhile (true) {}", {}, { timeoutMs: 300 })
    expect(result.requests.map(r => r.error)).toEqual(['ERR_HTTP_UNMATCHED'])
    expect(result.error?.code).toBe('ERR_TIMEOUT')
  })

  it('ERR_MEMORY takes precedence over ERR_HTTP_UNMATCHED', async () => {
    const result = await run("fetch('https://api.example.com/none').catch(() => {})\nawait new Promise(r => _.delay(r, 20))\nconst hoard = []\nwhile (true) hoard.push(new Array(1e5).fill(1))", {}, { memoryMb: 16 })
    expect(result.requests.map(r => r.error)).toEqual(['ERR_HTTP_UNMATCHED'])
    expect(result.error?.code).toBe('ERR_MEMORY')
  })
})

describe('replay: redirects', () => {
  it('follows redirects hop by hop, each hop matched against the fixture and listed in requests', async () => {
    const result = await run(`
      const r = await fetch('https://api.example.com/start', { method: 'POST', body: 'x=1' })
      console.log(r.status, r.url, r.redirected, await r.text())`, {
      http: [
        { request: { method: 'POST', url: 'https://api.example.com/start', body: 'x=1' }, response: { status: 307, headers: { location: '/moved' } } },
        { request: { method: 'POST', url: 'https://api.example.com/moved', body: 'x=1' }, response: { status: 303, headers: { Location: 'https://cdn.example.com/result' } } },
        { request: { method: 'GET', url: 'https://cdn.example.com/result' }, response: { status: 200, body: 'done' } },
      ],
    })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['200 https://cdn.example.com/result true done'])
    expect(result.requests.map(({ method, url, status, exchange }) => ({ method, url, status, exchange }))).toEqual([
      { method: 'POST', url: 'https://api.example.com/start', status: 307, exchange: 0 },
      { method: 'POST', url: 'https://api.example.com/moved', status: 303, exchange: 1 },
      { method: 'GET', url: 'https://cdn.example.com/result', status: 200, exchange: 2 },
    ])
  })

  it('a redirect hop no exchange answers is listed and fails the run with ERR_HTTP_UNMATCHED', async () => {
    const result = await run("try { await fetch('https://api.example.com/start') } catch (e) { console.log(e.code) }", {
      http: [{ request: { url: 'https://api.example.com/start' }, response: { status: 301, headers: { location: '/gone' } } }],
    })
    expect(texts(result)).toEqual(['ERR_HTTP_UNMATCHED'])
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(result.requests.map(({ url, status, error }) => ({ url, status, error }))).toEqual([
      { url: 'https://api.example.com/start', status: 301, error: undefined },
      { url: 'https://api.example.com/gone', status: null, error: 'ERR_HTTP_UNMATCHED' },
    ])
  })
})

import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runAction, type FixtureInput, type HttpExchange, type RunOptions, type RunResult } from '../runner/index.ts'

const RESPONSE_FIXTURE = fileURLToPath(new URL('./fixtures/sandbox/fetch-response.yaml', import.meta.url))
const ITEMS = 'https://api.example.com/items?page=2'
const DEFAULT_USER_AGENT = 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)'

function run (source: string, fixture: FixtureInput = {}, options: RunOptions = {}): Promise<RunResult> {
  return runAction({ source }, fixture, options)
}

const texts = (result: RunResult): string[] => result.logs.map(l => l.text)

/** One exchange answering `url` with `response`. */
function answer (url: string, response: HttpExchange['response'] = {}): HttpExchange {
  return { request: { url }, response }
}

/** A chain of `redirects` 302 hops /0 → /1 → ... ending in a 200 at /<redirects>. */
function redirectChain (redirects: number): HttpExchange[] {
  const http: HttpExchange[] = []
  for (let i = 0; i < redirects; i++) http.push(answer(`https://r.example.com/${i}`, { status: 302, headers: { location: `/${i + 1}` } }))
  http.push(answer(`https://r.example.com/${redirects}`, { status: 200, body: 'end' }))
  return http
}

describe('fetch: responses', () => {
  it('resolves for 4xx and 5xx statuses with ok false instead of rejecting', async () => {
    const result = await run(`
      for (const path of ['missing', 'broken', 'fine']) {
        const r = await fetch('https://api.example.com/' + path)
        console.log(r.status, r.ok, r.statusText)
      }`, {
      http: [answer('https://api.example.com/missing', { status: 404 }), answer('https://api.example.com/broken', { status: 500 }), answer('https://api.example.com/fine', { status: 204 })],
    })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['404 false Not Found', '500 false Internal Server Error', '204 true No Content'])
  })

  it('Response exposes ok, status, statusText, url and redirected', async () => {
    const result = await run(`
      const r = await fetch('${ITEMS}')
      console.log(JSON.stringify({ ok: r.ok, status: r.status, statusText: r.statusText, url: r.url, redirected: r.redirected }))`, RESPONSE_FIXTURE)
    expect(JSON.parse(texts(result)[0])).toEqual({ ok: true, status: 200, statusText: 'OK', url: ITEMS, redirected: false })
  })

  it('Response.statusText is the fixture\'s own when given', async () => {
    const result = await run("const r = await fetch('https://api.example.com/x'); console.log(r.status, r.ok, r.statusText)", {
      http: [answer('https://api.example.com/x', { status: 299, statusText: 'Custom Reason' })],
    })
    expect(texts(result)).toEqual(['299 true Custom Reason'])
  })

  it('headers.get is case-insensitive, joins repeated values with ", " and gives null for an absent header', async () => {
    const result = await run(`
      const r = await fetch('${ITEMS}')
      console.log(JSON.stringify([r.headers.get('set-cookie'), r.headers.get('X-TRACE'), r.headers.get('Content-Type'), r.headers.get('x-none')]))`, RESPONSE_FIXTURE)
    expect(JSON.parse(texts(result)[0])).toEqual(['a=1, b=2', 'abc', 'application/json; charset=utf-8', null])
  })

  it('headers.has is case-insensitive', async () => {
    const result = await run(`const r = await fetch('${ITEMS}'); console.log(r.headers.has('X-Trace'), r.headers.has('set-COOKIE'), r.headers.has('x-none'))`, RESPONSE_FIXTURE)
    expect(texts(result)).toEqual(['true true false'])
  })

  it('headers.forEach, entries, keys, values and iteration go in sorted lower-case name order', async () => {
    const result = await run(`
      const r = await fetch('${ITEMS}')
      const seen = []
      r.headers.forEach((value, name) => seen.push([name, value]))
      console.log(JSON.stringify({ seen, entries: [...r.headers.entries()], keys: [...r.headers.keys()], values: [...r.headers.values()], spread: [...r.headers] }))`, RESPONSE_FIXTURE)
    const entries = [['content-type', 'application/json; charset=utf-8'], ['set-cookie', 'a=1, b=2'], ['x-trace', 'abc']]
    expect(JSON.parse(texts(result)[0])).toEqual({
      seen: entries,
      entries,
      keys: ['content-type', 'set-cookie', 'x-trace'],
      values: ['application/json; charset=utf-8', 'a=1, b=2', 'abc'],
      spread: entries,
    })
  })

  it('headers.raw() gives every value of every header as a list', async () => {
    const result = await run(`const r = await fetch('${ITEMS}'); console.log(JSON.stringify(r.headers.raw()))`, RESPONSE_FIXTURE)
    expect(JSON.parse(texts(result)[0])).toEqual({
      'x-trace': ['abc'],
      'set-cookie': ['a=1', 'b=2'],
      'content-type': ['application/json; charset=utf-8'],
    })
  })

  it('json() parses the body and bodyUsed turns true', async () => {
    const result = await run(`
      const r = await fetch('${ITEMS}')
      console.log(r.bodyUsed)
      const body = await r.json()
      console.log(r.bodyUsed, JSON.stringify(body))`, RESPONSE_FIXTURE)
    expect(texts(result)).toEqual(['false', 'true {"items":[{"id":1},{"id":2}],"next":null}'])
  })

  it('text() returns the body as UTF-8 text', async () => {
    const result = await run("const r = await fetch('https://api.example.com/t'); console.log(await r.text())", {
      http: [answer('https://api.example.com/t', { body: 'Grüße ✓' })],
    })
    expect(texts(result)).toEqual(['Grüße ✓'])
  })

  it('clone() gives a second readable body; cloning a used body throws', async () => {
    const result = await run(`
      const r = await fetch('${ITEMS}')
      const copy = r.clone()
      const text = await r.text()
      console.log(r.bodyUsed, copy.bodyUsed, (await copy.json()).items.length, text.length > 0)
      try { r.clone() } catch (e) { console.log(e.name, e.message) }`, RESPONSE_FIXTURE)
    expect(texts(result)).toEqual(['true false 2 true', 'Error cannot clone body after it is used'])
  })

  it('json() on a body that is not JSON rejects with FetchError invalid json response body at <url> reason: <parser message>', async () => {
    const result = await run(`
      const r = await fetch('https://api.example.com/html')
      try { await r.json() } catch (e) { console.log(JSON.stringify({ name: e.name, type: e.type, message: e.message, isError: e instanceof Error })) }`, {
      http: [answer('https://api.example.com/html', { status: 502, headers: { 'content-type': 'text/html' }, body: 'not json' })],
    })
    expect(JSON.parse(texts(result)[0])).toEqual({
      name: 'FetchError',
      type: 'invalid-json',
      message: 'invalid json response body at https://api.example.com/html reason: Unexpected token \'o\', "not json" is not valid JSON',
      isError: true,
    })
  })

  it('json() on an empty body rejects with FetchError invalid json response body at <url> reason: Unexpected end of JSON input', async () => {
    const result = await run("const r = await fetch('https://api.example.com/gone', { method: 'DELETE' })\ntry { await r.json() } catch (e) { console.log(r.status, e.name, e.type, e.message) }", {
      http: [answer('https://api.example.com/gone', { status: 204 })],
    })
    expect(texts(result)).toEqual(['204 FetchError invalid-json invalid json response body at https://api.example.com/gone reason: Unexpected end of JSON input'])
  })

  it('reading a body twice rejects with TypeError body used already for: <url>', async () => {
    const result = await run(`
      const r = await fetch('${ITEMS}')
      await r.json()
      for (const read of ['text', 'json', 'arrayBuffer']) {
        try { await r[read](); console.log('read again') } catch (e) { console.log(e instanceof TypeError, e.message) }
      }`, RESPONSE_FIXTURE)
    expect(texts(result)).toEqual([
      `true body used already for: ${ITEMS}`,
      `true body used already for: ${ITEMS}`,
      `true body used already for: ${ITEMS}`,
    ])
  })
})

describe('fetch: failures and node-fetch v2 options', () => {
  it('a network failure rejects with FetchError request to <url> failed, reason: ..., type system, with code and errno', async () => {
    const result = await run(`
      try { await fetch('https://down.example.com/api') } catch (e) {
        console.log(JSON.stringify({ name: e.name, type: e.type, code: e.code, errno: e.errno, message: e.message }))
      }`, { http: [{ request: { url: 'https://down.example.com/api' }, error: { code: 'ECONNREFUSED' } }] })
    expect(result.error).toBeNull()
    expect(JSON.parse(texts(result)[0])).toEqual({
      name: 'FetchError',
      type: 'system',
      code: 'ECONNREFUSED',
      errno: 'ECONNREFUSED',
      message: 'request to https://down.example.com/api failed, reason: connect ECONNREFUSED down.example.com:443',
    })
  })

  it('an uncaught network failure is ERR_ACTION_THREW with the FetchError message', async () => {
    const result = await run("await fetch('https://down.example.com/api')", {
      http: [{ request: { url: 'https://down.example.com/api' }, error: { code: 'ENOTFOUND' } }],
    })
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('FetchError: request to https://down.example.com/api failed, reason: getaddrinfo ENOTFOUND down.example.com')
  })

  it('the timeout option rejects with FetchError network timeout at: <url>, type request-timeout', async () => {
    const result = await run(`
      const started = Date.now()
      try { await fetch('https://slow.example.com/api', { timeout: 100 }) } catch (e) {
        console.log(JSON.stringify({ name: e.name, type: e.type, message: e.message }), Date.now() - started < 1000)
      }
      ChatlayerResponseBuilder().send()`, { http: [answer('https://slow.example.com/api', { delayMs: 2000 })] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['{"name":"FetchError","type":"request-timeout","message":"network timeout at: https://slow.example.com/api"} true'])
  })

  it('the timeout option lets an answer that arrives in time through', async () => {
    const result = await run("const r = await fetch('https://slow.example.com/api', { timeout: 2000 }); console.log(r.status)", {
      http: [answer('https://slow.example.com/api', { status: 201, delayMs: 50 })],
    })
    expect(texts(result)).toEqual(['201'])
  })

  it('the timeout starts again on each redirect hop, and its error names the hop that timed out (node-fetch v2)', async () => {
    // Two hops of 250 ms each under a 400 ms timeout: node-fetch gives each hop the whole timeout,
    // so this succeeds; the third fetch's second hop alone is too slow.
    const hop = (from: string, to: string | null, delayMs: number): HttpExchange =>
      answer(`https://r.example.com/${from}`, to ? { status: 302, headers: { location: `/${to}` }, delayMs } : { status: 200, body: from, delayMs })
    const result = await run(`
      const ok = await fetch('https://r.example.com/a', { timeout: 400 })
      console.log(ok.status, await ok.text())
      try { await fetch('https://r.example.com/c', { timeout: 400 }) } catch (e) { console.log(e.type, e.message) }`, {
      http: [hop('a', 'b', 250), hop('b', null, 250), hop('c', 'd', 50), hop('d', null, 1500)],
    })
    expect(texts(result)).toEqual(['200 b', 'request-timeout network timeout at: https://r.example.com/d'])
    expect(result.requests.map(r => `${r.url} ${r.status ?? r.error}`)).toEqual([
      'https://r.example.com/a 302', 'https://r.example.com/b 200', 'https://r.example.com/c 302', 'https://r.example.com/d request-timeout',
    ])
  })

  it('an error exchange with delayMs fails after that delay, or times out first when the fetch has a shorter timeout', async () => {
    const result = await run(`
      for (const timeout of [0, 100]) {
        const started = Date.now()
        try { await fetch('https://down.example.com/api', { timeout }) } catch (e) { console.log(e.type, e.code, Date.now() - started >= 90) }
      }`, { http: [{ request: { url: 'https://down.example.com/api' }, error: { code: 'ECONNRESET', delayMs: 300 }, times: 2 }] })
    expect(texts(result)).toEqual(['system ECONNRESET true', 'request-timeout undefined true'])
    expect(result.requests.map(r => r.durationMs >= 290)).toEqual([true, false])
  })

  it('an error exchange\'s delayMs must be a whole number of ms: ERR_FIXTURE names the key', async () => {
    await expect(run('await fetch("https://down.example.com/api")', { http: [{ request: { url: 'https://down.example.com/api' }, error: { code: 'ECONNRESET', delayMs: -5 } }] }))
      .rejects.toMatchObject({ code: 'ERR_FIXTURE', message: expect.stringContaining('http[0].error.delayMs') })
  })

  it('a redirect keeps Authorization only to the same host or a subdomain over the same protocol (node-fetch v2.7)', async () => {
    // Each target has two exchanges: the first matches only with the header, the second without.
    const target = (url: string): HttpExchange[] => [
      { request: { url, headers: { authorization: 'Bearer t' } }, response: { body: 'kept' } },
      { request: { url }, response: { body: 'dropped' } },
    ]
    const from = (path: string, location: string): HttpExchange => answer(`https://api.x.example/${path}`, { status: 302, headers: { location } })
    const result = await run(`
      for (const path of ['same', 'sub', 'parent', 'http']) {
        const r = await fetch('https://api.x.example/' + path, { headers: { Authorization: 'Bearer t' } })
        console.log(path, await r.text())
      }`, {
      http: [
        from('same', '/landed'), ...target('https://api.x.example/landed'),
        from('sub', 'https://eu.api.x.example/landed'), ...target('https://eu.api.x.example/landed'),
        from('parent', 'https://x.example/landed'), ...target('https://x.example/landed'),
        from('http', 'http://api.x.example/landed'), ...target('http://api.x.example/landed'),
      ],
    })
    expect(texts(result)).toEqual(['same kept', 'sub kept', 'parent dropped', 'http dropped'])
  })

  it('the size option rejects a larger body with FetchError content size at <url> over limit: <size>, type max-size', async () => {
    const result = await run(`
      const big = await fetch('https://api.example.com/body', { size: 5 })
      try { await big.text() } catch (e) { console.log(e.name, e.type, e.message) }
      const fits = await fetch('https://api.example.com/body', { size: 6 })
      console.log(await fits.text())`, { http: [{ ...answer('https://api.example.com/body', { body: '123456' }), times: 2 }] })
    expect(texts(result)).toEqual(['FetchError max-size content size at https://api.example.com/body over limit: 5', '123456'])
  })

  it('follows 20 redirects by default', async () => {
    const result = await run("const r = await fetch('https://r.example.com/0'); console.log(r.status, r.url, r.redirected, await r.text())", { http: redirectChain(20) })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['200 https://r.example.com/20 true end'])
    expect(result.requests).toHaveLength(21)
  })

  it('refuses the 21st redirect with FetchError maximum redirect reached at: <url>, type max-redirect', async () => {
    const result = await run("try { await fetch('https://r.example.com/0') } catch (e) { console.log(e.name, e.type, e.message) }", { http: redirectChain(21) })
    expect(texts(result)).toEqual(['FetchError max-redirect maximum redirect reached at: https://r.example.com/20'])
  })

  it('the follow option sets the redirect limit', async () => {
    const result = await run(`
      try { await fetch('https://r.example.com/0', { follow: 1 }) } catch (e) { console.log(e.type, e.message) }
      const r = await fetch('https://r.example.com/1', { follow: 1 })
      console.log(r.status, r.url)`, { http: redirectChain(2).map((exchange, i) => i === 1 ? { ...exchange, times: 2 } : exchange) })
    expect(texts(result)).toEqual(['max-redirect maximum redirect reached at: https://r.example.com/1', '200 https://r.example.com/2'])
  })

  it('redirect: "manual" resolves with the 3xx itself and an absolute Location', async () => {
    const result = await run("const r = await fetch('https://r.example.com/0', { redirect: 'manual' }); console.log(r.status, r.redirected, r.headers.get('location'))", {
      http: redirectChain(1).slice(0, 1),
    })
    expect(texts(result)).toEqual(['302 false https://r.example.com/1'])
    expect(result.requests.map(r => r.url)).toEqual(['https://r.example.com/0'])
  })

  it('redirect: "error" rejects with FetchError uri requested responds with a redirect, redirect mode is set to error: <url>', async () => {
    const result = await run("try { await fetch('https://r.example.com/0', { redirect: 'error' }) } catch (e) { console.log(e.name, e.type, e.message) }", {
      http: redirectChain(1).slice(0, 1),
    })
    expect(texts(result)).toEqual(['FetchError no-redirect uri requested responds with a redirect, redirect mode is set to error: https://r.example.com/0'])
  })

  it('compress: false leaves out the Accept-Encoding default header', async () => {
    const result = await run(`
      const a = await fetch('https://api.example.com/c')
      const b = await fetch('https://api.example.com/c', { compress: false })
      console.log(a.status, b.status)`, {
      http: [
        { request: { url: 'https://api.example.com/c', headers: { 'accept-encoding': 'gzip,deflate' } }, response: { status: 201 } },
        { request: { url: 'https://api.example.com/c' }, response: { status: 202 } },
      ],
    })
    expect(texts(result)).toEqual(['201 202'])
  })

  it('a relative URL rejects with TypeError Only absolute URLs are supported', async () => {
    const result = await run(`
      for (const url of ['/api/items', 'api.example.com/items']) {
        try { await fetch(url) } catch (e) { console.log(e instanceof TypeError, e.message) }
      }`)
    expect(texts(result)).toEqual(['true Only absolute URLs are supported', 'true Only absolute URLs are supported'])
    expect(result.requests).toEqual([])
  })

  it('a GET or HEAD with a body rejects with TypeError Request with GET/HEAD method cannot have body', async () => {
    const result = await run(`
      for (const method of [undefined, 'GET', 'HEAD']) {
        try { await fetch('https://api.example.com/x', { method, body: 'q=1' }) } catch (e) { console.log(e instanceof TypeError, e.message) }
      }`)
    expect(texts(result)).toEqual(Array(3).fill('true Request with GET/HEAD method cannot have body'))
    expect(result.requests).toEqual([])
  })
})

describe('fetch: request bodies and default headers', () => {
  it('sends node-fetch v2 default headers, visible to header matchers', async () => {
    const result = await run("const r = await fetch('https://api.example.com/h'); console.log(r.status)", {
      http: [{
        request: {
          url: 'https://api.example.com/h',
          headers: { Accept: '*/*', 'User-Agent': DEFAULT_USER_AGENT, 'Accept-Encoding': 'gzip,deflate', Connection: 'close' },
        },
        response: { status: 200 },
      }],
    })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['200'])
  })

  it('a string body without its own content type is sent as text/plain;charset=UTF-8', async () => {
    const result = await run("await fetch('https://api.example.com/p', { method: 'POST', body: JSON.stringify({ a: 1 }) }); ChatlayerResponseBuilder().send()", {
      http: [{ request: { method: 'POST', url: 'https://api.example.com/p', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '{"a":1}' }, response: {} }],
    })
    expect(result.error).toBeNull()
    expect(result.requests.map(r => r.status)).toEqual([200])
  })

  it("the action's own headers replace the defaults", async () => {
    const result = await run(`
      await fetch('https://api.example.com/p', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'bot/1' }, body: '{}' })
      ChatlayerResponseBuilder().send()`, {
      http: [{ request: { url: 'https://api.example.com/p', headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'bot/1' } }, response: {} }],
    })
    expect(result.error).toBeNull()
  })

  it('a plain object body is sent as the string [object Object] with content type text/plain;charset=UTF-8, and warns', async () => {
    const result = await run("await fetch('https://api.example.com/p', { method: 'POST', body: { name: 'Ann' } }); ChatlayerResponseBuilder().send()", {
      http: [{ request: { method: 'POST', url: 'https://api.example.com/p', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '[object Object]' }, response: {} }],
    })
    expect(result.error).toBeNull()
    expect(result.requests.map(r => r.status)).toEqual([200])
    expect(result.warnings).toEqual([
      "fetch(POST https://api.example.com/p) got a plain object as body: node-fetch v2 sends it as the string \"[object Object]\"; pass JSON.stringify(body) and a 'Content-Type: application/json' header",
    ])
  })
})

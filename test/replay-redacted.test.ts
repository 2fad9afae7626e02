import { describe, expect, it } from 'vitest'
import { runAction } from '../runner/index.ts'

const post = (url: string, body: string): string =>
  `const r = await fetch('${url}', { method: 'POST', body: ${JSON.stringify(body)} }); ChatlayerResponseBuilder().addMessage(String(r.status)).send()`

describe('replay: <redacted> in request body matchers (contract §2.3)', () => {
  it('a json matcher accepts any value where a recorded secret was redacted', async () => {
    const result = await runAction(post('https://x.example.com/login', JSON.stringify({ user: 'u', password: 'hunter2' })), {
      http: [{ request: { url: 'https://x.example.com/login', json: { user: 'u', password: '<redacted>' } }, response: { status: 201 } }],
    })
    expect(result.error).toBeNull()
    expect(result.messages[0].config.textMessages[0].text).toBe('201')
  })

  it('a json matcher still requires every other value and the redacted key itself', async () => {
    const result = await runAction(post('https://x.example.com/login', JSON.stringify({ user: 'other' })), {
      http: [{ request: { url: 'https://x.example.com/login', json: { user: 'u', password: '<redacted>' } }, response: { status: 201 } }],
    })
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(result.error?.message).toContain('json body differs: {"user":"other"}')
  })

  it('a raw body matcher accepts any text where a secret was redacted, and nothing else differs', async () => {
    const ok = await runAction(post('https://x.example.com/raw', 'token=abc.def&x=1'), {
      http: [{ request: { url: 'https://x.example.com/raw', body: 'token=<redacted>&x=1' }, response: { status: 202 } }],
    })
    expect(ok.messages[0].config.textMessages[0].text).toBe('202')
    const bad = await runAction(post('https://x.example.com/raw', 'token=abc.def&x=2'), {
      http: [{ request: { url: 'https://x.example.com/raw', body: 'token=<redacted>&x=1' }, response: { status: 202 } }],
    })
    expect(bad.error?.code).toBe('ERR_HTTP_UNMATCHED')
  })
})

describe('replay: <redacted> inside a longer text', () => {
  const call = (body: unknown, auth: string): string =>
    `const r = await fetch('https://x.example.com/api', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: ${JSON.stringify(auth)} }, body: JSON.stringify(${JSON.stringify(body)}) }); ChatlayerResponseBuilder().addMessage(String(r.status)).send()`
  const fixture = {
    http: [{
      request: { url: 'https://x.example.com/api', headers: { authorization: 'Bearer <redacted>' }, json: { note: 'token <redacted> for ada', n: 1 } },
      response: { status: 200 },
    }],
  }

  it('a json string and a header value match with any text where the secret was', async () => {
    const result = await runAction(call({ note: 'token s3cr3t.value for ada', n: 1 }, 'Bearer pat.s3cr3t'), fixture)
    expect(result.error, result.error?.message).toBeNull()
    expect(result.messages[0].config.textMessages[0].text).toBe('200')
  })

  it('the text around the secret must still be as recorded', async () => {
    const json = await runAction(call({ note: 'token s3cr3t for bob', n: 1 }, 'Bearer pat.s3cr3t'), fixture)
    expect(json.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(json.error?.message).toContain('json body differs')
    const header = await runAction(call({ note: 'token s3cr3t for ada', n: 1 }, 'Basic pat.s3cr3t'), fixture)
    expect(header.error?.code).toBe('ERR_HTTP_UNMATCHED')
    expect(header.error?.message).toContain('header authorization is "Basic pat.s3cr3t"')
    const type = await runAction(call({ note: 42, n: 1 }, 'Bearer x'), fixture)
    expect(type.error?.code).toBe('ERR_HTTP_UNMATCHED')
  })
})

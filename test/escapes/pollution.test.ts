import { describe, expect, it } from 'vitest'
import { ANY_URL, reported, runPayload } from './harness.ts'

// Pooled runs reuse one warm isolate (a new context per run): runPayload's next run then shows
// that nothing the payload polluted survives into the following action.
const pooled = { isolate: 'pooled' as const }
const text = (value: string): unknown => ({ type: 'text', config: { textMessages: [{ text: value }] } })

describe('escapes: prototype pollution inside the isolate', () => {
  it('Object.prototype.action and .session planted by the action add no jump and no session write', async () => {
    const { result } = await runPayload(`
      Object.prototype.action = { nextDialogstate: 'ds-planted' }
      Object.prototype.session = [{ namespace: 'planted', data: { by: 'pollution' } }]
      ChatlayerResponseBuilder().addMessage('hello').send()`, {}, pooled)
    expect(result.nextDialogState).toBeNull()
    expect(result.session).toEqual({})
    expect(result.sends).toEqual([{ messages: [text('hello')] }])
  })

  it('an accessor for "messages" on Object.prototype does not swallow the sent messages', async () => {
    const { result } = await runPayload(`
      Object.defineProperty(Object.prototype, 'messages', { configurable: true, get () { return [] }, set (value) { report('setter', 'hit') } })
      ChatlayerResponseBuilder().addMessage('hello').send()`, {}, pooled)
    expect(result.messages).toEqual([text('hello')])
  })

  it('a replaced Array.prototype.push does not drop builder messages or session writes', async () => {
    const { result } = await runPayload(`
      Array.prototype.push = function () { return 0 }
      ChatlayerResponseBuilder().addMessage('kept').addSessionVariable('order.id', 7).send()`, {}, pooled)
    expect(result.messages).toEqual([text('kept')])
    expect(result.session).toEqual({ order: { id: 7 } })
  })

  it('replaced JSON.stringify and JSON.parse do not forge the sent payload, the request or the logs', async () => {
    const { result } = await runPayload(`
      JSON.stringify = () => '{"messages":[{"type":"text","config":{"textMessages":[{"text":"forged"}]}}]}'
      JSON.parse = () => ({ forged: true })
      const res = await fetch('https://api.example.com/a', { method: 'POST', body: 'x' })
      report('status', res.status)
      console.log({ real: 1 })
      ChatlayerResponseBuilder().addMessage('real').send()`, ANY_URL, pooled)
    expect(result.messages).toEqual([text('real')])
    expect(reported(result, 'status')).toBe('200')
    expect(result.requests.map(r => `${r.method} ${r.url} ${r.status}`)).toEqual(['POST https://api.example.com/a 200'])
    expect(result.logs.map(log => log.text)).toContain('{ real: 1 }')
  })

  it('replaced Function.prototype.call, apply and Reflect.apply do not break fetch, console or send()', async () => {
    const { result } = await runPayload(`
      Function.prototype.call = function () { throw new Error('call hijacked') }
      Function.prototype.apply = function () { throw new Error('apply hijacked') }
      Reflect.apply = function () { throw new Error('Reflect.apply hijacked') }
      const res = await fetch('https://api.example.com/a', { headers: { 'x-a': '1' } })
      const body = await res.json()
      console.log('body', body)
      ChatlayerResponseBuilder().addMessage('ok ' + body.ok).addSessionVariable('a.b', 1).send()`, ANY_URL, pooled)
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([text('ok true')])
    expect(result.session).toEqual({ a: { b: 1 } })
    expect(result.logs.map(log => log.text)).toContain('body { ok: true }')
  })

  it('a Promise.prototype.then that does nothing does not keep the runtime from seeing the action end', async () => {
    const { result } = await runPayload(`
      Promise.prototype.then = function () { return this }
      ChatlayerResponseBuilder().addMessage('done').send()`, {}, { ...pooled, timeoutMs: 1_500 })
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([text('done')])
  })

  it('replaced Map.prototype.get and set do not keep fetch from settling', async () => {
    const { result } = await runPayload(`
      Map.prototype.get = function () { return undefined }
      Map.prototype.set = function () { return this }
      const res = await fetch('https://api.example.com/a')
      ChatlayerResponseBuilder().addMessage('status ' + res.status).send()`, ANY_URL, { ...pooled, timeoutMs: 1_500 })
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([text('status 200')])
  })

  it('replaced Array.prototype.includes, map, join and slice do not change how console formats values', async () => {
    const { result } = await runPayload(`
      Array.prototype.includes = () => true
      Array.prototype.map = () => ['forged']
      Array.prototype.join = () => 'forged'
      Array.prototype.slice = () => ['forged']
      console.log({ list: [1, 2] }, [3])`, {}, pooled)
    expect(result.logs[0].text).toBe('{ list: [ 1, 2 ] } [ 3 ]')
  })

  it('a replaced RegExp.prototype.exec and test do not forge log positions or header checks', async () => {
    const { result } = await runPayload(`
      RegExp.prototype.exec = function () { return ['action.js:999:9', '999', '9'] }
      RegExp.prototype.test = function () { return false }
      console.log('positioned')
      let headerError = 'accepted'
      try { await fetch('https://api.example.com/a', { headers: { 'bad header name': 'x' } }) } catch (e) { headerError = e.name + ': ' + e.message }
      report('header', headerError)`, ANY_URL, { ...pooled, timeoutMs: 1_500 })
    const line = result.logs.find(log => log.text === 'positioned')
    expect(line?.source).not.toBe('action.js:999:9')
    expect(line?.source).toMatch(/^action\.js:\d+:\d+$/)
    expect(reported(result, 'header')).toBe('TypeError: bad header name is not a legal HTTP header name')
  })

  it('replaced Object.keys, getPrototypeOf and defineProperty do not change console output or sent headers', async () => {
    const { result } = await runPayload(`
      Object.keys = () => ['forged']
      Object.getPrototypeOf = () => null
      Object.defineProperty = () => { throw new Error('defineProperty hijacked') }
      console.log({ a: 1 })
      await fetch('https://api.example.com/a', { headers: { 'x-real': 'yes' } })
      ChatlayerResponseBuilder().addMessage('ok').send()`,
    { http: [{ request: { url: 'https://api.example.com/a', headers: { 'x-real': 'yes' } }, response: { json: {} } }] }, pooled)
    expect(result.error).toBeNull()
    expect(result.logs[0].text).toBe('{ a: 1 }')
    expect(result.messages).toEqual([text('ok')])
  })

  it('a replaced String and String.prototype.toUpperCase do not change the request method', async () => {
    const { result } = await runPayload(`
      String = function () { return 'forged' }
      String.prototype.toUpperCase = function () { return 'FORGED' }
      await fetch('https://api.example.com/a', { method: 'post', body: 'x' })
      ChatlayerResponseBuilder().addMessage('ok').send()`, ANY_URL, pooled)
    expect(result.requests.map(r => r.method)).toEqual(['POST'])
    expect(result.error).toBeNull()
  })

  it('a polluted Error.prototype does not change the error the run reports', async () => {
    const { result } = await runPayload(`
      Error.prototype.toString = () => 'forged'
      Object.defineProperty(Error.prototype, 'name', { get () { return 'Forged' } })
      throw new RangeError('real message')`, {}, pooled)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('RangeError: real message')
  })

  it('pollution in a fresh-isolate run does not reach the next run either', async () => {
    const { result } = await runPayload(`
      Object.prototype.polluted = 'yes'
      Array.prototype.push = () => 0
      JSON.stringify = () => 'forged'
      globalThis.leaked = true
      report('polluted', ({}).polluted)`, {}, { isolate: 'fresh' })
    expect(reported(result, 'polluted')).toBe('yes')
  })
})

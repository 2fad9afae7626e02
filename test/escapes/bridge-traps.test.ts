import { describe, expect, it } from 'vitest'
import { ANY_URL, BLOCKED, reported, runPayload } from './harness.ts'

/**
 * `probeTrap(callee, self)`, called from inside a trap, says who called it and what its `this`
 * leads to. Traps are `function` expressions: only those have a `.caller` V8 fills in (null when
 * the caller is strict, as the runtime is).
 */
const TRAPS = `
const seen = []
const probeTrap = (name, callee, self) => {
  let caller
  try { caller = callee.caller === null ? 'null' : typeof callee.caller === 'function' ? attempt(callee.caller.constructor) : typeof callee.caller } catch (e) { caller = e.name }
  const reached = self !== undefined && self !== null ? attempt(self.constructor.constructor) : 'no this'
  seen.push(name + ' caller=' + caller + ' this=' + (reached === ${JSON.stringify(BLOCKED)} ? 'isolate' : reached))
}
`

describe('escapes: traps on values crossing into the runtime', () => {
  it('fetch reads a URL object through toString, Symbol.toPrimitive or href inside the isolate only', async () => {
    const { result } = await runPayload(`${TRAPS}
      await fetch({ toString: function () { probeTrap('toString', arguments.callee, this); return 'https://api.example.com/to-string' } })
      await fetch({ [Symbol.toPrimitive]: function (hint) { probeTrap('toPrimitive:' + hint, arguments.callee, this); return 'https://api.example.com/to-primitive' } })
      await fetch({ get href () { seen.push('href'); return 'https://api.example.com/href' } })
      report('seen', [...new Set(seen)].join(' | '))`, ANY_URL)
    expect(reported(result, 'seen')).toBe('toString caller=null this=isolate | toPrimitive:string caller=null this=isolate | href')
    expect(result.requests.map(r => r.url)).toEqual(['https://api.example.com/to-string', 'https://api.example.com/to-primitive', 'https://api.example.com/href'])
  })

  it('getters on the fetch init object run with a null caller and send what they return', async () => {
    const { result } = await runPayload(`${TRAPS}
      const init = {}
      for (const key of ['method', 'headers', 'body', 'redirect', 'timeout']) {
        Object.defineProperty(init, key, { enumerable: true, get: function () {
          probeTrap(key, arguments.callee, this)
          return { method: 'POST', headers: { 'x-trap': 'yes' }, body: '{"a":1}' }[key]
        } })
      }
      const res = await fetch('https://api.example.com/orders', init)
      report('status', res.status)
      report('seen', seen.join(' | '))`,
    { http: [{ request: { method: 'POST', url: 'https://api.example.com/orders', headers: { 'x-trap': 'yes' }, json: { a: 1 } }, response: { status: 201, json: {} } }] })
    expect(reported(result, 'status')).toBe('201')
    expect(reported(result, 'seen')).toBe(['method', 'headers', 'body', 'redirect', 'timeout'].map(k => `${k} caller=null this=isolate`).join(' | '))
    expect(result.error).toBeNull()
  })

  it('a Proxy as headers and header values with toString are read inside the isolate and sent as text', async () => {
    const { result } = await runPayload(`${TRAPS}
      const headers = new Proxy({ 'x-proxied': 'p' }, {
        ownKeys (target) { seen.push('ownKeys'); return Reflect.ownKeys(target) },
        get (target, key) { seen.push('get ' + String(key)); return Reflect.get(target, key) },
      })
      await fetch('https://api.example.com/h1', { headers })
      await fetch('https://api.example.com/h2', { headers: { 'x-value': { toString: function () { probeTrap('value', arguments.callee, this); return 'from-toString' } } } })
      report('seen', seen.join(' | '))`,
    { http: [
      { request: { url: 'https://api.example.com/h1', headers: { 'x-proxied': 'p' } }, response: { json: {} } },
      { request: { url: 'https://api.example.com/h2', headers: { 'x-value': 'from-toString' } }, response: { json: {} } },
    ] })
    expect(reported(result, 'seen')).toBe('get Symbol(Symbol.iterator) | ownKeys | get x-proxied | value caller=null this=isolate')
    expect(result.requests.map(r => r.status)).toEqual([200, 200])
    expect(result.error).toBeNull()
  })

  it('a body object is sent as its toString text, with a warning, and its traps stay in the isolate', async () => {
    const { result } = await runPayload(`${TRAPS}
      const body = {
        toString: function () { probeTrap('toString', arguments.callee, this); return 'custom body' },
        valueOf: function () { seen.push('valueOf'); return 'valueOf body' },
        toJSON: function () { seen.push('toJSON'); return 'toJSON body' },
      }
      await fetch('https://api.example.com/upload', { method: 'POST', body })
      report('seen', [...new Set(seen)].join(' | '))`,
    { http: [{ request: { url: 'https://api.example.com/upload', body: 'custom body' }, response: { json: {} } }] })
    expect(reported(result, 'seen')).toBe('toString caller=null this=isolate')
    expect(result.warnings).toContain('fetch(POST https://api.example.com/upload) got a plain object as body: node-fetch v2 sends it as the string "custom body"; pass JSON.stringify(body) and a \'Content-Type: application/json\' header')
    expect(result.error).toBeNull()
  })

  it('console formats objects with getters, toJSON and toPrimitive traps inside the isolate', async () => {
    const { result } = await runPayload(`${TRAPS}
      const value = {
        get a () { seen.push('getter'); return typeof process },
        toJSON: function () { probeTrap('toJSON', arguments.callee, this); return 'J' },
        [Symbol.toPrimitive]: function (hint) { probeTrap('toPrimitive:' + hint, arguments.callee, this); return 7 },
      }
      console.log(value)
      console.log('%j %i', value, value)
      report('seen', seen.join(' | '))`)
    const texts = result.logs.map(log => log.text)
    expect(texts[0]).toBe("{ a: 'undefined', toJSON: [Function: toJSON] }")
    expect(texts[1]).toBe('"J" 7')
    expect(reported(result, 'seen')).toBe('getter | toJSON caller=null this=isolate | toPrimitive:string caller=null this=isolate')
  })

  it('send() serialises toJSON and getters of the payload inside the isolate, with their results only', async () => {
    const { result } = await runPayload(`${TRAPS}
      ChatlayerResponseBuilder()
        .addMessage({ toJSON: function () { probeTrap('toJSON', arguments.callee, this); return 'from toJSON, process is ' + typeof process } })
        .addJSONResponse({ get html () { seen.push('getter'); return '<b>' + typeof require + '</b>' } })
        .setNextDialogState({ toJSON: function () { seen.push('dialog toJSON'); return 'ds-json' } })
        .send()
      report('seen', seen.join(' | '))`)
    expect(result.messages).toEqual([
      { type: 'text', config: { textMessages: [{ text: 'from toJSON, process is undefined' }] } },
      { type: 'JSONTemplate', config: { html: '<b>undefined</b>' } },
    ])
    expect(result.nextDialogState).toBe('ds-json')
    expect(reported(result, 'seen')).toBe('getter | dialog toJSON | toJSON caller=null this=isolate')
  })

  it('getters planted in the live builder state are read once, inside the isolate', async () => {
    const { result } = await runPayload(`
      const builder = ChatlayerResponseBuilder()
      let reads = 0
      builder.toJSON().action = { get nextDialogstate () { reads++; return 'ds-' + typeof process } }
      builder.toJSON().session = [{ namespace: 'probe', get data () { return { require: typeof require } } }]
      builder.send()
      report('reads', reads)`)
    expect(result.nextDialogState).toBe('ds-undefined')
    expect(result.session).toEqual({ probe: { require: 'undefined' } })
    expect(reported(result, 'reads')).toBe('1')
  })

  it('a toJSON that throws during send() is the action\'s own ERR_ACTION_THREW', async () => {
    const { result } = await runPayload(`
      ChatlayerResponseBuilder().addMessage({ toJSON () { throw new TypeError('toJSON refused') } }).send()`)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('TypeError: toJSON refused')
    expect(result.sends).toEqual([])
  })

  it('send() through a Proxy of the builder publishes the real state, and later changes are not sent', async () => {
    const { result } = await runPayload(`
      const traps = []
      const text = new Proxy({ text: 'hi' }, {
        get (target, key, receiver) { traps.push(String(key)); return key === 'toJSON' ? undefined : Reflect.get(target, key, receiver) },
        ownKeys (target) { traps.push('ownKeys'); return Reflect.ownKeys(target) },
      })
      const builder = new Proxy(ChatlayerResponseBuilder(), {})
      builder.addJSONResponse(text).send()
      builder.addMessage('after send')
      report('traps', traps.join(','))`)
    expect(result.sends).toEqual([{ messages: [{ type: 'JSONTemplate', config: { text: 'hi' } }] }])
    // addJSONResponse copies the config once ({...config}); send() serialises the copy.
    expect(reported(result, 'traps')).toBe('ownKeys,text')
  })

  it('a Promise subclass with a custom species returned by the action gets only isolate functions', async () => {
    const { result } = await runPayload(`
      class Sneaky extends Promise {
        static get [Symbol.species] () { report('species', 'read'); return Promise }
        then (onFulfilled, onRejected) {
          report('then', attempt(onFulfilled.constructor) + ' / ' + attempt(onRejected.constructor))
          return super.then(onFulfilled, onRejected)
        }
      }
      ChatlayerResponseBuilder().addMessage('sent').send()
      return new Sneaky(resolve => resolve('done'))`)
    // The body's own promise adopts the returned one by calling its then() with isolate resolvers.
    expect(reported(result, 'then')).toBe(`${BLOCKED} / ${BLOCKED}`)
    expect(reported(result, 'species')).toBe('read')
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'sent' }] } }])
  })

  it('then-able objects returned or awaited are resolved with isolate functions', async () => {
    const { result } = await runPayload(`
      const awaited = await { then (resolve, reject) { resolve(attempt(resolve.constructor) + ' / ' + attempt(reject.constructor)) } }
      report('awaited', awaited)
      ChatlayerResponseBuilder().addMessage(awaited).send()
      return { then (resolve) { resolve('returned') } }`)
    expect(reported(result, 'awaited')).toBe(`${BLOCKED} / ${BLOCKED}`)
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: `${BLOCKED} / ${BLOCKED}` }] } }])
    expect(result.error).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { ANY_URL, BLOCKED, logTexts, reported, runPayload } from './harness.ts'

// Each payload climbs `.constructor` from something the runtime gives the action and tries to
// reach Node with what it finds. Every chain must end at the isolate's own Function.
describe('escapes: constructor chains', () => {
  it('the global object (`this` of the body) leads to the isolate Function, where process does not exist', async () => {
    const { result } = await runPayload(`
      report('this', attempt(this.constructor.constructor))
      report('same', this.constructor.constructor === Function)`)
    expect(reported(result, 'this')).toBe(BLOCKED)
    expect(reported(result, 'same')).toBe('true')
  })

  it('fetch and the promise it returns lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      const pending = fetch('https://api.example.com/a')
      report('fetch', attempt(fetch.constructor))
      report('promise', attempt(pending.constructor.constructor))
      report('same', fetch.constructor === Function && pending.constructor === Promise)
      await pending`, ANY_URL)
    expect(reported(result, 'fetch')).toBe(BLOCKED)
    expect(reported(result, 'promise')).toBe(BLOCKED)
    expect(reported(result, 'same')).toBe('true')
  })

  it('a Response, its methods and its clone lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      const res = await fetch('https://api.example.com/a')
      report('response', attempt(res.constructor.constructor))
      report('json', attempt(res.json.constructor))
      report('clone', attempt(res.clone().constructor.constructor))
      report('body', attempt((await res.json()).constructor.constructor))`, ANY_URL)
    expect(reported(result, 'response')).toBe(BLOCKED)
    expect(reported(result, 'json')).toBe(BLOCKED)
    expect(reported(result, 'clone')).toBe(BLOCKED)
    expect(reported(result, 'body')).toBe(BLOCKED)
  })

  it('Headers, raw() and the header iterators lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      const { headers } = await fetch('https://api.example.com/a')
      report('headers', attempt(headers.constructor.constructor))
      report('get', attempt(headers.get.constructor))
      report('raw', attempt(headers.raw().constructor.constructor))
      report('rawList', attempt(headers.raw()['x-one'].constructor.constructor))
      // entries() is a generator: its prototype chain reaches GeneratorFunction, then Function.
      const GeneratorFunction = Object.getPrototypeOf(headers.entries()).constructor.constructor
      report('generator', attempt(GeneratorFunction))
      report('iterator', attempt(headers[Symbol.iterator]().next.constructor))`, ANY_URL)
    for (const label of ['headers', 'get', 'raw', 'rawList', 'generator', 'iterator']) expect(reported(result, label)).toBe(BLOCKED)
  })

  it('a builder, its methods and its live state lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      const builder = ChatlayerResponseBuilder().addMessage('x')
      report('factory', attempt(ChatlayerResponseBuilder.constructor))
      report('builder', attempt(builder.constructor.constructor))
      report('method', attempt(builder.addMessage.constructor))
      report('send', attempt(builder.send.constructor))
      report('state', attempt(builder.toJSON().constructor.constructor))
      report('messages', attempt(builder.toJSON().messages.constructor.constructor))
      builder.send()`)
    for (const label of ['factory', 'builder', 'method', 'send', 'state', 'messages']) expect(reported(result, label)).toBe(BLOCKED)
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'x' }] } }])
  })

  it('ChatlayerResponseBuilder.helpers and the objects they return lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      const { helpers } = ChatlayerResponseBuilder
      report('helpers', attempt(helpers.constructor.constructor))
      report('makeButtonLink', attempt(helpers.makeButtonLink.constructor))
      report('button', attempt(helpers.makeButtonLink({ url: 'https://x', text: 'x' }).constructor.constructor))
      report('quickReply', attempt(helpers.makeQuickReply({ text: 'x', payload: {} }).constructor.constructor))`)
    for (const label of ['helpers', 'makeButtonLink', 'button', 'quickReply']) expect(reported(result, label)).toBe(BLOCKED)
  })

  it('console and each of its methods lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      report('console', attempt(console.constructor.constructor))
      for (const name of ['log', 'info', 'warn', 'error', 'debug', 'table', 'dir']) report(name, attempt(console[name].constructor))`)
    for (const label of ['console', 'log', 'info', 'warn', 'error', 'debug', 'table', 'dir']) expect(reported(result, label)).toBe(BLOCKED)
  })

  it('args and the values copied into it from the session lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      report('args', attempt(args.constructor.constructor))
      report('list', attempt(args.list.constructor.constructor))
      report('nested', attempt(args.user.address.constructor.constructor))
      report('same', args.constructor === Object && args.list.constructor === Array)`,
    { session: { user: { address: { city: 'Ghent' } }, list: [1, 2] }, args: { user: { variable: 'user' }, list: { variable: 'list' } } })
    for (const label of ['args', 'list', 'nested']) expect(reported(result, label)).toBe(BLOCKED)
    expect(reported(result, 'same')).toBe('true')
  })

  it('_ , its functions and a fresh runInContext() lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      report('lodash', attempt(_.constructor))
      report('map', attempt(_.map.constructor))
      report('chain', attempt(_([1]).constructor.constructor))
      report('context', attempt(_.runInContext().constructor))
      report('root', attempt(_.runInContext().VERSION.constructor.constructor))`)
    for (const label of ['lodash', 'map', 'chain', 'context', 'root']) expect(reported(result, label)).toBe(BLOCKED)
  })

  it('_.template compiles code inside the isolate, where process and require do not exist', async () => {
    const { result } = await runPayload(`
      report('template', _.template('<%= typeof process %>/<%= typeof require %>/<%= typeof global %>')())
      let thrown
      try { _.template('<% process.mainModule.require("fs").writeFileSync(CANARY, "x") %>')() } catch (e) { thrown = e.name + ': ' + e.message }
      report('write', thrown)`)
    expect(reported(result, 'template')).toBe('undefined/undefined/undefined')
    expect(reported(result, 'write')).toBe(BLOCKED)
  })

  it('a FetchError for an unmatched request leads to the isolate Function', async () => {
    const { result } = await runPayload(`
      try { await fetch('https://unmatched.example.com/') } catch (e) {
        report('name', e.name + ' ' + e.code)
        report('error', attempt(e.constructor.constructor))
        report('proto', attempt(Object.getPrototypeOf(Object.getPrototypeOf(e)).constructor.constructor))
      }`)
    expect(reported(result, 'name')).toBe('FetchError ERR_HTTP_UNMATCHED')
    expect(reported(result, 'error')).toBe(BLOCKED)
    expect(reported(result, 'proto')).toBe(BLOCKED)
    // Replay fails closed even though the payload caught the rejection.
    expect(result.error?.code).toBe('ERR_HTTP_UNMATCHED')
  })

  it('FetchErrors of a network failure and of a bad JSON body lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      try { await fetch('https://down.example.com/') } catch (e) { report('network', e.code + ' ' + attempt(e.constructor.constructor)) }
      const res = await fetch('https://api.example.com/text')
      try { await res.json() } catch (e) { report('json', e.type + ' ' + attempt(e.constructor.constructor)) }
      try { await res.text() } catch (e) { report('used', e.name + ' ' + attempt(e.constructor.constructor)) }`,
    { http: [
      { request: { url: 'https://down.example.com/' }, error: { code: 'ECONNREFUSED' } },
      { request: { url: 'https://api.example.com/text' }, response: { body: 'not json' } },
    ] })
    expect(reported(result, 'network')).toBe(`ECONNREFUSED ${BLOCKED}`)
    expect(reported(result, 'json')).toBe(`invalid-json ${BLOCKED}`)
    expect(reported(result, 'used')).toBe(`TypeError ${BLOCKED}`)
    expect(result.error).toBeNull()
  })

  it('errors thrown by builder methods lead to the isolate Function', async () => {
    const { result } = await runPayload(`
      try { ChatlayerResponseBuilder().addMediaMessage({ type: 'hologram', url: 'x' }) } catch (e) { report('media', e.message + ' ' + attempt(e.constructor.constructor)) }
      try { ChatlayerResponseBuilder().addSessionVariable('internal.x', 1) } catch (e) { report('internal', e.message + ' ' + attempt(e.constructor.constructor)) }
      try { ChatlayerResponseBuilder().addHtml('<b>x</b>') } catch (e) { report('html', e.name + ' ' + attempt(e.constructor.constructor)) }`)
    expect(reported(result, 'media')).toBe(`Invalid type: hologram ${BLOCKED}`)
    expect(reported(result, 'internal')).toBe(`can't modify internal session namespace ${BLOCKED}`)
    expect(reported(result, 'html')).toBe(`TypeError ${BLOCKED}`)
  })

  it('the generator and async function constructors of the action itself stay inside the isolate', async () => {
    const { result } = await runPayload(`
      const GeneratorFunction = Object.getPrototypeOf(function * () {}).constructor
      report('generator', attempt(GeneratorFunction))
      const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor
      let asyncResult
      try { asyncResult = String(await AsyncFunction('return process')()) } catch (e) { asyncResult = e.name + ': ' + e.message }
      report('async', asyncResult)
      const AsyncGeneratorFunction = Object.getPrototypeOf(async function * () {}).constructor
      let asyncGen
      try { asyncGen = String((await AsyncGeneratorFunction('yield process')().next()).value) } catch (e) { asyncGen = e.name + ': ' + e.message }
      report('asyncGenerator', asyncGen)`)
    expect(reported(result, 'generator')).toBe(BLOCKED)
    expect(reported(result, 'async')).toBe(BLOCKED)
    expect(reported(result, 'asyncGenerator')).toBe(BLOCKED)
  })

  it('a callback run by _.delay gets the isolate global as `this`, not a host object', async () => {
    const { result } = await runPayload(`
      await new Promise(resolve => _.delay(function () {
        report('this', attempt(this.constructor.constructor))
        report('isGlobal', this === globalThis)
        resolve()
      }, 1))`)
    expect(reported(result, 'this')).toBe(BLOCKED)
    expect(reported(result, 'isGlobal')).toBe('true')
    expect(logTexts(result)).toHaveLength(3)
  })
})

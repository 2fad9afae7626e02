import { describe, expect, it } from 'vitest'
import { ANY_URL, BLOCKED, logTexts, reported, runPayload } from './harness.ts'

// The published breakouts of node:vm and vm2, adapted to this runtime's globals. In vm2 each one
// reached a host object; here each must end at the isolate's own Function.
describe('escapes: published vm / vm2 breakouts, adapted', () => {
  it("node:vm's this.constructor.constructor('return process')() throws a ReferenceError inside the isolate", async () => {
    const { result } = await runPayload(`
      let outcome
      try { outcome = String(this.constructor.constructor('return process')()) } catch (e) { outcome = e.name + ': ' + e.message }
      report('classic', outcome)
      report('indirect', attempt(Function('return this')().constructor.constructor))`)
    expect(reported(result, 'classic')).toBe(BLOCKED)
    expect(reported(result, 'indirect')).toBe(BLOCKED)
  })

  it('CVE-2023-37466: a Symbol.species promise catching a stack-overflow RangeError gets an isolate error', async () => {
    const { result } = await runPayload(`
      async function fn () { (function stack () { new Error().stack; stack() })() }
      const p = fn()
      let outcome = 'species executor never ran'
      p.constructor = {
        [Symbol.species]: class FakePromise {
          constructor (executor) {
            executor(x => x, err => { outcome = err.name + ' -> ' + attempt(err.constructor.constructor) })
          }
        },
      }
      p.then()
      await new Promise(resolve => _.defer(resolve))
      report('species', outcome)`)
    expect(reported(result, 'species')).toBe(`RangeError -> ${BLOCKED}`)
  })

  it('CVE-2023-30547: a thrown Proxy whose getPrototypeOf overflows the stack is reported as an unreadable error', async () => {
    const { result } = await runPayload(`
      const handler = { getPrototypeOf () { (function stack () { new Error().stack; stack() })() } }
      try { throw new Proxy({}, handler) } catch ({ constructor: c }) { report('caught', attempt(c.constructor)) }
      throw new Proxy({}, handler)`)
    expect(reported(result, 'caught')).toBe(BLOCKED)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('Error: an error that could not be read was thrown')
  })

  it('CVE-2023-32314: an error name whose toString is a Proxy runs its apply trap inside the isolate', async () => {
    const { result } = await runPayload(`
      const err = new Error('message')
      err.name = { toString: new Proxy(() => '', { apply (target, thiz, argsList) { report('trap', attempt(argsList.constructor.constructor)); return 'Pwned' } }) }
      try { err.stack } catch (e) { report('stack threw', e) }
      throw err`)
    expect(reported(result, 'trap')).toBe(BLOCKED)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('Pwned: message')
  })

  it('CVE-2022-36067: replacing the global Error with a prepareStackTrace holder reaches no host CallSite', async () => {
    const { result } = await runPayload(`
      const RealError = Error
      let called = 'never'
      globalThis.Error = { prepareStackTrace (error, frames) { called = frames.map(f => attempt(f.getThis().constructor.constructor)).join(','); return 'forged' } }
      try { ChatlayerResponseBuilder().addHtml('<b>x</b>') } catch (e) { report('thrown', e.name + ' stack:' + typeof e.stack) }
      try { await fetch('https://api.example.com/a', { method: 'GET', body: 'x' }) } catch (e) { report('fetch', e.name + ': ' + e.message) }
      globalThis.Error = RealError
      report('prepareStackTrace', called)`)
    // V8 reads prepareStackTrace from the real Error constructor, which the payload did not touch.
    expect(reported(result, 'thrown')).toBe('TypeError stack:string')
    expect(reported(result, 'fetch')).toBe('TypeError: Request with GET/HEAD method cannot have body')
    expect(reported(result, 'prepareStackTrace')).toBe('never')
  })

  it('CVE-2023-29017: prepareStackTrace on an unhandled async error sees isolate frames only', async () => {
    const { result } = await runPayload(`
      let outcome = 'prepareStackTrace not called'
      Error.prepareStackTrace = (error, frames) => { outcome = attempt(frames.constructor.constructor); return 'stack' }
      async function aa () { eval('1 = 1') }
      aa()
      await new Promise(resolve => _.defer(resolve))
      report('frames', outcome)`)
    expect(reported(result, 'frames')).toBe(BLOCKED)
    expect(result.error).toBeNull()
    expect(result.warnings).toContain('a promise was rejected and nothing handled it: Invalid left-hand side in assignment (option unhandledRejection)')
  })

  it("CVE-2023-37903: Symbol.for('nodejs.util.inspect.custom') on logged, thrown and sent objects is never called", async () => {
    const { result } = await runPayload(`
      const custom = Symbol.for('nodejs.util.inspect.custom')
      const calls = []
      const planted = { a: 1, [custom] (depth, options, inspect) { calls.push('inspect'); return inspect.constructor('return process')() } }
      console.log(planted)
      console.log('%o %O %s', planted, planted, planted)
      ChatlayerResponseBuilder().addJSONResponse({ planted }).send()
      report('calls', calls.length)
      const error = new Error('carrier')
      error[custom] = () => { calls.push('error inspect'); return 'forged' }
      throw error`)
    expect(logTexts(result).slice(0, 2)).toEqual(['{ a: 1 }', '{ a: 1 } { a: 1 } { a: 1 }'])
    expect(reported(result, 'calls')).toBe('0')
    expect(result.error?.message).toBe('Error: carrier')
    expect(result.sends).toEqual([{ messages: [{ type: 'JSONTemplate', config: { planted: { a: 1 } } }] }])
  })

  it('the __lookupGetter__ breakout (vm2 Buffer.apply variant) yields Function.prototype of the isolate', async () => {
    const { result } = await runPayload(`
      const g = ({}).__lookupGetter__
      for (const [name, target] of [['fetch', fetch], ['console.log', console.log], ['builder', ChatlayerResponseBuilder], ['lodash', _]]) {
        const a = target.apply
        const protoGetter = a.apply(g, [target, ['__proto__']])
        const proto = protoGetter.call(a)
        report(name, (proto === Function.prototype) + ' ' + attempt(proto.constructor))
      }`)
    for (const name of ['fetch', 'console.log', 'builder', 'lodash']) expect(reported(result, name)).toBe(`true ${BLOCKED}`)
  })

  it('arguments.callee.caller from callbacks the runtime invokes stops at null inside the isolate', async () => {
    const { result } = await runPayload(`
      const chain = callee => {
        const out = []
        let fn = callee
        for (let i = 0; i < 5; i++) {
          let next
          try { next = fn.caller } catch (e) { out.push(e.name); break }
          if (next === null || next === undefined) { out.push(String(next)); break }
          out.push(attempt(next.constructor))
          fn = next
        }
        return out.join(' > ')
      }
      const { headers } = await fetch('https://api.example.com/a')
      headers.forEach(function () { report('forEach', chain(arguments.callee)) })
      await new Promise(resolve => _.delay(function () { report('delay', chain(arguments.callee)); resolve() }, 1))
      ChatlayerResponseBuilder().addMessage({ toJSON: function () { report('toJSON', chain(arguments.callee)); return 'x' } }).send()
      const init = Object.defineProperty({}, 'headers', { enumerable: true, get: function () { report('getter', chain(arguments.callee)); return {} } })
      await fetch('https://api.example.com/b', init)`, ANY_URL)
    expect(reported(result, 'forEach')).toBe('null')
    // lodash's own wrapper (sloppy code inside the isolate) calls the callback; above it, the strict runtime.
    expect(reported(result, 'delay')).toBe(`${BLOCKED} > null`)
    expect(reported(result, 'toJSON')).toBe('null')
    expect(reported(result, 'getter')).toBe('null')
  })

  it('a Promise.prototype.then override receives only isolate callbacks, and the run still ends normally', async () => {
    const { result } = await runPayload(`
      const originalThen = Promise.prototype.then
      const reached = new Set()
      Promise.prototype.then = function (onFulfilled, onRejected) {
        for (const fn of [onFulfilled, onRejected]) if (typeof fn === 'function') reached.add(attempt(fn.constructor))
        return originalThen.call(this, onFulfilled, onRejected)
      }
      // The runtime settles its own promises with the then it captured; the action's own .then
      // calls go through the override, which inspects what it is handed.
      const body = await fetch('https://api.example.com/a').then(res => res.json())
      ChatlayerResponseBuilder().addMessage('ok ' + body.ok).send()
      report('reached', [...reached].join(','))`, ANY_URL)
    expect(reported(result, 'reached')).toBe(BLOCKED)
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'ok true' }] } }])
  })

  it('an async generator with an overridden next() over fetched pages sees isolate objects only', async () => {
    const { result } = await runPayload(`
      const AsyncGeneratorPrototype = Object.getPrototypeOf(async function * () {}).prototype
      const originalNext = AsyncGeneratorPrototype.next
      const reached = new Set()
      AsyncGeneratorPrototype.next = function (...values) {
        // this.constructor is %AsyncGeneratorFunction.prototype%; two more steps reach Function.
        reached.add(attempt(this.constructor.constructor.constructor))
        const promise = originalNext.apply(this, values)
        reached.add(attempt(promise.constructor.constructor))
        return promise
      }
      async function * pages () { for (const path of ['a', 'b']) yield (await fetch('https://api.example.com/' + path)).status }
      const statuses = []
      for await (const status of pages()) statuses.push(status)
      report('statuses', statuses.join(','))
      report('reached', [...reached].join(','))`, ANY_URL)
    expect(reported(result, 'statuses')).toBe('200,200')
    expect(reported(result, 'reached')).toBe(BLOCKED)
  })

  it("dynamic import('fs') and import('node:child_process') are refused inside the isolate", async () => {
    const { result } = await runPayload(`
      for (const name of ['fs', 'node:child_process']) {
        let outcome
        try { const mod = await import(name); outcome = 'imported ' + Object.keys(mod).length } catch (e) { outcome = e.name + ': ' + e.message }
        report(name, outcome)
      }`)
    expect(reported(result, 'fs')).toBe('Error: Not supported')
    expect(reported(result, 'node:child_process')).toBe('Error: Not supported')
  })
})

import { describe, expect, it } from 'vitest'
import { runAction, SandboxPool, type FixtureInput, type GlobalName, type RunOptions, type RunResult } from '../runner/index.ts'

function run (source: string, fixture: FixtureInput = {}, options: RunOptions = {}): Promise<RunResult> {
  return runAction({ source }, fixture, options)
}

const texts = (result: RunResult): string[] => result.logs.map(l => l.text)
const text = (value: string): { type: string, config: { textMessages: Array<{ text: string }> } } => ({ type: 'text', config: { textMessages: [{ text: value }] } })

const TWO_SENDS = `
ChatlayerResponseBuilder().addMessage('first').addSessionVariable('a', { x: 1 }).setNextDialogState('ds-1').send()
ChatlayerResponseBuilder().addMessage('second').addSessionVariable('b', 2).setNextDialogState('ds-2').send()`

/** platform.md §2.6: absent by default, each switchable through `globals`. */
const ABSENT: GlobalName[] = [
  'require', 'process', 'module', 'Buffer', 'btoa', 'atob', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval',
  'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'crypto', 'structuredClone',
]

describe('profile: multipleSends', () => {
  it('"apply-all" (the default) applies every send in order and warns', async () => {
    const result = await run(TWO_SENDS)
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([text('first'), text('second')])
    expect(result.session).toEqual({ a: { x: 1 }, b: 2 })
    expect(result.nextDialogState).toBe('ds-2')
    expect(result.warnings).toEqual(['send() was called 2 times: all were applied in order (option multipleSends)'])
  })

  it('"first" applies only the first send and warns', async () => {
    const result = await run(TWO_SENDS, {}, { multipleSends: 'first' })
    expect(result.error).toBeNull()
    expect(result.sends).toHaveLength(2)
    expect(result.response).toEqual({ action: { nextDialogstate: 'ds-1' }, messages: [text('first')], session: [{ namespace: 'a', data: { x: 1 } }] })
    expect(result.session).toEqual({ a: { x: 1 } })
    expect(result.nextDialogState).toBe('ds-1')
    expect(result.warnings).toEqual(['send() was called 2 times: only the first was applied (option multipleSends: "first")'])
  })

  it('"error" fails the run with ERR_ACTION_THREW and applies nothing', async () => {
    const result = await run(TWO_SENDS, { session: { a: { x: 0 } } }, { multipleSends: 'error' })
    expect(result.ok).toBe(false)
    expect(result.error).toEqual({ code: 'ERR_ACTION_THREW', message: 'send() was called 2 times (option multipleSends: "error")' })
    expect(result.sends).toHaveLength(2)
    expect(result.response).toBeNull()
    expect(result.messages).toEqual([])
    expect(result.session).toEqual({ a: { x: 0 } })
  })

  it('"error" accepts a single send', async () => {
    const result = await run("ChatlayerResponseBuilder().addMessage('one').send()", {}, { multipleSends: 'error' })
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([text('one')])
  })
})

describe('profile: sessionWrite', () => {
  const WRITE = "ChatlayerResponseBuilder().addSessionVariable('user', { address: { city: 'Brussel' } }).send()"
  const SESSION = { user: { name: 'Ann', address: { city: 'Gent', zip: '9000' } } }

  it('"merge" (the default) deep-merges plain objects into the namespace', async () => {
    const result = await run(WRITE, { session: SESSION })
    expect(result.session).toEqual({ user: { name: 'Ann', address: { city: 'Brussel', zip: '9000' } } })
  })

  it('"replace" replaces the whole namespace', async () => {
    const result = await run(WRITE, { session: SESSION }, { sessionWrite: 'replace' })
    expect(result.session).toEqual({ user: { address: { city: 'Brussel' } } })
    expect(result.sessionChanges).toEqual([
      { path: 'user.name', before: 'Ann', after: null },
      { path: 'user.address.city', before: 'Gent', after: 'Brussel' },
      { path: 'user.address.zip', before: '9000', after: null },
    ])
  })
})

describe('profile: applyOnError', () => {
  const SEND_THEN_THROW = "ChatlayerResponseBuilder().addMessage('sent').addSessionVariable('a', 1).setNextDialogState('ds-x').send()\nthrow new Error('after send')"

  it('off (the default): nothing sent before an uncaught error is applied', async () => {
    const result = await run(SEND_THEN_THROW, { session: { a: 0 } })
    expect(result.error?.message).toBe('Error: after send')
    expect(result.sends).toHaveLength(1)
    expect(result.response).toBeNull()
    expect(result.messages).toEqual([])
    expect(result.nextDialogState).toBeNull()
    expect(result.session).toEqual({ a: 0 })
    expect(result.sessionChanges).toEqual([])
  })

  it('on: the sends made before an uncaught error are applied and the error is still reported', async () => {
    const result = await run(SEND_THEN_THROW, { session: { a: 0 } }, { applyOnError: true })
    expect(result.ok).toBe(false)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.response).toEqual({ action: { nextDialogstate: 'ds-x' }, messages: [text('sent')], session: [{ namespace: 'a', data: 1 }] })
    expect(result.messages).toEqual([text('sent')])
    expect(result.nextDialogState).toBe('ds-x')
    expect(result.session).toEqual({ a: 1 })
  })

  it('on: the sends made before a timeout are applied', async () => {
    const result = await run("ChatlayerResponseBuilder().addMessage('sent').send()\nwhile (true) {}", {}, { applyOnError: true, timeoutMs: 300 })
    expect(result.error?.code).toBe('ERR_TIMEOUT')
    expect(result.messages).toEqual([text('sent')])
  })
})

describe('profile: globals', () => {
  it('every name of platform.md §2.6 is undefined by default', async () => {
    const result = await run(`console.log(JSON.stringify([${ABSENT.map(name => `typeof ${name}`).join(', ')}]))`)
    expect(JSON.parse(texts(result)[0])).toEqual(ABSENT.map(() => 'undefined'))
  })

  it('no global of §2.6 hides on globalThis either', async () => {
    const result = await run(`console.log(JSON.stringify(${JSON.stringify(ABSENT)}.filter(name => name in globalThis)))`)
    expect(JSON.parse(texts(result)[0])).toEqual([])
  })

  it.each(ABSENT)('globals: ["%s"] switches that global on, and only that one', async (name) => {
    const others = ABSENT.filter(other => other !== name && !(name.startsWith('set') && other === name.replace('set', 'clear')))
    const result = await run(`console.log(typeof ${name}, JSON.stringify(${JSON.stringify(others)}.filter(n => typeof globalThis[n] !== 'undefined')))`, {}, { globals: [name] })
    expect(result.error).toBeNull()
    const [type, leaked] = texts(result)[0].split(' ')
    expect(type).not.toBe('undefined')
    expect(JSON.parse(leaked)).toEqual([])
  })

  it('setTimeout and clearTimeout work when switched on', async () => {
    const result = await run(`
      const started = Date.now()
      const value = await new Promise(resolve => setTimeout(resolve, 100, 'passed'))
      const cancelled = setTimeout(() => console.log('must not fire'), 10)
      clearTimeout(cancelled)
      await new Promise(resolve => setTimeout(resolve, 50))
      console.log(value, Date.now() - started >= 90)
      ChatlayerResponseBuilder().send()`, {}, { globals: ['setTimeout', 'clearTimeout'] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['passed true'])
    expect(result.warnings).toEqual([])
  })

  it('setInterval and clearInterval work when switched on', async () => {
    const result = await run(`
      let ticks = 0
      await new Promise(resolve => { const id = setInterval(() => { if (++ticks === 3) { clearInterval(id); resolve() } }, 10) })
      await new Promise(resolve => _.delay(resolve, 50))
      console.log(ticks)
      ChatlayerResponseBuilder().send()`, {}, { globals: ['setInterval', 'clearInterval'] })
    expect(texts(result)).toEqual(['3'])
    expect(result.warnings).toEqual([])
  })

  it('btoa, atob, Buffer, URL, URLSearchParams, TextEncoder, TextDecoder and structuredClone behave like Node\'s when switched on', async () => {
    const result = await run(`
      console.log(btoa('user:pass'), atob('dXNlcjpwYXNz'))
      console.log(Buffer.from('user:pass').toString('base64'), Buffer.from('dXNlcjpwYXNz', 'base64').toString())
      const url = new URL('https://api.example.com/v0/base?view=Grid#top')
      console.log(url.hostname, url.pathname, url.searchParams.get('view'))
      console.log(new URLSearchParams({ a: '1', b: 'x y' }).toString())
      console.log(new TextEncoder().encode('é').length, new TextDecoder().decode(new Uint8Array([0xc3, 0xa9])))
      const original = { a: [1, { b: 2 }] }
      const copy = structuredClone(original)
      console.log(copy !== original, JSON.stringify(copy))`, {}, { globals: ['btoa', 'atob', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'structuredClone'] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual([
      'dXNlcjpwYXNz user:pass',
      'dXNlcjpwYXNz user:pass',
      'api.example.com /v0/base Grid',
      'a=1&b=x+y',
      '2 é',
      'true {"a":[1,{"b":2}]}',
    ])
  })

  it('AbortController, crypto, require, module and process are usable when switched on', async () => {
    const result = await run(`
      const controller = new AbortController()
      const before = controller.signal.aborted
      controller.abort()
      console.log(before, controller.signal.aborted)
      console.log(crypto.getRandomValues(new Uint8Array(4)).length)
      console.log(require('lodash') === _, typeof module.exports, typeof process.env)`, {}, { globals: ['AbortController', 'crypto', 'require', 'module', 'process'] })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['false true', '4', 'true object object'])
  })

  it('a fixture\'s options switch globals on too', async () => {
    const result = await run('console.log(typeof setTimeout)', { options: { globals: ['setTimeout'] } })
    expect(texts(result)).toEqual(['function'])
  })
})

describe('profile: lodash timers without setTimeout', () => {
  it('the documented delay recipe works: await new Promise(r => _.delay(r, ms))', async () => {
    const result = await run(`
      const started = Date.now()
      await new Promise(r => _.delay(r, 150))
      console.log(Date.now() - started >= 140, typeof setTimeout)
      ChatlayerResponseBuilder().send()`)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['true undefined'])
  })

  it('_.defer, _.debounce and _.throttle schedule through the bridged timers', async () => {
    const result = await run(`
      const calls = { defer: [], debounce: [], throttle: [] }
      await new Promise(r => _.defer(() => { calls.defer.push('ran'); r() }))
      const debounced = _.debounce(value => calls.debounce.push(value), 30)
      debounced(1); debounced(2); debounced(3)
      const throttled = _.throttle(value => calls.throttle.push(value), 30)
      throttled('a'); throttled('b'); throttled('c')
      await new Promise(r => _.delay(r, 120))
      console.log(JSON.stringify(calls))
      ChatlayerResponseBuilder().send()`)
    expect(result.error).toBeNull()
    expect(JSON.parse(texts(result)[0])).toEqual({ defer: ['ran'], debounce: [3], throttle: ['a', 'c'] })
    expect(result.warnings).toEqual([])
  })
})

/** `_` reached without naming it, so the action's text does not ask for lodash up front. */
const UNDERSCORE = 'globalThis[String.fromCharCode(95)]'

describe('lodash: evaluated once per context, before the action when its text names `_`, else on first use', () => {
  it('an action that names `_` has lodash as a plain global from its first line, and noConflict() leaves it there', async () => {
    const result = await run(`
      const d = Object.getOwnPropertyDescriptor(globalThis, '_')
      console.log(typeof d.value, typeof d.get, d.enumerable, _.VERSION)
      const lo = _.noConflict()
      console.log(lo === _, typeof global)`)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['function undefined false 4.17.21', 'true undefined'])
  })

  it('an action that does not name `_` still finds the full lodash on first read, which then stays a plain global', async () => {
    const result = await run(`
      const k = String.fromCharCode(95)
      console.log(typeof Object.getOwnPropertyDescriptor(globalThis, k).get, k in globalThis, Object.keys(globalThis).includes(k))
      const lo = ${UNDERSCORE}
      const d = Object.getOwnPropertyDescriptor(globalThis, k)
      console.log(lo.capitalize('ada'), lo.VERSION, typeof d.value, d.enumerable, ${UNDERSCORE} === lo)
      await new Promise(r => lo.delay(r, 20))
      console.log('delayed', typeof setTimeout, typeof global)`)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['function true false', 'Ada 4.17.21 function false true', 'delayed undefined undefined'])
  })

  it('lodash evaluated on first use ignores the module-system globals the action created before', async () => {
    // Sloppy-mode assignments create globals; lodash probes define/exports/module/self to decide
    // where to put itself, and must still come out as at the top of a fresh context.
    const result = await run(`
      define = function () { throw new Error('AMD define was called') }; define.amd = {}
      exports = {}; module = { exports }; self = {}
      const lo = ${UNDERSCORE}
      console.log(typeof lo, typeof lo.map, Object.keys(exports).length, ${UNDERSCORE} === lo)`)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['function function 0 true'])
  })

  it('lodash reached on first use still works once the action froze the global object', async () => {
    const result = await run(`Object.freeze(globalThis); const lo = ${UNDERSCORE}; console.log(lo.capitalize('ada'), ${UNDERSCORE} === lo)`)
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['Ada true'])
  })

  it('require("lodash") is the same lodash as `_`, whichever is reached first; an assignment replaces it', async () => {
    const first = await run(`const lo = require('lodash'); console.log(typeof lo.get, lo === ${UNDERSCORE})`, {}, { globals: ['require'] })
    expect(texts(first)).toEqual(['function true'])
    const assigned = await run(`${UNDERSCORE} = 5; console.log(${UNDERSCORE}, typeof Object.getOwnPropertyDescriptor(globalThis, String.fromCharCode(95)).get)`)
    expect(texts(assigned)).toEqual(['5 undefined'])
  })

  it('a change to lodash by one pooled run is gone in the next, on either path', async () => {
    // One sandbox process, so the four runs share its warm isolate.
    const pool = new SandboxPool(1)
    try {
      const pooled = (source: string): Promise<RunResult> => runAction({ source }, {}, { isolate: 'pooled' }, { pool })
      await pooled(`${UNDERSCORE}.VERSION = 'changed'; ${UNDERSCORE}.extra = 1`)
      const named = await pooled("console.log(_.VERSION, typeof _.extra)")
      await pooled("_.VERSION = 'changed'")
      const unnamed = await pooled(`console.log(${UNDERSCORE}.VERSION)`)
      expect([...texts(named), ...texts(unnamed)]).toEqual(['4.17.21 undefined', '4.17.21'])
      expect(pool.pids()).toHaveLength(1)
    } finally {
      pool.close()
    }
  })
})

describe('profile: layers and validation', () => {
  it('options given to runAction override the fixture\'s options', async () => {
    const result = await run(TWO_SENDS, { options: { multipleSends: 'error' } }, { multipleSends: 'first' })
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([text('first')])
  })

  it('the fixture\'s options apply when runAction is given none', async () => {
    const result = await run(TWO_SENDS, { options: { multipleSends: 'error' } })
    expect(result.error?.message).toBe('send() was called 2 times (option multipleSends: "error")')
  })

  it('an invalid option value rejects with ERR_USAGE naming the option, the allowed values and the value', async () => {
    await expect(run('ChatlayerResponseBuilder().send()', {}, { multipleSends: 'all' as never })).rejects.toMatchObject({
      name: 'ToolError',
      code: 'ERR_USAGE',
      message: 'option "multipleSends" must be one of "apply-all", "first", "error", got "all"\nFix the option, or see the README section "Runtime profile".',
    })
  })

  it('an unknown global name rejects with ERR_USAGE', async () => {
    await expect(run('ChatlayerResponseBuilder().send()', {}, { globals: ['fs' as GlobalName] })).rejects.toMatchObject({ name: 'ToolError', code: 'ERR_USAGE' })
  })
})

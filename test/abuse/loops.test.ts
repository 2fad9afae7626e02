import { beforeAll, describe, expect, it } from 'vitest'
import { runAbuse, texts, warmUp } from './harness.ts'

beforeAll(warmUp)
const limits = { timeoutMs: 400, memoryMb: 32 }
const TIMEOUT_MESSAGE = 'the action ran longer than 400 ms (option timeoutMs): it was stopped'
/** The isolate's own timeout must stop the run, well before the sandbox watchdog (timeout + 5 s). */
const PROMPT_MS = 400 + 2_000

describe('abuse: code that never ends', () => {
  it('a plain infinite loop is ERR_TIMEOUT and the next run succeeds', async () => {
    const { result, next, elapsedMs } = await runAbuse('while (true) {}', limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe(TIMEOUT_MESSAGE)
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(next.error).toBeNull()
    expect(texts(next)).toEqual(['alive'])
  })

  it('an allocation V8 cannot interrupt is ERR_TIMEOUT about a second after the limit, and the next run succeeds', async () => {
    // With a large heap, filling 2e8 elements neither runs out of memory nor checks for the
    // termination isolated-vm requests at the deadline: the sandbox's main thread is stuck in it,
    // so the host kills the process a second past the deadline (after the sandbox said the
    // action's clock started) and reports the time-out, not a crash 5 s later.
    const { result, next, elapsedMs, pidsBefore, pidsAfter } = await runAbuse('new Array(2e8).fill(0)', { timeoutMs: 400, memoryMb: 2048 })
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe('the action ran longer than 400 ms (option timeoutMs) and the sandbox could not stop it: its process was killed and replaced')
    expect(elapsedMs).toBeLessThan(PROMPT_MS + 1_000)
    expect(pidsAfter).not.toEqual(pidsBefore)
    expect(texts(next)).toEqual(['alive'])
  })

  it('an infinite loop after an await is ERR_TIMEOUT and the next run succeeds', async () => {
    const { result, next, elapsedMs } = await runAbuse("await fetch('https://api.example.com/a'); for (;;) {}", limits,
      { http: [{ request: { url: 'https://api.example.com/a' }, response: { json: {} } }] })
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe(TIMEOUT_MESSAGE)
    expect(result.requests).toHaveLength(1)
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(texts(next)).toEqual(['alive'])
  })

  it('an infinite loop in a microtask stops the run with ERR_TIMEOUT and applies nothing already sent', async () => {
    const { result, next, elapsedMs } = await runAbuse(`
      Promise.resolve().then(() => { while (true) {} })
      ChatlayerResponseBuilder().addMessage('sent before the loop').send()`, limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe(TIMEOUT_MESSAGE)
    expect(result.sends).toHaveLength(1)
    expect(result.response).toBeNull()
    expect(result.messages).toEqual([])
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(texts(next)).toEqual(['alive'])
  })

  it('an infinite loop in a getter read while send() serialises its payload is ERR_TIMEOUT', async () => {
    const { result, next, elapsedMs } = await runAbuse(`
      ChatlayerResponseBuilder().addMessage({ get text () { while (true) {} } }).send()`, limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe(TIMEOUT_MESSAGE)
    expect(result.sends).toEqual([])
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(texts(next)).toEqual(['alive'])
  })

  it('an infinite loop in a toString that console.log calls (%i) is ERR_TIMEOUT', async () => {
    const { result, next, elapsedMs } = await runAbuse(`
      console.log('before')
      console.log('%i', { toString () { while (true) {} } })`, limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe(TIMEOUT_MESSAGE)
    expect(result.logs.map(log => log.text)).toEqual(['before'])
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(texts(next)).toEqual(['alive'])
  })

  it('an infinite loop in the toString of a logged error\'s stack is ERR_TIMEOUT', async () => {
    const { result, next, elapsedMs } = await runAbuse(`
      const error = new Error('x')
      error.stack = { toString () { while (true) {} } }
      console.log(error)`, limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(texts(next)).toEqual(['alive'])
  })

  it('a then-able that never settles is ERR_TIMEOUT', async () => {
    const { result, next, elapsedMs } = await runAbuse('await { then () {} }', limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe(TIMEOUT_MESSAGE)
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(texts(next)).toEqual(['alive'])
  })

  it('Atomics.wait blocking the isolate thread is ERR_TIMEOUT', async () => {
    const { result, next, elapsedMs } = await runAbuse('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000)', limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(result.error?.message).toBe(TIMEOUT_MESSAGE)
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(texts(next)).toEqual(['alive'])
  })

  it('a timer that reschedules itself forever is ERR_TIMEOUT and fires nothing into the next run', async () => {
    const { result, next, elapsedMs } = await runAbuse(`
      const tick = () => { console.log('tick'); _.defer(tick) }
      tick()
      await new Promise(() => {})`, { ...limits, maxLogBytes: 1_000 })
    expect(result.error?.code, result.error?.message).toBe('ERR_TIMEOUT')
    expect(elapsedMs).toBeLessThan(PROMPT_MS)
    expect(next.logs).toEqual([])
    expect(next.error).toBeNull()
    expect(texts(next)).toEqual(['alive'])
  })
})

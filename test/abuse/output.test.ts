import { beforeAll, describe, expect, it } from 'vitest'
import { runAbuse, texts, warmUp } from './harness.ts'

beforeAll(warmUp)
const limits = { timeoutMs: 2_000, memoryMb: 64 }
const ANY_URL = { http: [{ request: { urlPattern: '^https://api\\.example\\.com/' }, response: { json: {} }, repeat: true }] }

describe('abuse: floods of requests, output and payloads', () => {
  it('a flood of fetch calls is cut at maxRequests: later ones reject with a coded FetchError and a warning', async () => {
    const { result, next } = await runAbuse(`
      const settled = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => fetch('https://api.example.com/' + i)))
      const refused = settled.filter(s => s.status === 'rejected')
      console.log(refused.length + ' refused: ' + refused[0].reason.name + ' ' + refused[0].reason.code)
      ChatlayerResponseBuilder().addMessage('done').send()`, { ...limits, maxRequests: 10 }, ANY_URL)
    expect(result.error).toBeNull()
    expect(result.requests).toHaveLength(10)
    expect(result.logs[0].text).toBe('90 refused: FetchError ERR_REQUEST_LIMIT')
    expect(result.warnings).toContain('the action made more than 10 requests (option maxRequests): later ones were refused')
    expect(texts(next)).toEqual(['alive'])
  })

  it('sends that fill the sandbox process\'s own heap are a crash of that process, not the isolate\'s ERR_MEMORY', async () => {
    // Each send is under maxSendBytes, but the process keeps them all until the run ends, and its
    // own heap is capped at 64 MB. V8 prints the same out-of-memory report as for an isolate;
    // Node's "FATAL ERROR" line after it tells the host that raising memoryMb would not help.
    const { result, next } = await runAbuse(`
      const big = 'x'.repeat(900000)
      for (let i = 0; i < 150; i++) ChatlayerResponseBuilder().addMessage(big + i).send()`, { ...limits, timeoutMs: 10_000 })
    expect(result.error?.code, result.error?.message).toBe('ERR_SANDBOX_CRASH')
    expect(result.error?.message).toMatch(/JavaScript heap out of memory/)
    expect(texts(next)).toEqual(['alive'])
  })

  it('an uncaught request over maxRequests fails the run with a message naming the URL and the option', async () => {
    const { result, next } = await runAbuse(`
      for (let i = 0; ; i++) await fetch('https://api.example.com/page/' + i)`, { ...limits, maxRequests: 5 }, ANY_URL)
    expect(result.error?.code, result.error?.message).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('FetchError: request to https://api.example.com/page/5 refused: the run already made 5 requests (option maxRequests)')
    expect(result.requests).toHaveLength(5)
    expect(texts(next)).toEqual(['alive'])
  })

  it('console output past maxLogBytes is dropped with a note that counts the dropped calls', async () => {
    const { result, next } = await runAbuse(`
      for (let i = 0; i < 2000; i++) console.log('line ' + String(i).padStart(4, '0') + ' ' + 'x'.repeat(90))
      ChatlayerResponseBuilder().addMessage('done').send()`, { ...limits, maxLogBytes: 10_000 })
    expect(result.error).toBeNull()
    const kept = result.logs.map(log => log.text)
    expect(kept.join('').length).toBeLessThanOrEqual(10_000)
    expect(kept).toHaveLength(100)
    expect(kept[99]).toBe(`line 0099 ${'x'.repeat(90)}`)
    expect(result.warnings).toContain('console output over 10000 bytes (option maxLogBytes): 1900 later calls were dropped')
    expect(texts(result)).toEqual(['done'])
    expect(texts(next)).toEqual(['alive'])
  })

  it('one huge console entry is cut to 16,000 characters with a note of how much was cut', async () => {
    const { result } = await runAbuse("console.log('y'.repeat(5000000)); ChatlayerResponseBuilder().addMessage('done').send()", limits)
    expect(result.error).toBeNull()
    expect(result.logs).toHaveLength(1)
    expect(result.logs[0].text).toBe(`${'y'.repeat(16_000)}… [4984000 more characters cut]`)
  })

  it('a send() payload over maxSendBytes keeps the messages that fit and says what it dropped', async () => {
    const { result, next } = await runAbuse(`
      const builder = ChatlayerResponseBuilder()
      for (let i = 0; i < 5; i++) builder.addMessage(String(i).repeat(4000))
      builder.addSessionVariable('order.id', 7).setNextDialogState('ds-next').send()`, { ...limits, maxSendBytes: 10_000 })
    expect(result.error).toBeNull()
    expect(texts(result)).toEqual(['0'.repeat(4000), '1'.repeat(4000)])
    expect(result.nextDialogState).toBe('ds-next')
    expect(result.session).toEqual({ order: { id: 7 } })
    expect(JSON.stringify(result.sends[0]).length).toBeLessThanOrEqual(10_000)
    expect(result.warnings).toContainEqual(expect.stringMatching(/^send\(\) payload of \d+ bytes is over the 10000-byte cap \(option maxSendBytes\): kept 2 of 5 messages$/))
    expect(texts(next)).toEqual(['alive'])
  })

  it('a single message bigger than maxSendBytes is dropped with the session writes, and the note says so', async () => {
    const { result } = await runAbuse(`
      ChatlayerResponseBuilder().addMessage('z'.repeat(50000)).addSessionVariable('big', 'q'.repeat(20000)).setNextDialogState('ds-next').send()`,
    { ...limits, maxSendBytes: 10_000 })
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([])
    expect(result.session).toEqual({})
    expect(result.nextDialogState).toBe('ds-next')
    expect(result.warnings).toContainEqual(expect.stringMatching(/^send\(\) payload of \d+ bytes is over the 10000-byte cap \(option maxSendBytes\): kept 0 of 1 messages and dropped the session writes$/))
  })

  it('a 10 MB send() at the default cap is truncated, and the host receives at most the cap', async () => {
    const { result, next } = await runAbuse("ChatlayerResponseBuilder().addMessage('z'.repeat(10e6)).addMessage('small').send()", { timeoutMs: 5_000 })
    expect(result.error).toBeNull()
    expect(JSON.stringify(result.sends).length).toBeLessThanOrEqual(1_000_000)
    expect(result.warnings).toContainEqual(expect.stringMatching(/over the 1000000-byte cap \(option maxSendBytes\): kept 0 of 2 messages$/))
    expect(texts(next)).toEqual(['alive'])
  })

  it('cyclic objects are logged with [Circular] markers, without failing the run', async () => {
    const { result } = await runAbuse(`
      const order = { id: 7 }
      order.self = order
      order.lines = [order]
      console.log(order)
      console.log('%j', order)
      console.log('%o', new Map([['order', order]]))
      ChatlayerResponseBuilder().addMessage('done').send()`, limits)
    expect(result.error).toBeNull()
    expect(result.logs.map(log => log.text)).toEqual([
      '{ id: 7, self: [Circular], lines: [ [Circular] ] }',
      '[Circular]',
      "Map(1) { 'order' => { id: 7, self: [Circular], lines: [ [Circular] ] } }",
    ])
    expect(texts(result)).toEqual(['done'])
  })

  it('a cyclic object sent is ERR_ACTION_THREW with the engine\'s explanation of the cycle', async () => {
    const { result, next } = await runAbuse(`
      const order = { id: 7 }
      order.self = order
      ChatlayerResponseBuilder().addJSONResponse(order).send()`, limits)
    expect(result.error?.code, result.error?.message).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe("TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'Object'\n    --- property 'self' closes the circle")
    expect(result.sends).toEqual([])
    expect(texts(next)).toEqual(['alive'])
  })
})

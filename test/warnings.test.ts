import { describe, expect, it } from 'vitest'
import { runAction, type FixtureInput, type RunOptions, type RunResult } from '../runner/index.ts'

function run (source: string, fixture: FixtureInput = {}, options: RunOptions = {}): Promise<RunResult> {
  return runAction({ source }, fixture, options)
}

const NO_SEND = 'send() was never called: the user sees nothing'

describe('warnings', () => {
  it('an action that never calls send() warns that the user sees nothing', async () => {
    const result = await run("ChatlayerResponseBuilder().addMessage('built but never sent')")
    expect(result.ok).toBe(true)
    expect(result.error).toBeNull()
    expect(result.response).toBeNull()
    expect(result.warnings).toEqual([NO_SEND])
  })

  it('a failed action does not add the no-send warning', async () => {
    const result = await run("throw new Error('x')")
    expect(result.warnings).toEqual([])
  })

  it('several send() calls are all applied and warned about', async () => {
    const result = await run("ChatlayerResponseBuilder().addMessage('a').send()\nChatlayerResponseBuilder().addMessage('b').send().send()")
    expect(result.ok).toBe(true)
    expect(result.sends).toHaveLength(3)
    expect(result.messages.map(m => m.config.textMessages[0].text)).toEqual(['a', 'b', 'b'])
    expect(result.warnings).toEqual(['send() was called 3 times: all were applied in order (option multipleSends)'])
  })

  it('setSessionVariable called twice on one builder warns that only the last call survives', async () => {
    const result = await run("ChatlayerResponseBuilder().setSessionVariable('a', 1).setSessionVariable('b', 2).setSessionVariable('c', 3).send()")
    expect(result.session).toEqual({ c: 3 })
    expect(result.warnings).toEqual([
      'setSessionVariable() was called more than once on one builder: only the last call survives (it replaces the whole list); use addSessionVariable() to write several variables',
    ])
  })

  it('setSessionVariable once on each of two builders does not warn', async () => {
    const result = await run("ChatlayerResponseBuilder().setSessionVariable('a', 1).send()\nChatlayerResponseBuilder().setSessionVariable('b', 2)")
    expect(result.warnings).toEqual([])
  })

  it('a plain-object fetch body warns that it is sent as [object Object]', async () => {
    const result = await run("await fetch('https://api.example.com/tickets', { method: 'POST', body: { subject: 'Help' } })\nChatlayerResponseBuilder().send()", {
      http: [{ request: { url: 'https://api.example.com/tickets' }, response: { status: 201 } }],
    })
    expect(result.warnings).toEqual([
      "fetch(POST https://api.example.com/tickets) got a plain object as body: node-fetch v2 sends it as the string \"[object Object]\"; pass JSON.stringify(body) and a 'Content-Type: application/json' header",
    ])
  })

  it('an array fetch body warns with the string it is sent as', async () => {
    const result = await run("await fetch('https://api.example.com/ids', { method: 'PUT', body: [1, 2] })\nChatlayerResponseBuilder().send()", {
      http: [{ request: { url: 'https://api.example.com/ids', body: '1,2' }, response: {} }],
    })
    expect(result.error).toBeNull()
    expect(result.warnings).toEqual([
      "fetch(PUT https://api.example.com/ids) got an array as body: node-fetch v2 sends it as the string \"1,2\"; pass JSON.stringify(body) and a 'Content-Type: application/json' header",
    ])
  })

  it('every HTTP exchange never used is a warning naming its number, method and URL or pattern', async () => {
    const result = await run("await fetch('https://api.example.com/used')\nChatlayerResponseBuilder().send()", {
      http: [
        { request: { method: 'GET', url: 'https://api.example.com/unused' }, response: {} },
        { request: { url: 'https://api.example.com/used' }, response: {} },
        { request: { urlPattern: '/zendesk\\.com/' }, response: {} },
      ],
    })
    expect(result.error).toBeNull()
    expect(result.warnings).toEqual([
      'HTTP exchange #1 (GET https://api.example.com/unused) was never used: remove it or check the request the action makes',
      'HTTP exchange #3 (* /zendesk\\.com/) was never used: remove it or check the request the action makes',
    ])
  })

  it('send() called after the action finished is ignored with a warning', async () => {
    const result = await run(`
      const b = ChatlayerResponseBuilder().addMessage('too late')
      Promise.resolve().then(() => {}).then(() => {}).then(() => {}).then(() => b.send())`)
    expect(result.sends).toEqual([])
    expect(result.response).toBeNull()
    expect(result.warnings).toEqual([
      'send() was called after the action had finished: ignored (await the work that calls it)',
      NO_SEND,
    ])
  })

  it('fetch() called after the action finished is never sent, with a warning', async () => {
    const result = await run(`
      Promise.resolve().then(() => {}).then(() => {}).then(() => {}).then(() => fetch('https://api.example.com/late').catch(() => {}))
      ChatlayerResponseBuilder().send()`)
    expect(result.ok).toBe(true)
    expect(result.requests).toEqual([])
    expect(result.warnings).toEqual(['fetch(GET https://api.example.com/late) was called after the action had finished: never sent'])
  })

  it('a timer still pending at the end is abandoned with a warning, and its callback never runs', async () => {
    const result = await run(`
      const b = ChatlayerResponseBuilder().addMessage('now')
      _.delay(() => { console.log('fired'); ChatlayerResponseBuilder().addMessage('later').send() }, 300)
      b.send()`)
    expect(result.logs).toEqual([])
    expect(result.sends).toHaveLength(1)
    expect(result.warnings).toEqual(['1 timer was still pending when the action finished: abandoned (await them)'])
  })

  it('several pending timers are counted in one warning', async () => {
    const result = await run('_.delay(() => {}, 1000)\n_.defer(() => {})\nChatlayerResponseBuilder().send()')
    expect(result.warnings).toEqual(['2 timers were still pending when the action finished: abandoned (await them)'])
  })

  it('a request still pending at the end is abandoned with a warning', async () => {
    const result = await run("fetch('https://api.example.com/slow').then(() => console.log('answered'))\nChatlayerResponseBuilder().send()", {
      http: [{ request: { url: 'https://api.example.com/slow' }, response: { delayMs: 300 } }],
    })
    expect(result.error).toBeNull()
    expect(result.logs).toEqual([])
    expect(result.warnings).toEqual(['1 request was still pending when the action finished: abandoned (await them)'])
  })

  it('several pending requests are counted in one warning', async () => {
    const result = await run("fetch('https://api.example.com/slow')\nfetch('https://api.example.com/slow')\nChatlayerResponseBuilder().send()", {
      http: [{ request: { url: 'https://api.example.com/slow' }, response: { delayMs: 300 }, times: 2 }],
    })
    expect(result.warnings).toEqual(['2 requests were still pending when the action finished: abandoned (await them)'])
  })

  it('a rejected promise nothing handles is a warning by default, not an error', async () => {
    const result = await run("Promise.reject(new Error('dropped on the floor'))\nChatlayerResponseBuilder().addMessage('fine').send()")
    expect(result.ok).toBe(true)
    expect(result.error).toBeNull()
    expect(result.messages).toHaveLength(1)
    expect(result.warnings).toEqual(['a promise was rejected and nothing handled it: dropped on the floor (option unhandledRejection)'])
  })

  it('with unhandledRejection: "error" a rejected promise nothing handles fails the run', async () => {
    const result = await run("Promise.reject(new Error('dropped on the floor'))\nChatlayerResponseBuilder().addMessage('fine').send()", {}, { unhandledRejection: 'error' })
    expect(result.ok).toBe(false)
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('a promise was rejected and nothing handled it: dropped on the floor (option unhandledRejection: "error")')
    expect(result.response).toBeNull()
    expect(result.warnings).toEqual([])
  })

  it('a rejection that reads like the engine\'s time-out is still the action\'s rejection, not ERR_TIMEOUT', async () => {
    // isolated-vm reports a call that outlived its time with this message; the sandbox also
    // checks the clock, so an action's own error with the same words is not taken for it.
    const code = "Promise.reject(new Error('Script execution timed out.'))\nChatlayerResponseBuilder().addMessage('fine').send()"
    const warned = await run(code)
    expect(warned.error).toBeNull()
    expect(warned.warnings).toEqual(['a promise was rejected and nothing handled it: Script execution timed out. (option unhandledRejection)'])
    const failed = await run(code, {}, { unhandledRejection: 'error' })
    expect(failed.error?.code).toBe('ERR_ACTION_THREW')
    expect(failed.error?.message).toBe('a promise was rejected and nothing handled it: Script execution timed out. (option unhandledRejection: "error")')
  })

  it('a rejection whose message mentions a memory limit is the action\'s, not ERR_MEMORY', async () => {
    const result = await run("Promise.reject(new Error('quota: memory limit reached'))\nChatlayerResponseBuilder().addMessage('fine').send()")
    expect(result.error).toBeNull()
    expect(result.warnings).toEqual(['a promise was rejected and nothing handled it: quota: memory limit reached (option unhandledRejection)'])
  })

  it('a rejection of the action\'s own promise is always an error, whatever unhandledRejection says', async () => {
    const result = await run("await Promise.reject(new Error('awaited'))", {}, { unhandledRejection: 'warn' })
    expect(result.error?.code).toBe('ERR_ACTION_THREW')
    expect(result.error?.message).toBe('Error: awaited')
  })

  it('a rejection handled later in the same turn is not reported', async () => {
    const result = await run("const p = Promise.reject(new Error('late catch'))\np.catch(() => {})\nChatlayerResponseBuilder().send()")
    expect(result.warnings).toEqual([])
  })
})

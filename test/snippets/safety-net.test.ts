import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bundleAction, runAction } from '../../runner/index.ts'

const temp = mkdtempSync(join(tmpdir(), 'code-action-safety-'))
afterAll(() => { rmSync(temp, { recursive: true, force: true }) })

/** Bundles a small action that uses the snippet library, the way a snippet does. */
async function action (name: string, body: string): Promise<string> {
  const file = join(temp, `${name}.ts`)
  const lib = resolve('snippets/_lib')
  writeFileSync(file, `import { runSafely, sendReply } from '${lib}/respond.ts'\nimport { requestJson } from '${lib}/http.ts'\nimport { startTimeBudget } from '${lib}/time-budget.ts'\nvoid requestJson; void startTimeBudget; void sendReply\n${body}\nexport {}\n`)
  return (await bundleAction(file, `${name}.js`)).code
}

const route = "() => ({ saveAs: 'demo', errorDialogState: args.error, apology: 'Sorry!' })"

describe('the snippet safety net (runSafely)', () => {
  it('turns an unexpected throw into the error state with an UNEXPECTED error, never an uncaught error', async () => {
    const code = await action('throws', `await runSafely(async () => { JSON.parse('{oops') }, ${route})`)
    const result = await runAction({ source: code, name: 'throws' }, { args: { error: { dialogstate: 'ds-error' } } })
    expect(result.error).toBeNull()
    expect(result.nextDialogState).toBe('ds-error')
    expect(result.session).toMatchObject({ demo: { error: { code: 'UNEXPECTED', status: null, reason: null } } })
    expect((result.session as any).demo.error.message).toMatch(/^the action failed unexpectedly \(SyntaxError: /)
  })

  it('shows the apology when no error state is configured', async () => {
    const code = await action('throws-apology', `await runSafely(async () => { throw new TypeError('x is not a function') }, ${route})`)
    const result = await runAction({ source: code, name: 'throws-apology' }, {})
    expect(result.error).toBeNull()
    expect(result.messages).toEqual([{ type: 'text', config: { textMessages: [{ text: 'Sorry!' }] } }])
  })

  it('does not send twice when the failure comes after the reply', async () => {
    const code = await action('late-throw', `await runSafely(async () => { sendReply({ jump: 'ds-ok' }); throw new Error('late') }, ${route})`)
    const result = await runAction({ source: code, name: 'late-throw' }, {})
    expect(result.error).toBeNull()
    expect(result.sends).toHaveLength(1)
    expect(result.nextDialogState).toBe('ds-ok')
    expect(result.logs.map(l => l.text)).toEqual(['UNEXPECTED after the reply was sent: Error: late'])
  })

  it('requestJson stops before the time budget is used up instead of starting a request', async () => {
    const code = await action('budget', `const r = await requestJson({ service: 'API', method: 'GET', url: 'https://api.example/x', budget: startTimeBudget(500) })\nChatlayerResponseBuilder().addMessage(JSON.stringify(r)).send()`)
    const result = await runAction({ source: code, name: 'budget' }, {})
    expect(result.requests).toEqual([])
    expect(JSON.parse(result.messages[0].config.textMessages[0].text)).toEqual({ ok: false, failure: { code: 'TIMEOUT', status: null, reason: null, message: "GET https://api.example/x was not sent: the action's time budget is used up" } })
  })

  it('requestJson does not retry a 429 whose Retry-After is an HTTP date beyond the budget', async () => {
    const code = await action('retry-date', `const r = await requestJson({ service: 'API', method: 'GET', url: 'https://api.example/x', budget: startTimeBudget() })\nChatlayerResponseBuilder().addMessage(r.ok ? 'ok' : r.failure.message).send()`)
    const later = new Date(Date.now() + 60_000).toUTCString()
    const result = await runAction({ source: code, name: 'retry-date' }, { http: [{ request: { url: 'https://api.example/x' }, response: { status: 429, headers: { 'retry-after': later }, body: '' } }] })
    expect(result.requests).toHaveLength(1)
    expect(result.messages[0].config.textMessages[0].text).toMatch(/^API answered 429 to GET https:\/\/api\.example\/x: an empty body \(Retry-After of \d+ ms does not fit the time budget: not retried\)$/)
  })
})

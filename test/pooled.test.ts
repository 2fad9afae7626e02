import { afterAll, describe, expect, it } from 'vitest'
import { runAction, SandboxPool } from '../runner/index.ts'
import { resolveProfile } from '../runner/profile.ts'
import type { Job } from '../runner/sandbox/protocol.ts'

// One sandbox process, so consecutive runs share the same warm isolate.
const pool = new SandboxPool(1)
afterAll(() => pool.close())

const pooled = { isolate: 'pooled' as const }
const text = (result: Awaited<ReturnType<typeof runAction>>): unknown => result.messages[0]?.config.textMessages[0].text

describe('pooled mode: a warm isolate, a new context per run', () => {
  it('a global set by one run is absent in the next', async () => {
    await runAction('leaked = 42; globalThis.other = 1; ChatlayerResponseBuilder().send()', {}, pooled, { pool })
    const next = await runAction("ChatlayerResponseBuilder().addMessage(typeof leaked + ' ' + typeof other).send()", {}, pooled, { pool })
    expect(text(next)).toBe('undefined undefined')
  })

  it('an Object.prototype change by one run is gone in the next', async () => {
    await runAction("Object.prototype.polluted = 'yes'; Array.prototype.push = () => 0; ChatlayerResponseBuilder().send()", {}, pooled, { pool })
    const next = await runAction("const a = []; a.push(1); ChatlayerResponseBuilder().addMessage(String(({}).polluted) + ' ' + a.length).send()", {}, pooled, { pool })
    expect(text(next)).toBe('undefined 1')
  })

  it('a promise left dangling by one run cannot log, send or fetch into the next', async () => {
    const first = await runAction(`
      _.delay(() => { console.log('late log'); ChatlayerResponseBuilder().addMessage('late send').send(); fetch('https://late.example/') }, 30)
      ChatlayerResponseBuilder().addMessage('first').send()`, {}, pooled, { pool })
    expect(first.warnings).toContain('1 timer was still pending when the action finished: abandoned (await them)')
    const second = await runAction("await new Promise(r => _.delay(r, 100)); ChatlayerResponseBuilder().addMessage('second').send()", {}, pooled, { pool })
    expect(second.logs).toEqual([])
    expect(second.sends).toHaveLength(1)
    expect(text(second)).toBe('second')
    expect(second.requests).toEqual([])
    expect(second.error).toBeNull()
  })

  it('the warm isolate is replaced after a timeout and the next run works', async () => {
    const stuck = await runAction('while (true) {}', {}, { ...pooled, timeoutMs: 300 }, { pool })
    expect(stuck.error?.code).toBe('ERR_TIMEOUT')
    const next = await runAction("ChatlayerResponseBuilder().addMessage('alive').send()", {}, pooled, { pool })
    expect(text(next)).toBe('alive')
  })

  it('the warm isolate is replaced after a memory error and the next run works', async () => {
    const hog = await runAction("const a = []; while (true) a.push('x'.repeat(64) + Math.random())", {}, { ...pooled, memoryMb: 32 }, { pool })
    expect(hog.error?.code).toBe('ERR_MEMORY')
    const next = await runAction("ChatlayerResponseBuilder().addMessage('alive').send()", {}, pooled, { pool })
    expect(text(next)).toBe('alive')
  })

  describe('recycling', () => {
    const job = (code: string, isolate: 'pooled' | 'fresh' = 'pooled'): Job =>
      ({ code, args: {}, profile: resolveProfile(undefined, { isolate }), http: [], live: false })
    const SMALL = "ChatlayerResponseBuilder().addMessage('ok').send()"

    it('a pooled isolate serves run after run; a fresh one serves one', async () => {
      const own = new SandboxPool(1)
      try {
        const runs = []
        for (let i = 0; i < 3; i++) runs.push((await own.run(job(SMALL))).isolateRun)
        expect(runs).toEqual([1, 2, 3])
        expect((await own.run(job(SMALL, 'fresh'))).isolateRun).toBe(1)
      } finally {
        own.close()
      }
    })

    it('is replaced before the next run when its heap has grown past 16 MB', async () => {
      const own = new SandboxPool(1)
      try {
        expect((await own.run(job(SMALL))).isolateRun).toBe(1)
        // About 24 MB of live objects while the run lasts; garbage afterwards, but still counted
        // in the heap until V8 collects it, which it has no reason to do before the next run.
        const big = await own.run(job("globalThis.kept = Array.from({ length: 300000 }, (_, i) => ({ i, s: 'x' + i })); ChatlayerResponseBuilder().send()"))
        expect(big.error).toBeNull()
        expect(big.isolateRun).toBe(2)
        expect((await own.run(job(SMALL))).isolateRun).toBe(1)
        expect((await own.run(job(SMALL))).isolateRun).toBe(2)
      } finally {
        own.close()
      }
    })
  })
})
